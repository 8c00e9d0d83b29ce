/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sockperf ping-pong (summary and --full-log rows), as `bench net` and `bench ebpf` run it:
 * text meant for people; this reads what it prints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-common.h"
#include "toolparse.h"

/* The number after "key" in line (blanks and one '=' allowed between); -EINVAL if absent. */
static int
sp_after(const char *line, const char *key, double *v)
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
	return tp_number(p, NULL, v);
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

	if (tp_starts(s, "<MAX> observation")) {
		if (sp_after(s, "observation", &v) == 0 && v >= 0)
			r->max_us = v;
	} else if (tp_starts(s, "<MIN> observation")) {
		if (sp_after(s, "observation", &v) == 0 && v >= 0)
			r->min_us = v;
	} else if (tp_starts(s, "percentile ") && tp_number(s + 11, &p, &pct) == 0 && pct > 0 &&
		   pct <= 100 && sp_after(p, "", &v) == 0 && v >= 0 && r->n_pct < TP_SOCKPERF_PCT) {
		r->pct[r->n_pct] = pct;
		r->pct_us[r->n_pct++] = v;
	}
}

/* One line of the summary block (after "sockperf: "). */
static void
sp_summary(const char *s, struct tp_sockperf *r, bool *have_valid)
{
	double a, b, c;

	if (tp_starts(s, "ERROR:")) {
		s += 6;
		while (*s == ' ')
			s++;
		sp_error(r, s);
	} else if (tp_starts(s, "No messages were received")) {
		sp_error(r, s);
	} else if (tp_starts(s, "[Valid Duration]") && !*have_valid) {
		if (sp_after(s, "RunTime", &a) == 0 && sp_after(s, "SentMessages", &b) == 0 &&
		    sp_after(s, "ReceivedMessages", &c) == 0 && a >= 0 && b >= 0 && c >= 0) {
			r->run_s = a;
			r->sent = b;
			r->received = c;
			*have_valid = true;
		}
	} else if (tp_starts(s, "====> avg-rtt") || tp_starts(s, "====> avg-lat")) {
		r->full_rtt = s[10] == 'r';
		if (sp_after(s, s[10] == 'r' ? "avg-rtt" : "avg-lat", &a) == 0 && a >= 0)
			r->avg_us = a;
		if (sp_after(s, "std-dev", &a) == 0 && a >= 0)
			r->stddev_us = a;
	} else if (tp_starts(s, "# dropped messages")) {
		if (sp_after(s, "# dropped messages", &a) == 0 && a >= 0)
			r->dropped = a;
		if (sp_after(s, "# duplicated messages", &a) == 0 && a >= 0)
			r->duplicated = a;
		if (sp_after(s, "# out-of-order messages", &a) == 0 && a >= 0)
			r->out_of_order = a;
	} else if (tp_starts(s, "---> ")) {
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
		if (tp_number(p, &p, &v) < 0)
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
	struct tp_vec rows = {0};
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
		tp_strip_esc(line);
		if (tp_starts(line, "sockperf:") || tp_starts(line, "sockperf["))
			seen = true;
		if (tp_starts(line, "test was performed using the following parameters")) {
			/* the full log repeats the summary: the first one counts */
			blk = SP_LOG_HEAD;
			r->full_rtt |= strstr(line, "--full-rtt") != NULL;
			continue;
		}
		if (blk == SP_LOG_HEAD && tp_starts(line, "packet,")) {
			blk = SP_LOG_ROWS;
			continue;
		}
		if (blk == SP_LOG_ROWS) {
			if (sp_row(line, &v) == 0)
				ret = tp_vec_push(&rows, v);
			else if (tp_starts(line, "---"))
				blk = SP_AFTER;
			continue;
		}
		if (tp_starts(line, "[ 0] IP =") || (tp_starts(line, "[") && strstr(line, "PORT =")))
			r->tcp |= strstr(line, "# TCP") != NULL;
		if (blk == SP_SUMMARY && tp_starts(line, "sockperf: "))
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
	tp_json_pct(o, r->rtt_us, r->n_rtt);
	return o;
}
