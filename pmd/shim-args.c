/*
 * Command line of the shim role. Everything is checked here, before EAL init, so a bad
 * argument costs no hugepages and leaves no tap behind.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "shim.h"

enum shim_opt {
	SHIM_OPT_PORT,
	SHIM_OPT_IDLE,
	SHIM_OPT_MAX_SLEEP_US,
	SHIM_OPT_READY_FILE,
	SHIM_OPT_QUEUE_SIZE,
	SHIM_OPT_OFFLOADS,
};

static const struct {
	const char *name;
	enum shim_opt opt;
} shim_opts[] = {
	{ "--port", SHIM_OPT_PORT },
	{ "--idle", SHIM_OPT_IDLE },
	{ "--max-sleep-us", SHIM_OPT_MAX_SLEEP_US },
	{ "--ready-file", SHIM_OPT_READY_FILE },
	{ "--queue-size", SHIM_OPT_QUEUE_SIZE },
	{ "--offloads", SHIM_OPT_OFFLOADS },
};

#define SHIM_OPTS_ALLOWED \
	"--port, --idle, --max-sleep-us, --ready-file, --queue-size, --offloads, --help"

void
shim_usage(FILE *f)
{
	fprintf(f,
		"usage: testbed-pmd [EAL options] -- shim --port SOCKET_PATH,TAP_NAME\n"
		"         [--port ...] [--idle adaptive|busy] [--max-sleep-us N]\n"
		"         [--ready-file PATH] [--queue-size N] [--offloads on|off]\n"
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
		"                     takes them; off: MTU-sized, checksummed frames only\n",
		SHIM_MAX_PORTS, PMD_IDLE_MAX_SLEEP_US_LIMIT, SHIM_QUEUE_SIZE_MIN,
		SHIM_QUEUE_SIZE_MAX);
}

static int __attribute__((format(printf, 3, 4)))
shim_args_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A decimal number in [min, max], nothing else (no sign, no spaces, no suffix). */
static int
shim_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *val)
{
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	*val = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || *val < min || *val > max)
		return -EINVAL;
	return 0;
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
		return shim_args_error(err, errlen,
			"--port \"%s\": too many ports (at most %u per process: this DPDK "
			"build has RTE_MAX_ETHPORTS=%d; run more shim processes)", arg,
			SHIM_MAX_PORTS, RTE_MAX_ETHPORTS);
	if (comma == NULL)
		return shim_args_error(err, errlen,
			"--port \"%s\": expected SOCKET_PATH,TAP_NAME", arg);
	path_len = (size_t)(comma - arg);
	tap = comma + 1;
	if (path_len == 0)
		return shim_args_error(err, errlen, "--port \"%s\": empty socket path", arg);
	if (path_len > SHIM_SOCK_PATH_MAX)
		return shim_args_error(err, errlen,
			"--port \"%s\": socket path is %zu characters long (at most %u fit a unix "
			"socket address)", arg, path_len, SHIM_SOCK_PATH_MAX);
	/* The path travels in DPDK device arguments, where ',' and '=' are separators. */
	if (memchr(arg, ',', path_len) != NULL || memchr(arg, '=', path_len) != NULL)
		return shim_args_error(err, errlen,
			"--port \"%s\": socket path must not contain ',' or '='", arg);
	if (!pmd_tap_name_valid(tap))
		return shim_args_error(err, errlen,
			"--port \"%s\": tap name \"%s\" is not valid (1-%u printable characters, "
			"no '/', ':', '%%' or spaces)", arg, tap, PMD_TAP_NAME_MAX);

	for (i = 0; i < conf->nb_ports; i++) {
		pc = &conf->ports[i];
		if (strlen(pc->sock_path) == path_len &&
				memcmp(pc->sock_path, arg, path_len) == 0)
			return shim_args_error(err, errlen,
				"--port \"%s\": socket path already used by another --port", arg);
		if (strcmp(pc->tap_name, tap) == 0)
			return shim_args_error(err, errlen,
				"--port \"%s\": tap name already used by another --port", arg);
	}

	pc = &conf->ports[conf->nb_ports++];
	memcpy(pc->sock_path, arg, path_len);
	pc->sock_path[path_len] = '\0';
	strcpy(pc->tap_name, tap);
	return 0;
}

static int
shim_parse_opt(enum shim_opt opt, const char *name, const char *val, struct shim_conf *conf,
	char *err, size_t errlen)
{
	unsigned long n;

	switch (opt) {
	case SHIM_OPT_PORT:
		return shim_parse_port(val, conf, err, errlen);
	case SHIM_OPT_IDLE:
		if (pmd_idle_mode_parse(val, &conf->idle.mode) < 0)
			return shim_args_error(err, errlen,
				"%s \"%s\": unknown mode (allowed: adaptive, busy)", name, val);
		return 0;
	case SHIM_OPT_MAX_SLEEP_US:
		if (shim_parse_uint(val, 0, PMD_IDLE_MAX_SLEEP_US_LIMIT, &n) < 0)
			return shim_args_error(err, errlen,
				"%s \"%s\": not a number of microseconds in 0-%u", name, val,
				PMD_IDLE_MAX_SLEEP_US_LIMIT);
		conf->idle.max_sleep_us = (uint32_t)n;
		return 0;
	case SHIM_OPT_READY_FILE:
		/* Room for the ".tmp" we write first. */
		if (val[0] == '\0' || strlen(val) + 4 >= PATH_MAX)
			return shim_args_error(err, errlen,
				"%s \"%s\": need a path of 1-%d characters", name, val,
				PATH_MAX - 5);
		conf->ready_file = val;
		return 0;
	case SHIM_OPT_QUEUE_SIZE:
		if (shim_parse_uint(val, SHIM_QUEUE_SIZE_MIN, SHIM_QUEUE_SIZE_MAX, &n) < 0 ||
				(n & (n - 1)) != 0)
			return shim_args_error(err, errlen,
				"%s \"%s\": need a power of 2 in %u-%u", name, val,
				SHIM_QUEUE_SIZE_MIN, SHIM_QUEUE_SIZE_MAX);
		conf->queue_size = (uint16_t)n;
		return 0;
	case SHIM_OPT_OFFLOADS:
		if (strcmp(val, "on") == 0)
			conf->offloads = true;
		else if (strcmp(val, "off") == 0)
			conf->offloads = false;
		else
			return shim_args_error(err, errlen,
				"%s \"%s\": need on or off", name, val);
		return 0;
	}
	return -EINVAL;
}

int
shim_parse_args(int argc, char **argv, struct shim_conf *conf, char *err, size_t errlen)
{
	const char *arg, *val, *eq;
	size_t name_len;
	unsigned int j;
	int i, ret;

	err[0] = '\0';
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
			return SHIM_ARGS_HELP;
		if (strncmp(arg, "--", 2) != 0)
			return shim_args_error(err, errlen,
				"unexpected argument \"%s\" (allowed: %s)", arg,
				SHIM_OPTS_ALLOWED);

		/* Both "--opt value" and "--opt=value". */
		eq = strchr(arg, '=');
		name_len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
		for (j = 0; j < RTE_DIM(shim_opts); j++) {
			if (strlen(shim_opts[j].name) == name_len &&
					strncmp(shim_opts[j].name, arg, name_len) == 0)
				break;
		}
		if (j == RTE_DIM(shim_opts))
			return shim_args_error(err, errlen,
				"unknown option \"%.*s\" (allowed: %s)", (int)name_len, arg,
				SHIM_OPTS_ALLOWED);

		if (eq != NULL)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else
			return shim_args_error(err, errlen, "%s needs a value",
				shim_opts[j].name);

		ret = shim_parse_opt(shim_opts[j].opt, shim_opts[j].name, val, conf, err, errlen);
		if (ret < 0)
			return ret;
	}
	if (conf->nb_ports == 0)
		return shim_args_error(err, errlen,
			"no --port given (need at least one --port SOCKET_PATH,TAP_NAME)");
	return 0;
}
