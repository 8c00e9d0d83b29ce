/* SPDX-License-Identifier: BSD-3-Clause */
/* Plots (gnuplot PNG): one per test, one line per backend. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "fsutil.h"
#include "report-common.h"
#include "report.h"
#include "runcmd.h"

#define PLOT_TIMEOUT_MS 30000
#define PLOT_MAX_SERIES RP_MAX_SERIES
#define NAME_LEN 208 /* <test>-ref-<backend>-<scope>.dat, each part at most 63 */

/* One colour per backend, the same for our line and the reference's (backend.h's order). */
static const char *const colours[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#7f7f7f", "#d62728", "#17becf",
};
#define N_KNOWN TB_BE_COUNT
#define N_COLOURS (sizeof(colours) / sizeof(colours[0]))

struct series {
	const char *backend, *scope;
	int colour;
	size_t n;
	double *x, *v, *lo, *hi; /* ok points only, sorted by x */
};

struct plot_ctx {
	const char *test;
	char fname[64]; /* test, safe as a file name */
	bool lat;
	struct series s[PLOT_MAX_SERIES];
	int n_series;
	int n_scopes;
	double xmin, xmax;
};

static const char *
point_scope(json_t *p)
{
	const char *s = json_string_value(json_object_get(p, "scope"));

	return s != NULL ? s : "same_host";
}

static double
num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : -1;
}

/* The plotted metric: latency in us, or bandwidth in Mb/s (the reference's unit). */
static bool
point_value(json_t *p, bool lat, double *v, double *lo, double *hi)
{
	json_t *m = json_object_get(p, lat ? "latency_us" : "bw_mbps");
	double f = 1;

	if (!lat && !json_is_object(m)) {
		m = json_object_get(p, "bw_MBps");
		f = 8;
	}
	if (!json_is_object(m))
		return false;
	*v = num(m, "median") * f;
	*lo = num(m, "min") * f;
	*hi = num(m, "max") * f;
	if (*lo <= 0 || *hi <= 0) /* one repeat may be stored without a spread */
		*lo = *hi = *v;
	return *v > 0;
}

int
rp_backend_colour(const char *backend, const char **seen, int *n_seen)
{
	int i;

	i = tb_backend_from_name(backend);
	if (i >= 0)
		return i % N_COLOURS;
	for (i = 0; i < *n_seen; i++)
		if (strcmp(backend, seen[i]) == 0)
			return (N_KNOWN + i) % N_COLOURS;
	if (*n_seen < PLOT_MAX_SERIES)
		seen[(*n_seen)++] = backend;
	return (N_KNOWN + i) % N_COLOURS;
}

const char *
rp_colour(int index)
{
	return colours[(index < 0 ? -index : index) % N_COLOURS];
}

static struct series *
series_of(struct plot_ctx *c, const char *backend, const char *scope)
{
	int i;

	for (i = 0; i < c->n_series; i++)
		if (strcmp(c->s[i].backend, backend) == 0 && strcmp(c->s[i].scope, scope) == 0)
			return &c->s[i];
	if (c->n_series == PLOT_MAX_SERIES)
		return NULL;
	c->s[c->n_series] = (struct series){.backend = backend, .scope = scope};
	return &c->s[c->n_series++];
}

static int
series_add(struct series *s, double x, double v, double lo, double hi)
{
	size_t i = s->n, sz = (s->n + 1) * sizeof(double);
	double **a[4] = {&s->x, &s->v, &s->lo, &s->hi};
	int k;

	for (k = 0; k < 4; k++) {
		double *q = realloc(*a[k], sz);

		if (q == NULL)
			return -ENOMEM;
		*a[k] = q;
	}
	/* insertion keeps x sorted; a sweep has a few dozen points per series */
	while (i > 0 && s->x[i - 1] > x) {
		s->x[i] = s->x[i - 1], s->v[i] = s->v[i - 1];
		s->lo[i] = s->lo[i - 1], s->hi[i] = s->hi[i - 1];
		i--;
	}
	s->x[i] = x, s->v[i] = v, s->lo[i] = lo, s->hi[i] = hi;
	s->n++;
	return 0;
}

static void
ctx_free(struct plot_ctx *c)
{
	int i;

	for (i = 0; i < c->n_series; i++) {
		free(c->s[i].x);
		free(c->s[i].v);
		free(c->s[i].lo);
		free(c->s[i].hi);
	}
}

/* Series in a stable order: the known backends first, same_host before other scopes. */
static int
series_cmp(const void *a, const void *b)
{
	const struct series *x = a, *y = b;
	int sx = strcmp(x->scope, "same_host") != 0, sy = strcmp(y->scope, "same_host") != 0;

	if (sx != sy)
		return sx - sy;
	if (x->colour != y->colour)
		return x->colour - y->colour;
	return strcmp(x->scope, y->scope);
}

static int
collect(struct plot_ctx *c, json_t *results)
{
	const char *seen[PLOT_MAX_SERIES], *scopes[PLOT_MAX_SERIES];
	int n_seen = 0, i;
	size_t k;
	json_t *p;

	c->n_scopes = 0;
	c->xmin = -1;
	c->xmax = -1;
	json_array_foreach(json_object_get(results, "points"), k, p) {
		const char *backend = json_string_value(json_object_get(p, "backend"));
		const char *test = json_string_value(json_object_get(p, "test"));
		const char *status = json_string_value(json_object_get(p, "status"));
		double x = num(p, "msg_size"), v, lo, hi;
		struct series *s;

		if (backend == NULL || test == NULL || strcmp(test, c->test) != 0 || x <= 0)
			continue;
		if (status == NULL || strcmp(status, "ok") != 0 ||
		    !point_value(p, c->lat, &v, &lo, &hi))
			continue;
		s = series_of(c, backend, point_scope(p));
		if (s == NULL)
			continue;
		if (s->n == 0) {
			s->colour = rp_backend_colour(backend, seen, &n_seen);
			for (i = 0; i < c->n_scopes; i++)
				if (strcmp(scopes[i], s->scope) == 0)
					break;
			if (i == c->n_scopes)
				scopes[c->n_scopes++] = s->scope;
		}
		if (series_add(s, x, v, lo, hi) < 0)
			return -ENOMEM;
		if (c->xmin < 0 || x < c->xmin)
			c->xmin = x;
		if (x > c->xmax)
			c->xmax = x;
	}
	qsort(c->s, c->n_series, sizeof(c->s[0]), series_cmp);
	return 0;
}

/* File names are built from backend names found in results.json: keep them tame. */
void
rp_file_part(char *dst, size_t len, const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		dst[i] = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
				 (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'
			 ? s[i]
			 : '_';
	dst[i] = '\0';
}

static void
series_file(char *dst, size_t len, const struct plot_ctx *c, const struct series *s, bool ref)
{
	char be[64], sc[64];

	rp_file_part(be, sizeof(be), s->backend);
	rp_file_part(sc, sizeof(sc), s->scope);
	snprintf(dst, len, "%s-%s%s%s%s.dat", c->fname, ref ? "ref-" : "", be,
		 c->n_scopes > 1 ? "-" : "", c->n_scopes > 1 ? sc : "");
}

/* A gnuplot single-quoted string: no escapes inside, a quote is written twice. */
void
rp_gp_str(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
	fputc('\'', f);
}

int
rp_write_text(const char *path, char *text, size_t len)
{
	int ret;

	if (text == NULL)
		return -ENOMEM;
	ret = tb_write_atomic(path, text, len, 0644);
	free(text);
	return ret;
}

static int
write_series(const char *plots, const struct plot_ctx *c, const struct series *s, char *name,
	     size_t namelen)
{
	char path[PATH_MAX + 256], *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return -ENOMEM;
	series_file(name, namelen, c, s, false);
	fprintf(f, "# %s, %s, %s: msg_size %s median min max\n", c->test, s->backend, s->scope,
		c->lat ? "latency_us" : "bw_mbps");
	for (i = 0; i < s->n; i++)
		fprintf(f, "%.0f %.6g %.6g %.6g\n", s->x[i], s->v[i], s->lo[i], s->hi[i]);
	fclose(f);
	if (snprintf(path, sizeof(path), "%s/%s", plots, name) >= (int)sizeof(path)) {
		free(buf);
		return -ENAMETOOLONG;
	}
	return rp_write_text(path, buf, len);
}

/* The reference over our sweep's range only, so its 128 MiB tail does not squash ours. */
static int
write_ref(const char *plots, const struct plot_ctx *c, const struct series *s,
	  const struct ref_table *ref, char *name, size_t namelen)
{
	char path[PATH_MAX + 256], rtest[16], *buf = NULL;
	size_t len = 0, i, n = 0;
	FILE *f;

	snprintf(rtest, sizeof(rtest), "%.*s", (int)strcspn(c->test, "_"), c->test);
	f = open_memstream(&buf, &len);
	if (f == NULL)
		return -ENOMEM;
	series_file(name, namelen, c, s, true);
	fprintf(f, "# Virtink reference, %s %s %s: x %s\n", s->backend, s->scope, rtest,
		c->lat ? "lat_us" : "bw_mbps");
	/* the table is in file order (x ascending per block), as ref_load keeps it */
	for (i = 0; i < ref->n; i++) {
		const struct ref_point *r = &ref->p[i];
		double v = c->lat ? r->lat_us : r->bw_mbps;

		if (strcmp(r->backend, s->backend) != 0 || strcmp(r->scope, s->scope) != 0 ||
		    strcmp(r->test, rtest) != 0 || r->x < c->xmin || r->x > c->xmax || v <= 0)
			continue;
		fprintf(f, "%.0f %.6g\n", r->x, v);
		n++;
	}
	fclose(f);
	if (n == 0) {
		free(buf);
		return -ENODATA;
	}
	if (snprintf(path, sizeof(path), "%s/%s", plots, name) >= (int)sizeof(path)) {
		free(buf);
		return -ENAMETOOLONG;
	}
	return rp_write_text(path, buf, len);
}

static void
size_label(char *buf, size_t len, double x)
{
	static const char *const suffix[] = {"", "K", "M", "G"};
	int i = 0;

	while (i < 3 && x >= 1024) {
		x /= 1024;
		i++;
	}
	snprintf(buf, len, "%.0f%s", x, suffix[i]);
}

/* Tick labels at powers of two; every other one labelled when there are many (1 to 128M). */
static void
write_xtics(FILE *f, double xmin, double xmax)
{
	double lo = 1, hi = 1, x;
	int n = 0, i = 0, step;
	char label[16];

	while (lo * 2 <= xmin)
		lo *= 2;
	hi = lo;
	while (hi < xmax) {
		hi *= 2;
		n++;
	}
	step = n > 16 ? 2 : 1;
	fputs("set xtics (", f);
	for (x = lo; x <= hi; x *= 2, i++) {
		/* the last label always; the one before it would touch it */
		bool major = (i % step == 0 && !(step > 1 && i == n - 1)) || i == n;

		size_label(label, sizeof(label), x);
		fprintf(f, "%s'%s' %.0f %d", i ? ", " : "", major ? label : "", x, major ? 0 : 1);
	}
	fputs(")\n", f);
	fprintf(f, "set xrange [%.6g:%.6g]\n", lo / 1.5, hi * 1.5);
}

/*
 * A line's style: the backend's colour, ours solid and the reference's dashed (thinner, open
 * points); across hosts keeps the colour but dash-dots ours and dots the reference's, with
 * squares for circles.
 */
void
rp_gp_style(FILE *f, const char *colour, const char *scope, bool ref)
{
	bool same = strcmp(scope, "same_host") == 0;

	fprintf(f, "lc rgb '%s'%s lw %s pt %d", colour,
		ref ? (same ? " dt 2" : " dt 3") : (same ? "" : " dt 4"), ref ? "1.5" : "2",
		ref ? (same ? 6 : 4) : (same ? 7 : 5));
}

void
rp_gp_key_scoped(FILE *f, int lines)
{
	/*
	 * Up to twelve titles: a key inside hides lines, one on the right halves the plot.
	 * Below in two columns, with room for it under the x label: gnuplot fills the left
	 * column first, with the same host lines, which come first.
	 */
	fprintf(f, "set key below box maxcols 2\nset bmargin %d\n", (lines + 1) / 2 + 5);
}

void
rp_gp_title(FILE *f, const char *backend, const char *scope, bool scoped, bool ref)
{
	char t[256];

	snprintf(t, sizeof(t), "%s%s%s%s%s", backend, scoped ? " (" : "",
		 scoped ? rp_scope_words(scope) : "", scoped ? ")" : "",
		 ref ? ", Virtink reference" : "");
	rp_gp_str(f, t);
}

void
rp_gp_head(FILE *f, const char *what, const char *run_id, const char *fname)
{
	fprintf(f, "# %s of run %s, written by testbed.\n", what, run_id ? run_id : "?");
	fprintf(f, "# Redraw from anywhere: gnuplot path/to/plots/%s.gp (data beside it).\n",
		fname);
	fputs("i = strlen(ARG0)\nwhile (i > 0 && ARG0[i:i] ne '/') { i = i - 1 }\n"
	      "if (i > 0) { cd ARG0[1:i] }\n",
	      f);
	fprintf(f, "if (!exists('out')) { out = '../%s.png' }\n", fname);
	fputs("set terminal pngcairo noenhanced size 1000,600 font 'sans,10'\nset output out\n", f);
}

static char *
script_of(const struct plot_ctx *c, json_t *results, char names[][2][NAME_LEN], const bool *has_ref,
	  size_t *len)
{
	const char *run_id = json_string_value(json_object_get(results, "run_id"));
	char *buf = NULL, title[256];
	FILE *f = open_memstream(&buf, len);
	int i, n;

	if (f == NULL)
		return NULL;
	rp_gp_head(f, c->test, run_id, c->fname);
	snprintf(title, sizeof(title), "%s, run %s%s", c->test, run_id ? run_id : "?",
		 c->n_scopes == 1 && strcmp(c->s[0].scope, "same_host") != 0 ? " (across hosts)"
		 : c->n_scopes == 1 ? " (same host)"
				    : "");
	fputs("set title ", f);
	rp_gp_str(f, title);
	fputs("\nset xlabel 'message size (bytes)'\n", f);
	fprintf(f, "set ylabel '%s'\n", c->lat ? "latency (us)" : "bandwidth (Mb/s)");
	fputs("set logscale x 2\nset logscale y 10\nset format y '%.10g'\n", f);
	write_xtics(f, c->xmin, c->xmax);
	fputs("set grid xtics ytics mytics lc rgb '#dddddd'\n", f);
	if (c->n_scopes > 1) {
		for (i = 0, n = 0; i < c->n_series; i++)
			n += has_ref[i] ? 2 : 1;
		rp_gp_key_scoped(f, n);
	} else {
		fputs("set key top left box opaque\n", f);
	}
	fputs("plot \\\n", f);
	for (i = 0; i < c->n_series; i++) {
		const struct series *s = &c->s[i];

		fprintf(f, "%s  '%s' using 1:2:3:4 with yerrorlines ", i ? ", \\\n" : "",
			names[i][0]);
		rp_gp_style(f, colours[s->colour], s->scope, false);
		fputs(" ps 0.8 title ", f);
		rp_gp_title(f, s->backend, s->scope, c->n_scopes > 1, false);
		if (!has_ref[i])
			continue;
		fprintf(f, ", \\\n  '%s' using 1:2 with linespoints ", names[i][1]);
		rp_gp_style(f, colours[s->colour], s->scope, true);
		fputs(" ps 0.8 title ", f);
		rp_gp_title(f, s->backend, s->scope, c->n_scopes > 1, true);
	}
	fputc('\n', f);
	fclose(f);
	return buf;
}

int
rp_run_gnuplot(const char *script, const char *tmp, const char *png, char *err, size_t errlen)
{
	struct tb_run_opts o = {.timeout_ms = PLOT_TIMEOUT_MS};
	char *out = NULL, *msg = NULL, set_out[PATH_MAX + 16];
	const char *argv[] = {"gnuplot", "-e", set_out, script, NULL};
	FILE *f;
	int ret;

	/* out: the temporary file, renamed once complete (gnuplot writes the PNG piecewise) */
	f = fmemopen(set_out, sizeof(set_out), "w");
	if (f == NULL)
		return -errno;
	fputs("out = ", f);
	rp_gp_str(f, tmp);
	fputc('\0', f);
	fclose(f);
	unlink(tmp);
	ret = tb_run(argv, &o, &out, &msg);
	if (ret == -ETIMEDOUT) {
		snprintf(err, errlen, "gnuplot %s: still running after %d s, killed", script,
			 PLOT_TIMEOUT_MS / 1000);
	} else if (ret < 0) {
		snprintf(err, errlen, "gnuplot %s: %s", script, strerror(-ret));
	} else if (ret > 0 || !tb_path_exists(tmp)) {
		char *nl = msg != NULL ? strchr(msg + strspn(msg, "\n "), '\n') : NULL;

		if (nl != NULL)
			*nl = '\0';
		snprintf(err, errlen, "gnuplot %s: exit status %d: %s", script, ret,
			 msg != NULL && *msg != '\0' ? msg + strspn(msg, "\n ") : "no output");
		ret = -EIO;
	} else if (rename(tmp, png) < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", png, strerror(errno));
	}
	if (ret < 0)
		unlink(tmp);
	free(out);
	free(msg);
	return ret;
}

int
rp_plot_test(const char *dir, json_t *results, const char *test, const struct ref_table *ref,
	     char *err, size_t errlen)
{
	struct plot_ctx c = {.test = test};
	char abs[PATH_MAX], plots[PATH_MAX + 16], script[PATH_MAX + 96], png[PATH_MAX + 96];
	char tmp[PATH_MAX + 112], names[PLOT_MAX_SERIES][2][NAME_LEN], *text;
	bool has_ref[PLOT_MAX_SERIES] = {false};
	size_t tlen = strlen(test), len;
	int ret, i;

	rp_file_part(c.fname, sizeof(c.fname), test);
	if (tlen > 4 && strcmp(test + tlen - 4, "_lat") == 0) {
		c.lat = true;
	} else if (!(tlen > 3 && strcmp(test + tlen - 3, "_bw") == 0)) {
		snprintf(err, errlen, "test %s: no plot for tests other than *_lat and *_bw", test);
		return -ENOTSUP;
	}
	/* gnuplot changes into plots/, so every path handed to it is absolute */
	if (realpath(dir, abs) == NULL) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return ret;
	}
	ret = collect(&c, results);
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", test, strerror(-ret));
		goto out;
	}
	if (c.n_series == 0) {
		snprintf(err, errlen, "%s: no successful point to plot", test);
		ret = -ENODATA;
		goto out;
	}
	snprintf(plots, sizeof(plots), "%s/plots", abs);
	ret = tb_mkdir_p(plots, 0755);
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", plots, strerror(-ret));
		goto out;
	}
	for (i = 0; i < c.n_series; i++) {
		ret = write_series(plots, &c, &c.s[i], names[i][0], sizeof(names[i][0]));
		if (ret == 0 && ref != NULL) {
			ret = write_ref(plots, &c, &c.s[i], ref, names[i][1], sizeof(names[i][1]));
			has_ref[i] = ret == 0;
			if (ret == -ENODATA)
				ret = 0;
		}
		if (ret < 0) {
			snprintf(err, errlen, "%s/%s: %s", plots, names[i][0], strerror(-ret));
			goto out;
		}
	}
	text = script_of(&c, results, names, has_ref, &len);
	snprintf(script, sizeof(script), "%s/%s.gp", plots, c.fname);
	ret = rp_write_text(script, text, len);
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", script, strerror(-ret));
		goto out;
	}
	/* the inputs stay without gnuplot: another host can draw them */
	if (tb_tool_path("gnuplot") == NULL) {
		snprintf(err, errlen, "gnuplot not found: apt-get install gnuplot-nox");
		ret = -ENOENT;
		goto out;
	}
	snprintf(png, sizeof(png), "%s/%s.png", abs, c.fname);
	snprintf(tmp, sizeof(tmp), "%s.tmp", png);
	ret = rp_run_gnuplot(script, tmp, png, err, errlen);
out:
	ctx_free(&c);
	return ret;
}
