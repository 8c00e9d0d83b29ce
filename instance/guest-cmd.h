/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TB_GUEST_CMD_H
#define TB_GUEST_CMD_H

#include <stdbool.h>

#include <jansson.h>

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
 * The processes a backend's packets go through that are gone: for vhost-user the switch
 * (ovs-vswitchd or testbed-pmd) and the netns guests' shims. True with why set ("switch
 * ovs-vswitchd (pid 123) is gone") when one is.
 */
bool guest_path_down(json_t *st, const char *backend, char *why, size_t len);
/* A journaled role that carries vhost-user traffic: every host's switch, the shims. */
bool role_is_data_path(const char *role);

/* "netns" or "qemu". */
const char *guest_kind(json_t *g);

#endif
