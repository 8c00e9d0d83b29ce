/* SPDX-License-Identifier: BSD-3-Clause */
/* The one place that starts programs: argv, scrubbed environment, no shell, time limits. */
#ifndef TB_RUNCMD_H
#define TB_RUNCMD_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Every external program runs from an argv array (no shell) with a scrubbed
 * environment: a fixed PATH, LC_ALL=C, plus the variables in env_extra.
 */
struct tb_run_opts {
	const char *const *env_extra; /* NULL-terminated "KEY=value" list, or NULL */
	const char *log_path;         /* stdout+stderr appended here (spawn only) */
	int timeout_ms;               /* 0: no limit; on expiry the child is killed */
	/* spawn only: if set, the child's stdin is a pipe and its write end (O_CLOEXEC) is
	 * returned here, for programs driven by commands (testpmd -i) or that exit at EOF;
	 * NULL: stdin is /dev/null */
	int *stdin_pipe;
};

/* Absolute path of a tool from the system directories, or NULL. */
const char *tb_tool_path(const char *name);

/*
 * Runs argv[0] (a name looked up with tb_tool_path, or a path) and waits.
 * *out and *err (each optional) receive what it printed, NUL-terminated; free them.
 * Returns its exit status (0..255, 128+signal) or a negative errno
 * (-ENOENT tool missing, -ETIMEDOUT killed at the time limit, even when it closed its
 * output and ran on; -EFBIG killed when stdout or stderr passed TB_RUN_OUTPUT_MAX).
 * It runs with umask 022 (tb_spawn's daemons with 077), so what it writes is 0644.
 */
int tb_run(const char *const argv[], const struct tb_run_opts *o, char **out, char **err);

/* What tb_run keeps of each of stdout and stderr (guests' output included). */
#define TB_RUN_OUTPUT_MAX (16u << 20)

/* Same, but the output is only kept for an error message: 0 on exit status 0. */
int tb_run_ok(const char *const argv[], char *errbuf, size_t errlen);

/*
 * This program again as a step of a bigger command (bench all): argv in the foreground in our
 * process group (Ctrl-C reaches it), with our environment and stderr, stdout to out_path (made
 * or truncated, 0644), waited for without a limit. Its exit status (128 + signal), or a
 * negative errno.
 */
int tb_run_step(const char *const argv[], const char *out_path);

/* Starts argv in the background in its own session; stdout/stderr to o->log_path. */
int tb_spawn(const char *const argv[], const struct tb_run_opts *o, pid_t *pid);

/* pidfd_open(2) of pid: the fd, or a negative errno (-ENOSYS on kernels before 5.3). */
int tb_pidfd_open(pid_t pid);
/* sig to a child through its pidfd (pidfd < 0 or ENOSYS: kill(2) on pid); 0 or -errno. */
int tb_signal_child(int pidfd, pid_t pid, int sig);

/* Joins argv for logs and error messages (never executed). */
void tb_argv_str(const char *const argv[], char *buf, size_t len);

#endif
