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

/* Address peers use to reach guest idx of a backend ("198.18.1.1"). -ERANGE past the max. */
int tb_addr_guest(enum tb_backend be, unsigned int idx, char *buf, size_t len);
/* Host h's own address on the wire (the baseline's endpoints). */
int tb_addr_host(int h, char *buf, size_t len);
/* Masquerade: guest address inside its pod, and the pod's gateway address there. */
const char *tb_addr_masq_inner(void);
const char *tb_addr_masq_gateway(void);
#define TB_ADDR_MASQ_INNER_NET "198.19.0.0/24"

#endif
