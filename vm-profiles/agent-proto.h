/* SPDX-License-Identifier: BSD-3-Clause */
/* The guest agent's framing, shared by the agent and its host client. */
#ifndef TB_VM_AGENT_PROTO_H
#define TB_VM_AGENT_PROTO_H

/*
 * Framing between the host (agent.c) and the guest agent (guest-agent.c) on one
 * virtio-serial port. Header only: the guest agent is a static program that links
 * nothing of the testbed.
 *
 * Every frame: a 12-byte header, then len bytes of payload. Integers little-endian.
 *   0  't' 'b'   magic, to catch a stream that lost its place
 *   2  u8        protocol version (VM_AGENT_VERSION)
 *   3  u8        type (enum vm_agent_type)
 *   4  u32       request id: chosen by the host in EXEC, repeated in every frame of that
 *                request, so frames of an earlier connection's request are told apart
 *   8  u32       payload length, at most VM_AGENT_MAX_PAYLOAD
 *
 * host -> guest
 *   EXEC    u32 timeout_ms (0: none), u32 argc, then argc NUL-terminated strings that
 *           fill the rest of the payload exactly. Run argv directly (no shell) with a
 *           fixed PATH; a new EXEC while a command runs on the port kills that one first.
 *   KILL    u32 signal (0: SIGKILL), sent to the command's process group.
 * guest -> host
 *   STDOUT, STDERR   output bytes as they come, in order per stream
 *   EXIT    u32 how (enum vm_agent_exit), u32 value (exit code, signal, or 0); the
 *           last frame of a request, after all its output.
 * The host closing the port (EOF/POLLHUP in the guest) kills the command's process group.
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define VM_AGENT_PORT_PREFIX "tb.agent" /* virtio-serial port names the agent serves */
#define VM_AGENT_VERSION 1
#define VM_AGENT_HDR_LEN 12
#define VM_AGENT_MAX_PAYLOAD 65536
#define VM_AGENT_MAX_FRAME (VM_AGENT_HDR_LEN + VM_AGENT_MAX_PAYLOAD)
#define VM_AGENT_MAX_ARGS 256

enum vm_agent_type {
	VM_AGENT_EXEC = 1,
	VM_AGENT_KILL = 2,
	VM_AGENT_STDOUT = 3,
	VM_AGENT_STDERR = 4,
	VM_AGENT_EXIT = 5,
};

enum vm_agent_exit {
	VM_AGENT_EXITED = 0,   /* value: exit code */
	VM_AGENT_SIGNALED = 1, /* value: signal number */
	VM_AGENT_TIMEDOUT = 2, /* the guest killed it at the request's timeout */
};

struct vm_agent_frame {
	uint8_t type;
	uint32_t id;
	uint32_t len;
	const uint8_t *data; /* points into the buffer that was parsed */
};

static inline void
vm_agent_put32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

static inline uint32_t
vm_agent_get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Writes a header for len payload bytes; returns VM_AGENT_HDR_LEN. */
static inline size_t
vm_agent_put_hdr(uint8_t *buf, uint8_t type, uint32_t id, uint32_t len)
{
	buf[0] = 't';
	buf[1] = 'b';
	buf[2] = VM_AGENT_VERSION;
	buf[3] = type;
	vm_agent_put32(buf + 4, id);
	vm_agent_put32(buf + 8, len);
	return VM_AGENT_HDR_LEN;
}

/*
 * One frame from the front of buf (avail bytes): its total length (> 0) with f filled,
 * 0 when more bytes are needed, -EBADMSG when buf does not start with a valid header.
 */
static inline int
vm_agent_parse(const uint8_t *buf, size_t avail, struct vm_agent_frame *f)
{
	uint32_t len;

	if (avail >= 1 && buf[0] != 't')
		return -EBADMSG;
	if (avail >= 2 && buf[1] != 'b')
		return -EBADMSG;
	if (avail >= 3 && buf[2] != VM_AGENT_VERSION)
		return -EBADMSG;
	if (avail >= 4 && (buf[3] < VM_AGENT_EXEC || buf[3] > VM_AGENT_EXIT))
		return -EBADMSG;
	if (avail < VM_AGENT_HDR_LEN)
		return 0;
	len = vm_agent_get32(buf + 8);
	if (len > VM_AGENT_MAX_PAYLOAD)
		return -EBADMSG;
	if (avail < VM_AGENT_HDR_LEN + (size_t)len)
		return 0;
	f->type = buf[3];
	f->id = vm_agent_get32(buf + 4);
	f->len = len;
	f->data = buf + VM_AGENT_HDR_LEN;
	return VM_AGENT_HDR_LEN + len;
}

/* Bytes to drop from the front of buf to reach the next possible header (resync). */
static inline size_t
vm_agent_resync(const uint8_t *buf, size_t avail)
{
	size_t i;

	for (i = 1; i < avail; i++)
		if (buf[i] == 't' && (i + 1 == avail || buf[i + 1] == 'b'))
			return i;
	return avail;
}

/* A whole EXEC frame for argv into buf; its length, or -E2BIG / -EINVAL (empty argv). */
static inline int
vm_agent_encode_exec(uint8_t *buf, size_t cap, uint32_t id, uint32_t timeout_ms,
		     const char *const argv[])
{
	size_t off = VM_AGENT_HDR_LEN + 8, n;
	uint32_t argc;

	if (argv == NULL || argv[0] == NULL)
		return -EINVAL;
	if (cap > VM_AGENT_MAX_FRAME)
		cap = VM_AGENT_MAX_FRAME;
	for (argc = 0; argv[argc] != NULL; argc++) {
		n = strlen(argv[argc]) + 1;
		if (argc >= VM_AGENT_MAX_ARGS || off + n > cap)
			return -E2BIG;
		memcpy(buf + off, argv[argc], n);
		off += n;
	}
	vm_agent_put_hdr(buf, VM_AGENT_EXEC, id, off - VM_AGENT_HDR_LEN);
	vm_agent_put32(buf + VM_AGENT_HDR_LEN, timeout_ms);
	vm_agent_put32(buf + VM_AGENT_HDR_LEN + 4, argc);
	return off;
}

/*
 * The argv of an EXEC payload, in place: argv[] points into f->data (strings already
 * NUL-terminated there), argv[argc] = NULL. max is argv's size. -EBADMSG when the
 * count and the strings disagree.
 */
static inline int
vm_agent_decode_exec(const struct vm_agent_frame *f, uint32_t *timeout_ms, const char *argv[],
		     int max)
{
	uint32_t argc, i, off = 8;
	const uint8_t *end;

	if (f->type != VM_AGENT_EXEC || f->len < 8)
		return -EBADMSG;
	*timeout_ms = vm_agent_get32(f->data);
	argc = vm_agent_get32(f->data + 4);
	if (argc == 0 || argc > VM_AGENT_MAX_ARGS || (int)argc >= max)
		return -EBADMSG;
	for (i = 0; i < argc; i++) {
		if (off >= f->len)
			return -EBADMSG;
		end = memchr(f->data + off, '\0', f->len - off);
		if (end == NULL)
			return -EBADMSG;
		argv[i] = (const char *)f->data + off;
		off = end - f->data + 1;
	}
	if (off != f->len || argv[0][0] == '\0')
		return -EBADMSG;
	argv[argc] = NULL;
	return argc;
}

/* A frame whose payload is two u32 (KILL uses only the first, EXIT both). */
static inline int
vm_agent_encode_u32s(uint8_t *buf, uint8_t type, uint32_t id, uint32_t a, uint32_t b)
{
	uint32_t len = type == VM_AGENT_KILL ? 4 : 8;

	vm_agent_put_hdr(buf, type, id, len);
	vm_agent_put32(buf + VM_AGENT_HDR_LEN, a);
	if (len == 8)
		vm_agent_put32(buf + VM_AGENT_HDR_LEN + 4, b);
	return VM_AGENT_HDR_LEN + len;
}

/* Bytes read from a stream, cut into frames; reads may end anywhere in a frame. */
struct vm_agent_rx {
	size_t off; /* start of the unparsed bytes */
	size_t len; /* end of the bytes read */
	uint8_t buf[VM_AGENT_MAX_FRAME];
};

/* Where the next read goes (*room bytes free); moves unparsed bytes to the front first. */
static inline uint8_t *
vm_agent_rx_space(struct vm_agent_rx *rx, size_t *room)
{
	if (rx->off > 0) {
		memmove(rx->buf, rx->buf + rx->off, rx->len - rx->off);
		rx->len -= rx->off;
		rx->off = 0;
	}
	*room = sizeof(rx->buf) - rx->len;
	return rx->buf + rx->len;
}

static inline void
vm_agent_rx_commit(struct vm_agent_rx *rx, size_t n)
{
	rx->len += n;
}

/*
 * The next whole frame (1; f->data valid until the next vm_agent_rx_space), 0 when
 * more bytes are needed, -EBADMSG when the bytes are no frame (the caller drops the
 * stream or calls vm_agent_rx_skip).
 */
static inline int
vm_agent_rx_next(struct vm_agent_rx *rx, struct vm_agent_frame *f)
{
	int n = vm_agent_parse(rx->buf + rx->off, rx->len - rx->off, f);

	if (n <= 0)
		return n;
	rx->off += n;
	return 1;
}

/* Drops bytes up to the next possible header. */
static inline void
vm_agent_rx_skip(struct vm_agent_rx *rx)
{
	rx->off += vm_agent_resync(rx->buf + rx->off, rx->len - rx->off);
}

static inline void
vm_agent_rx_reset(struct vm_agent_rx *rx)
{
	rx->off = 0;
	rx->len = 0;
}

/* EXIT payload -> how/value; -EBADMSG on a short frame or an unknown how. */
static inline int
vm_agent_decode_exit(const struct vm_agent_frame *f, uint32_t *how, uint32_t *value)
{
	if (f->type != VM_AGENT_EXIT || f->len != 8)
		return -EBADMSG;
	*how = vm_agent_get32(f->data);
	*value = vm_agent_get32(f->data + 4);
	return *how <= VM_AGENT_TIMEDOUT ? 0 : -EBADMSG;
}

#endif
