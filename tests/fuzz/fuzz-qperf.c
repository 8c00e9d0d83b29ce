/* SPDX-License-Identifier: BSD-3-Clause */
#include "fuzz.h"
#include "toolparse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tp_qperf r;
	char *s = fuzz_text(data, size);
	double v;

	if (s == NULL)
		return 0;
	/* the value parser on its own too: the input as one "number unit" */
	if (tp_value_unit(s, &v) == 0)
		FUZZ_ASSERT(v >= 0);
	if (tp_qperf_parse(s, &r) == 0) {
		fuzz_check_str(r.test, sizeof(r.test));
		fuzz_check_str(r.error, sizeof(r.error));
		FUZZ_ASSERT(r.ok == (r.error[0] == '\0'));
		fuzz_check_json(tp_qperf_json(&r));
	}
	free(s);
	return 0;
}
