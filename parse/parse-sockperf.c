/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The latency tools of `bench net`: sockperf ping-pong (summary and --full-log rows) and
 * ping (per-reply times). Both print text meant for people; these read what they print.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-common.h"
#include "stats.h"
#include "toolparse.h"

/* ---- shared ---- */

/* A plain decimal number ("12", "0.032", "-1"): digits, at most one dot; *end after it. */
static int
lt_number(const char *s, const char **end, double *v)
{
	const char *p = s;
	int digits = 0;

	if (*p == '-' || *p == '+')
		p++;
	while (isdigit((unsigned char)*p)) {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			p++;
			digits++;
		}
	}
	if (digits == 0 || digits > 40)
		return -EINVAL;
	*v = strtod(s, NULL);
	if (end != NULL)
		*end = p;
	return 0;
}

/* The number after "key" in line (blanks and one '=' allowed between); -EINVAL if absent. */
static int
lt_after(const char *line, const char *key, double *v)
{
	const char *p = strstr(line, key);

	if (p == NULL)
		return -EINVAL;
	p += strlen(key);
	while (*p == ' ')
		p++;
	if (*p == '=')
		p++;
	while (*p == ' ')
		p++;
	return lt_number(p, NULL, v);
}

struct lt_vec {
	double *v;
	size_t n, cap;
};

static int
lt_push(struct lt_vec *a, double x)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 1024;
		double *p = realloc(a->v, cap * sizeof(*p));

		if (p == NULL)
			return -ENOMEM;
		a->v = p;
		a->cap = cap;
	}
	a->v[a->n++] = x;
	return 0;
}

/* Removes terminal colour sequences (ESC [ params letter) in place. */
static void
lt_strip_esc(char *line)
{
	char *r = line, *w = line;

	while (*r != '\0') {
		if (*r == '\033' && r[1] == '[') {
			r += 2;
			while (*r != '\0' && (isdigit((unsigned char)*r) || *r == ';'))
				r++;
			if (*r != '\0')
				r++;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
}

static bool
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* P50/P95/P99 of the observations, and P99 - P50, into o. */
static void
lt_json_pct(json_t *o, const double *v, size_t n)
{
	static const double p[] = {50, 95, 99};
	double out[3];

	if (n == 0 || tb_percentiles(v, n, p, 3, out) < 0)
		return;
	json_object_set_new(o, "observations", json_integer((json_int_t)n));
	tp_json_num(o, "p50_us", out[0]);
	tp_json_num(o, "p95_us", out[1]);
	tp_json_num(o, "p99_us", out[2]);
	tp_json_num(o, "jitter_us", out[2] - out[0]);
}

/* ---- sockperf ping-pong ---- */

enum sp_block { SP_SUMMARY, SP_LOG_HEAD, SP_LOG_ROWS, SP_AFTER };

static void
sp_clear(struct tp_sockperf *r)
{
	memset(r, 0, sizeof(*r));
	r->run_s = r->sent = r->received = r->rate = -1;
	r->avg_us = r->stddev_us = r->min_us = r->max_us = -1;
	r->dropped = r->duplicated = r->out_of_order = -1;
}

static void
sp_error(struct tp_sockperf *r, const char *msg)
{
	if (r->error[0] == '\0')
		tp_copy_text(r->error, sizeof(r->error), msg);
}

/* "sockperf: ---> percentile 99.999 = 3292.615", "<MAX> observation = 3292.615" */
static void
sp_observation(const char *s, struct tp_sockperf *r)
{
	const char *p;
	double pct, v;

	if (starts(s, "<MAX> observation")) {
		if (lt_after(s, "observation", &v) == 0 && v >= 0)
			r->max_us = v;
	} else if (starts(s, "<MIN> observation")) {
		if (lt_after(s, "observation", &v) == 0 && v >= 0)
			r->min_us = v;
	} else if (starts(s, "percentile ") && lt_number(s + 11, &p, &pct) == 0 && pct > 0 &&
		   pct <= 100 && lt_after(p, "", &v) == 0 && v >= 0 && r->n_pct < TP_SOCKPERF_PCT) {
		r->pct[r->n_pct] = pct;
		r->pct_us[r->n_pct++] = v;
	}
}

/* One line of the summary block (after "sockperf: "). */
static void
sp_summary(const char *s, struct tp_sockperf *r, bool *have_valid)
{
	double a, b, c;

	if (starts(s, "ERROR:")) {
		s += 6;
		while (*s == ' ')
			s++;
		sp_error(r, s);
	} else if (starts(s, "No messages were received")) {
		sp_error(r, s);
	} else if (starts(s, "[Valid Duration]") && !*have_valid) {
		if (lt_after(s, "RunTime", &a) == 0 && lt_after(s, "SentMessages", &b) == 0 &&
		    lt_after(s, "ReceivedMessages", &c) == 0 && a >= 0 && b >= 0 && c >= 0) {
			r->run_s = a;
			r->sent = b;
			r->received = c;
			*have_valid = true;
		}
	} else if (starts(s, "====> avg-rtt") || starts(s, "====> avg-lat")) {
		r->full_rtt = s[10] == 'r';
		if (lt_after(s, s[10] == 'r' ? "avg-rtt" : "avg-lat", &a) == 0 && a >= 0)
			r->avg_us = a;
		if (lt_after(s, "std-dev", &a) == 0 && a >= 0)
			r->stddev_us = a;
	} else if (starts(s, "# dropped messages")) {
		if (lt_after(s, "# dropped messages", &a) == 0 && a >= 0)
			r->dropped = a;
		if (lt_after(s, "# duplicated messages", &a) == 0 && a >= 0)
			r->duplicated = a;
		if (lt_after(s, "# out-of-order messages", &a) == 0 && a >= 0)
			r->out_of_order = a;
	} else if (starts(s, "---> ")) {
		sp_observation(s + 5, r);
	}
}

/* "12, 2.425292725, 2.425464834, 172.109": the last field is the observation. */
static int
sp_row(const char *s, double *rtt)
{
	const char *p = s;
	double v;
	int i;

	for (i = 0; i < 4; i++) {
		while (*p == ' ')
			p++;
		if (lt_number(p, &p, &v) < 0)
			return -EINVAL;
		while (*p == ' ')
			p++;
		if (i < 3 && *p++ != ',')
			return -EINVAL;
	}
	if (*p != '\0' || v < 0)
		return -EINVAL;
	*rtt = v;
	return 0;
}

int
tp_sockperf_parse(const char *text, struct tp_sockperf *r)
{
	enum sp_block blk = SP_SUMMARY;
	struct lt_vec rows = {0};
	bool seen = false, have_valid = false;
	char *buf, *cur, *line;
	double v;
	int ret = 0;

	sp_clear(r);
	if (text == NULL)
		return -EINVAL;
	buf = strdup(text);
	if (buf == NULL)
		return -ENOMEM;
	cur = buf;
	while (ret == 0 && (line = tp_next_line(&cur, true)) != NULL) {
		lt_strip_esc(line);
		if (starts(line, "sockperf:") || starts(line, "sockperf["))
			seen = true;
		if (starts(line, "test was performed using the following parameters")) {
			/* the full log repeats the summary: the first one counts */
			blk = SP_LOG_HEAD;
			r->full_rtt |= strstr(line, "--full-rtt") != NULL;
			continue;
		}
		if (blk == SP_LOG_HEAD && starts(line, "packet,")) {
			blk = SP_LOG_ROWS;
			continue;
		}
		if (blk == SP_LOG_ROWS) {
			if (sp_row(line, &v) == 0)
				ret = lt_push(&rows, v);
			else if (starts(line, "---"))
				blk = SP_AFTER;
			continue;
		}
		if (starts(line, "[ 0] IP =") || (starts(line, "[") && strstr(line, "PORT =")))
			r->tcp |= strstr(line, "# TCP") != NULL;
		if (blk == SP_SUMMARY && starts(line, "sockperf: "))
			sp_summary(line + 10, r, &have_valid);
	}
	free(buf);
	if (ret < 0 || !seen) {
		free(rows.v);
		return ret < 0 ? ret : -EINVAL;
	}
	r->rtt_us = rows.v;
	r->n_rtt = rows.n;
	if (have_valid && r->run_s > 0)
		r->rate = r->received / r->run_s;
	if (r->error[0] == '\0' && !have_valid)
		sp_error(r, "sockperf printed no results (stopped before the end of the test?)");
	else if (r->error[0] == '\0' && r->received <= 0)
		sp_error(r, "no reply in the valid period");
	r->ok = r->error[0] == '\0';
	return 0;
}

void
tp_sockperf_free(struct tp_sockperf *r)
{
	if (r == NULL)
		return;
	free(r->rtt_us);
	r->rtt_us = NULL;
	r->n_rtt = 0;
}

json_t *
tp_sockperf_json(const struct tp_sockperf *r)
{
	json_t *o, *pct;
	int i;

	if (r == NULL)
		return NULL;
	o = tp_json_result("sockperf", r->ok, r->error);
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "protocol", json_string(r->tcp ? "TCP" : "UDP"));
	json_object_set_new(o, "full_rtt", json_boolean(r->full_rtt));
	tp_json_num(o, "time_s", r->run_s);
	tp_json_num(o, "sent", r->sent);
	tp_json_num(o, "received", r->received);
	tp_json_num(o, "rate", r->rate);
	tp_json_num(o, "avg_us", r->avg_us);
	tp_json_num(o, "stddev_us", r->stddev_us);
	tp_json_num(o, "min_us", r->min_us);
	tp_json_num(o, "max_us", r->max_us);
	tp_json_num(o, "dropped", r->dropped);
	tp_json_num(o, "duplicated", r->duplicated);
	tp_json_num(o, "out_of_order", r->out_of_order);
	pct = json_object();
	for (i = 0; i < r->n_pct; i++) {
		char k[32];

		snprintf(k, sizeof(k), "%.3f", r->pct[i]);
		json_object_set_new(pct, k, json_real(r->pct_us[i]));
	}
	json_object_set_new(o, "sockperf_percentiles_us", pct);
	lt_json_pct(o, r->rtt_us, r->n_rtt);
	return o;
}

/* ---- ping ---- */

static void
pg_clear(struct tp_ping *r)
{
	memset(r, 0, sizeof(*r));
	r->transmitted = r->received = r->loss_pct = -1;
	r->min_us = r->avg_us = r->max_us = r->mdev_us = -1;
}

static void
pg_error(struct tp_ping *r, const char *msg)
{
	if (r->error[0] == '\0')
		tp_copy_text(r->error, sizeof(r->error), msg);
}

/* "64 bytes from 198.18.1.2: icmp_seq=1 ttl=64 time=0.032 ms [(DUP!)]" */
static int
pg_reply(const char *line, struct tp_ping *r, struct lt_vec *rtt)
{
	const char *t = strstr(line, " time="), *p;
	double v;

	if (t == NULL || (strstr(line, "icmp_seq=") == NULL && strstr(line, " seq=") == NULL))
		return 0;
	if (strstr(line, "(DUP!)") != NULL) {
		r->duplicates++;
		return 0;
	}
	if (lt_number(t + 6, &p, &v) < 0 || v < 0)
		return 0;
	while (*p == ' ')
		p++;
	if (strncmp(p, "ms", 2) == 0)
		v *= 1000;
	else if (strncmp(p, "us", 2) != 0)
		return 0;
	return lt_push(rtt, v);
}

/* "200 packets transmitted, 200 received, [+1 duplicates, +3 errors, ]0% packet loss, ..." */
static void
pg_counts(const char *line, struct tp_ping *r)
{
	const char *p, *loss;
	double tx, rx, pct;

	if (lt_number(line, &p, &tx) < 0 || !starts(p, " packets transmitted, "))
		return;
	p += strlen(" packets transmitted, ");
	if (lt_number(p, NULL, &rx) < 0)
		return;
	r->transmitted = tx;
	r->received = rx;
	loss = strstr(p, "% packet loss");
	if (loss != NULL) {
		/* back to the start of the number before '%' */
		const char *b = loss;

		while (b > p && (isdigit((unsigned char)b[-1]) || b[-1] == '.'))
			b--;
		if (lt_number(b, NULL, &pct) == 0)
			r->loss_pct = pct;
	}
}

/* "rtt min/avg/max/mdev = 0.031/0.084/3.159/0.230 ms" (busybox: "round-trip min/avg/max") */
static void
pg_rtt_line(const char *line, struct tp_ping *r)
{
	const char *p = strstr(line, "= ");
	double v[4] = {-1, -1, -1, -1};
	int i;

	if (p == NULL)
		return;
	p += 2;
	for (i = 0; i < 4; i++) {
		if (lt_number(p, &p, &v[i]) < 0)
			return;
		if (*p != '/')
			break;
		p++;
	}
	if (strcmp(p, " ms") != 0)
		return;
	r->min_us = v[0] >= 0 ? v[0] * 1000 : -1;
	r->avg_us = v[1] >= 0 ? v[1] * 1000 : -1;
	r->max_us = v[2] >= 0 ? v[2] * 1000 : -1;
	r->mdev_us = i >= 3 && v[3] >= 0 ? v[3] * 1000 : -1;
}

int
tp_ping_parse(const char *text, struct tp_ping *r)
{
	struct lt_vec rtt = {0};
	bool seen = false;
	char *buf, *cur, *line;
	int ret = 0;

	pg_clear(r);
	if (text == NULL)
		return -EINVAL;
	buf = strdup(text);
	if (buf == NULL)
		return -ENOMEM;
	cur = buf;
	while (ret == 0 && (line = tp_next_line(&cur, true)) != NULL) {
		if (starts(line, "PING ") ||
		    (starts(line, "--- ") && strstr(line, " ping statistics")))
			seen = true;
		else if (starts(line, "ping: ")) { /* it may fail before its PING line */
			seen = true;
			pg_error(r, line + 6);
		} else if (seen && strstr(line, " bytes from ") != NULL)
			ret = pg_reply(line, r, &rtt);
		else if (strstr(line, " packets transmitted, ") != NULL)
			pg_counts(line, r);
		else if (starts(line, "rtt min/") || starts(line, "round-trip min/"))
			pg_rtt_line(line, r);
		else if (starts(line, "From ") && seen)
			pg_error(r, line);
	}
	free(buf);
	if (ret < 0 || !seen) {
		free(rtt.v);
		return ret < 0 ? ret : -EINVAL;
	}
	r->rtt_us = rtt.v;
	r->n_rtt = rtt.n;
	if (r->received < 0)
		r->received = (double)rtt.n;
	r->ok = rtt.n > 0;
	if (r->ok) {
		r->error[0] = '\0'; /* a lost reply's error line does not fail the rest */
	} else if (r->error[0] == '\0') {
		if (r->transmitted >= 0)
			snprintf(r->error, sizeof(r->error),
				 "no reply: %.0f packets transmitted, 0 received", r->transmitted);
		else
			snprintf(r->error, sizeof(r->error), "no reply");
	}
	return 0;
}

void
tp_ping_free(struct tp_ping *r)
{
	if (r == NULL)
		return;
	free(r->rtt_us);
	r->rtt_us = NULL;
	r->n_rtt = 0;
}

json_t *
tp_ping_json(const struct tp_ping *r)
{
	json_t *o;

	if (r == NULL)
		return NULL;
	o = tp_json_result("ping", r->ok, r->error);
	if (o == NULL)
		return NULL;
	tp_json_num(o, "transmitted", r->transmitted);
	tp_json_num(o, "received", r->received);
	tp_json_num(o, "loss_pct", r->loss_pct);
	json_object_set_new(o, "duplicates", json_integer(r->duplicates));
	tp_json_num(o, "min_us", r->min_us);
	tp_json_num(o, "avg_us", r->avg_us);
	tp_json_num(o, "max_us", r->max_us);
	tp_json_num(o, "mdev_us", r->mdev_us);
	lt_json_pct(o, r->rtt_us, r->n_rtt);
	return o;
}
