/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench all`: its options and results. */
#ifndef TB_BENCH_ALL_H
#define TB_BENCH_ALL_H

#include <stdbool.h>
#include <stddef.h>

#include "names.h"

/*
 * `bench all`: every backend this host runs, measured by `bench net` (and the bridge path's
 * eBPF hooks by `bench ebpf`) in one run directory with one report. It brings an instance
 * up with those backends (unless --instance names one that is up: then it measures what
 * that has), runs the benches as child processes, and takes the instance down again.
 */
struct ball_conf {
	int numa;	    /* -1: the first node of the topology */
	int guests;	    /* per backend */
	const char *profile;
	const char *tests;  /* bench net --tests, NULL: all */
	int time_s;	    /* 0: each bench's default */
	int repeat;	    /* 0: each bench's default */
	bool ebpf;
	bool keep;	    /* leave the instance up */
	const char *out;
	char instance[TB_INSTANCE_MAX + 1];
};

#define BALL_CONF_DEFAULT                                                                          \
	{                                                                                          \
		.numa = -1, .guests = 2, .profile = "netns", .tests = NULL, .time_s = 0,           \
		.repeat = 0, .ebpf = true, .keep = false, .out = "results", .instance = "bench",   \
	}



struct vm_profile;
/*
 * The whole `bench all` conf asks for (guests of profile prof): backends probed, an instance up
 * (or the one that is), the benches run as child processes, the instance down, one report in
 * dir. Says what went wrong itself; returns 0, the number of benches that failed, or -errno.
 */
int ball_measure(const struct ball_conf *conf, const struct vm_profile *prof, char *dir,
		 size_t dirlen);

#endif
