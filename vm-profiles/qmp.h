/* SPDX-License-Identifier: BSD-3-Clause */
/* QMP client: a QEMU guest's status, vCPU threads, quit. */
#ifndef TB_VM_QMP_H
#define TB_VM_QMP_H

#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

/*
 * A QMP client on QEMU's unix socket (-qmp unix:PATH,server=on,wait=off). QEMU serves one
 * client at a time, so the one-shot helpers below connect, act and disconnect.
 */
struct vm_qmp {
	int fd;
	int next_id;
	char *buf; /* bytes received */
	size_t len;
	size_t consumed; /* the line returned last, dropped at the next read */
};

/*
 * Connects (retrying while the socket does not exist yet or refuses, up to timeout_ms),
 * reads the greeting and negotiates capabilities.
 */
int vm_qmp_open(struct vm_qmp *q, const char *path, int timeout_ms, char *err, size_t errlen);
void vm_qmp_close(struct vm_qmp *q);

/*
 * Runs one command (args: an object or NULL, not stolen) and waits for its reply,
 * skipping asynchronous events. *ret, if given, gets the "return" value (json_decref it).
 * -EIO: QEMU answered with an error (in err); -ECONNRESET: QEMU closed the connection.
 */
int vm_qmp_exec(struct vm_qmp *q, const char *cmd, json_t *args, json_t **ret, int timeout_ms,
		char *err, size_t errlen);

/* vCPU thread ids, tids[i] for vCPU i; returns the number of vCPUs. */
int vm_qmp_vcpu_threads(const char *path, int *tids, int max, int timeout_ms, char *err,
			size_t errlen);
/* Pins vCPU i to cpus[i % n_cpus]; returns the number of vCPUs pinned. */
int vm_qmp_pin_vcpus(const char *path, const int *cpus, int n_cpus, int timeout_ms, char *err,
		     size_t errlen);
/* query-status: "running", "paused", "prelaunch", ... */
int vm_qmp_status(const char *path, char *status, size_t len, int timeout_ms, char *err,
		  size_t errlen);
/*
 * Stops the guest: with powerdown_ms > 0 an ACPI power button first, and the guest gets
 * that long to power off; then `quit`. Returns 0 once QEMU is going away.
 */
int vm_qmp_quit(const char *path, int powerdown_ms, int timeout_ms, char *err, size_t errlen);

/* Binds one thread (a vCPU) to one host CPU. */
int vm_pin_thread(pid_t tid, int cpu);

/* Parsing, without a socket (unit tests, fuzzing). */
enum vm_qmp_msg {
	VM_QMP_GREETING,
	VM_QMP_RETURN, /* *payload: the "return" value */
	VM_QMP_ERROR,  /* err: "Class: description" */
	VM_QMP_EVENT,  /* *payload: the event's name (a string) */
};

/* One line from QEMU; *id is the echoed command id or -1. -EPROTO if not QMP. */
int vm_qmp_parse_msg(const char *line, enum vm_qmp_msg *kind, json_t **payload, int *id, char *err,
		     size_t errlen);
/* The return of query-cpus-fast: tids[cpu-index] = thread-id; returns the vCPU count. */
int vm_qmp_parse_vcpus(const json_t *ret, int *tids, int max);
/* The return of query-status. */
int vm_qmp_parse_status(const json_t *ret, char *status, size_t len);

#endif
