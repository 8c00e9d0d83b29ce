/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `testbed bench path`: where a message's one-way time goes. In each of --repeat rounds, per
 * backend (vhost-user, then the bridge: ABAB across rounds) the probe tool (`testbed bench
 * probe`) serves in guest 1 and sends paced probes from guest 0, both pinned to their guests'
 * cores; the adapter and the switch stamp the vhost-user probes on their way
 * (pmd/probe-stamps.h). Per backend the hops' median [p10-p90] over every round's probes, and
 * the spread of the rounds' medians, go to results.json (kind "bench-path"), with the
 * vhost-user/bridge ratio of the totals per round; the probes to raw/<backend>-r<k>.csv.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "bench-path.h"
#include "bench-runner.h"
#include "guest-cmd.h"
#include "hosts.h"
#include "log.h"
#include "pmd-poll.h"
#include "report.h"
#include "results.h"
#include "run-info.h"
#include "runcmd.h"
#include "state.h"
#include "stats.h"
#include "stop.h"

/* The backends bench path measures, in this order. */
static const enum tb_backend path_backends[] = {TB_BE_VHOST_USER, TB_BE_BRIDGE};
#define N_PATH_BE (sizeof(path_backends) / sizeof(path_backends[0]))

struct bpath_run {
	const struct bpath_conf *conf;
	json_t *st, *results;
	char dir[4096], self[512];
	bool ovs; /* the vhost-user switch is OVS-DPDK */
};

/* A backend's probes over the rounds. */
struct bpath_pool {
	struct bpath_sample *s;
	size_t n, cap;
};

/* Span (i, j) of the samples: how many, and their values. */
struct span {
	double *v;
	size_t n;
};

static json_t *
pct_json(const double *v, size_t n)
{
	static const double pct[] = {50, 10, 90};
	double out[3];

	if (n == 0 || tb_percentiles(v, n, pct, 3, out) < 0)
		return json_null();
	return json_pack("{s:f, s:f, s:f, s:I}", "median_us", out[0], "p10_us", out[1], "p90_us",
			 out[2], "n", (json_int_t)n);
}

/*
 * The hops of the samples into pt: the spans present in at least half of the valid samples
 * (so a rare probe whose stamps were skipped does not add a row), each median [p10-p90].
 */
static int
summarise(struct bpath_run *r, json_t *pt, const struct bpath_sample *s, size_t n)
{
	static struct span sp[BPATH_N_POINTS][BPATH_N_POINTS];
	double us[BPATH_N_HOPS], *total, sum = 0;
	int end[BPATH_N_HOPS], i, j, ret = 0;
	size_t k, valid = 0;
	json_t *hops = json_array(), *tot;
	char label[96];

	memset(sp, 0, sizeof(sp));
	total = calloc(n + 1, sizeof(*total));
	for (i = 0; i < BPATH_N_POINTS && total != NULL; i++)
		for (j = i + 1; j < BPATH_N_POINTS; j++)
			if ((sp[i][j].v = calloc(n + 1, sizeof(double))) == NULL)
				ret = -ENOMEM;
	if (total == NULL || ret < 0) {
		ret = -ENOMEM;
		goto out;
	}
	for (k = 0; k < n; k++) {
		if (bpath_hops(&s[k], us, end) < 0)
			continue;
		valid++;
		total[valid - 1] = (double)(s[k].t[BPATH_N_POINTS - 1] - s[k].t[0]) / 1e3;
		for (i = 0; i < BPATH_N_HOPS; i++)
			if (end[i] > i)
				sp[i][end[i]].v[sp[i][end[i]].n++] = us[i];
	}
	for (i = 0; i < BPATH_N_POINTS; i++) {
		for (j = i + 1; j < BPATH_N_POINTS; j++) {
			json_t *h;

			if (valid == 0 || sp[i][j].n * 2 < valid)
				continue;
			bpath_span_label(i, j, r->ovs, label, sizeof(label));
			h = pct_json(sp[i][j].v, sp[i][j].n);
			json_object_set_new(h, "from", json_string(bpath_point_name(i)));
			json_object_set_new(h, "to", json_string(bpath_point_name(j)));
			json_object_set_new(h, "label", json_string(label));
			json_object_set_new(h, "remainder", json_boolean(j > i + 1));
			sum += json_real_value(json_object_get(h, "median_us"));
			json_array_append_new(hops, h);
		}
	}
	tot = pct_json(total, valid);
	json_object_set_new(pt, "valid", json_integer((json_int_t)valid));
	json_object_set_new(pt, "total", tot);
	json_object_set_new(pt, "sum_of_medians_us", valid > 0 ? json_real(sum) : json_null());
	json_object_set(pt, "hops", hops);
out:
	json_decref(hops);
	free(total);
	for (i = 0; i < BPATH_N_POINTS; i++)
		for (j = i + 1; j < BPATH_N_POINTS; j++)
			free(sp[i][j].v);
	return ret < 0 ? ret : (int)valid;
}

/* The client's CSV -> samples (*s, malloc'd); the count. */
static size_t
samples_parse(char *csv, struct bpath_sample **s)
{
	size_t n = 0, cap = 0;
	char *line, *save = NULL;

	*s = NULL;
	for (line = strtok_r(csv, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		struct bpath_sample x;

		if (bpath_csv_parse(line, &x) < 0)
			continue;
		if (n == cap) {
			struct bpath_sample *g = realloc(*s, (cap = cap * 2 + 256) * sizeof(x));

			if (g == NULL)
				break;
			*s = g;
		}
		(*s)[n++] = x;
	}
	return n;
}

/* Appends n samples to the pool; -ENOMEM. */
static int
pool_add(struct bpath_pool *p, const struct bpath_sample *s, size_t n)
{
	if (p->n + n > p->cap) {
		size_t cap = (p->n + n) * 2;
		struct bpath_sample *g = realloc(p->s, cap * sizeof(*g));

		if (g == NULL)
			return -ENOMEM;
		p->s = g;
		p->cap = cap;
	}
	memcpy(p->s + p->n, s, n * sizeof(*s));
	p->n += n;
	return 0;
}

/* One backend, one round: server in guest 1, client in guest 0, the round's point filled. */
static int
run_backend(struct bpath_run *r, enum tb_backend be, int round, json_t *client_g,
	    json_t *server_g, json_t *pt, struct bpath_pool *pool)
{
	const struct bpath_conf *c = r->conf;
	const char *addr = json_string_value(json_object_get(server_g, "address"));
	char size[16], count[16], gap[16], idle[16], raw[96], rel[128], err[512], why[600];
	const char *srv_argv[] = {r->self, "bench", "probe", "--serve", "--idle", idle, NULL};
	const char *cli_argv[] = {r->self, "bench",   "probe", "--to",		addr, "--size",
				  size,	   "--count", count,   "--interval-us", gap,  NULL};
	struct mrun_servers srv = {0};
	struct tb_run_opts o = {0};
	struct bpath_sample *s = NULL;
	struct guest_cmd gc;
	char *out = NULL, *eout = NULL;
	size_t n = 0;
	int ret;

	snprintf(size, sizeof(size), "%d", c->size);
	snprintf(count, sizeof(count), "%d", c->count);
	snprintf(gap, sizeof(gap), "%d", c->interval_us);
	snprintf(idle, sizeof(idle), "%d", 10);
	snprintf(raw, sizeof(raw), "raw/%s", tb_backend_name(be));
	snprintf(rel, sizeof(rel), "raw/%s-r%d.csv", tb_backend_name(be), round + 1);
	/* the probes' time, the replies' waits for the lost, and a margin */
	o.timeout_ms = (int)(((long long)c->count * (c->interval_us + 200000LL)) / 1000 + 30000);
	if (addr == NULL) {
		snprintf(why, sizeof(why), "guest 1 of %s has no address", tb_backend_name(be));
		ret = -EINVAL;
		goto fail;
	}
	ret = mrun_server_spawn(&srv, r->dir, raw, server_g, "probe", srv_argv, err, sizeof(err));
	if (ret == 0)
		ret = mrun_servers_check(&srv, r->dir, err, sizeof(err));
	if (ret < 0) {
		snprintf(why, sizeof(why), "%s", err);
		goto fail;
	}
	ret = guest_cmd(&gc, client_g, cli_argv);
	if (ret == 0)
		ret = tb_run(gc.argv, &o, &out, &eout);
	if (ret != 0) {
		snprintf(why, sizeof(why), "probe client in %s: %s%s%.*s",
			 json_string_value(json_object_get(client_g, "name")) ?: "?",
			 ret < 0 ? strerror(-ret) : "no probe came back",
			 eout != NULL && eout[0] ? ": " : "",
			 eout != NULL ? (int)strcspn(eout, "\n") : 0, eout ?: "");
		ret = ret < 0 ? ret : -EIO;
		goto fail;
	}
	res_write_text(r->dir, rel, out);
	json_object_set_new(pt, "raw", json_string(rel));
	n = samples_parse(out, &s);
	json_object_set_new(pt, "returned", json_integer((json_int_t)n));
	ret = summarise(r, pt, s, n);
	if (ret > 0 && pool_add(pool, s, n) < 0)
		ret = -ENOMEM;
	if (ret <= 0) {
		snprintf(why, sizeof(why),
			 ret < 0 ? "out of memory"
				 : "no probe with send and "
				   "receive times in order");
		ret = ret < 0 ? ret : -EIO;
		goto fail;
	}
	json_object_set_new(pt, "status", json_string("ok"));
	json_object_del(pt, "reason");
	ret = 0;
	goto out;
fail:
	json_object_set_new(pt, "status", json_string("failed"));
	json_object_set_new(pt, "reason", json_string(why));
out:
	mrun_servers_stop(&srv);
	free(s);
	free(out);
	free(eout);
	return ret;
}

/* The spread of a number over the rounds that are ok: {median_us, min_us, max_us, n}. */
static json_t *
rounds_spread(json_t *rounds, const char *from, const char *to)
{
	double v[BPATH_REPEAT_MAX];
	struct tb_spread sp;
	size_t i, k, n = 0;
	json_t *rd, *h;

	json_array_foreach(rounds, i, rd)
	{
		if (strcmp(json_string_value(json_object_get(rd, "status")) ?: "", "ok") != 0 ||
		    n == BPATH_REPEAT_MAX)
			continue;
		if (from == NULL) {
			h = json_object_get(rd, "total");
			if (json_is_object(h))
				v[n++] = json_real_value(json_object_get(h, "median_us"));
			continue;
		}
		json_array_foreach(json_object_get(rd, "hops"), k, h)
			if (strcmp(json_string_value(json_object_get(h, "from")) ?: "", from) == 0 &&
			    strcmp(json_string_value(json_object_get(h, "to")) ?: "", to) == 0)
				v[n++] = json_real_value(json_object_get(h, "median_us"));
	}
	if (n == 0)
		return json_null();
	sp = tb_spread_of(v, n);
	return json_pack("{s:f, s:f, s:f, s:I}", "median_us", sp.median, "min_us", sp.min,
			 "max_us", sp.max, "n", (json_int_t)n);
}

/*
 * The backend's point from all its rounds' probes: the hops median [p10-p90] over them, each
 * hop and the total with "rounds": the spread of the rounds' own medians. -EIO when no
 * round measured anything.
 */
static int
pool_summarise(struct bpath_run *r, json_t *pt, struct bpath_pool *pool)
{
	json_t *rounds = json_object_get(pt, "rounds"), *h;
	size_t i, ok = 0;
	int ret;

	json_array_foreach(rounds, i, h)
		ok += strcmp(json_string_value(json_object_get(h, "status")) ?: "", "ok") == 0;
	if (ok == 0 || pool->n == 0) {
		h = json_array_get(rounds, 0);
		json_object_set_new(pt, "reason",
				    json_string(json_string_value(json_object_get(h, "reason"))
							?: "not measured"));
		return -EIO;
	}
	json_object_set_new(pt, "returned", json_integer((json_int_t)pool->n));
	ret = summarise(r, pt, pool->s, pool->n);
	if (ret <= 0) {
		json_object_set_new(pt, "reason", json_string("no probe with send and receive "
							      "times in order"));
		return -EIO;
	}
	json_array_foreach(json_object_get(pt, "hops"), i, h)
		json_object_set_new(h, "rounds",
				    rounds_spread(rounds,
						  json_string_value(json_object_get(h, "from")),
						  json_string_value(json_object_get(h, "to"))));
	json_object_set_new(json_object_get(pt, "total"), "rounds",
			    rounds_spread(rounds, NULL, NULL));
	json_object_set_new(pt, "rounds_ok", json_integer((json_int_t)ok));
	json_object_set_new(pt, "status", json_string("ok"));
	json_object_del(pt, "reason");
	return 0;
}

/*
 * results "ratio": vhost-user / bridge of the one-way totals' medians, per round where both
 * were measured (the two back to back), median [min-max] over the rounds.
 */
static void
ratio_of_rounds(json_t *results, json_t *vu, json_t *br)
{
	double v[BPATH_REPEAT_MAX];
	struct tb_spread sp;
	size_t i, n = 0;
	json_t *a;

	if (vu == NULL || br == NULL)
		return;
	json_array_foreach(json_object_get(vu, "rounds"), i, a)
	{
		json_t *b = json_array_get(json_object_get(br, "rounds"), i);
		double x = json_real_value(json_object_get(json_object_get(a, "total"),
							   "median_us"));
		double y = json_real_value(json_object_get(json_object_get(b, "total"),
							   "median_us"));

		if (x > 0 && y > 0 && n < BPATH_REPEAT_MAX)
			v[n++] = x / y;
	}
	if (n == 0)
		return;
	sp = tb_spread_of(v, n);
	json_object_set_new(results, "ratio",
			    json_pack("{s:s, s:f, s:f, s:f, s:I}", "of",
				      "vhost-user / bridge, one-way total (median per round)",
				      "median", sp.median, "min", sp.min, "max", sp.max, "pairs",
				      (json_int_t)n));
}

static json_t *
results_new(const struct bpath_run *r, const char *run_id)
{
	json_t *sw = json_object_get(r->st, "switch");
	char when[32];

	ri_iso_now(when, sizeof(when));
	return json_pack(
		"{s:i, s:s, s:s, s:s, s:o, s:O, s:s, s:{s:i, s:i, s:i, s:i, s:s, s:i, s:s, s:s}, s:[]}",
		"schema", RES_SCHEMA, "kind", "bench-path", "run_id", run_id, "started", when,
		"host", ri_host_json(), "instance", json_object_get(r->st, "instance"), "switch",
		json_string_value(json_object_get(sw, "kind")) ?: "none", "params", "msg_size",
		r->conf->size, "count", r->conf->count, "interval_us", r->conf->interval_us, "repeat",
		r->conf->repeat, "order", "rounds; in each, the backends one after the other", "port",
		PROBE_PORT, "clock",
		"CLOCK_MONOTONIC_RAW ns; the data path's stamps TSC-based, calibrated to it",
		"percentiles",
		"nearest rank; hops: spans between the stamps present; a "
		"remainder spans stamps that were not written",
		"points");
}

int
bpath_measure(const struct bpath_conf *conf, json_t **out, char *dir, size_t dirlen)
{
	struct bpath_run r = {.conf = conf};
	struct guest_table t;
	char err[1024], run_id[128];
	int ret = 0, failed = 0, idle_sleep, n_hosts, round;
	json_t *client[N_PATH_BE], *server[N_PATH_BE], *pt[N_PATH_BE] = {NULL};
	struct bpath_pool pool[N_PATH_BE] = {{NULL}};
	unsigned int want = conf->backends, k;

	*out = NULL;
	ret = mrun_self_and_state(conf->instance, "the probe tool", r.self, sizeof(r.self), &r.st);
	if (ret < 0)
		return ret;
	r.ovs = strcmp(json_string_value(json_object_get(json_object_get(r.st, "switch"), "kind"))
			       ?: "",
		       "ovs-dpdk") == 0;
	guest_table_fill(&t, r.st);
	n_hosts = tb_state_hosts(r.st);
	if (want == 0)
		for (k = 0; k < N_PATH_BE; k++)
			if (t.n[path_backends[k]] >= 2)
				want |= 1u << path_backends[k];
	if (!(want & (1u << TB_BE_VHOST_USER)) && !(want & (1u << TB_BE_BRIDGE))) {
		tb_err("instance %s has neither two vhost-user nor two bridge guests: run "
		       "./testbed up --backends vhost-user,bridge --instance %s",
		       conf->instance, conf->instance);
		ret = -ENOENT;
		goto out_state;
	}
	ret = mrun_run_dir(conf->out, "bench-path", run_id, sizeof(run_id), r.dir, sizeof(r.dir));
	if (ret < 0)
		goto out_state;
	snprintf(dir, dirlen, "%s", r.dir);
	r.results = results_new(&r, run_id);
	tb_info("bench path: instance %s, %d probes of %d B per backend, results in %s",
		conf->instance, conf->count, conf->size, r.dir);
	idle_sleep = pmd_poll_begin(r.st, (want & (1u << TB_BE_VHOST_USER)) != 0, -1,
				    json_object_get(r.results, "params"));
	for (k = 0; k < N_PATH_BE; k++) {
		enum tb_backend be = path_backends[k];

		if (!(want & (1u << be)))
			continue;
		pt[k] = json_pack("{s:s, s:s, s:s, s:s, s:[]}", "backend", tb_backend_name(be),
				  "switch",
				  be == TB_BE_VHOST_USER ? (r.ovs ? "ovs-dpdk" : "testbed-pmd")
							 : "kernel bridge",
				  "status", "failed", "reason", "not measured", "rounds");
		json_array_append_new(json_object_get(r.results, "points"), pt[k]);
		if (guest_table_pair(&t, be, n_hosts, TB_SCOPE_SAME_HOST, &client[k], &server[k]) <
		    0) {
			guest_pair_missing(be, n_hosts, conf->instance, err, sizeof(err));
			json_object_set_new(pt[k], "reason", json_string(err));
			failed++;
			pt[k] = NULL;
			continue;
		}
		json_object_set_new(pt[k], "client",
				    json_incref(json_object_get(client[k], "name")));
		json_object_set_new(pt[k], "server",
				    json_incref(json_object_get(server[k], "name")));
	}
	for (round = 0; round < conf->repeat && !tb_stop_signal(); round++) {
		for (k = 0; k < N_PATH_BE && !tb_stop_signal(); k++) {
			enum tb_backend be = path_backends[k];
			json_t *rp;

			if (pt[k] == NULL)
				continue;
			rp = json_pack("{s:i, s:s, s:s}", "round", round + 1, "status", "failed",
				       "reason", "not measured");
			json_array_append_new(json_object_get(pt[k], "rounds"), rp);
			if (run_backend(&r, be, round, client[k], server[k], rp, &pool[k]) < 0) {
				tb_warn("bench path: %s, round %d: %s", tb_backend_name(be),
					round + 1, json_string_value(json_object_get(rp, "reason")));
				failed++;
			}
			rp_write_path_results(r.dir, r.results);
		}
	}
	for (k = 0; k < N_PATH_BE; k++)
		if (pt[k] != NULL && pool_summarise(&r, pt[k], &pool[k]) < 0)
			failed++;
	ratio_of_rounds(r.results, pt[0], pt[1]);
	if (tb_stop_signal())
		failed++;
	pmd_poll_end(r.st, idle_sleep);
	ri_iso_now(err, sizeof(err));
	json_object_set_new(r.results, "finished", json_string(err));
	ret = rp_write_path_results(r.dir, r.results);
	if (ret < 0) {
		tb_err("%s: cannot write results: %s", r.dir, strerror(-ret));
		ret = -EIO;
	} else {
		if (rp_write_path_report(r.dir, r.results, err, sizeof(err)) < 0)
			tb_warn("report: %s", err);
		ret = failed;
	}
	*out = r.results;
	for (k = 0; k < N_PATH_BE; k++)
		free(pool[k].s);
out_state:
	json_decref(r.st);
	return ret;
}
