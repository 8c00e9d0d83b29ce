/* SPDX-License-Identifier: BSD-3-Clause */
#include "fuzz.h"
#include "toolparse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tp_mtr r;
	char *s = fuzz_text(data, size);
	int i;

	if (s == NULL)
		return 0;
	if (tp_mtr_parse(s, &r) == 0) {
		fuzz_check_str(r.error, sizeof(r.error));
		FUZZ_ASSERT(r.ok == (r.error[0] == '\0'));
		FUZZ_ASSERT(r.n_hops >= 0 && r.n_hops <= TP_MTR_MAX_HOPS);
		FUZZ_ASSERT(!r.ok || r.n_hops > 0);
		for (i = 0; i < r.n_hops; i++)
			fuzz_check_str(r.hop[i].host, sizeof(r.hop[i].host));
		fuzz_check_json(tp_mtr_json(&r));
	}
	free(s);
	return 0;
}
