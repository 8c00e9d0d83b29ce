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
#include "ring-spec.h"
#include "tap.h"

/* One ethdev per guest, so the DPDK build limits the guests one process can serve. */
#if RTE_MAX_ETHPORTS < 64
#define SHIM_MAX_PORTS ((unsigned int)RTE_MAX_ETHPORTS)
#else
#define SHIM_MAX_PORTS 64U
#endif

#define SHIM_SOCK_PATH_MAX 107U	/* sizeof(sun_path) - 1 */
#define SHIM_NETNS_PATH_MAX 127U
#define SHIM_QUEUE_SIZE_MIN 64U
#define SHIM_QUEUE_SIZE_MAX 32768U

/* shim_parse_args() result when --help was asked for. */
#define SHIM_ARGS_HELP 1

struct shim_port_conf {
	char sock_path[SHIM_SOCK_PATH_MAX + 1];
	char tap_name[PMD_TAP_NAME_MAX + 1];
	char netns[SHIM_NETNS_PATH_MAX + 1];	/* co-located: the tap's namespace; "": ours */
};

struct shim_conf {
	struct shim_port_conf ports[SHIM_MAX_PORTS];
	unsigned int nb_ports;
	struct pmd_idle_conf idle;
	uint16_t queue_size;		/* descriptors per virtio ring */
	struct pmd_ring ring;		/* asked of virtio-user: layout, in-order, mrg */
	const char *ready_file;		/* NULL: none */
	bool offloads;			/* TSO and checksum offload between tap and switch */
	/*
	 * Co-located with the switch (its --guest-tap): each virtio-user port connects as a
	 * client to a vhost-user port of the same process, and the taps are persistent devices
	 * in the guests' namespaces, re-attached when the switch restarts.
	 */
	bool colo;
};

#define SHIM_CONF_DEFAULT { \
	.nb_ports = 0, \
	.idle = PMD_IDLE_CONF_DEFAULT, \
	.queue_size = 1024, \
	.ring = PMD_RING_DEFAULT, \
	.ready_file = NULL, \
	.offloads = true, \
	.colo = false, \
}

/*
 * Parse the role's arguments; argv[0] is the role name. conf must hold the defaults and
 * keeps pointers into argv. Returns 0, SHIM_ARGS_HELP, or -EINVAL with a one-line
 * message in err.
 */
int shim_parse_args(int argc, char **argv, struct shim_conf *conf, char *err, size_t errlen);

void shim_usage(FILE *f);

/* --ring SPEC (the switch's --guest-ring too) into conf->ring, its qN into queue_size. */
int shim_parse_ring(const char *name, const char *val, struct shim_conf *conf, char *err,
		    size_t errlen);

/*
 * Run the shim on an initialised EAL until *quit becomes true. Returns 0, or a negative
 * errno after a setup error (already reported on stderr).
 */
int shim_run(const struct shim_conf *conf, const volatile bool *quit);

/*
 * The shim co-located in the switch process (conf->colo): the switch calls these from its
 * polling loop instead of running shim_run().
 */
struct shim;

/*
 * Attach the taps, create the pool, and hot-plug and start every virtio-user port; the
 * vhost-user ports they connect to must be started already. Prints one line naming the
 * object on failure and leaves what it made for shim_colo_close(). *sp is set in any case.
 */
int shim_colo_open(const struct shim_conf *conf, const volatile bool *quit, struct shim **sp);

/* Readable when a tap has a frame or a virtio-user port was kicked (notifications on). */
int shim_colo_fd(const struct shim *s);

/* One pass: virtio-user -> tap, frames held for a ring, the taps that have frames. */
unsigned int shim_colo_poll(struct shim *s);

/* Virtio-user rx notifications on before a wait, off after it. */
void shim_colo_notify(struct shim *s, bool on);

/* Lines for the switch's ready file: "virtio_user0 port 3 tap eth0 netns /run/netns/X". */
int shim_colo_describe(const struct shim *s, char *buf, size_t len);

/* Counters to f (NULL: none), then close the ports; the taps stay (persistent). */
void shim_colo_close(struct shim *s, FILE *f);

#endif /* PMD_SHIM_H */
