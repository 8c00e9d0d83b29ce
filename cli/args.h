/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TB_CLI_ARGS_H
#define TB_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "backend.h"
#include "hosts.h"
#include "names.h"

/* per backend; one shim process drives at most 32 ports (DPDK's RTE_MAX_ETHPORTS) */
#define UP_MAX_GUESTS 32
/* the highest node number --numa takes */
#define UP_MAX_NUMA_NODE 1023

/* `up` options, defaults as in the usage line. */
struct up_conf {
	int numa; /* required */
	int guests;
	unsigned int backends;
	bool backends_all; /* --backends all: those this host runs (the others left out) */
	char instance[TB_INSTANCE_MAX + 1];
	unsigned long page_kb; /* 0: 1 GB where the host has them, else 2 MB */
	int n_pmd;
	long switch_mem_mb;
	const char *shim_idle;
	int pmd_maxsleep_us; /* -1: 0 with dedicated cores, PMD_MAXSLEEP_SHARED_US when shared */
	const char *vswitch; /* UP_SWITCH_OVS or UP_SWITCH_PMD */
	const char *switch_idle; /* testbed-pmd: NULL: busy on own cores, adaptive when shared */
	const char *profile;     /* guest profile: a name in vm-profiles/profiles/ or a path */
	int hosts;               /* simulated hosts joined by a wire (lib/hosts.h) */
	const char *wire_pmd;    /* DPDK PMD on the wire: "auto", "af_xdp" or "af_packet" */
	const char *nic;         /* NULL: the wire; else the switch's NIC (dpdk-devargs) */
	int host_index;          /* with --nic: which of two real machines this is */
};

/* Guest address/MAC index offset of real machine K (--host-index): machines share a LAN. */
#define UP_HOST_INDEX_STRIDE 128

/* How each host's switch drives its wire end (`--wire-pmd`). */
#define UP_WIRE_AUTO "auto"
#define UP_WIRE_AF_XDP "af_xdp"
#define UP_WIRE_AF_PACKET "af_packet"
/* Guests per backend with --hosts 2 when --guests is not given: two on each host, so both
 * a same-host and an across-hosts pair exist. */
#define UP_GUESTS_PER_HOST_DEFAULT 2

/* The vhost-user switches `up --switch` runs: OVS-DPDK, or pmd/'s switch role. */
#define UP_SWITCH_OVS "ovs"
#define UP_SWITCH_PMD "testbed-pmd"

/* PMD sleep bound when cores are shared: ~0.4 ms ping RTT instead of ~2 ms at 1000 us. */
#define PMD_MAXSLEEP_SHARED_US 100

#define UP_CONF_DEFAULT                                                                            \
	{                                                                                          \
		.numa = -1, .guests = 2, .backends = TB_BE_DEFAULT, .instance = "main",             \
		.page_kb = 0, .n_pmd = 1, .switch_mem_mb = 1024, .shim_idle = "adaptive",          \
		.pmd_maxsleep_us = -1, .vswitch = UP_SWITCH_OVS, .switch_idle = NULL,              \
		.profile = "netns", .hosts = 1, .wire_pmd = UP_WIRE_AUTO, .nic = NULL,             \
	}

/* Parses argv (argv[0] = "up"); on bad input err holds one line for the user. */
int up_parse_args(int argc, char **argv, struct up_conf *c, char *err, size_t errlen);

/* For commands whose only option is --instance NAME. */
int instance_parse_args(int argc, char **argv, char *inst, size_t len, char *err, size_t errlen);

/* --instance NAME: checked and copied, or -EINVAL with the allowed form in err. */
int set_instance(const char *name, char *inst, size_t len, char *err, size_t errlen);
/* --pmd-maxsleep US: OVS's range. */
int parse_pmd_maxsleep(const char *s, int *us, char *err, size_t errlen);

/* The benchmarks `bench` runs, as its messages list them. */
#define CLI_BENCHES "switch, net, ebpf, all"

/*
 * The positional word of a command whose options may stand around it (getopt_long with
 * "-", case 1): the first goes to *what, a second is an unexpected argument.
 */
int parse_positional(const char *arg, const char **what, char *err, size_t errlen);
/* After the options: the positional is this parser's benchmark name, else why not. */
int check_bench_name(const char *what, const char *name, char *err, size_t errlen);

/*
 * The options the benches share, with getopt_long's values: the positional name (1, with
 * "-" in optstring), --instance 'i', --numa 'n', --time 't', --repeat 'r', --out 'o'. Where
 * each goes; NULL: the bench does not take it.
 */
struct bench_opts {
	const char **what;
	char *instance;
	size_t instance_len;
	int *numa, *time_s, *repeat;
	const char **out;
};
/* 1: o was one of them and arg is good; 0: not one of them; -EINVAL: bad, why in err. */
int parse_bench_opt(int o, const char *arg, const struct bench_opts *b, char *err, size_t errlen);

/* --numa N: a node number (whether the host has it is checked where it is used). */
int parse_numa(const char *s, int *node, char *err, size_t errlen);

/* --wire-pmd NAME: *pmd points at the constant. */
int parse_wire_pmd(const char *s, const char **pmd, char *err, size_t errlen);

/* The benches' common options, with their one-line errors: --time SEC (1-600), --repeat R
 * (1-50), --out DIR (not empty; *out points at s). */
int parse_bench_time(const char *s, int *time_s, char *err, size_t errlen);
int parse_bench_repeat(const char *s, int *repeat, char *err, size_t errlen);
int parse_out_dir(const char *s, const char **out, char *err, size_t errlen);

/* After getopt_long returned '?' or ':': names the bad token, -EINVAL. */
int bad_option(int argc, char **argv, char *err, size_t errlen);

/* Strict integer: the whole string, within [min, max]. */
int parse_int(const char *s, int min, int max, int *val);

#endif
