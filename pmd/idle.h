/*
 * Idle strategy of a polling loop: poll while there is traffic, then sleep in growing
 * steps so that an idle process leaves the CPU to guests and the switch.
 */

#ifndef PMD_IDLE_H
#define PMD_IDLE_H

#include <stdint.h>

enum pmd_idle_mode {
	PMD_IDLE_ADAPTIVE,	/* poll, then sleep with a doubling timeout */
	PMD_IDLE_BUSY,		/* poll forever */
};

struct pmd_idle_conf {
	enum pmd_idle_mode mode;
	uint32_t max_sleep_us;	/* upper bound of one sleep; 0 never sleeps */
	uint32_t poll_loops;	/* empty loops before the first sleep */
};

#define PMD_IDLE_MAX_SLEEP_US_LIMIT 1000000U

#define PMD_IDLE_CONF_DEFAULT { \
	.mode = PMD_IDLE_ADAPTIVE, \
	.max_sleep_us = 250, \
	.poll_loops = 256, \
}

struct pmd_idle {
	const struct pmd_idle_conf *conf;
	uint32_t empty_loops;
	uint32_t sleep_us;
};

void pmd_idle_init(struct pmd_idle *idle, const struct pmd_idle_conf *conf);

/*
 * Report how many packets the last loop moved; returns how long the next wait may block,
 * in microseconds (0: poll, do not block).
 */
uint32_t pmd_idle_next(struct pmd_idle *idle, unsigned int nb_pkts);

/* "adaptive" or "busy"; returns 0 or -EINVAL. */
int pmd_idle_mode_parse(const char *s, enum pmd_idle_mode *mode);

const char *pmd_idle_mode_name(enum pmd_idle_mode mode);

#endif /* PMD_IDLE_H */
