/* SPDX-License-Identifier: BSD-3-Clause */
/* `simulate`: grows the instance to N guests per backend, and shrinks it back. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backends.h"
#include "hugepages.h"
#include "log.h"
#include "shim-launch.h"
#include "simulate-run.h"
#include "state.h"
#include "teardown.h"
#include "up.h"

int
sim_guest_count(json_t *st, enum tb_backend be)
{
	json_t *g;
	size_t i;
	int n = 0;

	json_array_foreach(json_object_get(st, "guests"), i, g)
		n += tb_backend_from_name(json_string_value(json_object_get(g, "backend"))) == (int)be;
	return n;
}

/* Memory for `count` more guests of a backend (another shim's, or the VMs'), in the page
 * size `up` chose. */
static int
reserve_guest_pages(struct up_ctx *u, enum tb_backend be, int ports)
{
	struct hp_demand d = {"shim", vm_shim_mem_mb(ports)};
	json_t *o, *hp = NULL;
	long added = 0, free_ = 0, pages;
	size_t i;
	int ret;

	json_array_foreach(json_object_get(u->st, "objects"), i, o)
		if (strcmp(json_string_value(json_object_get(o, "kind")) ?: "", "hugepages") == 0)
			hp = o;
	if (u->vms)
		d = (struct hp_demand){"guests", (long)u->prof.memory_mb * ports};
	else if (!(ib_flags(1u << be) & IB_SHIM))
		return 0; /* netns guests on kernel paths need none (a shim's do) */
	if (hp == NULL)
		return -ENOENT;
	u->page_kb = json_integer_value(json_object_get(hp, "page_kb"));
	pages = hp_pages_for(&d, 1, u->page_kb);
	ret = hp_reserve(u->conf.numa, u->page_kb, pages, &added, &free_);
	if (ret < 0) {
		tb_err("need %ld MB of hugepages on node %d for %d more %s guests, %ld MB free",
		       pages * (long)(u->page_kb / 1024), u->conf.numa, ports, tb_backend_name(be),
		       free_ * (long)(u->page_kb / 1024));
		return ret;
	}
	return tb_journal_add(u->st, json_pack("{s:s, s:i, s:I, s:I, s:I}", "kind", "hugepages",
					       "node", u->conf.numa, "page_kb",
					       (json_int_t)u->page_kb, "pages", (json_int_t)pages,
					       "added", (json_int_t)added));
}

int
sim_grow(json_t *st, const char *inst, unsigned int backends, int n, struct sim_mark *m)
{
	const struct ib_backend *b;
	struct up_ctx u;
	int be, ret = 0, total = 0;
	size_t r;

	m->objects = json_array_size(json_object_get(st, "objects"));
	m->guests = json_array_size(json_object_get(st, "guests"));
	for (be = 0; be < TB_MAX_HOSTS; be++)
		m->ports[be] = json_array_size(json_object_get(tb_state_switch(st, be), "ports"));
	for (be = 0; be < TB_BE_COUNT; be++) {
		int k = sim_guest_count(st, be);

		total += (backends & (1u << be)) && k < n ? n : k;
	}
	if (up_ctx_from_state(&u, st, inst, total) < 0) {
		tb_err("cannot plan cores for %d guests", total);
		return -EIO;
	}
	up_cgroup_join(&u);
	for (r = 0; r < ib_n_backends && ret == 0; r++) {
		int k;

		b = ib_backends[r];
		k = sim_guest_count(st, b->be);
		if (!(backends & (1u << b->be)) || k >= n)
			continue;
		u.first = k;
		u.count = n - k;
		tb_info("%s: adding guests %d-%d", b->name, k, n - 1);
		ret = reserve_guest_pages(&u, b->be, u.count);
		if (ret < 0)
			break;
		if (b->grow == NULL) {
			tb_err("%s: its guests cannot be added to a running instance", b->name);
			ret = -ENOTSUP;
			break;
		}
		ret = b->grow(&u);
	}
	up_cgroup_part(&u);
	if (ret == 0 && u.vms)
		ret = up_vm_wait_all(&u);
	return ret;
}

/*
 * Co-located guests' adapters live in the switch: it restarts without the added guests'
 * ports before their namespaces go, and gives back their memory before the pages do. A grow
 * that failed halfway may have stopped the switch (its restart with the new ports did not
 * come up): this restart brings back the one the remaining guests need.
 */
static int
restart_colo(json_t *st)
{
	const char *inst = json_string_value(json_object_get(st, "instance"));
	const char *adapter = json_string_value(json_object_get(json_object_get(st, "config"),
								 "adapter"));
	int n = (int)json_array_size(json_object_get(st, "guests"));
	struct up_ctx u;
	int ret;

	if (adapter == NULL || strcmp(adapter, UP_ADAPTER_COLOCATED) != 0 || inst == NULL)
		return 0;
	if (up_ctx_from_state(&u, st, inst, n) < 0)
		return -EIO;
	up_cgroup_join(&u);
	ret = up_switch_restart(&u);
	up_cgroup_part(&u);
	return ret;
}

int
sim_shrink(json_t *st, const struct sim_mark *m)
{
	json_t *guests = json_object_get(st, "guests"), *ports;
	bool changed = json_array_size(json_object_get(st, "objects")) > m->objects;
	int h, failed = 0;

	while (json_array_size(guests) > m->guests)
		json_array_remove(guests, json_array_size(guests) - 1);
	for (h = 0; h < TB_MAX_HOSTS; h++) {
		ports = json_object_get(tb_state_switch(st, h), "ports");
		while (json_array_size(ports) > m->ports[h]) {
			json_array_remove(ports, json_array_size(ports) - 1);
			changed = true;
		}
	}
	if (changed && restart_colo(st) < 0)
		failed++;
	failed += td_undo_from(st, m->objects);
	return tb_state_save(st) < 0 ? failed + 1 : failed;
}
