/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TB_TEST_REPORT_FIXTURES_H
#define TB_TEST_REPORT_FIXTURES_H

/* Shared by the report tests: results fixtures, files of a rendered run, the reference. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "fsutil.h"
#include "reference.h"
#include "results.h"

/* FIXTURES when meson passes it, else the source tree beside data/ (TB_DATA_DIR). */
static inline void
fixture(char *buf, size_t len, const char *run)
{
	const char *env = getenv("FIXTURES");

	if (env != NULL && *env != '\0')
		snprintf(buf, len, "%s/results/%s", env, run);
	else
		snprintf(buf, len, "%s/../tests/fixtures/results/%s", TB_DATA_DIR, run);
}

static inline json_t *
load_fixture(const char *run)
{
	char dir[4096], err[512];
	json_t *j = NULL;

	fixture(dir, sizeof(dir), run);
	ck_assert_msg(res_load(dir, &j, err, sizeof(err)) == 0, "%s", err);
	return j;
}

static inline char *
slurp(const char *dir, const char *name)
{
	char path[4200], *buf = NULL;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_msg(tb_read_file(path, &buf, NULL) == 0, "cannot read %s", path);
	return buf;
}

/*
 * report.md of res rendered into dir by write (rp_write_report or rp_write_sim_report),
 * which may fail for want of gnuplot only; its result in *ret unless NULL.
 */
static inline char *
render(int (*write)(const char *, json_t *, const struct ref_table *, char *, size_t),
       const char *dir, json_t *res, const struct ref_table *ref, int *ret)
{
	char err[512] = "";
	int r = write(dir, res, ref, err, sizeof(err));

	ck_assert_msg(r == 0 || r == -ENOENT, "%d: %s", r, err);
	if (ret != NULL)
		*ret = r;
	return slurp(dir, "report.md");
}

#define ck_assert_has(text, needle)                                                                \
	ck_assert_msg(strstr(text, needle) != NULL, "missing \"%s\"", needle)

static inline void
load_ref(struct ref_table *t)
{
	char err[512];

	ck_assert_msg(ref_load(ref_default_path(), t, err, sizeof(err)) == 0, "%s", err);
}

#endif
