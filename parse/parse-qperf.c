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
	memset(r, 0, sizeof(*r));
	r->ok = true;
	r->latency_us = r->bw_Bps = r->send_bw_Bps = r->msg_rate = r->msg_size = -1;
	r->time_s = r->loc_cpus_used = r->rem_cpus_used = -1;
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
	/* qperf prints 0 when no message made the round trip before the time ran out */
	if (r->latency_us == 0 || r->bw_Bps == 0)
		qp_fail(r, QP_NO_MESSAGE);
	if (r->latency_us < 0 && r->bw_Bps < 0 && r->msg_rate < 0)
		qp_fail(r, "no result in qperf's output (cut short?)");
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
