/* SPDX-License-Identifier: BSD-3-Clause */
/* `sweep`: qperf servers and clients per pair, repeats, results.json. */
#ifndef TB_SWEEP_RUN_H
#define TB_SWEEP_RUN_H

#include <stdbool.h>
#include <sys/types.h>

#include <jansson.h>

#include "addr.h"
#include "backend.h"
#include "hosts.h"
#include "sweep.h"

/* qperf server in one guest, client in its peer, for one backend and scope. */
struct sweep_pair {
	bool used;
	enum tb_backend be;
	enum tb_scope scope;
	char raw[48];                      /* "raw/<backend>[-across_hosts[-h<K>]]" */
	int peer_host;                     /* --remote-guests: the server's host_index, else -1 */
	const char *client, *server;       /* guest names */
	const char *client_ns, *server_ns;
	json_t *client_g, *server_g;       /* their state entries */
	const char *server_addr;           /* what the client dials (the pod's, for masquerade) */
	int client_cpu, server_cpu;
	pid_t server_pid;
	unsigned long long server_start;
};

/* same host, across hosts, or one across pair per other machine (--remote-guests) */
#define SWEEP_MAX_PAIRS (TB_BE_COUNT * TB_ADDR_MAX_MACHINES)

struct sweep_run {
	const struct sweep_conf *conf;
	json_t *st; /* the instance's state */
	json_t *remote; /* --remote-guests: the other machines' guests (measure/sweep-remote.h) */
	struct sweep_pair pair[SWEEP_MAX_PAIRS]; /* backend by backend, same host before across */
	int n_pairs;
	char dir[4096];
	int n_total, n_done, n_failed;
	double t_start;
	int rep_min, rep_cap;  /* this sweep's repeat rule (min = cap: a fixed count) */
	int extra_left;        /* s of qperf time the extra rounds may still take (auto) */
	int time_floor;        /* s: a time the current test needed for its largest sizes yet */
};

json_t *sweep_results_new(const struct sweep_run *r, const char *run_id);
void sweep_results_finish(json_t *results);
int sweep_servers_start(struct sweep_run *r);
void sweep_servers_stop(struct sweep_run *r);
/*
 * One repeat of one point: {raw, time_s, status, error | metrics}. Starts at the longer of
 * --time and r->time_floor; when no message completes, tries again 4 times as long (up to
 * 60 s) and raises r->time_floor to what worked, so the larger sizes of the test start there.
 */
json_t *sweep_run_repeat(struct sweep_run *r, const struct sweep_pair *p, enum sweep_test t,
			 long size, int rep);
/*
 * One qperf run of every pair at size, not counted (its raw output is kept as
 * TEST-SIZE-r0-warmup.txt): caches, page tables, the switch's flow tables and the CPU's
 * frequency settle before the first repeat.
 */
void sweep_warm_up(struct sweep_run *r, enum sweep_test t, long size);
/*
 * Median/min/max of each metric over the repeats, status and reason; with two successful
 * repeats or more, "spread" ((max - min) / median of the main metric) and "wide" (spread >
 * wide_threshold).
 */
void sweep_point_summarise(json_t *point, double wide_threshold);
/*
 * Whether the size whose points (one per pair) are row[0..n), each run `done` times, gets
 * another round: the repeat rule (sweep_repeat_more) for any of them; past r->rep_min only
 * while r->extra_left (s of qperf time) covers the round, which it then takes, and
 * r->n_total grows by the round.
 */
bool sweep_next_round(struct sweep_run *r, json_t *const *row, int n, int done);
/* The main metric of the successful repeats of a point into v[0..max); how many. */
size_t sweep_point_values(json_t *point, double *v, size_t max);
void sweep_progress(struct sweep_run *r, json_t *point, int rep);
void sweep_start_clock(struct sweep_run *r);
/* Whether some pair of backend be is measured. */
bool sweep_backend_used(const struct sweep_run *r, enum tb_backend be);


/*
 * The whole sweep conf asks for, on its instance (Ctrl-C stops it between points). *out
 * receives results.json (NULL when nothing was started: err says why) and dir the run
 * directory. Returns 0 when every point ran, the number of failed points, or -errno with err
 * set ("" when the step that failed said why itself).
 */
int sweep_measure(const struct sweep_conf *conf, json_t **out, char *dir, size_t dirlen, char *err,
		  size_t errlen);

#endif
