/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What is up, live: the recorded state beside processes, hugepages, switch ports and guest links.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "guest-cmd.h"
#include "hugepages.h"
#include "netcmd.h"
#include "ovs.h"
#include "pmd/ring-spec.h"
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

/*
 * What OVS-DPDK's vhost port negotiated with the guest: its status "features" (an attached
 * port only), read as ring layout, in-order and mergeable buffers (OVS does not give the
 * ring size).
 */
static void
ovs_ring(const char *dir, const char *port, json_t *out)
{
	char *text = NULL, spec[PMD_RING_SPEC_MAX], *end;
	struct pmd_ring r;
	unsigned long long f;

	if (vsc_ovs_vsctl(dir, &text, (const char *[]){"--if-exists", "get", "Interface", port,
						       "status:features", NULL}) == 0 &&
	    text != NULL) {
		f = strtoull(trim(text), &end, 16);
		if (end != trim(text) && f != 0) {
			pmd_ring_from_features(f, &r);
			if (pmd_ring_format(&r, spec, sizeof(spec)) > 0) {
				json_object_set_new(out, "ring", json_string(spec));
				json_object_set_new(out, "features", json_integer((json_int_t)f));
			}
		}
	}
	free(text);
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
		ovs_ring(dir, name, json_array_get(ports, json_array_size(ports) - 1));
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

/* One negotiated ring into out, when the port says one: {host, port[, socket], ring, features}. */
static void
ring_append(json_t *out, int h, const char *port, json_t *v)
{
	json_t *o;

	if (!json_is_string(json_object_get(v, "ring")))
		return;
	o = json_pack("{s:i, s:s, s:O, s:O}", "host", h, "port", port, "ring",
		      json_object_get(v, "ring"), "features", json_object_get(v, "features"));
	if (json_is_string(json_object_get(v, "socket")))
		json_object_set(o, "socket", json_object_get(v, "socket"));
	json_array_append_new(out, o);
}

json_t *
up_rings_negotiated(json_t *st)
{
	json_t *out = json_array(), *live, *v, *sw;
	const char *key, *dir;
	size_t i;
	int h;

	for (h = 0; h < tb_state_hosts(st); h++) {
		sw = tb_state_switch(st, h);
		if (sw == NULL)
			continue;
		if (strcmp(json_string_value(json_object_get(sw, "kind")) ?: "", "testbed-pmd") ==
		    0) {
			live = pmd_switch_live(sw); /* one telemetry query: every port */
			json_object_foreach(live, key, v)
				ring_append(out, h, key, v);
			json_decref(live);
			continue;
		}
		/* OVS-DPDK: only each port's status:features, not the whole switch_live */
		dir = json_string_value(json_object_get(sw, "dir"));
		json_array_foreach(json_object_get(sw, "ports"), i, v) {
			const char *name = json_string_value(json_object_get(v, "name"));
			json_t *r = json_object();

			if (dir != NULL && name != NULL)
				ovs_ring(dir, name, r);
			ring_append(out, h, name ?: "?", r);
			json_decref(r);
		}
	}
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

int
up_status(const char *inst, json_t **out, char *err, size_t errlen)
{
	json_t *st = NULL, *s;
	int ret;

	*out = NULL;
	ret = tb_state_load(inst, &st);
	if (ret == -ENOENT) {
		snprintf(err, errlen, "instance %s is not up (run ./testbed up --numa N)", inst);
		return ret;
	}
	if (ret == -EXDEV) {
		snprintf(err, errlen, "instance %s: its state file names another instance "
			 "(a copy?): run ./testbed down --instance %s", inst, inst);
		return ret;
	}
	if (ret < 0) {
		snprintf(err, errlen, "instance %s: state file unreadable: %s", inst, strerror(-ret));
		return ret;
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
	json_decref(st);
	*out = s;
	return 0;
}
