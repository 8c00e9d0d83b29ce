/* SPDX-License-Identifier: BSD-3-Clause */
/* Whether this host runs a backend: its row's probe (instance/be-*.c). */
#include <stdio.h>

#include "backend-support.h"
#include "backends.h"

bool
up_backend_runs(enum tb_backend be, bool vms, char *why, size_t len)
{
	const struct ib_backend *b = ib_be_ops(be);

	if (b == NULL) {
		snprintf(why, len, "unknown backend");
		return false;
	}
	return b->runs(vms, why, len);
}
