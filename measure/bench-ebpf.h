/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench ebpf`: its options, rounds and results. */
#ifndef TB_BENCH_EBPF_H
#define TB_BENCH_EBPF_H

#include <stddef.h>

#include <jansson.h>

#include "bpf-hook.h"
#include "names.h"

/*
 * `bench ebpf`: what an empty eBPF program costs on the bridge path. On an instance that is
 * up with the bridge backend, guest 0 -> guest 1: iperf3 TCP (1 stream) and sockperf TCP
 * ping-pong latency (bench net's cases BC_TCP and BC_LAT_TCP) with no program (none), an
 * empty tc program, an empty XDP program in generic and in driver mode on the ingress of
 * both guests' host-side bridge ports. A warm-up run first (discarded), then per round every
 * variant in order: attach on both ports, verify, throughput, latency, detach. Per variant
 * the median/min/max over the rounds, and against none the median (min, max) of the
 * per-round ratios variant/none as a change in percent.
 * Variants are enum bh_mode values: BH_NONE (the baseline) is always measured.
 */
struct bebpf_conf {
	unsigned int variants; /* bit per enum bh_mode; BH_NONE always set */
	int time_s;
	int repeat;
	const char *out;
	char instance[TB_INSTANCE_MAX + 1];
};

#define BEBPF_ALL_VARIANTS ((1u << BH_N_MODES) - 1)

#define BEBPF_CONF_DEFAULT                                                                         \
	{                                                                                          \
		.variants = BEBPF_ALL_VARIANTS, .time_s = 5, .repeat = 5, .out = "results",        \
		.instance = "main",                                                                \
	}

/* --- pure parts (bench-ebpf-args.c) --- */

/* "tc,xdp-generic" or "all" -> bits (none added); -EINVAL naming nothing. */
int bebpf_variants_parse(const char *s, unsigned int *bits);

/* Median, min and max over n of v[i] / base[i] (pairs with base <= 0 or v < 0 left out). */
struct bebpf_ratio {
	double median, min, max;
	size_t n;
};
/* 0, or -ENODATA when no pair is usable. */
int bebpf_ratio_of(const double *v, const double *base, size_t n, struct bebpf_ratio *r);
/* A ratio as a change in percent: 0.97 -> -3.0. */
double bebpf_pct(double ratio);

/*
 * The point's "delta" against base (the none point of the same case): per metric of the
 * point, the ratios of its ok repeats to base's ok repeats of the same "round", as
 * {"median_pct", "min_pct", "max_pct", "n"}; no usable round: no entry (no "delta" at all
 * when no metric has one).
 */
void bebpf_point_delta(json_t *point, json_t *base);

/* --- the command (bench-ebpf.c) --- */


/* The whole `bench ebpf` conf asks for: as bnet_measure. */
int bebpf_measure(const struct bebpf_conf *conf, json_t **out, char *dir, size_t dirlen);

#endif
