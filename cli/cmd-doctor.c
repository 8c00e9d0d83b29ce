/* SPDX-License-Identifier: BSD-3-Clause */
/* `testbed doctor`: what this host can run and why not (instance/doctor.c), as text or JSON. */
#include <stdio.h>

#include "commands.h"
#include "log.h"
#include "up.h"

static void
print_text(json_t *d)
{
	json_t *topo = json_object_get(d, "topology"), *v, *n;
	const char *k;
	size_t i, j;

	printf("host: %s, %d NUMA node(s), %d cores, %d CPUs\n",
	       json_string_value(json_object_get(d, "kernel")),
	       (int)json_integer_value(json_object_get(topo, "nodes")),
	       (int)json_integer_value(json_object_get(topo, "cores")),
	       (int)json_integer_value(json_object_get(topo, "pus")));
	json_array_foreach(json_object_get(topo, "numa"), i, n) {
		printf("  node %d: %zu cores; hugepages:", (int)json_integer_value(json_object_get(n, "node")),
		       json_array_size(json_object_get(n, "cores")));
		json_array_foreach(json_object_get(n, "hugepages"), j, v)
			printf(" %d kB x %d (%d free)", (int)json_integer_value(json_object_get(v, "page_kb")),
			       (int)json_integer_value(json_object_get(v, "pages")),
			       (int)json_integer_value(json_object_get(v, "free")));
		printf("\n");
	}
	printf("probes:\n");
	json_object_foreach(json_object_get(d, "probes"), k, v)
		printf("  %-16s %-4s %s\n", k, json_is_true(json_object_get(v, "ok")) ? "yes" : "no",
		       json_string_value(json_object_get(v, "detail")));
	printf("tools:\n");
	json_object_foreach(json_object_get(d, "tools"), k, v) {
		const char *path = json_string_value(json_object_get(v, "path"));

		printf("  %-18s %s\n", k, path ? path : "missing");
		if (path == NULL)
			printf("  %-18s   (apt-get install %s)\n", "",
			       json_string_value(json_object_get(v, "package")));
	}
	printf("verdict:\n");
	json_object_foreach(json_object_get(d, "verdict"), k, v)
		printf("  %-22s %s\n", k, json_string_value(json_object_get(v, "why")));
}

int
cmd_doctor(int argc, char **argv)
{
	char why[1200];
	json_t *d;

	if (argc > 1) {
		tb_err("doctor takes no arguments besides -j (got \"%s\")", argv[1]);
		return CLI_EXIT_USAGE;
	}
	if (up_doctor(&d, why, sizeof(why)) < 0)
		return CLI_EXIT_FAIL;
	if (tb_log_json()) {
		json_dumpf(d, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else {
		print_text(d);
		printf("  %-22s %s\n", "qemu accelerator", why);
	}
	json_decref(d);
	return 0;
}
