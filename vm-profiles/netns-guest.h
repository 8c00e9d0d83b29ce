/* SPDX-License-Identifier: BSD-3-Clause */
/* netns guests: a namespace with a NIC, addresses and routes. */
#ifndef TB_VM_NETNS_GUEST_H
#define TB_VM_NETNS_GUEST_H

#include <stddef.h>

/*
 * A netns guest: a network namespace with loopback up, IPv6 off (so no
 * autoconfiguration chatter disturbs measurements) and one NIC named eth0.
 */
#define VM_GUEST_NIC "eth0"

int vm_netns_create(const char *ns, char *err, size_t errlen);
/* Moves a link of this namespace into the guest and renames it eth0. */
int vm_netns_adopt(const char *ns, const char *link, char *err, size_t errlen);
/* Address (a.b.c.d/len) on eth0, link up. */
int vm_netns_nic_up(const char *ns, const char *cidr, char *err, size_t errlen);
int vm_netns_default_route(const char *ns, const char *gw, char *err, size_t errlen);

#endif
