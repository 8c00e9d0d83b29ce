/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profile.h"
#include "unit.h"

static struct vm_profile p;
static char err[512];

static int
parse(const char *text)
{
	err[0] = '\0';
	return vm_profile_parse_string(text, "t.ini", &p, err, sizeof(err));
}

/* text must fail with exactly msg. */
static void
bad(const char *text, const char *msg)
{
	ck_assert_int_eq(parse(text), -EINVAL);
	ck_assert_str_eq(err, msg);
}

START_TEST(test_full)
{
	ck_assert_int_eq(parse("; a comment\n"
			       "# another\n"
			       "\n"
			       "[guest]\n"
			       "kind = qemu\n"
			       "vcpus=4\n"
			       "memory_mb = 2048 ; inline comment\n"
			       "description = four vCPUs, 2 GB\n"
			       "[nic]\n"
			       "queues = 4\n"
			       "rx_queue_size = 1024\n"
			       "tx_queue_size = 512\n"
			       "offloads = off\n"),
			 0);
	ck_assert_str_eq(p.name, "t");
	ck_assert_int_eq(p.kind, VM_KIND_QEMU);
	ck_assert_int_eq(p.vcpus, 4);
	ck_assert_int_eq(p.memory_mb, 2048);
	ck_assert_str_eq(p.description, "four vCPUs, 2 GB");
	ck_assert_int_eq(p.queues, 4);
	ck_assert_int_eq(p.rx_queue_size, 1024);
	ck_assert_int_eq(p.tx_queue_size, 512);
	ck_assert(!p.offloads);
	ck_assert_str_eq(vm_kind_name(p.kind), "qemu");
}
END_TEST

START_TEST(test_defaults_and_line_ends)
{
	/* BOM, CRLF, no newline at the end, the limits */
	ck_assert_int_eq(parse("\xef\xbb\xbf[guest]\r\nkind = qemu\r\nmemory_mb = 64\r\n"
			       "vcpus = 64"),
			 0);
	ck_assert_int_eq(p.kind, VM_KIND_QEMU);
	ck_assert_int_eq(p.memory_mb, 64);
	ck_assert_int_eq(p.vcpus, 64);
	ck_assert_int_eq(p.queues, 1);
	ck_assert_int_eq(p.rx_queue_size, 256);
	ck_assert_int_eq(p.tx_queue_size, 256);
	ck_assert(p.offloads);
	ck_assert(!p.packed);
	ck_assert(!p.in_order);
	ck_assert(p.mrg_rxbuf);
	ck_assert_int_eq(parse("[guest]\nkind = netns\n"), 0);
	ck_assert_int_eq(p.kind, VM_KIND_NETNS);
	ck_assert_int_eq(p.memory_mb, 0);
	/* netns: virtio-user's defaults, what the shim always used */
	ck_assert_int_eq(p.rx_queue_size, 1024);
	ck_assert_int_eq(p.tx_queue_size, 1024);
	ck_assert(!p.packed);
	ck_assert(p.in_order);
	ck_assert(p.mrg_rxbuf);
	ck_assert_str_eq(p.description, "");
	ck_assert_int_eq(parse("[nic]\noffloads = on\n[guest]\nkind = qemu\nmemory_mb = 65536\n"),
			 0);
	ck_assert_int_eq(p.memory_mb, 65536);
}
END_TEST

START_TEST(test_bad_values)
{
	bad("[guest]\nkind = vm\n",
	    "t.ini:2: key \"kind\": bad value \"vm\" (allowed: netns, qemu)");
	bad("[guest]\nkind = QEMU\n",
	    "t.ini:2: key \"kind\": bad value \"QEMU\" (allowed: netns, qemu)");
	bad("[guest]\nkind = netns\nvcpus = 0\n",
	    "t.ini:3: key \"vcpus\": bad value \"0\" (allowed: 1-64)");
	bad("[guest]\nvcpus = 65\n", "t.ini:2: key \"vcpus\": bad value \"65\" (allowed: 1-64)");
	bad("[guest]\nvcpus = -1\n", "t.ini:2: key \"vcpus\": bad value \"-1\" (allowed: 1-64)");
	bad("[guest]\nvcpus = 2x\n", "t.ini:2: key \"vcpus\": bad value \"2x\" (allowed: 1-64)");
	bad("[guest]\nvcpus = 0x2\n", "t.ini:2: key \"vcpus\": bad value \"0x2\" (allowed: 1-64)");
	bad("[guest]\nvcpus =\n", "t.ini:2: key \"vcpus\": bad value \"\" (allowed: 1-64)");
	bad("[guest]\nvcpus = 99999999999999999999\n",
	    "t.ini:2: key \"vcpus\": bad value \"99999999999999999999\" (allowed: 1-64)");
	bad("[guest]\nmemory_mb = 63\n",
	    "t.ini:2: key \"memory_mb\": bad value \"63\" (allowed: 64-65536)");
	bad("[guest]\nmemory_mb = 65537\n",
	    "t.ini:2: key \"memory_mb\": bad value \"65537\" (allowed: 64-65536)");
	bad("[guest]\nmemory_mb = 1G\n",
	    "t.ini:2: key \"memory_mb\": bad value \"1G\" (allowed: 64-65536)");
	bad("[nic]\nqueues = 9\n", "t.ini:2: key \"queues\": bad value \"9\" (allowed: 1-8)");
	bad("[nic]\nqueues = 0\n", "t.ini:2: key \"queues\": bad value \"0\" (allowed: 1-8)");
	bad("[nic]\nrx_queue_size = 300\n",
	    "t.ini:2: key \"rx_queue_size\": bad value \"300\" (allowed: 256, 512, 1024)");
	bad("[nic]\nrx_queue_size = 128\n",
	    "t.ini:2: key \"rx_queue_size\": bad value \"128\" (allowed: 256, 512, 1024)");
	bad("[nic]\ntx_queue_size = 2048\n",
	    "t.ini:2: key \"tx_queue_size\": bad value \"2048\" (allowed: 256, 512, 1024)");
	bad("[nic]\noffloads = yes\n",
	    "t.ini:2: key \"offloads\": bad value \"yes\" (allowed: on, off)");
	/* control bytes are not echoed, long values are cut */
	bad("[nic]\noffloads = o\x01\xff\n",
	    "t.ini:2: key \"offloads\": bad value \"o??\" (allowed: on, off)");
	bad("[guest]\ndescription = "
	    "0123456789012345678901234567890123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789012345678901234567890123456789"
	    "01234567890123456789\n",
	    "t.ini:2: key \"description\": bad value "
	    "\"0123456789012345678901234567890123456789...\" (allowed: at most 159 characters)");
}
END_TEST

START_TEST(test_ring)
{
	char spec[64];

	ck_assert_int_eq(parse("[guest]\nkind = netns\n[nic]\nring = packed\nin_order = off\n"
			       "mrg_rxbuf = off\nrx_queue_size = 512\ntx_queue_size = 512\n"),
			 0);
	ck_assert(p.packed);
	ck_assert(!p.in_order);
	ck_assert(!p.mrg_rxbuf);
	ck_assert_int_gt(vm_profile_ring_spec(&p, spec, sizeof(spec)), 0);
	ck_assert_str_eq(spec, "packed+no_in_order+nomrg+q512");
	/* one size given: both take it */
	ck_assert_int_eq(parse("[guest]\nkind = netns\n[nic]\ntx_queue_size = 256\n"), 0);
	ck_assert_int_eq(p.rx_queue_size, 256);
	ck_assert_int_gt(vm_profile_ring_spec(&p, spec, sizeof(spec)), 0);
	ck_assert_str_eq(spec, "split+in_order+mrg+q256");
	ck_assert_int_eq(vm_profile_ring_spec(&p, spec, 10), -ENOSPC);
	ck_assert_int_eq(parse("[guest]\nkind = qemu\nmemory_mb = 256\n[nic]\nring = packed\n"
			       "in_order = off\nmrg_rxbuf = off\n"),
			 0);
	ck_assert(p.packed);
	ck_assert(!p.mrg_rxbuf);
	bad("[nic]\nring = Packed\n",
	    "t.ini:2: key \"ring\": bad value \"Packed\" (allowed: split, packed)");
	bad("[nic]\nin_order = 1\n",
	    "t.ini:2: key \"in_order\": bad value \"1\" (allowed: on, off)");
	bad("[nic]\nmrg_rxbuf = no\n",
	    "t.ini:2: key \"mrg_rxbuf\": bad value \"no\" (allowed: on, off)");
	bad("[guest]\nkind = qemu\nmemory_mb = 256\n[nic]\nin_order = on\n",
	    "t.ini:5: key \"in_order\": kind = qemu cannot (QEMU 7.2's virtio-net-pci has no "
	    "in_order property; allowed: off)");
	bad("[guest]\nkind = netns\n[nic]\nrx_queue_size = 256\ntx_queue_size = 512\n",
	    "t.ini:5: rx_queue_size 256 and tx_queue_size 512 differ: kind = netns has one ring "
	    "size (virtio-user's queue_size); give both the same value");
}
END_TEST

START_TEST(test_bad_structure)
{
	bad("[guest]\nkind = qemu\n[disk]\nsize = 1\n",
	    "t.ini:3: unknown section [disk] (allowed: [guest], [nic])");
	/* an empty unknown section too (a typo of a real one) */
	bad("[guest]\nkind = netns\n[nics]\n",
	    "t.ini:3: unknown section [nics] (allowed: [guest], [nic])");
	bad("[nic]\nqueue = 2\n", "t.ini:2: unknown key \"queue\" in [nic] (allowed: queues, "
				  "rx_queue_size, tx_queue_size, offloads, ring, in_order, "
				  "mrg_rxbuf)");
	bad("[nic]\nkind = qemu\n", "t.ini:2: unknown key \"kind\" in [nic] (allowed: queues, "
				    "rx_queue_size, tx_queue_size, offloads, ring, in_order, "
				    "mrg_rxbuf)");
	bad("[guest]\nKind = qemu\n", "t.ini:2: unknown key \"Kind\" in [guest] (allowed: kind, "
				      "vcpus, memory_mb, description)");
	bad("kind = qemu\n",
	    "t.ini:1: key \"kind\" before any section (put it under [guest] or [nic])");
	bad("[guest]\nkind = qemu\nmemory_mb = 256\n\nkind = netns\n",
	    "t.ini:5: key \"kind\" given twice (first on line 2)");
	bad("[guest]\nkind = qemu\n  memory_mb = 256\n",
	    "t.ini:3: indented line: remove the leading spaces");
	bad("[guest]\nkind\n",
	    "t.ini:2: syntax error (expected [section], key = value or a ; comment)");
	/* the first error wins though libinih reads on after a syntax error */
	bad("[guest]\nkind\nvcpus = 99\n",
	    "t.ini:2: syntax error (expected [section], key = value or a ; comment)");
	bad("[guest\nkind = qemu\n",
	    "t.ini:1: syntax error (expected [section], key = value or a ; comment)");
}
END_TEST

START_TEST(test_missing_and_kind_rules)
{
	bad("", "t.ini: missing required key \"kind\" in [guest]");
	bad("[guest]\nvcpus = 2\n[nic]\nqueues = 2\n",
	    "t.ini: missing required key \"kind\" in [guest]");
	bad("[guest]\nkind = qemu\n",
	    "t.ini: missing required key \"memory_mb\" in [guest] (kind = qemu needs it)");
	bad("[guest]\nmemory_mb = 256\nkind = netns\n",
	    "t.ini:2: key \"memory_mb\" is for kind = qemu only (line 3 says kind = netns)");
}
END_TEST

START_TEST(test_long_line)
{
	char text[400];

	memset(text, 'x', sizeof(text));
	memcpy(text, "[guest]\ndescription = ", 22);
	text[250] = '\n';
	text[251] = '\0';
	bad(text, "t.ini:2: line longer than 198 characters");
}
END_TEST

static const char *
profiles_dir(void)
{
	const char *d = getenv("PROFILES");

	return d != NULL ? d : "vm-profiles/profiles";
}

START_TEST(test_shipped)
{
	const char *dir = profiles_dir();

	ck_assert_msg(vm_profile_load(dir, "netns", &p, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(p.kind, VM_KIND_NETNS);
	ck_assert_str_eq(p.name, "netns");
	ck_assert(!p.packed && p.in_order && p.rx_queue_size == 1024);
	ck_assert_msg(vm_profile_load(dir, "netns-packed", &p, err, sizeof(err)) == 0, "%s", err);
	ck_assert(p.packed && p.in_order && p.mrg_rxbuf);
	ck_assert_msg(vm_profile_load(dir, "vm-small", &p, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(p.kind, VM_KIND_QEMU);
	ck_assert_int_eq(p.vcpus, 1);
	ck_assert_int_eq(p.memory_mb, 256);
	ck_assert_str_eq(p.name, "vm-small");
	ck_assert_msg(vm_profile_load(dir, "vm-reference", &p, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(p.kind, VM_KIND_QEMU);
	ck_assert_int_eq(p.vcpus, 1);
	ck_assert_int_eq(p.memory_mb, 1024);
	ck_assert(p.offloads);
}
END_TEST

START_TEST(test_load)
{
	char dir[] = "/tmp/tb-test-profile-XXXXXX", path[128], msg[512];
	const char *text = "[guest]\nkind = qemu\nmemory_mb = 100000\n";
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/big.ini", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	/* by name and by path: errors name the file */
	ck_assert_int_eq(vm_profile_load(dir, "big", &p, err, sizeof(err)), -EINVAL);
	snprintf(msg, sizeof(msg),
		 "%s:3: key \"memory_mb\": bad value \"100000\" (allowed: "
		 "64-65536)",
		 path);
	ck_assert_str_eq(err, msg);
	ck_assert_int_eq(vm_profile_load(NULL, path, &p, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, msg);
	ck_assert_int_eq(vm_profile_load(dir, "nope", &p, err, sizeof(err)), -ENOENT);
	snprintf(msg, sizeof(msg), "profile \"nope\" not found in %s (available: big)", dir);
	ck_assert_str_eq(err, msg);
	ck_assert_int_eq(vm_profile_load(dir, "../x", &p, err, sizeof(err)), -ENOENT);
	ck_assert_int_eq(vm_profile_load(dir, "a b", &p, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "bad profile name \"a b\" (letters, digits, '-', '_'; or a path to "
			      "a .ini file)");
	/* the available list of the real directory */
	ck_assert_int_eq(vm_profile_load(profiles_dir(), "vm-huge", &p, err, sizeof(err)), -ENOENT);
	ck_assert_ptr_nonnull(
		strstr(err, "(available: netns, netns-packed, vm-reference, vm-small)"));
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *
profile_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_defaults_and_line_ends);
	tcase_add_test(tc, test_bad_values);
	tcase_add_test(tc, test_bad_structure);
	tcase_add_test(tc, test_ring);
	tcase_add_test(tc, test_missing_and_kind_rules);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_shipped);
	tcase_add_test(tc, test_load);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(profile_suite)
