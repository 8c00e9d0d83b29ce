/* SPDX-License-Identifier: BSD-3-Clause */
/* The backends' names and tags, and backend lists from the command line. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"

static const char *const names[TB_BE_COUNT] = {"vhost-user", "bridge",    "masquerade", "tap",
						"macvtap",    "vhost-net", "user"};
static const char *const tags[TB_BE_COUNT] = {"vu", "br", "mq", "tp", "mv", "vn", "us"};

const char *
tb_backend_name(enum tb_backend be)
{
	return be < TB_BE_COUNT ? names[be] : "?";
}

const char *
tb_backend_tag(enum tb_backend be)
{
	return be < TB_BE_COUNT ? tags[be] : "?";
}

int
tb_backend_from_name(const char *name)
{
	int i;

	for (i = 0; i < TB_BE_COUNT; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -EINVAL;
}

int
tb_backend_parse_list(const char *list, unsigned int *mask, char *err, size_t errlen)
{
	char buf[256], *save = NULL, *tok;

	*mask = 0;
	if (strcmp(list, "all") == 0) {
		*mask = TB_BE_ALL;
		return 0;
	}
	if (snprintf(buf, sizeof(buf), "%s", list) >= (int)sizeof(buf)) {
		snprintf(err, errlen, "backend list too long");
		return -EINVAL;
	}
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		int be = tb_backend_from_name(tok);

		if (be < 0) {
			snprintf(err, errlen, "unknown backend \"%s\" (valid: " TB_BE_NAMES_LIST ")", tok);
			return -EINVAL;
		}
		*mask |= 1u << be;
	}
	if (*mask == 0) {
		snprintf(err, errlen, "empty backend list \"%s\" (valid: " TB_BE_NAMES_LIST ")", list);
		return -EINVAL;
	}
	return 0;
}
