/* The wire format of `bench path` probes: where the data path writes its timestamps (pmd/ and
 * measure/ share it). */
#ifndef PMD_PROBE_STAMPS_H
#define PMD_PROBE_STAMPS_H

/*
 * A probe is an IPv4 UDP datagram to PROBE_PORT whose payload starts with PROBE_MAGIC.
 * The sender (`testbed bench probe`) fills magic, seq and t_send (CLOCK_MONOTONIC_RAW ns)
 * and zeroes the stamp slots; it sends with UDP checksum 0 (SO_NO_CHECK), so the data path
 * can write its stamps without touching a checksum. A probe whose UDP checksum is not 0 (a
 * partial checksum offload among them) is left as it is: its stamps stay 0 ("absent").
 *
 * This header is plain C with no DPDK and no control-plane code: pmd/ writes the stamps,
 * measure/ reads them (measure -> pmd is a downward arrow; pmd/ includes nothing above it).
 * All fields are little-endian (x86 hosts: the stamps are written as they are).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PROBE_PORT 47999
#define PROBE_MAGIC 0x31504254u	      /* "TBP1" */
#define PROBE_REPLY_MAGIC 0x32504254u /* "TBP2": the receiver's report, not stamped */

/* The stamp slots, in the order a message meets them. */
enum probe_slot {
	PROBE_TAP_READ,	 /* adapter read the frame from the sender's tap */
	PROBE_ENQ,	 /* adapter enqueues it to the sender's virtio ring */
	PROBE_SW_RX,	 /* switch received it from the sender's vhost port */
	PROBE_SW_TX,	 /* switch transmits it to the receiver's vhost port */
	PROBE_DEQ,	 /* adapter dequeued it from the receiver's virtio ring */
	PROBE_TAP_WRITE, /* adapter writes it to the receiver's tap */
	PROBE_N_SLOTS
};

/* The UDP payload of a probe: 64 bytes. */
struct probe_payload {
	uint32_t magic;
	uint32_t seq;
	uint64_t t_send;	       /* sender, just before send() */
	uint64_t stamp[PROBE_N_SLOTS]; /* 0: not written */
} __attribute__((packed));

#define PROBE_PAYLOAD_LEN ((unsigned int)sizeof(struct probe_payload))

/* The receiver's reply: the probe as it arrived and when it did (not a probe itself). */
struct probe_reply {
	uint32_t magic; /* PROBE_REPLY_MAGIC */
	uint32_t seq;
	uint64_t t_send;
	uint64_t stamp[PROBE_N_SLOTS];
	uint64_t t_recv; /* receiver, just after recv() returned */
} __attribute__((packed));

#define PROBE_REPLY_LEN ((unsigned int)sizeof(struct probe_reply))

/* Ethernet (untagged) + IPv4 without options + UDP: the probe's payload offset. */
#define PROBE_L2 14u
#define PROBE_PAYLOAD_OFF (PROBE_L2 + 20u + 8u)
#define PROBE_FRAME_MIN (PROBE_PAYLOAD_OFF + PROBE_PAYLOAD_LEN)

/*
 * The offset of slot's stamp in frame when frame (len bytes, contiguous) is a probe that may
 * be stamped, else 0. Most frames leave at the first test (length or ethertype).
 */
static inline unsigned int
probe_stamp_off(const uint8_t *f, uint32_t len, enum probe_slot slot)
{
	uint32_t magic;

	if (len < PROBE_FRAME_MIN || f[12] != 0x08 || f[13] != 0x00)
		return 0;
	if (f[PROBE_L2] != 0x45 || f[PROBE_L2 + 9] != 17 || f[PROBE_L2 + 22] != (PROBE_PORT >> 8) ||
	    f[PROBE_L2 + 23] != (PROBE_PORT & 0xff))
		return 0;
	if (f[PROBE_L2 + 26] != 0 || f[PROBE_L2 + 27] != 0) /* UDP checksum in use */
		return 0;
	memcpy(&magic, f + PROBE_PAYLOAD_OFF, sizeof(magic));
	if (magic != PROBE_MAGIC)
		return 0;
	return PROBE_PAYLOAD_OFF + (unsigned int)offsetof(struct probe_payload, stamp) +
	       (unsigned int)slot * 8u;
}

/* Writes ns into slot of frame when it is a probe (and the slot still empty). */
static inline void
probe_stamp(uint8_t *f, uint32_t len, enum probe_slot slot, uint64_t ns)
{
	unsigned int off = probe_stamp_off(f, len, slot);
	uint64_t old;

	if (off == 0)
		return;
	memcpy(&old, f + off, sizeof(old));
	if (old == 0)
		memcpy(f + off, &ns, sizeof(ns));
}

/* A reply's fields from a datagram of len bytes; false when it is not one. */
static inline bool
probe_reply_parse(const void *buf, size_t len, struct probe_reply *r)
{
	if (len < PROBE_REPLY_LEN)
		return false;
	memcpy(r, buf, sizeof(*r));
	return r->magic == PROBE_REPLY_MAGIC;
}

#endif
