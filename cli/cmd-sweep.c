/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "log.h"
#include "pmd-poll.h"
#include "reference.h"
#include "report.h"
#include "results.h"
#include "state.h"
#include "sweep-run.h"

#define MAX_SIZES 40

/* Client = the backend's guest 0, server = its guest 1, as recorded by `up`. */
static int
pick_pairs(struct sw_run *r, unsigned int want, char *err, size_t errlen)
{
	json_t *guests = json_object_get(r->st, "guests"), *g;
	unsigned int up = 0;
	size_t i;
	int be;

	json_array_foreach(guests, i, g) {
		be = tb_backend_from_name(json_string_value(json_object_get(g, "backend")));
		int idx = json_integer_value(json_object_get(g, "index"));
		struct sw_pair *p;

		if (be < 0 || idx > 1)
			continue;
		p = &r->pair[be];
		p->be = be;
		if (idx == 0) {
			p->client = json_string_value(json_object_get(g, "name"));
			p->client_ns = json_string_value(json_object_get(g, "netns"));
			p->client_g = g;
			p->client_cpu = json_integer_value(json_object_get(g, "cpu"));
		} else {
			p->server = json_string_value(json_object_get(g, "name"));
			p->server_ns = json_string_value(json_object_get(g, "netns"));
			p->server_g = g;
			p->server_addr = json_string_value(json_object_get(g, "address"));
			p->server_cpu = json_integer_value(json_object_get(g, "cpu"));
		}
		if (p->client != NULL && p->server != NULL)
			up |= 1u << be;
	}
	if (want == 0)
		want = up;
	for (be = 0; be < TB_BE_COUNT; be++) {
		if (!(want & (1u << be)))
			continue;
		if (!(up & (1u << be))) {
			snprintf(err, errlen,
				 "backend %s has no two guests up in instance %s (run ./testbed up "
				 "--numa N --backends %s)",
				 tb_backend_name(be), r->conf->instance, tb_backend_name(be));
			return -ENOENT;
		}
		r->pair[be].used = true;
	}
	if (want == 0) {
		snprintf(err, errlen, "instance %s has no backend with two guests", r->conf->instance);
		return -ENOENT;
	}
	return 0;
}

static int
count_points(const struct sw_run *r)
{
	long sizes[MAX_SIZES];
	int t, be, n = 0, backends = 0;

	for (be = 0; be < TB_BE_COUNT; be++)
		backends += r->pair[be].used;
	for (t = 0; t < SW_N_TESTS; t++)
		if (r->conf->tests & (1u << t))
			n += sweep_sizes(r->conf, t, sizes, MAX_SIZES);
	return n * backends * r->conf->repeat;
}

/*
 * Order: test, size, repeat, backend. Backends alternate within each size, so a drift in
 * host load touches every backend alike (ABAB), and one backend's failure fails only its
 * points.
 */
static void
measure(struct sw_run *r, json_t *results)
{
	json_t *points = json_object_get(results, "points");
	long sizes[MAX_SIZES];
	int t, i, rep, be;

	for (t = 0; t < SW_N_TESTS && !sw_stop_signal(); t++) {
		int n;

		if (!(r->conf->tests & (1u << t)))
			continue;
		n = sweep_sizes(r->conf, t, sizes, MAX_SIZES);
		for (i = 0; i < n && !sw_stop_signal(); i++) {
			json_t *row[TB_BE_COUNT] = {NULL};

			for (be = 0; be < TB_BE_COUNT; be++) {
				if (!r->pair[be].used)
					continue;
				row[be] = json_pack("{s:s, s:s, s:s, s:I, s:[]}", "backend",
						    tb_backend_name(be), "scope", "same_host", "test",
						    sweep_test_name(t), "msg_size", (json_int_t)sizes[i],
						    "repeats");
				json_array_append(points, row[be]);
			}
			for (rep = 1; rep <= r->conf->repeat && !sw_stop_signal(); rep++) {
				for (be = 0; be < TB_BE_COUNT && !sw_stop_signal(); be++) {
					if (row[be] == NULL)
						continue;
					json_array_append_new(json_object_get(row[be], "repeats"),
							      sw_run_repeat(r, &r->pair[be], t,
									    sizes[i], rep));
					sw_point_summarise(row[be]);
					r->n_done++;
					sw_progress(r, row[be], rep);
					/* completed points are on disk whatever happens next */
					res_write(r->dir, results);
				}
			}
			for (be = 0; be < TB_BE_COUNT; be++)
				json_decref(row[be]);
		}
	}
}

static int
finish(struct sw_run *r, json_t *results)
{
	struct ref_table ref = {0};
	char err[512];
	json_t *p;
	size_t i;
	int ret, failed = 0;

	json_array_foreach(json_object_get(results, "points"), i, p) {
		if (json_array_size(json_object_get(p, "repeats")) == 0) {
			json_object_set_new(p, "status", json_string("failed"));
			json_object_set_new(p, "reason", json_string("not measured: stopped"));
		}
		failed += strcmp(json_string_value(json_object_get(p, "status")), "ok") != 0;
	}
	sw_results_finish(results);
	ret = res_write(r->dir, results);
	if (ret < 0) {
		tb_err("%s: cannot write results: %s", r->dir, strerror(-ret));
		return -EIO;
	}
	if (ref_load(ref_default_path(), &ref, err, sizeof(err)) < 0)
		tb_warn("reference figures not shown: %s", err);
	if (rp_write_report(r->dir, results, ref.n ? &ref : NULL, err, sizeof(err)) < 0)
		tb_warn("report: %s", err);
	ref_free(&ref);
	return failed;
}

int
cmd_sweep(int argc, char **argv)
{
	struct sweep_conf conf = SWEEP_CONF_DEFAULT;
	struct sw_run r = {.conf = &conf};
	char err[1024], run_id[128], tag[32];
	json_t *results;
	int ret, failed, idle_sleep;

	if (sweep_parse_args(argc, argv, &conf, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	ret = tb_state_load(conf.instance, &r.st);
	if (ret < 0 || strcmp(json_string_value(json_object_get(r.st, "phase")), "up") != 0) {
		tb_err("instance %s is not up: run ./testbed up --numa N first", conf.instance);
		json_decref(r.st);
		return CLI_EXIT_FAIL;
	}
	if (pick_pairs(&r, conf.backends, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		json_decref(r.st);
		return CLI_EXIT_FAIL;
	}
	snprintf(tag, sizeof(tag), "%s", __builtin_popcount(conf.tests) > 1 ? "all"
					 : sweep_test_name(__builtin_ctz(conf.tests)));
	res_run_id(tag, run_id, sizeof(run_id));
	if (res_run_dir_create(conf.out, run_id, r.dir, sizeof(r.dir), err, sizeof(err)) < 0) {
		tb_err("--out %s: %s", conf.out, err);
		json_decref(r.st);
		return CLI_EXIT_FAIL;
	}
	results = sw_results_new(&r, run_id);
	r.n_total = count_points(&r);
	tb_info("sweep %s: %d points, results in %s", tag, r.n_total, r.dir);
	sw_catch_signals();
	idle_sleep = pmd_poll_begin(r.st, r.pair[TB_BE_VHOST_USER].used, conf.pmd_maxsleep_us,
				    json_object_get(results, "params"));
	ret = sw_servers_start(&r);
	if (ret == 0) {
		sw_run_start_clock(&r);
		measure(&r, results);
	}
	sw_servers_stop(&r);
	pmd_poll_end(r.st, idle_sleep);
	failed = finish(&r, results);
	if (tb_log_json()) {
		json_dumpf(results, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else {
		printf("%s\n", r.dir);
	}
	json_decref(results);
	json_decref(r.st);
	if (sw_stop_signal())
		return 128 + sw_stop_signal();
	if (ret < 0 || failed != 0) {
		if (failed > 0)
			tb_err("%d of the sweep's points failed (see %s/results.json)", failed, r.dir);
		return CLI_EXIT_FAIL;
	}
	return 0;
}
