/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The guest agent's framing (vm-profiles/agent-proto.h), as both ends read it: a byte stream
 * cut into reads of any size, frames parsed, bad bytes skipped, EXEC and EXIT payloads
 * decoded; a decoded EXEC encodes back to the same bytes.
 *
 * Input: one byte giving the read size (1..64), then the stream.
 */
#include <errno.h>

#include "agent-proto.h"
#include "fuzz.h"

static struct vm_agent_rx fz_rx;
static uint8_t fz_enc[VM_AGENT_MAX_FRAME];

/* "More bytes needed" only for a frame that fits the reader's buffer: no stall. */
static void
fz_pending(const uint8_t *buf, size_t avail)
{
	FUZZ_ASSERT(avail < VM_AGENT_HDR_LEN ||
		    VM_AGENT_HDR_LEN + (size_t)vm_agent_get32(buf + 8) <= VM_AGENT_MAX_FRAME);
}

static void
fz_frame(const struct vm_agent_frame *f, const uint8_t *start)
{
	const char *argv[VM_AGENT_MAX_ARGS + 1];
	uint32_t timeout, how, value;
	int argc, n;

	FUZZ_ASSERT(f->type >= VM_AGENT_EXEC && f->type <= VM_AGENT_EXIT);
	FUZZ_ASSERT(f->len <= VM_AGENT_MAX_PAYLOAD && f->data == start + VM_AGENT_HDR_LEN);
	argc = vm_agent_decode_exec(f, &timeout, argv, VM_AGENT_MAX_ARGS + 1);
	FUZZ_ASSERT(argc == -EBADMSG || (argc > 0 && argc <= VM_AGENT_MAX_ARGS));
	if (argc > 0) {
		FUZZ_ASSERT(argv[argc] == NULL && argv[0][0] != '\0');
		n = vm_agent_encode_exec(fz_enc, sizeof(fz_enc), f->id, timeout, argv);
		FUZZ_ASSERT(n == (int)(VM_AGENT_HDR_LEN + f->len));
		FUZZ_ASSERT(memcmp(fz_enc, start, (size_t)n) == 0);
		/* a short argv array is refused, not overrun */
		FUZZ_ASSERT(vm_agent_decode_exec(f, &timeout, argv, argc) == -EBADMSG);
	}
	if (vm_agent_decode_exit(f, &how, &value) == 0)
		FUZZ_ASSERT(f->type == VM_AGENT_EXIT && f->len == 8 && how <= VM_AGENT_TIMEDOUT);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm_agent_frame f;
	size_t step, pos, room, n, before;
	uint8_t *p;
	int ret;

	if (size < 1)
		return 0;
	step = 1 + data[0] % 64;
	data++;
	size--;

	/* all at once: the frame is in the bytes given */
	ret = vm_agent_parse(data, size, &f);
	FUZZ_ASSERT(ret == -EBADMSG || (ret >= 0 && (size_t)ret <= size));
	if (ret > 0)
		fz_frame(&f, data);
	if (ret == 0)
		fz_pending(data, size);
	if (ret == -EBADMSG) {
		n = vm_agent_resync(data, size);
		FUZZ_ASSERT(n >= 1 && n <= size);
	}

	/* in reads of step bytes */
	vm_agent_rx_reset(&fz_rx);
	for (pos = 0; pos < size; pos += n) {
		p = vm_agent_rx_space(&fz_rx, &room);
		FUZZ_ASSERT(room > 0); /* a whole frame always fits: no stall */
		n = size - pos < step ? size - pos : step;
		n = n < room ? n : room;
		memcpy(p, data + pos, n);
		vm_agent_rx_commit(&fz_rx, n);
		for (;;) {
			before = fz_rx.off;
			ret = vm_agent_rx_next(&fz_rx, &f);
			if (ret == 1) {
				fz_frame(&f, f.data - VM_AGENT_HDR_LEN);
				continue;
			}
			if (ret == 0) {
				fz_pending(fz_rx.buf + fz_rx.off, fz_rx.len - fz_rx.off);
				break;
			}
			FUZZ_ASSERT(ret == -EBADMSG);
			vm_agent_rx_skip(&fz_rx);
			FUZZ_ASSERT(fz_rx.off > before && fz_rx.off <= fz_rx.len);
		}
	}
	return 0;
}
