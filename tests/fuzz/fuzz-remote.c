/* SPDX-License-Identifier: BSD-3-Clause */
/* Another machine's `serve -j` output, as `sweep`/`simulate --remote-guests` read it. */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "sweep-remote.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), err[256];
	json_t *r = NULL, *g, *mach;
	size_t i, m;
	int k;
	int ret;

	if (s == NULL)
		return 0;
	ret = swr_parse(s, &r, err, sizeof(err));
	FUZZ_ASSERT(ret == 0 || (ret == -EINVAL && r == NULL && err[0] != '\0'));
	if (ret == 0) {
		/* what the pairing relies on: every guest named, of a known backend, marked remote */
		FUZZ_ASSERT(json_array_size(r) >= 1);
		json_array_foreach(r, m, mach) {
			json_array_foreach(json_object_get(mach, "guests"), i, g) {
				FUZZ_ASSERT(json_is_string(json_object_get(g, "name")));
				FUZZ_ASSERT(json_is_string(json_object_get(g, "address")));
				FUZZ_ASSERT(strcmp(json_string_value(json_object_get(g, "kind")),
						   SWR_KIND_REMOTE) == 0);
				FUZZ_ASSERT(json_is_integer(json_object_get(g, "host_index")));
			}
		}
		for (k = 0; k < 8; k++)
			swr_server(r, TB_BE_VHOST_USER, k);
		json_decref(r);
	}
	free(s);
	return 0;
}
