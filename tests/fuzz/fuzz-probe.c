/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench path's parsers of outside bytes: the stamp test testbed-pmd runs on every guest frame
 * (pmd/probe-stamps.h), a reply datagram, a line of the probe tool's CSV, and the hop
 * arithmetic on what they give. The frame sits in a buffer of exactly its length.
 */
#include <errno.h>

#include "bench-path.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	double us[BPATH_N_HOPS];
	int end[BPATH_N_HOPS], slot, n, i;
	struct bpath_sample s;
	uint8_t *f = malloc(size ? size : 1);
	char *text;

	if (f == NULL)
		return 0;
	memcpy(f, data, size);
	for (slot = 0; slot < PROBE_N_SLOTS; slot++) {
		unsigned int off = probe_stamp_off(f, (uint32_t)size, slot);

		FUZZ_ASSERT(off == 0 || off + 8 <= size);
		probe_stamp(f, (uint32_t)size, slot, 12345);
	}
	if (bpath_sample_from_reply(data, size, &s)) {
		n = bpath_hops(&s, us, end);
		for (i = 0; n > 0 && i < BPATH_N_HOPS; i++)
			FUZZ_ASSERT(end[i] == -1 || (end[i] > i && end[i] < BPATH_N_POINTS));
	}
	free(f);
	text = fuzz_text(data, size);
	if (text != NULL && bpath_csv_parse(text, &s) == 0) {
		n = bpath_hops(&s, us, end);
		FUZZ_ASSERT(n == -EINVAL || (n >= 1 && n <= BPATH_N_HOPS));
	}
	free(text);
	return 0;
}
