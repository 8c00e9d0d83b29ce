/* SPDX-License-Identifier: BSD-3-Clause */
/* `sweep --remote-guests`: across-hosts pairs whose server is a guest of another machine. */
#ifndef TB_SWEEP_REMOTE_H
#define TB_SWEEP_REMOTE_H

#include <stddef.h>

#include <jansson.h>

#include "backend.h"

/* The kind of a guest entry that lives on another machine (guest_cmd cannot reach it). */
#define SWR_KIND_REMOTE "remote"

/*
 * The text of `testbed -j serve` on another machine -> *remote (that JSON, each guest entry
 * given "kind": "remote" and "netns": "remote"). -EINVAL with err naming what is wrong: not
 * JSON, no guests, a guest without name/backend/index, an address outside 198.18.0.0/15.
 */
int swr_parse(const char *text, json_t **remote, char *err, size_t errlen);
/* The same from a file; err names the file when it cannot be read. */
int swr_load(const char *path, json_t **remote, char *err, size_t errlen);
/*
 * The server of backend be's across-machines pair whose client is local guest client_idx:
 * the remote guest of be with the same index (guest i of the pair set on machine i mod 2, as
 * the reference pairs 2k with 2k+1). NULL when the other machine has no such guest.
 */
json_t *swr_server(json_t *remote, enum tb_backend be, int client_idx);

#endif
