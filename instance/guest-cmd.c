/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command lines run in a guest (netns or QEMU), the guests by backend and index, and whether a
 * data path is alive.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backends.h"
#include "guest-cmd.h"
#include "netcmd.h"
#include "proc.h"

const char *
guest_kind(json_t *g)
{
	return json_string_value(json_object_get(g, "kind")) ?: "netns";
}

void
guest_table_fill(struct guest_table *t, json_t *st)
{
	json_t *o;
	size_t i;

	memset(t, 0, sizeof(*t));
	json_array_foreach(json_object_get(st, "guests"), i, o) {
		int be = tb_backend_from_name(json_string_value(json_object_get(o, "backend")));
		json_int_t idx = json_integer_value(json_object_get(o, "index"));

		if (be < 0 || idx < 0 || idx >= UP_MAX_GUESTS)
			continue;
		t->g[be][idx] = o;
		if (idx + 1 > t->n[be])
			t->n[be] = (int)idx + 1;
	}
}

int
guest_table_pair(const struct guest_table *t, enum tb_backend be, int n_hosts, enum tb_scope s,
		 json_t **client, json_t **server)
{
	int pairs[1][2];

	if (be < 0 || be >= TB_BE_COUNT || tb_guest_pairs(t->n[be], n_hosts, s, pairs, 1) < 1 ||
	    t->g[be][pairs[0][0]] == NULL || t->g[be][pairs[0][1]] == NULL)
		return -ENOENT;
	*client = t->g[be][pairs[0][0]];
	*server = t->g[be][pairs[0][1]];
	return 0;
}

void
guest_pair_missing(enum tb_backend be, int n_hosts, const char *inst, char *err, size_t errlen)
{
	snprintf(err, errlen,
		 "backend %s has no two guests %sup in instance %s (run ./testbed up --numa N "
		 "--backends %s%s --instance %s)",
		 tb_backend_name(be), n_hosts > 1 ? "on one host " : "", inst, tb_backend_name(be),
		 n_hosts > 1 ? " --hosts 2 --guests 4" : "", inst);
}

static int
add(struct guest_cmd *c, int *n, const char *arg)
{
	if (*n >= GUEST_CMD_MAX - 1)
		return -E2BIG;
	c->argv[(*n)++] = arg;
	return 0;
}

int
guest_cmd(struct guest_cmd *c, json_t *g, const char *const tool[])
{
	int n = 0, ret = 0, i;

	if (strcmp(guest_kind(g), "qemu") == 0) {
		json_t *socks = json_object_get(g, "agent_sockets"), *s;
		ssize_t len = readlink("/proc/self/exe", c->self, sizeof(c->self) - 1);
		size_t k;

		if (len < 0 || json_array_size(socks) == 0)
			return -EINVAL;
		c->self[len] = '\0';
		ret |= add(c, &n, c->self);
		ret |= add(c, &n, "guest-exec");
		json_array_foreach(socks, k, s) {
			ret |= add(c, &n, "--socket");
			ret |= add(c, &n, json_string_value(s));
		}
		ret |= add(c, &n, "--");
	} else {
		const char *ns = json_string_value(json_object_get(g, "netns"));

		if (ns == NULL)
			return -EINVAL;
		snprintf(c->cpu, sizeof(c->cpu), "%d", (int)json_integer_value(json_object_get(g, "cpu")));
		ret |= add(c, &n, "taskset");
		ret |= add(c, &n, "-c");
		ret |= add(c, &n, c->cpu);
		ret |= add(c, &n, "ip");
		ret |= add(c, &n, "netns");
		ret |= add(c, &n, "exec");
		ret |= add(c, &n, ns);
	}
	for (i = 0; tool[i] != NULL; i++)
		ret |= add(c, &n, tool[i]);
	c->argv[n] = NULL;
	return ret < 0 ? -E2BIG : 0;
}

bool
guest_alive(json_t *g)
{
	if (strcmp(guest_kind(g), "remote") == 0)
		return true; /* another machine's (sweep --remote-guests): not ours to see */
	if (strcmp(guest_kind(g), "qemu") == 0)
		return tb_proc_is((pid_t)json_integer_value(json_object_get(g, "pid")),
				  (unsigned long long)json_integer_value(json_object_get(g, "start")));
	return tb_netns_exists(json_string_value(json_object_get(g, "netns")));
}

static void
gone_one(json_t *g, char *b, size_t len)
{
	const char *name = json_string_value(json_object_get(g, "name"));
	size_t n = strlen(b);

	if (strcmp(guest_kind(g), "qemu") == 0)
		snprintf(b + n, len - n, "%s%s (QEMU pid %lld)", n ? " and " : "",
			 name != NULL ? name : "?",
			 (long long)json_integer_value(json_object_get(g, "pid")));
	else
		snprintf(b + n, len - n, "%s%s (namespace %s)", n ? " and " : "",
			 name != NULL ? name : "?", json_string_value(json_object_get(g, "netns")));
}

bool
guest_gone(json_t *a, json_t *b, char *why, size_t len)
{
	char who[256] = "";
	bool two = false;

	if (!guest_alive(a))
		gone_one(a, who, sizeof(who));
	if (!guest_alive(b)) {
		two = who[0] != '\0';
		gone_one(b, who, sizeof(who));
	}
	if (who[0] == '\0')
		return false;
	snprintf(why, len, "guest%s %s %s gone", two ? "s" : "", who, two ? "are" : "is");
	return true;
}

/* The switch backends' (those with PMD cores) data-path roles: every host's switch, the shims. */
bool
role_is_data_path(const char *role)
{
	size_t i;

	for (i = 0; i < ib_n_backends; i++)
		if ((ib_backends[i]->flags & IB_PMD_CORES) && ib_backends[i]->path_role != NULL &&
		    ib_backends[i]->path_role(role) != NULL)
			return true;
	return false;
}

bool
guest_path_down(json_t *st, const char *backend, char *why, size_t len)
{
	int be = tb_backend_from_name(backend);
	const struct ib_backend *b = be >= 0 ? ib_be_ops(be) : NULL;
	json_t *o;
	size_t i;

	/* the processes the backend's row names (its path_role); none: the kernel's path */
	if (b == NULL || b->path_role == NULL)
		return false;
	json_array_foreach(json_object_get(st, "objects"), i, o) {
		const char *role = json_string_value(json_object_get(o, "role"));
		pid_t pid = (pid_t)json_integer_value(json_object_get(o, "pid"));
		const char *side = b->path_role(role);

		if (side == NULL)
			continue;
		if (!tb_proc_is(pid, (unsigned long long)json_integer_value(json_object_get(o, "start")))) {
			snprintf(why, len, "%s %s (pid %d) is gone", side, role, (int)pid);
			return true;
		}
	}
	return false;
}
