/* SPDX-License-Identifier: BSD-3-Clause */
/* `testbed guest-exec`: runs a command in a QEMU guest through its agent. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "commands.h"
#include "args.h"
#include "log.h"
#include "opts.h"

static volatile sig_atomic_t stop_sig;

static void
on_signal(int sig)
{
	stop_sig = sig;
}

/* --timeout SEC: whole seconds or a decimal, up to a day. */
static int
parse_timeout(const char *s, int *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || v <= 0 || v > 86400)
		return -EINVAL;
	*ms = (int)(v * 1000 + 0.5);
	return 0;
}

const struct cli_opt cli_gexec_opts[] = {
	{"socket", 's', required_argument, "PATH", "the guest agent's socket (more than one: "
	 "tried in turn)", CLI_OPT_REQUIRED | CLI_OPT_REPEAT},
	{"timeout", 't', required_argument, "SEC", "kill the program after SEC seconds, up to "
	 "86400 (default: none)", 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

/* "guest-exec: ... (usage: guest-exec --socket PATH ...)": the usage from the table. */
static void
with_usage(char *err, size_t errlen)
{
	size_t n = strlen(err);
	FILE *f;

	if (n + 10 >= errlen)
		return;
	snprintf(err + n, errlen - n, " (usage: ");
	n = strlen(err);
	f = fmemopen(err + n, errlen - n, "w");
	if (f == NULL)
		return;
	cli_synopsis(f, "guest-exec", NULL, cli_gexec_opts, "-- PROGRAM ARGS...", 0);
	fclose(f);
	err[strcspn(err, "\n")] = '\0';
	n = strlen(err);
	if (n + 1 < errlen)
		snprintf(err + n, errlen - n, ")");
}

int
cli_gexec_parse_args(int argc, char **argv, struct cli_gexec_conf *c, char *err, size_t errlen)
{
	struct option opts[CLI_OPTS_MAX];
	int o;

	cli_opts_getopt(cli_gexec_opts, opts);
	optind = 1;
	opterr = 0;
	/* +: options end at the first other word; `--` ends them and is eaten */
	while ((o = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (o) {
		case 's':
			if (c->n_socks == CLI_GEXEC_MAX_SOCKS) {
				snprintf(err, errlen, "guest-exec: at most %d --socket",
					 CLI_GEXEC_MAX_SOCKS);
				return -EINVAL;
			}
			c->socks[c->n_socks++] = optarg;
			break;
		case 't':
			if (parse_timeout(optarg, &c->timeout_ms) < 0) {
				snprintf(err, errlen,
					 "guest-exec: --timeout \"%s\": seconds in (0, 86400]", optarg);
				return -EINVAL;
			}
			break;
		case ':':
			snprintf(err, errlen, "guest-exec: %s needs a value", argv[optind - 1]);
			return -EINVAL;
		default:
			snprintf(err, errlen, "guest-exec: unknown option \"%s\"", argv[optind - 1]);
			with_usage(err, errlen);
			return -EINVAL;
		}
	}
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0) {
		snprintf(err, errlen, "guest-exec: unknown option \"%s\"", argv[optind]);
		with_usage(err, errlen);
		return -EINVAL;
	}
	if (c->n_socks == 0 || optind >= argc) {
		snprintf(err, errlen, "guest-exec: need --socket PATH and -- PROGRAM");
		with_usage(err, errlen);
		return -EINVAL;
	}
	c->prog = optind;
	return 0;
}

/*
 * Runs PROGRAM ARGS in a QEMU guest through its agent: its stdout and stderr here as they
 * come, its exit status ours. SIGTERM/SIGINT kill it in the guest first (exit 143/130).
 */
int
cmd_guest_exec(int argc, char **argv)
{
	struct cli_gexec_conf c = {.n_socks = 0};
	struct sigaction sa = {.sa_handler = on_signal};
	int status = -1, i, ret;
	char err[512];

	if (cli_gexec_parse_args(argc, argv, &c, err, sizeof(err)) < 0) {
		tb_err("%s", err);
		return CLI_EXIT_USAGE;
	}
	i = c.prog - 1; /* argv[i + 1]: the program */
	/* no SA_RESTART: the wait loop sees the flag within its tick */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ret = vm_agent_exec_stream(c.socks, c.n_socks, (const char *const *)argv + i + 1,
				   c.timeout_ms, STDOUT_FILENO, STDERR_FILENO, &stop_sig, &status,
				   err, sizeof(err));
	if (ret == -ECANCELED || stop_sig != 0)
		return 128 + (stop_sig ? stop_sig : SIGTERM);
	if (ret < 0) {
		tb_err("guest-exec \"%s\": %s", argv[i + 1], err);
		return ret == -ETIMEDOUT ? 124 : CLI_EXIT_FAIL;
	}
	return status;
}
