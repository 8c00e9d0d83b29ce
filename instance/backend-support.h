/* SPDX-License-Identifier: BSD-3-Clause */
/* Whether this host runs each backend, found by trying, with the reason. */
#ifndef TB_BACKEND_SUPPORT_H
#define TB_BACKEND_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "backend.h"

/*
 * Whether this host runs backend be for netns guests (vms false) or QEMU guests, found by
 * trying (a throwaway macvtap, /dev/vhost-net answering an ioctl) rather than by files;
 * why receives the reason it does not, or how it runs. `doctor` lists these, `up` refuses
 * a backend that does not run, and `bench all` takes every backend that does.
 * Needs root for the probes that create links.
 */
bool up_backend_runs(enum tb_backend be, bool vms, char *why, size_t len);

#endif
