/* SPDX-License-Identifier: BSD-3-Clause */
/* `testbed parse`: a tool's raw output file -> the numbers the testbed reads from it (JSON). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "fsutil.h"
#include "log.h"
#include "opts.h"
#include "toolparse.h"

const struct cli_opt cli_parse_opts[] = {
	{"oo", 'o', required_argument, "msg_size:MIN:MAX:*F",
	 "qperf: the -oo loop the output was made with, for blocks that do not print msg_size "
	 "(-vvs, no -v); default msg_size:1:128M:*2 for TCP tests, msg_size:1:1K:*2 for UDP",
	 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

/* One tool: its text -> JSON with "ok" and "error"; -EINVAL when the text is not its output. */
typedef int (*parse_tool_fn)(const char *text, const struct cli_parse_conf *c, json_t **out,
			     char *err, size_t errlen);

static int
p_qperf(const char *text, const struct cli_parse_conf *c, json_t **out, char *err, size_t errlen)
{
	struct tp_qperf_all a;
	int ret = tp_qperf_parse_all(text, c->oo, &a);

	if (ret == 0)
		*out = tp_qperf_all_json(&a);
	else
		snprintf(err, errlen, "%s", ret == -EINVAL ? a.error : strerror(-ret));
	tp_qperf_all_free(&a);
	return ret;
}

static int
p_iperf(const char *text, const struct cli_parse_conf *c, json_t **out, char *err, size_t errlen)
{
	struct tp_iperf r;
	int ret = tp_iperf_parse(text, &r);

	(void)c;
	if (ret == 0)
		*out = tp_iperf_json(&r);
	else
		snprintf(err, errlen, "not the output of iperf -c (iperf 2, text or -y C)");
	return ret;
}

static int
p_iperf3(const char *text, const struct cli_parse_conf *c, json_t **out, char *err, size_t errlen)
{
	struct tp_iperf3 r;
	int ret = tp_iperf3_parse(text, &r);

	(void)c;
	if (ret == 0)
		*out = tp_iperf3_json(&r);
	else
		snprintf(err, errlen, "not the output of iperf3 -c ... -J");
	return ret;
}

static int
p_mtr(const char *text, const struct cli_parse_conf *c, json_t **out, char *err, size_t errlen)
{
	struct tp_mtr r;
	int ret = tp_mtr_parse(text, &r);

	(void)c;
	if (ret == 0)
		*out = tp_mtr_json(&r);
	else
		snprintf(err, errlen, "not the output of mtr --report");
	return ret;
}

static int
p_sockperf(const char *text, const struct cli_parse_conf *c, json_t **out, char *err, size_t errlen)
{
	struct tp_sockperf r;
	int ret = tp_sockperf_parse(text, &r);

	(void)c;
	if (ret == 0) {
		*out = tp_sockperf_json(&r);
		tp_sockperf_free(&r);
	} else {
		snprintf(err, errlen, "not the output of sockperf ping-pong");
	}
	return ret;
}

static int
p_ping(const char *text, const struct cli_parse_conf *c, json_t **out, char *err, size_t errlen)
{
	struct tp_ping r;
	int ret = tp_ping_parse(text, &r);

	(void)c;
	if (ret == 0) {
		*out = tp_ping_json(&r);
		tp_ping_free(&r);
	} else {
		snprintf(err, errlen, "not the output of ping");
	}
	return ret;
}

/* The tools `parse` reads: every raw output sweep, simulate and the benches keep. */
static const struct {
	const char *name;
	parse_tool_fn fn;
} parse_tools[] = {
	{"qperf", p_qperf},
	{"iperf", p_iperf},
	{"iperf3", p_iperf3},
	{"mtr", p_mtr},
	{"sockperf", p_sockperf},
	{"ping", p_ping},
};

#define N_TOOLS (sizeof(parse_tools) / sizeof(parse_tools[0]))

int
cli_parse_parse_args(int argc, char **argv, struct cli_parse_conf *c, char *err, size_t errlen)
{
	struct option opts[CLI_OPTS_MAX];
	size_t i;
	int o;

	cli_opts_getopt(cli_parse_opts, opts);
	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "-", opts, NULL)) != -1) {
		switch (o) {
		case 1:
			if (c->tool == NULL) {
				c->tool = optarg;
			} else if (parse_positional(optarg, &c->file, err, errlen) < 0) {
				return -EINVAL;
			}
			break;
		case 'o':
			c->oo = optarg;
			break;
		default:
			return bad_option(argc, argv, err, errlen);
		}
	}
	if (c->tool == NULL) {
		snprintf(err, errlen, "parse: which tool? (valid: %s)", CLI_PARSE_TOOLS);
		return -EINVAL;
	}
	for (i = 0; i < N_TOOLS && strcmp(parse_tools[i].name, c->tool) != 0; i++)
		;
	if (i == N_TOOLS) {
		snprintf(err, errlen, "parse: tool \"%s\" is not one of %s", c->tool,
			 CLI_PARSE_TOOLS);
		return -EINVAL;
	}
	if (c->oo != NULL && strcmp(c->tool, "qperf") != 0) {
		snprintf(err, errlen, "parse: --oo is for qperf outputs, not %s", c->tool);
		return -EINVAL;
	}
	if (c->oo != NULL) {
		double sizes[TP_QPERF_MAX_SIZES];
		size_t n;

		if (tp_qperf_oo_sizes(c->oo, sizes, TP_QPERF_MAX_SIZES, &n) < 0) {
			snprintf(err, errlen,
				 "parse: --oo \"%s\": allowed is msg_size:MIN:MAX:*F or "
				 "msg_size:MIN:MAX:+STEP (K, M, G: powers of 1024; at most %d "
				 "sizes)",
				 c->oo, TP_QPERF_MAX_SIZES);
			return -EINVAL;
		}
	}
	if (c->file == NULL) {
		snprintf(err, errlen, "parse: %s needs the FILE of its raw output", c->tool);
		return -EINVAL;
	}
	return 0;
}

int
cli_parse_text(const struct cli_parse_conf *c, const char *text, json_t **out, char *err,
	       size_t errlen)
{
	size_t i;

	*out = NULL;
	for (i = 0; i < N_TOOLS; i++)
		if (strcmp(parse_tools[i].name, c->tool) == 0)
			break;
	if (i == N_TOOLS) {
		snprintf(err, errlen, "tool \"%s\" is not one of %s", c->tool, CLI_PARSE_TOOLS);
		return -EINVAL;
	}
	err[0] = '\0';
	if (parse_tools[i].fn(text, c, out, err, errlen) < 0)
		return -EINVAL;
	if (*out == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

/*
 * Re-analyses one kept raw output: the measurements as JSON on stdout. The tool's own failure
 * (connection refused, nothing measured) is exit 1 with its words in one line: on stderr
 * beside the JSON, or as the JSON's "error" with -j.
 */
int
cmd_parse(int argc, char **argv)
{
	struct cli_parse_conf c = {.tool = NULL};
	char err[512], *text = NULL;
	json_t *out = NULL;
	bool ok;
	int ret;

	if (cli_parse_parse_args(argc, argv, &c, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	ret = tb_read_file(c.file, &text, NULL);
	if (ret < 0) {
		tb_err("%s: %s", c.file, strerror(-ret));
		return CLI_EXIT_FAIL;
	}
	ret = cli_parse_text(&c, text, &out, err, sizeof(err));
	free(text);
	if (ret < 0) {
		tb_err("%s: %s", c.file, err);
		return CLI_EXIT_FAIL;
	}
	ok = json_is_true(json_object_get(out, "ok"));
	json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	fputc('\n', stdout);
	fflush(stdout);
	if (!ok && !tb_log_json())
		tb_err("%s: %s failed: %s", c.file, c.tool,
		       json_string_value(json_object_get(out, "error")) ?: "no reason given");
	json_decref(out);
	return ok ? 0 : CLI_EXIT_FAIL;
}
