/* SPDX-License-Identifier: BSD-3-Clause */
/* Guest and host addresses in 198.18.0.0/15 (RFC 2544), per backend and index. */
#ifndef TB_ADDR_H
#define TB_ADDR_H

#include <stddef.h>

#include "backend.h"

/*
 * Guest addressing, all inside 198.18.0.0/15 (RFC 2544 benchmarking range):
 *   198.18.<1 + backend>.0/24   one subnet per backend; guest i is .<i + 1>
 *                               (for masquerade: the pod's address on the bridge)
 *   198.18.0.<1 + h>/24         host h's own address (on its wire or bridge), `up --hosts`
 *   198.19.0.0/24               masquerade inside every pod: guest .2, pod gateway .1
 *                               (the same in each pod, as KubeVirt's 10.0.2.0/24)
 */
#define TB_ADDR_PREFIX_LEN 24
#define TB_ADDR_MAX_GUESTS 250

/*
 * Real machines on one LAN (`up --nic NIC --host-index K`) share each backend's /24: machine
 * K's guest i takes the plan's index K * TB_ADDR_MACHINE_GUESTS + i, so machine 0's guests
 * are .1-.31, machine 1's .32-.62, ..., machine 7's .218-.248 (MACs follow the same index).
 */
#define TB_ADDR_MAX_MACHINES 8
#define TB_ADDR_MACHINE_GUESTS 31
_Static_assert(TB_ADDR_MAX_MACHINES * TB_ADDR_MACHINE_GUESTS <= TB_ADDR_MAX_GUESTS,
	       "the machines' guests fit one /24 per backend");

/* Address peers use to reach guest idx of a backend ("198.18.1.1"). -ERANGE past the max. */
int tb_addr_guest(enum tb_backend be, unsigned int idx, char *buf, size_t len);
/* The plan's index of machine K's guest idx; -ERANGE past the machines or their guests. */
int tb_addr_machine_index(int machine, int idx);
/* Address of machine K's guest idx of a backend (K = 0: as tb_addr_guest for idx < 31). */
int tb_addr_machine_guest(enum tb_backend be, int machine, int idx, char *buf, size_t len);
/* Host h's own address on the wire (the baseline's endpoints). */
int tb_addr_host(int h, char *buf, size_t len);
/* Masquerade: guest address inside its pod, and the pod's gateway address there. */
const char *tb_addr_masq_inner(void);
const char *tb_addr_masq_gateway(void);
#define TB_ADDR_MASQ_INNER_NET "198.19.0.0/24"

#endif
