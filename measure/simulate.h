/* SPDX-License-Identifier: BSD-3-Clause */
/* `simulate`: its options. */
#ifndef TB_SIMULATE_H
#define TB_SIMULATE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "up-conf.h"
#include "names.h"

#define SIM_MAX_STEPS 16
#define SIM_MTR_CYCLES_MAX 1000 /* --mtr-cycles N: 1-1000 */
#define SIM_MTR_CYCLES_AUTO 0   /* mtr_cycles: one a second for --duration (sim_mtr_cycles) */
#define SIM_REPEAT_DEFAULT 2    /* runs of each step per backend, rounds interleaved */
#define SIM_REPEAT_MAX 20
#define SIM_DURATION_DEFAULT 30

struct sim_conf {
	int steps[SIM_MAX_STEPS]; /* numbers of guests per backend, in order */
	int n_steps;
	unsigned int backends;    /* 0: every backend that is up */
	int duration_s;           /* iperf -t */
	int mtr_cycles;           /* mtr --report-cycles (one a second); 0: follow duration_s */
	int repeat;               /* runs of each step per backend (round r of all before r + 1) */
	const char *out;
	bool keep;                /* leave the guests simulate added */
	bool across_hosts;        /* also pairs on different hosts (`up --hosts 2`) */
	bool baseline;            /* with across_hosts: host-to-host iperf/qperf over the wire */
	const char *remote_guests; /* another machine's `serve -j`: its guests serve across */
	json_t *remote;           /* its guests, loaded by sim_measure (measure/sweep-remote.h) */
	char instance[TB_INSTANCE_MAX + 1];
};

#define SIM_CONF_DEFAULT                                                                           \
	{                                                                                          \
		.duration_s = SIM_DURATION_DEFAULT, .mtr_cycles = SIM_MTR_CYCLES_AUTO,             \
		.repeat = SIM_REPEAT_DEFAULT, .out = "results", .instance = "main",                \
		.baseline = true,                                                                  \
	}

int sim_max_vms(const struct sim_conf *c);
/*
 * The mtr report cycles a run uses: --mtr-cycles when given, else one a second for the whole
 * iperf run (duration_s, at most SIM_MTR_CYCLES_MAX), so mtr's samples see the load.
 */
int sim_mtr_cycles(const struct sim_conf *c);

/*
 * The whole simulation c asks for, on its instance: grows it to the largest step, measures
 * every step per backend and scope, writes the run, removes the guests it added (unless
 * c->keep). *out receives results.json (NULL when nothing was measured: err says why, or ""
 * when the failing step said it itself) and dir the run directory. Returns 0 when every point
 * ran, the number of failed points, or -errno.
 */
int sim_measure(const struct sim_conf *c, json_t **out, char *dir, size_t dirlen, char *err,
		size_t errlen);

#endif
