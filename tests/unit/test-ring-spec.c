/* SPDX-License-Identifier: BSD-3-Clause */
/* pmd/ring-spec.c: the ring grammar, its canonical text, virtio_user devargs, feature bits. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ring-spec.h"
#include "unit.h"

static struct pmd_ring
parsed(const char *spec)
{
	struct pmd_ring r = PMD_RING_DEFAULT;

	ck_assert_msg(pmd_ring_parse(spec, &r) == 0, "spec \"%s\" refused", spec);
	return r;
}

START_TEST(test_parse)
{
	struct pmd_ring r = parsed("split");
	char buf[PMD_RING_SPEC_MAX];

	ck_assert(!r.packed && r.in_order && r.mrg_rxbuf && r.queue_size == 0);
	r = parsed("packed+no_in_order+nomrg+q512");
	ck_assert(r.packed && !r.in_order && !r.mrg_rxbuf && r.queue_size == 512);
	r = parsed("q4096+packed");
	ck_assert(r.packed && r.in_order && r.queue_size == 4096);
	r = parsed("q64");
	ck_assert_uint_eq(r.queue_size, 64);
	ck_assert_int_gt(pmd_ring_format(&r, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "split+in_order+mrg+q64");
	/* the canonical text reads back as itself */
	r = parsed("nomrg+packed");
	ck_assert_int_gt(pmd_ring_format(&r, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "packed+in_order+nomrg");
	r = parsed(buf);
	ck_assert(r.packed && r.in_order && !r.mrg_rxbuf);
	ck_assert_int_eq(pmd_ring_format(&r, buf, 8), -ENOSPC);
}
END_TEST

START_TEST(test_bad)
{
	static const char *const bad[] = {
		"", "+", "split+", "+packed", "split+packed", "packed+packed",
		"in_order+no_in_order",
		"mrg+nomrg", "q32", "q8192", "q1000", "q01024", "q", "qq", "q1024+q512", "Packed",
		"split,packed", "inorder", "packed ", "q-256", "q99999999999",
		"split+in_order+mrg+q256+split+in_order+mrg+q256+split+in_order+mrg+q256",
	};
	struct pmd_ring r = PMD_RING_DEFAULT, was;
	size_t i;

	r.queue_size = 77; /* untouched on error */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		was = r;
		ck_assert_msg(pmd_ring_parse(bad[i], &r) == -EINVAL, "spec \"%s\" taken", bad[i]);
		ck_assert(memcmp(&was, &r, sizeof(r)) == 0);
	}
	ck_assert_int_eq(pmd_ring_parse(NULL, &r), -EINVAL);
}
END_TEST

START_TEST(test_devargs)
{
	struct pmd_ring r = PMD_RING_DEFAULT;
	char buf[96];

	ck_assert_int_gt(pmd_ring_devargs(&r, 0, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "packed_vq=0,in_order=1,mrg_rxbuf=1");
	ck_assert_int_gt(pmd_ring_devargs(&r, 1024, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "packed_vq=0,in_order=1,mrg_rxbuf=1,queue_size=1024");
	r = parsed("packed+no_in_order+nomrg+q256");
	ck_assert_int_gt(pmd_ring_devargs(&r, 1024, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "packed_vq=1,in_order=0,mrg_rxbuf=0,queue_size=256");
	ck_assert_int_eq(pmd_ring_devargs(&r, 0, buf, 20), -ENOSPC);
}
END_TEST

START_TEST(test_features)
{
	struct pmd_ring r = {.queue_size = 9};
	/* what net_vhost and virtio-user negotiate here: VERSION_1, MRG_RXBUF, IN_ORDER */
	uint64_t f = (1ULL << 32) | (1ULL << 15) | (1ULL << 35);

	pmd_ring_from_features(f, &r);
	ck_assert(!r.packed && r.in_order && r.mrg_rxbuf && r.queue_size == 0);
	pmd_ring_from_features((1ULL << 32) | (1ULL << 34), &r);
	ck_assert(r.packed && !r.in_order && !r.mrg_rxbuf);
}
END_TEST

static Suite *
ring_spec_suite(void)
{
	Suite *s = suite_create("ring-spec");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_bad);
	tcase_add_test(tc, test_devargs);
	tcase_add_test(tc, test_features);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(ring_spec_suite)
