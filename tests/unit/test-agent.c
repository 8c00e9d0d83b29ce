/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent-proto.h"
#include "agent.h"
#include "unit.h"

/* An EXEC request survives encode/decode: argv, empty arguments, the timeout, the id. */
START_TEST(test_exec_roundtrip)
{
	const char *const argv[] = {"qperf", "198.18.9.2", "", "-m", "1", "tcp_lat", NULL};
	const char *got[8];
	uint8_t buf[256];
	struct vm_agent_frame f;
	uint32_t timeout;
	int len, i;

	len = vm_agent_encode_exec(buf, sizeof(buf), 0xdeadbeef, 5000, argv);
	ck_assert_int_gt(len, VM_AGENT_HDR_LEN);
	ck_assert_int_eq(vm_agent_parse(buf, len, &f), len);
	ck_assert_uint_eq(f.type, VM_AGENT_EXEC);
	ck_assert_uint_eq(f.id, 0xdeadbeef);
	ck_assert_int_eq(vm_agent_decode_exec(&f, &timeout, got, 8), 6);
	ck_assert_uint_eq(timeout, 5000);
	for (i = 0; argv[i] != NULL; i++)
		ck_assert_str_eq(got[i], argv[i]);
	ck_assert_ptr_null(got[6]);
	/* too small an argv array on the receiving side */
	ck_assert_int_eq(vm_agent_decode_exec(&f, &timeout, got, 6), -EBADMSG);
}
END_TEST

START_TEST(test_exec_limits)
{
	static uint8_t buf[VM_AGENT_MAX_FRAME + 100];
	static char big[VM_AGENT_MAX_PAYLOAD];
	const char *empty[] = {NULL};
	const char *argv[] = {"echo", big, NULL};

	ck_assert_int_eq(vm_agent_encode_exec(buf, sizeof(buf), 1, 0, empty), -EINVAL);
	memset(big, 'x', sizeof(big) - 1);
	ck_assert_int_eq(vm_agent_encode_exec(buf, sizeof(buf), 1, 0, argv), -E2BIG);
	ck_assert_int_eq(vm_agent_encode_exec(buf, 20, 1, 0, (const char *[]){"ip", "-br", NULL}),
			 -E2BIG);
}
END_TEST

/* A stream cut at every byte still yields the same frames in order. */
START_TEST(test_partial_reads)
{
	static struct vm_agent_rx rx;
	uint8_t stream[512], *dst;
	struct vm_agent_frame f;
	size_t len = 0, i, room;
	int types[8], n = 0, ret;
	char text[64] = "";

	len += vm_agent_encode_exec(stream, sizeof(stream), 7, 0, (const char *[]){"true", NULL});
	len += vm_agent_put_hdr(stream + len, VM_AGENT_STDOUT, 7, 5);
	memcpy(stream + len, "hello", 5);
	len += 5;
	len += vm_agent_put_hdr(stream + len, VM_AGENT_STDERR, 7, 0);
	len += vm_agent_encode_u32s(stream + len, VM_AGENT_EXIT, 7, VM_AGENT_EXITED, 3);
	vm_agent_rx_reset(&rx);
	for (i = 0; i < len; i++) {
		dst = vm_agent_rx_space(&rx, &room);
		ck_assert_uint_ge(room, 1);
		*dst = stream[i];
		vm_agent_rx_commit(&rx, 1);
		while ((ret = vm_agent_rx_next(&rx, &f)) == 1) {
			ck_assert_uint_eq(f.id, 7);
			types[n++] = f.type;
			if (f.type == VM_AGENT_STDOUT)
				memcpy(text, f.data, f.len);
		}
		ck_assert_int_eq(ret, 0);
	}
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(types[0], VM_AGENT_EXEC);
	ck_assert_int_eq(types[1], VM_AGENT_STDOUT);
	ck_assert_int_eq(types[2], VM_AGENT_STDERR);
	ck_assert_int_eq(types[3], VM_AGENT_EXIT);
	ck_assert_str_eq(text, "hello");
}
END_TEST

START_TEST(test_bad_frames)
{
	static struct vm_agent_rx rx;
	struct vm_agent_frame f = {0};
	uint8_t buf[64], *dst;
	uint32_t how, value, timeout;
	const char *argv[4];
	size_t room;
	int len;

	/* wrong magic, version, type; a length over the limit */
	ck_assert_int_eq(vm_agent_parse((const uint8_t *)"x", 1, &f), -EBADMSG);
	vm_agent_put_hdr(buf, VM_AGENT_STDOUT, 1, 0);
	buf[2] = 9;
	ck_assert_int_eq(vm_agent_parse(buf, 3, &f), -EBADMSG);
	vm_agent_put_hdr(buf, 0, 1, 0);
	ck_assert_int_eq(vm_agent_parse(buf, VM_AGENT_HDR_LEN, &f), -EBADMSG);
	vm_agent_put_hdr(buf, VM_AGENT_STDOUT, 1, VM_AGENT_MAX_PAYLOAD + 1);
	ck_assert_int_eq(vm_agent_parse(buf, VM_AGENT_HDR_LEN, &f), -EBADMSG);
	/* a header alone is incomplete, not bad */
	vm_agent_put_hdr(buf, VM_AGENT_STDOUT, 1, 10);
	ck_assert_int_eq(vm_agent_parse(buf, VM_AGENT_HDR_LEN + 9, &f), 0);

	/* EXEC whose count disagrees with its strings, or lacks the final NUL */
	len = vm_agent_encode_exec(buf, sizeof(buf), 2, 0, (const char *[]){"ip", "a", NULL});
	vm_agent_put32(buf + VM_AGENT_HDR_LEN + 4, 3);
	vm_agent_parse(buf, len, &f);
	ck_assert_int_eq(vm_agent_decode_exec(&f, &timeout, argv, 4), -EBADMSG);
	vm_agent_put32(buf + VM_AGENT_HDR_LEN + 4, 1);
	ck_assert_int_eq(vm_agent_decode_exec(&f, &timeout, argv, 4), -EBADMSG);
	vm_agent_put32(buf + VM_AGENT_HDR_LEN + 4, 2);
	buf[len - 1] = 'x';
	ck_assert_int_eq(vm_agent_decode_exec(&f, &timeout, argv, 4), -EBADMSG);
	/* an empty program name */
	len = vm_agent_encode_exec(buf, sizeof(buf), 2, 0, (const char *[]){"", NULL});
	vm_agent_parse(buf, len, &f);
	ck_assert_int_eq(vm_agent_decode_exec(&f, &timeout, argv, 4), -EBADMSG);

	/* EXIT: short, or an unknown kind */
	vm_agent_encode_u32s(buf, VM_AGENT_EXIT, 3, VM_AGENT_SIGNALED, 15);
	vm_agent_parse(buf, VM_AGENT_HDR_LEN + 8, &f);
	ck_assert_int_eq(vm_agent_decode_exit(&f, &how, &value), 0);
	ck_assert_uint_eq(how, VM_AGENT_SIGNALED);
	ck_assert_uint_eq(value, 15);
	vm_agent_put32(buf + VM_AGENT_HDR_LEN, 7);
	ck_assert_int_eq(vm_agent_decode_exit(&f, &how, &value), -EBADMSG);
	f.len = 4;
	ck_assert_int_eq(vm_agent_decode_exit(&f, &how, &value), -EBADMSG);

	/* garbage before a frame: skipped up to the next header */
	vm_agent_rx_reset(&rx);
	dst = vm_agent_rx_space(&rx, &room);
	memcpy(dst, "junkt", 5);
	len = vm_agent_encode_u32s(dst + 5, VM_AGENT_KILL, 4, 9, 0);
	vm_agent_rx_commit(&rx, 5 + len);
	ck_assert_int_eq(vm_agent_rx_next(&rx, &f), -EBADMSG);
	vm_agent_rx_skip(&rx); /* past the stray 't' too: it is not followed by 'b' */
	ck_assert_int_eq(vm_agent_rx_next(&rx, &f), 1);
	ck_assert_uint_eq(f.type, VM_AGENT_KILL);
	ck_assert_uint_eq(vm_agent_get32(f.data), 9);
	ck_assert_int_eq(vm_agent_rx_next(&rx, &f), 0);
}
END_TEST

/* The ready line is found once complete; a panic or silence gives up with the last line. */
START_TEST(test_wait_ready)
{
	char path[] = "/tmp/test-agent-XXXXXX", line[64], err[256];
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "boot\nTB-READY g0 198.18.9.1", 27), 27);
	ck_assert_int_eq(vm_agent_wait_ready(path, 100, line, sizeof(line), err, sizeof(err)),
			 -ETIMEDOUT);
	ck_assert_ptr_nonnull(strstr(err, "TB-READY g0"));
	ck_assert_int_eq(write(fd, "\r\n", 2), 2);
	ck_assert_int_eq(vm_agent_wait_ready(path, 100, line, sizeof(line), err, sizeof(err)), 0);
	ck_assert_str_eq(line, "TB-READY g0 198.18.9.1");
	ck_assert_int_eq(ftruncate(fd, 0), 0);
	ck_assert_int_eq(pwrite(fd, "Kernel panic - not syncing\n", 27, 0), 27);
	ck_assert_int_eq(vm_agent_wait_ready(path, 1000, line, sizeof(line), err, sizeof(err)),
			 -EIO);
	close(fd);
	unlink(path);
}
END_TEST

/* No VM behind the socket: a clear error, and the lock file is left for reuse. */
START_TEST(test_exec_no_vm)
{
	const char *socks[] = {"/tmp/test-agent-none.sock"};
	const char *argv[] = {"true", NULL};
	char *out = NULL, err[256];
	int status;

	ck_assert_int_eq(vm_agent_exec(socks, 1, argv, 1000, &out, &status, err, sizeof(err)),
			 -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "is the VM running"));
	ck_assert_int_ne(access("/tmp/test-agent-none.sock.lock", F_OK), 0);
	free(out);
}
END_TEST

static Suite *
agent_suite(void)
{
	Suite *s = suite_create("agent");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_exec_roundtrip);
	tcase_add_test(tc, test_exec_limits);
	tcase_add_test(tc, test_partial_reads);
	tcase_add_test(tc, test_bad_frames);
	tcase_add_test(tc, test_wait_ready);
	tcase_add_test(tc, test_exec_no_vm);
	suite_add_tcase(s, tc);
	return s;
}

TB_CHECK_MAIN(agent_suite)
