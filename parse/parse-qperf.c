/* SPDX-License-Identifier: BSD-3-Clause */
/* qperf -vvs output -> latency, bandwidth, message rate and CPU. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-common.h"
#include "toolparse.h"

#define QP_NO_MESSAGE "no message completed in the test time"

/* The measurements we keep; send_/recv_ are what qperf prints for one-way (bw) tests. */
static const struct {
	const char *key;
	size_t off;
	double div; /* from tp_value_unit's base unit */
} qp_fields[] = {
	{"latency", offsetof(struct tp_qperf, latency_us), 1},
	{"bw", offsetof(struct tp_qperf, bw_Bps), 1},
	{"recv_bw", offsetof(struct tp_qperf, bw_Bps), 1},
	{"send_bw", offsetof(struct tp_qperf, send_bw_Bps), 1},
	{"msg_rate", offsetof(struct tp_qperf, msg_rate), 1},
	{"msg_size", offsetof(struct tp_qperf, msg_size), 1},
	{"time", offsetof(struct tp_qperf, time_s), 1e6},
	{"loc_cpus_used", offsetof(struct tp_qperf, loc_cpus_used), 1},
	{"send_cpus_used", offsetof(struct tp_qperf, loc_cpus_used), 1},
	{"rem_cpus_used", offsetof(struct tp_qperf, rem_cpus_used), 1},
	{"recv_cpus_used", offsetof(struct tp_qperf, rem_cpus_used), 1},
};

/* Next line of a writable buffer, without its CR LF; NULL at the end. */

/* Text from outside into a fixed field: cut to size, printable ASCII only (valid JSON). */

/* "tcp_lat:" alone on its line, at the start. */
static bool
qp_is_header(const char *line)
{
	size_t n = 0;

	while (isalnum((unsigned char)line[n]) || line[n] == '_')
		n++;
	return n > 0 && n < sizeof(((struct tp_qperf *)NULL)->test) && line[n] == ':' &&
	       line[n + 1] == '\0';
}

/* "    latency          =    197 us": 0 and the field stored, or ignored, or -EINVAL. */
static int
qp_field(char *line, struct tp_qperf *r)
{
	char *eq = strchr(line, '='), *key = line;
	size_t klen, i;
	double v;

	while (isspace((unsigned char)*key))
		key++;
	klen = (size_t)(eq - key);
	while (klen > 0 && isspace((unsigned char)key[klen - 1]))
		klen--;
	for (i = 0; i < sizeof(qp_fields) / sizeof(qp_fields[0]); i++) {
		if (strlen(qp_fields[i].key) != klen || strncmp(qp_fields[i].key, key, klen) != 0)
			continue;
		if (tp_value_unit(eq + 1, &v) < 0)
			return -EINVAL;
		*(double *)((char *)r + qp_fields[i].off) = v / qp_fields[i].div;
		return 0;
	}
	return 0; /* a value we do not keep (costs, timeouts, per-side details) */
}

static void
qp_fail(struct tp_qperf *r, const char *why)
{
	if (!r->ok)
		return; /* the first reason is the one that matters */
	r->ok = false;
	tp_copy_text(r->error, sizeof(r->error), why);
}

static void
qp_init(struct tp_qperf *r)
{
	memset(r, 0, sizeof(*r));
	r->ok = true;
	r->latency_us = r->bw_Bps = r->send_bw_Bps = r->msg_rate = r->msg_size = -1;
	r->time_s = r->loc_cpus_used = r->rem_cpus_used = -1;
}

/*
 * What the block ends with: no message completed (qperf prints 0 when no message made the
 * round trip before the time ran out), or no result at all.
 */
static void
qp_finish(struct tp_qperf *r)
{
	if (r->latency_us == 0 || r->bw_Bps == 0)
		qp_fail(r, QP_NO_MESSAGE);
	if (r->latency_us < 0 && r->bw_Bps < 0 && r->msg_rate < 0)
		qp_fail(r, "no result in qperf's output (cut short?)");
}

/*
 * One test's block: the "name:" header, then indented "key = value" lines. Any other
 * line after the header is qperf's own error report ("198.18.1.2: failed to connect"),
 * except its warnings. A second header ends the block: one test per parse.
 */
int
tp_qperf_parse(const char *text, struct tp_qperf *r)
{
	char *buf, *cur, *line;
	bool header = false;
	int ret = 0;

	if (text == NULL || r == NULL)
		return -EINVAL;
	qp_init(r);
	buf = strdup(text);
	if (buf == NULL)
		return -ENOMEM;
	cur = buf;
	while ((line = tp_next_line(&cur, false)) != NULL) {
		if (line[0] == '\0')
			continue;
		if (qp_is_header(line)) {
			if (header)
				break;
			header = true;
			memcpy(r->test, line, strlen(line) - 1);
			continue;
		}
		if (!header)
			continue; /* before the test: not part of its result */
		if (isspace((unsigned char)line[0]) && strchr(line, '=') != NULL) {
			ret = qp_field(line, r);
			if (ret < 0)
				break;
		} else if (strncmp(line, "warning:", 8) != 0) {
			qp_fail(r, line);
		}
	}
	free(buf);
	if (ret < 0 || !header)
		return -EINVAL;
	qp_finish(r);
	return 0;
}

json_t *
tp_qperf_json(const struct tp_qperf *r)
{
	json_t *o;

	if (r == NULL)
		return NULL;
	o = tp_json_result("qperf", r->ok, r->error);
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "test", json_string(r->test));
	tp_json_num(o, "latency_us", r->latency_us);
	tp_json_num(o, "bw_Bps", r->bw_Bps);
	tp_json_num(o, "bw_MBps", r->bw_Bps >= 0 ? r->bw_Bps / 1e6 : -1);
	tp_json_num(o, "bw_mbps", r->bw_Bps >= 0 ? r->bw_Bps * 8 / 1e6 : -1);
	tp_json_num(o, "send_bw_Bps", r->send_bw_Bps);
	tp_json_num(o, "send_bw_MBps", r->send_bw_Bps >= 0 ? r->send_bw_Bps / 1e6 : -1);
	tp_json_num(o, "send_bw_mbps", r->send_bw_Bps >= 0 ? r->send_bw_Bps * 8 / 1e6 : -1);
	tp_json_num(o, "msg_rate", r->msg_rate);
	/* whole bytes, up to 2^53 exactly representable */
	if (r->msg_size >= 0 && r->msg_size <= 9007199254740992.0 &&
	    r->msg_size == (double)(json_int_t)r->msg_size)
		json_object_set_new(o, "msg_size_B", json_integer((json_int_t)r->msg_size));
	else
		tp_json_num(o, "msg_size_B", r->msg_size);
	tp_json_num(o, "time_s", r->time_s);
	tp_json_num(o, "cpu_local_pct", r->loc_cpus_used);
	tp_json_num(o, "cpu_remote_pct", r->rem_cpus_used);
	return o;
}

/* ---- every block of one output (qperf -oo msg_size:...) ---- */

#define QP_MAX_TESTS 16

/* K, M, G after a size in qperf's options: powers of 1024. */
static int
qp_oo_size(const char *s, const char **end, double *v)
{
	static const struct {
		char c;
		double mul;
	} sfx[] = {{'K', 1024.0}, {'M', 1048576.0}, {'G', 1073741824.0}};
	size_t i;

	if (tp_number(s, end, v) < 0 || *v < 0 || (*end)[-1] == '.')
		return -EINVAL;
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
		if (**end == sfx[i].c || **end == tolower((unsigned char)sfx[i].c)) {
			*v *= sfx[i].mul;
			(*end)++;
			break;
		}
	return 0;
}

int
tp_qperf_oo_sizes(const char *spec, double *sizes, size_t max, size_t *n)
{
	const char *p;
	double lo, hi, step, s;
	char op;

	if (spec == NULL || sizes == NULL || n == NULL || !tp_starts(spec, "msg_size:"))
		return -EINVAL;
	p = spec + strlen("msg_size:");
	if (qp_oo_size(p, &p, &lo) < 0 || *p++ != ':' || qp_oo_size(p, &p, &hi) < 0 ||
	    *p++ != ':')
		return -EINVAL;
	op = *p++;
	if ((op != '*' && op != '+') || qp_oo_size(p, &p, &step) < 0 || *p != '\0')
		return -EINVAL;
	if (lo < 1 || hi < lo || (op == '*' && step < 2) || (op == '+' && step < 1))
		return -EINVAL;
	*n = 0;
	for (s = lo; s <= hi; s = op == '*' ? s * step : s + step) {
		if (*n == max)
			return -E2BIG;
		sizes[(*n)++] = s;
	}
	return 0;
}

void
tp_qperf_all_free(struct tp_qperf_all *a)
{
	if (a == NULL)
		return;
	free(a->b);
	a->b = NULL;
	a->n = 0;
}

/* -EINVAL with "line N: "content": why" in a->error. */
static int
qp_bad_line(struct tp_qperf_all *a, int n, const char *line, const char *why)
{
	char shown[96];

	tp_copy_text(shown, sizeof(shown), line);
	snprintf(a->error, sizeof(a->error), "line %d: \"%s\": %.140s", n, shown, why);
	return -EINVAL;
}

/* The counts that tell the size of a block whose msg_size is not printed (-vvs). */
static int
qp_count(const char *line, struct tp_qperf_block *b)
{
	static const char *const bytes[] = {"loc_send_bytes", "send_bytes"};
	static const char *const msgs[] = {"loc_send_msgs", "send_msgs"};
	const char *key = line, *eq = strchr(line, '=');
	size_t klen, i;

	while (isspace((unsigned char)*key))
		key++;
	klen = (size_t)(eq - key);
	while (klen > 0 && isspace((unsigned char)key[klen - 1]))
		klen--;
	for (i = 0; i < 2; i++) {
		if (strlen(bytes[i]) == klen && strncmp(key, bytes[i], klen) == 0)
			return tp_value_unit(eq + 1, &b->sent_bytes);
		if (strlen(msgs[i]) == klen && strncmp(key, msgs[i], klen) == 0)
			return tp_value_unit(eq + 1, &b->sent_msgs);
	}
	return 0;
}

static int
qp_add_block(struct tp_qperf_all *a, size_t *cap, const char *header, int n)
{
	struct tp_qperf_block *b;

	if (a->n == *cap) {
		size_t c = *cap ? *cap * 2 : 32;

		if (c > 4096)
			return qp_bad_line(a, n, header, "more than 4096 blocks");
		b = realloc(a->b, c * sizeof(*b));
		if (b == NULL)
			return -ENOMEM;
		a->b = b;
		*cap = c;
	}
	b = &a->b[a->n++];
	memset(b, 0, sizeof(*b));
	qp_init(&b->r);
	memcpy(b->r.test, header, strlen(header) - 1);
	b->line = n;
	b->sent_bytes = b->sent_msgs = -1;
	return 0;
}

static size_t
qp_test_blocks(const struct tp_qperf_all *a, const char *test)
{
	size_t i, n = 0;

	for (i = 0; i < a->n; i++)
		n += strcmp(a->b[i].r.test, test) == 0;
	return n;
}

/* Blocks without msg_size: the next size of their test's -oo loop, checked by their counts. */
static int
qp_sizes(struct tp_qperf_all *a, const char *oo)
{
	const char *tests[QP_MAX_TESTS];
	size_t used[QP_MAX_TESTS], n_tests = 0, i, t, n_sizes;
	double sizes[TP_QPERF_MAX_SIZES], each;
	char why[160], hdr[32];

	for (i = 0; i < a->n; i++) {
		struct tp_qperf_block *b = &a->b[i];
		const char *spec = oo;

		snprintf(hdr, sizeof(hdr), "%s:", b->r.test);
		for (t = 0; t < n_tests && strcmp(tests[t], b->r.test) != 0; t++)
			;
		if (t == n_tests) {
			if (n_tests == QP_MAX_TESTS)
				return qp_bad_line(a, b->line, hdr, "more than 16 tests");
			tests[n_tests] = b->r.test;
			used[n_tests++] = 0;
		}
		if (b->r.msg_size >= 0) {
			used[t]++;
			continue;
		}
		/* one block alone (`qperf -m SIZE`): no loop to take its size from */
		if (oo == NULL && qp_test_blocks(a, b->r.test) == 1)
			continue;
		if (spec == NULL)
			spec = tp_starts(b->r.test, "udp") ? TP_QPERF_OO_UDP : TP_QPERF_OO_TCP;
		if (tp_qperf_oo_sizes(spec, sizes, TP_QPERF_MAX_SIZES, &n_sizes) < 0)
			return -EINVAL; /* the caller checks oo first */
		if (used[t] >= n_sizes) {
			snprintf(why, sizeof(why),
				 "block %zu of %s has no msg_size and -oo %s has only %zu sizes",
				 used[t] + 1, b->r.test, spec, n_sizes);
			return qp_bad_line(a, b->line, hdr, why);
		}
		b->r.msg_size = sizes[used[t]++];
		b->size_from_oo = true;
		each = b->sent_msgs > 0 ? b->sent_bytes / b->sent_msgs : -1;
		if (each > 0 && (each > 1.1 * b->r.msg_size || each < 0.9 * b->r.msg_size)) {
			snprintf(why, sizeof(why),
				 "%.0f bytes in %.0f messages is %.4g bytes each, not the %.0f of "
				 "block %zu of -oo %s",
				 b->sent_bytes, b->sent_msgs, each, b->r.msg_size, used[t], spec);
			return qp_bad_line(a, b->line, hdr, why);
		}
	}
	return 0;
}

int
tp_qperf_parse_all(const char *text, const char *oo, struct tp_qperf_all *a)
{
	double sizes[TP_QPERF_MAX_SIZES];
	size_t cap = 0, i, n_sizes;
	char *buf, *cur, *line;
	int n = 0, ret = 0;

	if (text == NULL || a == NULL)
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	if (oo != NULL && tp_qperf_oo_sizes(oo, sizes, TP_QPERF_MAX_SIZES, &n_sizes) < 0) {
		snprintf(a->error, sizeof(a->error),
			 "-oo \"%.64s\": not msg_size:MIN:MAX:*F or msg_size:MIN:MAX:+STEP "
			 "(at most %d sizes)",
			 oo, TP_QPERF_MAX_SIZES);
		return -EINVAL;
	}
	buf = strdup(text);
	if (buf == NULL)
		return -ENOMEM;
	cur = buf;
	while (ret == 0 && (line = tp_next_line(&cur, false)) != NULL) {
		struct tp_qperf_block *b = a->n ? &a->b[a->n - 1] : NULL;

		n++;
		if (line[0] == '\0' || tp_starts(line, "warning:"))
			continue;
		if (qp_is_header(line))
			ret = qp_add_block(a, &cap, line, n);
		else if (b == NULL)
			ret = qp_bad_line(a, n, line,
					  "not qperf output (it starts with a test header such as "
					  "\"tcp_lat:\")");
		else if (!isspace((unsigned char)line[0]))
			qp_fail(&b->r, line); /* qperf's own report: "HOST: failed to connect" */
		else if (strchr(line, '=') == NULL)
			ret = qp_bad_line(a, n, line, "not a \"key = value\" line of qperf");
		else if (qp_field(line, &b->r) < 0 || qp_count(line, b) < 0)
			ret = qp_bad_line(a, n, line,
					  "value not understood (a number and a unit of qperf, "
					  "such as \"197 us\")");
	}
	free(buf);
	if (ret < 0)
		return ret;
	if (a->n == 0) {
		snprintf(a->error, sizeof(a->error),
			 "no qperf test header (such as \"tcp_lat:\") in %d lines", n);
		return -EINVAL;
	}
	ret = qp_sizes(a, oo);
	if (ret < 0)
		return ret;
	a->ok = true;
	for (i = 0; i < a->n; i++) {
		struct tp_qperf_block *b = &a->b[i];

		qp_finish(&b->r);
		if (!b->r.ok && a->ok) {
			a->ok = false;
			char size[48] = "";

			if (b->r.msg_size >= 0)
				snprintf(size, sizeof(size), " (%.0f bytes)", b->r.msg_size);
			snprintf(a->error, sizeof(a->error), "line %d: %s block %zu%s: %.160s",
				 b->line, b->r.test, i + 1, size, b->r.error);
		}
	}
	return 0;
}

json_t *
tp_qperf_all_json(const struct tp_qperf_all *a)
{
	json_t *o, *blocks, *bj;
	size_t i;

	if (a == NULL)
		return NULL;
	if (a->n == 1)
		o = tp_qperf_json(&a->b[0].r);
	else
		o = tp_json_result("qperf", a->ok, a->error);
	blocks = json_array();
	if (o == NULL || blocks == NULL) {
		json_decref(o);
		json_decref(blocks);
		return NULL;
	}
	json_object_set_new(o, "ok", json_boolean(a->ok));
	json_object_set_new(o, "error", a->ok ? json_null() : json_string(a->error));
	for (i = 0; i < a->n; i++) {
		bj = tp_qperf_json(&a->b[i].r);
		if (bj == NULL)
			break;
		json_object_set_new(bj, "line", json_integer(a->b[i].line));
		json_object_set_new(bj, "msg_size_from",
				    json_string(a->b[i].size_from_oo ? "oo" : "output"));
		json_array_append_new(blocks, bj);
	}
	json_object_set_new(o, "blocks", blocks);
	return o;
}
