/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TB_BACKEND_H
#define TB_BACKEND_H

#include <stddef.h>

/* The guest networks the testbed compares. */
enum tb_backend {
	TB_BE_VHOST_USER,
	TB_BE_BRIDGE,
	TB_BE_MASQUERADE,
	TB_BE_COUNT,
};

#define TB_BE_ALL ((1u << TB_BE_COUNT) - 1)

const char *tb_backend_name(enum tb_backend be); /* "vhost-user" */
const char *tb_backend_tag(enum tb_backend be);  /* "vu": guest and link names */
int tb_backend_from_name(const char *name);      /* enum value or -EINVAL */

/*
 * "vhost-user,bridge" -> bit mask. On a bad name, err receives
 * `unknown backend "x" (valid: vhost-user, bridge, masquerade)`.
 */
int tb_backend_parse_list(const char *list, unsigned int *mask, char *err, size_t errlen);

#endif
