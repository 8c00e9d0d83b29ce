/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "backend.h"
#include "hosts.h"
#include "names.h"
#include "unit.h"

/* Every guest address lies in 198.18.0.0/15 and no two guests share one. */
START_TEST(test_guest_addresses_in_benchmark_range)
{
	struct in_addr a;
	char buf[32], seen[TB_BE_COUNT * TB_ADDR_MAX_GUESTS][32];
	int be, i, j, n = 0;

	for (be = 0; be < TB_BE_COUNT; be++) {
		for (i = 0; i < TB_ADDR_MAX_GUESTS; i++) {
			ck_assert_int_eq(tb_addr_guest(be, i, buf, sizeof(buf)), 0);
			ck_assert_int_eq(inet_pton(AF_INET, buf, &a), 1);
			ck_assert_uint_eq(ntohl(a.s_addr) & 0xfffe0000u, 0xc6120000u);
			/* a plain compare: a million ck_asserts cost seconds in check's fork mode */
			for (j = 0; j < n; j++)
				if (strcmp(seen[j], buf) == 0)
					ck_abort_msg("guest address %s given twice", buf);
			strcpy(seen[n++], buf);
		}
	}
	ck_assert_int_eq(tb_addr_guest(TB_BE_BRIDGE, TB_ADDR_MAX_GUESTS, buf, sizeof(buf)), -ERANGE);
	tb_addr_guest(TB_BE_VHOST_USER, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "198.18.1.1");
	inet_pton(AF_INET, tb_addr_masq_inner(), &a);
	ck_assert_uint_eq(ntohl(a.s_addr) & 0xfffe0000u, 0xc6120000u);
}
END_TEST

/* Guests split evenly over hosts; pairs of a scope never mix the placements. */
START_TEST(test_host_pairs)
{
	int p[16][2], n, k;
	char buf[32];

	ck_assert_int_eq(tb_guest_host(0, 2), 0);
	ck_assert_int_eq(tb_guest_host(3, 2), 1);
	ck_assert_int_eq(tb_guest_host(3, 1), 0);
	/* one host: (0,1), (2,3), as before there were hosts */
	n = tb_guest_pairs(4, 1, TB_SCOPE_SAME_HOST, p, 16);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(p[0][0], 0);
	ck_assert_int_eq(p[0][1], 1);
	ck_assert_int_eq(p[1][0], 2);
	ck_assert_int_eq(p[1][1], 3);
	ck_assert_int_eq(tb_guest_pairs(4, 1, TB_SCOPE_ACROSS_HOSTS, p, 16), 0);
	/* two hosts, 8 guests: same host (0,2) (1,3) (4,6) (5,7); across (0,1) (2,3) ... */
	n = tb_guest_pairs(8, 2, TB_SCOPE_SAME_HOST, p, 16);
	ck_assert_int_eq(n, 4);
	for (k = 0; k < n; k++)
		ck_assert_int_eq(tb_guest_host(p[k][0], 2), tb_guest_host(p[k][1], 2));
	ck_assert_int_eq(p[2][0], 4);
	ck_assert_int_eq(p[2][1], 6);
	n = tb_guest_pairs(8, 2, TB_SCOPE_ACROSS_HOSTS, p, 16);
	ck_assert_int_eq(n, 4);
	for (k = 0; k < n; k++)
		ck_assert_int_ne(tb_guest_host(p[k][0], 2), tb_guest_host(p[k][1], 2));
	/* two hosts, 2 guests: one on each, so no same-host pair */
	ck_assert_int_eq(tb_guest_pairs(2, 2, TB_SCOPE_SAME_HOST, p, 16), 0);
	ck_assert_int_eq(tb_guest_pairs(6, 2, TB_SCOPE_SAME_HOST, p, 16), 2);
	ck_assert_int_eq(tb_guest_pairs(8, 2, TB_SCOPE_ACROSS_HOSTS, p, 3), 3);
	ck_assert_int_eq(tb_guest_pairs(4, 3, TB_SCOPE_SAME_HOST, p, 16), -EINVAL);
	ck_assert_str_eq(tb_scope_name(TB_SCOPE_ACROSS_HOSTS), "across_hosts");
	tb_host_tag(1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "host1");
	tb_host_tag(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "host");
	tb_addr_host(1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "198.18.0.2");
}
END_TEST

/*
 * Real machines (`up --nic --host-index K`), every K: machine K's guests lie in the backend's
 * /24 of 198.18.0.0/15, no address twice over all machines, past the last guest or machine
 * -ERANGE.
 */
START_TEST(test_machine_addresses)
{
	static char seen[TB_ADDR_MAX_MACHINES * TB_ADDR_MACHINE_GUESTS][32];
	char buf[32], net[32];
	struct in_addr a;
	int k, i, j, n = 0, be;
	unsigned int host;

	for (be = 0; be < TB_BE_COUNT; be++) {
		n = 0;
		snprintf(net, sizeof(net), "198.18.%d.", 1 + be);
		for (k = 0; k < TB_ADDR_MAX_MACHINES; k++) {
			for (i = 0; i < TB_ADDR_MACHINE_GUESTS; i++) {
				ck_assert_int_eq(tb_addr_machine_guest(be, k, i, buf, sizeof(buf)),
						 0);
				ck_assert_int_eq(inet_pton(AF_INET, buf, &a), 1);
				ck_assert_uint_eq(ntohl(a.s_addr) & 0xfffe0000u, 0xc6120000u);
				if (strncmp(buf, net, strlen(net)) != 0)
					ck_abort_msg("machine %d guest %d: %s not in %s0/24", k, i,
						     buf, net);
				/* neither the network nor the broadcast address */
				host = ntohl(a.s_addr) & 0xff;
				if (host == 0 || host == 255)
					ck_abort_msg("machine %d guest %d: %s", k, i, buf);
				for (j = 0; j < n; j++)
					if (strcmp(seen[j], buf) == 0)
						ck_abort_msg("address %s given twice", buf);
				strcpy(seen[n++], buf);
			}
			ck_assert_int_eq(tb_addr_machine_guest(be, k, TB_ADDR_MACHINE_GUESTS, buf,
							       sizeof(buf)), -ERANGE);
		}
	}
	ck_assert_int_eq(tb_addr_machine_guest(TB_BE_VHOST_USER, TB_ADDR_MAX_MACHINES, 0, buf,
					       sizeof(buf)), -ERANGE);
	ck_assert_int_eq(tb_addr_machine_index(-1, 0), -ERANGE);
	/* machine 0 keeps the one-machine addresses; machine 1 starts after 31 guests */
	tb_addr_machine_guest(TB_BE_VHOST_USER, 0, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "198.18.1.1");
	tb_addr_machine_guest(TB_BE_VHOST_USER, 1, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "198.18.1.32");
	tb_addr_machine_guest(TB_BE_BRIDGE, 7, 30, buf, sizeof(buf));
	ck_assert_str_eq(buf, "198.18.2.248");
}
END_TEST

START_TEST(test_backend_list)
{
	unsigned int mask;
	char err[128], buf[32];

	ck_assert_int_eq(tb_backend_parse_list("masquerade", &mask, err, sizeof(err)), 0);
	ck_assert_uint_eq(mask, 1u << TB_BE_MASQUERADE);
	ck_assert_int_eq(tb_backend_parse_list("vhost-user,bridge,masquerade", &mask, err, sizeof(err)), 0);
	ck_assert_uint_eq(mask, TB_BE_DEFAULT);
	ck_assert_int_eq(tb_backend_parse_list("all", &mask, err, sizeof(err)), 0);
	ck_assert_uint_eq(mask, TB_BE_ALL);
	ck_assert_int_eq(tb_backend_parse_list("vhost-net,user,macvtap,tap", &mask, err, sizeof(err)), 0);
	ck_assert_uint_eq(mask, TB_BE_ALL & ~TB_BE_DEFAULT);
	ck_assert_int_lt(tb_backend_parse_list("bridge,ovs", &mask, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "unknown backend \"ovs\" (valid: vhost-user, bridge, masquerade, tap, "
			      "macvtap, vhost-net, user)");
	ck_assert_str_eq(tb_backend_name(TB_BE_VHOST_NET), "vhost-net");
	ck_assert_str_eq(tb_backend_tag(TB_BE_MACVTAP), "mv");
	ck_assert_int_eq(tb_backend_from_name("user"), TB_BE_USER);
	tb_addr_guest(TB_BE_MACVTAP, 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "198.18.5.2");
	ck_assert_str_eq(tb_backend_name(TB_BE_VHOST_USER), "vhost-user");
}
END_TEST

START_TEST(test_names)
{
	char buf[64];

	ck_assert_int_eq(tb_instance_check("main"), 0);
	ck_assert_int_eq(tb_instance_check("a1"), 0);
	ck_assert_int_lt(tb_instance_check(""), 0);
	ck_assert_int_lt(tb_instance_check("1a"), 0);
	ck_assert_int_lt(tb_instance_check("a-b"), 0);
	ck_assert_int_lt(tb_instance_check("abcdefghi"), 0);
	ck_assert_int_eq(tb_link_name(buf, sizeof(buf), "main", "t0"), 0);
	ck_assert_str_eq(buf, "tbmain-t0");
	/* the longest instance with the longest suffix still fits IFNAMSIZ */
	ck_assert_int_eq(tb_link_name(buf, sizeof(buf), "abcdefgh", "t63"), 0);
	ck_assert_int_le(strlen(buf), 15);
	ck_assert_int_eq(tb_link_name(buf, sizeof(buf), "abcdefgh", "toolong"), -ENAMETOOLONG);
	ck_assert_int_eq(tb_link_name_check("ens1f0"), 0);
	ck_assert_int_eq(tb_link_name_check("abcdefghijklmno"), 0);
	ck_assert_int_eq(tb_link_name_check("abcdefghijklmnop"), -EINVAL);
	ck_assert_int_eq(tb_link_name_check(""), -EINVAL);
	ck_assert_int_eq(tb_link_name_check(".."), -EINVAL);
	ck_assert_int_eq(tb_link_name_check("a b"), -EINVAL);
	ck_assert_int_eq(tb_link_name_check("eth0:1"), -EINVAL);
	ck_assert_int_eq(tb_ns_name(buf, sizeof(buf), "main", "vu0"), 0);
	ck_assert_str_eq(buf, "tb-main-vu0");
	ck_assert_int_eq(tb_run_path(buf, sizeof(buf), "main", "state.json"), 0);
	ck_assert_str_eq(buf, "/run/testbed/main/state.json");
	ck_assert_int_eq(tb_run_path(buf, 10, "main", "state.json"), -ENAMETOOLONG);
}
END_TEST

/* Every socket below a run dir fits sun_path, or up refuses before making anything. */
START_TEST(test_run_dir_sockets)
{
	char dir[200], err[512];

	/* the longest names the testbed gives sockets below its run dir */
	ck_assert_int_le(strlen("ovs-h9/ovsdb-server.ctl"), TB_RUN_SOCK_NAME_MAX);
	ck_assert_int_le(strlen("vq99.agent0.sock"), TB_RUN_SOCK_NAME_MAX);
	ck_assert_int_eq(tb_run_path(dir, sizeof(dir), "abcdefgh", NULL), 0);
	ck_assert_int_eq(tb_run_dir_sock_check(dir, err, sizeof(err)), 0);
	/* 74 bytes + "/" + 32 = 107 fits; one more does not */
	memset(dir, 'd', 74);
	dir[0] = '/';
	dir[74] = '\0';
	ck_assert_int_eq(tb_run_dir_sock_check(dir, err, sizeof(err)), 0);
	strcat(dir, "x");
	ck_assert_int_eq(tb_run_dir_sock_check(dir, err, sizeof(err)), -ENAMETOOLONG);
	ck_assert_msg(strstr(err, "is 75 bytes long") != NULL && strstr(err, "at most 74 bytes"),
		      "%s", err);
}
END_TEST

static Suite *
addr_suite(void)
{
	Suite *s = suite_create("addr");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_guest_addresses_in_benchmark_range);
	tcase_add_test(tc, test_backend_list);
	tcase_add_test(tc, test_machine_addresses);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_run_dir_sockets);
	tcase_add_test(tc, test_host_pairs);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(addr_suite)
