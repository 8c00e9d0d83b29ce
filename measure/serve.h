/* SPDX-License-Identifier: BSD-3-Clause */
/* `serve`: qperf and iperf servers kept in an instance's guests for another machine's runs. */
#ifndef TB_SERVE_H
#define TB_SERVE_H

#include <stddef.h>

#include <jansson.h>

#include "names.h"

/* The port sweep's qperf clients dial, here and on the other machine (`sweep --remote-guests`). */
#define SERVE_QPERF_PORT "19765"
/* The port simulate's iperf clients dial (`simulate --remote-guests`). */
#define SERVE_IPERF_PORT "5001"
/* Journal roles of the servers serve starts: "serve-qperf-<guest>". */
#define SERVE_ROLE_PREFIX "serve-"

struct serve_conf {
	char instance[TB_INSTANCE_MAX + 1];
	unsigned int backends; /* 0: every backend that is up */
	int stop;              /* stop the servers instead */
};

#define SERVE_CONF_DEFAULT                                                                         \
	{                                                                                          \
		.instance = "main",                                                                \
	}

/*
 * Starts a qperf and an iperf server in every guest of the instance (of conf->backends) that
 * has none running yet, journaled as a process so `down` stops it. *out receives what another
 * machine needs to dial them: {"instance", "host_index", "qperf_port", "host", "versions",
 * "guests": [{"name", "backend", "index", "address"}], "log_dir", "logs"} (logs: the names of
 * the servers' outputs in log_dir, the instance's run dir, for fetching them after a run).
 * 0 or -errno with err set.
 */
int serve_start(const struct serve_conf *conf, json_t **out, char *err, size_t errlen);
/* Stops every server serve started in the instance and drops them from its journal. */
int serve_stop(const struct serve_conf *conf, int *n_stopped, char *err, size_t errlen);

#endif
