/* SPDX-License-Identifier: BSD-3-Clause */
/* `testbed parse`: every tool's outputs, its failures exit 1 with its words, usage errors exit 2.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "tool-fixtures.h"
#include "unit.h"

/* tool, fixture, whether the tool succeeded there, a key its JSON must hold, its error */
static const struct pc_case {
	const char *tool, *file;
	bool ok;
	const char *key, *error;
} pc_cases[] = {
	{"qperf", "qperf-oo-tcp_lat-vvs.txt", true, "blocks", NULL},
	{"qperf", "qperf-tcp_bw-131072.txt", true, "bw_Bps", NULL},
	{"qperf", "qperf-fail-refused.txt", false, "blocks", "failed to connect"},
	{"iperf", "iperf-client.txt", true, "bw_bps", NULL},
	{"iperf", "iperf-fail.txt", false, NULL, ""},
	{"iperf3", "iperf3-tcp.json", true, "sent_mbps", NULL},
	{"iperf3", "iperf3-udp.json", true, "lost_pct", NULL},
	{"iperf3", "iperf3-fail-refused.json", false, NULL, "Connection refused"},
	{"iperf3", "iperf3-fail-timeout.json", false, NULL, ""},
	{"mtr", "mtr-report.txt", true, "hops", NULL},
	{"mtr", "mtr-unreachable.txt", true, "hops", NULL},
	{"mtr", "mtr-all-lost-synthetic.txt", false, NULL, ""},
	{"sockperf", "sockperf-pp-tcp-full.txt", true, "p99_us", NULL},
	{"sockperf", "sockperf-pp-udp.txt", true, "avg_us", NULL},
	{"sockperf", "sockperf-fail-tcp-refused.txt", false, NULL, "Connection refused"},
	{"sockperf", "sockperf-fail-udp-noserver.txt", false, NULL, ""},
	{"ping", "ping-50.txt", true, "p50_us", NULL},
	{"ping", "ping-fail-unreachable.txt", false, NULL, "Unreachable"},
};

/* cmd_parse's exit code, its stdout and stderr thrown away */
static int
run_parse(const char *tool, const char *file, const char *extra)
{
	char path[512], *argv[6];
	int argc = 0, out, err, null, ret;

	snprintf(path, sizeof(path), "%s/%s", getenv("FIXTURES"), file);
	argv[argc++] = "parse";
	if (tool != NULL)
		argv[argc++] = (char *)tool;
	argv[argc++] = path;
	if (extra != NULL) {
		argv[argc++] = "--oo";
		argv[argc++] = (char *)extra;
	}
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	out = dup(1);
	err = dup(2);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	ck_assert(out >= 0 && err >= 0 && null >= 0);
	dup2(null, 1);
	dup2(null, 2);
	ret = cmd_parse(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	close(null);
	return ret;
}

START_TEST(test_tools)
{
	const struct pc_case *c = &pc_cases[_i];
	struct cli_parse_conf conf = {.tool = c->tool, .file = c->file};
	char *text = fixture(c->file), err[512];
	const char *e;
	json_t *out = NULL;

	ck_assert_msg(cli_parse_text(&conf, text, &out, err, sizeof(err)) == 0, "%s: %s", c->file,
		      err);
	ck_assert_str_eq(json_string_value(json_object_get(out, "tool")), c->tool);
	ck_assert(json_is_true(json_object_get(out, "ok")) == c->ok);
	if (c->key != NULL)
		ck_assert_msg(json_object_get(out, c->key) != NULL, "%s: no %s", c->file, c->key);
	e = json_string_value(json_object_get(out, "error"));
	if (c->ok) {
		ck_assert_ptr_null(e);
	} else {
		ck_assert_msg(e != NULL && e[0] != '\0' && strstr(e, c->error) != NULL &&
				      strchr(e, '\n') == NULL,
			      "%s: error \"%s\"", c->file, e ? e : "(none)");
	}
	json_decref(out);
	free(text);
	/* the command: 0 when the tool measured, 1 when it reports its failure */
	ck_assert_int_eq(run_parse(c->tool, c->file, NULL), c->ok ? 0 : CLI_EXIT_FAIL);
}
END_TEST

START_TEST(test_not_the_tool)
{
	static const char *const tools[] = {"qperf", "iperf", "iperf3", "mtr", "sockperf", "ping"};
	struct cli_parse_conf conf = {.file = "x"};
	char err[512];
	json_t *out;
	size_t i;

	/* a text of none of them: -EINVAL with why; exit 1 */
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		conf.tool = tools[i];
		out = NULL;
		ck_assert_int_eq(cli_parse_text(&conf, "hello world\n", &out, err, sizeof(err)),
				 -EINVAL);
		ck_assert_ptr_null(out);
		ck_assert_msg(err[0] != '\0', "%s: no reason", tools[i]);
	}
	conf.tool = "qperf";
	cli_parse_text(&conf, "hello world\n", &out, err, sizeof(err));
	ck_assert_str_eq(err, "line 1: \"hello world\": not qperf output (it starts with a test "
			      "header such as \"tcp_lat:\")");
	ck_assert_int_eq(run_parse("qperf", "iperf-client.txt", NULL), CLI_EXIT_FAIL);
	ck_assert_int_eq(run_parse("iperf3", "qperf-tcp_lat-1.txt", NULL), CLI_EXIT_FAIL);
	ck_assert_int_eq(run_parse("qperf", "no-such-file.txt", NULL), CLI_EXIT_FAIL);
	/* the loop the output was made with, or one it could not have been */
	ck_assert_int_eq(run_parse("qperf", "qperf-oo-tcp_lat-vvs.txt", "msg_size:1:128M:*2"), 0);
	ck_assert_int_eq(run_parse("qperf", "qperf-oo-tcp_lat-vvs.txt", "msg_size:1:1K:*2"),
			 CLI_EXIT_FAIL);
}
END_TEST

START_TEST(test_usage)
{
	struct cli_parse_conf c;
	char err[512];
	char *bad_tool[] = {"parse", "tcpdump", "f", NULL};
	char *no_file[] = {"parse", "qperf", NULL};
	char *oo_bad[] = {"parse", "qperf", "f", "--oo", "msg_size:1:2", NULL};
	char *oo_ping[] = {"parse", "ping", "f", "--oo", "msg_size:1:2:*2", NULL};
	char *two[] = {"parse", "ping", "f", "g", NULL};
	char *good[] = {"parse", "--oo", "msg_size:1:1K:*2", "qperf", "f", NULL};

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(cli_parse_parse_args(3, bad_tool, &c, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "parse: tool \"tcpdump\" is not one of " CLI_PARSE_TOOLS);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(cli_parse_parse_args(2, no_file, &c, err, sizeof(err)), -EINVAL);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(cli_parse_parse_args(5, oo_bad, &c, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "\"msg_size:1:2\""));
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(cli_parse_parse_args(5, oo_ping, &c, err, sizeof(err)), -EINVAL);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(cli_parse_parse_args(4, two, &c, err, sizeof(err)), -EINVAL);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(cli_parse_parse_args(5, good, &c, err, sizeof(err)), 0);
	ck_assert_str_eq(c.tool, "qperf");
	ck_assert_str_eq(c.file, "f");
	ck_assert_str_eq(c.oo, "msg_size:1:1K:*2");
	ck_assert_int_eq(run_parse("tcpdump", "ping-50.txt", NULL), CLI_EXIT_USAGE);
	ck_assert_int_eq(run_parse(NULL, "ping-50.txt", NULL), CLI_EXIT_USAGE);
}
END_TEST

static Suite *
parse_cmd_suite(void)
{
	Suite *s = suite_create("parse-cmd");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_tools, 0, sizeof(pc_cases) / sizeof(pc_cases[0]));
	tcase_add_test(tc, test_not_the_tool);
	tcase_add_test(tc, test_usage);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(parse_cmd_suite)
