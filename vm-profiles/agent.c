/* SPDX-License-Identifier: BSD-3-Clause */
/* Host side of the guest agent: run a command in a QEMU guest over virtio-serial. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "agent-proto.h"
#include "agent.h"
#include "clock.h"
#include "fsutil.h"

#define TICK_MS 100	   /* how often a waiting caller looks at *cancel */
#define TERM_GRACE_MS 2000 /* cancel: SIGTERM, then SIGKILL after this */
#define KILL_GRACE_MS 3000 /* after SIGKILL: give up waiting for EXIT */

struct channel {
	int lock_fd;
	int fd;
	const char *path;
};

/* Where the output goes: a growing buffer (exec) or file descriptors (stream). */
struct sink {
	int fd[2];
	char *buf;
	size_t len, cap;
	bool collect;
};

static uint32_t
new_id(void)
{
	static uint32_t seq;
	struct timespec ts;
	uint32_t id;

	clock_gettime(CLOCK_REALTIME, &ts);
	id = (uint32_t)ts.tv_nsec ^ ((uint32_t)getpid() << 12) ^ (++seq * 2654435761u);
	return id ? id : 1;
}

static void
channel_close(struct channel *c)
{
	if (c->fd >= 0)
		close(c->fd);
	if (c->lock_fd >= 0)
		close(c->lock_fd); /* drops the flock */
	c->fd = c->lock_fd = -1;
}

/* 1: locked, 0: taken by another process, < 0: error. */
static int
try_lock(const char *sock, int *lock_fd)
{
	char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 8];
	int fd;

	snprintf(path, sizeof(path), "%s.lock", sock);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return errno == EWOULDBLOCK ? 0 : -errno;
	}
	*lock_fd = fd;
	return 1;
}

static int
connect_sock(const char *path, int *fd_out)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	*fd_out = fd;
	return 0;
}

/* Takes the first free channel, waiting for one up to VM_AGENT_CHANNEL_WAIT_MS. */
static int
channel_open(const char *const socks[], int n, volatile sig_atomic_t *cancel, struct channel *c,
	     char *err, size_t errlen)
{
	int64_t end = tb_now_ms() + VM_AGENT_CHANNEL_WAIT_MS;
	int i, ret;

	if (n <= 0) {
		snprintf(err, errlen, "no agent socket given");
		return -EINVAL;
	}
	for (;;) {
		for (i = 0; i < n; i++) {
			/* no lock file beside a socket that is not there */
			if (access(socks[i], F_OK) < 0) {
				ret = -errno;
				snprintf(err, errlen,
					 "agent socket \"%s\": %s (is the VM running?)", socks[i],
					 strerror(-ret));
				return ret;
			}
			ret = try_lock(socks[i], &c->lock_fd);
			if (ret < 0) {
				snprintf(err, errlen, "agent socket \"%s\": lock: %s", socks[i],
					 strerror(-ret));
				return ret;
			}
			if (ret == 0)
				continue;
			c->path = socks[i];
			ret = connect_sock(socks[i], &c->fd);
			if (ret < 0) {
				snprintf(err, errlen,
					 "agent socket \"%s\": connect: %s (is the VM running?)",
					 socks[i], strerror(-ret));
				channel_close(c);
			}
			return ret;
		}
		if (tb_now_ms() >= end) {
			snprintf(err, errlen,
				 "all %d agent channels of the VM busy for %d s (%s...)", n,
				 VM_AGENT_CHANNEL_WAIT_MS / 1000, socks[0]);
			return -EBUSY;
		}
		if (cancel != NULL && *cancel) {
			snprintf(err, errlen, "cancelled while waiting for an agent channel");
			return -ECANCELED;
		}
		usleep(20000);
	}
}

static int
send_all(int fd, const uint8_t *buf, size_t len, int64_t end)
{
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	ssize_t n;
	int64_t left;

	while (len > 0) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n > 0) {
			buf += n;
			len -= n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		left = end - tb_now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		poll(&pfd, 1, left);
	}
	return 0;
}

static int
write_fd(int fd, const uint8_t *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= n;
	}
	return 0;
}

static int
sink_put(struct sink *s, int stream, const uint8_t *p, size_t len)
{
	char *nb;

	if (!s->collect)
		return s->fd[stream] >= 0 ? write_fd(s->fd[stream], p, len) : 0;
	if (s->len + len + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;

		while (s->len + len + 1 > cap)
			cap *= 2;
		nb = realloc(s->buf, cap);
		if (nb == NULL)
			return -ENOMEM;
		s->buf = nb;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, p, len);
	s->len += len;
	s->buf[s->len] = '\0';
	return 0;
}

static int
send_kill(struct channel *c, uint32_t id, int sig)
{
	uint8_t buf[VM_AGENT_HDR_LEN + 8];
	int n = vm_agent_encode_u32s(buf, VM_AGENT_KILL, id, sig, 0);

	return send_all(c->fd, buf, n, tb_now_ms() + 1000);
}

/* The frames of our request up to EXIT. */
static int
converse(struct channel *c, uint32_t id, int timeout_ms, volatile sig_atomic_t *cancel,
	 struct sink *sk, int *status, char *err, size_t errlen)
{
	struct vm_agent_rx *rx = malloc(sizeof(*rx));
	struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
	int64_t end = timeout_ms > 0 ? tb_now_ms() + timeout_ms : INT64_MAX, give_up = INT64_MAX;
	int64_t term_at = INT64_MAX, now;
	bool synced = false, timed_out = false, cancelled = false;
	struct vm_agent_frame f;
	uint32_t how, value;
	size_t room;
	uint8_t *dst;
	ssize_t n;
	int ret;

	if (rx == NULL)
		return -ENOMEM;
	vm_agent_rx_reset(rx);
	for (;;) {
		now = tb_now_ms();
		if (!timed_out && !cancelled && now >= end) {
			timed_out = true;
			send_kill(c, id, SIGKILL);
			give_up = now + KILL_GRACE_MS;
		}
		if (!timed_out && !cancelled && cancel != NULL && *cancel) {
			cancelled = true;
			send_kill(c, id, SIGTERM);
			term_at = now + TERM_GRACE_MS;
			give_up = term_at + KILL_GRACE_MS;
		}
		if (now >= term_at) {
			send_kill(c, id, SIGKILL);
			term_at = INT64_MAX;
		}
		if (now >= give_up) {
			ret = timed_out ? -ETIMEDOUT : -ECANCELED;
			snprintf(err, errlen, "%s: the guest did not end the command", c->path);
			goto out;
		}
		poll(&pfd, 1, TICK_MS);
		dst = vm_agent_rx_space(rx, &room);
		n = recv(c->fd, dst, room, 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -ECONNRESET;
			snprintf(err, errlen, "%s: the VM closed the agent channel%s", c->path,
				 n < 0 ? "" : " (guest stopped?)");
			goto out;
		}
		vm_agent_rx_commit(rx, n);
		while ((ret = vm_agent_rx_next(rx, &f)) != 0) {
			if (ret < 0 && synced) {
				snprintf(err, errlen, "%s: bad frame from the guest agent",
					 c->path);
				goto out;
			}
			if (ret < 0) {
				/* tail of a frame meant for the channel's previous user */
				vm_agent_rx_skip(rx);
				continue;
			}
			if (f.id != id)
				continue;
			synced = true;
			if (f.type == VM_AGENT_STDOUT || f.type == VM_AGENT_STDERR) {
				ret = sink_put(sk, f.type == VM_AGENT_STDERR, f.data, f.len);
				if (ret < 0) {
					snprintf(err, errlen, "%s: output: %s", c->path,
						 strerror(-ret));
					goto out;
				}
			} else if (f.type == VM_AGENT_EXIT) {
				if (vm_agent_decode_exit(&f, &how, &value) < 0) {
					ret = -EBADMSG;
					snprintf(err, errlen, "%s: bad exit frame", c->path);
					goto out;
				}
				*status = how == VM_AGENT_SIGNALED ? 128 + (int)value : (int)value;
				ret = 0;
				if (how == VM_AGENT_TIMEDOUT || timed_out) {
					ret = -ETIMEDOUT;
					snprintf(err, errlen,
						 "timed out after %d ms: killed in the guest",
						 timeout_ms);
				} else if (cancelled) {
					ret = -ECANCELED;
					snprintf(err, errlen, "cancelled: killed in the guest");
				}
				goto out;
			}
		}
	}
out:
	free(rx);
	return ret;
}

static int
run(const char *const socks[], int n_socks, const char *const argv[], int timeout_ms,
    volatile sig_atomic_t *cancel, struct sink *sk, int *status, char *err, size_t errlen)
{
	struct channel c = {.lock_fd = -1, .fd = -1};
	uint8_t *req = malloc(VM_AGENT_MAX_FRAME);
	uint32_t id = new_id();
	int st = -1, ret, len;

	if (req == NULL)
		return -ENOMEM;
	len = vm_agent_encode_exec(req, VM_AGENT_MAX_FRAME, id, timeout_ms > 0 ? timeout_ms : 0,
				   argv);
	if (len < 0) {
		snprintf(err, errlen, "command too long for one request (max %d bytes, %d args)",
			 VM_AGENT_MAX_PAYLOAD, VM_AGENT_MAX_ARGS);
		ret = len;
		goto out;
	}
	ret = channel_open(socks, n_socks, cancel, &c, err, errlen);
	if (ret < 0)
		goto out;
	ret = send_all(c.fd, req, len, tb_now_ms() + (timeout_ms > 0 ? timeout_ms : 10000));
	if (ret < 0) {
		snprintf(err, errlen, "%s: send: %s", c.path, strerror(-ret));
		goto out;
	}
	ret = converse(&c, id, timeout_ms, cancel, sk, &st, err, errlen);
out:
	channel_close(&c);
	free(req);
	if (status != NULL)
		*status = st;
	return ret;
}

int
vm_agent_exec(const char *const sock_paths[], int n_socks, const char *const argv[], int timeout_ms,
	      char **out, int *status, char *err, size_t errlen)
{
	struct sink sk = {.fd = {-1, -1}, .collect = true};
	int ret;

	ret = run(sock_paths, n_socks, argv, timeout_ms, NULL, &sk, status, err, errlen);
	if (sk.buf == NULL)
		sk.buf = strdup("");
	if (out != NULL)
		*out = sk.buf;
	else
		free(sk.buf);
	return ret;
}

int
vm_agent_exec_stream(const char *const sock_paths[], int n_socks, const char *const argv[],
		     int timeout_ms, int out_fd, int err_fd, volatile sig_atomic_t *cancel,
		     int *status, char *err, size_t errlen)
{
	struct sink sk = {.fd = {out_fd, err_fd}, .collect = false};

	return run(sock_paths, n_socks, argv, timeout_ms, cancel, &sk, status, err, errlen);
}

static void
last_line(const char *text, char *buf, size_t len)
{
	const char *end = text + strlen(text), *start;

	while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	start = end;
	while (start > text && start[-1] != '\n')
		start--;
	snprintf(buf, len, "%.*s", (int)(end - start), start);
}

int
vm_agent_wait_ready(const char *console_log, int timeout_ms, char *line, size_t linelen, char *err,
		    size_t errlen)
{
	int64_t end = tb_now_ms() + timeout_ms;
	char *text = NULL, *p, last[160] = "";
	size_t n;

	for (;;) {
		free(text);
		text = NULL;
		if (tb_read_file(console_log, &text, NULL) == 0) {
			for (p = text; (p = strstr(p, "TB-READY ")) != NULL; p++) {
				if (p != text && p[-1] != '\n')
					continue;
				n = strcspn(p, "\r\n");
				if (p[n] == '\0')
					break; /* the line is still being written */
				if (line != NULL)
					snprintf(line, linelen, "%.*s", (int)n, p);
				free(text);
				return 0;
			}
			last_line(text, last, sizeof(last));
			p = strstr(text, "TB-FAILED ");
			if (p != NULL) {
				snprintf(err, errlen, "%s: guest init failed: %.*s", console_log,
					 (int)strcspn(p, "\r\n"), p);
				free(text);
				return -EIO;
			}
			if (strstr(text, "Kernel panic") != NULL) {
				snprintf(err, errlen, "%s: guest kernel panic: %s", console_log,
					 last);
				free(text);
				return -EIO;
			}
		}
		if (tb_now_ms() >= end)
			break;
		usleep(50000);
	}
	snprintf(err, errlen, "%s: no TB-READY within %d s (last console line: \"%s\")",
		 console_log, timeout_ms / 1000, last);
	free(text);
	return -ETIMEDOUT;
}
