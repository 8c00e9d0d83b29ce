/* SPDX-License-Identifier: BSD-3-Clause */
/* Names on the host (the cleanup contract): run dir, namespaces, links, prefixes. */
#ifndef TB_NAMES_H
#define TB_NAMES_H

#include <stddef.h>

/*
 * Host object names (the cleanup contract in CONVENTIONS.md): everything carries
 * the instance name. Instance names are short so link names fit IFNAMSIZ.
 */
#define TB_INSTANCE_MAX 8
#define TB_RUN_BASE "/run/testbed"
#define TB_IFNAME_MAX 15

/* 0 if [a-z0-9]{1,8} starting with a letter; -EINVAL otherwise. */
int tb_instance_check(const char *inst);

/* /run/testbed/<inst>[/<sub>]; -ENAMETOOLONG if it does not fit. */
int tb_run_path(char *buf, size_t len, const char *inst, const char *sub);
/*
 * The longest name of a unix socket the testbed makes below a run dir: an OVS control socket
 * of host h<N> ("ovs-h9/ovsdb-server.ctl"), a VM's agent ("vq99.agent0.sock"), with room.
 */
#define TB_RUN_SOCK_NAME_MAX 32
/*
 * 0 if every socket below run_dir fits a unix socket address (107 bytes); -ENAMETOOLONG with
 * err saying which length is too long and what is allowed otherwise.
 */
int tb_run_dir_sock_check(const char *run_dir, char *err, size_t errlen);
/* Network namespace tb-<inst>-<name>. */
int tb_ns_name(char *buf, size_t len, const char *inst, const char *name);
/* Link tb<inst>-<suffix>, at most 15 characters or -ENAMETOOLONG. */
int tb_link_name(char *buf, size_t len, const char *inst, const char *suffix);
/* 0 if name can be a link of the machine (1-15 characters, not "." or "..", no '/', ':' or
 * white space), else -EINVAL. */
int tb_link_name_check(const char *name);
/* DPDK --file-prefix tb-<inst>-<role>. */
int tb_file_prefix(char *buf, size_t len, const char *inst, const char *role);

#endif
