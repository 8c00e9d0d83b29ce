/* SPDX-License-Identifier: BSD-3-Clause */
/* ip, nft and friends run in a namespace (argv through lib/runcmd.c). */
#ifndef TB_NETCMD_H
#define TB_NETCMD_H

#include <stdbool.h>
#include <stddef.h>

/*
 * iproute2 and friends from argv arrays. The variadic lists are the arguments
 * after the program name, ended by NULL. On failure err receives the command
 * and what it printed.
 */
#define TB_ERR_LEN 512

int tb_ip(char *err, size_t errlen, ...) __attribute__((sentinel));
/* `ip netns exec NS prog args...` */
int tb_ns_exec(const char *ns, char *err, size_t errlen, ...) __attribute__((sentinel));

bool tb_netns_exists(const char *ns);
bool tb_link_exists(const char *ns, const char *link); /* ns NULL: this namespace */

/* Sets a sysctl inside ns (key with dots, as sysctl(8) takes it). */
int tb_ns_sysctl(const char *ns, const char *key, const char *val, char *err, size_t errlen);

/* veth pair created directly in its namespaces (ns NULL: this one), both ends up. */
int tb_veth_add(const char *ns_a, const char *a, const char *ns_b, const char *b, char *err,
		size_t errlen);

#endif
