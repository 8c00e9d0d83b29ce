/* MAC learning table: see mactable.h. */

#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mactable.h"

#define SW_MAC_BITS 0xffffffffffffULL

size_t
sw_mac_table_mem_size(uint32_t entries)
{
	if (entries < SW_MAC_MIN_ENTRIES || entries > SW_MAC_MAX_ENTRIES ||
	    (entries & (entries - 1)) != 0)
		return 0;
	return (size_t)(entries / SW_MAC_WAYS) * sizeof(struct sw_mac_bucket);
}

int
sw_mac_table_init(struct sw_mac_table *t, void *mem, uint32_t entries, uint32_t aging_s)
{
	size_t size = sw_mac_table_mem_size(entries);

	if (size == 0 || mem == NULL || aging_s == 0)
		return -EINVAL;
	memset(mem, 0, size);
	t->bucket = mem;
	t->mask = entries / SW_MAC_WAYS - 1;
	t->aging_s = aging_s;
	t->learn_full = 0;
	return 0;
}

static inline bool
live(const struct sw_mac_table *t, const struct sw_mac_bucket *b, unsigned int i, uint32_t now)
{
	return b->key[i] != 0 && now - b->seen[i] < t->aging_s;
}

enum sw_mac_learn
sw_mac_learn(struct sw_mac_table *t, uint64_t mac, uint16_t port, uint32_t now)
{
	struct sw_mac_bucket *b = sw_mac_bucket_of(t, mac);
	uint64_t key = mac | ((uint64_t)port + 1) << 48;
	int free_slot = -1;
	unsigned int i;

	if (sw_mac_is_group(mac) || port == UINT16_MAX)
		return SW_MAC_KNOWN;
	for (i = 0; i < SW_MAC_WAYS; i++) {
		uint64_t k = __atomic_load_n(&b->key[i], __ATOMIC_RELAXED);

		if (k != 0 && (k & SW_MAC_BITS) == mac) {
			enum sw_mac_learn r = !live(t, b, i, now) ? SW_MAC_NEW :
				k == key ? SW_MAC_KNOWN : SW_MAC_MOVED;

			/* Only write what changed: the line stays shared between lcores. */
			if (b->seen[i] != now)
				__atomic_store_n(&b->seen[i], now, __ATOMIC_RELAXED);
			if (k != key)
				__atomic_store_n(&b->key[i], key, __ATOMIC_RELAXED);
			return r;
		}
		if (free_slot < 0 && !live(t, b, i, now))
			free_slot = (int)i;
	}
	if (free_slot < 0) {
		__atomic_fetch_add(&t->learn_full, 1, __ATOMIC_RELAXED);
		return SW_MAC_FULL;
	}
	/* seen first: a reader that sees the key must not find it stale */
	__atomic_store_n(&b->seen[free_slot], now, __ATOMIC_RELAXED);
	__atomic_store_n(&b->key[free_slot], key, __ATOMIC_RELEASE);
	return SW_MAC_NEW;
}

void
sw_mac_forget_port(struct sw_mac_table *t, uint16_t port)
{
	uint64_t tag = ((uint64_t)port + 1) << 48;
	uint32_t n;
	unsigned int i;

	for (n = 0; n <= t->mask; n++) {
		struct sw_mac_bucket *b = &t->bucket[n];

		for (i = 0; i < SW_MAC_WAYS; i++) {
			uint64_t k = __atomic_load_n(&b->key[i], __ATOMIC_RELAXED);

			if (k != 0 && (k & ~SW_MAC_BITS) == tag)
				__atomic_compare_exchange_n(&b->key[i], &k, 0, false,
							    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
		}
	}
}

unsigned int
sw_mac_walk(const struct sw_mac_table *t, uint32_t now,
	    void (*fn)(uint64_t mac, int port, uint32_t age_s, void *arg), void *arg)
{
	unsigned int i, count = 0;
	uint32_t n;

	for (n = 0; n <= t->mask; n++) {
		const struct sw_mac_bucket *b = &t->bucket[n];

		for (i = 0; i < SW_MAC_WAYS; i++) {
			uint64_t k = __atomic_load_n(&b->key[i], __ATOMIC_RELAXED);
			uint32_t seen = __atomic_load_n(&b->seen[i], __ATOMIC_RELAXED);

			if (k == 0 || now - seen >= t->aging_s)
				continue;
			count++;
			if (fn != NULL)
				fn(k & SW_MAC_BITS, (int)(k >> 48) - 1, now - seen, arg);
		}
	}
	return count;
}

/* Both addresses of a frame as table keys: two unaligned 8-byte loads, no byte loop. */
static inline void
sw_mac_frame(const uint8_t *h, uint64_t *dst, uint64_t *src)
{
	uint64_t w;

	memcpy(&w, h, sizeof(w));
	*dst = le64toh(w) & SW_MAC_BITS;
	memcpy(&w, h + 6, sizeof(w));
	*src = le64toh(w) & SW_MAC_BITS;
}

int
sw_mac_forward(struct sw_mac_table *t, const uint8_t *frame, uint32_t len, uint16_t in,
	       uint32_t now, bool *learned)
{
	enum sw_mac_learn r = SW_MAC_KNOWN;
	uint64_t dst, src;
	int out;

	*learned = false;
	if (len < SW_MAC_ETH_HDR_LEN)
		return SW_MAC_RUNT;
	sw_mac_frame(frame, &dst, &src);
	if (!sw_mac_is_group(src))
		r = sw_mac_learn(t, src, in, now);
	/* a full bucket learned nothing: that is learn_full's */
	*learned = r == SW_MAC_NEW || r == SW_MAC_MOVED;
	out = sw_mac_is_group(dst) ? SW_MAC_NO_PORT : sw_mac_lookup(t, dst, now);
	if (out == SW_MAC_NO_PORT)
		return SW_MAC_FLOOD;
	return out == in ? SW_MAC_FILTER : out;
}

void
sw_mac_str(uint64_t mac, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", (unsigned int)(mac & 0xff),
		 (unsigned int)(mac >> 8 & 0xff), (unsigned int)(mac >> 16 & 0xff),
		 (unsigned int)(mac >> 24 & 0xff), (unsigned int)(mac >> 32 & 0xff),
		 (unsigned int)(mac >> 40 & 0xff));
}
