/* SPDX-License-Identifier: BSD-3-Clause */
/* Fuzz target: tp_iperf3_parse (iperf3 -J) and its JSON. */
#include "fuzz.h"
#include "toolparse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tp_iperf3 r;
	char *s = fuzz_text(data, size);

	if (s == NULL)
		return 0;
	if (tp_iperf3_parse(s, &r) == 0) {
		fuzz_check_str(r.error, sizeof(r.error));
		FUZZ_ASSERT(r.ok == (r.error[0] == '\0'));
		FUZZ_ASSERT(r.streams >= 0);
		fuzz_check_json(tp_iperf3_json(&r));
	}
	free(s);
	return 0;
}
