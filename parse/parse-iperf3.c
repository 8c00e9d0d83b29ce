/* SPDX-License-Identifier: BSD-3-Clause */
/* iperf3 -J output -> throughput, retransmits, UDP loss and rates. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "parse-common.h"
#include "toolparse.h"

/* A finite number >= 0 at key, else -1 (absent). */
static double
i3_num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	double d;

	if (!json_is_number(v))
		return -1;
	d = json_number_value(v);
	return isfinite(d) && d >= 0 ? d : -1;
}

static void
i3_clear(struct tp_iperf3 *r)
{
	memset(r, 0, sizeof(*r));
	r->blksize = r->seconds = -1;
	r->sent_bytes = r->received_bytes = r->sent_bps = r->received_bps = -1;
	r->retransmits = r->packets = r->lost_packets = r->lost_pct = r->jitter_ms = -1;
	r->tx_pps = r->rx_pps = -1;
	r->cpu_local_pct = r->cpu_remote_pct = -1;
}

/* UDP: what was sent and what arrived, from sum_sent/sum_received (3.12) or sum (older). */
static void
i3_udp(json_t *end, struct tp_iperf3 *r)
{
	json_t *sent = json_object_get(end, "sum_sent"),
	       *recv = json_object_get(end, "sum_received");
	double sent_s, recv_s, arrived;

	if (!json_is_object(recv))
		recv = json_object_get(end, "sum");
	if (!json_is_object(sent))
		sent = json_object_get(end, "sum");
	r->sent_bytes = i3_num(sent, "bytes");
	r->sent_bps = i3_num(sent, "bits_per_second");
	sent_s = i3_num(sent, "seconds");
	r->received_bytes = i3_num(recv, "bytes");
	r->received_bps = i3_num(recv, "bits_per_second");
	r->seconds = recv_s = i3_num(recv, "seconds");
	r->packets = i3_num(recv, "packets");
	r->lost_packets = i3_num(recv, "lost_packets");
	r->lost_pct = i3_num(recv, "lost_percent");
	r->jitter_ms = i3_num(recv, "jitter_ms");
	if (i3_num(sent, "packets") > 0 && sent_s > 0)
		r->tx_pps = i3_num(sent, "packets") / sent_s;
	if (r->packets >= 0 && r->lost_packets >= 0 && r->lost_packets <= r->packets &&
	    recv_s > 0) {
		arrived = r->packets - r->lost_packets;
		r->rx_pps = arrived / recv_s;
	}
}

static void
i3_tcp(json_t *end, struct tp_iperf3 *r)
{
	json_t *sent = json_object_get(end, "sum_sent"),
	       *recv = json_object_get(end, "sum_received");

	r->sent_bytes = i3_num(sent, "bytes");
	r->sent_bps = i3_num(sent, "bits_per_second");
	r->retransmits = i3_num(sent, "retransmits");
	r->received_bytes = i3_num(recv, "bytes");
	r->received_bps = i3_num(recv, "bits_per_second");
	r->seconds = i3_num(recv, "seconds");
}

int
tp_iperf3_parse(const char *text, struct tp_iperf3 *r)
{
	json_t *j, *start, *end, *ts, *err, *cpu;
	const char *proto;

	i3_clear(r);
	if (text == NULL)
		return -EINVAL;
	j = json_loads(text, 0, NULL);
	start = json_object_get(j, "start");
	end = json_object_get(j, "end");
	if (!json_is_object(start) || !json_is_object(end)) {
		json_decref(j);
		return -EINVAL;
	}
	ts = json_object_get(start, "test_start");
	proto = json_string_value(json_object_get(ts, "protocol"));
	r->udp = proto != NULL && strcmp(proto, "UDP") == 0;
	r->reverse = json_is_true(json_object_get(ts, "reverse")) ||
		     json_integer_value(json_object_get(ts, "reverse")) != 0;
	r->streams = (int)json_integer_value(json_object_get(ts, "num_streams"));
	if (r->streams < 0)
		r->streams = 0;
	r->blksize = i3_num(ts, "blksize");
	if (r->udp)
		i3_udp(end, r);
	else
		i3_tcp(end, r);
	cpu = json_object_get(end, "cpu_utilization_percent");
	r->cpu_local_pct = i3_num(cpu, "host_total");
	r->cpu_remote_pct = i3_num(cpu, "remote_total");
	err = json_object_get(j, "error");
	if (err != NULL) {
		tp_copy_text(r->error, sizeof(r->error),
			     json_is_string(err) ? json_string_value(err)
						 : "iperf3 reported an error");
		if (r->error[0] == '\0')
			snprintf(r->error, sizeof(r->error), "iperf3 reported an empty error");
	} else if (proto == NULL) {
		snprintf(r->error, sizeof(r->error), "iperf3 did not start a test");
	} else if (r->received_bps < 0 || r->seconds < 0) {
		snprintf(r->error, sizeof(r->error), "iperf3 reported no totals for the receiver");
	}
	r->ok = r->error[0] == '\0';
	json_decref(j);
	return 0;
}

json_t *
tp_iperf3_json(const struct tp_iperf3 *r)
{
	json_t *o;

	if (r == NULL)
		return NULL;
	o = tp_json_result("iperf3", r->ok, r->error);
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "protocol", json_string(r->udp ? "UDP" : "TCP"));
	json_object_set_new(o, "reverse", json_boolean(r->reverse));
	json_object_set_new(o, "streams", json_integer(r->streams));
	tp_json_num(o, "blksize", r->blksize);
	tp_json_num(o, "time_s", r->seconds);
	tp_json_num(o, "sent_bytes", r->sent_bytes);
	tp_json_num(o, "received_bytes", r->received_bytes);
	tp_json_num(o, "sent_mbps", r->sent_bps >= 0 ? r->sent_bps / 1e6 : -1);
	tp_json_num(o, "received_mbps", r->received_bps >= 0 ? r->received_bps / 1e6 : -1);
	tp_json_num(o, "retransmits", r->retransmits);
	tp_json_num(o, "packets", r->packets);
	tp_json_num(o, "lost_packets", r->lost_packets);
	tp_json_num(o, "lost_pct", r->lost_pct);
	tp_json_num(o, "jitter_ms", r->jitter_ms);
	tp_json_num(o, "tx_pps", r->tx_pps);
	tp_json_num(o, "rx_pps", r->rx_pps);
	tp_json_num(o, "cpu_local_pct", r->cpu_local_pct);
	tp_json_num(o, "cpu_remote_pct", r->cpu_remote_pct);
	return o;
}
