/* SPDX-License-Identifier: BSD-3-Clause */
/* DPDK telemetry socket client: a DPDK process's counters as JSON. */
#ifndef TB_TELEMETRY_H
#define TB_TELEMETRY_H

#include <stddef.h>

#include <jansson.h>

/*
 * A client of DPDK telemetry (v2): a SOCK_SEQPACKET socket at
 * /var/run/dpdk/<file-prefix>/dpdk_telemetry.v2 that greets with
 * {"version", "pid", "max_output_len"} and answers each command
 * ("/ethdev/stats,0") with one JSON message {"<command>": value}.
 */
#define TB_TELEMETRY_TIMEOUT_MS 5000

/* The socket of the DPDK process started with --file-prefix prefix. */
int tb_telemetry_path(char *buf, size_t len, const char *file_prefix);

/*
 * One command on a fresh connection. *reply is the whole answer (decref it). On error
 * (-ENOENT no socket, -ECONNREFUSED process gone, -ETIMEDOUT, -EPROTO bad JSON) err
 * says why, object first.
 */
int tb_telemetry_query(const char *sock_path, const char *cmd, json_t **reply, char *err,
		       size_t errlen);

/* The value of a reply: reply[cmd without its parameter], e.g. "/ethdev/stats". */
json_t *tb_telemetry_value(json_t *reply, const char *cmd);

#endif
