/* SPDX-License-Identifier: BSD-3-Clause */
/* mtr --report output -> loss and latency per hop. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-common.h"
#include "toolparse.h"

/* mtr -o can show up to a dozen columns; any more is not mtr's report. */
#define MT_MAX_COLS 16
/* A hop line: its host (a few words with -b / -z) and one value per column. */
#define MT_MAX_TOKENS (MT_MAX_COLS + 8)

enum mt_col {
	MT_COL_OTHER,
	MT_COL_LOSS,
	MT_COL_SENT,
	MT_COL_LAST,
	MT_COL_AVG,
	MT_COL_BEST,
	MT_COL_WORST,
	MT_COL_STDEV,
};

static const struct {
	const char *name;
	enum mt_col col;
} mt_col_names[] = {
	{"Loss%", MT_COL_LOSS},	 {"Snt", MT_COL_SENT},	{"Last", MT_COL_LAST},
	{"Avg", MT_COL_AVG},	 {"Best", MT_COL_BEST}, {"Wrst", MT_COL_WORST},
	{"StDev", MT_COL_STDEV},
};



/* Splits on blanks in place; -E2BIG past max. */
static int
mt_split(char *s, char **tok, int max)
{
	char *save = NULL, *t;
	int n = 0;

	for (t = strtok_r(s, " \t", &save); t != NULL; t = strtok_r(NULL, " \t", &save)) {
		if (n == max)
			return -E2BIG;
		tok[n++] = t;
	}
	return n;
}

/* "HOST: vm    Loss%   Snt   Last ...": the columns after the local host name. */
static int
mt_header(char *line, enum mt_col *cols)
{
	char *tok[MT_MAX_COLS + 2];
	int n, i, c;

	n = mt_split(line + 5, tok, MT_MAX_COLS + 1);
	if (n < 2) /* also too many columns */
		return -EINVAL;
	for (i = 1; i < n; i++) {
		cols[i - 1] = MT_COL_OTHER;
		for (c = 0; c < (int)(sizeof(mt_col_names) / sizeof(mt_col_names[0])); c++)
			if (strcmp(tok[i], mt_col_names[c].name) == 0)
				cols[i - 1] = mt_col_names[c].col;
	}
	return n - 1;
}

/* "1807." and "0.0%" (mtr drops the % or the decimals when the column is too narrow). */
static int
mt_value(char *tok, double *v)
{
	size_t len = strlen(tok);

	if (len > 0 && tok[len - 1] == '%')
		tok[len - 1] = '\0';
	return tp_value_unit(tok, v);
}

/*
 * "  1.|-- 198.19.0.1   0.0%   5   0.1   0.4   0.1   1.8   0.7" (ECMP lines without a
 * number are skipped): 1 when stored, 0 when not a hop line, or -errno.
 */
static int
mt_hop(char *line, const enum mt_col *cols, int n_cols, struct tp_mtr *r)
{
	char *tok[MT_MAX_TOKENS], *p = line;
	struct tp_mtr_hop *h;
	int n_tok, n_host, i, len;
	long n = 0;
	double v;

	while (isdigit((unsigned char)*p) && n < 100000)
		n = n * 10 + (*p++ - '0');
	if (p == line || *p != '.' || (p[1] != '|' && p[1] != '`'))
		return 0;
	p++;
	while (*p == '|' || *p == '`' || *p == '-')
		p++;
	n_tok = mt_split(p, tok, MT_MAX_TOKENS);
	if (n_tok < 0)
		return -EINVAL;
	n_host = n_tok - n_cols;
	if (n_host < 1)
		return -EINVAL;
	if (r->n_hops == TP_MTR_MAX_HOPS)
		return -E2BIG;
	h = &r->hop[r->n_hops];
	h->n = (int)n;
	h->host[0] = '\0';
	for (i = 0, len = 0; i < n_host && len < (int)sizeof(h->host) - 1; i++) {
		char word[sizeof(h->host)];

		tp_copy_text(word, sizeof(word), tok[i]);
		len += snprintf(h->host + len, sizeof(h->host) - len, "%s%s", i ? " " : "", word);
	}
	h->loss_pct = h->last_ms = h->avg_ms = h->best_ms = h->worst_ms = h->stdev_ms = -1;
	h->sent = -1;
	for (i = 0; i < n_cols; i++) {
		if (mt_value(tok[n_host + i], &v) < 0)
			return -EINVAL;
		switch (cols[i]) {
		case MT_COL_LOSS:
			h->loss_pct = v;
			break;
		case MT_COL_SENT:
			h->sent = v <= 1e9 ? (int)v : -1;
			break;
		case MT_COL_LAST:
			h->last_ms = v;
			break;
		case MT_COL_AVG:
			h->avg_ms = v;
			break;
		case MT_COL_BEST:
			h->best_ms = v;
			break;
		case MT_COL_WORST:
			h->worst_ms = v;
			break;
		case MT_COL_STDEV:
			h->stdev_ms = v;
			break;
		default:
			break;
		}
	}
	/* mtr prints 0.0 for a hop that never answered: no time was measured */
	if (h->loss_pct >= 100)
		h->last_ms = h->avg_ms = h->best_ms = h->worst_ms = h->stdev_ms = -1;
	r->n_hops++;
	return 1;
}

int
tp_mtr_parse(const char *text, struct tp_mtr *r)
{
	enum mt_col cols[MT_MAX_COLS];
	char *buf, *cur, *line;
	int n_cols = -1, ret = 0, i;

	if (text == NULL || r == NULL)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->ok = true;
	buf = strdup(text);
	if (buf == NULL)
		return -ENOMEM;
	cur = buf;
	while ((line = tp_next_line(&cur, true)) != NULL) {
		if (n_cols < 0) {
			if (strncmp(line, "HOST:", 5) == 0) {
				n_cols = mt_header(line, cols);
				if (n_cols < 0) {
					ret = n_cols;
					break;
				}
			}
			continue; /* "Start: <date>" */
		}
		ret = mt_hop(line, cols, n_cols, r);
		if (ret < 0)
			break;
	}
	free(buf);
	if (ret < 0 || n_cols < 0) {
		r->n_hops = 0;
		return ret < 0 ? ret : -EINVAL;
	}
	if (r->n_hops == 0) {
		r->ok = false;
		tp_copy_text(r->error, sizeof(r->error), "no hop in mtr's report");
		return 0;
	}
	for (i = 0; i < r->n_hops; i++)
		if (r->hop[i].loss_pct < 100)
			break;
	if (i == r->n_hops) {
		r->ok = false;
		tp_copy_text(r->error, sizeof(r->error),
			     "no hop answered (100% loss on every hop)");
	} else if (r->hop[r->n_hops - 1].loss_pct >= 100) {
		r->ok = false;
		snprintf(r->error, sizeof(r->error),
			 "the last hop (%s) lost every probe: destination not reached",
			 r->hop[r->n_hops - 1].host);
	}
	return 0;
}

json_t *
tp_mtr_json(const struct tp_mtr *r)
{
	const struct tp_mtr_hop *dst;
	json_t *o, *hops, *h;
	int i;

	if (r == NULL)
		return NULL;
	o = tp_json_result("mtr", r->ok, r->error);
	hops = json_array();
	if (o == NULL || hops == NULL) {
		json_decref(o);
		json_decref(hops);
		return NULL;
	}
	for (i = 0; i < r->n_hops && i < TP_MTR_MAX_HOPS; i++) {
		const struct tp_mtr_hop *hp = &r->hop[i];

		h = json_pack("{s:i, s:s}", "n", hp->n, "host", hp->host);
		if (h == NULL)
			continue;
		tp_json_num(h, "loss_pct", hp->loss_pct);
		if (hp->sent >= 0)
			json_object_set_new(h, "sent", json_integer(hp->sent));
		tp_json_num(h, "last_ms", hp->last_ms);
		tp_json_num(h, "avg_ms", hp->avg_ms);
		tp_json_num(h, "best_ms", hp->best_ms);
		tp_json_num(h, "worst_ms", hp->worst_ms);
		tp_json_num(h, "stdev_ms", hp->stdev_ms);
		json_array_append_new(hops, h);
	}
	json_object_set_new(o, "hops", hops);
	if (r->n_hops > 0 && r->n_hops <= TP_MTR_MAX_HOPS) {
		/* the destination: the last hop of the report */
		dst = &r->hop[r->n_hops - 1];
		json_object_set_new(o, "destination", json_string(dst->host));
		tp_json_num(o, "loss_pct", dst->loss_pct);
		tp_json_num(o, "avg_ms", dst->avg_ms);
	}
	return o;
}
