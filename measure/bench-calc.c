/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench switch`: the arithmetic of rates, ratios and idle CPU (no I/O). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static const char *const sw_names[BENCH_N_SW] = {"testpmd", "ovs", "busy", "adaptive"};

const char *
bench_sw_name(enum bench_sw s)
{
	return s < BENCH_N_SW ? sw_names[s] : "?";
}

int
bench_ethdev_counts(json_t *stats, uint64_t *ipackets, uint64_t *ibytes)
{
	json_t *p = json_object_get(stats, "ipackets"), *b = json_object_get(stats, "ibytes");

	if (!json_is_integer(p) || !json_is_integer(b) || json_integer_value(p) < 0 ||
	    json_integer_value(b) < 0)
		return -EINVAL;
	*ipackets = (uint64_t)json_integer_value(p);
	*ibytes = (uint64_t)json_integer_value(b);
	return 0;
}

int
bench_rate_of(const struct bench_sample *a, const struct bench_sample *b, struct bench_rate *r)
{
	uint64_t pkts = 0, bytes = 0;
	int i;

	memset(r, 0, sizeof(*r));
	r->secs = b->t - a->t;
	if (r->secs <= 0)
		return -EINVAL;
	for (i = 0; i < 2; i++) {
		if (b->ipackets[i] < a->ipackets[i] || b->ibytes[i] < a->ibytes[i])
			return -EINVAL;
		pkts += b->ipackets[i] - a->ipackets[i];
		bytes += b->ibytes[i] - a->ibytes[i];
		r->pps[i] = (b->ipackets[i] - a->ipackets[i]) / r->secs;
	}
	r->pps_total = pkts / r->secs;
	r->frame_bytes = pkts > 0 ? (double)bytes / pkts + BENCH_FCS : 0;
	return 0;
}

double
bench_gbps(int frame, double pps)
{
	return frame * 8.0 * pps / 1e9;
}

double
bench_rtt_us(double pps_per_direction)
{
	return pps_per_direction > 0 ? 2e6 / pps_per_direction : -1;
}

double
bench_cpu_pct(unsigned long long jiffies, double secs, long hz)
{
	return secs > 0 && hz > 0 ? 100.0 * jiffies / hz / secs : -1;
}

struct tb_spread
bench_ratios(const double *num, const double *den, size_t n, double *ratio)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (num[i] > 0 && den[i] > 0)
			ratio[k++] = num[i] / den[i];
	return tb_spread_of(ratio, k);
}

int
bench_sizes_parse(const char *s, int *sizes, int max)
{
	const char *p = s;
	int n = 0, i;

	while (*p != '\0') {
		char *end;
		long v;

		if (*p < '0' || *p > '9' || n == max)
			return -EINVAL;
		errno = 0;
		v = strtol(p, &end, 10);
		if (errno != 0 || v < BENCH_MIN_FRAME || v > BENCH_MAX_FRAME)
			return -EINVAL;
		for (i = 0; i < n; i++)
			if (sizes[i] == v)
				return -EINVAL;
		sizes[n++] = (int)v;
		if (*end == ',' && end[1] != '\0')
			end++;
		else if (*end != '\0')
			return -EINVAL;
		p = end;
	}
	return n > 0 ? n : -EINVAL;
}

int
bench_switches_parse(const char *s, unsigned int *bits)
{
	char buf[128], *tok, *save = NULL;
	unsigned int b = 0;
	int i;

	if (strlen(s) >= sizeof(buf) || s[0] == '\0')
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < BENCH_N_SW; i++)
			if (strcmp(tok, sw_names[i]) == 0)
				break;
		if (i == BENCH_N_SW || (b & (1u << i)))
			return -EINVAL;
		b |= 1u << i;
	}
	/* "a,,b" or a trailing comma: strtok would skip the empty name */
	if (strstr(s, ",,") != NULL || s[strlen(s) - 1] == ',' || s[0] == ',')
		return -EINVAL;
	*bits = b;
	return 0;
}

int
bench_rings_parse(const char *s, struct bench_ring *rings, int max, char *bad, size_t len)
{
	const char *p = s, *end;
	char dummy[2];
	size_t n_len;
	int n = 0, k;

	if (bad == NULL || len == 0) {
		bad = dummy;
		len = sizeof(dummy);
	}
	bad[0] = '\0';
	if (s == NULL || *s == '\0')
		return -EINVAL;
	for (;;) {
		struct bench_ring br = {.ring = PMD_RING_DEFAULT};

		end = strchr(p, ',');
		n_len = end != NULL ? (size_t)(end - p) : strlen(p);
		snprintf(bad, len, "%.*s", (int)(n_len < 64 ? n_len : 64), p);
		if (n == max || n_len == 0 || n_len > PMD_RING_SPEC_MAX)
			return -EINVAL;
		memcpy(br.name, p, n_len);
		br.name[n_len] = '\0';
		if (pmd_ring_parse(br.name, &br.ring) < 0)
			return -EINVAL;
		for (k = 0; k < n; k++)
			if (strcmp(rings[k].name, br.name) == 0)
				return -EINVAL;
		rings[n++] = br;
		if (end == NULL)
			break;
		p = end + 1;
	}
	bad[0] = '\0';
	return n;
}

int
bench_ring_devargs(const struct bench_conf *c, int v, char *buf, size_t len)
{
	char args[96];

	buf[0] = '\0';
	if (c->n_rings == 0)
		return 0;
	if (v < 0 || v >= c->n_rings || pmd_ring_devargs(&c->rings[v].ring, 0, args,
							   sizeof(args)) < 0)
		return -EINVAL;
	return snprintf(buf, len, ",%s", args) >= (int)len ? -ENOSPC : 0;
}
