/* SPDX-License-Identifier: BSD-3-Clause */
/* The one place that starts programs: argv, scrubbed environment, no shell, time limits,
 * output caps, signals through pidfds. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "clock.h"
#include "runcmd.h"

#define ENV_MAX 32

static const char *const tool_dirs[] = {
	"/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/lib/openvswitch-switch-dpdk", NULL,
};

const char *
tb_tool_path(const char *name)
{
	static __thread char path[256];
	int i;

	if (strchr(name, '/') != NULL)
		return access(name, X_OK) == 0 ? name : NULL;
	for (i = 0; tool_dirs[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s/%s", tool_dirs[i], name);
		if (access(path, X_OK) == 0)
			return path;
	}
	return NULL;
}

static void
build_env(const struct tb_run_opts *o, const char *envp[ENV_MAX])
{
	int n = 0, i;

	envp[n++] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
	envp[n++] = "LC_ALL=C";
	for (i = 0; o != NULL && o->env_extra != NULL && o->env_extra[i] != NULL; i++)
		if (n < ENV_MAX - 1)
			envp[n++] = o->env_extra[i];
	envp[n] = NULL;
}

void
tb_argv_str(const char *const argv[], char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; argv[i] != NULL && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? " " : "", argv[i]);
}

/* in_fd < 0: stdin is /dev/null */
static int
start(const char *const argv[], const struct tb_run_opts *o, int in_fd, int out_fd, int err_fd,
      bool setsid_, bool private_files, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	const char *envp[ENV_MAX];
	const char *path = tb_tool_path(argv[0]);
	sigset_t none, dfl;
	mode_t mask;
	int ret;

	if (path == NULL)
		return -ENOENT;
	build_env(o, envp);
	posix_spawn_file_actions_init(&fa);
	if (in_fd < 0)
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	else
		posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigfillset(&dfl);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
						(setsid_ ? POSIX_SPAWN_SETSID : 0));
	/*
	 * daemons create sockets and files (vhost-user, QMP, OVS db): owner only; a program
	 * run to completion (gnuplot writing a PNG) gets the usual 022, whatever ours is
	 */
	mask = umask(private_files ? 077 : 022);
	ret = posix_spawn(pid, path, &fa, &attr, (char *const *)argv, (char *const *)envp);
	umask(mask);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return -ret;
}

struct sink {
	char *buf;
	size_t len, cap;
};

/* 1 read more, 0 end of file (or error), -EFBIG past TB_RUN_OUTPUT_MAX. */
static int
sink_read(int fd, struct sink *s)
{
	char tmp[4096];
	ssize_t n = read(fd, tmp, sizeof(tmp));

	if (n <= 0)
		return n == 0 || errno != EINTR ? 0 : 1;
	if (s->len + n > TB_RUN_OUTPUT_MAX)
		return -EFBIG;
	if (s->len + n + 1 > s->cap) {
		size_t cap = (s->cap ? s->cap * 2 : 8192) + n;
		char *p = realloc(s->buf, cap);

		if (p == NULL)
			return 0;
		s->buf = p;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, tmp, n);
	s->len += n;
	s->buf[s->len] = '\0';
	return 1;
}

static int
status_of(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

static int
wait_status(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return status_of(st);
}

int
tb_pidfd_open(pid_t pid)
{
	int fd = syscall(SYS_pidfd_open, pid, 0);

	return fd >= 0 ? fd : -errno;
}

int
tb_signal_child(int pidfd, pid_t pid, int sig)
{
	if (pidfd >= 0 && syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) == 0)
		return 0;
	if (pidfd >= 0 && errno != ENOSYS)
		return -errno;
	return kill(pid, sig) == 0 ? 0 : -errno;
}

/*
 * The child's exit, waited for until deadline_ms (0: none): its status, or -ETIMEDOUT when it
 * is still running then (not reaped). A pidfd turns readable when the child exits.
 */
static int
wait_until(pid_t pid, int pidfd, long long deadline_ms)
{
	int st;

	for (;;) {
		long long left = deadline_ms ? deadline_ms - tb_now_ms() : -1;
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return status_of(st);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (deadline_ms && left <= 0)
			return -ETIMEDOUT;
		if (pidfd >= 0) {
			struct pollfd pf = {.fd = pidfd, .events = POLLIN};

			poll(&pf, 1, deadline_ms ? (int)left : -1);
		} else {
			struct timespec ts = {.tv_nsec = 10 * 1000000};

			nanosleep(&ts, NULL);
		}
	}
}

int
tb_run(const char *const argv[], const struct tb_run_opts *o, char **out, char **err)
{
	struct sink s[2] = {{0}};
	int po[2], pe[2], ret, open_fds = 2, pidfd;
	long long deadline = o != NULL && o->timeout_ms > 0 ? tb_now_ms() + o->timeout_ms : 0;
	bool timed_out = false, too_big = false;
	pid_t pid;

	if (pipe2(po, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(pe, O_CLOEXEC) < 0) {
		ret = -errno;
		close(po[0]);
		close(po[1]);
		return ret;
	}
	ret = start(argv, o, -1, po[1], pe[1], false, false, &pid);
	close(po[1]);
	close(pe[1]);
	if (ret < 0) {
		close(po[0]);
		close(pe[0]);
		return ret;
	}
	/* our child, not reaped yet: its pid cannot be reused; the pidfd also tells its exit */
	pidfd = tb_pidfd_open(pid);
	struct pollfd pf[2] = {{.fd = po[0], .events = POLLIN}, {.fd = pe[0], .events = POLLIN}};

	while (open_fds > 0 && !too_big) {
		int wait = -1, i;

		if (deadline) {
			wait = deadline - tb_now_ms();
			if (wait <= 0) {
				timed_out = true;
				break;
			}
		}
		if (poll(pf, 2, wait) < 0 && errno != EINTR)
			break;
		for (i = 0; i < 2; i++) {
			if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ret = sink_read(pf[i].fd, &s[i]);
			if (ret == -EFBIG) {
				too_big = true;
				break;
			}
			if (ret == 0) {
				close(pf[i].fd);
				pf[i].fd = -1;
				open_fds--;
			}
		}
	}
	if (pf[0].fd >= 0)
		close(pf[0].fd);
	if (pf[1].fd >= 0)
		close(pf[1].fd);
	/* its output is closed, but it may run on: the time limit still holds */
	ret = timed_out || too_big ? -ETIMEDOUT : wait_until(pid, pidfd, deadline);
	if (ret == -ETIMEDOUT) {
		timed_out = !too_big;
		tb_signal_child(pidfd, pid, SIGKILL);
		ret = wait_status(pid);
	}
	if (pidfd >= 0)
		close(pidfd);
	if (timed_out)
		ret = -ETIMEDOUT;
	else if (too_big)
		ret = -EFBIG;
	if (out != NULL)
		*out = s[0].buf != NULL ? s[0].buf : strdup("");
	else
		free(s[0].buf);
	if (err != NULL)
		*err = s[1].buf != NULL ? s[1].buf : strdup("");
	else
		free(s[1].buf);
	return ret;
}

int
tb_run_ok(const char *const argv[], char *errbuf, size_t errlen)
{
	struct tb_run_opts o = {.timeout_ms = 60000};
	char *out = NULL, *err = NULL, cmd[256];
	int ret = tb_run(argv, &o, &out, &err);

	if (ret != 0 && errbuf != NULL) {
		const char *why = err != NULL && err[0] ? err : out != NULL ? out : "";
		size_t n;

		tb_argv_str(argv, cmd, sizeof(cmd));
		if (ret == -EFBIG)
			snprintf(errbuf, errlen, "%s: killed: printed more than %u MiB", cmd,
				 TB_RUN_OUTPUT_MAX >> 20);
		else if (ret == -ETIMEDOUT)
			snprintf(errbuf, errlen, "%s: killed at its time limit (%d s)", cmd,
				 o.timeout_ms / 1000);
		else if (ret < 0)
			snprintf(errbuf, errlen, "%s: %s", cmd, strerror(-ret));
		else
			snprintf(errbuf, errlen, "%s: exit %d: %s", cmd, ret, why);
		n = strlen(errbuf);
		while (n > 0 && (errbuf[n - 1] == '\n' || errbuf[n - 1] == ' '))
			errbuf[--n] = '\0';
	}
	free(out);
	free(err);
	return ret == 0 ? 0 : ret < 0 ? ret : -EIO;
}

int
tb_run_step(const char *const argv[], const char *out_path)
{
	extern char **environ;
	posix_spawn_file_actions_t fa;
	int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	pid_t pid;
	int ret;

	if (fd < 0)
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, 1);
	ret = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fd);
	if (ret != 0)
		return -ret;
	return wait_status(pid);
}

int
tb_spawn(const char *const argv[], const struct tb_run_opts *o, pid_t *pid)
{
	const char *log = o != NULL && o->log_path != NULL ? o->log_path : "/dev/null";
	int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	int in[2] = {-1, -1};
	int ret;

	if (fd < 0)
		return -errno;
	if (o != NULL && o->stdin_pipe != NULL && pipe2(in, O_CLOEXEC) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	ret = start(argv, o, in[0], fd, fd, true, true, pid);
	close(fd);
	if (in[0] >= 0)
		close(in[0]);
	if (in[1] >= 0) {
		if (ret == 0)
			*o->stdin_pipe = in[1];
		else
			close(in[1]);
	}
	return ret;
}
