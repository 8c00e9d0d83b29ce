/* SPDX-License-Identifier: BSD-3-Clause */
/* The reference's published figures (CSV) read for the reports. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "reference.h"

#define REF_MAX_COLS 32

/* Columns by name; the file may reorder them or add others, which are ignored. */
enum ref_col { C_BACKEND, C_SCOPE, C_TEST, C_X, C_BW, C_PPS, C_LAT, C_LINK, C_N };

static const char *const col_names[C_N] = {
	"backend", "scope", "test", "x", "bw_mbps", "pps", "lat_us", "link_bw_mbps",
};

/* The identifying columns; a missing value column only leaves that figure at -1. */
#define C_REQUIRED 4

const char *
ref_default_path(void)
{
	return TB_DATA_DIR "/reference/virtink-vhost-user-test.csv";
}

static int __attribute__((format(printf, 5, 6)))
bad(char *err, size_t errlen, const char *path, int line, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%d: %s", path, line, why);
	return -EINVAL;
}

/* Splits line in place at commas; -1 when there are more than max fields. */
static int
split(char *line, char **f, int max)
{
	int n = 0;

	for (;;) {
		if (n == max)
			return -1;
		f[n++] = line;
		line = strchr(line, ',');
		if (line == NULL)
			return n;
		*line++ = '\0';
	}
}

/* A finite number >= 0 and nothing else; empty means "not published" (-1). */
static int
parse_num(const char *s, double *v)
{
	char *end;

	if (*s == '\0') {
		*v = -1;
		return 0;
	}
	/* strtod would accept leading blanks, hex and "inf"/"nan": the source never has them. */
	if (!(*s >= '0' && *s <= '9') && *s != '.')
		return -EINVAL;
	if (strpbrk(s, "xXpP") != NULL)
		return -EINVAL;
	errno = 0;
	*v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(*v))
		return -EINVAL;
	return 0;
}

static int
parse_header(char *line, const char *path, int map[C_N], int *n_cols, char *err, size_t errlen)
{
	char *f[REF_MAX_COLS];
	int n = split(line, f, REF_MAX_COLS), i, c;

	if (n < 0)
		return bad(err, errlen, path, 1, "more than %d columns", REF_MAX_COLS);
	for (c = 0; c < C_N; c++)
		map[c] = -1;
	for (i = 0; i < n; i++) {
		for (c = 0; c < C_N; c++)
			if (strcmp(f[i], col_names[c]) == 0)
				break;
		if (c == C_N)
			continue;
		if (map[c] >= 0)
			return bad(err, errlen, path, 1, "column \"%s\" appears twice", f[i]);
		map[c] = i;
	}
	for (c = 0; c < C_REQUIRED; c++)
		if (map[c] < 0)
			return bad(err, errlen, path, 1, "no column \"%s\" in the header",
				   col_names[c]);
	*n_cols = n;
	return 0;
}

static int
copy_name(char *dst, size_t len, const char *s, const char *what, const char *path, int line,
	  char *err, size_t errlen)
{
	if (*s == '\0')
		return bad(err, errlen, path, line, "empty %s", what);
	if (strlen(s) >= len)
		return bad(err, errlen, path, line, "%s \"%.40s\" longer than %zu characters",
			   what, s, len - 1);
	if (strchr(s, '"') != NULL)
		return bad(err, errlen, path, line, "quoted fields are not supported");
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

static int
parse_row(char *line, int lineno, const char *path, const int map[C_N], int n_cols,
	  struct ref_point *p, char *err, size_t errlen)
{
	double *num[C_N] = {
		[C_X] = &p->x, [C_BW] = &p->bw_mbps, [C_PPS] = &p->pps,
		[C_LAT] = &p->lat_us, [C_LINK] = &p->link_bw_mbps,
	};
	char *f[REF_MAX_COLS];
	int n = split(line, f, REF_MAX_COLS), c, ret;

	if (n != n_cols)
		return bad(err, errlen, path, lineno, "%d fields, the header has %d",
			   n < 0 ? REF_MAX_COLS + 1 : n, n_cols);
	ret = copy_name(p->backend, sizeof(p->backend), f[map[C_BACKEND]], "backend", path, lineno,
			err, errlen);
	if (ret == 0)
		ret = copy_name(p->scope, sizeof(p->scope), f[map[C_SCOPE]], "scope", path, lineno,
				err, errlen);
	if (ret == 0)
		ret = copy_name(p->test, sizeof(p->test), f[map[C_TEST]], "test", path, lineno, err,
				errlen);
	if (ret < 0)
		return ret;
	for (c = C_X; c < C_N; c++) {
		if (map[c] < 0) {
			*num[c] = -1;
			continue;
		}
		if (parse_num(f[map[c]], num[c]) < 0)
			return bad(err, errlen, path, lineno, "%s: \"%.40s\" is not a number",
				   col_names[c], f[map[c]]);
	}
	if (p->x <= 0)
		return bad(err, errlen, path, lineno, "x must be a positive number");
	return 0;
}

int
ref_load(const char *path, struct ref_table *t, char *err, size_t errlen)
{
	struct ref_point *pts = NULL;
	size_t n = 0, cap = 0, i;
	char *buf = NULL, *line, *next;
	int map[C_N], n_cols = 0, lineno = 0, ret;

	t->n = 0;
	t->p = NULL;
	ret = tb_read_file(path, &buf, NULL);
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	for (line = buf; line != NULL; line = next) {
		size_t len;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (lineno == 1) {
			ret = parse_header(line, path, map, &n_cols, err, errlen);
			if (ret < 0)
				goto fail;
			continue;
		}
		if (len == 0) /* the final newline, or blank lines between blocks */
			continue;
		if (n == cap) {
			struct ref_point *q = realloc(pts, (cap ? cap * 2 : 256) * sizeof(*q));

			if (q == NULL) {
				ret = -ENOMEM;
				snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
				goto fail;
			}
			pts = q;
			cap = cap ? cap * 2 : 256;
		}
		memset(&pts[n], 0, sizeof(pts[n]));
		ret = parse_row(line, lineno, path, map, n_cols, &pts[n], err, errlen);
		if (ret < 0)
			goto fail;
		/* A second row for the same point would make ref_find's answer arbitrary. */
		for (i = 0; i < n; i++)
			if (strcmp(pts[i].backend, pts[n].backend) == 0 &&
			    strcmp(pts[i].scope, pts[n].scope) == 0 &&
			    strcmp(pts[i].test, pts[n].test) == 0 && pts[i].x == pts[n].x) {
				ret = bad(err, errlen, path, lineno,
					  "same point as an earlier row");
				goto fail;
			}
		n++;
	}
	free(buf);
	t->n = n;
	t->p = pts;
	return 0;
fail:
	free(pts);
	free(buf);
	return ret;
}

void
ref_free(struct ref_table *t)
{
	if (t == NULL)
		return;
	free(t->p);
	t->p = NULL;
	t->n = 0;
}

const struct ref_point *
ref_find(const struct ref_table *t, const char *backend, const char *scope, const char *test,
	 double x)
{
	size_t i;

	if (t == NULL)
		return NULL;
	for (i = 0; i < t->n; i++) {
		const struct ref_point *p = &t->p[i];

		if (p->x == x && strcmp(p->backend, backend) == 0 &&
		    strcmp(p->scope, scope) == 0 && strcmp(p->test, test) == 0)
			return p;
	}
	return NULL;
}
