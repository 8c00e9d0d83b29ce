/* SPDX-License-Identifier: BSD-3-Clause */
#include "fuzz.h"
#include "toolparse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tp_qperf_all a;
	struct tp_qperf r;
	char *s = fuzz_text(data, size);
	double v;
	size_t i;

	if (s == NULL)
		return 0;
	/* the value parser on its own too: the input as one "number unit" */
	if (tp_value_unit(s, &v) == 0)
		FUZZ_ASSERT(v >= 0);
	/* every block, strictly: read, or -EINVAL with the line named */
	if (tp_qperf_parse_all(s, NULL, &a) == 0) {
		FUZZ_ASSERT(a.n > 0);
		for (i = 0; i < a.n; i++) {
			fuzz_check_str(a.b[i].r.error, sizeof(a.b[i].r.error));
			FUZZ_ASSERT(a.b[i].line > 0);
		}
		fuzz_check_str(a.error, sizeof(a.error));
		fuzz_check_json(tp_qperf_all_json(&a));
	} else {
		fuzz_check_str(a.error, sizeof(a.error));
	}
	tp_qperf_all_free(&a);
	if (tp_qperf_parse(s, &r) == 0) {
		fuzz_check_str(r.test, sizeof(r.test));
		fuzz_check_str(r.error, sizeof(r.error));
		FUZZ_ASSERT(r.ok == (r.error[0] == '\0'));
		fuzz_check_json(tp_qperf_json(&r));
	}
	free(s);
	return 0;
}
