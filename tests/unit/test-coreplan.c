/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "coreplan.h"
#include "unit.h"

/* A host of n_nodes nodes, cores_per_node cores each, CPUs numbered node by node. */
static void
host(struct topo *t, int n_nodes, int cores_per_node)
{
	int i, j;

	memset(t, 0, sizeof(*t));
	t->n_nodes = n_nodes;
	for (i = 0; i < n_nodes; i++) {
		t->node[i].id = i;
		t->node[i].n_cores = cores_per_node;
		t->node[i].n_pus = cores_per_node;
		for (j = 0; j < cores_per_node; j++)
			t->node[i].core_cpu[j] = i * cores_per_node + j;
	}
	t->n_cores = t->n_pus = n_nodes * cores_per_node;
}

/* This host: 1 node, 2 cores; 3 backends x 2 guests, 1 PMD, the shim. */
START_TEST(test_two_cores_oversubscribed)
{
	struct cp_conf c = {.n_pmd = 1, .n_guests = 6, .shim = true};
	struct topo t;
	struct cp_plan p;
	int i;

	host(&t, 1, 2);
	ck_assert_int_eq(cp_plan_make(&t, 0, &c, &p), 0);
	ck_assert(p.oversubscribed);
	ck_assert_int_eq(p.cores_needed, 9);
	ck_assert_int_eq(p.cores_available, 2);
	ck_assert_int_eq(p.n_pmd, 1);
	ck_assert_int_eq(p.pmd[0], 1); /* the PMD keeps a core of its own */
	ck_assert_int_eq(p.housekeeping, 0);
	ck_assert_int_eq(p.shim, 0);
	for (i = 0; i < 6; i++)
		ck_assert_int_eq(p.guest[i], 0);
}
END_TEST

/* The same with --guest-cores all: a pair's two guests on different cores, the PMD's too. */
START_TEST(test_two_cores_guests_on_all)
{
	struct cp_conf c = {.n_pmd = 1, .n_guests = 6, .guests_on_all = true};
	struct topo t;
	struct cp_plan p;
	int i;

	host(&t, 1, 2);
	ck_assert_int_eq(cp_plan_make(&t, 0, &c, &p), 0);
	ck_assert(p.oversubscribed && p.guests_on_all);
	ck_assert_int_eq(p.pmd[0], 1);
	ck_assert_int_eq(p.housekeeping, 0);
	for (i = 0; i < 6; i++)
		ck_assert_int_eq(p.guest[i], i % 2);
	/* one core: nothing to spread over */
	host(&t, 1, 1);
	ck_assert_int_eq(cp_plan_make(&t, 0, &c, &p), 0);
	ck_assert(!p.guests_on_all);
	ck_assert_int_eq(p.guest[1], 0);
	/* enough cores: every guest its own core, whatever the option says */
	host(&t, 1, 8);
	ck_assert_int_eq(cp_plan_make(&t, 0, &c, &p), 0);
	ck_assert(!p.oversubscribed && !p.guests_on_all);
	for (i = 0; i < 6; i++)
		ck_assert_int_eq(p.guest[i], 2 + i);
}
END_TEST

START_TEST(test_one_core)
{
	struct cp_conf c = {.n_pmd = 2, .n_guests = 2, .shim = true};
	struct topo t;
	struct cp_plan p;

	host(&t, 1, 1);
	ck_assert_int_eq(cp_plan_make(&t, 0, &c, &p), 0);
	ck_assert(p.oversubscribed);
	ck_assert_int_eq(p.n_pmd, 1);
	ck_assert_int_eq(p.pmd[0], 0);
	ck_assert_int_eq(p.guest[1], 0);
}
END_TEST

/* The Virtink hosts: 2 nodes x 20 cores; every PMD and guest gets its own core. */
START_TEST(test_virtink_node1_dedicated)
{
	struct cp_conf c = {.n_pmd = 1, .n_guests = 14, .shim = true};
	struct topo t;
	struct cp_plan p;
	int i;

	host(&t, 2, 20);
	ck_assert_int_eq(cp_plan_make(&t, 1, &c, &p), 0);
	ck_assert(!p.oversubscribed);
	ck_assert_int_eq(p.housekeeping, 20);
	ck_assert_int_eq(p.pmd[0], 21);
	ck_assert_int_eq(p.shim, 22);
	for (i = 0; i < 14; i++)
		ck_assert_int_eq(p.guest[i], 23 + i);
}
END_TEST

START_TEST(test_virtink_oversubscribed_spares_pmd)
{
	struct cp_conf c = {.n_pmd = 1, .n_guests = 42, .shim = true};
	struct topo t;
	struct cp_plan p;
	int i;

	host(&t, 2, 20);
	ck_assert_int_eq(cp_plan_make(&t, 0, &c, &p), 0);
	ck_assert(p.oversubscribed);
	ck_assert_int_eq(p.pmd[0], 19);
	for (i = 0; i < 42; i++) {
		ck_assert_int_ne(p.guest[i], 19);
		ck_assert_int_ge(p.guest[i], 0);
		ck_assert_int_lt(p.guest[i], 19);
	}
}
END_TEST

START_TEST(test_bad_node)
{
	struct cp_conf c = {.n_pmd = 1, .n_guests = 2};
	struct topo t;
	struct cp_plan p;

	host(&t, 1, 2);
	ck_assert_int_eq(cp_plan_make(&t, 7, &c, &p), -ENODEV);
}
END_TEST

START_TEST(test_masks)
{
	char buf[300];

	ck_assert_int_eq(cp_mask_str((int[]){1}, 1, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "0x2");
	ck_assert_int_eq(cp_mask_str((int[]){0, 21}, 2, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "0x200001");
	ck_assert_int_eq(cp_mask_str((int[]){64}, 1, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "0x10000000000000000");
	ck_assert_int_eq(cp_mask_str((int[]){-1}, 1, buf, sizeof(buf)), -EINVAL);
}
END_TEST

static Suite *
coreplan_suite(void)
{
	Suite *s = suite_create("coreplan");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_two_cores_oversubscribed);
	tcase_add_test(tc, test_two_cores_guests_on_all);
	tcase_add_test(tc, test_one_core);
	tcase_add_test(tc, test_virtink_node1_dedicated);
	tcase_add_test(tc, test_virtink_oversubscribed_spares_pmd);
	tcase_add_test(tc, test_bad_node);
	tcase_add_test(tc, test_masks);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(coreplan_suite)
