/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TB_CLI_SIMULATE_RUN_H
#define TB_CLI_SIMULATE_RUN_H

#include <stddef.h>

#include <jansson.h>

#include "backend.h"
#include "simulate.h"

/* Where the instance was before simulate added guests. */
struct sim_mark {
	size_t objects, guests, ports;
};

int sim_guest_count(json_t *st, enum tb_backend be);
/* Brings every backend in `backends` to n guests; m says how to undo it. */
int sim_grow(json_t *st, const char *inst, unsigned int backends, int n, struct sim_mark *m);
void sim_shrink(json_t *st, const struct sim_mark *m);

/*
 * One point: n guests of backend be in pairs (2i client, 2i+1 server), all iperf clients
 * at once and mtr from every guest to its peer meanwhile. Raw outputs go under
 * dir/raw/<backend>/simulate-<n>/. Returns the point (see lib/results.h).
 */
json_t *sim_run_point(const char *dir, json_t *st, enum tb_backend be, int n, int duration_s);

#endif
