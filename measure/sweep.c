/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `sweep`: pairs picked per backend and scope, every point measured interleaved (ABAB), results
 * written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "clock.h"
#include "guest-cmd.h"
#include "log.h"
#include "pmd-poll.h"
#include "reference.h"
#include "report.h"
#include "results.h"
#include "state.h"
#include "stop.h"
#include "sweep-remote.h"
#include "sweep-run.h"
#include "up-conf.h"
#include "up.h"

#define MAX_SIZES 40

/* The first pair of scope s among backend be's guests (lib/hosts.h); false if none. */
static bool
add_pair(struct sweep_run *r, const struct guest_table *t, int n_hosts, enum tb_backend be,
	 enum tb_scope s)
{
	struct sweep_pair *p = &r->pair[r->n_pairs];
	json_t *client, *server;

	if (guest_table_pair(t, be, n_hosts, s, &client, &server) < 0)
		return false;
	memset(p, 0, sizeof(*p));
	p->used = true;
	p->be = be;
	p->scope = s;
	p->peer_host = -1;
	snprintf(p->raw, sizeof(p->raw), "raw/%s%s", tb_backend_name(be),
		 s == TB_SCOPE_ACROSS_HOSTS ? "-across_hosts" : "");
	p->client_g = client;
	p->server_g = server;
	p->client = json_string_value(json_object_get(p->client_g, "name"));
	p->client_ns = json_string_value(json_object_get(p->client_g, "netns"));
	p->client_cpu = json_integer_value(json_object_get(p->client_g, "cpu"));
	p->server = json_string_value(json_object_get(p->server_g, "name"));
	p->server_ns = json_string_value(json_object_get(p->server_g, "netns"));
	p->server_addr = json_string_value(json_object_get(p->server_g, "address"));
	p->server_cpu = json_integer_value(json_object_get(p->server_g, "cpu"));
	r->n_pairs++;
	return true;
}

/*
 * The across pair of --remote-guests with served machine m (host_index order): local guest 0
 * dials that machine's guest 0, one pair per served machine, measured one after the other.
 */
static bool
add_remote_pair(struct sweep_run *r, const struct guest_table *t, enum tb_backend be, size_t m)
{
	json_t *server = swr_guest(r->remote, m, be, 0);
	struct sweep_pair *p = &r->pair[r->n_pairs];

	if (server == NULL || t->g[be][0] == NULL)
		return false;
	memset(p, 0, sizeof(*p));
	p->used = true;
	p->be = be;
	p->scope = TB_SCOPE_ACROSS_HOSTS;
	p->peer_host = (int)json_integer_value(json_object_get(server, "host_index"));
	snprintf(p->raw, sizeof(p->raw), "raw/%s-across_hosts-h%d", tb_backend_name(be),
		 p->peer_host);
	p->client_g = t->g[be][0];
	p->server_g = server;
	p->client = json_string_value(json_object_get(p->client_g, "name"));
	p->client_ns = json_string_value(json_object_get(p->client_g, "netns"));
	p->client_cpu = json_integer_value(json_object_get(p->client_g, "cpu"));
	p->server = json_string_value(json_object_get(server, "name"));
	p->server_ns = SWR_KIND_REMOTE;
	p->server_addr = json_string_value(json_object_get(server, "address"));
	p->server_cpu = -1;
	r->n_pairs++;
	return true;
}

/*
 * Per backend: a same-host pair (guests 0 and 1, or 0 and 2 with two hosts) and, with
 * --across-hosts, a pair on different hosts (0 and 1), measured interleaved so the report
 * compares the scopes from one run.
 */
static int
pick_pairs(struct sweep_run *r, unsigned int want, char *err, size_t errlen)
{
	struct guest_table t;
	int n_hosts = tb_state_hosts(r->st), be;
	unsigned int up = 0;
	size_t m;
	bool same;

	guest_table_fill(&t, r->st);
	if (r->conf->across_hosts && n_hosts < 2 && r->remote == NULL) {
		snprintf(err, errlen, "--across-hosts needs two hosts, instance %s has one (run "
			 "./testbed up --numa N --hosts 2)", r->conf->instance);
		return -EINVAL;
	}
	for (be = 0; be < TB_BE_COUNT; be++)
		if (t.n[be] >= 2)
			up |= 1u << be;
	if (want == 0)
		want = up;
	for (be = 0; be < TB_BE_COUNT; be++) {
		if (!(want & (1u << be)))
			continue;
		same = add_pair(r, &t, n_hosts, be, TB_SCOPE_SAME_HOST);
		for (m = 0; m < json_array_size(r->remote); m++) {
			const char *mach = json_string_value(
				json_object_get(json_array_get(r->remote, m), "instance"));

			if (!add_remote_pair(r, &t, be, m)) {
				snprintf(err, errlen, "backend %s: no guest 0 here and on machine "
					 "%s (--remote-guests)", tb_backend_name(be), mach ?: "?");
				return -ENOENT;
			}
		}
		if (r->conf->across_hosts && r->remote == NULL &&
		    !add_pair(r, &t, n_hosts, be, TB_SCOPE_ACROSS_HOSTS)) {
			snprintf(err, errlen, "backend %s has no guests on both hosts in instance %s "
				 "(run ./testbed up --numa N --hosts 2)", tb_backend_name(be),
				 r->conf->instance);
			return -ENOENT;
		}
		if (!same && !r->conf->across_hosts) {
			guest_pair_missing(be, n_hosts, r->conf->instance, err, errlen);
			return -ENOENT;
		}
		if (!same)
			tb_warn("%s: no two guests on one host (up --hosts 2 --guests 4 has them): "
				"measuring across hosts only", tb_backend_name(be));
	}
	if (r->n_pairs == 0) {
		snprintf(err, errlen, "instance %s has no backend with two guests", r->conf->instance);
		return -ENOENT;
	}
	return 0;
}

static int
count_points(const struct sweep_run *r)
{
	long sizes[MAX_SIZES];
	int t, n = 0;

	for (t = 0; t < SW_N_TESTS; t++)
		if (r->conf->tests & (1u << t))
			n += sweep_sizes(r->conf, t, sizes, MAX_SIZES);
	return n * r->n_pairs;
}

/* One round of size i of test t: repeat rep of every pair, back to back (ABAB). */
static void
run_round(struct sweep_run *r, json_t *results, json_t **row, enum sweep_test t, long size,
	  int rep)
{
	int k;

	for (k = 0; k < r->n_pairs && !tb_stop_signal(); k++) {
		/* a point enters results.json with its first repeat, in the order of pass 1 */
		if (rep == 1)
			json_array_append(json_object_get(results, "points"), row[k]);
		json_array_append_new(json_object_get(row[k], "repeats"),
				      sweep_run_repeat(r, &r->pair[k], t, size, rep));
		sweep_point_summarise(row[k], SW_WIDE_SPREAD);
		r->n_done++;
		sweep_progress(r, row[k], rep);
		/* completed points are on disk whatever happens next */
		res_write(r->dir, results);
	}
}

/*
 * Order: test, pass, size, pair. A pass runs every size once, each size's pairs back to
 * back, so a drift in host load touches every backend alike (ABAB), and one backend's
 * failure fails only its points. The repeats of a point come from rep_min passes spread over
 * the whole test, so its [min-max] holds the run's slow drift too, not only the seconds
 * around one size; then (--repeat auto) further passes over the sizes whose spread is still
 * wide, up to rep_cap and while the extra-round budget lasts. A size's qperf time is what its
 * first pass needed (sweep_run_repeat raises it where no message completed).
 */
static void
measure(struct sweep_run *r, json_t *results)
{
	static json_t *rows[MAX_SIZES][SWEEP_MAX_PAIRS];
	int floor[MAX_SIZES], done[MAX_SIZES];
	long sizes[MAX_SIZES];
	int t, i, k, n, pass;
	bool more;

	for (t = 0; t < SW_N_TESTS && !tb_stop_signal(); t++) {
		if (!(r->conf->tests & (1u << t)))
			continue;
		n = sweep_sizes(r->conf, t, sizes, MAX_SIZES);
		for (i = 0; i < n; i++) {
			done[i] = 0;
			for (k = 0; k < r->n_pairs; k++) {
				rows[i][k] = json_pack("{s:s, s:s, s:s, s:I, s:[]}", "backend",
						       tb_backend_name(r->pair[k].be), "scope",
						       tb_scope_name(r->pair[k].scope), "test",
						       sweep_test_name(t), "msg_size",
						       (json_int_t)sizes[i], "repeats");
				if (r->pair[k].peer_host >= 0) /* which machine it was across */
					json_object_set_new(rows[i][k], "peer_host_index",
							    json_integer(r->pair[k].peer_host));
			}
		}
		r->time_floor = 0;
		sweep_warm_up(r, t, sizes[0]);
		for (pass = 1, more = true; more && !tb_stop_signal(); pass++) {
			more = false;
			for (i = 0; i < n && !tb_stop_signal(); i++) {
				if (pass > 1)
					r->time_floor = floor[i];
				if (!sweep_next_round(r, rows[i], r->n_pairs, done[i]))
					continue;
				run_round(r, results, rows[i], t, sizes[i], ++done[i]);
				if (pass == 1)
					floor[i] = r->time_floor;
				more = true;
			}
		}
		for (i = 0; i < n; i++)
			for (k = 0; k < r->n_pairs; k++)
				json_decref(rows[i][k]);
	}
}

/* "84 points, 3-7 repeats, 5m12s": what the sweep did, for its last line. */
static void
summary_line(json_t *results, double secs, char *buf, size_t len)
{
	size_t i, lo = 0, hi = 0, n = 0, wide = 0;
	json_t *p;
	char reps[32];

	json_array_foreach(json_object_get(results, "points"), i, p) {
		size_t k = json_array_size(json_object_get(p, "repeats"));

		if (n++ == 0 || k < lo)
			lo = k;
		if (k > hi)
			hi = k;
		wide += json_is_true(json_object_get(p, "wide"));
	}
	if (lo == hi)
		snprintf(reps, sizeof(reps), "%zu repeat%s", hi, hi == 1 ? "" : "s");
	else
		snprintf(reps, sizeof(reps), "%zu-%zu repeats", lo, hi);
	snprintf(buf, len, "%zu points, %s, %dm%02ds", n, reps, (int)secs / 60, (int)secs % 60);
	if (wide > 0)
		snprintf(buf + strlen(buf), len - strlen(buf), "; %zu still wide (spread > %d%%)",
			 wide, SW_WIDE_SPREAD_PCT);
}

static int
finish(struct sweep_run *r, json_t *results, char *err, size_t errlen)
{
	struct ref_table ref = {0};
	json_t *p;
	size_t i;
	int ret, failed = 0;

	json_array_foreach(json_object_get(results, "points"), i, p) {
		if (json_array_size(json_object_get(p, "repeats")) == 0) {
			json_object_set_new(p, "status", json_string("stopped"));
			json_object_set_new(p, "reason", json_string("not measured: stopped"));
		}
		failed += strcmp(json_string_value(json_object_get(p, "status")), "ok") != 0;
	}
	sweep_results_finish(results);
	ret = res_write(r->dir, results);
	if (ret < 0) {
		snprintf(err, errlen, "%s: cannot write results: %s", r->dir, strerror(-ret));
		return -EIO;
	}
	if (ref_load(ref_default_path(), &ref, err, errlen) < 0)
		tb_warn("reference figures not shown: %s", err);
	if (rp_write_report(r->dir, results, ref.n ? &ref : NULL, err, errlen) < 0)
		tb_warn("report: %s", err);
	err[0] = '\0';
	ref_free(&ref);
	return failed;
}

int
sweep_measure(const struct sweep_conf *conf, json_t **out, char *dir, size_t dirlen, char *err,
	      size_t errlen)
{
	struct sweep_run r = {.conf = conf};
	char run_id[128], tag[32];
	json_t *results;
	int ret, failed, idle_sleep;
	double t0 = tb_now_s();

	*out = NULL;
	err[0] = '\0';
	ret = up_state_load_up(conf->instance, &r.st, err, errlen);
	if (ret < 0)
		return ret;
	if (conf->remote_guests != NULL)
		ret = swr_load(conf->remote_guests, &r.remote, err, errlen);
	if (ret == 0 && r.remote != NULL)
		ret = swr_check_local(r.remote, (int)json_integer_value(json_object_get(
						json_object_get(r.st, "config"), "host_index")),
				      err, errlen);
	if (ret == 0)
		ret = pick_pairs(&r, conf->backends, err, errlen);
	if (ret < 0) {
		json_decref(r.remote);
		json_decref(r.st);
		return ret;
	}
	snprintf(tag, sizeof(tag), "%s", __builtin_popcount(conf->tests) > 1 ? "all"
					 : sweep_test_name(__builtin_ctz(conf->tests)));
	res_run_id(tag, run_id, sizeof(run_id));
	if (res_run_dir_create(conf->out, run_id, r.dir, sizeof(r.dir), err, errlen) < 0) {
		char why[512];

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "--out %s: %s", conf->out, why);
		json_decref(r.st);
		return -EIO;
	}
	snprintf(dir, dirlen, "%s", r.dir);
	r.rep_min = conf->repeat == SW_REPEAT_AUTO ? SW_REPEAT_MIN : conf->repeat;
	r.rep_cap = conf->repeat == SW_REPEAT_AUTO ? SW_REPEAT_CAP : conf->repeat;
	r.n_total = count_points(&r) * r.rep_min;
	r.extra_left = r.rep_cap > r.rep_min ? r.n_total * conf->time_s * SW_EXTRA_BUDGET_PCT / 100
					     : 0;
	results = sweep_results_new(&r, run_id);
	if (r.remote != NULL) /* the other machines: their hosts, versions, guests */
		json_object_set(results, "remote_hosts", r.remote);
	if (conf->repeat == SW_REPEAT_AUTO)
		tb_info("sweep %s: %d points, %d-%d repeats each (more while the spread exceeds "
			"%d%%, extra rounds within %d s of qperf time), results in %s", tag,
			count_points(&r), r.rep_min, r.rep_cap, SW_WIDE_SPREAD_PCT, r.extra_left,
			r.dir);
	else
		tb_info("sweep %s: %d points, %d repeat%s each, results in %s", tag,
			count_points(&r), r.rep_min, r.rep_min == 1 ? "" : "s", r.dir);
	tb_stop_catch();
	idle_sleep = pmd_poll_begin(r.st, sweep_backend_used(&r, TB_BE_VHOST_USER),
				    conf->pmd_maxsleep_us, json_object_get(results, "params"));
	if (conf->across_hosts && conf->baseline && r.remote == NULL && !tb_stop_signal()) {
		json_object_set_new(results, "baseline",
				    baseline_measure(r.st, r.dir, conf->time_s > 3 ? conf->time_s : 3));
		res_write(r.dir, results);
	}
	ret = sweep_servers_start(&r);
	if (ret == 0) {
		sweep_start_clock(&r);
		measure(&r, results);
	}
	sweep_servers_stop(&r);
	pmd_poll_end(r.st, idle_sleep);
	if (r.t_start > 0)
		json_object_set_new(results, "elapsed_s", json_real(tb_now_s() - t0));
	failed = finish(&r, results, err, errlen);
	if (r.t_start > 0) {
		char line[160];

		summary_line(results, tb_now_s() - t0, line, sizeof(line));
		tb_info("sweep: %s", line);
	}
	json_decref(r.st);
	json_decref(r.remote);
	*out = results;
	if (failed < 0)
		return failed;
	return failed > 0 ? failed : ret;
}
