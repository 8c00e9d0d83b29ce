/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench path`'s probe tool (a UDP ping-pong run in the guests), its CSV and its hop arithmetic. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench-path.h"

static const char *const point_names[BPATH_N_POINTS] = {
	"send", "tap_read", "enqueue", "switch_rx", "switch_tx", "dequeue", "tap_write", "receive",
};

static const char *const hop_labels[BPATH_N_HOPS] = {
	"guest stack -> adapter",
	"adapter -> ring (enqueue)",
	"ring -> switch rx",
	"switch forward (rx -> tx)",
	"switch tx -> adapter dequeue",
	"adapter (dequeue -> tap write)",
	"adapter -> guest stack",
};

const char *
bpath_point_name(int i)
{
	return i >= 0 && i < BPATH_N_POINTS ? point_names[i] : "?";
}

const char *
bpath_hop_label(int i)
{
	return i >= 0 && i < BPATH_N_HOPS ? hop_labels[i] : "?";
}

int
bpath_hops(const struct bpath_sample *s, double us[BPATH_N_HOPS], int end[BPATH_N_HOPS])
{
	int i, prev = 0, n = 0;

	for (i = 0; i < BPATH_N_HOPS; i++) {
		end[i] = -1;
		us[i] = 0;
	}
	if (s->t[0] == 0 || s->t[BPATH_N_POINTS - 1] == 0)
		return -EINVAL;
	for (i = 1; i < BPATH_N_POINTS; i++) {
		if (s->t[i] == 0)
			continue;
		/* stamps from two clocks that agree to well under a microsecond */
		if (s->t[i] + 1000 < s->t[prev])
			return -EINVAL;
		end[prev] = i;
		us[prev] = ((double)s->t[i] - (double)s->t[prev]) / 1e3;
		prev = i;
		n++;
	}
	return n;
}

void
bpath_span_label(int i, int j, bool ovs, char *buf, size_t len)
{
	if (j == i + 1)
		snprintf(buf, len, "%s", bpath_hop_label(i));
	else if (i == 0 && j == BPATH_N_POINTS - 1)
		snprintf(buf, len, "total (no inner stamps)");
	else if (i == PROBE_ENQ + 1 && j == PROBE_DEQ + 1)
		snprintf(buf, len, "switch (remainder%s)", ovs ? ", OVS-DPDK" : "");
	else
		snprintf(buf, len, "remainder %s -> %s", bpath_point_name(i), bpath_point_name(j));
}

bool
bpath_sample_from_reply(const void *buf, size_t len, struct bpath_sample *s)
{
	struct probe_reply r;
	int i;

	if (!probe_reply_parse(buf, len, &r))
		return false;
	s->seq = r.seq;
	s->t[0] = r.t_send;
	for (i = 0; i < PROBE_N_SLOTS; i++)
		s->t[i + 1] = r.stamp[i];
	s->t[BPATH_N_POINTS - 1] = r.t_recv;
	return true;
}

void
bpath_csv_header(FILE *f)
{
	int i;

	fputs("seq", f);
	for (i = 0; i < BPATH_N_POINTS; i++)
		fprintf(f, ",%s_ns", point_names[i]);
	fputc('\n', f);
}

void
bpath_csv_row(FILE *f, const struct bpath_sample *s)
{
	int i;

	fprintf(f, "%" PRIu32, s->seq);
	for (i = 0; i < BPATH_N_POINTS; i++)
		fprintf(f, ",%" PRIu64, s->t[i]);
	fputc('\n', f);
}

int
bpath_csv_parse(const char *line, struct bpath_sample *s)
{
	unsigned long long v;
	const char *p = line;
	char *e;
	int i;

	errno = 0;
	v = strtoull(p, &e, 10);
	if (e == p || *e != ',' || errno != 0 || v > UINT32_MAX)
		return -EINVAL;
	s->seq = (uint32_t)v;
	for (i = 0; i < BPATH_N_POINTS; i++) {
		if (*e != ',')
			return -EINVAL;
		p = e + 1;
		v = strtoull(p, &e, 10);
		if (e == p || errno != 0 || *p == '-')
			return -EINVAL;
		s->t[i] = v;
	}
	return *e == '\0' || *e == '\n' || *e == '\r' ? 0 : -EINVAL;
}

/* ---- the tool ---- */

static uint64_t
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC_RAW, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

/* UDP checksum 0 (IPv4 allows it), so the data path writes stamps without fixing one. */
static int
udp_socket(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_NO_CHECK, &one, sizeof(one)) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

static int
serve(const struct bpath_probe_conf *c, int fd, volatile sig_atomic_t *stop)
{
	unsigned char buf[2048], rep[2048];
	struct sockaddr_in from;
	struct probe_payload p;
	struct probe_reply r;
	socklen_t fl;
	uint64_t t;
	ssize_t n;
	size_t rl;
	int ret;

	while (stop == NULL || !*stop) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};

		ret = poll(&pfd, 1, c->idle_s * 1000);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0)
			return ret < 0 ? -errno : 0; /* idle: the client is done */
		fl = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		t = now_ns();
		if (n < (ssize_t)PROBE_PAYLOAD_LEN)
			continue;
		memcpy(&p, buf, sizeof(p));
		if (p.magic != PROBE_MAGIC)
			continue;
		r.magic = PROBE_REPLY_MAGIC;
		r.seq = p.seq;
		r.t_send = p.t_send;
		memcpy(r.stamp, p.stamp, sizeof(r.stamp));
		r.t_recv = t;
		/* as long as the probe, the report included */
		rl = (size_t)n > PROBE_REPLY_LEN ? (size_t)n : PROBE_REPLY_LEN;
		memset(rep, 0, rl);
		memcpy(rep, &r, sizeof(r));
		sendto(fd, rep, rl, 0, (struct sockaddr *)&from, fl);
	}
	return 0;
}

static int
client(const struct bpath_probe_conf *c, int fd, FILE *out, volatile sig_atomic_t *stop)
{
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)c->port)};
	unsigned char buf[2048], rep[2048];
	struct probe_payload p;
	struct bpath_sample s;
	struct timespec gap = {.tv_sec = c->interval_us / 1000000,
			       .tv_nsec = (long)(c->interval_us % 1000000) * 1000};
	int i, got = 0, ret;
	ssize_t n;

	if (inet_pton(AF_INET, c->to, &to.sin_addr) != 1)
		return -EINVAL;
	bpath_csv_header(out);
	memset(buf, 0, sizeof(buf));
	for (i = 0; i < c->count && (stop == NULL || !*stop); i++) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};

		memset(&p, 0, sizeof(p));
		p.magic = PROBE_MAGIC;
		p.seq = (uint32_t)i;
		p.t_send = now_ns();
		memcpy(buf, &p, sizeof(p));
		if (sendto(fd, buf, (size_t)c->size, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
			return -errno;
		for (;;) {
			ret = poll(&pfd, 1, c->timeout_ms);
			if (ret <= 0)
				break; /* lost: the next probe */
			n = recv(fd, rep, sizeof(rep), 0);
			if (n > 0 && bpath_sample_from_reply(rep, (size_t)n, &s) &&
			    s.seq == (uint32_t)i) {
				bpath_csv_row(out, &s);
				got++;
				break;
			}
		}
		nanosleep(&gap, NULL);
	}
	fflush(out);
	return got > 0 ? 0 : -ETIMEDOUT;
}

int
bpath_probe_run(const struct bpath_probe_conf *c, FILE *out, volatile sig_atomic_t *stop)
{
	struct sockaddr_in any = {.sin_family = AF_INET, .sin_port = htons((uint16_t)c->port)};
	int fd, ret;

	if (c->size < (int)PROBE_PAYLOAD_LEN || c->size > BPATH_SIZE_MAX || c->port <= 0 ||
	    c->port > 65535)
		return -EINVAL;
	fd = udp_socket();
	if (fd < 0)
		return fd;
	if (c->to == NULL) {
		if (bind(fd, (struct sockaddr *)&any, sizeof(any)) < 0)
			ret = -errno;
		else
			ret = serve(c, fd, stop);
	} else {
		ret = client(c, fd, out, stop);
	}
	close(fd);
	return ret;
}
