/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `testbed bench net`: the tests of related studies on an instance that is up, per backend
 * and direction, in the run-directory layout of `sweep`. Servers (iperf3 -s, sockperf
 * server UDP and TCP) run in each backend's guest 1; clients in its guest 0 (guest to
 * guest) and in the instance's host namespace (host to guest). Every case of a test runs
 * for every backend and direction in turn (ABAB), --repeat rounds.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "bench-net.h"
#include "bench-runner.h"
#include "clock.h"
#include "guest-cmd.h"
#include "hosts.h"
#include "log.h"
#include "names.h"
#include "netcmd.h"
#include "pmd-poll.h"
#include "report.h"
#include "results.h"
#include "run-info.h"
#include "runcmd.h"
#include "state.h"
#include "stop.h"

#define MAX_PAIRS (TB_BE_COUNT * BNET_N_DIRS)

struct bnet_pair {
	enum tb_backend be;
	enum bnet_dir dir;
	json_t *client_g, *server_g; /* state entries; a host's is made up (owned) */
	const char *client, *server, *server_addr;
	char raw[48]; /* raw/<backend> */
	char na[200]; /* not applicable: why ("" when it is) */
};

/* The host namespace's address in a kernel backend's subnet (host to guest). */
struct bnet_haddr {
	char ns[64], dev[32], cidr[40];
	bool added;
};

struct bnet_run {
	const struct bnet_conf *conf;
	json_t *st, *results;
	char dir[4096], self[512];
	struct bnet_pair pair[MAX_PAIRS];
	int n_pairs;
	struct mrun_servers srv;
	struct bnet_haddr haddr[TB_BE_COUNT];
	struct mrun_progress prog;
};

static bool
want_tools(const struct bnet_conf *c, const char **missing)
{
	static const struct {
		const char *tool;
		unsigned int tests;
	} need[] = {
		{"iperf3", (1u << BNET_THROUGHPUT) | (1u << BNET_PPS)},
		{"ping", 1u << BNET_LATENCY},
		{"sockperf", (1u << BNET_LATENCY) | (1u << BNET_RR)},
		{"ip", ~0u},
		{"taskset", ~0u},
	};
	size_t i;

	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if ((c->tests & need[i].tests) && tb_tool_path(need[i].tool) == NULL) {
			*missing = need[i].tool;
			return false;
		}
	}
	return true;
}

/* The host namespace as a netns "guest" so guest_cmd runs the client there, pinned. */
static json_t *
host_client(json_t *st, const char *inst, json_t *server_g)
{
	int h = (int)json_integer_value(json_object_get(server_g, "host"));
	char tag[16], ns[64];

	tb_host_tag(h, tag, sizeof(tag));
	tb_ns_name(ns, sizeof(ns), inst, tag);
	return json_pack(
		"{s:s, s:s, s:s, s:I}", "kind", "netns", "name", tag, "netns", ns, "cpu",
		json_integer_value(json_object_get(json_object_get(st, "plan"), "housekeeping")));
}

/* Guest 0 and its same-host peer per backend (as sweep pairs them), both directions. */
static int
pick_pairs(struct bnet_run *r, char *err, size_t errlen)
{
	struct guest_table t;
	int n_hosts = tb_state_hosts(r->st), be, d;
	unsigned int want = r->conf->backends;
	json_t *client, *server;

	guest_table_fill(&t, r->st);
	if (want == 0)
		for (be = 0; be < TB_BE_COUNT; be++)
			if (t.n[be] >= 2)
				want |= 1u << be;
	for (be = 0; be < TB_BE_COUNT; be++) {
		if (!(want & (1u << be)))
			continue;
		if (guest_table_pair(&t, be, n_hosts, TB_SCOPE_SAME_HOST, &client, &server) < 0) {
			guest_pair_missing(be, n_hosts, r->conf->instance, err, errlen);
			return -ENOENT;
		}
		for (d = 0; d < BNET_N_DIRS; d++) {
			struct bnet_pair *p = &r->pair[r->n_pairs++];

			memset(p, 0, sizeof(*p));
			p->be = be;
			p->dir = d;
			p->server_g = server;
			p->server = json_string_value(json_object_get(p->server_g, "name"));
			p->server_addr = json_string_value(json_object_get(p->server_g, "address"));
			snprintf(p->raw, sizeof(p->raw), "raw/%s", tb_backend_name(be));
			if (d == BNET_G2G) {
				p->client_g = json_incref(client);
			} else {
				p->client_g = host_client(r->st, r->conf->instance, p->server_g);
				if (be == TB_BE_VHOST_USER)
					snprintf(p->na, sizeof(p->na),
						 "not applicable: the host has no interface on the "
						 "vhost-user switch");
			}
			p->client = json_string_value(json_object_get(p->client_g, "name"));
		}
	}
	if (r->n_pairs == 0) {
		snprintf(err, errlen, "instance %s has no backend with two guests",
			 r->conf->instance);
		return -ENOENT;
	}
	return 0;
}

/* Why case c cannot run on pair p, or NULL. */
static const char *
case_na(const struct bnet_pair *p, enum bnet_case c)
{
	if (p->na[0] != '\0')
		return p->na;
	if (c == BC_TCP_CRR && strcmp(guest_kind(p->client_g), "qemu") == 0)
		return "not applicable: the CRR client is testbed's own (`testbed bench crr`), "
		       "which the QEMU guest image does not carry";
	return NULL;
}

/* ---- host addresses: the host namespace reaches bridge and masquerade guests ---- */

/*
 * The host namespace sits on the kernel bridge (macvtap: has a macvlan on the guests'
 * link) but has no address in the guests' subnets (one-host instances have none at all):
 * for host to guest it gets <subnet>.254/24 there for the run, removed afterwards (and
 * with the namespace by `down`).
 */
static void
host_addrs_add(struct bnet_run *r)
{
	char e[TB_ERR_LEN], br[32];
	int k;

	for (k = 0; k < r->n_pairs; k++) {
		struct bnet_pair *p = &r->pair[k];
		struct bnet_haddr *h = &r->haddr[p->be];

		if (p->dir != BNET_H2G || p->na[0] != '\0')
			continue;
		/* macvtap guests: through the host's macvlan on their link (cli/up-relay.c) */
		if (tb_link_name(br, sizeof(br), r->conf->instance,
				 p->be == TB_BE_MACVTAP ? "mh" : "br") < 0)
			continue;
		snprintf(h->ns, sizeof(h->ns), "%s",
			 json_string_value(json_object_get(p->client_g, "netns")));
		snprintf(h->dev, sizeof(h->dev), "%s", br);
		if (bnet_host_addr(p->server_addr, h->cidr, sizeof(h->cidr)) < 0) {
			snprintf(p->na, sizeof(p->na), "no host address for server %s",
				 p->server_addr ?: "?");
			continue;
		}
		if (tb_ip(e, sizeof(e), "-n", h->ns, "addr", "add", h->cidr, "dev", br, NULL) ==
		    0) {
			h->added = true;
		} else if (strstr(e, "File exists") == NULL) {
			tb_warn("%s: host to guest not measured: %s", tb_backend_name(p->be), e);
			snprintf(p->na, sizeof(p->na), "failed: host address %s on %s: %.120s",
				 h->cidr, br, e);
		}
	}
}

static void
host_addrs_del(struct bnet_run *r)
{
	char e[TB_ERR_LEN];
	int be;

	for (be = 0; be < TB_BE_COUNT; be++) {
		if (!r->haddr[be].added)
			continue;
		if (tb_ip(e, sizeof(e), "-n", r->haddr[be].ns, "addr", "del", r->haddr[be].cidr,
			  "dev", r->haddr[be].dev, NULL) < 0 &&
		    tb_netns_exists(r->haddr[be].ns))
			tb_warn("host address %s: %s", r->haddr[be].cidr, e);
		r->haddr[be].added = false;
	}
}

/* ---- servers ---- */

/* The servers the tests of the run need. */
static bool
tests_need(const struct bnet_run *r, enum mrun_server k)
{
	unsigned int t = r->conf->tests;

	if (k == MRUN_IPERF3)
		return t & ((1u << BNET_THROUGHPUT) | (1u << BNET_PPS));
	return t & ((1u << BNET_LATENCY) | (1u << BNET_RR));
}

/* Every backend's servers in its server guest, once per backend. */
static int
servers_start(struct bnet_run *r, char *err, size_t errlen)
{
	bool started[TB_BE_COUNT] = {false};
	int k, ret;
	enum mrun_server s;

	for (k = 0; k < r->n_pairs; k++) {
		struct bnet_pair *p = &r->pair[k];

		if (started[p->be])
			continue;
		started[p->be] = true;
		for (s = 0; s < MRUN_N_SERVERS; s++) {
			if (!tests_need(r, s))
				continue;
			ret = mrun_server_start(&r->srv, r->dir, p->raw, p->server_g, s, err,
						errlen);
			if (ret < 0)
				return ret;
		}
	}
	return mrun_servers_check(&r->srv, r->dir, err, errlen);
}

/* ---- one tool call ---- */

static json_t *
run_once(struct bnet_run *r, const struct bnet_pair *p, enum bnet_case c, int rep)
{
	const struct bnet_case_info *ci = bnet_case(c);
	struct mrun_pair mp = {
		.client_g = p->client_g,
		.server_g = p->server_g,
		.client = p->client,
		.server = p->server,
		.server_addr = p->server_addr,
		.backend = tb_backend_name(p->be),
	};
	char rel[256];

	snprintf(rel, sizeof(rel), "%s/%s-%s-%s-r%d.txt", p->raw, bnet_test_name(ci->test),
		 ci->name, p->dir == BNET_G2G ? "g2g" : "h2g", rep);
	return mrun_client(r->st, &mp, c, r->conf->time_s, r->self, r->dir, rel);
}

/* ---- results ---- */

static json_t *
results_new(const struct bnet_run *r, const char *run_id)
{
	json_t *tests = json_array(), *titles = json_object(), *pairs = json_array();
	json_t *versions = ri_versions_json(), *params;
	char when[32];
	int t, k;

	for (t = 0; t < BNET_N_TESTS; t++) {
		if (!(r->conf->tests & (1u << t)))
			continue;
		json_array_append_new(tests, json_string(bnet_test_name(t)));
		json_object_set_new(titles, bnet_test_name(t), json_string(bnet_test_title(t)));
	}
	for (k = 0; k < r->n_pairs; k++) {
		const struct bnet_pair *p = &r->pair[k];

		json_array_append_new(
			pairs,
			json_pack("{s:s, s:s, s:s, s:s?, s:I, s:s, s:s, s:I}", "backend",
				  tb_backend_name(p->be), "direction", bnet_dir_name(p->dir),
				  "client", p->client, "client_netns",
				  json_string_value(json_object_get(p->client_g, "netns")),
				  "client_cpu",
				  json_integer_value(json_object_get(p->client_g, "cpu")), "server",
				  p->server, "server_address", p->server_addr, "server_cpu",
				  json_integer_value(json_object_get(p->server_g, "cpu"))));
		if (p->na[0] != '\0')
			json_object_set_new(json_array_get(pairs, json_array_size(pairs) - 1),
					    "not_applicable", json_string(p->na));
	}
	json_object_set_new(versions, "iperf3",
			    ri_tool_version((const char *[]){"iperf3", "--version", NULL}));
	json_object_set_new(versions, "sockperf",
			    ri_tool_version((const char *[]){"sockperf", "--version", NULL}));
	json_object_set_new(versions, "ping",
			    ri_tool_version((const char *[]){"ping", "-V", NULL}));
	params = json_pack("{s:i, s:i, s:O, s:[i, i, i, i], s:s, s:i, s:s, s:{s:s, s:s, s:s}}",
			   "time_s", r->conf->time_s, "repeat", r->conf->repeat, "tests", tests,
			   "pps_sizes", 64, 128, 256, 512, "ping_interval_s", BNET_PING_INTERVAL,
			   "p8_streams", 8, "percentiles",
			   "nearest rank: the ceil(p/100 x n)-th smallest observation (no "
			   "interpolation); jitter = P99 - P50",
			   "ports", "iperf3", BNET_IPERF3_PORT, "sockperf_udp",
			   BNET_SOCKPERF_UDP_PORT, "sockperf_tcp", BNET_SOCKPERF_TCP_PORT);
	ri_iso_now(when, sizeof(when));
	return json_pack(
		"{s:i, s:s, s:s, s:o, s:o, s:s, s:o, s:{s:O, s:O, s:O, s:O, s:s, s:b, "
		"s:i, s:o}, s:o, s:o, s:[]}",
		"schema", RES_SCHEMA, "kind", "bench-net", "run_id", run_id, "tests", tests,
		"test_titles", titles, "started", when, "host", ri_host_json(), "testbed",
		"instance", json_object_get(r->st, "instance"), "config",
		json_object_get(r->st, "config"), "plan", json_object_get(r->st, "plan"), "switch",
		json_object_get(r->st, "switch") ?: json_null(), "guest_kind",
		json_string_value(json_object_get(json_object_get(r->st, "config"), "guest_kind"))
			?: "netns",
		"oversubscribed",
		json_is_true(json_object_get(json_object_get(r->st, "plan"), "oversubscribed")),
		"hosts", tb_state_hosts(r->st), "pairs", pairs, "versions", versions, "params",
		params, "points");
}

/* Every point, in the order they run: test, case, then backend and direction. */
static void
points_new(struct bnet_run *r, json_t *row[BC_N][MAX_PAIRS])
{
	json_t *points = json_object_get(r->results, "points");
	int c, k, m;

	for (c = 0; c < BC_N; c++) {
		const struct bnet_case_info *ci = bnet_case(c);
		char method[700];

		if (!(r->conf->tests & (1u << ci->test)))
			continue;
		bnet_method(c, r->conf->time_s, method, sizeof(method));
		for (k = 0; k < r->n_pairs; k++) {
			const struct bnet_pair *p = &r->pair[k];
			const char *na = case_na(p, c);
			json_t *metrics = json_array();

			for (m = 0; m < ci->n_metrics; m++)
				json_array_append_new(metrics,
						      json_pack("{s:s, s:s, s:s}", "key",
								ci->metric[m].key, "unit",
								ci->metric[m].unit, "label",
								ci->metric[m].label));
			row[c][k] =
				json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:[]}",
					  "backend", tb_backend_name(p->be), "direction",
					  bnet_dir_name(p->dir), "test", bnet_test_name(ci->test),
					  "case", ci->name, "label", ci->label, "method", method,
					  "metrics", metrics, "status", na ? "n/a" : "failed",
					  "reason", na ? na : "not measured", "repeats");
			if (ci->msg_size > 0 && ci->test == BNET_PPS)
				json_object_set_new(row[c][k], "msg_size",
						    json_integer(ci->msg_size));
			json_array_append_new(points, row[c][k]);
			if (na == NULL)
				r->prog.n_total += r->conf->repeat;
		}
	}
}

static void
progress(struct bnet_run *r, const struct bnet_pair *p, enum bnet_case c, json_t *rj, int rep)
{
	const struct bnet_case_info *ci = bnet_case(c);
	char what[200];

	snprintf(what, sizeof(what), "%-10s %-14s %-10s %-11s r%d", tb_backend_name(p->be),
		 bnet_dir_name(p->dir), bnet_test_name(ci->test), ci->name, rep);
	mrun_progress_step(&r->prog, what, c, rj);
}

static void
measure(struct bnet_run *r, json_t *row[BC_N][MAX_PAIRS])
{
	int c, rep, k;

	for (c = 0; c < BC_N && !tb_stop_signal(); c++) {
		if (!(r->conf->tests & (1u << bnet_case(c)->test)))
			continue;
		for (rep = 1; rep <= r->conf->repeat && !tb_stop_signal(); rep++) {
			for (k = 0; k < r->n_pairs && !tb_stop_signal(); k++) {
				json_t *rj;

				if (case_na(&r->pair[k], c) != NULL)
					continue;
				rj = run_once(r, &r->pair[k], c, rep);
				if (tb_stop_signal()) {
					/* Ctrl-C reached the tool too: its output is cut short */
					json_decref(rj);
					break;
				}
				json_array_append_new(json_object_get(row[c][k], "repeats"), rj);
				bnet_point_summarise(row[c][k]);
				progress(r, &r->pair[k], c, rj, rep);
				/* completed points are on disk whatever happens next */
				rp_write_net_results(r->dir, r->results);
			}
		}
	}
}

static int
finish(struct bnet_run *r)
{
	char err[512], when[32];
	json_t *p;
	size_t i;
	int failed = 0, ret;

	json_array_foreach(json_object_get(r->results, "points"), i, p) {
		const char *st = json_string_value(json_object_get(p, "status"));

		if (strcmp(st, "n/a") != 0 && json_array_size(json_object_get(p, "repeats")) == 0) {
			json_object_set_new(p, "status", json_string("failed"));
			json_object_set_new(p, "reason",
					    json_string(tb_stop_signal() ? "not measured: stopped"
									 : "not measured"));
		}
		st = json_string_value(json_object_get(p, "status"));
		failed += strcmp(st, "failed") == 0;
	}
	ri_iso_now(when, sizeof(when));
	json_object_set_new(r->results, "finished", json_string(when));
	json_object_set_new(json_object_get(r->results, "host"), "loadavg_end", ri_loadavg());
	ret = rp_write_net_results(r->dir, r->results);
	if (ret < 0) {
		tb_err("%s: cannot write results: %s", r->dir, strerror(-ret));
		return -EIO;
	}
	if (rp_write_net_report(r->dir, r->results, err, sizeof(err)) < 0)
		tb_warn("report: %s", err);
	return failed;
}

int
bnet_measure(const struct bnet_conf *conf, json_t **out, char *dir, size_t dirlen)
{
	static json_t *row[BC_N][MAX_PAIRS];
	struct bnet_run r = {.conf = conf};
	char err[1024], run_id[128];
	const char *missing = NULL;
	int ret, failed, idle_sleep, k;

	*out = NULL;
	if (!want_tools(conf, &missing)) {
		tb_err("%s not found: run scripts/install-deps.sh", missing);
		return -ENOENT;
	}
	ret = mrun_self_and_state(conf->instance, "the CRR client", r.self, sizeof(r.self), &r.st);
	if (ret < 0)
		return ret;
	ret = pick_pairs(&r, err, sizeof(err));
	if (ret < 0) {
		tb_err("%s", err);
		goto out_state;
	}
	ret = mrun_run_dir(conf->out, "bench-net", run_id, sizeof(run_id), r.dir, sizeof(r.dir));
	if (ret < 0)
		goto out_state;
	snprintf(dir, dirlen, "%s", r.dir);
	host_addrs_add(&r);
	r.results = results_new(&r, run_id);
	memset(row, 0, sizeof(row));
	points_new(&r, row);
	rp_write_net_results(r.dir, r.results);
	tb_info("bench net: instance %s, %d measurements of %d s, results in %s", conf->instance,
		r.prog.n_total, conf->time_s, r.dir);
	/* pairs go backend by backend, vhost-user first when it is measured */
	idle_sleep = pmd_poll_begin(r.st, r.pair[0].be == TB_BE_VHOST_USER, -1,
				    json_object_get(r.results, "params"));
	ret = servers_start(&r, err, sizeof(err));
	if (ret == 0) {
		r.prog.t_start = tb_now_s();
		measure(&r, row);
	} else {
		tb_err("%s", err);
	}
	mrun_servers_stop(&r.srv);
	pmd_poll_end(r.st, idle_sleep);
	host_addrs_del(&r);
	failed = finish(&r);
	*out = r.results;
	if (failed != 0)
		ret = failed;
out_state:
	for (k = 0; k < r.n_pairs; k++)
		json_decref(r.pair[k].client_g);
	json_decref(r.st);
	return ret;
}
