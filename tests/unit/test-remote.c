/* SPDX-License-Identifier: BSD-3-Clause */
/* Across machines: another machine's `serve -j` (--remote-guests), serve's options, --nic. */
#include <errno.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "serve.h"
#include "sweep-remote.h"
#include "simulate.h"
#include "sweep.h"
#include "unit.h"
#include "up.h"

#define SERVE_OUT                                                                                  \
	"{\"instance\": \"mm1\", \"host_index\": 1, \"qperf_port\": \"19765\", \"guests\": ["    \
	"{\"name\": \"vu0\", \"backend\": \"vhost-user\", \"index\": 0, \"address\": "          \
	"\"198.18.1.32\"}, {\"name\": \"vu1\", \"backend\": \"vhost-user\", \"index\": 1, "    \
	"\"address\": \"198.18.1.33\"}, {\"name\": \"br0\", \"backend\": \"bridge\", \"index\": " \
	"0, \"address\": \"198.18.2.32\"}]}"

START_TEST(test_parse_serve_output)
{
	char err[256] = "";
	json_t *r = NULL, *g;

	ck_assert_int_eq(swr_parse(SERVE_OUT, &r, err, sizeof(err)), 0);
	ck_assert_uint_eq(json_array_size(r), 1); /* one machine: an array of one */
	g = swr_server(r, TB_BE_VHOST_USER, 0);
	ck_assert_ptr_nonnull(g);
	ck_assert_str_eq(json_string_value(json_object_get(g, "address")), "198.18.1.32");
	ck_assert_str_eq(json_string_value(json_object_get(g, "kind")), SWR_KIND_REMOTE);
	g = swr_server(r, TB_BE_VHOST_USER, 1);
	ck_assert_str_eq(json_string_value(json_object_get(g, "name")), "vu1");
	ck_assert_ptr_null(swr_server(r, TB_BE_MASQUERADE, 0));
	ck_assert_int_eq(json_integer_value(json_object_get(g, "host_index")), 1);
	json_decref(r);
}
END_TEST

/* A served machine with host_index h and vhost-user guests vu0 and vu1. */
#define MACHINE(h, inst)                                                                           \
	"{\"instance\": \"" inst "\", \"host_index\": " #h ", \"guests\": [{\"name\": "            \
	"\"vu0\", \"backend\": \"vhost-user\", \"index\": 0, \"address\": \"198.18.1.1\"}, "       \
	"{\"name\": \"vu1\", \"backend\": \"vhost-user\", \"index\": 1, \"address\": "             \
	"\"198.18.1.2\"}]}"

/*
 * M served machines: pair k's server is on machine k mod M (host_index order, whatever the
 * order of the array) as its guest k div M; every machine serves before one serves twice.
 */
START_TEST(test_pairs_over_machines)
{
	static const char *const want[][2] = {{"mm1", "vu0"}, {"mm2", "vu0"}, {"mm1", "vu1"},
					      {"mm2", "vu1"}};
	char err[256] = "";
	json_t *r = NULL, *g;
	int k, m, idx;

	/* the placement: M = 1 is the two-machine case (guest k with guest k) */
	for (k = 0; k < 8; k++) {
		swr_place(k, 1, &m, &idx);
		ck_assert_int_eq(m, 0);
		ck_assert_int_eq(idx, k);
		swr_place(k, 3, &m, &idx);
		ck_assert_int_eq(m, k % 3);
		ck_assert_int_eq(idx, k / 3);
	}
	ck_assert_int_eq(swr_parse("[" MACHINE(2, "mm2") ", " MACHINE(1, "mm1") "]", &r, err,
				   sizeof(err)), 0);
	ck_assert_uint_eq(json_array_size(r), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(r, 0), "instance")),
			 "mm1");
	for (k = 0; k < 4; k++) {
		g = swr_server(r, TB_BE_VHOST_USER, k);
		ck_assert_ptr_nonnull(g);
		ck_assert_int_eq(json_integer_value(json_object_get(g, "host_index")),
				 want[k][0][2] - '0');
		ck_assert_str_eq(json_string_value(json_object_get(g, "name")), want[k][1]);
	}
	ck_assert_ptr_null(swr_server(r, TB_BE_VHOST_USER, 4)); /* two guests each */
	ck_assert_ptr_nonnull(swr_guest(r, 1, TB_BE_VHOST_USER, 0));
	ck_assert_ptr_null(swr_guest(r, 2, TB_BE_VHOST_USER, 0));
	/* this machine must not be one of them */
	ck_assert_int_eq(swr_check_local(r, 0, err, sizeof(err)), 0);
	ck_assert_int_eq(swr_check_local(r, 2, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "--remote-guests: machine mm2 has host_index 2, as this one "
			      "(allowed: machines up with other --host-index values)");
	json_decref(r);
	/* two machines of one host_index, none, too many */
	ck_assert_int_eq(swr_parse("[" MACHINE(1, "mm1") ", " MACHINE(1, "mm2") "]", &r, err,
				   sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "machines mm1 and mm2 both have host_index 1 (allowed: one machine "
			      "per host_index)");
	ck_assert_ptr_null(r);
	ck_assert_int_eq(swr_parse("[]", &r, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "0 machines (allowed: 1-7 outputs of `testbed -j serve`, one per "
			      "other machine)");
	ck_assert_int_eq(swr_parse("[" MACHINE(1, "a") "," MACHINE(2, "b") "," MACHINE(3, "c") ","
				   MACHINE(4, "d") "," MACHINE(5, "e") "," MACHINE(6, "f") ","
				   MACHINE(7, "g") "," MACHINE(0, "h") "]", &r, err, sizeof(err)),
			 -EINVAL);
	ck_assert_int_eq(swr_parse("[" MACHINE(8, "mm8") "]", &r, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "machine 0: no \"host_index\" 0-7 (allowed: the output of `testbed "
			      "-j serve`)");
	ck_assert_int_eq(swr_parse("[1]", &r, err, sizeof(err)), -EINVAL);
}
END_TEST

START_TEST(test_refuses_bad_input)
{
	char err[256];
	json_t *r = NULL;

	ck_assert_int_lt(swr_parse("not json", &r, err, sizeof(err)), 0);
	ck_assert_ptr_null(r);
	ck_assert_ptr_nonnull(strstr(err, "serve"));
	ck_assert_int_lt(swr_parse("{\"host_index\": 1, \"guests\": []}", &r, err, sizeof(err)),
			 0);
	ck_assert_ptr_nonnull(strstr(err, "no \"guests\""));
	ck_assert_int_lt(swr_parse("{\"host_index\": 1, \"guests\": [{\"name\": \"x\", "
				   "\"backend\": \"warp\", "
				   "\"index\": 0, \"address\": \"198.18.1.1\"}]}", &r, err,
				   sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "known backend"));
	/* the guests are measured only inside 198.18.0.0/15 */
	ck_assert_int_lt(swr_parse("{\"host_index\": 1, \"guests\": [{\"name\": \"x\", "
				   "\"backend\": \"bridge\", "
				   "\"index\": 0, \"address\": \"10.0.0.1\"}]}", &r, err,
				   sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "\"10.0.0.1\" outside 198.18.0.0/15"));
	ck_assert_int_lt(swr_parse("{\"host_index\": 1, \"guests\": [{\"name\": \"x\", "
				   "\"backend\": \"bridge\", "
				   "\"index\": 0, \"address\": \"198.20.0.1\"}]}", &r, err,
				   sizeof(err)), 0);
	ck_assert_int_lt(swr_load("/nonexistent/serve.json", &r, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/serve.json"));
}
END_TEST

#define ARGV(...) (int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)), \
	((char *[]){__VA_ARGS__, NULL})

START_TEST(test_sweep_remote_guests_option)
{
	struct sweep_conf c = SWEEP_CONF_DEFAULT;
	char err[256];

	ck_assert_int_eq(sweep_parse_args(ARGV("sweep", "tcp_lat", "--remote-guests",
					       "/tmp/p.json"), &c, err, sizeof(err)), 0);
	ck_assert_str_eq(c.remote_guests, "/tmp/p.json");
	ck_assert(c.across_hosts); /* across machines is across hosts */
}
END_TEST

START_TEST(test_simulate_remote_guests_option)
{
	struct sim_conf c = SIM_CONF_DEFAULT;
	char err[256];

	ck_assert_int_eq(sim_parse_args(ARGV("simulate", "--vms", "4", "--remote-guests",
					     "/tmp/p.json"), &c, err, sizeof(err)), 0);
	ck_assert_str_eq(c.remote_guests, "/tmp/p.json");
	ck_assert(c.across_hosts);
	ck_assert_ptr_null(c.remote); /* loaded by sim_measure, not by the parser */
}
END_TEST

START_TEST(test_serve_options)
{
	struct serve_conf c = SERVE_CONF_DEFAULT;
	char err[256];

	ck_assert_int_eq(serve_parse_args(ARGV("serve", "--instance", "an1", "--stop"), &c, err,
					  sizeof(err)), 0);
	ck_assert_str_eq(c.instance, "an1");
	ck_assert_int_eq(c.stop, 1);
	c = (struct serve_conf)SERVE_CONF_DEFAULT;
	ck_assert_int_eq(serve_parse_args(ARGV("serve", "--backends", "vhost-user"), &c, err,
					  sizeof(err)), 0);
	ck_assert_uint_eq(c.backends, 1u << TB_BE_VHOST_USER);
	ck_assert_int_lt(serve_parse_args(ARGV("serve", "extra"), &c, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "\"extra\""));
	ck_assert_int_lt(serve_parse_args(ARGV("serve", "--backends", "warp"), &c, err,
					 sizeof(err)), 0);
}
END_TEST

START_TEST(test_nic_probe)
{
	char link[32], why[512];

	ck_assert_int_eq(up_nic_iface("net_af_xdp0,iface=ens1f0,start_queue=0", link,
				      sizeof(link)), 1);
	ck_assert_str_eq(link, "ens1f0");
	ck_assert_int_eq(up_nic_iface("0000:03:00.0", link, sizeof(link)), 0);
	ck_assert_int_eq(up_nic_iface("net_af_packet0,iface=", link, sizeof(link)), -EINVAL);
	ck_assert_int_eq(up_nic_iface("net_af_packet0,iface=abcdefghijklmnop", link,
				      sizeof(link)), -EINVAL);
	/* lo is on every machine; the others are not */
	ck_assert_int_eq(up_nic_probe("net_af_packet0,iface=lo", why, sizeof(why)), 0);
	ck_assert_int_eq(up_nic_probe("net_af_packet0,iface=tbnosuchlink", why, sizeof(why)),
			 -ENODEV);
	ck_assert_ptr_nonnull(strstr(why, "no link tbnosuchlink"));
	ck_assert_int_eq(up_nic_probe("0000:ff:1f.7", why, sizeof(why)), -ENODEV);
	ck_assert_ptr_nonnull(strstr(why, "no PCI device 0000:ff:1f.7"));
	ck_assert_int_eq(up_nic_probe("net_af_xdp0,iface=", why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "bad iface"));
}
END_TEST

static Suite *
remote_suite(void)
{
	Suite *s = suite_create("remote");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_serve_output);
	tcase_add_test(tc, test_refuses_bad_input);
	tcase_add_test(tc, test_pairs_over_machines);
	tcase_add_test(tc, test_sweep_remote_guests_option);
	tcase_add_test(tc, test_simulate_remote_guests_option);
	tcase_add_test(tc, test_serve_options);
	tcase_add_test(tc, test_nic_probe);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(remote_suite)
