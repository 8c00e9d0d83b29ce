/* SPDX-License-Identifier: BSD-3-Clause */
/* The switch role: MAC table (learning, aging, flooding decisions, table full) and args. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "mactable.h"
#include "switch-priv.h"
#include "switch.h"
#include "unit.h"

static struct sw_mac_table t;
static void *mem;

static void
table(uint32_t entries, uint32_t aging_s)
{
	free(mem);
	mem = aligned_alloc(64, sw_mac_table_mem_size(entries));
	ck_assert_ptr_nonnull(mem);
	ck_assert_int_eq(sw_mac_table_init(&t, mem, entries, aging_s), 0);
}

static uint64_t
mac(uint32_t n)
{
	const uint8_t a[6] = {0x02, 0x00, (uint8_t)(n >> 24), (uint8_t)(n >> 16),
			      (uint8_t)(n >> 8), (uint8_t)n};

	return sw_mac_key(a);
}

START_TEST(test_mac_key)
{
	const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	const uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
	char s[24];

	ck_assert(sw_mac_is_group(sw_mac_key(bcast)));
	ck_assert(sw_mac_is_group(sw_mac_key(mcast)));
	ck_assert(!sw_mac_is_group(mac(7)));
	sw_mac_str(mac(0x0a0b0c0d), s, sizeof(s));
	ck_assert_str_eq(s, "02:00:0a:0b:0c:0d");
	ck_assert_uint_eq(sw_mac_table_mem_size(3), 0);
	ck_assert_uint_eq(sw_mac_table_mem_size(6), 0);
	ck_assert_uint_eq(sw_mac_table_mem_size(2), 0);
	ck_assert_uint_eq(sw_mac_table_mem_size(SW_MAC_MAX_ENTRIES * 2u), 0);
	ck_assert_uint_eq(sw_mac_table_mem_size(4096), 1024 * 64);
}
END_TEST

START_TEST(test_learn_lookup)
{
	table(4096, 300);
	ck_assert_int_eq(sw_mac_lookup(&t, mac(1), 10), SW_MAC_NO_PORT); /* unknown: flood */
	ck_assert_int_eq(sw_mac_learn(&t, mac(1), 3, 10), SW_MAC_NEW);
	ck_assert_int_eq(sw_mac_learn(&t, mac(2), 0, 10), SW_MAC_NEW);
	ck_assert_int_eq(sw_mac_lookup(&t, mac(1), 10), 3);
	ck_assert_int_eq(sw_mac_lookup(&t, mac(2), 11), 0);
	ck_assert_int_eq(sw_mac_learn(&t, mac(1), 3, 12), SW_MAC_KNOWN);
	/* a station that moved */
	ck_assert_int_eq(sw_mac_learn(&t, mac(1), 5, 13), SW_MAC_MOVED);
	ck_assert_int_eq(sw_mac_lookup(&t, mac(1), 13), 5);
	ck_assert_uint_eq(sw_mac_walk(&t, 13, NULL, NULL), 2);
}
END_TEST

START_TEST(test_group_not_learned)
{
	const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

	table(64, 300);
	sw_mac_learn(&t, sw_mac_key(bcast), 1, 0);
	ck_assert_int_eq(sw_mac_lookup(&t, sw_mac_key(bcast), 0), SW_MAC_NO_PORT);
	ck_assert_uint_eq(sw_mac_walk(&t, 0, NULL, NULL), 0);
}
END_TEST

START_TEST(test_aging)
{
	table(64, 300);
	sw_mac_learn(&t, mac(1), 2, 1000);
	ck_assert_int_eq(sw_mac_lookup(&t, mac(1), 1299), 2);
	ck_assert_int_eq(sw_mac_lookup(&t, mac(1), 1300), SW_MAC_NO_PORT);
	ck_assert_uint_eq(sw_mac_walk(&t, 1300, NULL, NULL), 0);
	/* traffic refreshes an entry */
	sw_mac_learn(&t, mac(2), 4, 1000);
	sw_mac_learn(&t, mac(2), 4, 1200);
	ck_assert_int_eq(sw_mac_lookup(&t, mac(2), 1450), 4);
	/* an aged entry comes back as new */
	ck_assert_int_eq(sw_mac_learn(&t, mac(1), 2, 2000), SW_MAC_NEW);
	/* the seconds clock wrapping around does not age everything at once */
	sw_mac_learn(&t, mac(3), 1, UINT32_MAX - 5);
	ck_assert_int_eq(sw_mac_lookup(&t, mac(3), 10), 1);
}
END_TEST

START_TEST(test_table_full)
{
	unsigned int i, learned = 0, full = 0;

	/* 4 entries: one bucket; the fifth address is not learned and floods */
	table(4, 300);
	for (i = 1; i <= 5; i++) {
		enum sw_mac_learn r = sw_mac_learn(&t, mac(i), (uint16_t)i, 0);

		learned += r == SW_MAC_NEW;
		full += r == SW_MAC_FULL;
	}
	ck_assert_uint_eq(learned, 4);
	ck_assert_uint_eq(full, 1);
	ck_assert_uint_eq(t.learn_full, 1);
	ck_assert_int_eq(sw_mac_lookup(&t, mac(5), 0), SW_MAC_NO_PORT);
	ck_assert_int_eq(sw_mac_lookup(&t, mac(4), 0), 4);
	/* once an entry ages out its slot is reused */
	sw_mac_learn(&t, mac(1), 1, 200);
	sw_mac_learn(&t, mac(2), 2, 200);
	sw_mac_learn(&t, mac(3), 3, 200);
	ck_assert_int_eq(sw_mac_learn(&t, mac(5), 5, 301), SW_MAC_NEW);
	ck_assert_int_eq(sw_mac_lookup(&t, mac(5), 301), 5);
	ck_assert_int_eq(sw_mac_lookup(&t, mac(4), 301), SW_MAC_NO_PORT);
}
END_TEST

START_TEST(test_many_and_forget)
{
	unsigned int i, ok = 0, on3 = 0;

	table(4096, 300);
	for (i = 0; i < 2048; i++) {
		bool is_new = sw_mac_learn(&t, mac(i * 7919), (uint16_t)(i % 8), 5) == SW_MAC_NEW;

		ok += is_new;
		on3 += is_new && i % 8 == 3;
	}
	/* half full: hashing leaves few buckets overflowing */
	ck_assert_uint_ge(ok, 2000);
	for (i = 0; i < 2048; i++) {
		int p = sw_mac_lookup(&t, mac(i * 7919), 5);

		ck_assert(p == SW_MAC_NO_PORT || p == (int)(i % 8));
	}
	sw_mac_forget_port(&t, 3);
	for (i = 0; i < 2048; i++) {
		if (i % 8 == 3)
			ck_assert_int_eq(sw_mac_lookup(&t, mac(i * 7919), 5), SW_MAC_NO_PORT);
	}
	ck_assert_uint_eq(sw_mac_walk(&t, 5, NULL, NULL), ok - on3);
}
END_TEST

static int
parse(struct sw_conf *c, char *err, int argc, char **argv)
{
	*c = (struct sw_conf)SW_CONF_DEFAULT;
	err[0] = '\0';
	return sw_parse_args(argc, argv, c, err, 256);
}

#define SW(...) (int)(sizeof((char *[]){"switch", __VA_ARGS__}) / sizeof(char *)), \
	((char *[]){"switch", __VA_ARGS__, NULL})

START_TEST(test_args)
{
	struct sw_conf c;
	char err[256];

	ck_assert_int_eq(parse(&c, err, SW("--port", "/run/testbed/m/vu0.sock", "--port",
					   "/run/testbed/m/vu1.sock,server", "--idle=busy",
					   "--mac-table", "65536", "--aging-s", "60", "--tso", "off",
					   "--poll-us", "0")), 0);
	ck_assert_uint_eq(c.nb_ports, 2);
	ck_assert(!c.ports[0].server);
	ck_assert(c.ports[1].server);
	ck_assert_str_eq(c.ports[1].sock_path, "/run/testbed/m/vu1.sock");
	ck_assert_int_eq(c.idle, SW_IDLE_BUSY);
	ck_assert_uint_eq(c.mac_entries, 65536);
	ck_assert_uint_eq(c.aging_s, 60);
	ck_assert(!c.tso);
	ck_assert_int_eq(parse(&c, err, SW("--help")), SW_ARGS_HELP);

	ck_assert_int_eq(parse(&c, err, SW("--idle", "busy")), -EINVAL);
	ck_assert_str_eq(err, "no --port or --nic given (need at least one --port "
			 "SOCKET_PATH[,server] or --nic DEVARGS)");
	ck_assert_int_eq(parse(&c, err, SW("--port", "/a", "--port", "/a,server")), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "already used"));
	ck_assert_int_eq(parse(&c, err, SW("--port", "/a,client")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, SW("--port", "/a=b")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, SW("--port", "/a", "--mac-table", "1000")), -EINVAL);
	ck_assert_str_eq(err, "--mac-table \"1000\": need a power of 2 in 4-16777216");
	ck_assert_int_eq(parse(&c, err, SW("--port", "/a", "--idle", "lazy")), -EINVAL);
	ck_assert_str_eq(err, "--idle \"lazy\": unknown mode (allowed: adaptive, busy)");
	ck_assert_int_eq(parse(&c, err, SW("--port", "/a", "--aging-s", "0")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, SW("--port", "/a", "--max-sleep-ms", "-1")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, SW("--port", "/a", "--bogus", "1")), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "unknown option \"--bogus\""));
	ck_assert_int_eq(parse(&c, err, SW("--port")), -EINVAL);
	ck_assert_str_eq(err, "--port needs a value");
}
END_TEST

START_TEST(test_args_nic)
{
	char long_args[300], *argv[2 * SW_MAX_PORTS + 4], paths[SW_MAX_PORTS][16];
	struct sw_conf c;
	char err[256];
	int i, n;

	/* NICs and vhost ports share one index space, in command-line order */
	ck_assert_int_eq(parse(&c, err, SW("--port", "/a", "--nic", "net_af_xdp0,iface=tbmain-wv0",
					   "--port", "/b", "--nic=0000:03:00.0,rxq=1")), 0);
	ck_assert_uint_eq(c.nb_ports, 4);
	ck_assert_uint_eq(c.nb_nics, 2);
	ck_assert_ptr_null(c.ports[0].nic);
	ck_assert_str_eq(c.ports[1].nic, "net_af_xdp0,iface=tbmain-wv0");
	ck_assert_str_eq(c.ports[2].sock_path, "/b");
	ck_assert_str_eq(c.ports[3].nic, "0000:03:00.0,rxq=1");
	ck_assert_uint_eq(c.nic_poll_us, 100);
	/* a switch of NICs only */
	ck_assert_int_eq(parse(&c, err, SW("--nic", "net_af_packet0,iface=w0,qdisc_bypass=1",
					   "--nic", "net_af_packet1,iface=w1", "--nic-poll-us",
					   "100000")), 0);
	ck_assert_uint_eq(c.nb_ports, 2);
	ck_assert_uint_eq(c.nic_poll_us, 100000);

	ck_assert_int_eq(parse(&c, err, SW("--port", "/a", "--nic", "")), -EINVAL);
	ck_assert_str_eq(err, "--nic \"\": empty device arguments (e.g. net_af_xdp0,iface=eth1 or "
			 "0000:03:00.0)");
	ck_assert_int_eq(parse(&c, err, SW("--nic", "net_af_xdp0,iface=a b")), -EINVAL);
	ck_assert_str_eq(err, "--nic \"net_af_xdp0,iface=a b\": device arguments must not contain "
			 "spaces");
	ck_assert_int_eq(parse(&c, err, SW("--nic", "net_af_xdp0,iface=a\tb")), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "must not contain spaces"));
	memset(long_args, 'x', sizeof(long_args));
	memcpy(long_args, "net_af_xdp0,iface=", 18);
	long_args[256] = '\0';
	ck_assert_int_eq(parse(&c, err, SW("--nic", long_args)), -EINVAL);
	ck_assert_str_eq(err, "--nic \"net_af_xdp0,iface=xxxxxxxxxxxxxx...\": device arguments are "
			 "256 characters long (at most 255)");
	long_args[255] = '\0';
	ck_assert_int_eq(parse(&c, err, SW("--nic", long_args)), 0);
	ck_assert_int_eq(parse(&c, err, SW("--nic", ",iface=w0")), -EINVAL);
	ck_assert_str_eq(err, "--nic \",iface=w0\": no device name before the ','");
	ck_assert_int_eq(parse(&c, err, SW("--nic", "net_af_xdp0,iface=w0", "--nic",
					   "net_af_xdp0,iface=w1")), -EINVAL);
	ck_assert_str_eq(err, "--nic \"net_af_xdp0,iface=w1\": device net_af_xdp0 already used by "
			 "another --nic");
	/* a prefix of another name is another name */
	ck_assert_int_eq(parse(&c, err, SW("--nic", "net_af_xdp1", "--nic", "net_af_xdp10")), 0);
	ck_assert_int_eq(parse(&c, err, SW("--nic", "a", "--nic", "b", "--nic", "c", "--nic", "d",
					   "--nic", "e")), -EINVAL);
	ck_assert_str_eq(err, "--nic \"e\": too many NICs (at most 4)");
	ck_assert_int_eq(parse(&c, err, SW("--port", "/a", "--nic-poll-us", "0")), -EINVAL);
	ck_assert_str_eq(err, "--nic-poll-us \"0\": not a number of microseconds in 1-100000");
	ck_assert_int_eq(parse(&c, err, SW("--port", "/a", "--nic-poll-us", "100001")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, SW("--port", "/a", "--nic")), -EINVAL);
	ck_assert_str_eq(err, "--nic needs a value");

	/* --port and --nic count together against RTE_MAX_ETHPORTS */
	argv[0] = "switch";
	for (i = 0, n = 1; i < (int)SW_MAX_PORTS; i++) {
		snprintf(paths[i], sizeof(paths[i]), "/s%d", i);
		argv[n++] = "--port";
		argv[n++] = paths[i];
	}
	argv[n++] = "--nic";
	argv[n++] = "net_af_xdp0";
	argv[n] = NULL;
	c = (struct sw_conf)SW_CONF_DEFAULT;
	ck_assert_int_eq(sw_parse_args(n, argv, &c, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--nic \"net_af_xdp0\": too many ports (at most"));
	/* ... whichever comes last */
	argv[1] = "--nic";
	argv[2] = "net_af_xdp0";
	argv[n - 2] = "--port";
	argv[n - 1] = paths[0];
	c = (struct sw_conf)SW_CONF_DEFAULT;
	ck_assert_int_eq(sw_parse_args(n, argv, &c, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "too many ports"));
}
END_TEST

START_TEST(test_args_guest_tap)
{
	char *argv[2 * SW_MAX_PORTS + 4], vals[SW_MAX_PORTS][32];
	struct sw_conf c;
	char err[256];
	int i, n;

	/* a co-located guest: a server port of ours plus the adapter's port and tap */
	ck_assert_int_eq(parse(&c, err, SW("--guest-tap", "/run/testbed/co/vu0.sock,eth0,tb-co-vu0",
					   "--port", "/b", "--guest-tap", "/g1,tbx,/proc/1/ns/net",
					   "--guest-tap", "/g2,eth0")), 0);
	ck_assert_uint_eq(c.nb_ports, 4);
	ck_assert(c.ports[0].server);
	ck_assert_str_eq(c.ports[0].sock_path, "/run/testbed/co/vu0.sock");
	ck_assert(!c.ports[1].server);
	ck_assert(c.guests.colo);
	ck_assert_uint_eq(c.guests.nb_ports, 3);
	ck_assert_str_eq(c.guests.ports[0].sock_path, "/run/testbed/co/vu0.sock");
	ck_assert_str_eq(c.guests.ports[0].tap_name, "eth0");
	ck_assert_str_eq(c.guests.ports[0].netns, "/run/netns/tb-co-vu0");
	ck_assert_str_eq(c.guests.ports[1].netns, "/proc/1/ns/net");
	ck_assert_str_eq(c.guests.ports[2].netns, "");
	ck_assert_int_eq(c.guests.idle.mode, PMD_IDLE_ADAPTIVE);
	ck_assert_int_eq(parse(&c, err, SW("--guest-tap", "/g,eth0", "--idle", "busy")), 0);
	ck_assert_int_eq(c.guests.idle.mode, PMD_IDLE_BUSY);
	ck_assert_int_eq(parse(&c, err, SW("--port", "/a")), 0);
	ck_assert(!c.guests.colo);
	ck_assert(!c.guests.ring.packed && c.guests.ring.in_order && c.guests.queue_size == 1024);
	ck_assert_int_eq(parse(&c, err, SW("--guest-tap", "/g,eth0", "--guest-ring",
					   "packed+q512")), 0);
	ck_assert(c.guests.ring.packed && c.guests.ring.in_order && c.guests.queue_size == 512);
	ck_assert_int_eq(parse(&c, err, SW("--guest-tap", "/g,eth0", "--guest-ring", "ring")),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--guest-ring \"ring\": bad ring spec"));

	ck_assert_int_eq(parse(&c, err, SW("--guest-tap", "/g")), -EINVAL);
	ck_assert_str_eq(err, "--guest-tap \"/g\": expected SOCKET_PATH,TAP[,NETNS]");
	ck_assert_int_eq(parse(&c, err, SW("--guest-tap", "/g,,ns")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, SW("--guest-tap", "/g,a234567890123456")), -EINVAL);
	ck_assert_str_eq(err, "--guest-tap \"/g,a234567890123456\": tap name is 16 characters "
			 "long (at most 15)");
	ck_assert_int_eq(parse(&c, err, SW("--guest-tap", "/g,e:0")), -EINVAL);
	ck_assert_str_eq(err, "--guest-tap \"/g,e:0\": \"e:0\" is not a valid interface name");
	ck_assert_int_eq(parse(&c, err, SW("--guest-tap", "/g,eth0,ns,x")), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "namespace must be a name or a path"));
	ck_assert_int_eq(parse(&c, err, SW("--guest-tap", ",eth0")), -EINVAL);
	ck_assert_int_eq(parse(&c, err, SW("--port", "/g", "--guest-tap", "/g,eth0")), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "already used"));

	/* each guest takes two of RTE_MAX_ETHPORTS */
	argv[0] = "switch";
	for (i = 0, n = 1; i < (int)SW_MAX_PORTS / 2; i++) {
		snprintf(vals[i], sizeof(vals[i]), "/s%d,eth0,ns%d", i, i);
		argv[n++] = "--guest-tap";
		argv[n++] = vals[i];
	}
	argv[n] = NULL;
	c = (struct sw_conf)SW_CONF_DEFAULT;
	ck_assert_int_eq(sw_parse_args(n, argv, &c, err, sizeof(err)), 0);
	argv[n++] = "--port";
	argv[n++] = "/x";
	argv[n] = NULL;
	c = (struct sw_conf)SW_CONF_DEFAULT;
	ck_assert_int_eq(sw_parse_args(n, argv, &c, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--port \"/x\": too many ports"));
	argv[n - 2] = "--guest-tap";
	argv[n - 1] = "/x,eth0";
	c = (struct sw_conf)SW_CONF_DEFAULT;
	ck_assert_int_eq(sw_parse_args(n, argv, &c, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "a guest takes two"));
}
END_TEST

/* Big-endian one's complement sum, written apart from DPDK's to check it. */
static uint32_t
be_sum(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
be_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* A frame in one or two mbufs (split at split, 0: one) that needs no pool. */
static void
frame_mbufs(struct rte_mbuf *m, uint8_t *frame, uint16_t len, uint16_t split)
{
	memset(m, 0, 2 * sizeof(*m));
	m[0].buf_addr = frame;
	m[0].buf_len = len;
	m[0].data_len = split != 0 ? split : len;
	m[0].pkt_len = len;
	m[0].nb_segs = split != 0 ? 2 : 1;
	if (split != 0) {
		m[0].next = &m[1];
		m[1].buf_addr = frame + split;
		m[1].buf_len = (uint16_t)(len - split);
		m[1].data_len = (uint16_t)(len - split);
		m[1].nb_segs = 1;
	}
}

/* IPv4: a TCP segment with a partial checksum (and a TSO frame's), in one and two mbufs
 * split at an odd offset; the header checksum is redone too. */
START_TEST(test_nic_cksum_ipv4)
{
	enum { PAYLOAD = 101, L4 = 14 + 20, LEN = L4 + 20 + PAYLOAD };
	const uint64_t flags[] = {RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_CKSUM,
				  RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_SEG |
				  RTE_MBUF_F_TX_TCP_CKSUM};
	uint8_t frame[LEN], pseudo[12];
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(frame + 14);
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(frame + L4);
	struct rte_mbuf m[2];
	unsigned int i, k;

	for (k = 0; k < 2 * RTE_DIM(flags); k++) {
		for (i = 0; i < LEN; i++)
			frame[i] = (uint8_t)(i * 7 + 3);
		frame[12] = 0x08;
		frame[13] = 0x00;
		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16(LEN - 14);
		ip->fragment_offset = 0;
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_TCP;
		ip->hdr_checksum = 0x1234; /* stale, as after GSO */
		ip->src_addr = rte_cpu_to_be_32(0xc612fa01);
		ip->dst_addr = rte_cpu_to_be_32(0xc612fa02);
		tcp->data_off = 0x50;
		tcp->cksum = 0xbeef;
		frame_mbufs(m, frame, LEN, k & 1 ? L4 + 20 + 33 : 0);
		m[0].l2_len = 14;
		m[0].l3_len = 20;
		m[0].l4_len = 20;
		m[0].ol_flags = flags[k / 2];
		ck_assert_int_eq(sw_nic_cksum(m), 0);
		/* the requests are done; what the frame is stays */
		ck_assert_uint_eq(m[0].ol_flags, RTE_MBUF_F_TX_IPV4);
		ck_assert_uint_eq(be_fold(be_sum(frame + 14, 20, 0)), 0xffff);
		memcpy(pseudo, &ip->src_addr, 8);
		pseudo[8] = 0;
		pseudo[9] = IPPROTO_TCP;
		pseudo[10] = 0;
		pseudo[11] = LEN - L4;
		ck_assert_msg(be_fold(be_sum(frame + L4, LEN - L4, be_sum(pseudo, 12, 0))) ==
			      0xffff, "TCP checksum wrong in case %u", k);
	}
	/* headers it cannot find: left alone */
	m[0].l2_len = 0;
	m[0].ol_flags = flags[0];
	ck_assert_int_eq(sw_nic_cksum(m), -EINVAL);
}
END_TEST

/* IPv6: a UDP datagram with a partial checksum. */
START_TEST(test_nic_cksum_ipv6)
{
	enum { PAYLOAD = 57, L4 = 14 + 40, LEN = L4 + 8 + PAYLOAD };
	uint8_t frame[LEN], pseudo[40];
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(frame + 14);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(frame + L4);
	struct rte_mbuf m[2];
	unsigned int i;

	for (i = 0; i < LEN; i++)
		frame[i] = (uint8_t)(i * 13 + 1);
	frame[12] = 0x86;
	frame[13] = 0xdd;
	ip->vtc_flow = rte_cpu_to_be_32(0x60000000);
	ip->payload_len = rte_cpu_to_be_16(LEN - L4);
	ip->proto = IPPROTO_UDP;
	ip->hop_limits = 64;
	udp->dgram_len = rte_cpu_to_be_16(LEN - L4);
	udp->dgram_cksum = 0xbeef;
	frame_mbufs(m, frame, LEN, 0);
	m[0].l2_len = 14;
	m[0].l3_len = 40;
	m[0].ol_flags = RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_UDP_CKSUM;
	ck_assert_int_eq(sw_nic_cksum(m), 0);
	ck_assert_uint_eq(m[0].ol_flags, RTE_MBUF_F_TX_IPV6);
	memset(pseudo, 0, sizeof(pseudo));
	memcpy(pseudo, ip->src_addr, 32);
	pseudo[34] = 0;
	pseudo[35] = LEN - L4;
	pseudo[39] = IPPROTO_UDP;
	ck_assert_uint_ne(udp->dgram_cksum, 0);
	ck_assert_uint_eq(be_fold(be_sum(frame + L4, LEN - L4, be_sum(pseudo, 40, 0))), 0xffff);
}
END_TEST

static Suite *
switch_suite(void)
{
	Suite *s = suite_create("switch");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_mac_key);
	tcase_add_test(tc, test_learn_lookup);
	tcase_add_test(tc, test_group_not_learned);
	tcase_add_test(tc, test_aging);
	tcase_add_test(tc, test_table_full);
	tcase_add_test(tc, test_many_and_forget);
	tcase_add_test(tc, test_args);
	tcase_add_test(tc, test_args_nic);
	tcase_add_test(tc, test_args_guest_tap);
	tcase_add_test(tc, test_nic_cksum_ipv4);
	tcase_add_test(tc, test_nic_cksum_ipv6);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(switch_suite)
