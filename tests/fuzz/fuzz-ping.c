/* SPDX-License-Identifier: BSD-3-Clause */
/* Fuzz target: tp_ping_parse (iputils and busybox ping) and its JSON. */
#include "fuzz.h"
#include "toolparse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tp_ping r;
	char *s = fuzz_text(data, size);
	size_t i;

	if (s == NULL)
		return 0;
	if (tp_ping_parse(s, &r) == 0) {
		fuzz_check_str(r.error, sizeof(r.error));
		FUZZ_ASSERT(r.ok == (r.error[0] == '\0'));
		FUZZ_ASSERT(r.duplicates >= 0);
		FUZZ_ASSERT(r.n_rtt == 0 || r.rtt_us != NULL);
		for (i = 0; i < r.n_rtt; i++)
			FUZZ_ASSERT(r.rtt_us[i] >= 0);
		fuzz_check_json(tp_ping_json(&r));
		tp_ping_free(&r);
	}
	free(s);
	return 0;
}
