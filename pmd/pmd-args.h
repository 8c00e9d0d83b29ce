/*
 * What the roles' command lines share: "--opt value" / "--opt=value" walking over a table
 * of options, strict numbers, and one-line errors. Everything is checked before EAL init,
 * so a bad argument costs no hugepages and leaves nothing behind.
 */

#ifndef PMD_ARGS_H
#define PMD_ARGS_H

#include <stdbool.h>
#include <stddef.h>

/* pmd_args_walk() result when --help was asked for. */
#define PMD_ARGS_HELP 1

struct pmd_opt {
	const char *name;	/* "--port" */
	int id;
};

/* Handles one option; returns 0 or -EINVAL with a one-line message in err. */
typedef int (*pmd_opt_fn)(int id, const char *name, const char *val, void *conf, char *err,
			  size_t errlen);

/*
 * Walks argv[1..] (argv[0] is the role name); every option takes a value. allowed lists the
 * options for error messages. Returns 0, PMD_ARGS_HELP, or -EINVAL with a message in err.
 */
int pmd_args_walk(int argc, char **argv, const struct pmd_opt *opts, unsigned int nb_opts,
		  const char *allowed, pmd_opt_fn fn, void *conf, char *err, size_t errlen);

int pmd_args_error(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A decimal number in [min, max], nothing else (no sign, no spaces, no suffix). */
int pmd_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *val);

/* "on" or "off". */
int pmd_parse_onoff(const char *s, bool *on);

/* A --ready-file path: room for the ".tmp" written first. */
int pmd_parse_ready_file(const char *name, const char *val, const char **path, char *err,
			 size_t errlen);

/* Writes path atomically (path.tmp, then rename); returns 0 or a negative errno. */
int pmd_ready_file_write(const char *path, const char *text);

#endif /* PMD_ARGS_H */
