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
	"{\"instance\": \"an1\", \"host_index\": 1, \"qperf_port\": \"19765\", \"guests\": ["    \
	"{\"name\": \"vu0\", \"backend\": \"vhost-user\", \"index\": 0, \"address\": "          \
	"\"198.18.1.129\"}, {\"name\": \"vu1\", \"backend\": \"vhost-user\", \"index\": 1, "    \
	"\"address\": \"198.18.1.130\"}, {\"name\": \"br0\", \"backend\": \"bridge\", \"index\": " \
	"0, \"address\": \"198.19.2.129\"}]}"

START_TEST(test_parse_serve_output)
{
	char err[256] = "";
	json_t *r = NULL, *g;

	ck_assert_int_eq(swr_parse(SERVE_OUT, &r, err, sizeof(err)), 0);
	g = swr_server(r, TB_BE_VHOST_USER, 0);
	ck_assert_ptr_nonnull(g);
	ck_assert_str_eq(json_string_value(json_object_get(g, "address")), "198.18.1.129");
	ck_assert_str_eq(json_string_value(json_object_get(g, "kind")), SWR_KIND_REMOTE);
	g = swr_server(r, TB_BE_VHOST_USER, 1);
	ck_assert_str_eq(json_string_value(json_object_get(g, "name")), "vu1");
	ck_assert_ptr_null(swr_server(r, TB_BE_MASQUERADE, 0));
	json_decref(r);
}
END_TEST

START_TEST(test_refuses_bad_input)
{
	char err[256];
	json_t *r = NULL;

	ck_assert_int_lt(swr_parse("not json", &r, err, sizeof(err)), 0);
	ck_assert_ptr_null(r);
	ck_assert_ptr_nonnull(strstr(err, "serve"));
	ck_assert_int_lt(swr_parse("{\"guests\": []}", &r, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "no \"guests\""));
	ck_assert_int_lt(swr_parse("{\"guests\": [{\"name\": \"x\", \"backend\": \"warp\", "
				   "\"index\": 0, \"address\": \"198.18.1.1\"}]}", &r, err,
				   sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "known backend"));
	/* the guests are measured only inside 198.18.0.0/15 */
	ck_assert_int_lt(swr_parse("{\"guests\": [{\"name\": \"x\", \"backend\": \"bridge\", "
				   "\"index\": 0, \"address\": \"10.0.0.1\"}]}", &r, err,
				   sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "\"10.0.0.1\" outside 198.18.0.0/15"));
	ck_assert_int_lt(swr_parse("{\"guests\": [{\"name\": \"x\", \"backend\": \"bridge\", "
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
	tcase_add_test(tc, test_sweep_remote_guests_option);
	tcase_add_test(tc, test_simulate_remote_guests_option);
	tcase_add_test(tc, test_serve_options);
	tcase_add_test(tc, test_nic_probe);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(remote_suite)
