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
 * One run of a point: n guests of backend be in pairs of the scope (lib/hosts.h: same host,
 * or across the instance's two hosts), every iperf client and mtr from every guest to its
 * peer started together (iperf -t duration_s, mtr --report-cycles mtr_cycles). Raw outputs
 * go under dir/raw/<backend>/simulate-<n>[-across_hosts]/, named -r<rep>. Returns the run:
 * {status, reason, link_bw_mbps, vm_bw_mbps, lat_us, loss_pct, host_cpu_pct,
 * switch_cpu_pct, seconds, pairs} (see lib/results.h). With remote (simulate --remote-guests)
 * the across pairs are local guest k (client) and the other machine's guest k, whose iperf
 * server `serve` keeps; mtr runs from the local guest only.
 */
json_t *sim_run_point(const char *dir, json_t *st, enum tb_backend be, int n,
		      enum tb_scope scope, int duration_s, int mtr_cycles, int rep, json_t *remote);

/*
 * Adds run rj (from sim_run_point; its reference is taken) to point as repeat rep: its
 * figures go in point.repeats[], its pairs (marked with "repeat") in point.pairs[]. Then the
 * point's figures are the median over its successful runs (over all runs when none
 * succeeded) under the run's keys, with "<key>_min" and "<key>_max" beside; "seconds" is the
 * sum; status is "failed" with the first failed run's reason if any run failed.
 */
void sim_point_add_repeat(json_t *point, json_t *rj, int rep);

#endif
