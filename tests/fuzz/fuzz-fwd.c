/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The switch's forwarding decision (sw_mac_forward, pmd/mactable.h) over a sequence of
 * frames, checked against a plain model of what a learning switch knows.
 *
 * Input: table size (4 << (b & 7) entries) and aging (1 + b seconds), then records:
 * port byte (>= 0xf0: the port 0..15 goes away), seconds since the last record, frame length,
 * frame bytes (each frame in a buffer of exactly its length).
 */
#include "fuzz.h"
#include "mactable.h"

#define FZ_PORTS 16
#define FZ_MODEL 1024

struct fz_entry {
	uint64_t mac;
	int port;
	uint32_t seen;
};

static struct fz_entry fz_model[FZ_MODEL];
static unsigned int fz_n;

static struct fz_entry *
fz_find(uint64_t mac)
{
	unsigned int i;

	for (i = 0; i < fz_n; i++)
		if (fz_model[i].mac == mac)
			return &fz_model[i];
	return NULL;
}

static uint64_t
fz_mac(const uint8_t *p)
{
	return sw_mac_key(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sw_mac_table t;
	uint32_t entries, aging, now = 1000, len, live, i;
	uint64_t full;
	size_t pos = 2;
	void *mem;
	bool learned;
	int out;

	if (size < 2)
		return 0;
	entries = 4U << (data[0] & 7);
	aging = 1U + data[1];
	mem = aligned_alloc(64, sw_mac_table_mem_size(entries));
	if (mem == NULL)
		return 0;
	FUZZ_ASSERT(sw_mac_table_init(&t, mem, entries, aging) == 0);
	fz_n = 0;
	while (pos + 3 <= size) {
		uint8_t port = data[pos];
		struct fz_entry *e;
		uint64_t dst = 0, src = 0;
		uint8_t *f;

		now += data[pos + 1];
		len = data[pos + 2];
		pos += 3;
		if (port >= 0xf0) {
			sw_mac_forget_port(&t, (uint16_t)(port & 0xf));
			for (i = 0; i < fz_n; i++)
				if (fz_model[i].port == (port & 0xf))
					fz_model[i].port = -1;
			continue;
		}
		port %= FZ_PORTS;
		if (len > size - pos)
			len = (uint32_t)(size - pos);
		f = malloc(len > 0 ? len : 1);
		if (f == NULL)
			break;
		memcpy(f, data + pos, len);
		pos += len;
		full = t.learn_full;
		out = sw_mac_forward(&t, f, len, port, now, &learned);
		if (len >= 14) {
			dst = fz_mac(f);
			src = fz_mac(f + 6);
		}
		free(f);
		if (len < 14) {
			FUZZ_ASSERT(out == SW_MAC_RUNT && !learned && t.learn_full == full);
			continue;
		}
		/* the model learns what the table did not turn away */
		if (!sw_mac_is_group(src) && t.learn_full == full) {
			e = fz_find(src);
			FUZZ_ASSERT(learned == (e == NULL || e->port != port ||
						now - e->seen >= aging));
			if (e == NULL && fz_n < FZ_MODEL) {
				e = &fz_model[fz_n++];
				e->mac = src;
			}
			if (e != NULL) {
				e->port = port;
				e->seen = now;
			}
		} else {
			FUZZ_ASSERT(!learned);
		}
		e = fz_find(dst);
		if (sw_mac_is_group(dst) || e == NULL || e->port < 0 || now - e->seen >= aging)
			FUZZ_ASSERT(out == SW_MAC_FLOOD || fz_n == FZ_MODEL);
		else
			FUZZ_ASSERT(out == (e->port == port ? SW_MAC_FILTER : e->port));
		FUZZ_ASSERT(out != port);
	}
	/* the table holds what the model says is live */
	for (i = 0, live = 0; i < fz_n; i++)
		live += fz_model[i].port >= 0 && now - fz_model[i].seen < aging;
	FUZZ_ASSERT(fz_n == FZ_MODEL || sw_mac_walk(&t, now, NULL, NULL) == live);
	free(mem);
	return 0;
}
