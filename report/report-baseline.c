/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The baseline of a run across two hosts: the wire between them measured host to host,
 * without VMs, beside the reference's (shared by the sweep and the simulation reports).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "report-common.h"
#include "reference.h"

#define BL_CELL 160

static const struct {
	const char *key;   /* in results.json's "baseline" */
	const char *field; /* the figure inside it */
	const char *what;
	double ref; /* the reference's, -1 where it published none */
} rows[] = {
	{"iperf", "bw_mbps", "iperf bandwidth", REF_BASELINE_IPERF_MBPS},
	{"qperf_tcp_lat", "latency_us", "qperf latency (tcp_lat)", REF_BASELINE_QPERF_LAT_US},
	{"qperf_tcp_bw", "bw_mbps", "qperf bandwidth (tcp_bw)", -1},
};
#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

static void
cell_fig(char *b, size_t len, const char *field, double v)
{
	if (strcmp(field, "latency_us") == 0)
		rp_cell_unit(b, len, v, " us");
	else
		rp_cell_mbps(b, len, v);
}

void
rp_md_baseline(FILE *f, json_t *results, bool with_ref)
{
	json_t *bl = json_object_get(results, "baseline");
	const char *status = json_string_value(json_object_get(bl, "status"));
	const char *why = json_string_value(json_object_get(bl, "reason"));
	const char *path = json_string_value(json_object_get(bl, "path"));
	char cell[BL_CELL], ref[32], raw[BL_CELL];
	size_t i, n = 0;
	bool failed;

	if (!json_is_object(bl))
		return;
	for (i = 0; i < N_ROWS; i++)
		n += json_is_object(json_object_get(bl, rows[i].key));
	/* without a status, what it holds tells */
	failed = status != NULL ? strcmp(status, "ok") != 0 : n == 0;
	fputs("\n## Baseline: host to host over the wire\n", f);
	if (path != NULL || failed)
		fputc('\n', f);
	if (path != NULL) {
		rp_cell_text(cell, sizeof(cell), "", path);
		fprintf(f, "- path: %s\n", cell);
	}
	if (failed) {
		rp_cell_text(cell, sizeof(cell), "", why != NULL ? why : "no reason recorded");
		fprintf(f, "- not measured: %s\n", cell);
	}
	if (n > 0) {
		fprintf(f, "\n| measurement | ours |%s raw |\n|---|---:|%s---|\n",
			with_ref ? " reference |" : "", with_ref ? "---:|" : "");
		for (i = 0; i < N_ROWS; i++) {
			json_t *m = json_object_get(bl, rows[i].key);
			const char *file = json_string_value(json_object_get(m, "raw"));

			cell_fig(cell, sizeof(cell), rows[i].field, rp_num(m, rows[i].field));
			cell_fig(ref, sizeof(ref), rows[i].field, rows[i].ref);
			rp_cell_text(raw, sizeof(raw), "", file != NULL ? file : "-");
			fprintf(f, "| %s | %s |", rows[i].what, cell);
			if (with_ref)
				fprintf(f, " %s |", ref);
			fprintf(f, " %s |\n", raw);
		}
	}
	/* a VM's traffic across hosts crosses this wire: it bounds what any backend shows */
	fputs("\nRead the across-hosts figures against this baseline: no backend moves more "
	      "data between\nthe hosts than the wire itself, nor answers faster.",
	      f);
	if (with_ref) {
		rp_fmt_mbps(cell, sizeof(cell), REF_BASELINE_IPERF_MBPS);
		rp_fmt3(ref, sizeof(ref), REF_BASELINE_QPERF_LAT_US);
		fprintf(f,
			" The reference's wire (25 Gb/s Mellanox\nCX4 Lx through a switch) gave "
			"%s (iperf) and %s us (qperf): its across-hosts\nfigures and ref "
			"across/same ratios are bounded by that wire, ours by this one.",
			cell, ref);
	}
	fputc('\n', f);
}
