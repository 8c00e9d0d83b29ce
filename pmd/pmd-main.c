/*
 * testbed-pmd: the testbed's DPDK program. Shaped like DPDK's examples/l2fwd: EAL init,
 * argument shift, the role's setup and loop, then cleanup. The role is the first word
 * after "--".
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "shim.h"
#include "switch.h"
#include "probe.h"

#define PMD_EXIT_USAGE 2

static volatile bool force_quit;

static struct shim_conf shim_conf = SHIM_CONF_DEFAULT;

static int
pmd_shim_parse(int argc, char **argv, char *err, size_t errlen)
{
	int ret = shim_parse_args(argc, argv, &shim_conf, err, errlen);

	return ret == SHIM_ARGS_HELP ? 1 : ret;
}

static int
pmd_shim_run(void)
{
	return shim_run(&shim_conf, &force_quit);
}

static struct sw_conf sw_conf = SW_CONF_DEFAULT;

static int
pmd_switch_parse(int argc, char **argv, char *err, size_t errlen)
{
	int ret = sw_parse_args(argc, argv, &sw_conf, err, errlen);

	return ret == SW_ARGS_HELP ? 1 : ret;
}

static int
pmd_switch_run(void)
{
	return sw_run(&sw_conf, &force_quit);
}

static const struct pmd_role {
	const char *name;
	const char *summary;
	/* 0: run; 1: usage was asked for; negative: error in err. */
	int (*parse)(int argc, char **argv, char *err, size_t errlen);
	int (*run)(void);
	void (*usage)(FILE *f);
} pmd_roles[] = {
	{ "shim", "bridge tap devices to virtio-user ports served to a vhost-user switch",
		pmd_shim_parse, pmd_shim_run, shim_usage },
	{ "switch", "an L2 switch between vhost-user ports and NICs (MAC learning, adaptive idle)",
		pmd_switch_parse, pmd_switch_run, sw_usage },
};

static void
pmd_usage(FILE *f)
{
	unsigned int i;

	fprintf(f, "usage: testbed-pmd [EAL options] -- ROLE [ROLE options]\nroles:\n");
	for (i = 0; i < RTE_DIM(pmd_roles); i++)
		fprintf(f, "  %-8s %s\n", pmd_roles[i].name, pmd_roles[i].summary);
	fprintf(f, "'testbed-pmd -- ROLE --help' describes a role's options\n");
}

static const struct pmd_role *
pmd_role_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(pmd_roles); i++) {
		if (strcmp(pmd_roles[i].name, name) == 0)
			return &pmd_roles[i];
	}
	return NULL;
}

static void
signal_handler(int signum)
{
	if (signum == SIGINT || signum == SIGTERM)
		force_quit = true;
}

/*
 * SIGINT/SIGTERM are blocked while EAL starts its threads, which inherit the mask, so the
 * signals reach the main thread. No SA_RESTART: a signal then interrupts a virtio-user
 * probe waiting in accept() for the switch, instead of leaving it waiting.
 */
static void
pmd_signals_block(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, set, NULL);
}

static void
pmd_signals_install(const sigset_t *set)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = signal_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A switch that goes away mid-message must not kill the guests' side. */
	signal(SIGPIPE, SIG_IGN);
	pthread_sigmask(SIG_UNBLOCK, set, NULL);
}

int
main(int argc, char **argv)
{
	const struct pmd_role *role;
	char err[512];
	sigset_t sigs;
	int nb_eal, ret;

	/* Roles are checked before EAL init: a bad argument costs no hugepages. */
	for (nb_eal = 1; nb_eal < argc; nb_eal++) {
		if (strcmp(argv[nb_eal], "--") == 0)
			break;
	}
	if (nb_eal + 1 >= argc) {
		fprintf(stderr, "testbed-pmd: no role given after \"--\"\n");
		pmd_usage(stderr);
		return PMD_EXIT_USAGE;
	}
	role = pmd_role_find(argv[nb_eal + 1]);
	if (role == NULL) {
		fprintf(stderr, "testbed-pmd: unknown role \"%s\" (allowed: shim, switch)\n",
			argv[nb_eal + 1]);
		return PMD_EXIT_USAGE;
	}
	ret = role->parse(argc - nb_eal - 1, argv + nb_eal + 1, err, sizeof(err));
	if (ret == 1) {
		role->usage(stdout);
		return 0;
	}
	if (ret < 0) {
		fprintf(stderr, "testbed-pmd %s: %s\n", role->name, err);
		return PMD_EXIT_USAGE;
	}

	pmd_signals_block(&sigs);
	ret = rte_eal_init(nb_eal, argv);
	if (ret < 0) {
		fprintf(stderr, "testbed-pmd: cannot init EAL: %s\n", rte_strerror(rte_errno));
		return rte_errno == EINVAL ? PMD_EXIT_USAGE : EXIT_FAILURE;
	}
	force_quit = false;
	pmd_probe_calibrate(); /* bench path stamps: one clock with the control plane */
	pmd_signals_install(&sigs);

	ret = role->run();

	rte_eal_cleanup();
	return ret < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
