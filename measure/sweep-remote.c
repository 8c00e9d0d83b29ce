/* SPDX-License-Identifier: BSD-3-Clause */
/* `sweep --remote-guests`: the other machine's guests (its `serve -j`), servers of across pairs. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int
swr_parse(const char *text, json_t **remote, char *err, size_t errlen)
{
	json_error_t je;
	json_t *r, *guests, *g;
	size_t i;

	*remote = NULL;
	r = json_loads(text, 0, &je);
	if (r == NULL || !json_is_object(r)) {
		snprintf(err, errlen, "not the JSON of `testbed -j serve` (%s, line %d)",
			 r == NULL ? je.text : "not an object", je.line);
		json_decref(r);
		return -EINVAL;
	}
	guests = json_object_get(r, "guests");
	if (!json_is_array(guests) || json_array_size(guests) == 0) {
		snprintf(err, errlen, "no \"guests\" (allowed: the output of `testbed -j serve`)");
		json_decref(r);
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
			json_decref(r);
			return -EINVAL;
		}
		if (!in_bench_range(addr)) {
			snprintf(err, errlen, "guest %s: address \"%s\" outside 198.18.0.0/15 "
				 "(allowed: guest addresses of the testbed)", name, addr ?: "");
			json_decref(r);
			return -EINVAL;
		}
		json_object_set_new(g, "kind", json_string(SWR_KIND_REMOTE));
		json_object_set_new(g, "netns", json_string(SWR_KIND_REMOTE));
	}
	*remote = r;
	return 0;
}

int
swr_load(const char *path, json_t **remote, char *err, size_t errlen)
{
	char why[512];
	FILE *f = fopen(path, "re");
	char *text;
	long n;
	int ret;

	*remote = NULL;
	if (f == NULL) {
		snprintf(err, errlen, "--remote-guests %s: %s", path, strerror(errno));
		return -errno;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if (n < 0 || n > (1 << 20)) {
		fclose(f);
		snprintf(err, errlen, "--remote-guests %s: not a serve output (size %ld)", path, n);
		return -EINVAL;
	}
	text = calloc(1, n + 1);
	if (text == NULL || fread(text, 1, n, f) != (size_t)n) {
		fclose(f);
		free(text);
		snprintf(err, errlen, "--remote-guests %s: cannot read it", path);
		return -EIO;
	}
	fclose(f);
	ret = swr_parse(text, remote, why, sizeof(why));
	free(text);
	if (ret < 0)
		snprintf(err, errlen, "--remote-guests %s: %s", path, why);
	return ret;
}

json_t *
swr_server(json_t *remote, enum tb_backend be, int client_idx)
{
	json_t *g;
	size_t i;

	json_array_foreach(json_object_get(remote, "guests"), i, g) {
		const char *name = json_string_value(json_object_get(g, "backend"));

		if (strcmp(name, tb_backend_name(be)) == 0 &&
		    json_integer_value(json_object_get(g, "index")) == client_idx)
			return g;
	}
	return NULL;
}
