/* SPDX-License-Identifier: BSD-3-Clause */
/* `simulate`: the instance grown to each step's guests, every backend measured, shrunk back. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "baseline.h"
#include "clock.h"
#include "log.h"
#include "pmd-poll.h"
#include "reference.h"
#include "report.h"
#include "results.h"
#include "run-info.h"
#include "simulate-run.h"
#include "sweep-remote.h"
#include "state.h"
#include "stop.h"
#include "up.h"

/* Backends to run: asked for (each must be up) or every one that is up. */
static int
pick_backends(json_t *st, const struct sim_conf *c, unsigned int *out, char *err, size_t errlen)
{
	unsigned int up = 0;
	json_t *b;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(st, "config"), "backends"), i, b)
		up |= 1u << tb_backend_from_name(json_string_value(b));
	*out = c->backends ? c->backends : up;
	if (*out & ~up) {
		snprintf(err, errlen, "a backend asked for is not up in instance %s (run ./testbed up "
			 "--numa N --backends ...)", c->instance);
		return -ENOENT;
	}
	return 0;
}

/* What N guests per backend need that is not a hugepage (those are checked on reserve). */
static int
check_resources(unsigned int backends, int n, char *err, size_t errlen)
{
	struct rlimit rl;
	/* per guest: iperf, mtr and its helper, ip netns exec: ~16 fds each, generous */
	long need = 64L * n * __builtin_popcount(backends);

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (long)rl.rlim_cur < need) {
		snprintf(err, errlen, "%d guests per backend need about %ld open files, the limit is "
			 "%ld (ulimit -n)", n, need, (long)rl.rlim_cur);
		return -EMFILE;
	}
	return 0;
}

static json_t *
results_new(json_t *st, const struct sim_conf *c, const char *run_id)
{
	json_t *steps = json_array();
	char when[32];
	int i;

	for (i = 0; i < c->n_steps; i++)
		json_array_append_new(steps, json_integer(c->steps[i]));
	ri_iso_now(when, sizeof(when));
	return json_pack("{s:i, s:s, s:s, s:s, s:o, s:{s:O, s:O, s:O, s:O, s:s, s:b}, s:o, "
			 "s:{s:i, s:o, s:i}, s:[]}",
			 "schema", RES_SCHEMA, "kind", "simulate", "run_id", run_id, "started", when,
			 "host", ri_host_json(), "testbed", "instance",
			 json_object_get(st, "instance"), "config", json_object_get(st, "config"),
			 "plan", json_object_get(st, "plan"), "switch",
			 json_object_get(st, "switch") ?: json_null(), "guest_kind", "netns",
			 "oversubscribed",
			 json_is_true(json_object_get(json_object_get(st, "plan"), "oversubscribed")),
			 "versions", ri_versions_json(), "params", "duration_s", c->duration_s, "steps",
			 steps, "mtr_cycles", sim_mtr_cycles(c), "points");
}

int
sim_mtr_cycles(const struct sim_conf *c)
{
	if (c->mtr_cycles != SIM_MTR_CYCLES_AUTO)
		return c->mtr_cycles;
	return c->duration_s < SIM_MTR_CYCLES_MAX ? c->duration_s : SIM_MTR_CYCLES_MAX;
}

/* One run of a point: its own figures (the point's are medians so far). */
static void
progress(json_t *p, json_t *run, int rep, int reps)
{
	const char *reason = json_string_value(json_object_get(run, "reason"));
	const char *scope = json_string_value(json_object_get(p, "scope"));

	tb_info("%-10s%s %2d VMs r%d/%d: link %.0f Mb/s, VM %.0f Mb/s, latency %.0f us, loss "
		"%.1f%%%s%s", json_string_value(json_object_get(p, "backend")),
		scope != NULL && strcmp(scope, "across_hosts") == 0 ? " across" : "",
		(int)json_integer_value(json_object_get(p, "vms")), rep, reps,
		json_number_value(json_object_get(run, "link_bw_mbps")),
		json_number_value(json_object_get(run, "vm_bw_mbps")),
		json_number_value(json_object_get(run, "lat_us")),
		json_number_value(json_object_get(run, "loss_pct")), reason ? "  FAILED: " : "",
		reason ? reason : "");
}

/* Whether every one of n guests is in a pair of scope sc. */
static bool
scope_fits(int n, int n_hosts, enum tb_scope sc, bool remote)
{
	int pr[UP_MAX_GUESTS][2];

	if (remote && sc == TB_SCOPE_ACROSS_HOSTS)
		return n % 2 == 0; /* n/2 here, n/2 on the other machines */
	return tb_guest_pairs(n, n_hosts, sc, pr, UP_MAX_GUESTS) * 2 == n;
}

#define MAX_ROWS (TB_BE_COUNT * TB_SCOPE_COUNT)

/* The points of step n: one per backend and scope that fits, in results' points too. */
static int
step_points(json_t *st, const struct sim_conf *c, unsigned int backends, int n, json_t *points,
	    json_t **row, int *rb, int *rs)
{
	int be, sc, n_rows = 0, n_hosts = tb_state_hosts(st);

	for (be = 0; be < TB_BE_COUNT; be++) {
		for (sc = 0; sc < TB_SCOPE_COUNT; sc++) {
			if (!(backends & (1u << be)) ||
			    (sc == TB_SCOPE_ACROSS_HOSTS && !c->across_hosts))
				continue;
			/* two hosts, same host: n/2 VMs on each, paired on their host */
			if (!scope_fits(n, n_hosts, sc, c->remote != NULL)) {
				tb_warn("%s, %d VMs: no %s point (%d VMs on %d hosts cannot all be "
					"paired that way)", tb_backend_name(be), n,
					tb_scope_name(sc), n, n_hosts);
				continue;
			}
			row[n_rows] = json_pack("{s:s, s:s, s:s, s:i, s:[], s:[]}", "backend",
						tb_backend_name(be), "scope", tb_scope_name(sc),
						"test", "simulate", "vms", n, "repeats", "pairs");
			json_array_append_new(points, row[n_rows]);
			rb[n_rows] = be;
			rs[n_rows++] = sc;
		}
	}
	return n_rows;
}

/*
 * Per step: the points of every backend and scope, then c->repeat rounds, each running every
 * point once in turn (round r of all before r + 1), so host-load drift touches all alike.
 */
static int
measure(const char *dir, json_t *st, const struct sim_conf *c, unsigned int backends,
	json_t *results)
{
	json_t *points = json_object_get(results, "points");
	int s, failed = 0, cycles = sim_mtr_cycles(c);

	for (s = 0; s < c->n_steps && !tb_stop_signal(); s++) {
		json_t *row[MAX_ROWS];
		int rb[MAX_ROWS], rs[MAX_ROWS], n = c->steps[s], k, rep;
		int n_rows = step_points(st, c, backends, n, points, row, rb, rs);

		for (rep = 1; rep <= c->repeat && !tb_stop_signal(); rep++) {
			for (k = 0; k < n_rows && !tb_stop_signal(); k++) {
				json_t *run = sim_run_point(dir, st, rb[k], n, rs[k], c->duration_s,
							    cycles, rep, c->remote);

				json_incref(run);
				sim_point_add_repeat(row[k], run, rep);
				progress(row[k], run, rep, c->repeat);
				json_decref(run);
				res_write(dir, results);
			}
		}
		for (k = 0; k < n_rows; k++) {
			if (json_array_size(json_object_get(row[k], "repeats")) == 0) {
				json_object_set_new(row[k], "status", json_string("failed"));
				json_object_set_new(row[k], "reason",
						    json_string("not measured: stopped"));
			}
			failed += strcmp(json_string_value(json_object_get(row[k], "status")),
					 "ok") != 0;
		}
	}
	return failed;
}

static int
report(const char *dir, json_t *results)
{
	struct ref_table ref = {0};
	char err[512];

	ri_iso_now(err, sizeof(err));
	json_object_set_new(results, "finished", json_string(err));
	json_object_set_new(json_object_get(results, "host"), "loadavg_end", ri_loadavg());
	if (res_write(dir, results) < 0) {
		tb_err("%s: cannot write results", dir);
		return -EIO;
	}
	if (ref_load(ref_default_path(), &ref, err, sizeof(err)) < 0)
		tb_warn("reference figures not shown: %s", err);
	if (rp_write_report(dir, results, ref.n ? &ref : NULL, err, sizeof(err)) < 0)
		tb_warn("report: %s", err);
	ref_free(&ref);
	return 0;
}

int
sim_measure(const struct sim_conf *c, json_t **out, char *dir, size_t dirlen, char *err,
	    size_t errlen)
{
	struct sim_mark mark;
	char run_id[128];
	unsigned int backends;
	json_t *st = NULL, *results;
	int ret, failed = 0, n = 0, idle_sleep, added;
	double t0, grow_s;
	struct sim_conf remote_conf;

	*out = NULL;
	err[0] = '\0';
	ret = up_state_load_up(c->instance, &st, err, errlen);
	if (ret < 0)
		return ret;
	if (c->remote_guests != NULL) {
		remote_conf = *c;
		c = &remote_conf;
		ret = swr_load(c->remote_guests, &remote_conf.remote, err, errlen);
		if (ret == 0)
			ret = swr_check_local(remote_conf.remote,
					      (int)json_integer_value(json_object_get(
						      json_object_get(st, "config"), "host_index")),
					      err, errlen);
		if (ret < 0) {
			json_decref(remote_conf.remote);
			json_decref(st);
			return ret;
		}
	}
	if (c->across_hosts && tb_state_hosts(st) < 2 && c->remote == NULL) {
		snprintf(err, errlen, "--across-hosts needs two hosts, instance %s has one (run "
			 "./testbed up --numa N --hosts 2)", c->instance);
		json_decref(st);
		json_decref(c->remote);
		return -EINVAL;
	}
	ret = pick_backends(st, c, &backends, err, errlen);
	if (ret == 0)
		ret = check_resources(backends, sim_max_vms(c), err, errlen);
	if (ret < 0) {
		json_decref(st);
		json_decref(c->remote);
		return ret;
	}
	res_run_id("simulate", run_id, sizeof(run_id));
	if (res_run_dir_create(c->out, run_id, dir, dirlen, err, errlen) < 0) {
		char why[512];

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "--out %s: %s", c->out, why);
		json_decref(st);
		json_decref(c->remote);
		return -EIO;
	}
	tb_stop_catch();
	t0 = tb_now_s();
	ret = sim_grow(st, c->instance, backends, sim_max_vms(c), &mark);
	grow_s = tb_now_s() - t0;
	added = json_array_size(json_object_get(st, "guests")) - mark.guests;
	if (ret == 0 && added > 0)
		tb_info("added %d guests in %.1f s (%.2f s per guest)", added, grow_s, grow_s / added);
	if (ret == 0) {
		int be;

		for (be = 0; be < TB_BE_COUNT; be++)
			if (backends & (1u << be))
				n += sim_guest_count(st, be);
		if (n > json_integer_value(json_object_get(json_object_get(st, "plan"),
							   "cores_available")))
			tb_warn("%d guests on %d cores: the host is oversubscribed (recorded in the "
				"results)", n,
				(int)json_integer_value(json_object_get(json_object_get(st, "plan"),
									"cores_available")));
		results = results_new(st, c, run_id);
		json_object_set_new(json_object_get(results, "testbed"), "hosts",
				    json_integer(tb_state_hosts(st)));
		if (json_object_get(st, "hosts") != NULL)
			json_object_set(json_object_get(results, "testbed"), "host_details",
					json_object_get(st, "hosts"));
		json_object_set_new(json_object_get(results, "params"), "across_hosts",
				    json_boolean(c->across_hosts));
		json_object_set_new(json_object_get(results, "params"), "repeat",
				    json_integer(c->repeat));
		json_object_set_new(json_object_get(results, "params"), "mtr_cycles_from",
				    json_string(c->mtr_cycles == SIM_MTR_CYCLES_AUTO ? "duration"
										 : "option"));
		json_object_set_new(json_object_get(results, "params"), "guests_added",
				    json_integer(added));
		json_object_set_new(json_object_get(results, "params"), "grow_seconds",
				    json_real(grow_s));
		idle_sleep = pmd_poll_begin(st, backends & (1u << TB_BE_VHOST_USER), -1,
					    json_object_get(results, "params"));
		if (c->remote != NULL) /* the other machines: their hosts, versions, guests */
			json_object_set(results, "remote_hosts", c->remote);
		if (c->across_hosts && c->baseline && c->remote == NULL && !tb_stop_signal()) {
			json_object_set_new(results, "baseline", baseline_measure(st, dir, 5));
			res_write(dir, results);
		}
		tb_info("simulate: %d step(s) x %d run(s) per backend, %d s each (iperf %d s, "
			"mtr %d cycles), results in %s", c->n_steps, c->repeat,
			c->duration_s > sim_mtr_cycles(c) ? c->duration_s : sim_mtr_cycles(c),
			c->duration_s, sim_mtr_cycles(c), dir);
		failed = measure(dir, st, c, backends, results);
		pmd_poll_end(st, idle_sleep);
		if (report(dir, results) < 0)
			ret = -EIO;
		*out = results;
	}
	if (!c->keep) {
		tb_info("removing the guests simulate added (--keep leaves them)");
		if (sim_shrink(st, &mark) > 0 && ret == 0) {
			/* what was left is said above and kept in the journal for `down` */
			snprintf(err, errlen, "simulate: the guests it added were not all removed: "
				 "run ./testbed down --instance %s", c->instance);
			ret = -EIO;
		}
	}
	json_decref(st);
	json_decref(c->remote);
	if (ret < 0)
		return ret;
	return failed;
}
