/* SPDX-License-Identifier: BSD-3-Clause */
/* One command at a time per instance: an flock on /run/testbed/<instance>/lock. */
#ifndef TB_LOCK_H
#define TB_LOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define TB_LOCK_FILE "lock"

/*
 * Takes the lock of the instance whose run directory is dir (made 0700 if missing; an
 * existing one must be a real directory, not a symlink: -ELOOP/-ENOTDIR). The lock file holds
 * "PID WHO" (who: e.g. "sweep --instance x", the holder's words) for the next one to name.
 * Waits up to wait_ms; -EBUSY when someone else still holds it, with holder set to
 * "WHO (pid PID)". Returns an fd (O_CLOEXEC: programs we start do not inherit it) to keep
 * open: closing it, or exiting, releases the lock.
 */
int tb_lock_take_at(const char *dir, const char *who, int wait_ms, char *holder, size_t len);
/* The same for /run/testbed/<inst> (/run/testbed made 0755 when missing). */
int tb_lock_take(const char *inst, const char *who, int wait_ms, char *holder, size_t len);
/*
 * Releases fd (from tb_lock_take_at of dir); a run directory that holds nothing but the lock
 * (a command on an instance that is not up) is removed first, so none is left behind.
 */
void tb_lock_release(int fd, const char *dir);
/* The pid written in dir's lock file (whoever wrote it last), or a negative errno. */
int tb_lock_holder_pid(const char *dir, pid_t *pid);
/* The run directory dir holds more than its lock file (an instance, or what is left of one). */
bool tb_lock_dir_used(const char *dir);
/* The path of one entry of dir other than its lock file into buf; false when there is none. */
bool tb_lock_dir_entry(const char *dir, char *buf, size_t len);

#endif
