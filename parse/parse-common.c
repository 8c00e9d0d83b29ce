/* SPDX-License-Identifier: BSD-3-Clause */
#include <ctype.h>
#include <string.h>

#include "parse-common.h"

char *
tp_next_line(char **cur, bool lstrip)
{
	char *line = *cur, *nl;
	size_t len;

	if (line == NULL || *line == '\0')
		return NULL;
	nl = strchr(line, '\n');
	if (nl != NULL) {
		*nl = '\0';
		*cur = nl + 1;
	} else {
		*cur = line + strlen(line);
	}
	len = strlen(line);
	while (len > 0 && isspace((unsigned char)line[len - 1]))
		line[--len] = '\0';
	while (lstrip && isspace((unsigned char)*line))
		line++;
	return line;
}

void
tp_copy_text(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < size && src[i] != '\0'; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[i] = '\0';
}

void
tp_json_num(json_t *o, const char *key, double v)
{
	if (v >= 0)
		json_object_set_new(o, key, json_real(v));
}

json_t *
tp_json_result(const char *tool, bool ok, const char *error)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "tool", json_string(tool));
	json_object_set_new(o, "ok", json_boolean(ok));
	json_object_set_new(o, "error", ok ? json_null() : json_string(error));
	return o;
}
