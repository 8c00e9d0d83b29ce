/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TB_TEST_TOOL_FIXTURES_H
#define TB_TEST_TOOL_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "fsutil.h"
#include "unit.h"

/* A raw tool output from tests/fixtures (meson passes FIXTURES); free it. */
static inline char *
fixture(const char *name)
{
	const char *dir = getenv("FIXTURES");
	char path[512], *text = NULL;

	ck_assert_msg(dir != NULL, "FIXTURES not set (run through meson test)");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_msg(tb_read_file(path, &text, NULL) == 0, "cannot read %s", path);
	return text;
}

/* A number the parsed JSON must hold. */
static inline double
num(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	ck_assert_msg(json_is_number(v), "%s missing", key);
	return json_number_value(v);
}

#endif
