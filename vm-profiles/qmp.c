/* SPDX-License-Identifier: BSD-3-Clause */
/* QMP client: a QEMU guest's status, vCPU threads, quit. */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "clock.h"
#include "qmp.h"

#define QMP_BUF (64 * 1024) /* query-cpus-fast for 64 vCPUs is about 13 KiB */
#define QMP_RETRY_MS 20

int
vm_qmp_parse_msg(const char *line, enum vm_qmp_msg *kind, json_t **payload, int *id, char *err,
		 size_t errlen)
{
	json_t *j = json_loads(line, JSON_REJECT_DUPLICATES, NULL), *v, *e;
	int ret = 0;

	if (payload != NULL)
		*payload = NULL;
	*id = -1;
	if (!json_is_object(j)) {
		snprintf(err, errlen, "not a QMP message: %.80s", line);
		json_decref(j);
		return -EPROTO;
	}
	v = json_object_get(j, "id");
	if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 0x7fffffff)
		*id = (int)json_integer_value(v);
	if (json_object_get(j, "QMP") != NULL) {
		*kind = VM_QMP_GREETING;
	} else if ((v = json_object_get(j, "return")) != NULL) {
		*kind = VM_QMP_RETURN;
		if (payload != NULL)
			*payload = json_incref(v);
	} else if ((e = json_object_get(j, "error")) != NULL) {
		*kind = VM_QMP_ERROR;
		v = json_object_get(e, "desc");
		snprintf(err, errlen, "%s: %s",
			 json_is_string(json_object_get(e, "class"))
				 ? json_string_value(json_object_get(e, "class"))
				 : "Error",
			 json_is_string(v) ? json_string_value(v) : "(no description)");
	} else if (json_is_string(v = json_object_get(j, "event"))) {
		*kind = VM_QMP_EVENT;
		if (payload != NULL)
			*payload = json_incref(v);
	} else {
		snprintf(err, errlen, "not a QMP message: %.80s", line);
		ret = -EPROTO;
	}
	json_decref(j);
	return ret;
}

int
vm_qmp_parse_vcpus(const json_t *ret, int *tids, int max)
{
	size_t i, n = json_array_size(ret);
	json_int_t idx, tid;
	json_t *c;

	if (!json_is_array(ret) || n == 0)
		return -EPROTO;
	if (n > (size_t)max)
		return -ENOSPC;
	for (i = 0; i < n; i++)
		tids[i] = 0;
	for (i = 0; i < n; i++) {
		c = json_array_get(ret, i);
		if (!json_is_integer(json_object_get(c, "cpu-index")) ||
		    !json_is_integer(json_object_get(c, "thread-id")))
			return -EPROTO;
		idx = json_integer_value(json_object_get(c, "cpu-index"));
		tid = json_integer_value(json_object_get(c, "thread-id"));
		/* indexes 0..n-1, each once */
		if (idx < 0 || idx >= (json_int_t)n || tids[idx] != 0 || tid <= 0 ||
		    tid > 0x7fffffff)
			return -EPROTO;
		tids[idx] = (int)tid;
	}
	return (int)n;
}

int
vm_qmp_parse_status(const json_t *ret, char *status, size_t len)
{
	const json_t *s = json_object_get(ret, "status");

	if (!json_is_string(s))
		return -EPROTO;
	snprintf(status, len, "%s", json_string_value(s));
	return 0;
}

/* The next line from QEMU, NUL-terminated in q->buf (valid until the next read). */
static int
qmp_read_line(struct vm_qmp *q, long long deadline, char **line, char *err, size_t errlen)
{
	struct pollfd pfd = {.fd = q->fd, .events = POLLIN};
	char *nl;
	ssize_t n;
	int left;

	/* drop the line returned last time */
	if (q->consumed > 0) {
		memmove(q->buf, q->buf + q->consumed, q->len - q->consumed);
		q->len -= q->consumed;
		q->consumed = 0;
	}
	for (;;) {
		nl = memchr(q->buf, '\n', q->len);
		if (nl != NULL) {
			*nl = '\0';
			q->consumed = (size_t)(nl - q->buf) + 1;
			*line = q->buf;
			return 0;
		}
		if (q->len == QMP_BUF - 1) {
			snprintf(err, errlen, "QMP message longer than %d bytes", QMP_BUF);
			return -EMSGSIZE;
		}
		left = (int)(deadline - tb_now_ms());
		if (left <= 0) {
			snprintf(err, errlen, "no answer from QEMU within the time limit");
			return -ETIMEDOUT;
		}
		n = poll(&pfd, 1, left);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n <= 0)
			continue;
		n = recv(q->fd, q->buf + q->len, QMP_BUF - 1 - q->len, 0);
		if (n == 0 || (n < 0 && errno == ECONNRESET)) {
			snprintf(err, errlen, "QEMU closed the QMP connection (see its log)");
			return -ECONNRESET;
		}
		if (n < 0 && errno != EINTR && errno != EAGAIN) {
			n = -errno;
			snprintf(err, errlen, "QMP read: %s", strerror((int)-n));
			return (int)n;
		}
		if (n > 0)
			q->len += (size_t)n;
	}
}

static int
qmp_send(struct vm_qmp *q, const char *s, char *err, size_t errlen)
{
	size_t len = strlen(s), off = 0;
	ssize_t n;

	while (off < len) {
		n = send(q->fd, s + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {
			snprintf(err, errlen, "QEMU closed the QMP connection (see its log)");
			return -ECONNRESET;
		}
		if (n < 0) {
			n = -errno;
			snprintf(err, errlen, "QMP write: %s", strerror((int)-n));
			return (int)n;
		}
		off += (size_t)n;
	}
	return 0;
}

int
vm_qmp_exec(struct vm_qmp *q, const char *cmd, json_t *args, json_t **ret, int timeout_ms,
	    char *err, size_t errlen)
{
	long long deadline = tb_now_ms() + timeout_ms;
	char *line, *text, msg[256];
	enum vm_qmp_msg kind;
	json_t *req, *payload;
	int id = q->next_id++, rid, r;

	if (ret != NULL)
		*ret = NULL;
	req = json_pack("{s:s, s:i}", "execute", cmd, "id", id);
	if (req == NULL || (args != NULL && json_object_set(req, "arguments", args) < 0)) {
		json_decref(req);
		return -ENOMEM;
	}
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (text == NULL)
		return -ENOMEM;
	r = qmp_send(q, text, err, errlen);
	if (r == 0)
		r = qmp_send(q, "\n", err, errlen);
	free(text);
	for (; r == 0;) {
		r = qmp_read_line(q, deadline, &line, err, errlen);
		if (r < 0)
			break;
		r = vm_qmp_parse_msg(line, &kind, &payload, &rid, msg, sizeof(msg));
		if (r < 0) {
			snprintf(err, errlen, "%s", msg);
			break;
		}
		if ((kind != VM_QMP_RETURN && kind != VM_QMP_ERROR) || rid != id) {
			json_decref(payload); /* an event, or the reply to an abandoned command */
			continue;
		}
		if (kind == VM_QMP_ERROR) {
			snprintf(err, errlen, "%s: %s", cmd, msg);
			return -EIO;
		}
		if (ret != NULL)
			*ret = payload;
		else
			json_decref(payload);
		return 0;
	}
	return r;
}

static int
qmp_connect(const char *path, long long deadline, char *err, size_t errlen)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, ret;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "QMP socket %s: path too long", path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	for (;;) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		ret = -errno;
		close(fd);
		/* QEMU has not made the socket yet, or not listening yet */
		if ((ret != -ENOENT && ret != -ECONNREFUSED) || tb_now_ms() >= deadline) {
			snprintf(err, errlen, "QMP socket %s: %s%s", path, strerror(-ret),
				 ret == -ENOENT || ret == -ECONNREFUSED
					 ? " (is QEMU running? see its log)"
					 : "");
			return ret == -ENOENT ? -ETIMEDOUT : ret;
		}
		usleep(QMP_RETRY_MS * 1000);
	}
}

int
vm_qmp_open(struct vm_qmp *q, const char *path, int timeout_ms, char *err, size_t errlen)
{
	long long deadline = tb_now_ms() + timeout_ms;
	enum vm_qmp_msg kind;
	char *line;
	int id, ret;

	memset(q, 0, sizeof(*q));
	q->fd = -1;
	q->next_id = 1;
	q->buf = malloc(QMP_BUF);
	if (q->buf == NULL)
		return -ENOMEM;
	ret = qmp_connect(path, deadline, err, errlen);
	if (ret < 0)
		goto fail;
	q->fd = ret;
	ret = qmp_read_line(q, deadline, &line, err, errlen);
	if (ret < 0)
		goto fail;
	ret = vm_qmp_parse_msg(line, &kind, NULL, &id, err, errlen);
	if (ret == 0 && kind != VM_QMP_GREETING) {
		snprintf(err, errlen, "QMP socket %s: no greeting from QEMU", path);
		ret = -EPROTO;
	}
	if (ret < 0)
		goto fail;
	ret = vm_qmp_exec(q, "qmp_capabilities", NULL, NULL, (int)(deadline - tb_now_ms()), err,
			  errlen);
	if (ret < 0)
		goto fail;
	return 0;
fail:
	vm_qmp_close(q);
	return ret;
}

void
vm_qmp_close(struct vm_qmp *q)
{
	if (q == NULL)
		return;
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	free(q->buf);
	q->buf = NULL;
	q->len = 0;
}

int
vm_qmp_vcpu_threads(const char *path, int *tids, int max, int timeout_ms, char *err, size_t errlen)
{
	json_t *r = NULL;
	struct vm_qmp q;
	int ret;

	ret = vm_qmp_open(&q, path, timeout_ms, err, errlen);
	if (ret < 0)
		return ret;
	ret = vm_qmp_exec(&q, "query-cpus-fast", NULL, &r, timeout_ms, err, errlen);
	if (ret == 0) {
		ret = vm_qmp_parse_vcpus(r, tids, max);
		if (ret < 0)
			snprintf(err, errlen, "query-cpus-fast: %s",
				 ret == -ENOSPC ? "more vCPUs than expected" : "unexpected reply");
	}
	json_decref(r);
	vm_qmp_close(&q);
	return ret;
}

int
vm_pin_thread(pid_t tid, int cpu)
{
	cpu_set_t set;

	if (cpu < 0 || cpu >= CPU_SETSIZE)
		return -EINVAL;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(tid, sizeof(set), &set) < 0 ? -errno : 0;
}

int
vm_qmp_pin_vcpus(const char *path, const int *cpus, int n_cpus, int timeout_ms, char *err,
		 size_t errlen)
{
	int tids[64], n, i, ret;

	if (n_cpus <= 0)
		return -EINVAL;
	n = vm_qmp_vcpu_threads(path, tids, 64, timeout_ms, err, errlen);
	for (i = 0; i < n; i++) {
		ret = vm_pin_thread(tids[i], cpus[i % n_cpus]);
		if (ret < 0) {
			snprintf(err, errlen, "vCPU %d (thread %d) on CPU %d: %s", i, tids[i],
				 cpus[i % n_cpus], strerror(-ret));
			return ret;
		}
	}
	return n;
}

int
vm_qmp_status(const char *path, char *status, size_t len, int timeout_ms, char *err, size_t errlen)
{
	json_t *r = NULL;
	struct vm_qmp q;
	int ret;

	ret = vm_qmp_open(&q, path, timeout_ms, err, errlen);
	if (ret < 0)
		return ret;
	ret = vm_qmp_exec(&q, "query-status", NULL, &r, timeout_ms, err, errlen);
	if (ret == 0 && (ret = vm_qmp_parse_status(r, status, len)) < 0)
		snprintf(err, errlen, "query-status: unexpected reply");
	json_decref(r);
	vm_qmp_close(&q);
	return ret;
}

/* Waits for QEMU to close the connection (it exits when the guest powers off). */
static int
qmp_wait_gone(struct vm_qmp *q, int timeout_ms)
{
	long long deadline = tb_now_ms() + timeout_ms;
	char *line, err[128];
	int ret;

	do
		ret = qmp_read_line(q, deadline, &line, err, sizeof(err));
	while (ret == 0);
	return ret == -ECONNRESET ? 0 : ret;
}

int
vm_qmp_quit(const char *path, int powerdown_ms, int timeout_ms, char *err, size_t errlen)
{
	struct vm_qmp q;
	int ret;

	ret = vm_qmp_open(&q, path, timeout_ms, err, errlen);
	if (ret < 0)
		return ret;
	if (powerdown_ms > 0 &&
	    vm_qmp_exec(&q, "system_powerdown", NULL, NULL, timeout_ms, err, errlen) == 0 &&
	    qmp_wait_gone(&q, powerdown_ms) == 0) {
		vm_qmp_close(&q);
		return 0;
	}
	ret = vm_qmp_exec(&q, "quit", NULL, NULL, timeout_ms, err, errlen);
	/* QEMU may close the socket before its reply reaches us */
	if (ret == -ECONNRESET)
		ret = 0;
	vm_qmp_close(&q);
	return ret;
}
