/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "backend.h"
#include "hugepages.h"

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
up_parse_args(int argc, char **argv, struct up_conf *c, char *err, size_t errlen)
{
	static const struct option opts[] = {
		{"numa", required_argument, NULL, 'n'},
		{"guests", required_argument, NULL, 'g'},
		{"backends", required_argument, NULL, 'b'},
		{"instance", required_argument, NULL, 'i'},
		{"page-size", required_argument, NULL, 'p'},
		{"pmd-cores", required_argument, NULL, 'c'},
		{"switch-mem", required_argument, NULL, 'm'},
		{"pmd-maxsleep", required_argument, NULL, 's'},
		{"switch", required_argument, NULL, 'w'},
		{"switch-idle", required_argument, NULL, 'd'},
		{"profile", required_argument, NULL, 'P'},
		{NULL, 0, NULL, 0},
	};
	int o, mb;

	optind = 0; /* GNU: full re-initialisation, so tests may parse again */
	opterr = 0;
	while ((o = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (o) {
		case 'n':
			if (parse_int(optarg, 0, 1023, &c->numa) < 0) {
				snprintf(err, errlen, "bad --numa \"%s\" (allowed: a NUMA node number)",
					 optarg);
				return -EINVAL;
			}
			break;
		case 'g':
			if (parse_int(optarg, 1, UP_MAX_GUESTS, &c->guests) < 0) {
				snprintf(err, errlen, "bad --guests \"%s\" (allowed: 1-%d per backend)",
					 optarg, UP_MAX_GUESTS);
				return -EINVAL;
			}
			break;
		case 'b':
			if (tb_backend_parse_list(optarg, &c->backends, err, errlen) < 0)
				return -EINVAL;
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
		case 'P':
			if (optarg[0] == '\0' || strlen(optarg) > 255) {
				snprintf(err, errlen, "bad --profile \"%.64s\" (allowed: a profile name "
					 "in vm-profiles/profiles/, e.g. netns, vm-small, vm-reference, "
					 "or a path to an .ini file)", optarg);
				return -EINVAL;
			}
			c->profile = optarg;
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
	if (c->numa < 0) {
		snprintf(err, errlen, "--numa N is required (the NUMA node to build on)");
		return -EINVAL;
	}
	return 0;
}

int
instance_parse_args(int argc, char **argv, char *inst, size_t len, char *err, size_t errlen)
{
	static const struct option opts[] = {
		{"instance", required_argument, NULL, 'i'},
		{NULL, 0, NULL, 0},
	};
	int o;

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
