/* SPDX-License-Identifier: BSD-3-Clause */
/* Messages for people (stderr) or JSON (-j): errors, info, warnings. */
#include <stdarg.h>
#include <stdio.h>

#include <jansson.h>

#include "log.h"

static bool json_mode;

void
tb_log_set_json(bool json)
{
	json_mode = json;
}

bool
tb_log_json(void)
{
	return json_mode;
}

void
tb_err(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json_mode) {
		json_t *o = json_pack("{s:s}", "error", msg);
		char *p;

		/* user input quoted in msg may not be UTF-8, which JSON strings must be */
		for (p = msg; o == NULL && *p != '\0'; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
		if (o == NULL)
			o = json_pack("{s:s}", "error", msg);
		json_dumpf(o, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(o);
		return;
	}
	fprintf(stderr, "testbed: %s\n", msg);
}

static void
vsay(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
tb_info(const char *fmt, ...)
{
	va_list ap;

	if (json_mode)
		return;
	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
}

void
tb_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("warning: ", fmt, ap);
	va_end(ap);
}
