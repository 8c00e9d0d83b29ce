/* SPDX-License-Identifier: BSD-3-Clause */
/* iperf (2) client output -> bandwidth per interval and total. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse-common.h"
#include "toolparse.h"

/* One interval report: "[  1] 0.0000-2.0373 sec  285 MBytes  1172 Mbits/sec". */
struct ip_report {
	double start, end, bytes, bps;
};

/* Far beyond any -P in use; bounds the work on hostile input (a linear search per line). */
#define IP_MAX_STREAMS 1024

struct ip_stream {
	long id;
	struct ip_report rep;
};

struct ip_state {
	bool iperf;    /* seen something only iperf prints */
	bool have_sum; /* [SUM] or CSV id -1 */
	struct ip_report sum;
	struct ip_stream *st;
	size_t n_st, cap_st;
};

/*
 * iperf 2's units (Reporter byte_snprintf): byte counts in powers of 1024, bits in powers
 * of 1000. Each maps to the qperf unit of the same size, so tp_value_unit converts it with
 * one rounding ("9.45 Gbits/sec" is 9.45e9 exactly), then an exact factor (bytes to bits).
 */
struct ip_unit {
	const char *name;
	const char *qperf;
	double mul;
};

static const struct ip_unit ip_bytes[] = {
	{"Bytes", "bytes", 1}, {"Byte", "bytes", 1}, {"KBytes", "KiB", 1}, {"KByte", "KiB", 1},
	{"MBytes", "MiB", 1},  {"MByte", "MiB", 1},  {"GBytes", "GiB", 1}, {"GByte", "GiB", 1},
	{"TBytes", "TiB", 1},  {"TByte", "TiB", 1},
};

static const struct ip_unit ip_rates[] = {
	{"bits/sec", "bits/sec", 8},
	{"Kbits/sec", "Kb/sec", 8},
	{"Mbits/sec", "Mb/sec", 8},
	{"Gbits/sec", "Gb/sec", 8},
	{"Tbits/sec", "Tb/sec", 8},
	/* -f A/K/M/G: bytes per second, binary like the byte counts */
	{"Bytes/sec", "bytes", 8},
	{"KBytes/sec", "KiB", 8},
	{"MBytes/sec", "MiB", 8},
	{"GBytes/sec", "GiB", 8},
	{"TBytes/sec", "TiB", 8},
};

#define IP_VALUE(tab, num, unit, v)                                                                \
	ip_value((num), (unit), (v), (tab), sizeof(tab) / sizeof((tab)[0]))

/* "285" "MBytes": the value in bytes (or bits/s for a rate). */
static int
ip_value(const char *num, const char *unit, double *v, const struct ip_unit *t, size_t n)
{
	char buf[64];
	size_t i;
	int len;

	for (i = 0; i < n; i++) {
		if (strcmp(t[i].name, unit) != 0)
			continue;
		len = snprintf(buf, sizeof(buf), "%s %s", num, t[i].qperf);
		if (len < 0 || (size_t)len >= sizeof(buf) || tp_value_unit(buf, v) < 0)
			return -EINVAL;
		*v *= t[i].mul;
		return 0;
	}
	return -EINVAL;
}



/* A number and nothing else: tp_value_unit's unitless form, without its blanks. */
static int
ip_num(const char *s, double *v)
{
	if (strpbrk(s, " \t") != NULL)
		return -EINVAL;
	return tp_value_unit(s, v);
}

/* "0.0000-2.0373" (start and end may be set apart by spaces: "0.0- 2.0"), written over. */
static int
ip_interval(char *s, struct ip_report *rep)
{
	char *dash = strchr(s, '-');

	if (dash == NULL || dash == s)
		return -EINVAL;
	*dash = '\0';
	if (ip_num(s, &rep->start) < 0 || ip_num(dash + 1, &rep->end) < 0 || rep->end < rep->start)
		return -EINVAL;
	return 0;
}

/* Keeps the report covering the longest span: the final one, not an -i interval. */
static void
ip_keep(struct ip_report *best, bool *have, const struct ip_report *rep)
{
	/* at equal spans the later wins: a UDP server report (what arrived) follows the client's */
	if (!*have || rep->end - rep->start >= best->end - best->start) {
		*best = *rep;
		*have = true;
	}
}

static int
ip_stream_report(struct ip_state *s, long id, const struct ip_report *rep)
{
	struct ip_stream *st;
	bool have = true;
	size_t i;

	for (i = 0; i < s->n_st; i++)
		if (s->st[i].id == id)
			break;
	if (i == s->n_st) {
		if (s->n_st == IP_MAX_STREAMS)
			return -E2BIG;
		if (s->n_st == s->cap_st) {
			size_t cap = s->cap_st ? s->cap_st * 2 : 8;

			st = realloc(s->st, cap * sizeof(*st));
			if (st == NULL)
				return -ENOMEM;
			s->st = st;
			s->cap_st = cap;
		}
		s->st[i].id = id;
		s->n_st++;
		have = false;
	}
	ip_keep(&s->st[i].rep, &have, rep);
	return 0;
}

static int
ip_report(struct ip_state *s, bool sum, long id, const struct ip_report *rep)
{
	s->iperf = true;
	if (sum) {
		ip_keep(&s->sum, &s->have_sum, rep);
		return 0;
	}
	return ip_stream_report(s, id, rep);
}

/* "[  1] 0.0000-2.0373 sec   285 MBytes  1172 Mbits/sec ..."; 1 when it is one, else 0. */
static int
ip_text_line(struct ip_state *s, char *line)
{
	char *close = strchr(line, ']'), *id = line + 1, *p, *sec, *save = NULL;
	char *tok[4];
	struct ip_report rep;
	bool sum = false;
	long n = 0;
	int i, ret;

	if (close == NULL)
		return 0;
	*close = '\0';
	while (isspace((unsigned char)*id) || *id == '*')
		id++;
	if (strncmp(id, "SUM", 3) == 0) {
		sum = true;
	} else {
		for (p = id; isdigit((unsigned char)*p) && n < 1000000; p++)
			n = n * 10 + (*p - '0');
		while (isspace((unsigned char)*p))
			p++;
		if (p == id || *p != '\0')
			return 0; /* "[ ID]", "[ CT]" */
	}
	/* the interval, up to " sec" */
	sec = strstr(close + 1, " sec");
	if (sec == NULL || (sec[4] != '\0' && !isspace((unsigned char)sec[4])))
		return 0;
	*sec = '\0';
	for (p = close + 1; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p) && *p != '.' && *p != '-' &&
		    !isspace((unsigned char)*p))
			return 0;
	/* squeeze the spaces out: "0.0- 2.0" */
	for (p = close + 1, i = 0; *p != '\0'; p++)
		if (!isspace((unsigned char)*p))
			close[1 + i++] = *p;
	close[1 + i] = '\0';
	if (ip_interval(close + 1, &rep) < 0)
		return 0;
	for (i = 0; i < 4; i++) {
		tok[i] = strtok_r(i == 0 ? sec + 4 : NULL, " \t", &save);
		if (tok[i] == NULL)
			return 0;
	}
	if (IP_VALUE(ip_bytes, tok[0], tok[1], &rep.bytes) < 0 ||
	    IP_VALUE(ip_rates, tok[2], tok[3], &rep.bps) < 0)
		return 0;
	ret = ip_report(s, sum, n, &rep);
	return ret < 0 ? ret : 1;
}

/*
 * -y C: "19700101000000,198.18.1.1,58116,198.18.1.2,5001,1,0.0-2.0,232915004,909683872":
 * time, local address and port, remote address and port, id (-1: the sum of -P N),
 * interval, bytes, bits/s, then UDP's jitter and losses. 1 when it is one, else 0.
 */
static int
ip_csv_line(struct ip_state *s, char *line)
{
	char *f[9], *p = line, *id;
	struct ip_report rep;
	bool neg;
	double v;
	int i, ret;

	if (!isdigit((unsigned char)line[0]))
		return 0;
	for (i = 0; i < 9; i++) {
		f[i] = p;
		p = strchr(p, ',');
		if (p != NULL)
			*p++ = '\0';
		else if (i < 8)
			return 0;
		else
			break;
	}
	id = f[5];
	neg = id[0] == '-';
	if (ip_num(id + neg, &v) < 0 || v > 1e6 || ip_interval(f[6], &rep) < 0 ||
	    ip_num(f[7], &rep.bytes) < 0 || ip_num(f[8], &rep.bps) < 0)
		return 0;
	ret = ip_report(s, neg, (long)v, &rep);
	return ret < 0 ? ret : 1;
}

/* iperf's failures: "tcp connect failed: No route to host", "write failed: ...", "ERROR: ..." */
static bool
ip_is_error(const char *line)
{
	return strstr(line, "failed") != NULL || strncasecmp(line, "error", 5) == 0;
}

static bool
ip_is_banner(const char *line)
{
	return strncmp(line, "Client connecting to", 20) == 0 ||
	       strncmp(line, "Server listening on", 19) == 0 ||
	       strncmp(line, "[ ID] Interval", 14) == 0;
}

int
tp_iperf_parse(const char *text, struct tp_iperf *r)
{
	struct ip_state s = {0};
	char *buf, *cur, *line;
	int ret = 0;
	size_t i;

	if (text == NULL || r == NULL)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->ok = true;
	r->seconds = r->bytes = r->bw_bps = -1;
	buf = strdup(text);
	if (buf == NULL)
		return -ENOMEM;
	cur = buf;
	while ((line = tp_next_line(&cur, true)) != NULL) {
		if (line[0] == '\0')
			continue;
		if (ip_is_banner(line)) {
			s.iperf = true;
			continue;
		}
		if (ip_is_error(line)) {
			if (r->ok)
				tp_copy_text(r->error, sizeof(r->error), line);
			r->ok = false;
			continue;
		}
		ret = line[0] == '[' ? ip_text_line(&s, line) : ip_csv_line(&s, line);
		if (ret < 0)
			break;
	}
	free(buf);
	if (ret < 0 || !s.iperf) {
		free(s.st);
		return ret < 0 ? ret : -EINVAL;
	}
	r->streams = (int)s.n_st;
	if (s.have_sum) {
		r->seconds = s.sum.end - s.sum.start;
		r->bytes = s.sum.bytes;
		r->bw_bps = s.sum.bps;
		if (r->streams == 0)
			r->streams = 1;
	} else if (s.n_st > 0) {
		/* no sum line (one stream, or a cut-off -P N run): add the streams up */
		r->seconds = r->bytes = r->bw_bps = 0;
		for (i = 0; i < s.n_st; i++) {
			const struct ip_report *rep = &s.st[i].rep;

			if (rep->end - rep->start > r->seconds)
				r->seconds = rep->end - rep->start;
			r->bytes += rep->bytes;
			r->bw_bps += rep->bps;
		}
	}
	free(s.st);
	if (r->ok && r->bytes < 0) {
		r->ok = false;
		tp_copy_text(r->error, sizeof(r->error),
			     "no result in iperf's output (cut short?)");
	} else if (r->ok && r->bytes == 0) {
		r->ok = false;
		tp_copy_text(r->error, sizeof(r->error), "no data transferred");
	}
	return 0;
}

json_t *
tp_iperf_json(const struct tp_iperf *r)
{
	json_t *o;

	if (r == NULL)
		return NULL;
	o = tp_json_result("iperf", r->ok, r->error);
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "streams", json_integer(r->streams));
	tp_json_num(o, "time_s", r->seconds);
	tp_json_num(o, "bytes", r->bytes);
	tp_json_num(o, "bw_bps", r->bw_bps);
	tp_json_num(o, "bw_mbps", r->bw_bps >= 0 ? r->bw_bps / 1e6 : -1);
	return o;
}
