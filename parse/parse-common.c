/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers the tool parsers share: lines, fields, JSON results. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse-common.h"
#include "stats.h"
#include "toolparse.h"

char *
tp_next_line(char **cur, bool lstrip)
{
	char *line = *cur, *nl;
	size_t len;

	if (line == NULL || *line == '\0')
		return NULL;
	nl = strchr(line, '\n');
	if (nl != NULL) {
		*nl = '\0';
		*cur = nl + 1;
	} else {
		*cur = line + strlen(line);
	}
	len = strlen(line);
	while (len > 0 && isspace((unsigned char)line[len - 1]))
		line[--len] = '\0';
	while (lstrip && isspace((unsigned char)*line))
		line++;
	return line;
}

void
tp_copy_text(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < size && src[i] != '\0'; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[i] = '\0';
}

void
tp_json_num(json_t *o, const char *key, double v)
{
	if (v >= 0)
		json_object_set_new(o, key, json_real(v));
}

json_t *
tp_json_result(const char *tool, bool ok, const char *error)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "tool", json_string(tool));
	json_object_set_new(o, "ok", json_boolean(ok));
	json_object_set_new(o, "error", ok ? json_null() : json_string(error));
	return o;
}

int
tp_number(const char *s, const char **end, double *v)
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

int
tp_vec_push(struct tp_vec *a, double x)
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

bool
tp_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

void
tp_json_pct(json_t *o, const double *v, size_t n)
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

void
tp_strip_esc(char *line)
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
		if (*r == '\033') { /* a lone ESC: not text either */
			r++;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
}
