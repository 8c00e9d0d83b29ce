/* SPDX-License-Identifier: BSD-3-Clause */
/* Guest and host addresses in 198.18.0.0/15 (RFC 2544), per backend and index. */
#include <errno.h>
#include <stdio.h>

#include "addr.h"

int
tb_addr_guest(enum tb_backend be, unsigned int idx, char *buf, size_t len)
{
	if (be >= TB_BE_COUNT || idx >= TB_ADDR_MAX_GUESTS)
		return -ERANGE;
	snprintf(buf, len, "198.18.%u.%u", 1 + (unsigned int)be, idx + 1);
	return 0;
}

int
tb_addr_machine_index(int machine, int idx)
{
	if (machine < 0 || machine >= TB_ADDR_MAX_MACHINES || idx < 0 ||
	    idx >= TB_ADDR_MACHINE_GUESTS)
		return -ERANGE;
	return machine * TB_ADDR_MACHINE_GUESTS + idx;
}

int
tb_addr_machine_guest(enum tb_backend be, int machine, int idx, char *buf, size_t len)
{
	int i = tb_addr_machine_index(machine, idx);

	return i < 0 ? i : tb_addr_guest(be, (unsigned int)i, buf, len);
}

int
tb_addr_host(int h, char *buf, size_t len)
{
	if (h < 0 || h >= TB_ADDR_MAX_GUESTS)
		return -ERANGE;
	snprintf(buf, len, "198.18.0.%d", h + 1);
	return 0;
}

const char *
tb_addr_masq_inner(void)
{
	return "198.19.0.2";
}

const char *
tb_addr_masq_gateway(void)
{
	return "198.19.0.1";
}
