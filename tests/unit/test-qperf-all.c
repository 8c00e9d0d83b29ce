/* SPDX-License-Identifier: BSD-3-Clause */
/* Every block of a qperf -oo msg_size output, in the -v, -vv, -vvs and -vu forms; bad lines named.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolparse.h"
#include "tool-fixtures.h"
#include "unit.h"

/*
 * Captured with qperf 0.4.11 over loopback: `qperf 127.0.0.1 -t 1 -oo msg_size:1:128M:*2
 * -vvs tcp_lat` and the like. First and last block's main value as printed.
 */
static const struct oo_case {
	const char *file, *test;
	size_t n;
	bool size_printed;  /* -v, -vv, -vu print msg_size; -vvs does not */
	double first, last; /* latency_us (lat) or bw_Bps (bw) */
	double first_rate;  /* msg_rate of the first block, -1 where the form has none */
	double first_cpu;   /* loc_cpus_used (send_cpus_used), -1 where the form has none */
} oo_cases[] = {
	{"qperf-oo-tcp_lat-vvs.txt", "tcp_lat", 28, false, 12.6, 510000, 79300, -1},
	{"qperf-oo-tcp_bw-v.txt", "tcp_bw", 28, true, 271000, 1.48e9, 271000, 199},
	{"qperf-oo-udp_lat-vv.txt", "udp_lat", 11, true, 21.2, -2, 47100, 199},
	{"qperf-oo-udp_bw-vu.txt", "udp_bw", 11, true, 46400, -2, -1, -1},
	{"qperf-oo-udp_bw-vvs.txt", "udp_bw", 11, false, 54600, -2, 54600, -1},
};

static double
main_value(const struct tp_qperf *q)
{
	return q->latency_us >= 0 ? q->latency_us : q->bw_Bps;
}

START_TEST(test_forms)
{
	const struct oo_case *c = &oo_cases[_i];
	char *text = fixture(c->file);
	struct tp_qperf_all a;
	struct tp_qperf one;
	double size = 1;
	size_t i;

	ck_assert_int_eq(tp_qperf_parse_all(text, NULL, &a), 0);
	ck_assert_msg(a.ok, "%s: %s", c->file, a.error);
	ck_assert_uint_eq(a.n, c->n);
	for (i = 0; i < a.n; i++, size *= 2) {
		const struct tp_qperf_block *b = &a.b[i];

		ck_assert_str_eq(b->r.test, c->test);
		ck_assert_msg(b->r.ok, "%s block %zu: %s", c->file, i + 1, b->r.error);
		ck_assert_double_eq(b->r.msg_size, size);
		ck_assert(b->size_from_oo == !c->size_printed);
		ck_assert(main_value(&b->r) > 0);
		ck_assert_int_gt(b->line, i > 0 ? a.b[i - 1].line : 0);
	}
	ck_assert_int_eq(a.b[0].line, 1);
	ck_assert_double_eq_tol(main_value(&a.b[0].r), c->first, c->first * 1e-9);
	if (c->last > 0)
		ck_assert_double_eq_tol(main_value(&a.b[a.n - 1].r), c->last, c->last * 1e-9);
	ck_assert_double_eq_tol(a.b[0].r.msg_rate, c->first_rate,
				c->first_rate > 0 ? c->first_rate * 1e-9 : 1e-9);
	ck_assert_double_eq(a.b[0].r.loc_cpus_used, c->first_cpu);
	/* the single-block API the sweep uses still reads the first block */
	ck_assert_int_eq(tp_qperf_parse(text, &one), 0);
	ck_assert_double_eq(main_value(&one), main_value(&a.b[0].r));
	tp_qperf_all_free(&a);
	free(text);
}
END_TEST

START_TEST(test_json)
{
	char *text = fixture("qperf-oo-tcp_lat-vvs.txt");
	struct tp_qperf_all a;
	json_t *j, *b;

	ck_assert_int_eq(tp_qperf_parse_all(text, NULL, &a), 0);
	j = tp_qperf_all_json(&a);
	ck_assert_ptr_nonnull(j);
	ck_assert(json_is_true(json_object_get(j, "ok")));
	ck_assert_uint_eq(json_array_size(json_object_get(j, "blocks")), 28);
	b = json_array_get(json_object_get(j, "blocks"), 27);
	ck_assert_int_eq(json_integer_value(json_object_get(b, "msg_size_B")), 134217728);
	ck_assert_str_eq(json_string_value(json_object_get(b, "msg_size_from")), "oo");
	ck_assert_double_eq(num(b, "latency_us"), 510000);
	/* many blocks: no top-level measurement that would be only the first's */
	ck_assert_ptr_null(json_object_get(j, "latency_us"));
	json_decref(j);
	tp_qperf_all_free(&a);
	free(text);
	/* one block: its fields at the top level as before */
	text = fixture("qperf-tcp_lat-1.txt");
	ck_assert_int_eq(tp_qperf_parse_all(text, NULL, &a), 0);
	j = tp_qperf_all_json(&a);
	ck_assert_double_eq(num(j, "latency_us"), 197);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "blocks")), 1);
	json_decref(j);
	tp_qperf_all_free(&a);
	free(text);
}
END_TEST

/* text with the first occurrence of from replaced by to (the caller frees) */
static char *
replaced(const char *text, const char *from, const char *to)
{
	size_t lf = strlen(from), lt = strlen(text), n = lt - lf + strlen(to) + 1, off = 0;
	char *s;

	while (off + lf <= lt && strncmp(text + off, from, lf) != 0)
		off++;
	ck_assert_msg(off + lf <= lt, "\"%s\" not in the fixture", from);
	s = malloc(n);
	ck_assert_ptr_nonnull(s);
	memcpy(s, text, off);
	snprintf(s + off, n - off, "%s%s", to, text + off + lf);
	return s;
}

START_TEST(test_bad_lines)
{
	static const struct {
		const char *from, *to, *oo, *error;
	} c[] = {
		/* a kept value in a unit qperf does not print: line 13 of the file */
		{"    latency         =      13 us", "    latency         =      13 parsecs", NULL,
		 "line 13: \"    latency         =      13 parsecs\": value not understood"},
		/* an indented line that is not key = value */
		{"    msg_rate        =      77 K/sec", "    msg_rate 77 K/sec", NULL,
		 "line 14: \"    msg_rate 77 K/sec\": not a \"key = value\" line"},
		/* text before the first header */
		{"tcp_lat:\n    latency         =    12.6 us",
		 "hello\ntcp_lat:\n    latency = 12.6 us", NULL,
		 "line 1: \"hello\": not qperf output"},
		/* more blocks than the loop has sizes: the 28th header, line 298 */
		{"", "", "msg_size:1:64M:*2",
		 "line 298: \"tcp_lat:\": block 28 of tcp_lat has no "
		 "msg_size and -oo msg_size:1:64M:*2 has only 27 sizes"},
		/* the counts say 1 byte per message, the loop says 2 */
		{"", "", "msg_size:2:256M:*2", "line 1: \"tcp_lat:\": "},
	};
	char *base = fixture("qperf-oo-tcp_lat-vvs.txt");
	struct tp_qperf_all a;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char *text = c[i].from[0] ? replaced(base, c[i].from, c[i].to) : strdup(base);

		ck_assert_int_eq(tp_qperf_parse_all(text, c[i].oo, &a), -EINVAL);
		ck_assert_msg(strncmp(a.error, c[i].error, strlen(c[i].error)) == 0,
			      "case %zu: \"%s\", not \"%s...\"", i, a.error, c[i].error);
		tp_qperf_all_free(&a);
		free(text);
	}
	/* with the loop it was made with, the whole file reads */
	ck_assert_int_eq(tp_qperf_parse_all(base, "msg_size:1:128M:*2", &a), 0);
	ck_assert_uint_eq(a.n, 28);
	tp_qperf_all_free(&a);
	free(base);
	/* nothing of qperf at all */
	ck_assert_int_eq(tp_qperf_parse_all("", NULL, &a), -EINVAL);
	ck_assert_ptr_nonnull(strstr(a.error, "no qperf test header"));
	tp_qperf_all_free(&a);
	ck_assert_int_eq(tp_qperf_parse_all("tcp_lat:\n", "msg_size:1", &a), -EINVAL);
	ck_assert_ptr_nonnull(strstr(a.error, "-oo"));
	tp_qperf_all_free(&a);
}
END_TEST

START_TEST(test_tool_failure)
{
	char *text = fixture("qperf-fail-refused.txt"), *cut;
	struct tp_qperf_all a;

	/* qperf's own failure: read, not ok, its words with the line */
	ck_assert_int_eq(tp_qperf_parse_all(text, NULL, &a), 0);
	ck_assert(!a.ok);
	ck_assert_uint_eq(a.n, 1);
	ck_assert_double_eq(a.b[0].r.msg_size, -1); /* alone, no loop given: size unknown */
	ck_assert_str_eq(a.error, "line 1: tcp_lat block 1: 198.18.1.2: failed to connect");
	tp_qperf_all_free(&a);
	/* given the loop, it is the loop's first size */
	ck_assert_int_eq(tp_qperf_parse_all(text, TP_QPERF_OO_TCP, &a), 0);
	ck_assert_double_eq(a.b[0].r.msg_size, 1);
	ck_assert(!a.ok);
	tp_qperf_all_free(&a);
	free(text);
	/* the output cut after a header: that block failed, the others stand */
	text = fixture("qperf-oo-udp_bw-vu.txt");
	cut = strdup(text);
	strcpy(strstr(cut, "udp_bw:\n    send_bw   =  88.9 MB/sec") + strlen("udp_bw:\n"), "");
	ck_assert_int_eq(tp_qperf_parse_all(cut, NULL, &a), 0);
	ck_assert(!a.ok);
	ck_assert_uint_eq(a.n, 11);
	ck_assert(a.b[9].r.ok);
	ck_assert(!a.b[10].r.ok);
	ck_assert_ptr_nonnull(strstr(a.error, "block 11"));
	tp_qperf_all_free(&a);
	free(cut);
	free(text);
}
END_TEST

START_TEST(test_oo_sizes)
{
	double s[TP_QPERF_MAX_SIZES];
	size_t n;

	ck_assert_int_eq(tp_qperf_oo_sizes(TP_QPERF_OO_TCP, s, TP_QPERF_MAX_SIZES, &n), 0);
	ck_assert_uint_eq(n, 28);
	ck_assert_double_eq(s[27], 134217728);
	ck_assert_int_eq(tp_qperf_oo_sizes(TP_QPERF_OO_UDP, s, TP_QPERF_MAX_SIZES, &n), 0);
	ck_assert_uint_eq(n, 11);
	ck_assert_double_eq(s[10], 1024);
	ck_assert_int_eq(tp_qperf_oo_sizes("msg_size:64:320:+64", s, TP_QPERF_MAX_SIZES, &n), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_double_eq(s[4], 320);
	ck_assert_int_eq(tp_qperf_oo_sizes("msg_size:1:1G:*2", s, 4, &n), -E2BIG);
	ck_assert_int_eq(tp_qperf_oo_sizes("time:1:2:*2", s, 4, &n), -EINVAL);
	ck_assert_int_eq(tp_qperf_oo_sizes("msg_size:1:128M:*1", s, 4, &n), -EINVAL);
	ck_assert_int_eq(tp_qperf_oo_sizes("msg_size:8:1:*2", s, 4, &n), -EINVAL);
	ck_assert_int_eq(tp_qperf_oo_sizes("msg_size:1:128X:*2", s, 4, &n), -EINVAL);
	ck_assert_int_eq(tp_qperf_oo_sizes("msg_size:1:128M:*2x", s, 4, &n), -EINVAL);
}
END_TEST

static Suite *
qperf_all_suite(void)
{
	Suite *s = suite_create("qperf-all");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_forms, 0, sizeof(oo_cases) / sizeof(oo_cases[0]));
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_bad_lines);
	tcase_add_test(tc, test_tool_failure);
	tcase_add_test(tc, test_oo_sizes);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(qperf_all_suite)
