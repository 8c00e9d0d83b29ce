/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "args.h"
#include "backend.h"
#include "hugepages.h"
#include "unit.h"
#include "up.h"

static int
parse(struct up_conf *c, char *err, int argc, char **argv)
{
	*c = (struct up_conf)UP_CONF_DEFAULT;
	err[0] = '\0';
	return up_parse_args(argc, argv, c, err, 256);
}

#define ARGV(...) ((char *[]){"up", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"up", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(c, err, ...) parse(c, err, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

START_TEST(test_defaults)
{
	struct up_conf c;
	char err[256];

	ck_assert_int_eq(PARSE(&c, err, "--numa", "0"), 0);
	ck_assert_int_eq(c.numa, 0);
	ck_assert_int_eq(c.guests, 2);
	ck_assert_uint_eq(c.backends, TB_BE_DEFAULT);
	ck_assert(!c.backends_all);
	ck_assert_str_eq(c.instance, "main");
	ck_assert_uint_eq(c.page_kb, 0);
	ck_assert_int_eq(c.n_pmd, 1);
	ck_assert_int_eq(c.pmd_maxsleep_us, -1);
}
END_TEST

START_TEST(test_all_options)
{
	struct up_conf c;
	char err[256];

	ck_assert_int_eq(PARSE(&c, err, "--numa", "1", "--guests", "14", "--backends", "bridge,vhost-user",
			       "--instance", "b2", "--page-size", "2M", "--pmd-cores", "2",
			       "--switch-mem", "512", "--pmd-maxsleep", "0"),
			 0);
	ck_assert_int_eq(c.numa, 1);
	ck_assert_int_eq(c.guests, 14);
	ck_assert_uint_eq(c.backends, (1u << TB_BE_BRIDGE) | (1u << TB_BE_VHOST_USER));
	ck_assert_str_eq(c.instance, "b2");
	ck_assert_uint_eq(c.page_kb, 2048);
	ck_assert_int_eq(c.n_pmd, 2);
	ck_assert_int_eq(c.switch_mem_mb, 512);
	ck_assert_int_eq(c.pmd_maxsleep_us, 0);
}
END_TEST

START_TEST(test_bad_values)
{
	struct up_conf c;
	char err[256];

	ck_assert_int_lt(PARSE(&c, err, "--guests", "2"), 0);
	ck_assert_ptr_nonnull(strstr(err, "--numa N is required"));
	ck_assert_int_lt(PARSE(&c, err, "--numa", "x"), 0);
	ck_assert_ptr_nonnull(strstr(err, "\"x\""));
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--backends", "vhost-user,tun"), 0);
	ck_assert_str_eq(err, "unknown backend \"tun\" (valid: vhost-user, bridge, masquerade, tap, "
			      "macvtap, vhost-net, user)");
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0", "--backends", "all"), 0);
	ck_assert_uint_eq(c.backends, TB_BE_ALL);
	ck_assert(c.backends_all);
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0", "--backends", "tap,macvtap"), 0);
	ck_assert_uint_eq(c.backends, (1u << TB_BE_TAP) | (1u << TB_BE_MACVTAP));
	ck_assert(!c.backends_all);
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--guests", "0"), 0);
	ck_assert_ptr_nonnull(strstr(err, "allowed: 1-32"));
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--guests", "3x"), 0);
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--instance", "Main"), 0);
	ck_assert_ptr_nonnull(strstr(err, "bad instance name \"Main\""));
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--instance", "waytoolongname"), 0);
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--page-size", "4K"), 0);
	ck_assert_str_eq(err, "bad --page-size \"4K\" (allowed: 2M, 1G)");
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--frobnicate"), 0);
	ck_assert_ptr_nonnull(strstr(err, "--frobnicate"));
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "extra"), 0);
	ck_assert_ptr_nonnull(strstr(err, "unexpected argument \"extra\""));
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--backends", ","), 0);
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--guests", "33"), 0);
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--pmd-maxsleep", "10001"), 0);
	ck_assert_ptr_nonnull(strstr(err, "allowed: 0-10000 us"));
}
END_TEST

START_TEST(test_adapter)
{
	struct up_conf c;
	char err[256];

	/* unset: up decides (colocated with testbed-pmd's netns guests, else shim) */
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0"), 0);
	ck_assert_ptr_null(c.adapter);
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0", "--switch", "testbed-pmd", "--adapter",
			       "shim"), 0);
	ck_assert_str_eq(c.adapter, UP_ADAPTER_SHIM);
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0", "--switch", "testbed-pmd", "--adapter",
			       "colocated"), 0);
	ck_assert_str_eq(c.adapter, UP_ADAPTER_COLOCATED);
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0", "--adapter", "shim"), 0);
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--adapter", "colocated"), 0);
	ck_assert_str_eq(err, "--adapter colocated is for --switch testbed-pmd (OVS-DPDK cannot "
			 "host the guests' adapter; it uses --adapter shim)");
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--adapter", "inline"), 0);
	ck_assert_str_eq(err, "bad --adapter \"inline\" (allowed: shim, colocated)");
}
END_TEST

START_TEST(test_guest_cores)
{
	struct up_conf c;
	char err[256];

	/* unset: all with testbed-pmd sleeping when idle, rest when the switch polls */
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0"), 0);
	ck_assert_ptr_null(c.guest_cores);
	ck_assert(!up_guests_on_all(&c));
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0", "--switch", "testbed-pmd"), 0);
	ck_assert(up_guests_on_all(&c));
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0", "--switch", "testbed-pmd", "--switch-idle",
			       "busy"), 0);
	ck_assert(!up_guests_on_all(&c));
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0", "--guest-cores", "all"), 0);
	ck_assert_str_eq(c.guest_cores, UP_GUEST_CORES_ALL);
	ck_assert(up_guests_on_all(&c));
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0", "--switch", "testbed-pmd", "--guest-cores",
			       "rest"), 0);
	ck_assert(!up_guests_on_all(&c));
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--guest-cores", "own"), 0);
	ck_assert_str_eq(err, "bad --guest-cores \"own\" (allowed: rest, all)");
}
END_TEST

START_TEST(test_instance_args)
{
	char inst[16] = "main", err[256];

	ck_assert_int_eq(instance_parse_args(3, (char *[]){"down", "--instance", "a", NULL}, inst,
					     sizeof(inst), err, sizeof(err)),
			 0);
	ck_assert_str_eq(inst, "a");
	ck_assert_int_lt(instance_parse_args(2, (char *[]){"down", "now", NULL}, inst, sizeof(inst),
					     err, sizeof(err)),
			 0);
	ck_assert_int_lt(instance_parse_args(3, (char *[]){"down", "--instance", "-x", NULL}, inst,
					     sizeof(inst), err, sizeof(err)),
			 0);
}
END_TEST

/* --hosts 2 doubles the default guests (2 per host) and splits them evenly. */
START_TEST(test_hosts)
{
	struct up_conf c;
	char err[256];

	ck_assert_int_eq(PARSE(&c, err, "--numa", "0", "--hosts", "2"), 0);
	ck_assert_int_eq(c.hosts, 2);
	ck_assert_int_eq(c.guests, 4);
	ck_assert_str_eq(c.wire_pmd, "auto");
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0", "--hosts", "2", "--guests", "6",
			       "--wire-pmd", "af_packet"), 0);
	ck_assert_int_eq(c.guests, 6);
	ck_assert_str_eq(c.wire_pmd, "af_packet");
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--hosts", "2", "--guests", "3"), 0);
	ck_assert_str_eq(err, "bad --guests 3 with --hosts 2 (allowed: a multiple of 2, so the "
			      "hosts get as many guests each)");
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--hosts", "0"), 0);
	ck_assert_str_eq(err, "bad --hosts \"0\" (allowed: 1-2)");
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--wire-pmd", "af_xdp"), 0);
	ck_assert_str_eq(err, "--wire-pmd is for --hosts 2 (the wire between the hosts)");
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--hosts", "2", "--wire-pmd", "xdp"), 0);
	ck_assert_str_eq(err, "bad --wire-pmd \"xdp\" (allowed: auto, af_xdp, af_packet)");
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0", "--nic", "0000:03:00.0"), 0);
	ck_assert_str_eq(c.nic, "0000:03:00.0");
	ck_assert_int_eq(c.host_index, 0);
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0", "--nic", "0000:03:00.0", "--host-index",
			       "1"), 0);
	ck_assert_int_eq(c.host_index, 1);
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--host-index", "1"), 0);
	ck_assert_str_eq(err, "--host-index is for real machines joined by a NIC (--nic or "
			      "--kernel-nic)");
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0", "--nic", "x", "--host-index", "7"), 0);
	ck_assert_int_eq(c.host_index, 7);
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--nic", "x", "--host-index", "8"), 0);
	ck_assert_str_eq(err, "bad --host-index \"8\" (allowed: 0-7, one per machine)");
	/* machines share each backend's /24: 31 guests each */
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0", "--nic", "x", "--guests", "31"), 0);
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--nic", "x", "--guests", "32"), 0);
	ck_assert_str_eq(err, "bad --guests 32 with --nic (allowed: 1-31 per backend: the guests "
			      "of 8 machines share one /24)");
	/* the kernel paths' NIC: bridge or masquerade, one host, its own host index */
	c = (struct up_conf)UP_CONF_DEFAULT;
	ck_assert_int_eq(PARSE(&c, err, "--numa", "0", "--kernel-nic", "ens1f1", "--host-index",
			       "2", "--backends", "bridge,masquerade"), 0);
	ck_assert_str_eq(c.kernel_nic, "ens1f1");
	ck_assert_int_eq(c.host_index, 2);
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--kernel-nic", "ens1f1", "--backends",
			       "vhost-user"), 0);
	ck_assert_str_eq(err, "--kernel-nic joins the kernel bridge: add bridge or masquerade to "
			      "--backends");
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--kernel-nic", "a/b"), 0);
	ck_assert_str_eq(err, "bad --kernel-nic \"a/b\" (allowed: a link name of 1-15 characters, "
			      "no '/', ':' or spaces)");
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--kernel-nic", "abcdefghijklmnop"), 0);
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--kernel-nic", "e1", "--hosts", "2"), 0);
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--kernel-nic", "e1", "--guests", "32"), 0);
	ck_assert_str_eq(err, "bad --guests 32 with --kernel-nic (allowed: 1-31 per backend: the "
			      "guests of 8 machines share one /24)");
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--nic", "a b"), 0);
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--nic", "0000:03:00.0", "--hosts", "2"), 0);
	ck_assert_int_lt(PARSE(&c, err, "--numa", "0", "--nic", "0000:03:00.0", "--backends",
			       "bridge"), 0);
}
END_TEST

static Suite *
args_suite(void)
{
	Suite *s = suite_create("args");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_guest_cores);
	tcase_add_test(tc, test_all_options);
	tcase_add_test(tc, test_bad_values);
	tcase_add_test(tc, test_adapter);
	tcase_add_test(tc, test_instance_args);
	tcase_add_test(tc, test_hosts);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(args_suite)
