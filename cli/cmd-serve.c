/* SPDX-License-Identifier: BSD-3-Clause */
/* `testbed serve`: qperf and iperf servers kept in an instance's guests (measure/serve.c). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "args.h"
#include "backend.h"
#include "commands.h"
#include "log.h"
#include "opts.h"
#include "serve.h"

const struct cli_opt cli_serve_opts[] = {
	{"instance", 'i', required_argument, "NAME", "the instance, up (default main)", 0},
	{"backends", 'b', required_argument, "LIST", "comma-separated backends (default: every "
	 "backend that is up)", 0},
	{"stop", 's', no_argument, NULL, "stop the servers serve started (down stops them too)", 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

int
serve_parse_args(int argc, char **argv, struct serve_conf *c, char *err, size_t errlen)
{
	struct option opts[CLI_OPTS_MAX];
	int o;

	cli_opts_getopt(cli_serve_opts, opts);
	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'i':
			if (set_instance(optarg, c->instance, sizeof(c->instance), err, errlen) < 0)
				return -EINVAL;
			break;
		case 'b':
			if (tb_backend_parse_list(optarg, &c->backends, err, errlen) < 0)
				return -EINVAL;
			break;
		case 's':
			c->stop = 1;
			break;
		default:
			return bad_option(argc, argv, err, errlen);
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "serve takes no argument \"%s\" (allowed: options only)",
			 argv[optind]);
		return -EINVAL;
	}
	return 0;
}

int
cmd_serve(int argc, char **argv)
{
	struct serve_conf conf = SERVE_CONF_DEFAULT;
	char err[1024] = "";
	json_t *out = NULL, *g;
	size_t i;
	int ret, n;

	if (serve_parse_args(argc, argv, &conf, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	ret = cli_lock(conf.instance);
	if (ret != 0)
		return ret;
	if (conf.stop) {
		ret = serve_stop(&conf, &n, err, sizeof(err));
		if (ret < 0) {
			tb_err("serve --stop: %s", err);
			return CLI_EXIT_FAIL;
		}
		if (tb_log_json())
			printf("{\"stopped\": %d}\n", n);
		else
			printf("serve: %d server(s) stopped in instance %s\n", n, conf.instance);
		return 0;
	}
	ret = serve_start(&conf, &out, err, sizeof(err));
	if (ret < 0) {
		tb_err("serve: %s", err);
		return CLI_EXIT_FAIL;
	}
	if (tb_log_json()) {
		json_dumpf(out, stdout, JSON_INDENT(2));
		printf("\n");
	} else {
		json_array_foreach(json_object_get(out, "guests"), i, g)
			printf("serve: qperf on %s:%s, iperf on port %s in guest %s (%s)\n",
			       json_string_value(json_object_get(g, "address")),
			       json_string_value(json_object_get(out, "qperf_port")),
			       json_string_value(json_object_get(out, "iperf_port")),
			       json_string_value(json_object_get(g, "name")),
			       json_string_value(json_object_get(g, "backend")));
	}
	json_decref(out);
	return 0;
}
