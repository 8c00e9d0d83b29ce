/* SPDX-License-Identifier: BSD-3-Clause */
/* DPDK telemetry socket client: a DPDK process's counters as JSON. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "telemetry.h"

#define GREETING_MAX 1024
#define OUTPUT_LEN_DEFAULT 16384

int
tb_telemetry_path(char *buf, size_t len, const char *file_prefix)
{
	int n = snprintf(buf, len, "/var/run/dpdk/%s/dpdk_telemetry.v2", file_prefix);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* One message (SEQPACKET keeps boundaries), NUL-terminated; its length or -errno. */
static ssize_t
recv_msg(int fd, char *buf, size_t len)
{
	struct pollfd pf = {.fd = fd, .events = POLLIN};
	ssize_t n;
	int ret;

	do
		ret = poll(&pf, 1, TB_TELEMETRY_TIMEOUT_MS);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return -ETIMEDOUT;
	n = recv(fd, buf, len - 1, 0);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ECONNRESET;
	buf[n] = '\0';
	return n;
}

static json_t *
parse(const char *text, const char *what, const char *path, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);

	if (j == NULL || !json_is_object(j)) {
		snprintf(err, errlen, "telemetry %s: %s is not a JSON object: %.80s", path, what, text);
		json_decref(j);
		return NULL;
	}
	return j;
}

int
tb_telemetry_query(const char *sock_path, const char *cmd, json_t **reply, char *err,
		   size_t errlen)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char greet[GREETING_MAX], *buf = NULL;
	json_t *g;
	ssize_t n;
	size_t max_len = OUTPUT_LEN_DEFAULT;
	int fd, ret;

	*reply = NULL;
	if (strlen(sock_path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "telemetry %s: path too long", sock_path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, sock_path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "telemetry %s: socket: %s", sock_path, strerror(-ret));
		return ret;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		snprintf(err, errlen, "telemetry %s: connect: %s", sock_path, strerror(-ret));
		goto out;
	}
	n = recv_msg(fd, greet, sizeof(greet));
	if (n < 0) {
		ret = (int)n;
		snprintf(err, errlen, "telemetry %s: no greeting: %s", sock_path, strerror(-ret));
		goto out;
	}
	g = parse(greet, "greeting", sock_path, err, errlen);
	if (g == NULL) {
		ret = -EPROTO;
		goto out;
	}
	if (json_integer_value(json_object_get(g, "max_output_len")) > 0)
		max_len = json_integer_value(json_object_get(g, "max_output_len"));
	json_decref(g);
	if (send(fd, cmd, strlen(cmd), MSG_NOSIGNAL) < 0) {
		ret = -errno;
		snprintf(err, errlen, "telemetry %s: send \"%s\": %s", sock_path, cmd, strerror(-ret));
		goto out;
	}
	buf = malloc(max_len + 1);
	if (buf == NULL) {
		ret = -ENOMEM;
		snprintf(err, errlen, "telemetry %s: out of memory", sock_path);
		goto out;
	}
	n = recv_msg(fd, buf, max_len + 1);
	if (n < 0) {
		ret = (int)n;
		snprintf(err, errlen, "telemetry %s: \"%s\": no reply: %s", sock_path, cmd,
			 strerror(-ret));
		goto out;
	}
	*reply = parse(buf, "reply", sock_path, err, errlen);
	ret = *reply != NULL ? 0 : -EPROTO;
out:
	free(buf);
	close(fd);
	return ret;
}

json_t *
tb_telemetry_value(json_t *reply, const char *cmd)
{
	char key[256];
	const char *comma = strchr(cmd, ',');
	size_t n = comma != NULL ? (size_t)(comma - cmd) : strlen(cmd);

	if (n >= sizeof(key))
		return NULL;
	memcpy(key, cmd, n);
	key[n] = '\0';
	return json_object_get(reply, key);
}
