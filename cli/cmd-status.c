/* SPDX-License-Identifier: BSD-3-Clause */
/* `testbed status`: what is up (instance/status.c gathers it), as text or JSON. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "log.h"
#include "up.h"

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
		/* what the guest and the switch negotiated, not what was asked */
		if (json_is_string(json_object_get(v, "ring")))
			printf("  %-12s ring %s (features 0x%llx)\n", "",
			       json_string_value(json_object_get(v, "ring")),
			       (unsigned long long)json_integer_value(
				       json_object_get(v, "features")));
	}
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
			printf("  port %-6s link %s%s%s\n",
			       json_string_value(json_object_get(v, "name")),
			       json_string_value(json_object_get(v, "link_state")),
			       json_object_get(v, "ring") ? ", ring " : "",
			       json_string_value(json_object_get(v, "ring")) ?: "");
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
	const char *adapter;
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
	if (json_is_true(json_object_get(plan, "guests_on_all")))
		printf("; guests on every core (--guest-cores all)");
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
	adapter = json_string_value(json_object_get(cfg, "adapter"));
	if (adapter != NULL)
		printf("adapter: %s (vhost-user netns guests' tap <-> virtio-user: %s)\n", adapter,
		       strcmp(adapter, "colocated") == 0 ? "inside the switch process, in its loop"
							 : "a testbed-pmd shim process");
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
	json_t *s;

	if (instance_parse_args(argc, argv, inst, sizeof(inst), err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	if (up_status(inst, &s, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_FAIL;
	}
	if (tb_log_json()) {
		json_dumpf(s, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else {
		print_text(s);
	}
	json_decref(s);
	return 0;
}
