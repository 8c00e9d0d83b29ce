/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `testbed bench ebpf`: the cost of an empty eBPF program on the bridge path (bench-ebpf.h),
 * in the run-directory layout of `bench net`. Guest 0 -> guest 1 of the bridge backend;
 * the programs sit on the ingress of both guests' host-side ports (tb<inst>b<idx>, in the
 * host namespace), so data and acknowledgements each pass one. Servers (iperf3 -s, sockperf
 * server --tcp) run in guest 1 for the whole run.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-ebpf.h"
#include "bench-net.h"
#include "bench-runner.h"
#include "bpf-hook.h"
#include "clock.h"
#include "guest-cmd.h"
#include "hosts.h"
#include "log.h"
#include "names.h"
#include "netcmd.h"
#include "report.h"
#include "results.h"
#include "run-info.h"
#include "runcmd.h"
#include "state.h"
#include "stop.h"

#define N_CASES 2
#define N_PORTS 2
#define BACKEND "bridge"

static const enum bnet_case cases[N_CASES] = {BC_TCP, BC_LAT_TCP};

struct bebpf_port {
	char ns[64], link[32];
	const char *guest, *role;
};

struct bebpf_variant {
	enum bh_mode mode;
	json_t *vj;		/* its entry in results "variants" */
	json_t *point[N_CASES]; /* its points (in results "points") */
	bool na;
};

struct bebpf_run {
	const struct bebpf_conf *conf;
	json_t *st, *results;
	json_t *client_g, *server_g; /* state entries */
	const char *client, *server, *server_addr;
	char dir[4096];
	struct bebpf_port port[N_PORTS];
	struct bebpf_variant var[BH_N_MODES];
	int n_var;
	struct mrun_servers srv;
	struct mrun_progress prog;
};

/* ---- the instance: two bridge guests and their ports ---- */

static int
pick_guests(struct bebpf_run *r, char *err, size_t errlen)
{
	struct guest_table t;
	int n_hosts = tb_state_hosts(r->st);
	const char *inst = r->conf->instance;
	int k;

	guest_table_fill(&t, r->st);
	if (guest_table_pair(&t, TB_BE_BRIDGE, n_hosts, TB_SCOPE_SAME_HOST, &r->client_g,
			     &r->server_g) < 0) {
		guest_pair_missing(TB_BE_BRIDGE, n_hosts, inst, err, errlen);
		return -ENOENT;
	}
	r->client = json_string_value(json_object_get(r->client_g, "name"));
	r->server = json_string_value(json_object_get(r->server_g, "name"));
	r->server_addr = json_string_value(json_object_get(r->server_g, "address"));
	if (r->client == NULL || r->server == NULL || r->server_addr == NULL) {
		snprintf(err, errlen,
			 "instance %s: the state's bridge guests lack a name or address", inst);
		return -EINVAL;
	}
	/* the host side of each guest's link on the bridge, as cli/up-kernel.c names it */
	for (k = 0; k < N_PORTS; k++) {
		struct bebpf_port *p = &r->port[k];
		json_t *gj = k == 0 ? r->client_g : r->server_g;
		int h = (int)json_integer_value(json_object_get(gj, "host"));
		char tag[16], sfx[16];

		tb_host_tag(h, tag, sizeof(tag));
		snprintf(sfx, sizeof(sfx), "b%d",
			 (int)json_integer_value(json_object_get(gj, "index")));
		p->guest = k == 0 ? r->client : r->server;
		p->role = k == 0 ? "client" : "server";
		if (tb_ns_name(p->ns, sizeof(p->ns), inst, tag) < 0 ||
		    tb_link_name(p->link, sizeof(p->link), inst, sfx) < 0) {
			snprintf(err, errlen, "instance %s: port names do not fit", inst);
			return -ENAMETOOLONG;
		}
		if (!tb_link_exists(p->ns, p->link)) {
			snprintf(err, errlen,
				 "bridge port %s of guest %s not found in namespace %s (run "
				 "./testbed down --instance %s, then up again)",
				 p->link, p->guest, p->ns, inst);
			return -ENODEV;
		}
	}
	return 0;
}

/* ---- hooks ---- */

/* Whatever any mode left on both ports goes (idempotent); the first error in err. */
static int
hooks_clear(struct bebpf_run *r, char *err, size_t errlen)
{
	char e[BH_ERR_LEN];
	int k, ret, first = 0;

	for (k = 0; k < N_PORTS; k++) {
		ret = bh_detach_all(r->port[k].ns, r->port[k].link, e, sizeof(e));
		if (ret < 0 && first == 0) {
			first = ret;
			snprintf(err, errlen, "%s", e);
		}
	}
	return first;
}

static json_t *
port_json(const struct bebpf_port *p, const struct bh_info *in)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:I, s:s}", "port", p->link, "netns", p->ns, "guest",
			 p->guest, "ifindex", in->ifindex, "prog_id", (json_int_t)in->prog_id,
			 "attached", in->attached);
}

/*
 * The variant's program on both ports, checked with a query of its own: the program the
 * attach loaded, in the mode asked for. none: nothing of ours on either port. The ports as
 * found go into att; why and *refused (the device said no to the mode) on failure.
 */
static int
hooks_on(struct bebpf_run *r, enum bh_mode mode, json_t *att, char *why, size_t len, bool *refused)
{
	char e[BH_ERR_LEN];
	struct bh_info a, q;
	int k, ret;

	*refused = false;
	for (k = 0; k < N_PORTS; k++) {
		const struct bebpf_port *p = &r->port[k];

		if (mode != BH_NONE) {
			ret = bh_attach(p->ns, p->link, mode, &a, e, sizeof(e));
			if (ret < 0) {
				*refused = a.refused;
				snprintf(why, len, "%s", e);
				return ret;
			}
		}
		ret = bh_query(p->ns, p->link, mode, &q, e, sizeof(e));
		if (ret < 0) {
			snprintf(why, len, "%s", e);
			return ret;
		}
		json_array_append_new(att, port_json(p, &q));
		if (mode == BH_NONE && q.prog_id != 0) {
			snprintf(why, len, "%s: program %u is attached (%s) where none should be",
				 p->link, q.prog_id, q.attached);
			return -EEXIST;
		}
		if (mode != BH_NONE &&
		    (q.prog_id != a.prog_id || strcmp(q.attached, bh_mode_attached(mode)) != 0)) {
			snprintf(why, len,
				 "%s: attached program %u in %s mode, but the query shows program "
				 "%u (%s)",
				 p->link, a.prog_id, bh_mode_attached(mode), q.prog_id, q.attached);
			return -EIO;
		}
	}
	return 0;
}

/* The variant's program off both ports, and checked gone. */
static int
hooks_off(struct bebpf_run *r, enum bh_mode mode, char *why, size_t len)
{
	char e[BH_ERR_LEN];
	struct bh_info q;
	int k, ret;

	for (k = 0; k < N_PORTS; k++) {
		const struct bebpf_port *p = &r->port[k];

		ret = bh_detach(p->ns, p->link, mode, e, sizeof(e));
		if (ret == 0)
			ret = bh_query(p->ns, p->link, BH_NONE, &q, e, sizeof(e));
		if (ret == 0 && q.prog_id != 0) {
			snprintf(e, sizeof(e), "%s: program %u still attached (%s) after detach",
				 p->link, q.prog_id, q.attached);
			ret = -EBUSY;
		}
		if (ret < 0) {
			snprintf(why, len, "%s", e);
			return ret;
		}
	}
	return 0;
}

/* ---- servers and clients ---- */

static int
servers_start(struct bebpf_run *r, char *err, size_t errlen)
{
	int ret = mrun_server_start(&r->srv, r->dir, "raw", r->server_g, MRUN_IPERF3, err, errlen);

	if (ret == 0)
		ret = mrun_server_start(&r->srv, r->dir, "raw", r->server_g, MRUN_SOCKPERF_TCP, err,
					errlen);
	if (ret == 0)
		ret = mrun_servers_check(&r->srv, r->dir, err, errlen);
	return ret;
}

/* Case c from guest 0 to guest 1, its output kept as rel: {"raw", "status", metrics...}. */
static json_t *
run_once(struct bebpf_run *r, enum bnet_case c, const char *rel)
{
	struct mrun_pair mp = {
		.client_g = r->client_g,
		.server_g = r->server_g,
		.client = r->client,
		.server = r->server,
		.server_addr = r->server_addr,
		.backend = BACKEND,
	};

	return mrun_client(r->st, &mp, c, r->conf->time_s, NULL, r->dir, rel);
}

/* ---- results ---- */

static json_t *
placement_json(const struct bebpf_run *r)
{
	json_t *ports = json_array();
	int k;

	for (k = 0; k < N_PORTS; k++)
		json_array_append_new(ports,
				      json_pack("{s:s, s:s, s:s, s:s}", "port", r->port[k].link,
						"netns", r->port[k].ns, "guest", r->port[k].guest,
						"role", r->port[k].role));
	return json_pack("{s:s, s:o, s:s, s:s, s:{s:s, s:i, s:i, s:b}, s:{s:s, s:s}}", "path",
			 "guest 0 -> kernel bridge -> guest 1", "ports", ports, "direction",
			 "ingress", "why",
			 "the host-side port of each guest's link on the bridge: data enters the "
			 "bridge through the client's port, acknowledgements and replies through "
			 "the server's",
			 "tc", "hook", "clsact", "handle", BH_TC_HANDLE, "priority", BH_TC_PRIORITY,
			 "direct_action", 1, "programs", "tc", bh_prog_text(BH_TC), "xdp",
			 bh_prog_text(BH_XDP_GENERIC));
}

static json_t *
variant_json(enum bh_mode m)
{
	static const char *const how[BH_N_MODES] = {
		"no program: nothing attached on either port",
		"BPF_PROG_TYPE_SCHED_CLS, direct-action, clsact ingress (bpf_tc_hook_create + "
		"bpf_tc_attach)",
		"BPF_PROG_TYPE_XDP, bpf_xdp_attach with XDP_FLAGS_SKB_MODE (generic XDP, on the "
		"skb)",
		"BPF_PROG_TYPE_XDP, bpf_xdp_attach with XDP_FLAGS_DRV_MODE (the device's native "
		"XDP)",
	};

	return json_pack("{s:s, s:s, s:s, s:s, s:[]}", "name", bh_mode_name(m), "program",
			 bh_prog_text(m), "attach", how[m], "status", "ok", "rounds");
}

static json_t *
results_new(const struct bebpf_run *r, const char *run_id)
{
	json_t *versions = ri_versions_json(), *variants = json_array(), *names = json_array();
	char when[32];
	int k;

	for (k = 0; k < r->n_var; k++) {
		json_array_append_new(variants, json_incref(r->var[k].vj));
		json_array_append_new(names, json_string(bh_mode_name(r->var[k].mode)));
	}
	json_object_set_new(versions, "iperf3",
			    ri_tool_version((const char *[]){"iperf3", "--version", NULL}));
	json_object_set_new(versions, "sockperf",
			    ri_tool_version((const char *[]){"sockperf", "--version", NULL}));
	json_object_set_new(versions, "libbpf", json_string(bh_libbpf_version()));
	ri_iso_now(when, sizeof(when));
	return json_pack(
		"{s:i, s:s, s:s, s:s, s:o, s:{s:O, s:O, s:O, s:s, s:b, s:{s:s, s:s?, s:I, s:s, "
		"s:s?, s:s, s:I}}, s:o, s:{s:i, s:i, s:o, s:s, s:s, s:{s:s, s:s}, s:s}, s:o, "
		"s:o, s:n, s:[]}",
		"schema", RES_SCHEMA, "kind", "bench-ebpf", "run_id", run_id, "started", when,
		"host", ri_host_json(), "testbed", "instance", json_object_get(r->st, "instance"),
		"config", json_object_get(r->st, "config"), "plan", json_object_get(r->st, "plan"),
		"guest_kind", guest_kind(r->client_g), "oversubscribed",
		json_is_true(json_object_get(json_object_get(r->st, "plan"), "oversubscribed")),
		"pair", "client", r->client, "client_netns",
		json_string_value(json_object_get(r->client_g, "netns")), "client_cpu",
		json_integer_value(json_object_get(r->client_g, "cpu")), "server", r->server,
		"server_netns", json_string_value(json_object_get(r->server_g, "netns")),
		"server_address", r->server_addr, "server_cpu",
		json_integer_value(json_object_get(r->server_g, "cpu")), "versions", versions,
		"params", "time_s", r->conf->time_s, "repeat", r->conf->repeat, "variants", names,
		"order",
		"a warm-up run with no program first (discarded), then per round every variant "
		"in order: attach on both ports, verify with a query, throughput, latency, detach",
		"delta",
		"per round the ratio variant / none of the same round; the median of those "
		"ratios over the rounds (min..max) as a change in percent",
		"ports", "iperf3", BNET_IPERF3_PORT, "sockperf_tcp", BNET_SOCKPERF_TCP_PORT,
		"percentiles",
		"nearest rank: the ceil(p/100 x n)-th smallest round trip (no interpolation)",
		"placement", placement_json(r), "variants", variants, "warmup", "points");
}

static void
points_new(struct bebpf_run *r)
{
	json_t *points = json_object_get(r->results, "points");
	int k, c, m;

	for (k = 0; k < r->n_var; k++) {
		for (c = 0; c < N_CASES; c++) {
			const struct bnet_case_info *ci = bnet_case(cases[c]);
			json_t *metrics = json_array();
			char method[700];

			bnet_method(cases[c], r->conf->time_s, method, sizeof(method));
			for (m = 0; m < ci->n_metrics; m++)
				json_array_append_new(metrics,
						      json_pack("{s:s, s:s, s:s}", "key",
								ci->metric[m].key, "unit",
								ci->metric[m].unit, "label",
								ci->metric[m].label));
			r->var[k].point[c] = json_pack(
				"{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:[]}", "variant",
				bh_mode_name(r->var[k].mode), "test", bnet_test_name(ci->test),
				"case", ci->name, "label", ci->label, "method", method, "metrics",
				metrics, "status", "failed", "reason", "not measured", "repeats");
			json_array_append_new(points, r->var[k].point[c]);
		}
	}
	r->prog.n_total = r->conf->repeat * r->n_var * N_CASES;
}

static void
deltas_update(struct bebpf_run *r)
{
	int k, c;

	for (k = 1; k < r->n_var; k++)
		for (c = 0; c < N_CASES; c++)
			if (!r->var[k].na)
				bebpf_point_delta(r->var[k].point[c], r->var[0].point[c]);
}

static void
save(struct bebpf_run *r)
{
	int ret = rp_write_ebpf_results(r->dir, r->results);

	if (ret < 0)
		tb_warn("%s: results not written: %s", r->dir, strerror(-ret));
}

static void
progress(struct bebpf_run *r, const struct bebpf_variant *v, enum bnet_case c, json_t *rj,
	 int round)
{
	char what[100];

	snprintf(what, sizeof(what), "r%d %-11s %-10s", round, bh_mode_name(v->mode),
		 bnet_test_name(bnet_case(c)->test));
	mrun_progress_step(&r->prog, what, c, rj);
}

/* ---- measuring ---- */

static void
warmup(struct bebpf_run *r)
{
	json_t *w = json_pack("{s:b, s:s, s:s, s:[]}", "discarded", 1, "variant", "none", "why",
			      "caches, ARP and TCP state warm before the first counted round",
			      "repeats");
	int c;

	json_object_set_new(r->results, "warmup", w);
	for (c = 0; c < N_CASES && !tb_stop_signal(); c++) {
		const struct bnet_case_info *ci = bnet_case(cases[c]);
		char rel[128];
		json_t *rj;

		snprintf(rel, sizeof(rel), "raw/warmup/%s-%s.txt", bnet_test_name(ci->test),
			 ci->name);
		rj = run_once(r, cases[c], rel);
		json_object_set_new(rj, "test", json_string(bnet_test_name(ci->test)));
		json_object_set_new(rj, "case", json_string(ci->name));
		json_array_append_new(json_object_get(w, "repeats"), rj);
		tb_info("warm-up %s: %s (discarded)", bnet_test_name(ci->test),
			json_string_value(json_object_get(rj, "status")));
		save(r);
	}
}

/* Every case of variant v in this round failed (or is n/a) for why. */
static void
round_lost(struct bebpf_run *r, struct bebpf_variant *v, int round, const char *why)
{
	int c;

	for (c = 0; c < N_CASES; c++) {
		if (v->na) {
			json_object_set_new(v->point[c], "status", json_string("n/a"));
			json_object_set_new(v->point[c], "reason", json_string(why));
			continue;
		}
		json_array_append_new(json_object_get(v->point[c], "repeats"),
				      json_pack("{s:i, s:s, s:s}", "round", round, "status",
						"failed", "error", why));
		bnet_point_summarise(v->point[c]);
		r->prog.n_done++;
	}
}

/* One round of one variant; < 0 only when a program could not be taken off again. */
static int
variant_round(struct bebpf_run *r, struct bebpf_variant *v, int round)
{
	char why[BH_ERR_LEN + 64], e[BH_ERR_LEN];
	json_t *att = json_array(), *rec;
	bool refused;
	size_t n_ok;
	int ret, c;

	ret = hooks_on(r, v->mode, att, why, sizeof(why), &refused);
	rec = json_pack("{s:i, s:s, s:o}", "round", round, "status", ret == 0 ? "ok" : "failed",
			"ports", att);
	json_array_append_new(json_object_get(v->vj, "rounds"), rec);
	if (ret < 0) {
		/* whatever is there goes: half an attach, or a stray program under none */
		if (hooks_clear(r, e, sizeof(e)) < 0) {
			tb_err("%s: cannot clear the bridge ports: %s", bh_mode_name(v->mode), e);
			return -EIO;
		}
		n_ok = 0;
		for (c = 0; c < N_CASES; c++)
			n_ok += json_array_size(json_object_get(v->point[c], "repeats"));
		/* a device without native XDP: not applicable here, with the kernel's reason */
		if (v->mode == BH_XDP_DRIVER && refused && n_ok == 0) {
			char na[BH_ERR_LEN + 160];

			snprintf(na, sizeof(na),
				 "not applicable: the device refused driver-mode XDP: %s", why);
			v->na = true;
			json_object_set_new(rec, "status", json_string("n/a"));
			json_object_set_new(rec, "reason", json_string(na));
			json_object_set_new(v->vj, "status", json_string("n/a"));
			json_object_set_new(v->vj, "reason", json_string(na));
			r->prog.n_total -= (r->conf->repeat - round + 1) * N_CASES;
			round_lost(r, v, round, na);
			tb_warn("xdp-driver: n/a: %s", why);
		} else {
			char fw[BH_ERR_LEN + 160];

			snprintf(fw, sizeof(fw), "hook %s: %s", bh_mode_name(v->mode), why);
			json_object_set_new(rec, "error", json_string(why));
			round_lost(r, v, round, fw);
			tb_err("round %d, %s: %s", round, bh_mode_name(v->mode), why);
		}
		save(r);
		return 0;
	}
	for (c = 0; c < N_CASES && !tb_stop_signal(); c++) {
		const struct bnet_case_info *ci = bnet_case(cases[c]);
		char rel[128];
		json_t *rj;

		snprintf(rel, sizeof(rel), "raw/%s/%s-%s-r%d.txt", bh_mode_name(v->mode),
			 bnet_test_name(ci->test), ci->name, round);
		rj = run_once(r, cases[c], rel);
		if (tb_stop_signal()) {
			/* Ctrl-C reached the tool too: its output is cut short */
			json_decref(rj);
			break;
		}
		json_object_set_new(rj, "round", json_integer(round));
		json_array_append_new(json_object_get(v->point[c], "repeats"), rj);
		bnet_point_summarise(v->point[c]);
		deltas_update(r);
		progress(r, v, cases[c], rj, round);
		save(r); /* completed points are on disk whatever happens next */
	}
	if (hooks_off(r, v->mode, e, sizeof(e)) < 0) {
		tb_err("%s: cannot take the program off again: %s", bh_mode_name(v->mode), e);
		return -EIO;
	}
	return 0;
}

static int
measure(struct bebpf_run *r)
{
	int round, k, ret;

	warmup(r);
	for (round = 1; round <= r->conf->repeat && !tb_stop_signal(); round++) {
		for (k = 0; k < r->n_var && !tb_stop_signal(); k++) {
			if (r->var[k].na)
				continue;
			ret = variant_round(r, &r->var[k], round);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

static int
finish(struct bebpf_run *r)
{
	char err[512], when[32];
	int failed = 0, k, c, ret;

	for (k = 0; k < r->n_var; k++) {
		struct bebpf_variant *v = &r->var[k];
		bool v_failed = false;

		for (c = 0; c < N_CASES; c++) {
			json_t *p = v->point[c];
			const char *st = json_string_value(json_object_get(p, "status"));

			if (strcmp(st, "n/a") != 0 &&
			    json_array_size(json_object_get(p, "repeats")) == 0) {
				json_object_set_new(p, "status", json_string("failed"));
				json_object_set_new(p, "reason",
						    json_string(tb_stop_signal()
									? "not measured: stopped"
									: "not measured"));
			}
			st = json_string_value(json_object_get(p, "status"));
			if (strcmp(st, "failed") == 0) {
				failed++;
				v_failed = true;
			}
		}
		if (!v->na && v_failed)
			json_object_set_new(v->vj, "status", json_string("failed"));
	}
	deltas_update(r);
	ri_iso_now(when, sizeof(when));
	json_object_set_new(r->results, "finished", json_string(when));
	json_object_set_new(json_object_get(r->results, "host"), "loadavg_end", ri_loadavg());
	ret = rp_write_ebpf_results(r->dir, r->results);
	if (ret < 0) {
		tb_err("%s: cannot write results: %s", r->dir, strerror(-ret));
		return -EIO;
	}
	if (rp_write_ebpf_report(r->dir, r->results, err, sizeof(err)) < 0)
		tb_warn("report: %s", err);
	return failed;
}

static bool
tools_there(const char **missing)
{
	static const char *const need[] = {"iperf3", "sockperf", "ip", "taskset"};
	size_t i;

	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (tb_tool_path(need[i]) == NULL) {
			*missing = need[i];
			return false;
		}
	}
	return true;
}

int
bebpf_measure(const struct bebpf_conf *conf, json_t **out, char *dir, size_t dirlen)
{
	struct bebpf_run r = {.conf = conf};
	char err[1024], run_id[128];
	const char *missing = NULL;
	int ret, failed, m;

	*out = NULL;
	if (!tools_there(&missing)) {
		tb_err("%s not found: run scripts/install-deps.sh", missing);
		return -ENOENT;
	}
	ret = tb_state_load(conf->instance, &r.st);
	if (ret < 0 || strcmp(json_string_value(json_object_get(r.st, "phase")) ?: "", "up") != 0) {
		tb_err("instance %s is not up: run ./testbed up --numa N --backends bridge "
		       "--instance %s first",
		       conf->instance, conf->instance);
		json_decref(r.st);
		return -ENOENT;
	}
	ret = pick_guests(&r, err, sizeof(err));
	if (ret < 0) {
		tb_err("%s", err);
		goto out_state;
	}
	/* a clean start: nothing left on the ports by an earlier run that was killed */
	ret = hooks_clear(&r, err, sizeof(err));
	if (ret < 0) {
		tb_err("cannot clear the bridge ports' hooks: %s", err);
		goto out_state;
	}
	res_run_id("bench-ebpf", run_id, sizeof(run_id));
	ret = res_run_dir_create(conf->out, run_id, r.dir, sizeof(r.dir), err, sizeof(err));
	if (ret < 0) {
		tb_err("--out %s: %s", conf->out, err);
		goto out_state;
	}
	snprintf(dir, dirlen, "%s", r.dir);
	for (m = 0; m < BH_N_MODES; m++) {
		if (!(conf->variants & (1u << m)))
			continue;
		r.var[r.n_var].mode = m;
		r.var[r.n_var++].vj = variant_json(m);
	}
	tb_stop_catch();
	signal(SIGPIPE, SIG_IGN);
	r.results = results_new(&r, run_id);
	points_new(&r);
	save(&r);
	tb_info("bench ebpf: instance %s, %s -> %s over the bridge, programs on %s and %s (%s), "
		"%d measurements of %d s, results in %s",
		conf->instance, r.client, r.server, r.port[0].link, r.port[1].link, r.port[0].ns,
		r.prog.n_total, conf->time_s, r.dir);
	ret = servers_start(&r, err, sizeof(err));
	if (ret == 0) {
		r.prog.t_start = tb_now_s();
		ret = measure(&r);
	} else {
		tb_err("%s", err);
	}
	/* Ctrl-C, a failure or done: programs off, servers stopped, what was measured kept */
	if (hooks_clear(&r, err, sizeof(err)) < 0) {
		tb_err("bridge ports: %s (run ./testbed down --instance %s)", err, conf->instance);
		ret = ret < 0 ? ret : -EIO;
	}
	mrun_servers_stop(&r.srv);
	failed = finish(&r);
	json_object_set_new(r.results, "run_dir", json_string(r.dir));
	*out = r.results;
	if (failed != 0)
		ret = failed;
	for (m = 0; m < r.n_var; m++)
		json_decref(r.var[m].vj);
out_state:
	json_decref(r.st);
	return ret;
}
