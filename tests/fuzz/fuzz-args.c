/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The CLI's option parsers. The input is argv, its words separated by NUL bytes;
 * argv[0] names the parser (up, sweep, simulate, bench, down) as the dispatcher would.
 */
#include <errno.h>

#include "args.h"
#include "bench.h"
#include "fuzz.h"
#include "simulate.h"
#include "sweep.h"

#define FA_MAX_ARGS 64

static void
fa_check_err(int ret, const char *err, size_t len)
{
	fuzz_check_str(err, len);
	/* bad input: -EINVAL and a message (it may quote the bad word, newlines and all) */
	FUZZ_ASSERT(ret == 0 || (ret == -EINVAL && err[0] != '\0'));
}

static void
fa_up(int argc, char **argv)
{
	struct up_conf c = UP_CONF_DEFAULT;
	char err[256] = "";
	int ret = up_parse_args(argc, argv, &c, err, sizeof(err));

	fa_check_err(ret, err, sizeof(err));
	if (ret < 0)
		return;
	FUZZ_ASSERT(tb_instance_check(c.instance) == 0);
	FUZZ_ASSERT(c.numa >= 0 && c.guests >= 0 && c.guests <= UP_MAX_GUESTS);
	FUZZ_ASSERT(c.backends != 0 && (c.backends & ~TB_BE_ALL) == 0);
	FUZZ_ASSERT(c.vswitch != NULL && c.shim_idle != NULL && c.profile != NULL);
}

static void
fa_sweep(int argc, char **argv)
{
	struct sweep_conf c = SWEEP_CONF_DEFAULT;
	long sizes[64];
	char err[256] = "";
	int ret = sweep_parse_args(argc, argv, &c, err, sizeof(err)), t, n;

	fa_check_err(ret, err, sizeof(err));
	if (ret < 0)
		return;
	FUZZ_ASSERT(tb_instance_check(c.instance) == 0);
	FUZZ_ASSERT(c.tests != 0 && c.time_s > 0 && c.repeat >= 0 && c.out != NULL);
	for (t = 0; t < SW_N_TESTS; t++) {
		n = sweep_sizes(&c, (enum sweep_test)t, sizes, 64);
		FUZZ_ASSERT(n >= 0 && n <= 64);
		while (n-- > 0)
			FUZZ_ASSERT(sizes[n] >= 1 && sizes[n] <= SW_SIZE_MAX);
	}
}

static void
fa_simulate(int argc, char **argv)
{
	struct sim_conf c = SIM_CONF_DEFAULT;
	char err[256] = "";
	int ret = sim_parse_args(argc, argv, &c, err, sizeof(err));

	fa_check_err(ret, err, sizeof(err));
	if (ret < 0)
		return;
	FUZZ_ASSERT(tb_instance_check(c.instance) == 0);
	FUZZ_ASSERT(c.n_steps >= 1 && c.n_steps <= SIM_MAX_STEPS && c.duration_s > 0);
	FUZZ_ASSERT(c.mtr_cycles >= 0 && c.mtr_cycles <= SIM_MTR_CYCLES_MAX);
	FUZZ_ASSERT(sim_mtr_cycles(&c) >= 1 && sim_mtr_cycles(&c) <= SIM_MTR_CYCLES_MAX);
	FUZZ_ASSERT(c.repeat >= 1 && c.repeat <= SIM_REPEAT_MAX);
	FUZZ_ASSERT(sim_max_vms(&c) >= 0);
}

static void
fa_bench(int argc, char **argv)
{
	struct bench_conf c = BENCH_CONF_DEFAULT;
	char err[256] = "";
	int ret = bench_parse_args(argc, argv, &c, err, sizeof(err)), i;

	fa_check_err(ret, err, sizeof(err));
	if (ret < 0)
		return;
	FUZZ_ASSERT(tb_instance_check(c.instance) == 0);
	FUZZ_ASSERT(c.n_sizes >= 1 && c.n_sizes <= BENCH_MAX_SIZES && c.switches != 0);
	for (i = 0; i < c.n_sizes; i++)
		FUZZ_ASSERT(c.sizes[i] >= BENCH_MIN_FRAME && c.sizes[i] <= BENCH_MAX_FRAME);
}

static void
fa_down(int argc, char **argv)
{
	char inst[TB_INSTANCE_MAX + 1] = "main", err[256] = "";
	int ret = instance_parse_args(argc, argv, inst, sizeof(inst), err, sizeof(err));

	fa_check_err(ret, err, sizeof(err));
	if (ret == 0)
		FUZZ_ASSERT(tb_instance_check(inst) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FA_MAX_ARGS + 1], *s = fuzz_text(data, size), *p;
	int argc = 0;

	if (s == NULL)
		return 0;
	/* words end at NULs; the last one at the terminator fuzz_text added */
	for (p = s; argc < FA_MAX_ARGS && p <= s + size; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	if (strcmp(argv[0], "up") == 0)
		fa_up(argc, argv);
	else if (strcmp(argv[0], "sweep") == 0)
		fa_sweep(argc, argv);
	else if (strcmp(argv[0], "simulate") == 0)
		fa_simulate(argc, argv);
	else if (strcmp(argv[0], "bench") == 0)
		fa_bench(argc, argv);
	else if (strcmp(argv[0], "down") == 0)
		fa_down(argc, argv);
	free(s);
	return 0;
}
