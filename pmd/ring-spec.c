/* Virtio ring variants (layout, in-order, mergeable rx buffers, size): one grammar, its devargs. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ring-spec.h"

enum ring_tok_kind { RT_LAYOUT, RT_ORDER, RT_MRG, RT_QSIZE, RT_N };

static const struct {
	const char *name;
	enum ring_tok_kind kind;
	bool on;
} ring_toks[] = {
	{ "split", RT_LAYOUT, false },
	{ "packed", RT_LAYOUT, true },
	{ "in_order", RT_ORDER, true },
	{ "no_in_order", RT_ORDER, false },
	{ "mrg", RT_MRG, true },
	{ "nomrg", RT_MRG, false },
};

/* "qN": N decimal, a power of 2 in range; 0 when not such a token. */
static unsigned int
ring_qsize(const char *t, size_t len)
{
	unsigned long v = 0;
	size_t i;

	if (len < 2 || len > 6 || t[0] != 'q' || t[1] == '0')
		return 0;
	for (i = 1; i < len; i++) {
		if (t[i] < '0' || t[i] > '9')
			return 0;
		v = v * 10 + (unsigned long)(t[i] - '0');
	}
	if (v < PMD_RING_QSIZE_MIN || v > PMD_RING_QSIZE_MAX || (v & (v - 1)) != 0)
		return 0;
	return (unsigned int)v;
}

int
pmd_ring_parse(const char *spec, struct pmd_ring *r)
{
	struct pmd_ring out = *r;
	bool seen[RT_N] = { false };
	const char *t = spec, *end;
	size_t len, i;
	unsigned int q;

	if (spec == NULL || spec[0] == '\0' || strlen(spec) > PMD_RING_SPEC_MAX)
		return -EINVAL;
	for (;;) {
		end = strchr(t, '+');
		len = end != NULL ? (size_t)(end - t) : strlen(t);
		q = ring_qsize(t, len);
		if (q != 0) {
			if (seen[RT_QSIZE])
				return -EINVAL;
			seen[RT_QSIZE] = true;
			out.queue_size = q;
		} else {
			for (i = 0; i < sizeof(ring_toks) / sizeof(ring_toks[0]); i++)
				if (strlen(ring_toks[i].name) == len &&
						memcmp(ring_toks[i].name, t, len) == 0)
					break;
			if (i == sizeof(ring_toks) / sizeof(ring_toks[0]) ||
					seen[ring_toks[i].kind])
				return -EINVAL;
			seen[ring_toks[i].kind] = true;
			if (ring_toks[i].kind == RT_LAYOUT)
				out.packed = ring_toks[i].on;
			else if (ring_toks[i].kind == RT_ORDER)
				out.in_order = ring_toks[i].on;
			else
				out.mrg_rxbuf = ring_toks[i].on;
		}
		if (end == NULL)
			break;
		t = end + 1;
	}
	*r = out;
	return 0;
}

int
pmd_ring_format(const struct pmd_ring *r, char *buf, size_t len)
{
	char q[16] = "";
	int n;

	if (r->queue_size != 0)
		snprintf(q, sizeof(q), "+q%u", r->queue_size);
	n = snprintf(buf, len, "%s+%s+%s%s", r->packed ? "packed" : "split",
		     r->in_order ? "in_order" : "no_in_order", r->mrg_rxbuf ? "mrg" : "nomrg", q);
	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

int
pmd_ring_devargs(const struct pmd_ring *r, unsigned int def_qsize, char *buf, size_t len)
{
	unsigned int q = r->queue_size != 0 ? r->queue_size : def_qsize;
	char qs[32] = "";
	int n;

	if (q != 0)
		snprintf(qs, sizeof(qs), ",queue_size=%u", q);
	n = snprintf(buf, len, "packed_vq=%d,in_order=%d,mrg_rxbuf=%d%s", r->packed,
		     r->in_order, r->mrg_rxbuf, qs);
	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

void
pmd_ring_from_features(uint64_t features, struct pmd_ring *r)
{
	r->packed = (features >> PMD_VIRTIO_F_RING_PACKED) & 1;
	r->in_order = (features >> PMD_VIRTIO_F_IN_ORDER) & 1;
	r->mrg_rxbuf = (features >> PMD_VIRTIO_NET_F_MRG_RXBUF) & 1;
	r->queue_size = 0;
}
