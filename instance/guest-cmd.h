/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command lines run in a guest (netns or QEMU), the guests by backend and index, and whether a
 * data path is alive.
 */
#ifndef TB_GUEST_CMD_H
#define TB_GUEST_CMD_H

#include <stdbool.h>

#include <jansson.h>

#include "up-conf.h" /* UP_MAX_GUESTS */
#include "backend.h"
#include "hosts.h"

#define GUEST_CMD_MAX 64
#define GUEST_CMD_SOCKS 8

/*
 * How a benchmark tool runs in a guest of the state, as one argv: a netns guest runs it
 * pinned to its core inside its namespace (`taskset -c CPU ip netns exec NS TOOL...`); a
 * QEMU guest through its agent (`testbed guest-exec --socket S... -- TOOL...`), its vCPU
 * being pinned already. Killing the argv's process stops the tool either way.
 */
struct guest_cmd {
	const char *argv[GUEST_CMD_MAX];
	char cpu[16];
	char self[512];
};

/* Fills c->argv for tool (NULL-terminated) in guest g; -E2BIG, -EINVAL (no way in). */
int guest_cmd(struct guest_cmd *c, json_t *g, const char *const tool[]);

/* Whether the guest is still there (its namespace, or its QEMU process). */
bool guest_alive(json_t *g);
/*
 * Which of two guests is gone, if any: true with why set ("guest vu1 (QEMU pid 4242) is gone",
 * "guest br0 (namespace tb-main-br0) is gone").
 */
bool guest_gone(json_t *a, json_t *b, char *why, size_t len);

/*
 * The processes a backend's packets go through that are gone: for vhost-user the switch
 * (ovs-vswitchd or testbed-pmd) and the netns guests' shims. True with why set ("switch
 * ovs-vswitchd (pid 123) is gone") when one is.
 */
bool guest_path_down(json_t *st, const char *backend, char *why, size_t len);
/* A journaled role that carries vhost-user traffic: every host's switch, the shims. */
bool role_is_data_path(const char *role);

/* "netns" or "qemu". */
const char *guest_kind(json_t *g);

/* The state's guests by backend and index: one walk of its "guests" array. */
struct guest_table {
	json_t *g[TB_BE_COUNT][UP_MAX_GUESTS]; /* borrowed from the state; NULL: none */
	int n[TB_BE_COUNT];		       /* one past the highest index */
};

/* Fills t from st (entries of an unknown backend or an index out of range left out). */
void guest_table_fill(struct guest_table *t, json_t *st);
/*
 * The first pair of scope s among backend be's guests (lib/hosts.h: 0 and 1 on one host,
 * 0 and 2 with two) as *client, *server; -ENOENT when the instance has none.
 */
int guest_table_pair(const struct guest_table *t, enum tb_backend be, int n_hosts,
		     enum tb_scope s, json_t **client, json_t **server);
/* Why a bench found no same-host pair of backend be in instance inst, and how to make one. */
void guest_pair_missing(enum tb_backend be, int n_hosts, const char *inst, char *err,
			size_t errlen);

#endif
