/* SPDX-License-Identifier: BSD-3-Clause */
/* `testbed doctor`: what this host can run and why not (instance/doctor.c), as text or JSON. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "args.h"
#include "commands.h"
#include "log.h"
#include "opts.h"
#include "up.h"

const struct cli_opt cli_doctor_opts[] = {
	{"nic", 'n', required_argument, "DEVARGS", "also check the NIC `up --nic DEVARGS` would "
	 "drive (its iface= link exists, or its PCI device is bound to vfio-pci)", 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

int
doctor_parse_args(int argc, char **argv, const char **nic, char *err, size_t errlen)
{
	struct option opts[CLI_OPTS_MAX];
	int o;

	cli_opts_getopt(cli_doctor_opts, opts);
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'n':
			*nic = optarg;
			break;
		default:
			return bad_option(argc, argv, err, errlen);
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "doctor takes no argument \"%s\" (allowed: --nic DEVARGS, -j)",
			 argv[optind]);
		return -EINVAL;
	}
	return 0;
}

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
	char why[1200], err[512], nic_why[512] = "";
	const char *nic = NULL;
	int nic_ret = 0;
	json_t *d;

	if (doctor_parse_args(argc, argv, &nic, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	if (up_doctor(&d, why, sizeof(why)) < 0)
		return CLI_EXIT_FAIL;
	if (nic != NULL) {
		nic_ret = up_nic_probe(nic, nic_why, sizeof(nic_why));
		json_object_set_new(json_object_get(d, "probes"), "nic",
				    json_pack("{s:b, s:s, s:s}", "ok", nic_ret == 0, "detail",
					      nic_why, "devargs", nic));
	}
	if (tb_log_json()) {
		json_dumpf(d, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else {
		print_text(d);
		printf("  %-22s %s\n", "qemu accelerator", why);
	}
	json_decref(d);
	if (nic_ret < 0) {
		tb_err("--nic %s: %s", nic, nic_why);
		return CLI_EXIT_FAIL;
	}
	return 0;
}
