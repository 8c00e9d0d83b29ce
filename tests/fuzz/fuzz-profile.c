/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>

#include "fuzz.h"
#include "profile.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm_profile p;
	char err[256];
	json_t *j;
	char *s = fuzz_text(data, size);
	int ret;

	if (s == NULL)
		return 0;
	ret = vm_profile_parse_string(s, "fuzz.ini", &p, err, sizeof(err));
	fuzz_check_str(err, sizeof(err));
	fuzz_check_str(p.name, sizeof(p.name));
	fuzz_check_str(p.description, sizeof(p.description));
	if (ret == 0) {
		FUZZ_ASSERT(err[0] == '\0');
		FUZZ_ASSERT(p.kind == VM_KIND_NETNS || p.kind == VM_KIND_QEMU);
		FUZZ_ASSERT(p.vcpus >= 1 && p.vcpus <= 64);
		FUZZ_ASSERT(p.kind == VM_KIND_NETNS ? p.memory_mb == 0
						    : p.memory_mb >= 64 && p.memory_mb <= 65536);
		FUZZ_ASSERT(p.queues >= 1 && p.queues <= 8);
		FUZZ_ASSERT(p.rx_queue_size >= 256 && p.rx_queue_size <= 1024 &&
			    (p.rx_queue_size & (p.rx_queue_size - 1)) == 0);
		FUZZ_ASSERT(p.tx_queue_size >= 256 && p.tx_queue_size <= 1024 &&
			    (p.tx_queue_size & (p.tx_queue_size - 1)) == 0);
	} else {
		/* one message naming the file, printable so it goes out as JSON too */
		FUZZ_ASSERT(ret == -EINVAL || ret == -ENOMEM);
		FUZZ_ASSERT(strncmp(err, "fuzz.ini", 8) == 0);
		j = json_string(err);
		FUZZ_ASSERT(j != NULL);
		json_decref(j);
	}
	free(s);
	return 0;
}
