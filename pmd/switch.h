/*
 * The switch role: a lean L2 switch between vhost-user ports (DPDK's net_vhost) and NICs
 * (any DPDK device: af_xdp, af_packet, PCI), with MAC learning and aging, flooding of group
 * and unknown destinations, TSO/checksum offloads passed through from guest to guest (and
 * done in software towards a NIC without them), and an adaptive idle mode that waits on
 * the guests' kicks. It runs where OVS-DPDK would, with no database.
 */

#ifndef PMD_SWITCH_H
#define PMD_SWITCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_config.h>

#include "mactable.h"
#include "shim.h"

/* One ethdev per port, so the DPDK build limits the ports (Debian's: 32). */
#if RTE_MAX_ETHPORTS < 64
#define SW_MAX_PORTS ((unsigned int)RTE_MAX_ETHPORTS)
#else
#define SW_MAX_PORTS 64U
#endif

#define SW_SOCK_PATH_MAX 107U	/* sizeof(sun_path) - 1 */
#define SW_POLL_US_MAX 1000000U
#define SW_MAX_SLEEP_MS_MAX 10000U
#define SW_AGING_S_MAX 86400U
#define SW_MAX_NICS 4U
#define SW_NIC_ARGS_MAX 255U	/* --nic DEVARGS length */
#define SW_NIC_POLL_US_MAX 100000U

enum sw_idle_mode {
	SW_IDLE_ADAPTIVE,	/* poll; after poll_us without packets wait for a kick */
	SW_IDLE_BUSY,		/* poll forever: a whole core */
};

/* A --port (vhost-user) or a --nic (nic != NULL), in command-line order. */
struct sw_port_conf {
	char sock_path[SW_SOCK_PATH_MAX + 1];
	bool server;		/* we listen; default: connect (and reconnect) as a client */
	const char *nic;	/* DPDK device arguments: "net_af_xdp0,iface=X", "0000:03:00.0" */
};

struct sw_conf {
	struct sw_port_conf ports[SW_MAX_PORTS];
	unsigned int nb_ports;	/* --port and --nic together */
	unsigned int nb_nics;
	enum sw_idle_mode idle;
	uint32_t poll_us;	/* adaptive: traffic-free time before waiting on kicks */
	uint32_t max_sleep_ms;	/* adaptive: longest wait, a safety net */
	uint32_t nic_poll_us;	/* adaptive: longest wait when a port cannot wake us (NICs) */
	uint32_t mac_entries;	/* power of 2 */
	uint32_t aging_s;
	bool tso;		/* offer TSO/checksum offloads to the guests */
	const char *ready_file;	/* NULL: none */
	/*
	 * Co-located guests (--guest-tap): each is a vhost-user port of ours in server mode
	 * (in ports[]) and, in this process, the shim's virtio-user port connected to it and the
	 * guest's tap, served from the main lcore's loop. guests.ports[i].sock_path names the
	 * vhost-user port it connects to.
	 */
	struct shim_conf guests;
};

#define SW_CONF_DEFAULT { \
	.nb_ports = 0, \
	.nb_nics = 0, \
	.idle = SW_IDLE_ADAPTIVE, \
	.poll_us = 200, \
	.max_sleep_ms = 100, \
	.nic_poll_us = 100, \
	.mac_entries = 4096, \
	.aging_s = 300, \
	.tso = true, \
	.ready_file = NULL, \
	.guests = SHIM_CONF_DEFAULT, \
}

/* sw_parse_args() result when --help was asked for. */
#define SW_ARGS_HELP 1

/*
 * Parse the role's arguments; argv[0] is the role name. conf must hold the defaults and
 * keeps pointers into argv. Returns 0, SW_ARGS_HELP, or -EINVAL with a one-line message.
 */
int sw_parse_args(int argc, char **argv, struct sw_conf *conf, char *err, size_t errlen);

void sw_usage(FILE *f);

const char *sw_idle_name(enum sw_idle_mode mode);

/* Run on an initialised EAL until *quit; 0, or a negative errno after a setup error. */
int sw_run(const struct sw_conf *conf, const volatile bool *quit);

#endif /* PMD_SWITCH_H */
