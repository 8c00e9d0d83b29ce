/* SPDX-License-Identifier: BSD-3-Clause */
/* Removing an instance: the journal undone in reverse, then a sweep of its names. */
#ifndef TB_TEARDOWN_H
#define TB_TEARDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/*
 * Undoes an instance: first the journal in reverse (st may be NULL when the
 * state file is gone), then a sweep by name for what a crash may have left
 * unjournaled; the nftables table is checked gone. Idempotent. Returns the number of objects
 * that could not be removed (each reported); journal entries whose undo failed stay in the
 * saved state (the run dir is kept for it) so the next teardown tries them again.
 */
int td_teardown(const char *inst, json_t *st);

/*
 * Undoes and forgets the journal's objects from index mark on (what was added since); those
 * whose undo failed stay in the journal for `down`. The number that failed (said), 0 if none.
 */
int td_undo_from(json_t *st, size_t mark);

/* True if anything of the instance exists on the host. */
bool td_anything_left(const char *inst);

#endif
