/* SPDX-License-Identifier: BSD-3-Clause */
/* One client/server runner for the benches: servers in guests, one client call, progress. */
#ifndef TB_BENCH_RUNNER_H
#define TB_BENCH_RUNNER_H

#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#include "bench-net.h"

/*
 * The client/server runner of `bench net` and `bench ebpf`: their servers in a guest, one
 * tool call of a case (bench-net.h) from a client to a server with its output kept and its
 * metrics or why there are none, the data path checked before and after, and the progress
 * line. Messages name the object first; the caller prints the err it is given.
 */

/* The servers a case needs (bnet_case_server). */
enum mrun_server {
	MRUN_IPERF3,	   /* iperf3 -s -p BNET_IPERF3_PORT */
	MRUN_SOCKPERF_UDP, /* sockperf server -p BNET_SOCKPERF_UDP_PORT */
	MRUN_SOCKPERF_TCP, /* sockperf server --tcp -p BNET_SOCKPERF_TCP_PORT */
	MRUN_N_SERVERS
};

#define MRUN_MAX_SERVERS 16

/* Servers started, in the order they were. */
struct mrun_servers {
	int n;
	struct {
		enum mrun_server kind;
		const char *name;  /* "iperf3", "probe": in messages and the log's name */
		const char *guest; /* its name, for messages */
		char log[160];	   /* its output, relative to the run directory */
		pid_t pid;
		unsigned long long start;
	} s[MRUN_MAX_SERVERS];
};

/* "iperf3", "sockperf-udp", "sockperf-tcp". */
const char *mrun_server_name(enum mrun_server k);
/*
 * Starts server k in guest g (its state entry), its output in dir/raw/server-<name>.log
 * (raw: "raw" or "raw/<backend>"). -errno with err set ("iperf3 server in tb-main-g1: ...").
 */
int mrun_server_start(struct mrun_servers *set, const char *dir, const char *raw, json_t *g,
		      enum mrun_server k, char *err, size_t errlen);
/* Starts a server of the caller's own: argv (tool first) in guest g, named name (static). */
int mrun_server_spawn(struct mrun_servers *set, const char *dir, const char *raw, json_t *g,
		      const char *name, const char *const argv[], char *err, size_t errlen);
/* Gives them time to bind (300 ms), then 0, or -ECHILD naming the first that exited. */
int mrun_servers_check(const struct mrun_servers *set, const char *dir, char *err, size_t errlen);
/* Stops them all (idempotent). */
void mrun_servers_stop(struct mrun_servers *set);

/* A client and the server it talks to: state entries, names, the backend between them. */
struct mrun_pair {
	json_t *client_g, *server_g;
	const char *client, *server, *server_addr;
	const char *backend; /* whose data path is checked (guest_path_down) */
};

/*
 * Case c from the pair's client to its server for time_s seconds (self: this program, for
 * the CRR client). The output is kept as dir/rel, stderr beside it (.stderr.txt). Returns
 * {"raw", "time_s", metrics..., "status": "ok"} or {..., "status": "failed", "error"}:
 * a data path found down before or after the tool is the error whatever the tool said,
 * then a guest that is gone, a timeout, the tool's own failure or output not understood.
 */
json_t *mrun_client(json_t *st, const struct mrun_pair *p, enum bnet_case c, int time_s,
		    const char *self, const char *dir, const char *rel);

/*
 * The start of a bench that runs this program in guests: its path into self (for_what names
 * the use in the message) and the state of instance inst, which must be up (*st: the caller
 * releases it). 0, or -ENOENT having said why.
 */
int mrun_self_and_state(const char *inst, const char *for_what, char *self, size_t len,
			json_t **st);

/*
 * A bench's run directory: out/<run id> with raw/ (run_id "...-<tag>"), Ctrl-C caught from
 * here on, SIGPIPE ignored. 0, or -errno having said why.
 */
int mrun_run_dir(const char *out, const char *tag, char *run_id, size_t idlen, char *dir,
		 size_t dirlen);

/* How far a run is: measurements done of all, since when (tb_now_s). */
struct mrun_progress {
	int n_total, n_done;
	double t_start;
};

/*
 * Counts one measurement done and logs "[done/total] what: outcome  (~XmYYs left)"; the
 * outcome is the case's first metric (P99 too for latencies) or FAILED and the error.
 */
void mrun_progress_step(struct mrun_progress *pr, const char *what, enum bnet_case c, json_t *rj);

#endif
