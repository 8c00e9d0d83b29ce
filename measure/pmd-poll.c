/* SPDX-License-Identifier: BSD-3-Clause */
/* OVS PMDs busy-polling while a measurement runs, sleeping again after. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "ovs.h"
#include "pmd-poll.h"
#include "state.h"

/* True when no guest, shim or other host's switch shares a PMD core: polling it then takes
 * nothing from them. */
static bool
pmd_core_own(json_t *st)
{
	json_t *plan = json_object_get(st, "plan"), *pmd, *g;
	json_int_t per_host = json_integer_value(json_object_get(json_object_get(st, "config"),
								 "pmd_cores"));
	size_t i, j;

	/* hosts whose switches share PMD cores: busy polling would starve each other */
	if ((json_int_t)json_array_size(json_object_get(plan, "pmd")) < per_host * tb_state_hosts(st))
		return false;
	json_array_foreach(json_object_get(plan, "pmd"), i, pmd) {
		if (json_integer_value(pmd) == json_integer_value(json_object_get(plan, "shim")))
			return false;
		json_array_foreach(json_object_get(plan, "guests"), j, g)
			if (json_integer_value(g) == json_integer_value(pmd))
				return false;
	}
	return json_array_size(json_object_get(plan, "pmd")) > 0;
}

/*
 * The switch sleeps when idle so an idle testbed leaves the CPU to others; while
 * measuring, its PMD polls as the reference's dedicated PMD core did (where it has a
 * core of its own), else every packet would pay the sleep. Returns the value to put back.
 */
/* pmd-maxsleep of every host's OVS; false if one could not be set. */
static bool
set_maxsleep(json_t *st, int us)
{
	char arg[64];
	bool ok = true;
	int h;

	snprintf(arg, sizeof(arg), "other_config:pmd-maxsleep=%d", us);
	for (h = 0; h < tb_state_hosts(st); h++) {
		const char *dir = json_string_value(json_object_get(tb_state_switch(st, h), "dir"));

		if (dir != NULL &&
		    vsc_ovs_vsctl(dir, NULL, (const char *[]){"set", "Open_vSwitch", ".", arg, NULL}))
			ok = false;
	}
	return ok;
}

/* pmd-maxsleep as host 0's OVS has it now, in us: OVS's default 0 when unset; -1 unreadable. */
static int
read_maxsleep(const char *dir)
{
	char *out = NULL;
	int us = -1;

	if (vsc_ovs_vsctl(dir, &out, (const char *[]){"--if-exists", "get", "Open_vSwitch", ".",
						     "other_config:pmd-maxsleep", NULL}) == 0 &&
	    out != NULL) {
		const char *p = out + strspn(out, "\" \n");

		us = *p == '\0' ? 0 : *p >= '0' && *p <= '9' ? atoi(p) : -1;
	}
	free(out);
	return us;
}

/* What held, read back from OVS (not what was asked for); null when it cannot be read. */
static void
record_maxsleep(json_t *params, const char *dir, int want)
{
	int held = read_maxsleep(dir);

	json_object_set_new(params, "pmd_maxsleep_us",
			    held >= 0 ? json_integer(held) : json_null());
	if (held < 0)
		tb_warn("could not read OVS pmd-maxsleep back: not recorded");
	else if (held != want)
		tb_warn("OVS pmd-maxsleep is %d us, not the %d us asked for: %d recorded", held,
			want, held);
}

int
pmd_poll_begin(json_t *st, bool vhost_used, int want, json_t *params)
{
	json_t *sw = json_object_get(st, "switch");
	const char *dir = json_string_value(json_object_get(sw, "dir"));
	int idle = json_integer_value(json_object_get(sw, "pmd_maxsleep_us"));

	if (dir == NULL || !vhost_used)
		return -1;
	if (want < 0)
		want = pmd_core_own(st) ? 0 : idle;
	if (want == idle) {
		record_maxsleep(params, dir, want);
		return -1;
	}
	if (!set_maxsleep(st, want)) {
		tb_warn("could not set OVS pmd-maxsleep to %d us for the sweep", want);
		set_maxsleep(st, idle);
		record_maxsleep(params, dir, idle);
		return -1;
	}
	record_maxsleep(params, dir, want);
	tb_info("OVS pmd-maxsleep %d us while measuring (%d us when idle)", want, idle);
	return idle;
}

void
pmd_poll_end(json_t *st, int idle)
{
	if (idle >= 0 && !set_maxsleep(st, idle))
		tb_warn("could not put OVS pmd-maxsleep back to %d us", idle);
}

