/*
 * The shim role: the guest side of netns guests. Each guest NIC is a kernel tap device;
 * the shim bridges every tap to a virtio-user port whose vhost-user socket it serves to
 * the switch (which connects as a client).
 */

#ifndef PMD_SHIM_H
#define PMD_SHIM_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_config.h>

#include "idle.h"
#include "tap.h"

/* One ethdev per guest, so the DPDK build limits the guests one process can serve. */
#if RTE_MAX_ETHPORTS < 64
#define SHIM_MAX_PORTS ((unsigned int)RTE_MAX_ETHPORTS)
#else
#define SHIM_MAX_PORTS 64U
#endif

#define SHIM_SOCK_PATH_MAX 107U	/* sizeof(sun_path) - 1 */
#define SHIM_QUEUE_SIZE_MIN 64U
#define SHIM_QUEUE_SIZE_MAX 32768U

/* shim_parse_args() result when --help was asked for. */
#define SHIM_ARGS_HELP 1

struct shim_port_conf {
	char sock_path[SHIM_SOCK_PATH_MAX + 1];
	char tap_name[PMD_TAP_NAME_MAX + 1];
};

struct shim_conf {
	struct shim_port_conf ports[SHIM_MAX_PORTS];
	unsigned int nb_ports;
	struct pmd_idle_conf idle;
	uint16_t queue_size;		/* descriptors per virtio ring */
	const char *ready_file;		/* NULL: none */
	bool offloads;			/* TSO and checksum offload between tap and switch */
};

#define SHIM_CONF_DEFAULT { \
	.nb_ports = 0, \
	.idle = PMD_IDLE_CONF_DEFAULT, \
	.queue_size = 1024, \
	.ready_file = NULL, \
	.offloads = true, \
}

/*
 * Parse the role's arguments; argv[0] is the role name. conf must hold the defaults and
 * keeps pointers into argv. Returns 0, SHIM_ARGS_HELP, or -EINVAL with a one-line
 * message in err.
 */
int shim_parse_args(int argc, char **argv, struct shim_conf *conf, char *err, size_t errlen);

void shim_usage(FILE *f);

/*
 * Run the shim on an initialised EAL until *quit becomes true. Returns 0, or a negative
 * errno after a setup error (already reported on stderr).
 */
int shim_run(const struct shim_conf *conf, const volatile bool *quit);

#endif /* PMD_SHIM_H */
