/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `testbed bench crr`: the TCP_CRR client of `bench net` (netperf's connect/request/
 * response/close transaction), run inside a guest namespace against `sockperf server
 * --tcp`. sockperf has no such mode and netperf is not in Debian main.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench-net.h"
#include "clock.h"
#include "stats.h"

/* sockperf's MsgHeader flags */
#define SP_FLAG_CLIENT 1
#define SP_FLAG_PONG 2
#define SP_HDR 14

/* sequence (be64), flags (be16), length (be32): packed, 14 bytes */
static void
sp_header(unsigned char *m, unsigned long long seq, unsigned int flags, unsigned int len)
{
	uint64_t s = htobe64(seq);
	uint16_t f = htons((uint16_t)flags);
	uint32_t l = htonl(len);

	memcpy(m, &s, 8);
	memcpy(m + 8, &f, 2);
	memcpy(m + 10, &l, 4);
}

static int
full_send(int fd, const unsigned char *b, size_t n)
{
	while (n > 0) {
		ssize_t k = send(fd, b, n, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? -errno : -EPIPE;
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

static int
full_recv(int fd, unsigned char *b, size_t n)
{
	while (n > 0) {
		ssize_t k = recv(fd, b, n, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k == 0)
			return -ECONNRESET; /* closed before the whole reply */
		if (k < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

/* One transaction; why names the step that failed. */
static int
transaction(const struct sockaddr_in *sa, const struct bnet_crr_conf *c, unsigned long long seq,
	    unsigned char *req, unsigned char *rep, const char **why)
{
	struct timeval tv = {.tv_sec = c->timeout_ms / 1000,
			     .tv_usec = c->timeout_ms % 1000 * 1000};
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	int one = 1, fd, ret;
	uint64_t s;
	uint16_t f;
	uint32_t l;

	*why = "socket";
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* connect honours SO_SNDTIMEO on Linux */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	*why = "connect";
	ret = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0 ? -errno : 0;
	if (ret == -EINPROGRESS || ret == -EAGAIN)
		ret = -ETIMEDOUT;
	sp_header(req, seq, SP_FLAG_CLIENT | SP_FLAG_PONG, (unsigned int)c->size);
	if (ret == 0) {
		*why = "send";
		ret = full_send(fd, req, (size_t)c->size);
	}
	if (ret == 0) {
		*why = "receive";
		ret = full_recv(fd, rep, (size_t)c->size);
	}
	if (ret == 0) {
		*why = "reply";
		memcpy(&s, rep, 8);
		memcpy(&f, rep + 8, 2);
		memcpy(&l, rep + 10, 4);
		if (be64toh(s) != seq || ntohl(l) != (uint32_t)c->size ||
		    (ntohs(f) & SP_FLAG_CLIENT))
			ret = -EPROTO;
	}
	close(fd);
	return ret;
}

int
bnet_crr_run(const struct bnet_crr_conf *c, struct bnet_crr_result *res,
	     volatile sig_atomic_t *stop)
{
	static const double pct[] = {50, 95, 99};
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)c->port)};
	unsigned char *req = NULL, *rep = NULL;
	double *lat = NULL, t0, end, a, b, out[3];
	unsigned int fails = 0;
	size_t n_lat = 0;
	const char *why;
	int ret;

	memset(res, 0, sizeof(*res));
	res->p50_us = res->p95_us = res->p99_us = res->rate = -1;
	if (c->size < BNET_CRR_MSG_MIN || c->size > BNET_CRR_MSG_MAX || c->port <= 0 ||
	    c->port > 65535 || !(c->time_s > 0) ||
	    inet_pton(AF_INET, c->server, &sa.sin_addr) != 1) {
		snprintf(res->first_error, sizeof(res->first_error), "bad arguments");
		return -EINVAL;
	}
	req = calloc(1, (size_t)c->size);
	rep = malloc((size_t)c->size);
	lat = malloc(BNET_CRR_MAX_SAMPLES * sizeof(*lat));
	if (req == NULL || rep == NULL || lat == NULL) {
		ret = -ENOMEM;
		snprintf(res->first_error, sizeof(res->first_error), "out of memory");
		goto out;
	}
	t0 = tb_now_s();
	end = t0 + c->time_s;
	for (a = t0; a < end && (stop == NULL || !*stop); a = b) {
		ret = transaction(&sa, c, res->transactions + res->errors, req, rep, &why);
		b = tb_now_s();
		if (ret < 0) {
			if (res->errors++ == 0)
				snprintf(res->first_error, sizeof(res->first_error), "%s: %s", why,
					 strerror(-ret));
			if (++fails >= BNET_CRR_GIVE_UP)
				break;
			continue;
		}
		fails = 0;
		res->transactions++;
		if (n_lat < BNET_CRR_MAX_SAMPLES)
			lat[n_lat++] = (b - a) * 1e6;
	}
	res->seconds = tb_now_s() - t0;
	if (res->seconds > 0)
		res->rate = res->transactions / res->seconds;
	if (n_lat > 0 && tb_percentiles(lat, n_lat, pct, 3, out) == 0) {
		res->p50_us = out[0];
		res->p95_us = out[1];
		res->p99_us = out[2];
	}
	ret = res->transactions > 0 ? 0 : -EIO;
out:
	free(req);
	free(rep);
	free(lat);
	return ret;
}

static void
num_or_null(json_t *o, const char *key, double v)
{
	json_object_set_new(o, key, v >= 0 ? json_real(v) : json_null());
}

json_t *
bnet_crr_json(const struct bnet_crr_conf *c, const struct bnet_crr_result *r)
{
	json_t *o = json_pack("{s:s, s:s, s:i, s:i, s:s, s:f, s:I, s:I}", "tool", "testbed-crr",
			      "server", c->server, "port", c->port, "msg_size", c->size, "close",
			      "rst", "seconds", r->seconds, "transactions",
			      (json_int_t)r->transactions, "errors", (json_int_t)r->errors);

	if (o == NULL)
		return NULL;
	num_or_null(o, "rate", r->rate);
	num_or_null(o, "p50_us", r->p50_us);
	num_or_null(o, "p95_us", r->p95_us);
	num_or_null(o, "p99_us", r->p99_us);
	json_object_set_new(o, "first_error",
			    r->first_error[0] ? json_string(r->first_error) : json_null());
	json_object_set_new(o, "ok", json_boolean(r->transactions > 0));
	return o;
}

static double
num_at(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) && json_number_value(v) >= 0 ? json_number_value(v) : -1;
}

int
bnet_crr_parse(const char *text, struct bnet_crr_result *r, bool *ok, char *err, size_t errlen)
{
	json_t *j = text != NULL ? json_loads(text, 0, NULL) : NULL;
	const char *fe;

	memset(r, 0, sizeof(*r));
	if (!json_is_object(j) ||
	    strcmp(json_string_value(json_object_get(j, "tool")) ?: "", "testbed-crr") != 0 ||
	    !json_is_integer(json_object_get(j, "transactions"))) {
		json_decref(j);
		return -EINVAL;
	}
	r->seconds = num_at(j, "seconds");
	r->transactions = (unsigned long long)num_at(j, "transactions");
	r->errors = num_at(j, "errors") > 0 ? (unsigned long long)num_at(j, "errors") : 0;
	r->rate = num_at(j, "rate");
	r->p50_us = num_at(j, "p50_us");
	r->p95_us = num_at(j, "p95_us");
	r->p99_us = num_at(j, "p99_us");
	fe = json_string_value(json_object_get(j, "first_error"));
	snprintf(r->first_error, sizeof(r->first_error), "%s", fe ?: "");
	*ok = json_is_true(json_object_get(j, "ok")) && r->transactions > 0 && r->rate > 0;
	if (!*ok)
		snprintf(err, errlen, "no transaction completed%s%s", fe ? ": " : "", fe ?: "");
	json_decref(j);
	return 0;
}

