/* SPDX-License-Identifier: BSD-3-Clause */
/* The state-file reader: what `down`, `status`, `sweep` and `simulate` load from the run dir. */
#include <errno.h>

#include "fuzz.h"
#include "names.h"
#include "state.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), *dump;
	const char *inst;
	json_t *st = NULL, *back = NULL;
	int ret;

	if (s == NULL)
		return 0;
	ret = tb_state_parse(s, &st);
	FUZZ_ASSERT(ret == 0 || (ret == -EINVAL && st == NULL));
	if (ret == 0) {
		/* what the loader promises its callers, and a save loads back the same */
		FUZZ_ASSERT(json_is_object(st) && json_is_array(json_object_get(st, "objects")));
		inst = json_string_value(json_object_get(st, "instance"));
		FUZZ_ASSERT(inst != NULL && tb_instance_check(inst) == 0);
		dump = json_dumps(st, JSON_INDENT(2));
		FUZZ_ASSERT(dump != NULL);
		FUZZ_ASSERT(tb_state_parse(dump, &back) == 0 && json_equal(st, back));
		free(dump);
		json_decref(back);
		json_decref(st);
	}
	free(s);
	return 0;
}
