/* SPDX-License-Identifier: BSD-3-Clause */
/* `sweep`: qperf servers and clients per pair, repeats, results.json. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "backend.h"
#include "clock.h"
#include "fsutil.h"
#include "log.h"
#include "netcmd.h"
#include "proc.h"
#include "results.h"
#include "run-info.h"
#include "runcmd.h"
#include "state.h"
#include "stop.h"
#include "stats.h"
#include "guest-cmd.h"
#include "serve.h"
#include "sweep-remote.h"
#include "sweep-run.h"
#include "toolparse.h"
#include "topology.h"
#include "up.h"

#define QPERF_PORT SERVE_QPERF_PORT /* the other machine's `serve` listens there too */
/* a point whose messages are too large to complete once in --time is tried once more, longer */
#define RETRY_TIME_FACTOR 4
#define RETRY_TIME_MAX_S 60

static json_t *
testbed_json(const struct sweep_run *r)
{
	json_t *pairs = json_array();
	int k;

	for (k = 0; k < r->n_pairs; k++) {
		const struct sweep_pair *p = &r->pair[k];

		json_t *e = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:i}", "backend",
				      tb_backend_name(p->be), "scope", tb_scope_name(p->scope),
				      "client", p->client, "client_cpu", p->client_cpu, "server",
				      p->server, "server_address", p->server_addr, "server_cpu",
				      p->server_cpu);

		if (p->peer_host >= 0)
			json_object_set_new(e, "server_host_index", json_integer(p->peer_host));
		json_array_append_new(pairs, e);
	}
	json_t *o = json_pack("{s:O, s:O, s:O, s:O, s:o, s:s, s:b, s:i, s:O*}", "instance",
			      json_object_get(r->st, "instance"), "config",
			      json_object_get(r->st, "config"), "plan", json_object_get(r->st, "plan"),
			      "switch", json_object_get(r->st, "switch") ?: json_null(), "pairs", pairs,
			      "guest_kind",
			      json_string_value(json_object_get(json_object_get(r->st, "config"),
								"guest_kind")) ?: "netns",
			      "oversubscribed",
			      json_is_true(json_object_get(json_object_get(r->st, "plan"),
							   "oversubscribed")),
			      "hosts", tb_state_hosts(r->st), "host_details",
			      json_object_get(r->st, "hosts"));

	/* asked: config.profile's ring keys; used: what the switch says was negotiated */
	if (o != NULL && r->remote == NULL)
		json_object_set_new(o, "rings_negotiated", up_rings_negotiated(r->st));
	return o;
}

json_t *
sweep_results_new(const struct sweep_run *r, const char *run_id)
{
	json_t *tests = json_array();
	char when[32];
	int t;

	for (t = 0; t < SW_N_TESTS; t++)
		if (r->conf->tests & (1u << t))
			json_array_append_new(tests, json_string(sweep_test_name(t)));
	ri_iso_now(when, sizeof(when));
	return json_pack("{s:i, s:s, s:s, s:o, s:s, s:o, s:o, s:o, "
			 "s:{s:i, s:o, s:i, s:i, s:f, s:i, s:I, s:I, s:s}, s:[]}",
			 "schema", RES_SCHEMA, "kind", "sweep", "run_id", run_id, "tests", tests,
			 "started", when, "host", ri_host_json(), "testbed", testbed_json(r), "versions",
			 ri_versions_json(), "params", "time_s", r->conf->time_s, "repeat",
			 r->conf->repeat == SW_REPEAT_AUTO ? json_string("auto")
							   : json_integer(r->conf->repeat),
			 "repeat_min", r->rep_min, "repeat_cap", r->rep_cap, "wide_threshold",
			 SW_WIDE_SPREAD, "extra_budget_s", r->extra_left, "min_size",
			 (json_int_t)r->conf->min_size, "max_size", (json_int_t)r->conf->max_size,
			 "order", "per test: one uncounted warm-up run per backend, then passes over "
			 "every size (backends back to back per size); extra passes over the wide sizes",
			 "points");
}

void
sweep_results_finish(json_t *results)
{
	char when[32];

	ri_iso_now(when, sizeof(when));
	json_object_set_new(results, "finished", json_string(when));
	json_object_set_new(json_object_get(results, "host"), "loadavg_end", ri_loadavg());
}

bool
sweep_backend_used(const struct sweep_run *r, enum tb_backend be)
{
	int k;

	for (k = 0; k < r->n_pairs; k++)
		if (r->pair[k].be == be)
			return true;
	return false;
}

int
sweep_servers_start(struct sweep_run *r)
{
	int k, ret;

	for (k = 0; k < r->n_pairs; k++) {
		struct sweep_pair *p = &r->pair[k];
		static const char *const tool[] = {"qperf", "--listen_port", QPERF_PORT, NULL};
		enum tb_backend be = p->be;
		struct guest_cmd gc;
		char log[4200];
		struct tb_run_opts o = {.log_path = log};

		if (strcmp(guest_kind(p->server_g), SWR_KIND_REMOTE) == 0)
			continue; /* `testbed serve` runs it on the other machine */
		snprintf(log, sizeof(log), "%s/%s/qperf-server.log", r->dir, p->raw);
		res_write_text(r->dir, log + strlen(r->dir) + 1, "");
		ret = guest_cmd(&gc, p->server_g, tool);
		if (ret == 0)
			ret = tb_spawn(gc.argv, &o, &p->server_pid);
		if (ret < 0) {
			tb_err("%s: qperf server in %s: %s", tb_backend_name(be), p->server_ns,
			       strerror(-ret));
			return ret;
		}
		usleep(100000);
		if (tb_proc_start_time(p->server_pid, &p->server_start) < 0) {
			tb_err("%s: qperf server in %s exited at once (see %s)", tb_backend_name(be),
			       p->server_ns, log);
			return -ECHILD;
		}
	}
	usleep(200000); /* let them bind before the first client connects */
	return 0;
}

void
sweep_servers_stop(struct sweep_run *r)
{
	int k;

	for (k = 0; k < r->n_pairs; k++)
		if (r->pair[k].server_pid > 0)
			tb_proc_stop(r->pair[k].server_pid, r->pair[k].server_start, 3000);
}

static void
set_num(json_t *o, const char *key, double v)
{
	if (v >= 0)
		json_object_set_new(o, key, json_real(v));
}

/* One qperf client call; the raw output is kept whatever happens. */
static json_t *
run_once(struct sweep_run *r, const struct sweep_pair *p, enum sweep_test t, long size, int rep,
	 int time_s, const char *tag)
{
	char tsec[16], msize[32], rel[256], reason[512];
	struct guest_cmd gc;
	struct tb_run_opts o = {.timeout_ms = (time_s + 15) * 2 * 1000};
	const char *be = tb_backend_name(p->be), *test = sweep_test_name(t);
	char *out = NULL, *err = NULL;
	struct tp_qperf q;
	json_t *rj;
	int ret;

	snprintf(tsec, sizeof(tsec), "%d", time_s);
	snprintf(msize, sizeof(msize), "%ld", size);
	snprintf(rel, sizeof(rel), "%s/%s-%ld-r%d%s.txt", p->raw, test, size, rep, tag);
	const char *tool[] = {"qperf", p->server_addr, "--listen_port", QPERF_PORT, "-t", tsec,
			      "-m", msize, "-vv", test, NULL};

	/* a data path that is gone fails the point at once instead of after qperf's timeout */
	reason[0] = '\0';
	if (guest_path_down(r->st, be, reason, sizeof(reason)))
		ret = -ENETDOWN;
	else
		ret = guest_cmd(&gc, p->client_g, tool);
	if (ret == 0)
		ret = tb_run(gc.argv, &o, &out, &err);
	res_write_text(r->dir, rel, out != NULL ? out : "");
	if (err != NULL && err[0] != '\0') {
		char erel[300];

		snprintf(erel, sizeof(erel), "%s/%s-%ld-r%d%s.stderr.txt", p->raw, test, size, rep,
			 tag);
		res_write_text(r->dir, erel, err);
	}
	rj = json_pack("{s:s, s:i}", "raw", rel, "time_s", time_s);
	if (reason[0] != '\0' || guest_path_down(r->st, be, reason, sizeof(reason)))
		; /* the data path went away: that is the cause, whatever qperf said */
	else if (guest_gone(p->client_g, p->server_g, reason, sizeof(reason)))
		; /* a guest that died mid-run is the cause, named */
	else if (ret == -ETIMEDOUT)
		snprintf(reason, sizeof(reason), "qperf did not finish within %d s",
			 o.timeout_ms / 1000);
	else if (ret < 0)
		snprintf(reason, sizeof(reason), "qperf: %s", strerror(-ret));
	else if (tp_qperf_parse(out, &q) < 0)
		snprintf(reason, sizeof(reason), "qperf exit %d, output not understood: %.200s", ret,
			 err != NULL && err[0] ? err : out);
	else if (!q.ok)
		snprintf(reason, sizeof(reason), "%s", q.error);
	if (reason[0] != '\0' && tb_stop_signal() != 0) {
		/* Ctrl-C reaches qperf too (the whole process group): not the network's fault */
		json_object_set_new(rj, "status", json_string("stopped"));
		json_object_set_new(rj, "error", json_string(tb_stop_reason()));
	} else if (reason[0] != '\0') {
		json_object_set_new(rj, "status", json_string("failed"));
		json_object_set_new(rj, "error", json_string(reason));
	} else {
		json_object_set_new(rj, "status", json_string("ok"));
		set_num(rj, "latency_us", q.latency_us);
		set_num(rj, "bw_MBps", q.bw_Bps >= 0 ? q.bw_Bps / 1e6 : -1);
		set_num(rj, "bw_mbps", q.bw_Bps >= 0 ? q.bw_Bps * 8 / 1e6 : -1);
		set_num(rj, "msg_rate", q.msg_rate);
		set_num(rj, "cpu_local_pct", q.loc_cpus_used);
		set_num(rj, "cpu_remote_pct", q.rem_cpus_used);
	}
	free(out);
	free(err);
	return rj;
}

static bool
no_message_completed(json_t *rj)
{
	const char *e = json_string_value(json_object_get(rj, "error"));

	return e != NULL && strstr(e, "no message completed") != NULL;
}

json_t *
sweep_run_repeat(struct sweep_run *r, const struct sweep_pair *p, enum sweep_test t, long size,
		 int rep)
{
	int time_s = r->conf->time_s > r->time_floor ? r->conf->time_s : r->time_floor;
	json_t *rj = run_once(r, p, t, size, rep, time_s, "");

	while (no_message_completed(rj) && time_s < RETRY_TIME_MAX_S && !tb_stop_signal()) {
		char tag[32];

		/* keep the short attempt's raw output under its own name, then go longer */
		snprintf(tag, sizeof(tag), "-t%d", time_s * RETRY_TIME_FACTOR);
		time_s *= RETRY_TIME_FACTOR;
		json_decref(rj);
		rj = run_once(r, p, t, size, rep, time_s, tag);
	}
	/* what worked for this size is where the larger ones start */
	if (time_s > r->time_floor && time_s > r->conf->time_s &&
	    strcmp(json_string_value(json_object_get(rj, "status")), "ok") == 0)
		r->time_floor = time_s;
	return rj;
}

void
sweep_warm_up(struct sweep_run *r, enum sweep_test t, long size)
{
	int k;

	for (k = 0; k < r->n_pairs && !tb_stop_signal(); k++)
		json_decref(run_once(r, &r->pair[k], t, size, 0, r->conf->time_s, "-warmup"));
}

const char *
sweep_main_metric(const char *test)
{
	size_t n = test != NULL ? strlen(test) : 0;

	return n >= 4 && strcmp(test + n - 4, "_lat") == 0 ? "latency_us" : "bw_mbps";
}

double
sweep_spread_rel(const double *v, size_t n)
{
	struct tb_spread s;

	if (n < 2)
		return -1;
	s = tb_spread_of(v, n);
	return s.median > 0 ? (s.max - s.min) / s.median : -1;
}

bool
sweep_repeat_more(const double *v, size_t n, int done, int min, int cap, double threshold)
{
	if (done < min)
		return true;
	if (done >= cap)
		return false;
	return sweep_spread_rel(v, n) > threshold;
}

bool
sweep_next_round(struct sweep_run *r, json_t *const *row, int n, int done)
{
	int k, cost = n * (r->conf->time_s > r->time_floor ? r->conf->time_s : r->time_floor);
	bool more = false;
	double v[128];

	for (k = 0; k < n && !more; k++)
		more = sweep_repeat_more(v, sweep_point_values(row[k], v, 128), done, r->rep_min,
					 r->rep_cap, SW_WIDE_SPREAD);
	if (!more || done < r->rep_min)
		return more;
	if (r->extra_left < cost)
		return false; /* the budget is spent: the point's "wide" tells */
	r->extra_left -= cost;
	r->n_total += n;
	return true;
}

size_t
sweep_point_values(json_t *point, double *v, size_t max)
{
	const char *metric =
		sweep_main_metric(json_string_value(json_object_get(point, "test")));
	json_t *rj;
	size_t i, n = 0;

	json_array_foreach(json_object_get(point, "repeats"), i, rj) {
		json_t *x = json_object_get(rj, metric);
		const char *st = json_string_value(json_object_get(rj, "status"));

		if (n < max && st != NULL && strcmp(st, "ok") == 0 && json_is_number(x))
			v[n++] = json_number_value(x);
	}
	return n;
}

void
sweep_point_summarise(json_t *point, double wide_threshold)
{
	json_t *reps = json_object_get(point, "repeats"), *rj;
	const char *reason = NULL, *status = NULL;
	double v[128], spread;
	size_t i;
	int m;

	for (m = 0; m < RES_N_METRICS; m++) {
		size_t n = 0;

		json_array_foreach(reps, i, rj) {
			json_t *x = json_object_get(rj, res_metrics[m]);

			if (json_is_number(x) && n < 128)
				v[n++] = json_number_value(x);
		}
		if (n == 0)
			continue;
		struct tb_spread s = tb_spread_of(v, n);

		json_object_set_new(point, res_metrics[m],
				    json_pack("{s:f, s:f, s:f}", "median", s.median, "min", s.min,
					      "max", s.max));
	}
	/* a failed repeat fails the point; one cut short by Ctrl-C only stops it */
	json_array_foreach(reps, i, rj) {
		const char *st = json_string_value(json_object_get(rj, "status"));

		if (strcmp(st, "ok") == 0 || (status != NULL && strcmp(status, "failed") == 0))
			continue;
		status = strcmp(st, "stopped") == 0 ? "stopped" : "failed";
		reason = json_string_value(json_object_get(rj, "error"));
	}
	json_object_set_new(point, "status", json_string(status != NULL ? status : "ok"));
	if (reason != NULL)
		json_object_set_new(point, "reason", json_string(reason));
	spread = sweep_spread_rel(v, sweep_point_values(point, v, 128));
	if (spread >= 0) {
		json_object_set_new(point, "spread", json_real(spread));
		json_object_set_new(point, "wide", json_boolean(spread > wide_threshold));
	} else {
		json_object_del(point, "spread");
		json_object_del(point, "wide");
	}
}

void
sweep_progress(struct sweep_run *r, json_t *point, int rep)
{
	const char *be = json_string_value(json_object_get(point, "backend"));
	const char *test = json_string_value(json_object_get(point, "test"));
	json_t *last = json_array_get(json_object_get(point, "repeats"), rep - 1);
	double elapsed = tb_now_s() - r->t_start;
	double left = r->n_done ? elapsed / r->n_done * (r->n_total - r->n_done) : 0;
	char what[160];

	if (strcmp(json_string_value(json_object_get(last, "status")), "ok") != 0)
		snprintf(what, sizeof(what), "FAILED: %s",
			 json_string_value(json_object_get(last, "error")));
	else if (json_is_number(json_object_get(last, "latency_us")))
		snprintf(what, sizeof(what), "%.1f us, %.0f msg/s",
			 json_number_value(json_object_get(last, "latency_us")),
			 json_number_value(json_object_get(last, "msg_rate")));
	else
		snprintf(what, sizeof(what), "%.1f MB/s (%.3g Gb/s), %.0f msg/s",
			 json_number_value(json_object_get(last, "bw_MBps")),
			 json_number_value(json_object_get(last, "bw_mbps")) / 1000,
			 json_number_value(json_object_get(last, "msg_rate")));
	const char *scope = json_string_value(json_object_get(point, "scope"));

	tb_info("[%3d/%d] %-10s%s %-7s %9lld B r%d: %s  (~%dm%02ds left)", r->n_done, r->n_total,
		be, scope != NULL && strcmp(scope, "across_hosts") == 0 ? " across" : "", test,
		(long long)json_integer_value(json_object_get(point, "msg_size")), rep, what,
		(int)left / 60, (int)left % 60);
}

void
sweep_start_clock(struct sweep_run *r)
{
	r->t_start = tb_now_s();
}
