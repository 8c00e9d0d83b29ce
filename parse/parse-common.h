/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers the tool parsers share: lines, fields, JSON results. */
#ifndef TB_PARSE_COMMON_H
#define TB_PARSE_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* Shared by the tool-output parsers (not part of the toolparse.h API). */

/*
 * Next line of a writable buffer, cut in place, trailing blanks (and CR) removed,
 * leading blanks too when lstrip (qperf tells headers from fields by indentation,
 * so it keeps them); NULL at the end.
 */
char *tp_next_line(char **cur, bool lstrip);
/* Copies src, control bytes and non-ASCII turned into '?' so JSON stays valid. */
void tp_copy_text(char *dst, size_t size, const char *src);
/* {"tool", "ok", "error" (null when ok)}: how every parse result's JSON starts; NULL on ENOMEM. */
json_t *tp_json_result(const char *tool, bool ok, const char *error);
/* Sets key to v unless v is absent (< 0). */
void tp_json_num(json_t *o, const char *key, double v);

/* A plain decimal number ("12", "0.032", "-1"): digits, at most one dot; *end after it. */
int tp_number(const char *s, const char **end, double *v);

/* A growing array of observations (free v). */
struct tp_vec {
	double *v;
	size_t n, cap;
};
int tp_vec_push(struct tp_vec *a, double x);

bool tp_starts(const char *s, const char *prefix);
/* P50/P95/P99 of the observations (nearest rank), and P99 - P50, into o; nothing when n = 0. */
void tp_json_pct(json_t *o, const double *v, size_t n);

#endif
