/* SPDX-License-Identifier: BSD-3-Clause */
/* ping (iputils, busybox): the per-reply times and the summary, for `bench net`'s ICMP latency. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-common.h"
#include "toolparse.h"

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
pg_reply(const char *line, struct tp_ping *r, struct tp_vec *rtt)
{
	const char *t = strstr(line, " time="), *p;
	double v;

	if (t == NULL || (strstr(line, "icmp_seq=") == NULL && strstr(line, " seq=") == NULL))
		return 0;
	if (strstr(line, "(DUP!)") != NULL) {
		r->duplicates++;
		return 0;
	}
	if (tp_number(t + 6, &p, &v) < 0 || v < 0)
		return 0;
	while (*p == ' ')
		p++;
	if (strncmp(p, "ms", 2) == 0)
		v *= 1000;
	else if (strncmp(p, "us", 2) != 0)
		return 0;
	return tp_vec_push(rtt, v);
}

/* "200 packets transmitted, 200 received, [+1 duplicates, +3 errors, ]0% packet loss, ..." */
static void
pg_counts(const char *line, struct tp_ping *r)
{
	const char *p, *loss;
	double tx, rx, pct;

	if (tp_number(line, &p, &tx) < 0 || !tp_starts(p, " packets transmitted, "))
		return;
	p += strlen(" packets transmitted, ");
	if (tp_number(p, NULL, &rx) < 0)
		return;
	r->transmitted = tx;
	r->received = rx;
	loss = strstr(p, "% packet loss");
	if (loss != NULL) {
		/* back to the start of the number before '%' */
		const char *b = loss;

		while (b > p && (isdigit((unsigned char)b[-1]) || b[-1] == '.'))
			b--;
		if (tp_number(b, NULL, &pct) == 0)
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
		if (tp_number(p, &p, &v[i]) < 0)
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
	struct tp_vec rtt = {0};
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
		if (tp_starts(line, "PING ") ||
		    (tp_starts(line, "--- ") && strstr(line, " ping statistics")))
			seen = true;
		else if (tp_starts(line, "ping: ")) { /* it may fail before its PING line */
			seen = true;
			pg_error(r, line + 6);
		} else if (seen && strstr(line, " bytes from ") != NULL)
			ret = pg_reply(line, r, &rtt);
		else if (strstr(line, " packets transmitted, ") != NULL)
			pg_counts(line, r);
		else if (tp_starts(line, "rtt min/") || tp_starts(line, "round-trip min/"))
			pg_rtt_line(line, r);
		else if (tp_starts(line, "From ") && seen)
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
	tp_json_pct(o, r->rtt_us, r->n_rtt);
	return o;
}
