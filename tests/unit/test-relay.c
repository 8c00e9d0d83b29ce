/* SPDX-License-Identifier: BSD-3-Clause */
/* The tap/macvtap relay's port arguments (its forwarding runs in the system tests). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "relay.h"
#include "unit.h"

START_TEST(test_ports)
{
	static struct vm_relay_conf c;
	char err[256];

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(vm_relay_parse_port(&c, "tbmain-pg0,tap:tbmain-p0", err, sizeof(err)), 0);
	ck_assert_int_eq(vm_relay_parse_port(&c, "tbmain-vg1,macvtap:/run/testbed/main/v1.tap", err,
					     sizeof(err)),
			 0);
	ck_assert_int_eq(c.n_ports, 2);
	ck_assert_str_eq(c.port[0].guest_tap, "tbmain-pg0");
	ck_assert_int_eq(c.port[0].kind, VM_RELAY_HOST_TAP);
	ck_assert_str_eq(c.port[0].host, "tbmain-p0");
	ck_assert_int_eq(c.port[1].kind, VM_RELAY_HOST_MACVTAP);
	ck_assert_str_eq(c.port[1].host, "/run/testbed/main/v1.tap");
	ck_assert_int_eq(c.port[1].fd[0], -1);
}
END_TEST

START_TEST(test_bad_ports)
{
	static struct vm_relay_conf c;
	char err[256];
	int i;

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(vm_relay_parse_port(&c, "tbg0", err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "--port \"tbg0\": expected GUEST_TAP,tap:HOST_TAP or "
			      "GUEST_TAP,macvtap:PATH");
	ck_assert_int_eq(vm_relay_parse_port(&c, ",tap:x", err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "--port \",tap:x\": guest tap name must be 1-15 printable characters "
			      "without '/', ':', '%' or ','");
	ck_assert_int_eq(vm_relay_parse_port(&c, "a%d,tap:x", err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(vm_relay_parse_port(&c, "a234567890123456,tap:x", err, sizeof(err)),
			 -EINVAL);
	ck_assert_int_eq(vm_relay_parse_port(&c, "g0,veth:x", err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "--port \"g0,veth:x\": host side \"veth:x\" is neither tap:NAME (1-15 "
			      "characters) nor macvtap:/ABSOLUTE/PATH");
	ck_assert_int_eq(vm_relay_parse_port(&c, "g0,macvtap:rel/path", err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(vm_relay_parse_port(&c, "g0,tap:", err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(c.n_ports, 0);
	ck_assert_int_eq(vm_relay_parse_port(&c, "g0,tap:h0", err, sizeof(err)), 0);
	ck_assert_int_eq(vm_relay_parse_port(&c, "g0,tap:h1", err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "--port \"g0,tap:h1\": a device already used by another --port");
	ck_assert_int_eq(vm_relay_parse_port(&c, "g1,tap:h0", err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(c.n_ports, 1);
	for (i = 1; i < VM_RELAY_MAX_PORTS; i++) {
		char arg[64];

		snprintf(arg, sizeof(arg), "g%d,tap:h%d", i, i);
		ck_assert_int_eq(vm_relay_parse_port(&c, arg, err, sizeof(err)), 0);
	}
	ck_assert_int_eq(vm_relay_parse_port(&c, "gx,tap:hx", err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "--port \"gx,tap:hx\": too many ports (at most 32)");
}
END_TEST

static Suite *
relay_suite(void)
{
	Suite *s = suite_create("relay");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_ports);
	tcase_add_test(tc, test_bad_ports);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(relay_suite)
