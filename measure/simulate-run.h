/* SPDX-License-Identifier: BSD-3-Clause */
/* `simulate`: one step: iperf pairs and mtr in every guest at once. */
#ifndef TB_SIMULATE_RUN_H
#define TB_SIMULATE_RUN_H

#include <stddef.h>

#include <jansson.h>

#include "backend.h"
#include "hosts.h"
#include "simulate.h"

/* Where the instance was before simulate added guests. */
struct sim_mark {
	size_t objects, guests, ports[TB_MAX_HOSTS]; /* ports: of each host's switch */
};

int sim_guest_count(json_t *st, enum tb_backend be);
/* Brings every backend in `backends` to n guests; m says how to undo it. */
int sim_grow(json_t *st, const char *inst, unsigned int backends, int n, struct sim_mark *m);
/* Undoes sim_grow: the number of journal entries left (said; kept for `down`), 0 if none. */
int sim_shrink(json_t *st, const struct sim_mark *m);

/*
 * One point: n guests of backend be in pairs of the scope (lib/hosts.h: same host, or
 * across the instance's two hosts), all iperf clients at once and mtr from every guest to
 * its peer meanwhile (iperf -t duration_s, mtr --report-cycles mtr_cycles). Raw outputs go
 * under dir/raw/<backend>/simulate-<n>[-across_hosts]/. Returns the point (see lib/results.h).
 */
json_t *sim_run_point(const char *dir, json_t *st, enum tb_backend be, int n,
		      enum tb_scope scope, int duration_s, int mtr_cycles);

#endif
