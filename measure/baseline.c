/* SPDX-License-Identifier: BSD-3-Clause */
/* The across-hosts baseline: iperf and qperf host to host over the wire. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "guest-cmd.h"
#include "log.h"
#include "proc.h"
#include "results.h"
#include "runcmd.h"
#include "state.h"
#include "toolparse.h"

/* Ports of their own: the guests' servers may run meanwhile in other namespaces. */
#define BL_IPERF_PORT "5011"
#define BL_QPERF_PORT "19771"

/* Host h's namespace as a netns "guest", so guest_cmd runs tools there, pinned. */
static json_t *
host_as_guest(json_t *st, int h)
{
	json_t *e = tb_state_host(st, h, 0);

	return json_pack("{s:s, s:s, s:O, s:I}", "kind", "netns", "name", h ? "host1" : "host0",
			 "netns", json_object_get(e, "netns"), "cpu",
			 json_integer_value(json_object_get(json_object_get(st, "plan"),
							    "housekeeping")));
}

/* Runs tool in g, output kept as dir/rel; *text is the output (caller frees). */
static int
run_tool(const char *dir, const char *rel, json_t *g, const char *const tool[], int limit_s,
	 char **text)
{
	struct tb_run_opts o = {.timeout_ms = limit_s * 1000};
	struct guest_cmd gc;
	char *err = NULL;
	int ret = guest_cmd(&gc, g, tool);

	*text = NULL;
	if (ret == 0)
		ret = tb_run(gc.argv, &o, text, &err);
	res_write_text(dir, rel, *text != NULL ? *text : "");
	if (err != NULL && err[0] != '\0') {
		char erel[128];

		snprintf(erel, sizeof(erel), "%s.stderr.txt", rel);
		res_write_text(dir, erel, err);
	}
	free(err);
	return ret;
}

static json_t *
qperf_point(const char *dir, json_t *client, const char *addr, const char *test,
	    const char *size, const char *tsec, int time_s)
{
	const char *tool[] = {"qperf", addr, "--listen_port", BL_QPERF_PORT, "-t", tsec, "-m",
			      size, "-vv", test, NULL};
	char rel[128], *out = NULL;
	struct tp_qperf q;
	json_t *o;

	snprintf(rel, sizeof(rel), "raw/baseline/qperf-%s-%s.txt", test, size);
	run_tool(dir, rel, client, tool, 2 * time_s + 30, &out);
	o = json_pack("{s:s, s:s}", "raw", rel, "msg_size", size);
	if (out != NULL && tp_qperf_parse(out, &q) == 0 && q.ok) {
		if (q.latency_us > 0)
			json_object_set_new(o, "latency_us", json_real(q.latency_us));
		if (q.bw_Bps > 0)
			json_object_set_new(o, "bw_mbps", json_real(q.bw_Bps * 8 / 1e6));
		json_object_set_new(o, "msg_rate", json_real(q.msg_rate));
	} else {
		json_object_set_new(o, "error", json_string("qperf gave no result (see raw)"));
	}
	free(out);
	return o;
}

static json_t *
iperf_point(const char *dir, json_t *client, const char *addr, const char *tsec, int time_s)
{
	const char *tool[] = {"iperf", "-c", addr, "-p", BL_IPERF_PORT, "-t", tsec, "-f", "m",
			      NULL};
	const char *rel = "raw/baseline/iperf.txt";
	struct tp_iperf ip;
	char *out = NULL;
	json_t *o = json_pack("{s:s}", "raw", rel);

	run_tool(dir, rel, client, tool, time_s + 30, &out);
	if (out != NULL && tp_iperf_parse(out, &ip) == 0 && ip.ok)
		json_object_set_new(o, "bw_mbps", json_real(ip.bw_bps / 1e6));
	else
		json_object_set_new(o, "error", json_string("iperf gave no result (see raw)"));
	free(out);
	return o;
}

static int
spawn_server(const char *dir, const char *rel, json_t *g, const char *const tool[], pid_t *pid,
	     unsigned long long *start)
{
	char log[4200];
	struct tb_run_opts o = {.log_path = log};
	struct guest_cmd gc;
	int ret;

	snprintf(log, sizeof(log), "%s/%s", dir, rel);
	res_write_text(dir, rel, "");
	*pid = -1;
	ret = guest_cmd(&gc, g, tool);
	if (ret == 0)
		ret = tb_spawn(gc.argv, &o, pid);
	if (ret == 0)
		tb_proc_start_time(*pid, start);
	return ret;
}

json_t *
baseline_measure(json_t *st, const char *dir, int time_s)
{
	static const char *const iperf_srv[] = {"iperf", "-s", "-p", BL_IPERF_PORT, NULL};
	static const char *const qperf_srv[] = {"qperf", "--listen_port", BL_QPERF_PORT, NULL};
	json_t *h0 = tb_state_host(st, 0, 0), *h1 = tb_state_host(st, 1, 0), *client, *server, *bl;
	const char *addr = json_string_value(json_object_get(h1, "address"));
	unsigned long long s_start[2] = {0, 0};
	pid_t s_pid[2] = {-1, -1};
	char tsec[16], path[200];
	int i;

	if (addr == NULL || h0 == NULL)
		return json_pack("{s:s, s:s}", "status", "failed", "reason",
				 "the instance has no second host (up --hosts 2)");
	snprintf(tsec, sizeof(tsec), "%d", time_s);
	snprintf(path, sizeof(path), "host to host over the wire %s <-> %s (veth), %s -> %s",
		 json_string_value(json_object_get(h0, "kernel_wire")),
		 json_string_value(json_object_get(h1, "kernel_wire")),
		 json_string_value(json_object_get(h0, "address")), addr);
	client = host_as_guest(st, 0);
	server = host_as_guest(st, 1);
	spawn_server(dir, "raw/baseline/iperf-server.txt", server, iperf_srv, &s_pid[0], &s_start[0]);
	spawn_server(dir, "raw/baseline/qperf-server.txt", server, qperf_srv, &s_pid[1], &s_start[1]);
	usleep(300000); /* servers bind before the clients connect */
	bl = json_pack("{s:s, s:i}", "path", path, "time_s", time_s);
	json_object_set_new(bl, "iperf", iperf_point(dir, client, addr, tsec, time_s));
	json_object_set_new(bl, "qperf_tcp_lat", qperf_point(dir, client, addr, "tcp_lat", "1",
							      tsec, time_s));
	json_object_set_new(bl, "qperf_tcp_bw", qperf_point(dir, client, addr, "tcp_bw", "65536",
							     tsec, time_s));
	for (i = 0; i < 2; i++)
		if (s_pid[i] > 0)
			tb_proc_stop(s_pid[i], s_start[i], 2000);
	json_decref(client);
	json_decref(server);
	if (json_object_get(json_object_get(bl, "iperf"), "bw_mbps") == NULL &&
	    json_object_get(json_object_get(bl, "qperf_tcp_lat"), "latency_us") == NULL) {
		json_object_set_new(bl, "status", json_string("failed"));
		json_object_set_new(bl, "reason", json_string("neither iperf nor qperf gave a result "
							      "over the wire (see raw/baseline/)"));
	} else {
		json_object_set_new(bl, "status", json_string("ok"));
	}
	tb_info("baseline host to host: iperf %.0f Mbit/s, qperf tcp_lat 1 B %.1f us",
		json_number_value(json_object_get(json_object_get(bl, "iperf"), "bw_mbps")),
		json_number_value(json_object_get(json_object_get(bl, "qperf_tcp_lat"), "latency_us")));
	return bl;
}
