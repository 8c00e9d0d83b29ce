/* SPDX-License-Identifier: BSD-3-Clause */
/* Usage and parsers agree: every command's and bench's options, both ways, from the tables. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "bench-all.h"
#include "bench-ebpf.h"
#include "bench-net.h"
#include "bench.h"
#include "commands.h"
#include "opts.h"
#include "relay.h"
#include "serve.h"
#include "simulate.h"
#include "sweep.h"
#include "unit.h"

typedef int (*parse_fn)(int argc, char **argv, char *err, size_t errlen);

static int
p_up(int argc, char **argv, char *err, size_t errlen)
{
	struct up_conf c = UP_CONF_DEFAULT;

	return up_parse_args(argc, argv, &c, err, errlen);
}

static int
p_instance(int argc, char **argv, char *err, size_t errlen)
{
	char inst[TB_INSTANCE_MAX + 1];

	return instance_parse_args(argc, argv, inst, sizeof(inst), err, errlen);
}

static int
p_sweep(int argc, char **argv, char *err, size_t errlen)
{
	struct sweep_conf c = SWEEP_CONF_DEFAULT;

	return sweep_parse_args(argc, argv, &c, err, errlen);
}

static int
p_sim(int argc, char **argv, char *err, size_t errlen)
{
	struct sim_conf c = SIM_CONF_DEFAULT;

	return sim_parse_args(argc, argv, &c, err, errlen);
}

static int
p_relay(int argc, char **argv, char *err, size_t errlen)
{
	static struct vm_relay_conf c;

	memset(&c, 0, sizeof(c));
	c.cpu = -1;
	return cli_relay_parse_args(argc, argv, &c, err, errlen);
}

static int
p_doctor(int argc, char **argv, char *err, size_t errlen)
{
	const char *nic = NULL;

	return doctor_parse_args(argc, argv, &nic, err, errlen);
}

static int
p_serve(int argc, char **argv, char *err, size_t errlen)
{
	struct serve_conf c = SERVE_CONF_DEFAULT;

	return serve_parse_args(argc, argv, &c, err, errlen);
}

static int
p_gexec(int argc, char **argv, char *err, size_t errlen)
{
	struct cli_gexec_conf c = {.n_socks = 0};

	return cli_gexec_parse_args(argc, argv, &c, err, errlen);
}

static int
p_parse(int argc, char **argv, char *err, size_t errlen)
{
	struct cli_parse_conf c = {.tool = NULL};

	return cli_parse_parse_args(argc, argv, &c, err, errlen);
}

static int
p_import(int argc, char **argv, char *err, size_t errlen)
{
	struct imp_conf c = IMP_CONF_DEFAULT;

	return cli_import_parse_args(argc, argv, &c, err, errlen);
}

static int
p_bswitch(int argc, char **argv, char *err, size_t errlen)
{
	struct bench_conf c = BENCH_CONF_DEFAULT;

	return bench_parse_args(argc, argv, &c, err, errlen);
}

static int
p_bnet(int argc, char **argv, char *err, size_t errlen)
{
	struct bnet_conf c = BNET_CONF_DEFAULT;

	return bnet_parse_args(argc, argv, &c, err, errlen);
}

static int
p_bebpf(int argc, char **argv, char *err, size_t errlen)
{
	struct bebpf_conf c = BEBPF_CONF_DEFAULT;

	return bebpf_parse_args(argc, argv, &c, err, errlen);
}

static int
p_ball(int argc, char **argv, char *err, size_t errlen)
{
	struct ball_conf c = BALL_CONF_DEFAULT;

	return ball_parse_args(argc, argv, &c, err, errlen);
}

static int
p_bcrr(int argc, char **argv, char *err, size_t errlen)
{
	struct bnet_crr_conf c = {.port = 11112, .time_s = 5, .size = BNET_CRR_MSG_MIN};

	return bnet_crr_parse_args(argc, argv, &c, err, errlen);
}

static int
p_bpath(int argc, char **argv, char *err, size_t errlen)
{
	struct bpath_conf c = BPATH_CONF_DEFAULT;

	return bpath_parse_args(argc, argv, &c, err, errlen);
}

static int
p_bprobe(int argc, char **argv, char *err, size_t errlen)
{
	struct bpath_probe_conf c = BPATH_PROBE_CONF_DEFAULT;

	return bpath_probe_parse_args(argc, argv, &c, err, errlen);
}

/* The parser of each command with options (bench: of each bench), and the positional words
 * it needs before an option is looked at. */
static const struct {
	const char *cmd, *bench;
	parse_fn parse;
	const char *pos;
} parsers[] = {
	{"up", NULL, p_up, NULL},
	{"status", NULL, p_instance, NULL},
	{"restart", NULL, p_instance, NULL},
	{"down", NULL, p_instance, NULL},
	{"sweep", NULL, p_sweep, "tcp_lat"},
	{"simulate", NULL, p_sim, NULL},
	{"relay", NULL, p_relay, NULL},
	{"serve", NULL, p_serve, NULL},
	{"doctor", NULL, p_doctor, NULL},
	{"guest-exec", NULL, p_gexec, NULL},
	{"parse", NULL, p_parse, "qperf"},
	{"import", NULL, p_import, "dir"},
	{"bench", "switch", p_bswitch, NULL},
	{"bench", "net", p_bnet, NULL},
	{"bench", "ebpf", p_bebpf, NULL},
	{"bench", "all", p_ball, NULL},
	{"bench", "crr", p_bcrr, NULL},
	{"bench", "path", p_bpath, NULL},
	{"bench", "probe", p_bprobe, NULL},
};

#define N_PARSERS (sizeof(parsers) / sizeof(parsers[0]))

static parse_fn
parser_of(const char *cmd, const char *bench, const char **pos)
{
	size_t i;

	for (i = 0; i < N_PARSERS; i++) {
		if (strcmp(parsers[i].cmd, cmd) != 0)
			continue;
		if ((bench == NULL) != (parsers[i].bench == NULL))
			continue;
		if (bench != NULL && strcmp(parsers[i].bench, bench) != 0)
			continue;
		if (pos != NULL)
			*pos = parsers[i].pos;
		return parsers[i].parse;
	}
	return NULL;
}

/* What one of the printing functions writes, as a string (the caller frees it). */
#define CAPTURE(buf, call)                                                                         \
	do {                                                                                       \
		size_t _len;                                                                       \
		FILE *out = open_memstream(&(buf), &_len);                                         \
		ck_assert_ptr_nonnull(out);                                                        \
		call;                                                                              \
		fclose(out);                                                                       \
	} while (0)

/* "--name" in text as a whole option name (not the start of a longer one). */
static bool
names_option(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = strstr(text, "--"); p != NULL; p = strstr(p + 2, "--")) {
		if (strncmp(p + 2, name, n) == 0 &&
		    !(isalnum((unsigned char)p[2 + n]) || p[2 + n] == '-'))
			return true;
	}
	return false;
}

/* Every "--name" token of text is an option of t or one every command has. */
static void
check_tokens(const char *what, const char *text, const struct cli_opt *t)
{
	const char *p;
	char name[64];
	size_t n;

	for (p = strstr(text, "--"); p != NULL; p = strstr(p + 2, "--")) {
		if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '-'))
			continue;
		for (n = 0; n < sizeof(name) - 1 && (isalnum((unsigned char)p[2 + n]) ||
						     p[2 + n] == '-' || p[2 + n] == '_');
		     n++)
			name[n] = p[2 + n];
		name[n] = '\0';
		if (n == 0)
			continue; /* the `--` before a guest program */
		ck_assert_msg(cli_opt_find(t, name) != NULL || cli_opt_find(cli_global_opts, name),
			      "%s: the usage names --%s, which its parser does not take", what,
			      name);
	}
}

/* The parser takes every option of its table: whatever it says of the value, it does not
 * call the option unknown. And it does refuse one that is not in the table. */
static void
check_parser(const char *what, parse_fn parse, const char *argv0, const char *bench,
	     const char *pos, const struct cli_opt *t)
{
	char err[1024], opt[80];
	char *argv[8];
	int argc;

	for (;; t++) {
		const char *name = t->long_name != NULL ? t->long_name : "no-such-option";

		argc = 0;
		argv[argc++] = (char *)argv0;
		if (bench != NULL)
			argv[argc++] = (char *)bench;
		if (pos != NULL)
			argv[argc++] = (char *)pos;
		snprintf(opt, sizeof(opt), "--%s", name);
		argv[argc++] = opt;
		if (t->long_name != NULL && t->has_arg != no_argument)
			argv[argc++] = "1";
		argv[argc] = NULL;
		err[0] = '\0';
		if (t->long_name == NULL) {
			ck_assert_msg(parse(argc, argv, err, sizeof(err)) < 0 &&
					      strstr(err, "unknown") != NULL,
				      "%s: --no-such-option not refused as unknown: \"%s\"", what,
				      err);
			return;
		}
		if (parse(argc, argv, err, sizeof(err)) < 0)
			ck_assert_msg(strstr(err, "unknown or incomplete option") == NULL &&
					      strstr(err, "unknown option") == NULL,
				      "%s: its usage names --%s, its parser refuses it: %s", what,
				      name, err);
	}
}

static void
check_one(const char *what, const char *synopsis, const char *help, const struct cli_opt *t)
{
	const struct cli_opt *o;

	for (o = t; o != NULL && o->long_name != NULL; o++)
		ck_assert_msg(names_option(synopsis, o->long_name),
			      "%s: its parser takes --%s, its usage does not name it:\n%s", what,
			      o->long_name, synopsis);
	check_tokens(what, synopsis, t);
	check_tokens(what, help, t);
}

START_TEST(test_commands)
{
	const struct cli_cmd *c;
	char *syn = NULL, *help = NULL;
	const char *pos = NULL;
	parse_fn parse;

	for (c = cli_cmds; c->name != NULL; c++) {
		if (strcmp(c->name, "bench") == 0)
			continue; /* per bench, below */
		CAPTURE(syn, cli_cmd_usage(out, c, 0));
		CAPTURE(help, cli_cmd_help(out, c));
		check_one(c->name, syn, help, c->opts);
		parse = parser_of(c->name, NULL, &pos);
		ck_assert_msg(c->opts == NULL || parse != NULL,
			      "%s has options but no parser in test-usage.c's list", c->name);
		if (parse != NULL)
			check_parser(c->name, parse, c->name, NULL, pos, c->opts);
		free(syn);
		free(help);
	}
}
END_TEST

START_TEST(test_benches)
{
	const struct cli_bench *b;
	char *syn = NULL, *help = NULL, what[64];
	const char *pos = NULL;
	parse_fn parse;

	for (b = cli_benches; b->name != NULL; b++) {
		snprintf(what, sizeof(what), "bench %s", b->name);
		CAPTURE(syn, cli_bench_usage(out, b, 0));
		CAPTURE(help, cli_bench_help(out, b));
		check_one(what, syn, help, b->opts);
		parse = parser_of("bench", b->name, &pos);
		ck_assert_msg(parse != NULL, "%s has no parser in test-usage.c's list", what);
		check_parser(what, parse, "bench", b->name, pos, b->opts);
		free(syn);
		free(help);
	}
}
END_TEST

/* `testbed --help` and `bench --help` list every command and every listed bench. */
START_TEST(test_lists)
{
	const struct cli_cmd *c;
	const struct cli_bench *b;
	char *all = NULL, *bench = NULL, line[128], err[256];

	CAPTURE(all, cli_usage(out));
	CAPTURE(bench, cli_cmd_help(out, cli_cmd_find("bench")));
	for (c = cli_cmds; c->name != NULL; c++) {
		snprintf(line, sizeof(line), "testbed %s", c->name);
		ck_assert_msg(strstr(all, line) != NULL, "testbed --help leaves %s out", c->name);
	}
	ck_assert_int_lt(cli_bench_check("nosuch", "net", err, sizeof(err)), 0);
	ck_assert_str_eq(err, "bench: unknown bench \"nosuch\" (valid: switch, net, ebpf, path, all)");
	for (b = cli_benches; b->name != NULL; b++) {
		bool hidden = b->flags & CLI_BENCH_HIDDEN;

		snprintf(line, sizeof(line), "testbed bench %s ", b->name);
		ck_assert_msg((strstr(all, line) != NULL) != hidden,
			      "testbed --help and bench %s (hidden %d)", b->name, hidden);
		ck_assert_msg((strstr(bench, line) != NULL) != hidden,
			      "bench --help and bench %s (hidden %d)", b->name, hidden);
		ck_assert_ptr_eq(cli_bench_find(b->name), b);
	}
	ck_assert_ptr_null(cli_bench_find("swit"));
	free(all);
	free(bench);
}
END_TEST

/* The bench named among options, whichever take a value. */
START_TEST(test_bench_which)
{
	ck_assert_str_eq(cli_bench_which(4, (char *[]){"bench", "--time", "3", "net", NULL}),
			 "net");
	ck_assert_str_eq(cli_bench_which(3, (char *[]){"bench", "--keep", "all", NULL}), "all");
	ck_assert_str_eq(cli_bench_which(3, (char *[]){"bench", "--time=3", "ebpf", NULL}), "ebpf");
	ck_assert_ptr_null(cli_bench_which(3, (char *[]){"bench", "--time", "3", NULL}));
}
END_TEST

/* README's command reference is `testbed --help`, line for line. */
START_TEST(test_readme)
{
	const char *path = getenv("README");
	char *all = NULL, *readme = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_ptr_nonnull(path);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(getdelim(&readme, &len, '\0', f), 0);
	fclose(f);
	CAPTURE(all, cli_usage(out));
	for (line = strtok_r(all, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		ck_assert_msg(strstr(readme, line) != NULL,
			      "README.md's command reference lacks this line of testbed --help "
			      "(paste its output there):\n%s",
			      line);
	free(all);
	free(readme);
}
END_TEST

static Suite *
usage_suite(void)
{
	Suite *s = suite_create("usage");
	TCase *tc = tcase_create("tables");

	tcase_add_test(tc, test_commands);
	tcase_add_test(tc, test_benches);
	tcase_add_test(tc, test_lists);
	tcase_add_test(tc, test_bench_which);
	tcase_add_test(tc, test_readme);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(usage_suite)
