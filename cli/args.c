/* SPDX-License-Identifier: BSD-3-Clause */
/* Option parsing shared by the commands: `up`'s options, --instance, integers, bad options. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "backend.h"
#include "commands.h"
#include "hosts.h"
#include "hugepages.h"
#include "opts.h"

int
parse_int(const char *s, int min, int max, int *val)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*val = (int)v;
	return 0;
}

int
set_instance(const char *name, char *inst, size_t len, char *err, size_t errlen)
{
	if (tb_instance_check(name) < 0) {
		snprintf(err, errlen,
			 "bad instance name \"%s\" (allowed: 1-%d lowercase letters and digits, "
			 "starting with a letter)",
			 name, TB_INSTANCE_MAX);
		return -EINVAL;
	}
	snprintf(inst, len, "%s", name);
	return 0;
}

int
parse_pmd_maxsleep(const char *s, int *us, char *err, size_t errlen)
{
	if (parse_int(s, 0, 10000, us) == 0)
		return 0;
	snprintf(err, errlen, "bad --pmd-maxsleep \"%s\" (allowed: 0-10000 us, OVS's range)", s);
	return -EINVAL;
}

int
bad_option(int argc, char **argv, char *err, size_t errlen)
{
	/* the token getopt stopped at: an unknown option, or one whose value is missing */
	const char *bad = optind - 1 < argc ? argv[optind - 1] : "?";

	snprintf(err, errlen, "unknown or incomplete option \"%s\"", bad);
	return -EINVAL;
}

int
parse_positional(const char *arg, const char **what, char *err, size_t errlen)
{
	if (*what != NULL) {
		snprintf(err, errlen, "unexpected argument \"%s\"", arg);
		return -EINVAL;
	}
	*what = arg;
	return 0;
}

int
parse_bench_opt(int o, const char *arg, const struct bench_opts *b, char *err, size_t errlen)
{
	switch (o) {
	case 1: /* the positional benchmark, wherever it stands */
		if (b->what == NULL)
			return 0;
		return parse_positional(arg, b->what, err, errlen) == 0 ? 1 : -EINVAL;
	case 'i':
		if (b->instance == NULL)
			return 0;
		return set_instance(arg, b->instance, b->instance_len, err, errlen) == 0 ? 1 : -EINVAL;
	case 'n':
		if (b->numa == NULL)
			return 0;
		return parse_numa(arg, b->numa, err, errlen) == 0 ? 1 : -EINVAL;
	case 't':
		if (b->time_s == NULL)
			return 0;
		return parse_bench_time(arg, b->time_s, err, errlen) == 0 ? 1 : -EINVAL;
	case 'r':
		if (b->repeat == NULL)
			return 0;
		return parse_bench_repeat(arg, b->repeat, err, errlen) == 0 ? 1 : -EINVAL;
	case 'o':
		if (b->out == NULL)
			return 0;
		return parse_out_dir(arg, b->out, err, errlen) == 0 ? 1 : -EINVAL;
	default:
		return 0;
	}
}

int
parse_bench_argv(int argc, char **argv, const struct cli_opt *table, const char *name,
		 struct bench_opts *b, bench_own_opt_fn own, void *conf, char *err, size_t errlen)
{
	struct option opts[CLI_OPTS_MAX];
	const char *what = NULL;
	int o, ret;

	b->what = &what;
	cli_opts_getopt(table, opts);
	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "-", opts, NULL)) != -1) {
		ret = parse_bench_opt(o, optarg, b, err, errlen);
		if (ret == 0 && own != NULL) {
			int mine = own(o, optarg, conf, err, errlen);

			ret = mine == 0 ? 1 : mine == 1 ? 0 : -EINVAL;
		}
		if (ret == 0)
			return bad_option(argc, argv, err, errlen);
		if (ret < 0)
			return -EINVAL;
	}
	b->what = NULL;
	return cli_bench_check(what, name, err, errlen) < 0 ? -EINVAL : 0;
}

int
parse_numa(const char *s, int *node, char *err, size_t errlen)
{
	if (parse_int(s, 0, UP_MAX_NUMA_NODE, node) == 0)
		return 0;
	snprintf(err, errlen, "bad --numa \"%s\" (allowed: a NUMA node number, 0-%d)", s,
		 UP_MAX_NUMA_NODE);
	return -EINVAL;
}

int
parse_bench_time(const char *s, int *time_s, char *err, size_t errlen)
{
	if (parse_int(s, 1, 600, time_s) == 0)
		return 0;
	snprintf(err, errlen, "bad --time \"%s\" (allowed: 1-600 seconds)", s);
	return -EINVAL;
}

int
parse_bench_repeat(const char *s, int *repeat, char *err, size_t errlen)
{
	if (parse_int(s, 1, 50, repeat) == 0)
		return 0;
	snprintf(err, errlen, "bad --repeat \"%s\" (allowed: 1-50)", s);
	return -EINVAL;
}

int
parse_out_dir(const char *s, const char **out, char *err, size_t errlen)
{
	if (s[0] == '\0') {
		snprintf(err, errlen, "bad --out \"\" (allowed: a directory)");
		return -EINVAL;
	}
	*out = s;
	return 0;
}

int
parse_wire_pmd(const char *s, const char **pmd, char *err, size_t errlen)
{
	static const char *const ok[] = {UP_WIRE_AUTO, UP_WIRE_AF_XDP, UP_WIRE_AF_PACKET};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (strcmp(s, ok[i]) == 0) {
			*pmd = ok[i];
			return 0;
		}
	}
	snprintf(err, errlen, "bad --wire-pmd \"%s\" (allowed: auto, af_xdp, af_packet)", s);
	return -EINVAL;
}

/* --hosts splits the guests evenly; the wire's options need a wire. */
static int
check_hosts(struct up_conf *c, bool guests_given, char *err, size_t errlen)
{
	if (c->hosts > 1 && !guests_given)
		c->guests = UP_GUESTS_PER_HOST_DEFAULT * c->hosts;
	if (c->guests % c->hosts != 0) {
		snprintf(err, errlen, "bad --guests %d with --hosts %d (allowed: a multiple of %d, "
			 "so the hosts get as many guests each)", c->guests, c->hosts, c->hosts);
		return -EINVAL;
	}
	if (c->hosts == 1 && strcmp(c->wire_pmd, UP_WIRE_AUTO) != 0) {
		snprintf(err, errlen, "--wire-pmd is for --hosts 2 (the wire between the hosts)");
		return -EINVAL;
	}
	if (c->nic != NULL && c->hosts > 1) {
		snprintf(err, errlen, "--nic is for one host per machine (--hosts 1): with --hosts %d "
			 "the hosts are joined by a veth wire", c->hosts);
		return -EINVAL;
	}
	if (c->kernel_nic != NULL && c->hosts > 1) {
		snprintf(err, errlen, "--kernel-nic is for one host per machine (--hosts 1): with "
			 "--hosts %d the hosts are joined by a veth wire", c->hosts);
		return -EINVAL;
	}
	if (c->host_index > 0 && c->nic == NULL && c->kernel_nic == NULL) {
		snprintf(err, errlen, "--host-index is for real machines joined by a NIC (--nic or "
			 "--kernel-nic)");
		return -EINVAL;
	}
	if ((c->nic != NULL || c->kernel_nic != NULL) && c->guests > TB_ADDR_MACHINE_GUESTS) {
		snprintf(err, errlen, "bad --guests %d with --%s (allowed: 1-%d per backend: the "
			 "guests of %d machines share one /24)", c->guests,
			 c->nic != NULL ? "nic" : "kernel-nic", TB_ADDR_MACHINE_GUESTS,
			 TB_ADDR_MAX_MACHINES);
		return -EINVAL;
	}
	if (c->kernel_nic != NULL &&
	    !(c->backends & ((1u << TB_BE_BRIDGE) | (1u << TB_BE_MASQUERADE)))) {
		snprintf(err, errlen, "--kernel-nic joins the kernel bridge: add bridge or "
			 "masquerade to --backends");
		return -EINVAL;
	}
	if (c->nic != NULL && !(c->backends & (1u << TB_BE_VHOST_USER))) {
		snprintf(err, errlen, "--nic is the vhost-user switch's NIC: add vhost-user to "
			 "--backends");
		return -EINVAL;
	}
	return 0;
}

const struct cli_opt cli_up_opts[] = {
	{"numa", 'n', required_argument, "N", "NUMA node to build on: its cores, hugepages, memory",
	 CLI_OPT_REQUIRED},
	{"guests", 'g', required_argument, "K", "guests per backend, 1-32 (default 2; 2 per host "
	 "with --hosts 2)", 0},
	{"backends", 'b', required_argument, "LIST|all", "comma-separated backends, or all that "
	 "this host runs (default vhost-user,bridge,masquerade)", 0},
	{"instance", 'i', required_argument, "NAME", "instance name, in every name made (default "
	 "main)", 0},
	{"page-size", 'p', required_argument, "2M|1G", "hugepage size (default 1G where that many "
	 "are free, reserved at boot, else 2M)", 0},
	{"pmd-cores", 'c', required_argument, "N", "PMD cores of the vhost-user switch, 1-16 "
	 "(default 1)", 0},
	{"switch-mem", 'm', required_argument, "MB", "hugepage memory of the switch, 64-1048576 "
	 "(default 1024)", 0},
	{"switch", 'w', required_argument, "ovs|testbed-pmd", "the vhost-user switch (default "
	 "ovs)", 0},
	{"pmd-maxsleep", 's', required_argument, "US", "--switch ovs: PMD sleep bound, 0-10000 "
	 "(default 0 on own cores, 100 shared)", 0},
	{"switch-idle", 'd', required_argument, "busy|adaptive", "--switch testbed-pmd: poll when "
	 "idle, or wait for kicks (default busy on own cores, adaptive shared)", 0},
	{"adapter", 'a', required_argument, "shim|colocated", "vhost-user netns guests: their "
	 "adapter in a shim process, or co-located in testbed-pmd's switch (default colocated "
	 "with --switch testbed-pmd, shim with ovs)", 0},
	{"guest-cores", 'G', required_argument, "rest|all", "when cores are too few: guests share "
	 "the cores the switch's PMDs leave, or go round-robin over every core so a pair's two "
	 "guests sit on different cores, as with a core per VM (default all with testbed-pmd "
	 "sleeping when idle, rest when the switch polls)", 0},
	{"profile", 'P', required_argument, "netns|vm-small|vm-reference|FILE.ini",
	 "guest profile (vm-profiles/profiles/; default netns)", 0},
	{"hosts", 'H', required_argument, "1|2", "simulated hosts joined by a veth wire (default "
	 "1)", 0},
	{"wire-pmd", 'W', required_argument, "auto|af_xdp|af_packet", "--hosts 2: how each "
	 "switch drives its wire end (default auto)", 0},
	{"nic", 'N', required_argument, "DEVARGS", "the switch's NIC to another machine: a PCI "
	 "address or DPDK devargs", 0},
	{"host-index", 'K', required_argument, "K", "with --nic or --kernel-nic: which machine "
	 "this is, 0-7 (default 0; its guests' addresses follow it)", CLI_OPT_NESTED},
	{"kernel-nic", 'k', required_argument, "IFACE", "the kernel bridge's NIC to other machines "
	 "(bridge, masquerade): the link joins the bridge, with the host's address", 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

const struct cli_opt cli_instance_opts[] = {
	{"instance", 'i', required_argument, "NAME", "the instance (default main)", 0},
	{NULL, 0, 0, NULL, NULL, 0},
};

int
up_parse_args(int argc, char **argv, struct up_conf *c, char *err, size_t errlen)
{
	struct option opts[CLI_OPTS_MAX];
	bool guests_given = false;
	int o, mb;

	cli_opts_getopt(cli_up_opts, opts);
	optind = 0; /* GNU: full re-initialisation, so tests may parse again */
	opterr = 0;
	while ((o = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (o) {
		case 'n':
			if (parse_numa(optarg, &c->numa, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'g':
			if (parse_int(optarg, 1, UP_MAX_GUESTS, &c->guests) < 0) {
				snprintf(err, errlen, "bad --guests \"%s\" (allowed: 1-%d per backend)",
					 optarg, UP_MAX_GUESTS);
				return -EINVAL;
			}
			guests_given = true;
			break;
		case 'b':
			if (tb_backend_parse_list(optarg, &c->backends, err, errlen) < 0)
				return -EINVAL;
			c->backends_all = strcmp(optarg, "all") == 0;
			break;
		case 'i':
			if (set_instance(optarg, c->instance, sizeof(c->instance), err, errlen) < 0)
				return -EINVAL;
			break;
		case 'p':
			c->page_kb = hp_size_parse(optarg);
			if (c->page_kb == 0) {
				snprintf(err, errlen, "bad --page-size \"%s\" (allowed: 2M, 1G)", optarg);
				return -EINVAL;
			}
			break;
		case 'c':
			if (parse_int(optarg, 1, 16, &c->n_pmd) < 0) {
				snprintf(err, errlen, "bad --pmd-cores \"%s\" (allowed: 1-16)", optarg);
				return -EINVAL;
			}
			break;
		case 'm':
			if (parse_int(optarg, 64, 1024 * 1024, &mb) < 0) {
				snprintf(err, errlen, "bad --switch-mem \"%s\" (allowed: 64-1048576 MB)",
					 optarg);
				return -EINVAL;
			}
			c->switch_mem_mb = mb;
			break;
		case 's':
			if (parse_pmd_maxsleep(optarg, &c->pmd_maxsleep_us, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'w':
			if (strcmp(optarg, UP_SWITCH_OVS) != 0 && strcmp(optarg, UP_SWITCH_PMD) != 0) {
				snprintf(err, errlen, "bad --switch \"%s\" (allowed: %s, %s)", optarg,
					 UP_SWITCH_OVS, UP_SWITCH_PMD);
				return -EINVAL;
			}
			c->vswitch = strcmp(optarg, UP_SWITCH_OVS) == 0 ? UP_SWITCH_OVS : UP_SWITCH_PMD;
			break;
		case 'd':
			if (strcmp(optarg, "busy") != 0 && strcmp(optarg, "adaptive") != 0) {
				snprintf(err, errlen,
					 "bad --switch-idle \"%s\" (allowed: busy, adaptive)", optarg);
				return -EINVAL;
			}
			c->switch_idle = strcmp(optarg, "busy") == 0 ? "busy" : "adaptive";
			break;
		case 'a':
			if (strcmp(optarg, UP_ADAPTER_SHIM) != 0 &&
			    strcmp(optarg, UP_ADAPTER_COLOCATED) != 0) {
				snprintf(err, errlen, "bad --adapter \"%s\" (allowed: %s, %s)",
					 optarg, UP_ADAPTER_SHIM, UP_ADAPTER_COLOCATED);
				return -EINVAL;
			}
			c->adapter = strcmp(optarg, UP_ADAPTER_SHIM) == 0 ? UP_ADAPTER_SHIM
									    : UP_ADAPTER_COLOCATED;
			break;
		case 'G':
			if (strcmp(optarg, UP_GUEST_CORES_REST) != 0 &&
			    strcmp(optarg, UP_GUEST_CORES_ALL) != 0) {
				snprintf(err, errlen, "bad --guest-cores \"%s\" (allowed: %s, %s)",
					 optarg, UP_GUEST_CORES_REST, UP_GUEST_CORES_ALL);
				return -EINVAL;
			}
			c->guest_cores = strcmp(optarg, UP_GUEST_CORES_ALL) == 0 ? UP_GUEST_CORES_ALL
										  : UP_GUEST_CORES_REST;
			break;
		case 'P':
			if (optarg[0] == '\0' || strlen(optarg) > 255) {
				snprintf(err, errlen, "bad --profile \"%.64s\" (allowed: a profile name "
					 "in vm-profiles/profiles/, e.g. netns, vm-small, vm-reference, "
					 "or a path to an .ini file)", optarg);
				return -EINVAL;
			}
			c->profile = optarg;
			break;
		case 'H':
			if (parse_int(optarg, 1, TB_MAX_HOSTS, &c->hosts) < 0) {
				snprintf(err, errlen, "bad --hosts \"%s\" (allowed: 1-%d)", optarg,
					 TB_MAX_HOSTS);
				return -EINVAL;
			}
			break;
		case 'W':
			if (parse_wire_pmd(optarg, &c->wire_pmd, err, errlen) < 0)
				return -EINVAL;
			break;
		case 'N':
			if (optarg[0] == '\0' || strlen(optarg) > 200 || strpbrk(optarg, " \t\n") != NULL) {
				snprintf(err, errlen, "bad --nic \"%.64s\" (allowed: a PCI address such as "
					 "0000:03:00.0 or DPDK devargs such as net_af_xdp0,iface=eth1, "
					 "no spaces)", optarg);
				return -EINVAL;
			}
			c->nic = optarg;
			break;
		case 'k':
			if (tb_link_name_check(optarg) < 0) {
				snprintf(err, errlen, "bad --kernel-nic \"%.64s\" (allowed: a link "
					 "name of 1-15 characters, no '/', ':' or spaces)", optarg);
				return -EINVAL;
			}
			c->kernel_nic = optarg;
			break;
		case 'K':
			if (parse_int(optarg, 0, TB_ADDR_MAX_MACHINES - 1, &c->host_index) < 0) {
				snprintf(err, errlen, "bad --host-index \"%s\" (allowed: 0-%d, one "
					 "per machine)", optarg, TB_ADDR_MAX_MACHINES - 1);
				return -EINVAL;
			}
			break;
		default:
			return bad_option(argc, argv, err, errlen);
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument \"%s\"", argv[optind]);
		return -EINVAL;
	}
	if (c->pmd_maxsleep_us >= 0 && strcmp(c->vswitch, UP_SWITCH_OVS) != 0) {
		snprintf(err, errlen, "--pmd-maxsleep is for --switch %s (%s sleeps by "
			 "--switch-idle)", UP_SWITCH_OVS, UP_SWITCH_PMD);
		return -EINVAL;
	}
	if (c->switch_idle != NULL && strcmp(c->vswitch, UP_SWITCH_PMD) != 0) {
		snprintf(err, errlen, "--switch-idle is for --switch %s (OVS-DPDK sleeps by "
			 "--pmd-maxsleep)", UP_SWITCH_PMD);
		return -EINVAL;
	}
	if (c->adapter != NULL && strcmp(c->adapter, UP_ADAPTER_COLOCATED) == 0 &&
	    strcmp(c->vswitch, UP_SWITCH_PMD) != 0) {
		snprintf(err, errlen, "--adapter %s is for --switch %s (OVS-DPDK cannot host the "
			 "guests' adapter; it uses --adapter %s)", UP_ADAPTER_COLOCATED,
			 UP_SWITCH_PMD, UP_ADAPTER_SHIM);
		return -EINVAL;
	}
	if (c->numa < 0) {
		snprintf(err, errlen, "--numa N is required (the NUMA node to build on)");
		return -EINVAL;
	}
	return check_hosts(c, guests_given, err, errlen);
}

int
instance_parse_args(int argc, char **argv, char *inst, size_t len, char *err, size_t errlen)
{
	struct option opts[CLI_OPTS_MAX];
	int o;

	cli_opts_getopt(cli_instance_opts, opts);
	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (o != 'i')
			return bad_option(argc, argv, err, errlen);
		if (set_instance(optarg, inst, len, err, errlen) < 0)
			return -EINVAL;
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument \"%s\"", argv[optind]);
		return -EINVAL;
	}
	return 0;
}
