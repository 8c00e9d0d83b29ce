/* SPDX-License-Identifier: BSD-3-Clause */
/* `testbed parse`: a tool's raw output file -> the numbers the testbed reads from it (JSON). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "fsutil.h"
#include "log.h"
#include "toolparse.h"

/* Re-analyses one kept raw output: the measurements as JSON on stdout. */
int
cmd_parse(int argc, char **argv)
{
	struct tp_qperf q;
	struct tp_iperf i;
	struct tp_mtr m;
	char *text = NULL;
	json_t *out = NULL;
	int ret;

	if (argc != 3 || (strcmp(argv[1], "qperf") && strcmp(argv[1], "iperf") &&
			  strcmp(argv[1], "mtr"))) {
		tb_err("usage: parse qperf|iperf|mtr FILE");
		return CLI_EXIT_USAGE;
	}
	ret = tb_read_file(argv[2], &text, NULL);
	if (ret < 0) {
		tb_err("%s: %s", argv[2], strerror(-ret));
		return CLI_EXIT_FAIL;
	}
	if (strcmp(argv[1], "qperf") == 0 && (ret = tp_qperf_parse(text, &q)) == 0)
		out = tp_qperf_json(&q);
	else if (strcmp(argv[1], "iperf") == 0 && (ret = tp_iperf_parse(text, &i)) == 0)
		out = tp_iperf_json(&i);
	else if (strcmp(argv[1], "mtr") == 0 && (ret = tp_mtr_parse(text, &m)) == 0)
		out = tp_mtr_json(&m);
	free(text);
	if (out == NULL) {
		tb_err("%s: not %s output", argv[2], argv[1]);
		return CLI_EXIT_FAIL;
	}
	json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	fputc('\n', stdout);
	json_decref(out);
	return 0;
}
