/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "nat.h"
#include "ovs.h"
#include "unit.h"

START_TEST(test_socket_mem_on_one_node)
{
	char buf[64];

	vsc_ovs_socket_mem(0, 1, 1024, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1024");
	vsc_ovs_socket_mem(1, 2, 1024, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0,1024");
	vsc_ovs_socket_mem(0, 2, 512, buf, sizeof(buf));
	ck_assert_str_eq(buf, "512,0");
	/* a node id past n_nodes still gets its slot */
	vsc_ovs_socket_mem(2, 1, 256, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0,0,256");
}
END_TEST

START_TEST(test_nat_ruleset)
{
	struct vsc_nat_conf c = {
		.table = "testbed_main",
		.outer_if = "eth0",
		.outer_addr = "198.18.3.1",
		.inner_net = "198.19.0.0/24",
		.inner_addr = "198.19.0.2",
	};
	char buf[1024];

	ck_assert_int_eq(vsc_nat_ruleset(&c, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "table ip testbed_main {"));
	ck_assert_ptr_nonnull(strstr(buf, "iifname \"eth0\" ip daddr 198.18.3.1 dnat to 198.19.0.2"));
	ck_assert_ptr_nonnull(strstr(buf, "oifname \"eth0\" ip saddr 198.19.0.0/24 masquerade"));
	ck_assert_int_eq(vsc_nat_ruleset(&c, buf, 20), -ENOSPC);
}
END_TEST

static Suite *
vswitch_suite(void)
{
	Suite *s = suite_create("vswitch");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_socket_mem_on_one_node);
	tcase_add_test(tc, test_nat_ruleset);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(vswitch_suite)
