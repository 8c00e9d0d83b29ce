/* SPDX-License-Identifier: BSD-3-Clause */
/* Tool text -> numbers, one parser per tool; no I/O beyond the text given. */
#ifndef TB_TOOLPARSE_H
#define TB_TOOLPARSE_H

#include <stdbool.h>

#include <jansson.h>

/*
 * Parsers of the benchmark tools' text output, so every kept raw output can be
 * re-analysed. They never print; on output that is not the tool's they return
 * -EINVAL, on the tool's own failure report they return 0 with ok = false and
 * the tool's words in error. Values absent from the output are -1.
 */

#define TP_ERR_LEN 256

/* One test of `qperf HOST -vv -m SIZE TEST` (qperf 0.4.x). Units normalised. */
struct tp_qperf {
	char test[24];        /* "tcp_lat", from the "tcp_lat:" header */
	bool ok;              /* false: tool error, or no message completed (latency/bw 0) */
	char error[TP_ERR_LEN];
	double latency_us;    /* *_lat: latency */
	double bw_Bps;        /* tcp_bw: bw; udp_bw: recv_bw (what arrived), bytes/s */
	double send_bw_Bps;   /* udp_bw: send_bw */
	double msg_rate;      /* messages per second */
	double msg_size;      /* bytes */
	double time_s;        /* test duration */
	double loc_cpus_used; /* % of one CPU; *_bw: send_cpus_used */
	double rem_cpus_used; /* *_bw: recv_cpus_used */
};

/* `iperf -c` (iperf 2) in text (-f any) or CSV (-y C) form; several streams: their sum. */
struct tp_iperf {
	bool ok;
	char error[TP_ERR_LEN];
	int streams;
	double seconds;
	double bytes;
	double bw_bps; /* bits per second */
};

#define TP_MTR_MAX_HOPS 32

struct tp_mtr_hop {
	int n;
	char host[64];
	double loss_pct;
	int sent;
	double last_ms, avg_ms, best_ms, worst_ms, stdev_ms;
};

/* `mtr --report` (mtr 0.9x); the last hop is the destination. */
struct tp_mtr {
	bool ok; /* false when no hop answered */
	char error[TP_ERR_LEN];
	int n_hops;
	struct tp_mtr_hop hop[TP_MTR_MAX_HOPS];
};

int tp_qperf_parse(const char *text, struct tp_qperf *r);

/*
 * Every block of one qperf output. `qperf HOST -oo msg_size:1:128M:*2 [-v|-vv|-vvs|-vu]
 * TEST` (the reference's method) prints one "TEST:" block per size, and several tests on
 * one command line one block each. -v, -vv and -vu print msg_size in each block; -vvs and
 * no -v do not: then a block's size is the next one of the -oo sizes for its test, checked
 * against the bytes per message the block counted (loc_send_bytes / loc_send_msgs, or
 * send_bytes / send_msgs) where it has them. A test's only block, without msg_size and
 * without an oo given, keeps msg_size -1 (`qperf -m SIZE TEST`: no loop to tell it).
 */
struct tp_qperf_block {
	struct tp_qperf r;  /* r.msg_size: printed, or from the sizes (size_from_oo) */
	int line;           /* its header's line, from 1 */
	bool size_from_oo;
	double sent_bytes;  /* -1 when absent */
	double sent_msgs;
};

struct tp_qperf_all {
	struct tp_qperf_block *b; /* n blocks in output order (malloc'd; tp_qperf_all_free) */
	size_t n;
	bool ok;                  /* every block ok */
	char error[TP_ERR_LEN];   /* -EINVAL: "line 12: \"...\": why"; !ok: the first failure */
};

#define TP_QPERF_MAX_SIZES 64
/* The reference's sizes: TCP tests 1 B..128 MiB, UDP 1 B..1 KiB, doubling. */
#define TP_QPERF_OO_TCP "msg_size:1:128M:*2"
#define TP_QPERF_OO_UDP "msg_size:1:1K:*2"

/*
 * qperf's -oo loop "msg_size:MIN:MAX:*F" or "msg_size:MIN:MAX:+STEP" (sizes with K, M, G:
 * powers of 1024, as qperf reads them) -> sizes[0..*n). -EINVAL on another form, -E2BIG past
 * max sizes.
 */
int tp_qperf_oo_sizes(const char *spec, double *sizes, size_t max, size_t *n);

/*
 * Reads every block of text strictly: a line it cannot read (text before the first header,
 * an indented line without "key = value", a value it keeps whose number or unit it does not
 * know, more blocks of a test than its sizes, a block whose bytes per message disagree with
 * its size) is -EINVAL with a->error naming the line number and its content. A block that
 * reports qperf's own failure ("198.18.1.2: failed to connect", no message completed) is
 * ok = false in that block, and a->ok false with the first one in a->error. oo: the -oo loop
 * the output was made with; NULL: the reference's for each test (TP_QPERF_OO_TCP/_UDP).
 * The caller frees with tp_qperf_all_free after 0 and after -EINVAL.
 */
int tp_qperf_parse_all(const char *text, const char *oo, struct tp_qperf_all *a);
void tp_qperf_all_free(struct tp_qperf_all *a);
/* {"tool", "ok", "error", "blocks": [tp_qperf_json + "line", "msg_size_from"]}; one block:
 * its fields at the top level too, as tp_qperf_json's. */
json_t *tp_qperf_all_json(const struct tp_qperf_all *a);
int tp_iperf_parse(const char *text, struct tp_iperf *r);
int tp_mtr_parse(const char *text, struct tp_mtr *r);

/*
 * `iperf3 -c ... -J` (iperf 3.x JSON, checked on 3.12). Totals over all streams (-P) from
 * "end": what the sender sent (sum_sent) and what arrived at the receiver (sum_received;
 * with -R the client is the receiver). UDP: datagram counts and loss as the receiver saw
 * them. A test that did not run ("error" in the JSON: server unreachable, busy, ...) is
 * ok = false with iperf3's words; iperf3 3.12 exits 0 even then.
 */
struct tp_iperf3 {
	bool ok;
	char error[TP_ERR_LEN];
	bool udp;
	bool reverse;
	int streams;
	double blksize;        /* bytes per write (UDP: the datagram payload) */
	double seconds;        /* the receiver's */
	double sent_bytes, received_bytes;
	double sent_bps, received_bps; /* bits per second */
	double retransmits;    /* TCP, the sender's (-1 when absent, as for UDP) */
	double packets;        /* UDP datagrams sent */
	double lost_packets;   /* UDP, as the receiver counted them */
	double lost_pct;
	double jitter_ms;
	double tx_pps, rx_pps; /* UDP: datagrams sent / arrived per second */
	double cpu_local_pct, cpu_remote_pct; /* host_total, remote_total */
};

#define TP_SOCKPERF_PCT 10

/*
 * `sockperf ping-pong` (sockperf 3.x, checked on 3.7) with --full-rtt, optionally with
 * --full-log /dev/stdout: the summary of the valid period (warm-up excluded) and, when the
 * full log follows, every observation's round trip. sockperf exits 0 on failure: "ERROR:"
 * lines and "No messages were received" make ok = false. Colour escapes are skipped.
 */
struct tp_sockperf {
	bool ok;
	char error[TP_ERR_LEN];
	bool tcp;             /* "# TCP" on the target line */
	bool full_rtt;        /* times are round trips (avg-rtt), else half of one (avg-lat) */
	double run_s;         /* [Valid Duration] RunTime */
	double sent, received; /* messages in the valid period */
	double rate;          /* received / run_s: round trips (transactions) per second */
	double avg_us, stddev_us, min_us, max_us;
	double dropped, duplicated, out_of_order;
	int n_pct;            /* sockperf's own percentile lines, as printed (99.999 ... 25) */
	double pct[TP_SOCKPERF_PCT], pct_us[TP_SOCKPERF_PCT];
	double *rtt_us;       /* the full log's rows in order (malloc'd; tp_sockperf_free) */
	size_t n_rtt;
};

/*
 * `ping -n -c N -i 0.01 ADDR` (iputils; busybox's "seq=" lines too): each reply's time in
 * order (duplicates left out and counted), the summary's counts and rtt line. ok = false
 * when no reply came back, with the first error ping printed ("Destination Host
 * Unreachable", "sendmsg: No buffer space available", "connect: Network is unreachable").
 */
struct tp_ping {
	bool ok;
	char error[TP_ERR_LEN];
	double transmitted, received;
	double loss_pct;
	int duplicates;
	double min_us, avg_us, max_us, mdev_us; /* the summary's rtt line */
	double *rtt_us; /* per reply (malloc'd; tp_ping_free) */
	size_t n_rtt;
};

int tp_iperf3_parse(const char *text, struct tp_iperf3 *r);
/* On 0 the caller frees with tp_sockperf_free / tp_ping_free (also after ok = false). */
int tp_sockperf_parse(const char *text, struct tp_sockperf *r);
void tp_sockperf_free(struct tp_sockperf *r);
int tp_ping_parse(const char *text, struct tp_ping *r);
void tp_ping_free(struct tp_ping *r);
json_t *tp_iperf3_json(const struct tp_iperf3 *r);
/* With P50/P95/P99 of the observations (nearest rank, lib/stats.h) when there are some. */
json_t *tp_sockperf_json(const struct tp_sockperf *r);
json_t *tp_ping_json(const struct tp_ping *r);

/* JSON of a parse result (what `testbed parse` prints). */
json_t *tp_qperf_json(const struct tp_qperf *r);
json_t *tp_iperf_json(const struct tp_iperf *r);
json_t *tp_mtr_json(const struct tp_mtr *r);

/*
 * "164 us", "1.2 ms", "127 MB/sec", "6.09 K/sec", "246 MiB (257,949,696)", "118 % cpus":
 * a number (thousands separators allowed) and its unit, normalised to the base unit
 * (us for time, bytes, bytes/s, 1/s, %). qperf's K/M/G are decimal, KiB/MiB binary.
 * -EINVAL when the unit is unknown.
 */
int tp_value_unit(const char *s, double *val);

/*
 * Sum of "processing cycles: N" over the PMD threads in `ovs-appctl
 * dpif-netdev/pmd-stats-show` (OVS 2.x/3.x): the cycles the PMDs spent in polls that moved
 * packets. -EINVAL when the text has none.
 */
int tp_ovs_processing_cycles(const char *text, double *cycles);

/* Removes terminal colour sequences (ESC [ params letter) and lone ESC bytes in place. */
void tp_strip_esc(char *line);

#endif
