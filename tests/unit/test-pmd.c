/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "idle.h"
#include "shim.h"
#include "unit.h"

static int
parse(struct shim_conf *c, char *err, int argc, char **argv)
{
	*c = (struct shim_conf)SHIM_CONF_DEFAULT;
	err[0] = '\0';
	return shim_parse_args(argc, argv, c, err, 256);
}

#define SHIM(...) (int)(sizeof((char *[]){"shim", __VA_ARGS__}) / sizeof(char *)), \
	((char *[]){"shim", __VA_ARGS__, NULL})

START_TEST(test_shim_args)
{
	struct shim_conf c;
	char err[256];

	ck_assert_int_eq(parse(&c, err, SHIM("--port", "/run/testbed/main/vu0.sock,tbmain-t0",
					     "--port", "/run/testbed/main/vu1.sock,tbmain-t1",
					     "--idle", "busy", "--max-sleep-us", "1000",
					     "--ready-file", "/run/testbed/main/shim.ready")),
			 0);
	ck_assert_uint_eq(c.nb_ports, 2);
	ck_assert_str_eq(c.ports[1].sock_path, "/run/testbed/main/vu1.sock");
	ck_assert_str_eq(c.ports[1].tap_name, "tbmain-t1");
	ck_assert_int_eq(c.idle.mode, PMD_IDLE_BUSY);
	ck_assert_uint_eq(c.idle.max_sleep_us, 1000);
	ck_assert_str_eq(c.ready_file, "/run/testbed/main/shim.ready");
}
END_TEST

START_TEST(test_shim_bad_args)
{
	struct shim_conf c;
	char err[256];

	ck_assert_int_eq(parse(&c, err, SHIM("--idle", "busy")), -EINVAL); /* no port */
	ck_assert_int_eq(parse(&c, err, SHIM("--port", "/x.sock,waytoolongtapname0")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, SHIM("--port", "/x.sock")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, SHIM("--port", "/x.sock,t0", "--port", "/y.sock,t0")),
			 -EINVAL);
	ck_assert_int_eq(parse(&c, err, SHIM("--port", "/x.sock,t0", "--idle", "lazy")), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "lazy"));
	ck_assert_int_eq(parse(&c, err, SHIM("--port", "/x.sock,t0", "--queue-size", "1000")),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "1000"));
}
END_TEST

START_TEST(test_idle_adaptive)
{
	struct pmd_idle_conf conf = {.mode = PMD_IDLE_ADAPTIVE, .max_sleep_us = 100, .poll_loops = 3};
	struct pmd_idle idle;
	uint32_t t, last = 0;
	int i;

	pmd_idle_init(&idle, &conf);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(pmd_idle_next(&idle, 0), 0); /* polls first */
	ck_assert_uint_eq(pmd_idle_next(&idle, 0), 1);
	for (i = 0; i < 20; i++) {
		t = pmd_idle_next(&idle, 0);
		ck_assert_uint_ge(t, last);
		ck_assert_uint_le(t, 100);
		last = t;
	}
	ck_assert_uint_eq(last, 100);
	ck_assert_uint_eq(pmd_idle_next(&idle, 5), 0); /* traffic: back to polling */
	ck_assert_uint_eq(pmd_idle_next(&idle, 0), 0);
}
END_TEST

START_TEST(test_idle_busy_never_sleeps)
{
	struct pmd_idle_conf conf = {.mode = PMD_IDLE_BUSY, .max_sleep_us = 100, .poll_loops = 0};
	struct pmd_idle idle;
	int i;

	pmd_idle_init(&idle, &conf);
	for (i = 0; i < 1000; i++)
		ck_assert_uint_eq(pmd_idle_next(&idle, 0), 0);
}
END_TEST

static Suite *
pmd_suite(void)
{
	Suite *s = suite_create("pmd");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_shim_args);
	tcase_add_test(tc, test_shim_bad_args);
	tcase_add_test(tc, test_idle_adaptive);
	tcase_add_test(tc, test_idle_busy_never_sleeps);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(pmd_suite)
