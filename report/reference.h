/* SPDX-License-Identifier: BSD-3-Clause */
/* The reference's published figures (CSV) read for the reports. */
#ifndef TB_REFERENCE_H
#define TB_REFERENCE_H

#include <stddef.h>

/* The published Virtink figures (data/reference/virtink-vhost-user-test.csv). */
struct ref_point {
	char backend[16];  /* vhost-user, bridge, masquerade */
	char scope[16];    /* same_host, across_hosts */
	char test[16];     /* tcp, udp, simulate */
	double x;          /* message size in bytes, or number of VMs */
	double bw_mbps;    /* -1 where the source has none */
	double pps;
	double lat_us;
	double link_bw_mbps;
};

/*
 * The reference's baseline between its two hosts, NIC to NIC without VMs: the line
 * "Baseline NIC between the hosts" of ../shared/reference/README.md. The CSV has no
 * baseline rows (nor has data/reference/README.md that line), so the figures live here.
 */
#define REF_BASELINE_IPERF_MBPS 23500.0 /* iperf, 23.5 Gb/s */
#define REF_BASELINE_QPERF_LAT_US 13.0  /* qperf latency */

struct ref_table {
	size_t n;
	struct ref_point *p;
};

/* TB_DATA_DIR/reference/virtink-vhost-user-test.csv */
const char *ref_default_path(void);
/* Bad line: -EINVAL with "file:line: why" in err. */
int ref_load(const char *path, struct ref_table *t, char *err, size_t errlen);
void ref_free(struct ref_table *t);
/* test: "tcp"/"udp"/"simulate"; NULL when the reference has no such point. */
const struct ref_point *ref_find(const struct ref_table *t, const char *backend, const char *scope,
				 const char *test, double x);

#endif
