/* SPDX-License-Identifier: BSD-3-Clause */
/* Processes by pid + start time: identity, liveness, stopping only our own. */
#ifndef TB_PROC_H
#define TB_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * A process is identified by pid + start time (clock ticks since boot, field 22
 * of /proc/PID/stat), so a recycled pid is never mistaken for ours.
 */
int tb_proc_start_time(pid_t pid, unsigned long long *start);
bool tb_proc_is(pid_t pid, unsigned long long start);
int tb_proc_cmdline(pid_t pid, char *buf, size_t len); /* NULs turned into spaces */

/* SIGTERM, then SIGKILL after grace_ms. 0 when gone; -ESRCH if pid is not that process. */
int tb_proc_stop(pid_t pid, unsigned long long start, int grace_ms);

/* Reads a pid file written by a daemon (OVS --pidfile). */
int tb_pidfile_read(const char *path, pid_t *pid);

#endif
