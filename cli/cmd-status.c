/* SPDX-License-Identifier: BSD-3-Clause */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "agent.h"
#include "guest-cmd.h"
#include "hugepages.h"
#include "log.h"
#include "netcmd.h"
#include "ovs.h"
#include "proc.h"
#include "runcmd.h"
#include "state.h"
#include "telemetry.h"

/* Live facts gathered next to the recorded state. */

static json_t *
processes(json_t *st)
{
	json_t *out = json_array(), *o;
	size_t i;

	json_array_foreach(json_object_get(st, "objects"), i, o) {
		const char *kind = json_string_value(json_object_get(o, "kind"));
		pid_t pid = json_integer_value(json_object_get(o, "pid"));

		if (kind == NULL || strcmp(kind, "process") != 0)
			continue;
		json_array_append_new(
			out, json_pack("{s:O, s:i, s:b}", "role", json_object_get(o, "role"), "pid",
				       (int)pid, "running",
				       tb_proc_is(pid, json_integer_value(json_object_get(o, "start")))));
	}
	return out;
}

static json_t *
hugepages(json_t *st)
{
	json_t *o, *out = NULL;
	size_t i;

	json_array_foreach(json_object_get(st, "objects"), i, o) {
		const char *kind = json_string_value(json_object_get(o, "kind"));
		struct hp_node_info info;
		const struct hp_size_info *s;

		if (kind == NULL || strcmp(kind, "hugepages") != 0)
			continue;
		if (hp_node_read(json_integer_value(json_object_get(o, "node")), &info) < 0)
			continue;
		s = hp_node_size(&info, json_integer_value(json_object_get(o, "page_kb")));
		out = json_deep_copy(o);
		json_object_del(out, "kind");
		if (s != NULL) {
			json_object_set_new(out, "pool_pages", json_integer(s->nr));
			json_object_set_new(out, "pool_free", json_integer(s->free));
		}
	}
	return out != NULL ? out : json_null();
}

static char *
trim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '"'))
		s[--n] = '\0';
	return s[0] == '"' ? s + 1 : s;
}

/* testbed-pmd's counters, from its DPDK telemetry: /testbed/switch/stats. */
static json_t *
pmd_switch_live(json_t *sw)
{
	const char *prefix = json_string_value(json_object_get(sw, "file_prefix"));
	json_t *reply = NULL, *v;
	char path[256], err[256];

	if (prefix == NULL || tb_telemetry_path(path, sizeof(path), prefix) < 0)
		return json_null();
	if (tb_telemetry_query(path, "/testbed/switch/stats", &reply, err, sizeof(err)) < 0)
		return json_pack("{s:s}", "error", err);
	v = json_incref(tb_telemetry_value(reply, "/testbed/switch/stats"));
	json_decref(reply);
	return v != NULL ? v : json_null();
}

static void
print_pmd_switch(json_t *sw, json_t *live)
{
	const char *key;
	json_t *v;

	printf("switch: testbed-pmd, idle %s, cpus", json_string_value(json_object_get(sw, "idle")));
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(sw, "cpus"), i, c)
		printf(" %d", (int)json_integer_value(c));
	if (json_string_value(json_object_get(live, "error")) != NULL) {
		printf("; counters unavailable: %s\n", json_string_value(json_object_get(live, "error")));
		return;
	}
	printf("; MAC table %d/%d (aging %d s, not learned: table full %d)\n",
	       (int)json_integer_value(json_object_get(live, "mac_entries")),
	       (int)json_integer_value(json_object_get(live, "mac_capacity")),
	       (int)json_integer_value(json_object_get(live, "aging_s")),
	       (int)json_integer_value(json_object_get(live, "mac_learn_full")));
	json_object_foreach(live, key, v) {
		double total = json_number_value(json_object_get(v, "total_cycles"));

		if (json_object_get(v, "busy_cycles") != NULL)
			printf("  %-12s busy %5.1f%%  loops %-12lld sleeps %-9lld kick wake-ups %lld\n",
			       key, total > 0 ? 100.0 * json_number_value(json_object_get(v,
					"busy_cycles")) / total : 0.0,
			       json_integer_value(json_object_get(v, "loops")),
			       json_integer_value(json_object_get(v, "sleeps")),
			       json_integer_value(json_object_get(v, "kick_wakeups")));
		else if (json_object_get(v, "socket") != NULL)
			printf("  %-12s %-8s rx %-11lld tx %-11lld tx_drop %-8lld flood %lld  %s\n", key,
			       json_integer_value(json_object_get(v, "attached")) ? "attached" : "waiting",
			       json_integer_value(json_object_get(v, "rx")),
			       json_integer_value(json_object_get(v, "tx")),
			       json_integer_value(json_object_get(v, "tx_drop")),
			       json_integer_value(json_object_get(v, "flood")),
			       json_string_value(json_object_get(v, "socket")));
	}
}

static json_t *
switch_live(json_t *sw)
{
	const char *dir = json_string_value(json_object_get(sw, "dir"));
	json_t *ports, *p, *out;
	char *text = NULL;
	size_t i;

	if (strcmp(json_string_value(json_object_get(sw, "kind")) ?: "", "testbed-pmd") == 0)
		return pmd_switch_live(sw);
	if (dir == NULL)
		return json_null();
	ports = json_array();
	json_array_foreach(json_object_get(sw, "ports"), i, p) {
		const char *name = json_string_value(json_object_get(p, "name"));
		const char *args[] = {"get", "Interface", name, "link_state", NULL};
		char *state = NULL;

		if (vsc_ovs_vsctl(dir, &state, args) != 0) {
			free(state);
			state = strdup("unknown");
		}
		json_array_append_new(ports, json_pack("{s:s, s:s}", "name", name, "link_state",
						       trim(state)));
		free(state);
	}
	if (json_is_object(json_object_get(sw, "nic"))) {
		const char *args[] = {"get", "Interface", "wire", "link_state", NULL};
		char *state = NULL;

		if (vsc_ovs_vsctl(dir, &state, args) != 0) {
			free(state);
			state = strdup("unknown");
		}
		json_array_append_new(ports, json_pack("{s:s, s:s}", "name", "wire", "link_state",
						       trim(state)));
		free(state);
	}
	out = json_pack("{s:o}", "ports", ports);
	if (vsc_ovs_vsctl(dir, &text, (const char *[]){"get", "Open_vSwitch", ".",
						       "other_config:pmd-maxsleep", NULL}) == 0)
		json_object_set_new(out, "pmd_maxsleep_us", json_integer(atoi(trim(text))));
	free(text);
	text = NULL;
	if (vsc_ovs_appctl(dir, &text, (const char *[]){"dpif-netdev/pmd-rxq-show", NULL}) == 0)
		json_object_set_new(out, "pmd_rxq_show", json_string(text));
	free(text);
	text = NULL;
	if (vsc_ovs_appctl(dir, &text, (const char *[]){"version", NULL}) == 0)
		json_object_set_new(out, "version", json_string(trim(text)));
	free(text);
	return out;
}

static const char *
operstate(const char *ns, char *buf, size_t len)
{
	const char *argv[] = {"ip", "-j", "-n", ns, "link", "show", "dev", "eth0", NULL};
	struct tb_run_opts o = {.timeout_ms = 10000};
	char *out = NULL;
	json_t *j;

	snprintf(buf, len, "missing");
	if (tb_run(argv, &o, &out, NULL) == 0) {
		j = json_loads(out, 0, NULL);
		if (json_is_array(j) && json_array_size(j) > 0)
			snprintf(buf, len, "%s",
				 json_string_value(json_object_get(json_array_get(j, 0), "operstate")));
		json_decref(j);
	}
	free(out);
	return buf;
}

/* A VM's eth0, asked through its agent (the guest's own view, like `ip link` in a netns). */
static const char *
vm_operstate(json_t *g, char *buf, size_t len)
{
	static const char *const argv[] = {"cat", "/sys/class/net/eth0/operstate", NULL};
	const char *socks[GUEST_CMD_SOCKS];
	char *out = NULL, err[256];
	json_t *s;
	size_t i;
	int n = 0, status = -1;

	json_array_foreach(json_object_get(g, "agent_sockets"), i, s)
		if (n < GUEST_CMD_SOCKS)
			socks[n++] = json_string_value(s);
	snprintf(buf, len, "no-agent");
	if (n > 0 && vm_agent_exec(socks, n, argv, 3000, &out, &status, err, sizeof(err)) == 0 &&
	    status == 0 && out != NULL) {
		snprintf(buf, len, "%s", strtok(out, "\n") ?: "?");
		for (i = 0; buf[i] != '\0'; i++) /* "UP", as ip's operstate for netns guests */
			buf[i] = (char)toupper((unsigned char)buf[i]);
	}
	free(out);
	return buf;
}

static json_t *
guests_live(json_t *st)
{
	json_t *out = json_deep_copy(json_object_get(st, "guests")), *g;
	char state[32];
	size_t i;

	json_array_foreach(out, i, g) {
		const char *ns = json_string_value(json_object_get(g, "netns"));

		if (strcmp(guest_kind(g), "qemu") == 0)
			vm_operstate(g, state, sizeof(state));
		else
			operstate(ns, state, sizeof(state));
		json_object_set_new(g, "link", json_string(state));
	}
	return out;
}

static void
print_switch(json_t *sw, json_t *live, int h)
{
	json_t *v;
	size_t i;

	if (json_is_object(sw) &&
	    strcmp(json_string_value(json_object_get(sw, "kind")) ?: "", "testbed-pmd") == 0) {
		print_pmd_switch(sw, live);
	} else if (json_is_object(sw)) {
		json_t *sleep = json_object_get(live, "pmd_maxsleep_us");

		printf("switch%s: %s, bridge %s, pmd-cpu-mask %s, pmd-maxsleep %d us%s\n",
		       h > 0 ? " (this host)" : "",
		       json_string_value(json_object_get(live, "version")) ?: "OVS-DPDK",
		       json_string_value(json_object_get(sw, "bridge")),
		       json_string_value(json_object_get(sw, "pmd_cpu_mask")),
		       (int)json_integer_value(sleep ? sleep : json_object_get(sw, "pmd_maxsleep_us")),
		       json_is_true(json_object_get(sw, "no_pci")) ? ", --no-pci" : "");
		json_array_foreach(json_object_get(live, "ports"), i, v)
			printf("  port %-6s link %s\n", json_string_value(json_object_get(v, "name")),
			       json_string_value(json_object_get(v, "link_state")));
		if (json_string_value(json_object_get(live, "pmd_rxq_show")))
			printf("%s", json_string_value(json_object_get(live, "pmd_rxq_show")));
	}
	if (json_is_object(json_object_get(sw, "nic")))
		printf("  NIC: %s through %s%s%s\n",
		       json_string_value(json_object_get(json_object_get(sw, "nic"), "devargs")),
		       json_string_value(json_object_get(json_object_get(sw, "nic"), "pmd")),
		       json_object_get(json_object_get(sw, "nic"), "fallback_reason") ? ": " : "",
		       json_string_value(json_object_get(json_object_get(sw, "nic"),
							 "fallback_reason")) ?: "");
}

/* One of the hosts of `up --hosts 2`: its namespace, address, wires, and switch. */
static void
print_host(json_t *h)
{
	int idx = (int)json_integer_value(json_object_get(h, "index"));

	printf("host %d: %s, address %s on %s, wire %s%s%s\n", idx,
	       json_string_value(json_object_get(h, "netns")),
	       json_string_value(json_object_get(h, "address")),
	       json_string_value(json_object_get(h, "address_on")),
	       json_string_value(json_object_get(h, "kernel_wire")),
	       json_object_get(h, "vhost_wire") ? ", vhost-user wire " : "",
	       json_string_value(json_object_get(h, "vhost_wire")) ?: "");
	if (idx > 0 && json_is_object(json_object_get(h, "switch")))
		print_switch(json_object_get(h, "switch"), json_object_get(h, "switch_live"), idx);
}

static void
print_text(json_t *s)
{
	json_t *cfg = json_object_get(s, "config"), *plan = json_object_get(s, "plan");
	json_t *hp = json_object_get(s, "hugepages"), *sw = json_object_get(s, "switch");
	json_t *v, *pmd = json_object_get(plan, "pmd");
	size_t i;

	printf("instance %s: %s since %s, NUMA node %d\n",
	       json_string_value(json_object_get(s, "instance")),
	       json_string_value(json_object_get(s, "phase")),
	       json_string_value(json_object_get(s, "created")),
	       (int)json_integer_value(json_object_get(cfg, "numa")));
	printf("cores: %d needed, %d on the node%s; housekeeping %d, PMD",
	       (int)json_integer_value(json_object_get(plan, "cores_needed")),
	       (int)json_integer_value(json_object_get(plan, "cores_available")),
	       json_is_true(json_object_get(plan, "oversubscribed")) ? " (oversubscribed: shared)" : "",
	       (int)json_integer_value(json_object_get(plan, "housekeeping")));
	json_array_foreach(pmd, i, v)
		printf(" %d", (int)json_integer_value(v));
	if (json_integer_value(json_object_get(plan, "shim")) >= 0)
		printf(", shim %d", (int)json_integer_value(json_object_get(plan, "shim")));
	printf("\n");
	if (json_is_object(hp)) {
		char size[32];

		hp_size_str(json_integer_value(json_object_get(hp, "page_kb")), size, sizeof(size));
		printf("hugepages: %d x %s on node %d for the testbed (%d added), pool %d, %d free\n",
		       (int)json_integer_value(json_object_get(hp, "pages")), size,
		       (int)json_integer_value(json_object_get(hp, "node")),
		       (int)json_integer_value(json_object_get(hp, "added")),
		       (int)json_integer_value(json_object_get(hp, "pool_pages")),
		       (int)json_integer_value(json_object_get(hp, "pool_free")));
	}
	json_array_foreach(json_object_get(s, "processes"), i, v)
		printf("process %-13s pid %-7d %s\n", json_string_value(json_object_get(v, "role")),
		       (int)json_integer_value(json_object_get(v, "pid")),
		       json_is_true(json_object_get(v, "running")) ? "running" : "NOT RUNNING");
	print_switch(sw, json_object_get(s, "switch_live"), 0);
	json_array_foreach(json_object_get(s, "hosts"), i, v)
		print_host(v);
	printf("%-6s %-11s %-15s %-13s %-8s %s\n", "GUEST", "BACKEND", "NETNS", "ADDRESS", "LINK",
	       "CPU");
	json_array_foreach(json_object_get(s, "guests"), i, v)
		printf("%-6s %-11s %-15s %-13s %-8s %d\n", json_string_value(json_object_get(v, "name")),
		       json_string_value(json_object_get(v, "backend")),
		       json_string_value(json_object_get(v, "netns")),
		       json_string_value(json_object_get(v, "address")),
		       json_string_value(json_object_get(v, "link")),
		       (int)json_integer_value(json_object_get(v, "cpu")));
}

int
cmd_status(int argc, char **argv)
{
	char inst[TB_INSTANCE_MAX + 1] = "main", err[TB_ERR_LEN];
	json_t *st = NULL, *s;
	int ret;

	if (instance_parse_args(argc, argv, inst, sizeof(inst), err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	ret = tb_state_load(inst, &st);
	if (ret == -ENOENT) {
		tb_err("instance %s is not up (run ./testbed up --numa N)", inst);
		return CLI_EXIT_FAIL;
	}
	if (ret < 0) {
		tb_err("instance %s: state file unreadable: %s", inst, strerror(-ret));
		return CLI_EXIT_FAIL;
	}
	s = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "instance", json_object_get(st, "instance"),
		      "phase", json_object_get(st, "phase"), "created", json_object_get(st, "created"),
		      "config", json_object_get(st, "config"), "plan", json_object_get(st, "plan"),
		      "switch", json_object_get(st, "switch") ?: json_null());
	json_object_set_new(s, "hugepages", hugepages(st));
	json_object_set_new(s, "processes", processes(st));
	if (json_is_object(json_object_get(st, "switch")))
		json_object_set_new(s, "switch_live", switch_live(json_object_get(st, "switch")));
	if (json_is_array(json_object_get(st, "hosts"))) {
		json_t *hosts = json_deep_copy(json_object_get(st, "hosts")), *h;
		size_t i;

		json_array_foreach(hosts, i, h)
			if (json_is_object(json_object_get(h, "switch")))
				json_object_set_new(h, "switch_live",
						    switch_live(json_object_get(h, "switch")));
		json_object_set_new(s, "hosts", hosts);
	}
	json_object_set_new(s, "guests", guests_live(st));
	if (tb_log_json()) {
		json_dumpf(s, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else {
		print_text(s);
	}
	json_decref(s);
	json_decref(st);
	return 0;
}
