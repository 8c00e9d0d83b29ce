/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TB_FUZZ_H
#define TB_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* libFuzzer's entry point; replay.c drives it where libFuzzer is not available. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The parsers take C strings: the input, NUL-terminated (NULs inside end it early). */
static inline char *
fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		return NULL;
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A broken invariant is a crash the fuzzer reports, in every build type. */
#define FUZZ_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

static inline void
fuzz_check_str(const char *s, size_t size)
{
	FUZZ_ASSERT(memchr(s, '\0', size) != NULL);
}

/* The JSON must exist and serialise (valid UTF-8 strings, finite numbers). */
static inline void
fuzz_check_json(json_t *j)
{
	char *dump;

	FUZZ_ASSERT(j != NULL);
	dump = json_dumps(j, JSON_COMPACT);
	FUZZ_ASSERT(dump != NULL);
	free(dump);
	json_decref(j);
}

#endif
