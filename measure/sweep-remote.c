/* SPDX-License-Identifier: BSD-3-Clause */
/* `--remote-guests`: the other machines' guests (their `serve -j`), servers of across pairs. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "fsutil.h"
#include "sweep-remote.h"

/* 198.18.0.0/15, the only addresses the testbed measures between. */
static bool
in_bench_range(const char *addr)
{
	struct in_addr a;

	if (addr == NULL || inet_pton(AF_INET, addr, &a) != 1)
		return false;
	return (ntohl(a.s_addr) & 0xfffe0000u) == 0xc6120000u;
}

/* One machine's serve output: guests checked and marked remote. */
static int
parse_machine(json_t *r, size_t m, char *err, size_t errlen)
{
	json_t *guests, *g, *hi = json_object_get(r, "host_index");
	size_t i;

	if (!json_is_object(r)) {
		snprintf(err, errlen, "machine %zu: not the JSON of `testbed -j serve`", m);
		return -EINVAL;
	}
	if (!json_is_integer(hi) || json_integer_value(hi) < 0 ||
	    json_integer_value(hi) >= TB_ADDR_MAX_MACHINES) {
		snprintf(err, errlen, "machine %zu: no \"host_index\" 0-%d (allowed: the output "
			 "of `testbed -j serve`)", m, TB_ADDR_MAX_MACHINES - 1);
		return -EINVAL;
	}
	guests = json_object_get(r, "guests");
	if (!json_is_array(guests) || json_array_size(guests) == 0) {
		snprintf(err, errlen, "no \"guests\" (allowed: the output of `testbed -j serve`)");
		return -EINVAL;
	}
	json_array_foreach(guests, i, g) {
		const char *name = json_string_value(json_object_get(g, "name"));
		const char *be = json_string_value(json_object_get(g, "backend"));
		const char *addr = json_string_value(json_object_get(g, "address"));

		if (name == NULL || be == NULL || tb_backend_from_name(be) < 0 ||
		    !json_is_integer(json_object_get(g, "index"))) {
			snprintf(err, errlen, "guest %zu: needs name, a known backend and index",
				 i);
			return -EINVAL;
		}
		if (!in_bench_range(addr)) {
			snprintf(err, errlen, "guest %s: address \"%s\" outside 198.18.0.0/15 "
				 "(allowed: guest addresses of the testbed)", name, addr ?: "");
			return -EINVAL;
		}
		json_object_set_new(g, "kind", json_string(SWR_KIND_REMOTE));
		json_object_set_new(g, "netns", json_string(SWR_KIND_REMOTE));
		json_object_set(g, "host_index", hi);
	}
	return 0;
}

static int
by_host_index(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "host_index"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "host_index"));

	return (x > y) - (x < y);
}

int
swr_parse(const char *text, json_t **remote, char *err, size_t errlen)
{
	json_t *m[TB_ADDR_MAX_MACHINES], *r, *list;
	json_error_t je;
	size_t i, n;
	int ret;

	*remote = NULL;
	r = json_loads(text, 0, &je);
	if (r == NULL || !(json_is_object(r) || json_is_array(r))) {
		snprintf(err, errlen, "not the JSON of `testbed -j serve` (%s, line %d)",
			 r == NULL ? je.text : "neither an object nor an array of them", je.line);
		json_decref(r);
		return -EINVAL;
	}
	if (json_is_object(r)) {
		list = json_pack("[o]", r);
	} else {
		list = r;
	}
	n = json_array_size(list);
	if (n == 0 || n > TB_ADDR_MAX_MACHINES - 1) {
		snprintf(err, errlen, "%zu machines (allowed: 1-%d outputs of `testbed -j serve`, "
			 "one per other machine)", n, TB_ADDR_MAX_MACHINES - 1);
		json_decref(list);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		m[i] = json_array_get(list, i);
		ret = parse_machine(m[i], i, err, errlen);
		if (ret < 0) {
			json_decref(list);
			return ret;
		}
	}
	qsort(m, n, sizeof(m[0]), by_host_index);
	for (i = 1; i < n; i++) {
		if (by_host_index(&m[i - 1], &m[i]) == 0) {
			snprintf(err, errlen, "machines %s and %s both have host_index %d "
				 "(allowed: one machine per host_index)",
				 json_string_value(json_object_get(m[i - 1], "instance")) ?: "?",
				 json_string_value(json_object_get(m[i], "instance")) ?: "?",
				 (int)json_integer_value(json_object_get(m[i], "host_index")));
			json_decref(list);
			return -EINVAL;
		}
	}
	*remote = json_array();
	for (i = 0; i < n; i++)
		json_array_append(*remote, m[i]);
	json_decref(list);
	return 0;
}

int
swr_check_local(json_t *remote, int host_index, char *err, size_t errlen)
{
	json_t *m;
	size_t i;

	json_array_foreach(remote, i, m) {
		if (json_integer_value(json_object_get(m, "host_index")) == host_index) {
			snprintf(err, errlen, "--remote-guests: machine %s has host_index %d, as "
				 "this one (allowed: machines up with other --host-index values)",
				 json_string_value(json_object_get(m, "instance")) ?: "?",
				 host_index);
			return -EINVAL;
		}
	}
	return 0;
}

int
swr_load(const char *path, json_t **remote, char *err, size_t errlen)
{
	char why[512], *text = NULL;
	size_t n = 0;
	int ret;

	*remote = NULL;
	ret = tb_read_file(path, &text, &n);
	if (ret < 0) {
		snprintf(err, errlen, "--remote-guests %s: %s", path, strerror(-ret));
		return ret;
	}
	if (n > (1 << 20)) {
		free(text);
		snprintf(err, errlen, "--remote-guests %s: not a serve output (size %zu)", path, n);
		return -EINVAL;
	}
	ret = swr_parse(text, remote, why, sizeof(why));
	free(text);
	if (ret < 0)
		snprintf(err, errlen, "--remote-guests %s: %s", path, why);
	return ret;
}

void
swr_place(int k, int n_machines, int *machine, int *guest)
{
	*machine = k % n_machines;
	*guest = k / n_machines;
}

json_t *
swr_guest(json_t *remote, size_t m, enum tb_backend be, int idx)
{
	json_t *g;
	size_t i;

	json_array_foreach(json_object_get(json_array_get(remote, m), "guests"), i, g) {
		const char *name = json_string_value(json_object_get(g, "backend"));

		if (strcmp(name, tb_backend_name(be)) == 0 &&
		    json_integer_value(json_object_get(g, "index")) == idx)
			return g;
	}
	return NULL;
}

json_t *
swr_server(json_t *remote, enum tb_backend be, int k)
{
	int m, idx;

	if (k < 0 || json_array_size(remote) == 0)
		return NULL;
	swr_place(k, (int)json_array_size(remote), &m, &idx);
	return swr_guest(remote, (size_t)m, be, idx);
}
