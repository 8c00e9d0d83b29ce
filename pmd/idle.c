/*
 * Adaptive idle: after conf->poll_loops empty loops the wait timeout starts at 1 us and
 * doubles up to conf->max_sleep_us; any packet goes back to polling at once.
 */

#include <errno.h>
#include <string.h>

#include "idle.h"

void
pmd_idle_init(struct pmd_idle *idle, const struct pmd_idle_conf *conf)
{
	idle->conf = conf;
	idle->empty_loops = 0;
	idle->sleep_us = 0;
}

uint32_t
pmd_idle_next(struct pmd_idle *idle, unsigned int nb_pkts)
{
	const struct pmd_idle_conf *conf = idle->conf;

	if (nb_pkts > 0) {
		idle->empty_loops = 0;
		idle->sleep_us = 0;
		return 0;
	}
	if (conf->mode == PMD_IDLE_BUSY || conf->max_sleep_us == 0)
		return 0;
	if (idle->empty_loops < conf->poll_loops) {
		idle->empty_loops++;
		return 0;
	}
	if (idle->sleep_us == 0)
		idle->sleep_us = 1;
	else if (idle->sleep_us < conf->max_sleep_us / 2)
		idle->sleep_us *= 2;
	else
		idle->sleep_us = conf->max_sleep_us;
	return idle->sleep_us;
}

int
pmd_idle_mode_parse(const char *s, enum pmd_idle_mode *mode)
{
	if (strcmp(s, "adaptive") == 0)
		*mode = PMD_IDLE_ADAPTIVE;
	else if (strcmp(s, "busy") == 0)
		*mode = PMD_IDLE_BUSY;
	else
		return -EINVAL;
	return 0;
}

const char *
pmd_idle_mode_name(enum pmd_idle_mode mode)
{
	return mode == PMD_IDLE_BUSY ? "busy" : "adaptive";
}
