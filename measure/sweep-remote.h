/* SPDX-License-Identifier: BSD-3-Clause */
/* `--remote-guests`: across-hosts pairs whose server is a guest of another machine. */
#ifndef TB_SWEEP_REMOTE_H
#define TB_SWEEP_REMOTE_H

#include <stddef.h>

#include <jansson.h>

#include "backend.h"

/* The kind of a guest entry that lives on another machine (guest_cmd cannot reach it). */
#define SWR_KIND_REMOTE "remote"

/*
 * The text of `testbed -j serve` on one other machine, or a JSON array of several machines'
 * -> *remote: a JSON array of those machines (serve's objects) in host_index order, each
 * guest entry given "kind": "remote", "netns": "remote" and its machine's "host_index".
 * -EINVAL with err naming what is wrong: not JSON, no machine, a machine without host_index
 * 0-7 or two with one host_index, no guests, a guest without name/backend/index, an address
 * outside 198.18.0.0/15.
 */
int swr_parse(const char *text, json_t **remote, char *err, size_t errlen);
/* The same from a file; err names the file when it cannot be read. */
int swr_load(const char *path, json_t **remote, char *err, size_t errlen);
/* -EINVAL with err when a served machine has this machine's host_index (their guests'
 * addresses would collide). */
int swr_check_local(json_t *remote, int host_index, char *err, size_t errlen);

/*
 * Across-machines pairs (simulate; the reference's placement "guest i on machine i mod M"
 * applied to the served machines): pair k's client is this machine's guest k; its server is
 * on served machine k mod M (M served machines in host_index order) as that machine's guest
 * k div M. With one served machine, pair k is guest k here with guest k there.
 */
void swr_place(int k, int n_machines, int *machine, int *guest);
/* Served machine m's (host_index order) guest of backend be with index idx there, or NULL. */
json_t *swr_guest(json_t *remote, size_t m, enum tb_backend be, int idx);
/* The server of backend be's across pair k (swr_place), or NULL when not served. */
json_t *swr_server(json_t *remote, enum tb_backend be, int k);

#endif
