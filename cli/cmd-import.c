/* SPDX-License-Identifier: BSD-3-Clause */
/* `testbed import`: raw outputs of the published method -> a run directory (measure/import.c). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "backend.h"
#include "commands.h"
#include "import.h"
#include "log.h"
#include "opts.h"
#include "toolparse.h"

const struct cli_opt cli_import_opts[] = {
	{"out", 'o', required_argument, "DIR", "where the run directory goes (default results)", 0},
	{"backend", 'b', required_argument, "NAME",
	 "FILE is one raw output of this backend (" TB_BE_NAMES_LIST "); with --test", 0},
	{"test", 't', required_argument, "TEST",
	 "FILE is one raw output of this test (" IMP_TESTS "); with --backend", 0},
	{"oo", 'q', required_argument, "msg_size:MIN:MAX:*F",
	 "the qperf -oo loop of the outputs, for blocks that do not print msg_size (-vvs); "
	 "default msg_size:1:128M:*2 for TCP tests, msg_size:1:1K:*2 for UDP",
	 0},
	{"across-hosts", 'a', no_argument, NULL,
	 "the outputs were measured between guests on two hosts: their points are across_hosts "
	 "(default same_host), so `report` sets them beside a sweep --across-hosts",
	 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

int
cli_import_parse_args(int argc, char **argv, struct imp_conf *c, char *err, size_t errlen)
{
	struct option opts[CLI_OPTS_MAX];
	double sizes[TP_QPERF_MAX_SIZES];
	size_t n;
	int o;

	cli_opts_getopt(cli_import_opts, opts);
	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "-", opts, NULL)) != -1) {
		switch (o) {
		case 1:
			if (parse_positional(optarg, &c->path, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'o':
			if (parse_out_dir(optarg, &c->out, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'b':
			if (tb_backend_from_name(optarg) < 0) {
				snprintf(err, errlen, "import: --backend \"%s\": allowed are %s",
					 optarg, TB_BE_NAMES_LIST);
				return -EINVAL;
			}
			c->backend = optarg;
			break;
		case 't':
			if (imp_test_check(optarg) < 0) {
				snprintf(err, errlen, "import: --test \"%s\": allowed are %s",
					 optarg, IMP_TESTS);
				return -EINVAL;
			}
			c->test = optarg;
			break;
		case 'q':
			if (tp_qperf_oo_sizes(optarg, sizes, TP_QPERF_MAX_SIZES, &n) < 0) {
				snprintf(err, errlen,
					 "import: --oo \"%s\": allowed is msg_size:MIN:MAX:*F or "
					 "msg_size:MIN:MAX:+STEP (K, M, G: powers of 1024; at most "
					 "%d "
					 "sizes)",
					 optarg, TP_QPERF_MAX_SIZES);
				return -EINVAL;
			}
			c->oo = optarg;
			break;
		case 'a':
			c->scope = TB_SCOPE_ACROSS_HOSTS;
			break;
		default:
			return bad_option(argc, argv, err, errlen);
		}
	}
	if ((c->backend != NULL) != (c->test != NULL)) {
		snprintf(err, errlen,
			 "import: --backend and --test go together (one file of that "
			 "backend and test)");
		return -EINVAL;
	}
	if (c->path == NULL) {
		snprintf(err, errlen,
			 "import: which folder? (or a FILE with --backend and --test)");
		return -EINVAL;
	}
	return 0;
}

/* Imports the folder (or file): the run directory on stdout, results.json with -j. */
int
cmd_import(int argc, char **argv)
{
	struct imp_conf conf = IMP_CONF_DEFAULT;
	char err[1024], warn[1024], dir[4096];
	json_t *results;
	int ret;

	if (cli_import_parse_args(argc, argv, &conf, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	ret = imp_run(&conf, &results, dir, sizeof(dir), err, sizeof(err), warn, sizeof(warn));
	if (results == NULL) {
		tb_err("%s", err);
		return ret == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
	}
	if (warn[0] != '\0')
		tb_warn("%s", warn);
	return cli_run_done(results, dir, ret, "the import's");
}
