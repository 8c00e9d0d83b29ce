/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "commands.h"
#include "log.h"

#define MAX_SOCKS 16

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

/*
 * Runs PROGRAM ARGS in a QEMU guest through its agent: its stdout and stderr here as they
 * come, its exit status ours. SIGTERM/SIGINT kill it in the guest first (exit 143/130).
 */
int
cmd_guest_exec(int argc, char **argv)
{
	const char *socks[MAX_SOCKS];
	struct sigaction sa = {.sa_handler = on_signal};
	int n_socks = 0, timeout_ms = 0, status = -1, i, ret;
	char err[512];

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc) {
			if (n_socks == MAX_SOCKS) {
				tb_err("guest-exec: at most %d --socket", MAX_SOCKS);
				return CLI_EXIT_USAGE;
			}
			socks[n_socks++] = argv[++i];
		} else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
			if (parse_timeout(argv[++i], &timeout_ms) < 0) {
				tb_err("guest-exec: --timeout \"%s\": seconds in (0, 86400]",
				       argv[i]);
				return CLI_EXIT_USAGE;
			}
		} else if (strcmp(argv[i], "--socket") == 0 || strcmp(argv[i], "--timeout") == 0) {
			tb_err("guest-exec: %s needs a value", argv[i]);
			return CLI_EXIT_USAGE;
		} else {
			tb_err("guest-exec: unknown option \"%s\" (usage: guest-exec --socket PATH "
			       "[--socket PATH ...] [--timeout SEC] -- PROGRAM ARGS...)",
			       argv[i]);
			return CLI_EXIT_USAGE;
		}
	}
	if (n_socks == 0 || i + 1 >= argc) {
		tb_err("guest-exec: need --socket PATH and -- PROGRAM (usage: guest-exec --socket "
		       "PATH [--socket PATH ...] [--timeout SEC] -- PROGRAM ARGS...)");
		return CLI_EXIT_USAGE;
	}
	/* no SA_RESTART: the wait loop sees the flag within its tick */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ret = vm_agent_exec_stream(socks, n_socks, (const char *const *)argv + i + 1, timeout_ms,
				   STDOUT_FILENO, STDERR_FILENO, &stop_sig, &status, err,
				   sizeof(err));
	if (ret == -ECANCELED || stop_sig != 0)
		return 128 + (stop_sig ? stop_sig : SIGTERM);
	if (ret < 0) {
		tb_err("guest-exec \"%s\": %s", argv[i + 1], err);
		return ret == -ETIMEDOUT ? 124 : CLI_EXIT_FAIL;
	}
	return status;
}
