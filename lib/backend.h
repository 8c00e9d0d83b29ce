/* SPDX-License-Identifier: BSD-3-Clause */
/* The guest networks the testbed compares: their identity (names, tags, order). */
#ifndef TB_BACKEND_H
#define TB_BACKEND_H

#include <stddef.h>

/*
 * The guest networks the testbed compares. The first three are the reference's (and
 * `up`'s default); the others are those of related studies:
 *   tap        guest NIC on a plain tap, frames copied by a userspace virtio backend
 *              (QEMU -netdev tap,vhost=off; for netns guests our relay), tap on the bridge
 *   macvtap    guest on a macvtap (bridge mode) of a host link, same userspace backend
 *   vhost-net  tap with the kernel's vhost-net doing the copying (QEMU vhost=on)
 *   user       QEMU user-mode networking (slirp)
 */
enum tb_backend {
	TB_BE_VHOST_USER,
	TB_BE_BRIDGE,
	TB_BE_MASQUERADE,
	TB_BE_TAP,
	TB_BE_MACVTAP,
	TB_BE_VHOST_NET,
	TB_BE_USER,
	TB_BE_COUNT,
};

#define TB_BE_ALL ((1u << TB_BE_COUNT) - 1)
/* `up` without --backends: the reference's three */
#define TB_BE_DEFAULT ((1u << TB_BE_VHOST_USER) | (1u << TB_BE_BRIDGE) | (1u << TB_BE_MASQUERADE))
/* "vhost-user, bridge, masquerade, tap, macvtap, vhost-net, user" */
#define TB_BE_NAMES_LIST "vhost-user, bridge, masquerade, tap, macvtap, vhost-net, user"

const char *tb_backend_name(enum tb_backend be); /* "vhost-user" */
const char *tb_backend_tag(enum tb_backend be);  /* "vu": guest and link names */
int tb_backend_from_name(const char *name);      /* enum value or -EINVAL */

/*
 * "vhost-user,bridge" -> bit mask, or "all" for every backend. On a bad name, err receives
 * `unknown backend "x" (valid: vhost-user, bridge, ...)`.
 */
int tb_backend_parse_list(const char *list, unsigned int *mask, char *err, size_t errlen);

#endif
