/* SPDX-License-Identifier: BSD-3-Clause */
/* The backend table (instance/backends.c): one complete row per backend, in enum order. */
#include <string.h>

#include "backends.h"
#include "unit.h"

START_TEST(test_one_row_per_backend)
{
	int be, n;
	size_t i;

	ck_assert_uint_eq(ib_n_backends, TB_BE_COUNT);
	for (be = 0; be < TB_BE_COUNT; be++) {
		for (n = 0, i = 0; i < ib_n_backends; i++)
			n += ib_backends[i]->be == (enum tb_backend)be;
		ck_assert_msg(n == 1, "backend %s has %d rows", tb_backend_name(be), n);
		ck_assert_ptr_nonnull(ib_be_ops(be));
		ck_assert_int_eq(ib_be_ops(be)->be, be);
	}
	ck_assert_ptr_null(ib_be_ops(TB_BE_COUNT));
}
END_TEST

/* The table is the report order, which is the enum's. */
START_TEST(test_rows_in_enum_order)
{
	size_t i;

	for (i = 0; i < ib_n_backends; i++)
		ck_assert_msg(ib_backends[i]->be == (enum tb_backend)i, "row %zu is backend %s", i,
			      tb_backend_name(ib_backends[i]->be));
}
END_TEST

START_TEST(test_rows_complete)
{
	struct ib_doctor d = {.root = false, .qemu = false};
	size_t i;

	d.tun = d.veth = d.bridge = d.nat = (struct probe){false, "not probed: needs root"};
	for (i = 0; i < ib_n_backends; i++) {
		const struct ib_backend *b = ib_backends[i];
		json_t *v;

		ck_assert_ptr_nonnull(b->name);
		ck_assert_str_eq(b->name, tb_backend_name(b->be));
		ck_assert_msg(b->runs != NULL, "%s: no probe", b->name);
		ck_assert_msg(b->doctor != NULL, "%s: no doctor line", b->name);
		/* a backend `up` builds can be grown by simulate, and the other way round */
		ck_assert_msg((b->build == NULL) == (b->grow == NULL), "%s: build without grow",
			      b->name);
		/* without root nothing is probed that makes links: every row still says why */
		v = b->doctor(b, &d);
		ck_assert_ptr_nonnull(v);
		ck_assert_msg(json_is_boolean(json_object_get(v, "runs")), "%s: no runs", b->name);
		ck_assert_msg(json_string_length(json_object_get(v, "why")) > 0,
			      "%s: no doctor text", b->name);
		json_decref(v);
	}
}
END_TEST

START_TEST(test_flags)
{
	unsigned int vu = 1u << TB_BE_VHOST_USER;

	/* guests on the kernel bridge (a host's address goes there too) */
	ck_assert_uint_eq(ib_mask(IB_ON_BRIDGE), (1u << TB_BE_BRIDGE) | (1u << TB_BE_MASQUERADE) |
							 (1u << TB_BE_TAP) |
							 (1u << TB_BE_VHOST_NET));
	ck_assert_uint_eq(ib_flags(vu) & (IB_PMD_CORES | IB_SWITCH_MEM | IB_SHIM),
			  IB_PMD_CORES | IB_SWITCH_MEM | IB_SHIM);
	ck_assert_uint_eq(ib_flags(TB_BE_ALL & ~vu) & (IB_PMD_CORES | IB_SWITCH_MEM | IB_SHIM), 0);
	ck_assert_uint_eq(ib_flags(0), 0);
}
END_TEST

/* Which journaled processes carry a backend's frames (guest_path_down's check). */
START_TEST(test_path_roles)
{
	const struct ib_backend *vu = ib_be_ops(TB_BE_VHOST_USER), *tp = ib_be_ops(TB_BE_TAP);
	const struct ib_backend *mv = ib_be_ops(TB_BE_MACVTAP);

	ck_assert_str_eq(vu->path_role("ovs-vswitchd"), "switch");
	ck_assert_str_eq(vu->path_role("switch-h1"), "switch");
	ck_assert_str_eq(vu->path_role("shim1"), "guest side");
	ck_assert_ptr_null(vu->path_role("relay-tp0"));
	ck_assert_ptr_null(vu->path_role(NULL));
	ck_assert_str_eq(tp->path_role("relay-tp2"), "guest side");
	ck_assert_ptr_null(tp->path_role("relay-mv0"));
	ck_assert_ptr_null(tp->path_role(NULL));
	ck_assert_str_eq(mv->path_role("relay-mv0"), "guest side");
	/* the kernel carries these: nothing to check */
	ck_assert_ptr_null(ib_be_ops(TB_BE_BRIDGE)->path_role);
	ck_assert_ptr_null(ib_be_ops(TB_BE_MASQUERADE)->path_role);
	ck_assert_ptr_null(ib_be_ops(TB_BE_VHOST_NET)->path_role);
}
END_TEST

static Suite *
backends_suite(void)
{
	Suite *s = suite_create("backends");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_one_row_per_backend);
	tcase_add_test(tc, test_rows_in_enum_order);
	tcase_add_test(tc, test_rows_complete);
	tcase_add_test(tc, test_flags);
	tcase_add_test(tc, test_path_roles);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(backends_suite)
