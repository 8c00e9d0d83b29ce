/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench ebpf`: its variants by name and the ratio arithmetic of the deltas (no I/O here). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-ebpf.h"
#include "stats.h"

int
bebpf_variants_parse(const char *s, unsigned int *bits)
{
	char buf[256], *tok, *save = NULL;
	unsigned int b = 0;
	enum bh_mode m;

	if (s == NULL || snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return -EINVAL;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "all") == 0) {
			b |= BEBPF_ALL_VARIANTS;
			continue;
		}
		if (bh_mode_parse(tok, &m) < 0)
			return -EINVAL;
		b |= 1u << m;
	}
	if (b == 0)
		return -EINVAL;
	/* the baseline of every delta */
	*bits = b | (1u << BH_NONE);
	return 0;
}

/* ---- deltas ---- */

int
bebpf_ratio_of(const double *v, const double *base, size_t n, struct bebpf_ratio *r)
{
	double *q = malloc((n ? n : 1) * sizeof(*q));
	struct tb_spread s;
	size_t i, k = 0;

	memset(r, 0, sizeof(*r));
	if (q == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (base[i] > 0 && v[i] >= 0)
			q[k++] = v[i] / base[i];
	if (k == 0) {
		free(q);
		return -ENODATA;
	}
	s = tb_spread_of(q, k);
	free(q);
	r->median = s.median;
	r->min = s.min;
	r->max = s.max;
	r->n = k;
	return 0;
}

double
bebpf_pct(double ratio)
{
	return (ratio - 1) * 100;
}

/* The metric of the ok repeat of round `round` in point p; -1 when there is none. */
static double
round_value(json_t *p, int round, const char *key)
{
	json_t *rj;
	size_t i;

	json_array_foreach(json_object_get(p, "repeats"), i, rj) {
		json_t *v = json_object_get(rj, key);

		if (json_integer_value(json_object_get(rj, "round")) == round &&
		    strcmp(json_string_value(json_object_get(rj, "status")) ?: "", "ok") == 0 &&
		    json_is_number(v))
			return json_number_value(v);
	}
	return -1;
}

void
bebpf_point_delta(json_t *point, json_t *base)
{
	json_t *reps = json_object_get(point, "repeats"), *delta = json_object(), *mt, *rj;
	size_t n_reps = json_array_size(reps), i, m;
	double *v = calloc(n_reps ? n_reps : 1, sizeof(*v));
	double *b = calloc(n_reps ? n_reps : 1, sizeof(*b));

	json_object_del(point, "delta");
	if (v == NULL || b == NULL || base == NULL) {
		free(v);
		free(b);
		json_decref(delta);
		return;
	}
	json_array_foreach(json_object_get(point, "metrics"), m, mt) {
		const char *key = json_string_value(json_object_get(mt, "key"));
		struct bebpf_ratio r;
		size_t n = 0;

		if (key == NULL)
			continue;
		json_array_foreach(reps, i, rj) {
			int round = (int)json_integer_value(json_object_get(rj, "round"));
			size_t j;

			/* each round once, even if the point held it twice */
			for (j = 0; j < i; j++)
				if (json_integer_value(json_object_get(json_array_get(reps, j),
								       "round")) == round)
					break;
			if (j < i)
				continue;
			v[n] = round_value(point, round, key);
			b[n] = round_value(base, round, key);
			if (v[n] >= 0 && b[n] > 0)
				n++;
		}
		if (bebpf_ratio_of(v, b, n, &r) < 0)
			continue;
		json_object_set_new(delta, key,
				    json_pack("{s:f, s:f, s:f, s:i}", "median_pct",
					      bebpf_pct(r.median), "min_pct", bebpf_pct(r.min),
					      "max_pct", bebpf_pct(r.max), "n", (int)r.n));
	}
	if (json_object_size(delta) > 0)
		json_object_set_new(point, "delta", delta);
	else
		json_decref(delta);
	free(v);
	free(b);
}
