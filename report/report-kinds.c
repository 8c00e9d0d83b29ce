/* SPDX-License-Identifier: BSD-3-Clause */
/* The report-kind table: which renderer draws, writes or compares a run of each "kind". */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report-common.h"
#include "report.h"
#include "results.h"

/* The kinds whose renderer takes no reference figures. */
static int
net_report(const char *dir, json_t *results, const struct ref_table *ref, char *err,
	   size_t errlen)
{
	(void)ref;
	return rp_write_net_report(dir, results, err, errlen);
}

static int
path_report(const char *dir, json_t *results, const struct ref_table *ref, char *err,
	    size_t errlen)
{
	(void)ref;
	return rp_write_path_report(dir, results, err, errlen);
}

static int
ebpf_report(const char *dir, json_t *results, const struct ref_table *ref, char *err,
	    size_t errlen)
{
	(void)ref;
	return rp_write_ebpf_report(dir, results, err, errlen);
}

static int
all_report(const char *dir, json_t *results, const struct ref_table *ref, char *err,
	   size_t errlen)
{
	(void)ref;
	return rp_write_all_report(dir, results, err, errlen);
}

static int
switch_report(const char *dir, json_t *results, const struct ref_table *ref, char *err,
	      size_t errlen)
{
	(void)ref;
	return rp_write_switch_report(dir, results, err, errlen);
}

/* One row per value of results.json's "kind"; a run without one is a sweep (the first). */
static const struct rp_kind kinds[] = {
	{
		.name = "sweep",
		.what = "a sweep",
		.results = res_write,
		.report = rp_write_sweep_report,
		.compare = rp_compare_sweep,
		.summary = rp_compare_sweep_summary,
	},
	{
		.name = "simulate",
		.what = "a simulation",
		.results = res_write,
		.report = rp_write_sim_report,
		.compare = rp_compare_sim,
		.summary = rp_compare_sim_summary,
	},
	{
		.name = "bench-net",
		.what = "a bench net run",
		.results = rp_write_net_results,
		.report = net_report,
	},
	{
		.name = "bench-path",
		.what = "a bench path run",
		.results = rp_write_path_results,
		.report = path_report,
	},
	{
		.name = "bench-ebpf",
		.what = "a bench ebpf run",
		.results = rp_write_ebpf_results,
		.report = ebpf_report,
	},
	{
		.name = "bench-all",
		.what = "a bench all run",
		/* its results.csv (a row per backend) is written by bench all itself */
		.report = all_report,
		.subruns = rp_all_subruns,
	},
	{
		.name = "bench_switch",
		.what = "a bench switch run",
		.results = rp_write_switch_results,
		.report = switch_report,
	},
};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

const struct rp_kind *
rp_kind_find(json_t *results, char *err, size_t errlen)
{
	json_t *k = json_object_get(results, "kind");
	const char *name = json_string_value(k);
	size_t i, o;

	if (k == NULL)
		return &kinds[0];
	for (i = 0; name != NULL && i < N_KINDS; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	o = snprintf(err, errlen, "unknown kind of run \"%s\" (known: ",
		     name != NULL ? name : "(not a string)");
	for (i = 0; i < N_KINDS && o < errlen; i++)
		o += snprintf(err + o, errlen - o, "%s%s", i ? ", " : "", kinds[i].name);
	if (o < errlen)
		snprintf(err + o, errlen - o, ")");
	return NULL;
}

static const char *
run_name(json_t *results)
{
	const char *id = json_string_value(json_object_get(results, "run_id"));

	return id != NULL ? id : "(no run id)";
}

/* The kind of runs a and b when it is one and the same; NULL (err set) when not. */
static const struct rp_kind *
pair_kind(json_t *a, json_t *b, char *err, size_t errlen)
{
	const struct rp_kind *ka = rp_kind_find(a, err, errlen), *kb;

	if (ka == NULL)
		return NULL;
	kb = rp_kind_find(b, err, errlen);
	if (kb == NULL)
		return NULL;
	if (ka != kb) {
		snprintf(err, errlen, "run %s is %s and run %s %s: compare runs of the same kind",
			 run_name(a), ka->what, run_name(b), kb->what);
		return NULL;
	}
	return ka;
}

int
rp_write_report(const char *dir, json_t *results, const struct ref_table *ref, char *err,
		size_t errlen)
{
	const struct rp_kind *k = rp_kind_find(results, err, errlen);

	if (k == NULL)
		return -EINVAL;
	return k->report(dir, results, ref, err, errlen);
}

int
rp_compare(const char *out_path, json_t *a, json_t *b, char *err, size_t errlen)
{
	const struct rp_kind *ka = pair_kind(a, b, err, errlen);

	if (ka == NULL)
		return -EINVAL;
	if (ka->compare == NULL) {
		snprintf(err, errlen, "runs of kind \"%s\" have no comparison (sweeps and "
				      "simulations do)",
			 ka->name);
		return -ENOTSUP;
	}
	return ka->compare(out_path, a, b, err, errlen);
}

int
rp_compare_summary(json_t *a, json_t *b, struct rp_cmp_summary *s, char *err, size_t errlen)
{
	const struct rp_kind *ka = pair_kind(a, b, err, errlen);

	if (ka == NULL)
		return -EINVAL;
	if (ka->summary == NULL) {
		snprintf(err, errlen, "runs of kind \"%s\" have no comparison summary (sweeps and simulations do)",
			 ka->name);
		return -ENOTSUP;
	}
	return ka->summary(a, b, s, err, errlen);
}

int
rp_subruns(json_t *results, const char **names, int max)
{
	const struct rp_kind *k = rp_kind_find(results, NULL, 0);

	return k != NULL && k->subruns != NULL ? k->subruns(results, names, max) : 0;
}
