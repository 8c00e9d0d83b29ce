/* SPDX-License-Identifier: BSD-3-Clause */
/* OVS's text output (ovs-appctl dpif-netdev/pmd-stats-show) -> numbers, for `bench switch`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "toolparse.h"

int
tp_ovs_processing_cycles(const char *text, double *cycles)
{
	static const char key[] = "processing cycles:";
	const char *p = text;
	int found = 0;

	*cycles = 0;
	while (p != NULL && (p = strstr(p, key)) != NULL) {
		char *end;
		double v = strtod(p + sizeof(key) - 1, &end);

		if (end != p + sizeof(key) - 1) {
			*cycles += v;
			found++;
		}
		p = end;
	}
	return found > 0 ? 0 : -EINVAL;
}
