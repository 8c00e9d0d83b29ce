/* SPDX-License-Identifier: BSD-3-Clause */
/* Option tables to getopt_long arrays, usage lines and --help lists (one source for each). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "opts.h"

const struct cli_opt cli_global_opts[] = {
	{"json", 'j', no_argument, NULL, "print JSON (errors too); anywhere before --", 0},
	{"help", 'h', no_argument, NULL, "this help", 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

void
cli_opts_getopt(const struct cli_opt *t, struct option *o)
{
	int n = 0;

	for (; t != NULL && t->long_name != NULL && n < CLI_OPTS_MAX - 1; t++, n++)
		o[n] = (struct option){t->long_name, t->has_arg, NULL, t->val};
	o[n] = (struct option){NULL, 0, NULL, 0};
}

const struct cli_opt *
cli_opt_find(const struct cli_opt *t, const char *name)
{
	for (; t != NULL && t->long_name != NULL; t++)
		if (strcmp(t->long_name, name) == 0)
			return t;
	return NULL;
}

/* "--name META" */
static void
opt_words(const struct cli_opt *o, char *buf, size_t len)
{
	snprintf(buf, len, "--%s%s%s", o->long_name, o->has_arg != no_argument ? " " : "",
		 o->has_arg != no_argument ? o->metavar : "");
}

/* "--name META" or "--name META [--name META ...]" */
static void
opt_item(const struct cli_opt *o, char *buf, size_t len)
{
	char w[120];

	opt_words(o, w, sizeof(w));
	if (o->flags & CLI_OPT_REPEAT)
		snprintf(buf, len, "%s [--%s ...]", w, o->long_name);
	else
		snprintf(buf, len, "%s", w);
}

/* Appends s at the end of buf (cut where it does not fit). */
static void
append(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf);

	if (n < len)
		snprintf(buf + n, len - n, "%s", s);
}

/* One group of the usage line, wrapped before width columns. */
static void
put_group(FILE *out, const char *g, int *col, int indent, int width)
{
	int n = (int)strlen(g);

	if (g[0] == '\0')
		return;
	if (width > 0 && *col + 1 + n > width && *col > indent) {
		fprintf(out, "\n%*s", indent, "");
		*col = indent;
	} else {
		fputc(' ', out);
		(*col)++;
	}
	fputs(g, out);
	*col += n;
}

void
cli_synopsis(FILE *out, const char *lead, const char *pre, const struct cli_opt *t,
	     const char *post, int width)
{
	int col = (int)strlen(lead), indent = col + 1;
	char g[512], item[256];

	fputs(lead, out);
	if (pre != NULL)
		put_group(out, pre, &col, indent, width);
	for (; t != NULL && t->long_name != NULL; t++) {
		opt_item(t, item, sizeof(item));
		if (t->flags & CLI_OPT_REQUIRED) {
			snprintf(g, sizeof(g), "%s", item);
			while (t[1].long_name != NULL && (t[1].flags & CLI_OPT_OR)) {
				t++;
				opt_item(t, item, sizeof(item));
				append(g, sizeof(g), " | ");
				append(g, sizeof(g), item);
			}
		} else {
			snprintf(g, sizeof(g), "[%s", item);
			while (t[1].long_name != NULL && (t[1].flags & CLI_OPT_NESTED)) {
				t++;
				opt_item(t, item, sizeof(item));
				append(g, sizeof(g), " [");
				append(g, sizeof(g), item);
				append(g, sizeof(g), "]");
			}
			append(g, sizeof(g), "]");
		}
		put_group(out, g, &col, indent, width);
	}
	if (post != NULL)
		put_group(out, post, &col, indent, width);
	fputc('\n', out);
}

void
cli_put_wrapped(FILE *out, const char *text, int col, int indent, int width)
{
	const char *p = text, *sp;
	int n;

	while (*p != '\0') {
		sp = strchr(p, ' ');
		n = sp != NULL ? (int)(sp - p) : (int)strlen(p);
		if (p != text) {
			if (col + 1 + n > width) {
				fprintf(out, "\n%*s", indent, "");
				col = indent;
			} else {
				fputc(' ', out);
				col++;
			}
		}
		fprintf(out, "%.*s", n, p);
		col += n;
		p += n;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}

static void
help_rows(FILE *out, const struct cli_opt *t, bool with_short)
{
	char w[160], left[200];

	for (; t != NULL && t->long_name != NULL; t++) {
		opt_words(t, w, sizeof(w));
		if (with_short)
			snprintf(left, sizeof(left), "-%c, %s", t->val, w);
		else
			snprintf(left, sizeof(left), "%s", w);
		if (strlen(left) > CLI_HELP_COL - 3)
			fprintf(out, "  %s\n%*s", left, CLI_HELP_COL, "");
		else
			fprintf(out, "  %-*s", CLI_HELP_COL - 2, left);
		cli_put_wrapped(out, t->help, CLI_HELP_COL, CLI_HELP_COL, CLI_USAGE_WIDTH);
	}
}

void
cli_opts_help(FILE *out, const struct cli_opt *t)
{
	fprintf(out, "\noptions:\n");
	help_rows(out, t, false);
	help_rows(out, cli_global_opts, true);
}
