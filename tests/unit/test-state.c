/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "state.h"
#include "unit.h"

START_TEST(test_round_trip)
{
	char dir[] = "/tmp/tb-unit-state-XXXXXX", path[128], tmp[140];
	json_t *st, *back;
	struct stat sb;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state.json", dir);
	st = tb_state_new("main");
	json_array_append_new(json_object_get(st, "objects"),
			      json_pack("{s:s, s:i, s:I}", "kind", "process", "pid", 42, "start",
					(json_int_t)123456789012LL));
	json_object_set_new(st, "guests", json_pack("[{s:s}]", "name", "vu0"));
	ck_assert_int_eq(tb_state_save_to(path, st), 0);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	ck_assert(!tb_path_exists(tmp)); /* renamed into place */
	ck_assert_int_eq(tb_state_load_from(path, &back), 0);
	ck_assert(json_equal(st, back));
	ck_assert_int_eq(json_integer_value(json_object_get(
				 json_array_get(json_object_get(back, "objects"), 0), "start")),
			 123456789012LL);
	json_decref(back);
	json_decref(st);
	tb_rm_tree(dir);
}
END_TEST

START_TEST(test_instance_must_match_run_dir)
{
	char dir[] = "/tmp/tb-unit-state-XXXXXX", path[128];
	json_t *st = tb_state_new("a"), *back = NULL;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state.json", dir);
	ck_assert_int_eq(tb_state_save_to(path, st), 0);
	ck_assert_int_eq(tb_state_load_for(path, "a", &back), 0);
	json_decref(back);
	/* instance a's state copied into b's run dir: b must not undo a's journal */
	ck_assert_int_eq(tb_state_load_for(path, "b", &back), -EXDEV);
	ck_assert_ptr_null(back);
	json_decref(st);
	tb_rm_tree(dir);
}
END_TEST

START_TEST(test_rejects_bad_files)
{
	char dir[] = "/tmp/tb-unit-state-XXXXXX", path[128];
	json_t *st = NULL;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state.json", dir);
	ck_assert_int_eq(tb_state_load_from(path, &st), -ENOENT);
	ck_assert_int_eq(tb_write_atomic(path, "{\"schema\": 1", 12, 0600), 0);
	ck_assert_int_eq(tb_state_load_from(path, &st), -EINVAL);
	ck_assert_int_eq(tb_write_atomic(path, "{\"schema\": 99, \"objects\": []}", 29, 0600), 0);
	ck_assert_int_eq(tb_state_load_from(path, &st), -EINVAL);
	ck_assert_int_eq(tb_write_atomic(path, "[]", 2, 0600), 0);
	ck_assert_int_eq(tb_state_load_from(path, &st), -EINVAL);
	ck_assert_ptr_null(st);
	tb_rm_tree(dir);
}
END_TEST

/* The loader's checks on text: a later save needs a valid instance to name the run dir. */
START_TEST(test_parse)
{
	json_t *st = NULL;

	ck_assert_int_eq(tb_state_parse("{\"schema\": 1, \"instance\": \"main\", \"objects\": []}",
					&st), 0);
	ck_assert_ptr_nonnull(st);
	json_decref(st);
	st = NULL;
	ck_assert_int_eq(tb_state_parse("{\"schema\": 1, \"objects\": []}", &st), -EINVAL);
	ck_assert_int_eq(tb_state_parse("{\"schema\": 1, \"instance\": \"../x\", \"objects\": []}",
					&st), -EINVAL);
	ck_assert_int_eq(tb_state_parse("", &st), -EINVAL);
	ck_assert_ptr_null(st);
}
END_TEST

static Suite *
state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_rejects_bad_files);
	tcase_add_test(tc, test_instance_must_match_run_dir);
	tcase_add_test(tc, test_parse);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(state_suite)
