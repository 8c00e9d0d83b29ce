/* Shared command-line helpers of the roles: see args.h. */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pmd-args.h"

int
pmd_args_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int
pmd_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *val)
{
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	*val = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || *val < min || *val > max)
		return -EINVAL;
	return 0;
}

int
pmd_parse_onoff(const char *s, bool *on)
{
	if (strcmp(s, "on") == 0)
		*on = true;
	else if (strcmp(s, "off") == 0)
		*on = false;
	else
		return -EINVAL;
	return 0;
}

int
pmd_parse_ready_file(const char *name, const char *val, const char **path, char *err,
		     size_t errlen)
{
	if (val[0] == '\0' || strlen(val) + 4 >= PATH_MAX)
		return pmd_args_error(err, errlen, "%s \"%s\": need a path of 1-%d characters",
				      name, val, PATH_MAX - 5);
	*path = val;
	return 0;
}

int
pmd_ready_file_write(const char *path, const char *text)
{
	char tmp[PATH_MAX];
	FILE *f;
	int ret;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (f == NULL)
		return -errno;
	fputs(text, f);
	ret = ferror(f) ? -EIO : 0;
	if (fclose(f) != 0 && ret == 0)
		ret = -errno;
	/* rename() makes the file appear complete or not at all. */
	if (ret == 0 && rename(tmp, path) < 0)
		ret = -errno;
	if (ret < 0)
		unlink(tmp);
	return ret;
}

int
pmd_args_walk(int argc, char **argv, const struct pmd_opt *opts, unsigned int nb_opts,
	      const char *allowed, pmd_opt_fn fn, void *conf, char *err, size_t errlen)
{
	const char *arg, *val, *eq;
	size_t name_len;
	unsigned int j;
	int i, ret;

	err[0] = '\0';
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
			return PMD_ARGS_HELP;
		if (strncmp(arg, "--", 2) != 0)
			return pmd_args_error(err, errlen,
				"unexpected argument \"%s\" (allowed: %s)", arg, allowed);

		/* Both "--opt value" and "--opt=value". */
		eq = strchr(arg, '=');
		name_len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
		for (j = 0; j < nb_opts; j++) {
			if (strlen(opts[j].name) == name_len &&
					strncmp(opts[j].name, arg, name_len) == 0)
				break;
		}
		if (j == nb_opts)
			return pmd_args_error(err, errlen, "unknown option \"%.*s\" (allowed: %s)",
				(int)name_len, arg, allowed);

		if (eq != NULL)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else
			return pmd_args_error(err, errlen, "%s needs a value", opts[j].name);

		ret = fn(opts[j].id, opts[j].name, val, conf, err, errlen);
		if (ret < 0)
			return ret;
	}
	return 0;
}
