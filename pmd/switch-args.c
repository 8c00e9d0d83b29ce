/* Command line of the switch role, checked before EAL init. */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_dev.h>

#include "pmd-args.h"
#include "tap.h"
#include "switch.h"

enum sw_opt {
	SW_OPT_PORT,
	SW_OPT_NIC,
	SW_OPT_GUEST_TAP,
	SW_OPT_GUEST_RING,
	SW_OPT_IDLE,
	SW_OPT_POLL_US,
	SW_OPT_MAX_SLEEP_MS,
	SW_OPT_NIC_POLL_US,
	SW_OPT_MAC_TABLE,
	SW_OPT_AGING_S,
	SW_OPT_TSO,
	SW_OPT_READY_FILE,
};

static const struct pmd_opt sw_opts[] = {
	{ "--port", SW_OPT_PORT },
	{ "--nic", SW_OPT_NIC },
	{ "--guest-tap", SW_OPT_GUEST_TAP },
	{ "--guest-ring", SW_OPT_GUEST_RING },
	{ "--idle", SW_OPT_IDLE },
	{ "--poll-us", SW_OPT_POLL_US },
	{ "--max-sleep-ms", SW_OPT_MAX_SLEEP_MS },
	{ "--nic-poll-us", SW_OPT_NIC_POLL_US },
	{ "--mac-table", SW_OPT_MAC_TABLE },
	{ "--aging-s", SW_OPT_AGING_S },
	{ "--tso", SW_OPT_TSO },
	{ "--ready-file", SW_OPT_READY_FILE },
};

#define SW_OPTS_ALLOWED "--port, --nic, --guest-tap, --guest-ring, --idle, --poll-us, " \
	"--max-sleep-ms, --nic-poll-us, --mac-table, --aging-s, --tso, --ready-file, --help"

void
sw_usage(FILE *f)
{
	fprintf(f,
		"usage: testbed-pmd [EAL options] -- switch --port SOCKET_PATH[,server]\n"
		"         [--port ...] [--nic DEVARGS ...]\n"
		"         [--guest-tap SOCKET_PATH,TAP[,NETNS] ...] [--guest-ring SPEC]\n"
		"         [--idle adaptive|busy] [--poll-us N]\n"
		"         [--max-sleep-ms N] [--nic-poll-us N] [--mac-table N] [--aging-s N]\n"
		"         [--tso on|off] [--ready-file PATH]\n"
		"  --port SOCKET_PATH[,server]\n"
		"        a vhost-user port; by default it connects to SOCKET_PATH as a client\n"
		"        and reconnects when the guest side restarts; \",server\" listens\n"
		"        there instead\n"
		"  --guest-tap SOCKET_PATH,TAP[,NETNS]\n"
		"        a co-located netns guest: a vhost-user port listening on SOCKET_PATH,\n"
		"        a virtio-user port of this process connected to it, and tap TAP\n"
		"        (created, or re-attached after a restart, persistent) in namespace\n"
		"        NETNS (an ip-netns name or a path; default: this one), served from\n"
		"        the main lcore's loop; each takes two of the ports\n"
		"  --guest-ring SPEC  the co-located guests' virtio-user rings: %s;\n"
		"                     default split+in_order+mrg+q1024\n"
		"  --nic DEVARGS      a NIC: a DPDK device, hot-plugged, e.g.\n"
		"                     net_af_xdp0,iface=eth1 or 0000:03:00.0; up to %u;\n"
		"                     --port and --nic together: up to %u ports\n"
		"  --idle MODE        adaptive (default): poll while there is traffic, wait for\n"
		"                     the guests' kicks after --poll-us without; busy: poll\n"
		"  --poll-us N        adaptive: traffic-free time before waiting, 0-%u (200)\n"
		"  --max-sleep-ms N   adaptive: longest wait, 1-%u (100)\n"
		"  --nic-poll-us N    adaptive: longest wait when a port has no rx interrupts\n"
		"                     (af_xdp, af_packet), 1-%u (100)\n"
		"  --mac-table N      MAC table entries, a power of 2 in %u-%u (4096)\n"
		"  --aging-s N        forget an address not seen for N s, 1-%u (300)\n"
		"  --tso on|off       offer TSO and checksum offloads to the guests (on)\n"
		"  --ready-file PATH  written once every port is set up, removed on exit\n"
		"Lcores: every EAL lcore forwards; ports are spread over them round-robin.\n",
		PMD_RING_GRAMMAR, SW_MAX_NICS, SW_MAX_PORTS, SW_POLL_US_MAX, SW_MAX_SLEEP_MS_MAX,
		SW_NIC_POLL_US_MAX,
		SW_MAC_MIN_ENTRIES, SW_MAC_MAX_ENTRIES, SW_AGING_S_MAX);
}

const char *
sw_idle_name(enum sw_idle_mode mode)
{
	return mode == SW_IDLE_BUSY ? "busy" : "adaptive";
}

static int
sw_parse_port(const char *arg, struct sw_conf *conf, char *err, size_t errlen)
{
	const char *comma = strchr(arg, ',');
	size_t path_len = comma != NULL ? (size_t)(comma - arg) : strlen(arg);
	struct sw_port_conf *pc;
	unsigned int i;

	if (conf->nb_ports + conf->guests.nb_ports >= SW_MAX_PORTS)
		return pmd_args_error(err, errlen,
			"--port \"%s\": too many ports (at most %u: this DPDK build has "
			"RTE_MAX_ETHPORTS=%d)", arg, SW_MAX_PORTS, RTE_MAX_ETHPORTS);
	if (comma != NULL && strcmp(comma, ",server") != 0)
		return pmd_args_error(err, errlen,
			"--port \"%s\": expected SOCKET_PATH or SOCKET_PATH,server", arg);
	if (path_len == 0)
		return pmd_args_error(err, errlen, "--port \"%s\": empty socket path", arg);
	if (path_len > SW_SOCK_PATH_MAX)
		return pmd_args_error(err, errlen,
			"--port \"%s\": socket path is %zu characters long (at most %u fit a unix "
			"socket address)", arg, path_len, SW_SOCK_PATH_MAX);
	/* The path travels in DPDK device arguments, where ',' and '=' are separators. */
	if (memchr(arg, '=', path_len) != NULL)
		return pmd_args_error(err, errlen,
			"--port \"%s\": socket path must not contain ',' or '='", arg);
	for (i = 0; i < conf->nb_ports; i++) {
		pc = &conf->ports[i];
		if (strlen(pc->sock_path) == path_len && memcmp(pc->sock_path, arg, path_len) == 0)
			return pmd_args_error(err, errlen,
				"--port \"%s\": socket path already used by another --port", arg);
	}
	pc = &conf->ports[conf->nb_ports++];
	memcpy(pc->sock_path, arg, path_len);
	pc->sock_path[path_len] = '\0';
	pc->server = comma != NULL;
	return 0;
}

/* SOCKET_PATH,TAP[,NETNS]: a vhost-user server port and the guest adapter connected to it. */
static int
sw_parse_guest_tap(const char *arg, struct sw_conf *conf, char *err, size_t errlen)
{
	const char *c1 = strchr(arg, ','), *c2 = c1 != NULL ? strchr(c1 + 1, ',') : NULL;
	size_t tap_len = c1 == NULL ? 0 : c2 != NULL ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1);
	struct shim_port_conf *g;
	char path[SW_SOCK_PATH_MAX + 16];
	const char *ns = c2 != NULL ? c2 + 1 : "";
	int ret;

	if (c1 == NULL || tap_len == 0)
		return pmd_args_error(err, errlen,
			"--guest-tap \"%s\": expected SOCKET_PATH,TAP[,NETNS]", arg);
	if (conf->nb_ports + 2 > SW_MAX_PORTS - conf->guests.nb_ports)
		return pmd_args_error(err, errlen,
			"--guest-tap \"%s\": too many ports (a guest takes two; at most %u: this "
			"DPDK build has RTE_MAX_ETHPORTS=%d)", arg, SW_MAX_PORTS, RTE_MAX_ETHPORTS);
	if (tap_len > PMD_TAP_NAME_MAX)
		return pmd_args_error(err, errlen,
			"--guest-tap \"%s\": tap name is %zu characters long (at most %u)", arg,
			tap_len, PMD_TAP_NAME_MAX);
	if (strchr(ns, ',') != NULL || strlen(ns) + sizeof("/run/netns/") > SHIM_NETNS_PATH_MAX)
		return pmd_args_error(err, errlen,
			"--guest-tap \"%s\": namespace must be a name or a path of at most %u "
			"characters, without ','", arg, SHIM_NETNS_PATH_MAX - 12);
	if ((size_t)(c1 - arg) >= sizeof(path))
		return pmd_args_error(err, errlen, "--guest-tap \"%s\": socket path is too long "
				      "(at most %u characters)", arg, SW_SOCK_PATH_MAX);
	snprintf(path, sizeof(path), "%.*s,server", (int)(c1 - arg), arg);
	ret = sw_parse_port(path, conf, err, errlen);
	if (ret < 0)
		return ret;
	g = &conf->guests.ports[conf->guests.nb_ports++];
	memcpy(g->sock_path, arg, (size_t)(c1 - arg));
	g->sock_path[c1 - arg] = '\0';
	memcpy(g->tap_name, c1 + 1, tap_len);
	g->tap_name[tap_len] = '\0';
	if (!pmd_tap_name_valid(g->tap_name))
		return pmd_args_error(err, errlen,
			"--guest-tap \"%s\": \"%s\" is not a valid interface name", arg,
			g->tap_name);
	if (ns[0] == '\0' || ns[0] == '/')
		snprintf(g->netns, sizeof(g->netns), "%s", ns);
	else
		snprintf(g->netns, sizeof(g->netns), "/run/netns/%s", ns);
	conf->guests.colo = true;
	return 0;
}

/* Checked here, probed after EAL init: the name is what DPDK calls the device. */
static int
sw_parse_nic(const char *arg, struct sw_conf *conf, char *err, size_t errlen)
{
	size_t len = strlen(arg), name_len = strcspn(arg, ",");
	const struct sw_port_conf *pc;
	unsigned int i;

	if (conf->nb_nics == SW_MAX_NICS)
		return pmd_args_error(err, errlen, "--nic \"%s\": too many NICs (at most %u)", arg,
				      SW_MAX_NICS);
	if (conf->nb_ports + conf->guests.nb_ports >= SW_MAX_PORTS)
		return pmd_args_error(err, errlen,
			"--nic \"%s\": too many ports (at most %u with --port: this DPDK build has "
			"RTE_MAX_ETHPORTS=%d)", arg, SW_MAX_PORTS, RTE_MAX_ETHPORTS);
	if (len == 0)
		return pmd_args_error(err, errlen, "--nic \"\": empty device arguments (e.g. "
				      "net_af_xdp0,iface=eth1 or 0000:03:00.0)");
	if (len > SW_NIC_ARGS_MAX)
		return pmd_args_error(err, errlen,
			"--nic \"%.32s...\": device arguments are %zu characters long (at most %u)",
			arg, len, SW_NIC_ARGS_MAX);
	if (strpbrk(arg, " \t\n\r\v\f") != NULL)
		return pmd_args_error(err, errlen,
			"--nic \"%s\": device arguments must not contain spaces", arg);
	if (name_len == 0)
		return pmd_args_error(err, errlen, "--nic \"%s\": no device name before the ','",
				      arg);
	if (name_len >= RTE_DEV_NAME_MAX_LEN)
		return pmd_args_error(err, errlen,
			"--nic \"%s\": device name is %zu characters long (at most %d)", arg,
			name_len, RTE_DEV_NAME_MAX_LEN - 1);
	for (i = 0; i < conf->nb_ports; i++) {
		pc = &conf->ports[i];
		if (pc->nic != NULL && strncmp(pc->nic, arg, name_len) == 0 &&
				strcspn(pc->nic, ",") == name_len)
			return pmd_args_error(err, errlen,
				"--nic \"%s\": device %.*s already used by another --nic", arg,
				(int)name_len, arg);
	}
	conf->ports[conf->nb_ports++].nic = arg;
	conf->nb_nics++;
	return 0;
}

static int
sw_parse_opt(int opt, const char *name, const char *val, void *arg, char *err, size_t errlen)
{
	struct sw_conf *conf = arg;
	unsigned long n;

	switch (opt) {
	case SW_OPT_PORT:
		return sw_parse_port(val, conf, err, errlen);
	case SW_OPT_NIC:
		return sw_parse_nic(val, conf, err, errlen);
	case SW_OPT_GUEST_TAP:
		return sw_parse_guest_tap(val, conf, err, errlen);
	case SW_OPT_GUEST_RING:
		return shim_parse_ring(name, val, &conf->guests, err, errlen);
	case SW_OPT_IDLE:
		if (strcmp(val, "adaptive") == 0)
			conf->idle = SW_IDLE_ADAPTIVE;
		else if (strcmp(val, "busy") == 0)
			conf->idle = SW_IDLE_BUSY;
		else
			return pmd_args_error(err, errlen,
				"%s \"%s\": unknown mode (allowed: adaptive, busy)", name, val);
		return 0;
	case SW_OPT_POLL_US:
		if (pmd_parse_uint(val, 0, SW_POLL_US_MAX, &n) < 0)
			return pmd_args_error(err, errlen,
				"%s \"%s\": not a number of microseconds in 0-%u", name, val,
				SW_POLL_US_MAX);
		conf->poll_us = (uint32_t)n;
		return 0;
	case SW_OPT_MAX_SLEEP_MS:
		if (pmd_parse_uint(val, 1, SW_MAX_SLEEP_MS_MAX, &n) < 0)
			return pmd_args_error(err, errlen,
				"%s \"%s\": not a number of milliseconds in 1-%u", name, val,
				SW_MAX_SLEEP_MS_MAX);
		conf->max_sleep_ms = (uint32_t)n;
		return 0;
	case SW_OPT_NIC_POLL_US:
		if (pmd_parse_uint(val, 1, SW_NIC_POLL_US_MAX, &n) < 0)
			return pmd_args_error(err, errlen,
				"%s \"%s\": not a number of microseconds in 1-%u", name, val,
				SW_NIC_POLL_US_MAX);
		conf->nic_poll_us = (uint32_t)n;
		return 0;
	case SW_OPT_MAC_TABLE:
		if (pmd_parse_uint(val, SW_MAC_MIN_ENTRIES, SW_MAC_MAX_ENTRIES, &n) < 0 ||
				sw_mac_table_mem_size((uint32_t)n) == 0)
			return pmd_args_error(err, errlen, "%s \"%s\": need a power of 2 in %u-%u",
				name, val, SW_MAC_MIN_ENTRIES, SW_MAC_MAX_ENTRIES);
		conf->mac_entries = (uint32_t)n;
		return 0;
	case SW_OPT_AGING_S:
		if (pmd_parse_uint(val, 1, SW_AGING_S_MAX, &n) < 0)
			return pmd_args_error(err, errlen,
				"%s \"%s\": not a number of seconds in 1-%u", name, val,
				SW_AGING_S_MAX);
		conf->aging_s = (uint32_t)n;
		return 0;
	case SW_OPT_TSO:
		if (pmd_parse_onoff(val, &conf->tso) < 0)
			return pmd_args_error(err, errlen, "%s \"%s\": need on or off", name, val);
		return 0;
	case SW_OPT_READY_FILE:
		return pmd_parse_ready_file(name, val, &conf->ready_file, err, errlen);
	}
	return -EINVAL;
}

int
sw_parse_args(int argc, char **argv, struct sw_conf *conf, char *err, size_t errlen)
{
	int ret = pmd_args_walk(argc, argv, sw_opts, RTE_DIM(sw_opts), SW_OPTS_ALLOWED,
				sw_parse_opt, conf, err, errlen);

	if (ret != 0)
		return ret == PMD_ARGS_HELP ? SW_ARGS_HELP : ret;
	if (conf->nb_ports == 0)
		return pmd_args_error(err, errlen, "no --port or --nic given (need at least one "
				      "--port SOCKET_PATH[,server] or --nic DEVARGS)");
	/* The guests' adapter sleeps with the switch, or polls with it. */
	conf->guests.idle.mode = conf->idle == SW_IDLE_BUSY ? PMD_IDLE_BUSY : PMD_IDLE_ADAPTIVE;
	conf->guests.idle.max_sleep_us = conf->max_sleep_ms * 1000U;
	return 0;
}
