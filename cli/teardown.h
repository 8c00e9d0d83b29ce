/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TB_CLI_TEARDOWN_H
#define TB_CLI_TEARDOWN_H

#include <stdbool.h>

#include <jansson.h>

/*
 * Undoes an instance: first the journal in reverse (st may be NULL when the
 * state file is gone), then a sweep by name for what a crash may have left
 * unjournaled. Idempotent. Returns the number of objects that could not be
 * removed (each reported).
 */
int td_teardown(const char *inst, json_t *st);

/* True if anything of the instance exists on the host. */
bool td_anything_left(const char *inst);

#endif
