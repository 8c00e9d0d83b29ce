/* SPDX-License-Identifier: BSD-3-Clause */
/* OVS PMDs busy-polling while a measurement runs, sleeping again after. */
#ifndef TB_PMD_POLL_H
#define TB_PMD_POLL_H

#include <stdbool.h>

#include <jansson.h>

/*
 * While a measurement runs, the OVS PMD polls (pmd-maxsleep `want`; -1: 0 where the PMD
 * has a core of its own, else unchanged); params records the value used. Returns the
 * idle value to give pmd_poll_end, or -1 when nothing was changed.
 */
int pmd_poll_begin(json_t *st, bool vhost_used, int want, json_t *params);
void pmd_poll_end(json_t *st, int idle);

#endif
