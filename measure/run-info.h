/* SPDX-License-Identifier: BSD-3-Clause */
/* What a result records about its run: host, load, versions, placement. */
#ifndef TB_RUN_INFO_H
#define TB_RUN_INFO_H

#include <stddef.h>

#include <jansson.h>

/* What every result records about where and with what it was measured. */
void ri_iso_now(char *buf, size_t len);
json_t *ri_loadavg(void);      /* [1, 5, 15 min] */
json_t *ri_host_json(void);    /* hostname, kernel, topology, load at start */
json_t *ri_versions_json(void); /* testbed, DPDK, OVS, qperf, iperf, mtr, kernel */
/* The first line a tool prints about its version (argv: tool first), colour codes removed;
 * null when it prints nothing. */
json_t *ri_tool_version(const char *const argv[]);
/* Busy and total jiffies of the whole host (/proc/stat), for CPU use over a period. */
int ri_host_jiffies(unsigned long long *busy, unsigned long long *total);
/* utime + stime of one process, in jiffies; 0 when it is gone. */
unsigned long long ri_proc_jiffies(int pid);

#endif
