/* SPDX-License-Identifier: BSD-3-Clause */
/* `import`: raw outputs of the published method (qperf -oo, iperf -c, mtr) -> a run directory. */
#ifndef TB_IMPORT_H
#define TB_IMPORT_H

#include <stddef.h>

#include <jansson.h>

#include "hosts.h"

/*
 * What to import: a folder of raw outputs named BACKEND-TEST[-N].txt, or (backend and test
 * set) one file of that backend and test.
 */
struct imp_conf {
	const char *path;
	const char *backend; /* with test: path is one file */
	const char *test;
	const char *out; /* where the run directory goes */
	const char *oo;	 /* qperf's -oo loop of the outputs; NULL: the reference's per test */
	enum tb_scope scope; /* where the guests were: every point's "scope" */
};

#define IMP_CONF_DEFAULT                                                                           \
	{                                                                                          \
		.path = NULL, .backend = NULL, .test = NULL, .out = "results", .oo = NULL,         \
		.scope = TB_SCOPE_SAME_HOST                                                        \
	}

/* The TEST words of the file names, in the order of the report. */
#define IMP_TESTS "tcp_lat, tcp_bw, udp_lat, udp_bw, iperf, mtr"

/* 0 when word is one of IMP_TESTS, else -EINVAL. */
int imp_test_check(const char *word);

/*
 * A file name "bridge-tcp_lat-2.txt" -> its backend ("bridge") and TEST word ("tcp_lat"):
 * BACKEND-TEST, then optionally -N (a repeat's label), then optionally .txt. -EINVAL with
 * one line in err naming the file and what is allowed.
 */
int imp_name_parse(const char *name, char *backend, size_t blen, char *test, size_t tlen, char *err,
		   size_t errlen);

/*
 * Reads every raw output of c (all of them before anything is written), then makes
 * out/<run-id>/ atomically (built as out/.<run-id>.tmp, renamed when complete): raw/ with
 * the inputs byte for byte, results.json ("kind": "sweep", "imported": true, where from; a
 * point per backend, test and msg_size, each file one repeat of its points) and
 * results.csv; then report.md and plots (a failure there only fills warn). *out receives
 * results.json, dir the run directory.
 * Returns 0, the number of points whose outputs report the tool's failure, -EINVAL for bad
 * input (a name that does not say backend and test, an unknown backend or test, no file),
 * -EBADMSG for an output that is not the tool's (err names the file and, for qperf, the
 * line), another -errno for I/O; err holds one line. Nothing is left in out on error.
 */
int imp_run(const struct imp_conf *c, json_t **out, char *dir, size_t dirlen, char *err,
	    size_t errlen, char *warn, size_t warnlen);

#endif
