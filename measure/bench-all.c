/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `testbed bench all`: every backend this host runs, brought up, measured by the benches, down
 * again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend-support.h"
#include "bench-all.h"
#include "fsutil.h"
#include "log.h"
#include "profile.h"
#include "report.h"
#include "results.h"
#include "run-info.h"
#include "runcmd.h"
#include "state.h"
#include "stop.h"
#include "topology.h"


struct ball_run;
static int results_write(struct ball_run *r);

struct ball_run {
	const struct ball_conf *conf;
	char self[512], dir[4096], numa[16];
	json_t *results, *steps;
	unsigned int measure; /* backends to bring up (or up already) */
	bool reused;	      /* the instance was up before: leave it as it is */
};

/*
 * This program again with args, stdout to dir/raw/<step>.txt (its last line names the run
 * directory a bench made), stderr passed through so the user sees progress. Its exit status,
 * or a negative errno.
 */
static int
run_step(struct ball_run *r, const char *step, const char *const *args, char *last, size_t len)
{
	const char *argv[32];
	char rel[64], path[4200], *out = NULL, *p;
	size_t n = 0, olen = 0;
	int st;

	argv[n++] = r->self;
	while (*args != NULL && n < sizeof(argv) / sizeof(argv[0]) - 1)
		argv[n++] = *args++;
	argv[n] = NULL;
	snprintf(rel, sizeof(rel), "raw/%s.txt", step);
	res_write_text(r->dir, rel, ""); /* makes raw/ */
	snprintf(path, sizeof(path), "%s/%s", r->dir, rel);
	/* Ctrl-C reaches the child too (same process group): it finishes up, we wait */
	st = tb_run_step(argv, path);
	if (st < 0)
		return st;
	last[0] = '\0';
	if (tb_read_file(path, &out, &olen) == 0) {
		while (olen > 0 && out[olen - 1] == '\n')
			out[--olen] = '\0';
		p = strrchr(out, '\n');
		snprintf(last, len, "%s", p != NULL ? p + 1 : out);
		free(out);
	}
	return st;
}

static void
step_record(struct ball_run *r, const char *step, int status, const char *last)
{
	json_t *s = json_pack("{s:s, s:i, s:s}", "status", status == 0 ? "ok" : "failed",
			      "exit", status, "output", "raw/");

	json_object_set_new(s, "output",
			    json_sprintf("raw/%s.txt", step));
	/* a bench prints its run directory last: a subdirectory of ours */
	if (last != NULL && strncmp(last, r->dir, strlen(r->dir)) == 0 &&
	    last[strlen(r->dir)] == '/')
		json_object_set_new(s, "run_dir", json_string(last + strlen(r->dir) + 1));
	if (status != 0)
		json_object_set_new(s, "reason",
				    json_sprintf(status > 128 ? "stopped by signal %d"
							      : "exit status %d; see raw/%s.txt and "
								"its run directory",
						 status > 128 ? status - 128 : status, step));
	json_object_set_new(r->steps, step, s);
	results_write(r);
}

/* results.json, and results.csv: a row per backend (whether it runs here, and why); -EIO
 * (said) when they could not be written. */
static int
results_write(struct ball_run *r)
{
	int ret = 0;

	char *json = json_dumps(r->results, JSON_INDENT(2)), *csv = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&csv, &len);
	json_t *b;

	if (json != NULL && f != NULL) {
		fputs("backend,runs,measured,why\n", f);
		json_array_foreach(json_object_get(r->results, "backends"), i, b) {
			res_csv_str(f, json_string_value(json_object_get(b, "backend")));
			fprintf(f, ",%s,%s,", json_is_true(json_object_get(b, "runs")) ? "yes" : "no",
				json_is_true(json_object_get(b, "measured")) ? "yes" : "no");
			res_csv_str(f, json_string_value(json_object_get(b, "why")));
			fputc('\n', f);
		}
	}
	if (f != NULL)
		fclose(f);
	if (json == NULL || csv == NULL || res_write_text(r->dir, "results.json", json) < 0 ||
	    res_write_text(r->dir, "results.csv", csv) < 0) {
		tb_err("%s: cannot write results", r->dir);
		ret = -EIO;
	}
	free(json);
	free(csv);
	return ret;
}

/* Which backends run here for the profile's guests (all of them, with the reasons). */
static void
backends_probe(struct ball_run *r, bool vms, json_t *st)
{
	json_t *list = json_array(), *up = json_object_get(json_object_get(st, "config"),
							      "backends");
	char why[600];
	int be;

	for (be = 0; be < TB_BE_COUNT; be++) {
		bool runs = up_backend_runs(be, vms, why, sizeof(why)), measured;

		if (runs && be == TB_BE_VHOST_USER &&
		    (tb_tool_path("ovs-vswitchd-dpdk") == NULL || tb_tool_path("ovsdb-server") == NULL)) {
			runs = false;
			snprintf(why, sizeof(why), "OVS-DPDK not installed (scripts/install-deps.sh)");
		}
		if (r->reused) {
			size_t i;
			json_t *b;

			measured = false;
			json_array_foreach(up, i, b)
				measured |= strcmp(json_string_value(b) ?: "", tb_backend_name(be)) == 0;
		} else {
			measured = runs;
		}
		if (measured)
			r->measure |= 1u << be;
		json_array_append_new(list, json_pack("{s:s, s:b, s:b, s:s}", "backend",
						      tb_backend_name(be), "runs", runs, "measured",
						      measured, "why", why));
		tb_info("backend %-10s %s: %s", tb_backend_name(be),
			measured ? "measured" : runs ? "runs, not up" : "left out", why);
	}
	json_object_set_new(r->results, "backends", list);
}

static void
backend_list(unsigned int mask, char *buf, size_t len)
{
	size_t off = 0;
	int be;

	buf[0] = '\0';
	for (be = 0; be < TB_BE_COUNT; be++)
		if (mask & (1u << be))
			off += snprintf(buf + off, off < len ? len - off : 0, "%s%s", off ? "," : "",
					tb_backend_name(be));
}

/* bench net or bench ebpf with the options given to bench all. */
static int
bench(struct ball_run *r, const char *which)
{
	const struct ball_conf *c = r->conf;
	char t[16], rep[16], last[4200];
	const char *a[20];
	int n = 0, ret;

	a[n++] = "bench";
	a[n++] = which;
	a[n++] = "--instance";
	a[n++] = c->instance;
	a[n++] = "--out";
	a[n++] = r->dir;
	if (c->time_s > 0) {
		snprintf(t, sizeof(t), "%d", c->time_s);
		a[n++] = "--time";
		a[n++] = t;
	}
	if (c->repeat > 0) {
		snprintf(rep, sizeof(rep), "%d", c->repeat);
		a[n++] = "--repeat";
		a[n++] = rep;
	}
	if (c->tests != NULL && strcmp(which, "net") == 0) {
		a[n++] = "--tests";
		a[n++] = c->tests;
	}
	a[n] = NULL;
	tb_info("bench all: bench %s", which);
	ret = run_step(r, which, a, last, sizeof(last));
	step_record(r, which, ret, last);
	return ret;
}

static int
bring_up(struct ball_run *r)
{
	const struct ball_conf *c = r->conf;
	char list[256], guests[16], last[4200];
	int ret;

	backend_list(r->measure, list, sizeof(list));
	snprintf(guests, sizeof(guests), "%d", c->guests);
	tb_info("bench all: up --backends %s", list);
	ret = run_step(r, "up",
		       (const char *[]){"up", "--numa", r->numa, "--backends", list, "--guests",
					guests, "--profile", c->profile, "--instance", c->instance,
					NULL},
		       last, sizeof(last));
	step_record(r, "up", ret, NULL);
	return ret;
}

static int
take_down(struct ball_run *r)
{
	char last[4200];
	int ret = run_step(r, "down", (const char *[]){"down", "--instance", r->conf->instance,
						       NULL},
			   last, sizeof(last));

	step_record(r, "down", ret, NULL);
	if (ret != 0)
		tb_err("bench all: instance %s was not fully removed: run ./testbed down "
		       "--instance %s", r->conf->instance, r->conf->instance);
	return ret;
}

static int
first_node(char *buf, size_t len)
{
	struct topo t;

	if (topo_load(&t) < 0 || t.n_nodes < 1)
		return -EIO;
	snprintf(buf, len, "%d", t.node[0].id);
	return 0;
}

int
ball_measure(const struct ball_conf *conf, const struct vm_profile *prof, char *dir, size_t dirlen)
{
	struct ball_run r = {.conf = conf};
	char err[1024], run_id[128], when[32];
	json_t *st = NULL;
	int ret = 0, failed = 0;
	ssize_t len;

	len = readlink("/proc/self/exe", r.self, sizeof(r.self) - 1);
	if (len <= 0) {
		tb_err("cannot find this program (/proc/self/exe) to run the benches");
		return -ENOENT;
	}
	r.self[len] = '\0';
	if (conf->numa >= 0)
		snprintf(r.numa, sizeof(r.numa), "%d", conf->numa);
	else if (first_node(r.numa, sizeof(r.numa)) < 0) {
		tb_err("cannot read the CPU topology (hwloc) for a NUMA node: give --numa N");
		return -ENODEV;
	}
	if (tb_state_load(conf->instance, &st) == 0 &&
	    strcmp(json_string_value(json_object_get(st, "phase")) ?: "", "up") == 0) {
		r.reused = true;
		tb_info("bench all: instance %s is up: measuring the backends it has, leaving it up",
			conf->instance);
	}
	res_run_id("bench-all", run_id, sizeof(run_id));
	if (res_run_dir_create(conf->out, run_id, r.dir, sizeof(r.dir), err, sizeof(err)) < 0) {
		tb_err("--out %s: %s", conf->out, err);
		json_decref(st);
		return -EIO;
	}
	snprintf(dir, dirlen, "%s", r.dir);
	ri_iso_now(when, sizeof(when));
	r.steps = json_object();
	r.results = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:o, s:o, s:o}", "schema",
			      RES_SCHEMA, "kind", "bench-all", "run_id", run_id, "instance",
			      conf->instance, "profile", prof->name, "guest_kind",
			      vm_kind_name(prof->kind), "instance_reused", r.reused, "started", when,
			      "host", ri_host_json(), "versions", ri_versions_json(), "steps",
			      json_incref(r.steps));
	json_decref(r.steps);
	backends_probe(&r, prof->kind == VM_KIND_QEMU, st);
	json_decref(st);
	results_write(&r);
	tb_stop_catch();
	if (r.measure == 0) {
		tb_err("no backend runs here (see %s/results.json)", r.dir);
		ret = -ENOTSUP;
	}
	if (ret == 0 && !r.reused && bring_up(&r) != 0)
		ret = -EIO;
	if (ret == 0 && !tb_stop_signal())
		failed += bench(&r, "net") != 0;
	if (ret == 0 && !tb_stop_signal() && conf->ebpf && (r.measure & (1u << TB_BE_BRIDGE)))
		failed += bench(&r, "ebpf") != 0;
	if (!r.reused && !conf->keep && json_object_get(r.steps, "up") != NULL)
		failed += take_down(&r) != 0;
	ri_iso_now(when, sizeof(when));
	json_object_set_new(r.results, "finished", json_string(when));
	json_object_set_new(json_object_get(r.results, "host"), "loadavg_end", ri_loadavg());
	failed += results_write(&r) < 0;
	if (rp_write_all_report(r.dir, r.results, err, sizeof(err)) < 0) {
		tb_err("report: %s", err);
		failed++;
	}
	json_decref(r.results);
	return ret < 0 ? ret : failed;
}
