/*
 * Command line of the shim role. Everything is checked here, before EAL init, so a bad
 * argument costs no hugepages and leaves no tap behind.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "pmd-args.h"
#include "shim.h"

enum shim_opt {
	SHIM_OPT_PORT,
	SHIM_OPT_IDLE,
	SHIM_OPT_MAX_SLEEP_US,
	SHIM_OPT_READY_FILE,
	SHIM_OPT_QUEUE_SIZE,
	SHIM_OPT_OFFLOADS,
	SHIM_OPT_RING,
};

static const struct pmd_opt shim_opts[] = {
	{ "--port", SHIM_OPT_PORT },
	{ "--idle", SHIM_OPT_IDLE },
	{ "--max-sleep-us", SHIM_OPT_MAX_SLEEP_US },
	{ "--ready-file", SHIM_OPT_READY_FILE },
	{ "--queue-size", SHIM_OPT_QUEUE_SIZE },
	{ "--offloads", SHIM_OPT_OFFLOADS },
	{ "--ring", SHIM_OPT_RING },
};

#define SHIM_OPTS_ALLOWED \
	"--port, --idle, --max-sleep-us, --ready-file, --queue-size, --offloads, --ring, " \
	"--help"

void
shim_usage(FILE *f)
{
	fprintf(f,
		"usage: testbed-pmd [EAL options] -- shim --port SOCKET_PATH,TAP_NAME\n"
		"         [--port ...] [--idle adaptive|busy] [--max-sleep-us N]\n"
		"         [--ready-file PATH] [--queue-size N] [--offloads on|off] [--ring SPEC]\n"
		"  --port SOCKET_PATH,TAP_NAME\n"
		"        create tap TAP_NAME and bridge it to a virtio-user port serving\n"
		"        vhost-user socket SOCKET_PATH, to which the switch connects as a\n"
		"        client; repeat for up to %u guests\n"
		"  --idle MODE        adaptive (default): sleep when idle; busy: poll forever\n"
		"  --max-sleep-us N   longest idle sleep, 0-%u (default 250)\n"
		"  --ready-file PATH  written once all ports are up, removed on exit\n"
		"  --queue-size N     virtio ring size, a power of 2 in %u-%u (default 1024)\n"
		"  --offloads on|off  on (default): TCP segmentation and checksum offload\n"
		"                     between the taps and the switch, as far as the switch\n"
		"                     takes them; off: MTU-sized, checksummed frames only\n"
		"  --ring SPEC        the virtio-user rings, %s;\n"
		"                     default split+in_order+mrg (qN is --queue-size)\n",
		SHIM_MAX_PORTS, PMD_IDLE_MAX_SLEEP_US_LIMIT, SHIM_QUEUE_SIZE_MIN,
		SHIM_QUEUE_SIZE_MAX, PMD_RING_GRAMMAR);
}

static int
shim_parse_port(const char *arg, struct shim_conf *conf, char *err, size_t errlen)
{
	struct shim_port_conf *pc;
	const char *comma = strrchr(arg, ',');
	const char *tap;
	size_t path_len;
	unsigned int i;

	if (conf->nb_ports == SHIM_MAX_PORTS)
		return pmd_args_error(err, errlen,
			"--port \"%s\": too many ports (at most %u per process: this DPDK "
			"build has RTE_MAX_ETHPORTS=%d; run more shim processes)", arg,
			SHIM_MAX_PORTS, RTE_MAX_ETHPORTS);
	if (comma == NULL)
		return pmd_args_error(err, errlen,
			"--port \"%s\": expected SOCKET_PATH,TAP_NAME", arg);
	path_len = (size_t)(comma - arg);
	tap = comma + 1;
	if (path_len == 0)
		return pmd_args_error(err, errlen, "--port \"%s\": empty socket path", arg);
	if (path_len > SHIM_SOCK_PATH_MAX)
		return pmd_args_error(err, errlen,
			"--port \"%s\": socket path is %zu characters long (at most %u fit a unix "
			"socket address)", arg, path_len, SHIM_SOCK_PATH_MAX);
	/* The path travels in DPDK device arguments, where ',' and '=' are separators. */
	if (memchr(arg, ',', path_len) != NULL || memchr(arg, '=', path_len) != NULL)
		return pmd_args_error(err, errlen,
			"--port \"%s\": socket path must not contain ',' or '='", arg);
	if (!pmd_tap_name_valid(tap))
		return pmd_args_error(err, errlen,
			"--port \"%s\": tap name \"%s\" is not valid (1-%u printable characters, "
			"no '/', ':', '%%' or spaces)", arg, tap, PMD_TAP_NAME_MAX);

	for (i = 0; i < conf->nb_ports; i++) {
		pc = &conf->ports[i];
		if (strlen(pc->sock_path) == path_len &&
				memcmp(pc->sock_path, arg, path_len) == 0)
			return pmd_args_error(err, errlen,
				"--port \"%s\": socket path already used by another --port", arg);
		if (strcmp(pc->tap_name, tap) == 0)
			return pmd_args_error(err, errlen,
				"--port \"%s\": tap name already used by another --port", arg);
	}

	pc = &conf->ports[conf->nb_ports++];
	memcpy(pc->sock_path, arg, path_len);
	pc->sock_path[path_len] = '\0';
	strcpy(pc->tap_name, tap);
	return 0;
}

/* Shared with the switch's --guest-ring: the spec, its qN as the ring size. */
int
shim_parse_ring(const char *name, const char *val, struct shim_conf *conf, char *err,
		size_t errlen)
{
	if (pmd_ring_parse(val, &conf->ring) < 0)
		return pmd_args_error(err, errlen, "%s \"%s\": bad ring spec (allowed: %s)", name,
				      val, PMD_RING_GRAMMAR);
	if (conf->ring.queue_size != 0)
		conf->queue_size = (uint16_t)conf->ring.queue_size;
	return 0;
}

static int
shim_parse_opt(int opt, const char *name, const char *val, void *arg, char *err, size_t errlen)
{
	struct shim_conf *conf = arg;
	unsigned long n;

	switch (opt) {
	case SHIM_OPT_PORT:
		return shim_parse_port(val, conf, err, errlen);
	case SHIM_OPT_IDLE:
		if (pmd_idle_mode_parse(val, &conf->idle.mode) < 0)
			return pmd_args_error(err, errlen,
				"%s \"%s\": unknown mode (allowed: adaptive, busy)", name, val);
		return 0;
	case SHIM_OPT_MAX_SLEEP_US:
		if (pmd_parse_uint(val, 0, PMD_IDLE_MAX_SLEEP_US_LIMIT, &n) < 0)
			return pmd_args_error(err, errlen,
				"%s \"%s\": not a number of microseconds in 0-%u", name, val,
				PMD_IDLE_MAX_SLEEP_US_LIMIT);
		conf->idle.max_sleep_us = (uint32_t)n;
		return 0;
	case SHIM_OPT_READY_FILE:
		return pmd_parse_ready_file(name, val, &conf->ready_file, err, errlen);
	case SHIM_OPT_QUEUE_SIZE:
		if (pmd_parse_uint(val, SHIM_QUEUE_SIZE_MIN, SHIM_QUEUE_SIZE_MAX, &n) < 0 ||
				(n & (n - 1)) != 0)
			return pmd_args_error(err, errlen,
				"%s \"%s\": need a power of 2 in %u-%u", name, val,
				SHIM_QUEUE_SIZE_MIN, SHIM_QUEUE_SIZE_MAX);
		conf->queue_size = (uint16_t)n;
		return 0;
	case SHIM_OPT_OFFLOADS:
		if (pmd_parse_onoff(val, &conf->offloads) < 0)
			return pmd_args_error(err, errlen, "%s \"%s\": need on or off", name, val);
		return 0;
	case SHIM_OPT_RING:
		return shim_parse_ring(name, val, conf, err, errlen);
	}
	return -EINVAL;
}

int
shim_parse_args(int argc, char **argv, struct shim_conf *conf, char *err, size_t errlen)
{
	int ret = pmd_args_walk(argc, argv, shim_opts, RTE_DIM(shim_opts), SHIM_OPTS_ALLOWED,
				shim_parse_opt, conf, err, errlen);

	if (ret != 0)
		return ret == PMD_ARGS_HELP ? SHIM_ARGS_HELP : ret;
	if (conf->nb_ports == 0)
		return pmd_args_error(err, errlen,
			"no --port given (need at least one --port SOCKET_PATH,TAP_NAME)");
	return 0;
}
