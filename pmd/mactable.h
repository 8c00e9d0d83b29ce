/*
 * The switch's MAC learning table: which port a source address was last seen on.
 *
 * Open addressing in buckets of SW_MAC_WAYS entries, one cache line each, so a lookup
 * touches one line. An entry is one 64-bit word (48-bit address, port + 1 above it), read
 * and written with relaxed atomics: lcores learn and look up concurrently without locks;
 * two lcores learning into one slot at once lose one entry, which the next packet relearns.
 * Entries age lazily: one not seen for aging_s is treated as absent and its slot reused.
 * A full bucket learns nothing new (counted); traffic to such an address is flooded, as on a
 * hardware switch whose table is full.
 */

#ifndef PMD_MACTABLE_H
#define PMD_MACTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SW_MAC_WAYS 4
#define SW_MAC_MIN_ENTRIES SW_MAC_WAYS
#define SW_MAC_MAX_ENTRIES (1U << 24)
#define SW_MAC_NO_PORT (-1)

struct sw_mac_bucket {
	uint64_t key[SW_MAC_WAYS];	/* mac | (port + 1) << 48; 0: empty */
	uint32_t seen[SW_MAC_WAYS];	/* seconds, on the caller's clock */
} __attribute__((aligned(64)));

struct sw_mac_table {
	struct sw_mac_bucket *bucket;
	uint32_t mask;		/* buckets - 1 */
	uint32_t aging_s;
	uint64_t learn_full;	/* addresses not learned: bucket full */
};

enum sw_mac_learn {
	SW_MAC_KNOWN,	/* already there, same port */
	SW_MAC_NEW,
	SW_MAC_MOVED,	/* was on another port */
	SW_MAC_FULL,	/* not learned */
};

/* A MAC as a table key: the 6 bytes in the low 48 bits of a little-endian word. */
static inline uint64_t
sw_mac_key(const uint8_t addr[6])
{
	return (uint64_t)addr[0] | (uint64_t)addr[1] << 8 | (uint64_t)addr[2] << 16 |
		(uint64_t)addr[3] << 24 | (uint64_t)addr[4] << 32 | (uint64_t)addr[5] << 40;
}

/* Group (multicast or broadcast) address: the I/G bit of the first byte. */
static inline bool
sw_mac_is_group(uint64_t mac)
{
	return (mac & 1) != 0;
}

/* Bytes for `entries` (a power of two, SW_MAC_MIN_ENTRIES..SW_MAC_MAX_ENTRIES), or 0. */
size_t sw_mac_table_mem_size(uint32_t entries);

/* mem: sw_mac_table_mem_size(entries) bytes, 64-byte aligned; it is cleared here. */
int sw_mac_table_init(struct sw_mac_table *t, void *mem, uint32_t entries, uint32_t aging_s);

/* Fibonacci hashing: the multiply spreads the vendor-heavy low bytes over the index. */
static inline struct sw_mac_bucket *
sw_mac_bucket_of(const struct sw_mac_table *t, uint64_t mac)
{
	return &t->bucket[(uint32_t)((mac * 0x9e3779b97f4a7c15ULL) >> 40) & t->mask];
}

/* Port of mac, or SW_MAC_NO_PORT if unknown or aged out. */
static inline int
sw_mac_lookup(const struct sw_mac_table *t, uint64_t mac, uint32_t now)
{
	const struct sw_mac_bucket *b = sw_mac_bucket_of(t, mac);
	unsigned int i;

	for (i = 0; i < SW_MAC_WAYS; i++) {
		uint64_t k = __atomic_load_n(&b->key[i], __ATOMIC_RELAXED);

		if ((k & 0xffffffffffffULL) == mac && k != 0 &&
		    now - __atomic_load_n(&b->seen[i], __ATOMIC_RELAXED) < t->aging_s)
			return (int)(k >> 48) - 1;
	}
	return SW_MAC_NO_PORT;
}

/* Records that mac came in on port (0..65534) at now; group addresses are not learned. */
enum sw_mac_learn sw_mac_learn(struct sw_mac_table *t, uint64_t mac, uint16_t port,
			       uint32_t now);

/* Forgets every address on port (its guest went away). */
void sw_mac_forget_port(struct sw_mac_table *t, uint16_t port);

/* Live entries, and calls fn for each when fn is not NULL. */
unsigned int sw_mac_walk(const struct sw_mac_table *t, uint32_t now,
			 void (*fn)(uint64_t mac, int port, uint32_t age_s, void *arg), void *arg);

/* What sw_mac_forward() decided for a frame, besides a port (0 or more). */
#define SW_MAC_FLOOD SW_MAC_NO_PORT	/* group or unknown destination: every other port */
#define SW_MAC_FILTER (-2)		/* the destination is on the input port: drop */
#define SW_MAC_RUNT (-3)		/* shorter than an Ethernet header: drop */
#define SW_MAC_ETH_HDR_LEN 14U

/*
 * The forwarding decision for a frame that came in on port in at now: learns its source
 * (not a group address), looks its destination up. frame: its first len bytes (the first
 * segment). Returns the output port, SW_MAC_FLOOD, SW_MAC_FILTER or SW_MAC_RUNT; *learned
 * tells whether the source was new or moved (not whether a full bucket turned it away).
 */
int sw_mac_forward(struct sw_mac_table *t, const uint8_t *frame, uint32_t len, uint16_t in,
		   uint32_t now, bool *learned);

/* "02:00:c6:12:00:01" */
void sw_mac_str(uint64_t mac, char *buf, size_t len);

#endif /* PMD_MACTABLE_H */
