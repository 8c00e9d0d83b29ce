/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TB_TEST_UNIT_H
#define TB_TEST_UNIT_H

#include <stdlib.h>

#include <check.h>

/* Each test file is one program running one suite. */
#define TB_CHECK_MAIN(suite_fn)                                                                    \
	int main(void)                                                                             \
	{                                                                                          \
		SRunner *sr = srunner_create(suite_fn());                                          \
		int failed;                                                                        \
                                                                                                   \
		srunner_run_all(sr, CK_NORMAL);                                                    \
		failed = srunner_ntests_failed(sr);                                                \
		srunner_free(sr);                                                                  \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;                                       \
	}

#endif
