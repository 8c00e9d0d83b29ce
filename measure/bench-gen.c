/* SPDX-License-Identifier: BSD-3-Clause */
/* `bench switch`: the traffic generator and the switch's liveness while it runs. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "clock.h"
#include "fsutil.h"
#include "ovs.h"
#include "proc.h"
#include "runcmd.h"
#include "state.h"
#include "stop.h"
#include "sweep-run.h"
#include "telemetry.h"

/* Locally administered; each port's packets are addressed to the other port. */
static const char *const gen_mac[2] = {"02:74:62:00:00:01", "02:74:62:00:00:02"};

#define GEN_MBUFS "16384"

bool
bench_nap(double secs)
{
	double end = tb_now_s() + secs;

	while (!tb_stop_signal()) {
		double left = end - tb_now_s();
		struct timespec ts;

		if (left <= 0)
			return true;
		if (left > 0.1)
			left = 0.1;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(left * 1e9);
		nanosleep(&ts, NULL);
	}
	return false;
}

/*
 * Interactive testpmd reads its commands from a pipe; stdbuf makes its stdout line
 * buffered so the log keeps replies next to the commands (the echo is unbuffered).
 * Its ports are virtio-user servers: probing blocks in accept() until the switch
 * connects, and --single-file-segments keeps the vhost-user memory table small.
 */
int
bench_gen_start(struct bench_run *r, const char *log, struct bench_gen *g, char *err,
		size_t errlen)
{
	char lcores[32], prefix[96], mem[64], vdev[2][500], peer[2][40], ring[128];
	struct tb_run_opts o = {.log_path = log, .stdin_pipe = &g->in_fd};
	const struct up_ctx *u = r->u;
	int i, ret;

	memset(g, 0, sizeof(*g));
	g->in_fd = -1;
	tb_file_prefix(g->prefix, sizeof(g->prefix), u->conf.instance, "gen");
	tb_telemetry_path(g->tel, sizeof(g->tel), g->prefix);
	snprintf(lcores, sizeof(lcores), "0@%d,1@%d", r->gen_cpu, r->gen_cpu);
	snprintf(prefix, sizeof(prefix), "--file-prefix=%s", g->prefix);
	vsc_ovs_socket_mem(u->conf.numa, r->n_nodes, BENCH_GEN_MEM_MB, mem, sizeof(mem));
	/* the ring variant under test (--rings): the vhost side takes what virtio-user asks */
	ret = bench_ring_devargs(r->conf, r->ring_cur, ring, sizeof(ring));
	if (ret < 0) {
		snprintf(err, errlen, "generator: ring variant %d: %s", r->ring_cur,
			 strerror(-ret));
		return ret;
	}
	for (i = 0; i < 2; i++) {
		unlink(r->sock[i]); /* a server cannot bind over a stale socket */
		snprintf(vdev[i], sizeof(vdev[i]),
			 "virtio_user%d,path=%s,server=1,queues=1,mac=%s%s", i, r->sock[i],
			 gen_mac[i], ring);
		snprintf(peer[i], sizeof(peer[i]), "--eth-peer=%d,%s", i, gen_mac[1 - i]);
	}
	const char *argv[] = {"stdbuf", "-oL", "dpdk-testpmd", "--lcores", lcores, prefix,
			      "--huge-dir", u->huge_dir, "--socket-mem", mem, "--socket-limit", mem,
			      "--single-file-segments", "--no-pci", "--vdev", vdev[0], "--vdev",
			      vdev[1], "--", "-i", "--forward-mode=io", "--nb-cores=1", "--rxq=1",
			      "--txq=1", "--total-num-mbufs=" GEN_MBUFS, peer[0], peer[1], NULL};

	/* DPDK leaves its hugepage files when it exits: they go with it (journal undo) */
	ret = tb_journal_add(r->u->st, json_pack("{s:s, s:s, s:s}", "kind", "hugefiles", "dir",
						 u->huge_dir, "prefix", g->prefix));
	if (ret == 0)
		ret = tb_spawn(argv, &o, &g->pid);
	if (ret < 0) {
		snprintf(err, errlen, "generator dpdk-testpmd: %s", strerror(-ret));
		return ret;
	}
	ret = up_journal_process(r->u, "gen", g->pid);
	tb_proc_start_time(g->pid, &g->start);
	return ret;
}

bool
bench_sw_alive(const struct bench_sw_proc *s)
{
	waitpid(s->pid, NULL, WNOHANG); /* our child (not OVS): reap it if it died */
	return tb_proc_is(s->pid, s->start);
}

static bool
gen_alive(const struct bench_gen *g)
{
	return waitpid(g->pid, NULL, WNOHANG) == 0;
}

static bool
link_up(const struct bench_gen *g, int port)
{
	char cmd[64], err[256];
	json_t *reply, *v;
	bool up;

	snprintf(cmd, sizeof(cmd), "/ethdev/link_status,%d", port);
	if (tb_telemetry_query(g->tel, cmd, &reply, err, sizeof(err)) < 0)
		return false;
	v = tb_telemetry_value(reply, cmd);
	up = json_is_string(json_object_get(v, "status")) &&
	     strcmp(json_string_value(json_object_get(v, "status")), "UP") == 0;
	json_decref(reply);
	return up;
}

int
bench_gen_wait_links(struct bench_gen *g, const struct bench_sw_proc *s, int timeout_ms,
		     char *err, size_t errlen)
{
	double end = tb_now_s() + timeout_ms / 1000.0;

	while (tb_now_s() < end) {
		if (!gen_alive(g)) {
			snprintf(err, errlen, "generator (pid %d) exited while waiting for the switch",
				 (int)g->pid);
			return -ESRCH;
		}
		if (!bench_sw_alive(s)) {
			snprintf(err, errlen, "switch %s (pid %d) exited before connecting",
				 bench_sw_name(s->kind), (int)s->pid);
			return -ESRCH;
		}
		if (tb_path_exists(g->tel) && link_up(g, 0) && link_up(g, 1))
			return 0;
		if (!bench_nap(0.2))
			return -EINTR;
	}
	snprintf(err, errlen, "switch %s did not connect both generator ports within %d s",
		 bench_sw_name(s->kind), timeout_ms / 1000);
	return -ETIMEDOUT;
}

int
bench_gen_cmd(struct bench_gen *g, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	size_t len, off = 0;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line) - 1)
		return -EINVAL;
	line[n] = '\n';
	len = n + 1;
	while (off < len) {
		ssize_t w = write(g->in_fd, line + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno; /* EPIPE: testpmd is gone (SIGPIPE is ignored) */
		off += w;
	}
	return 0;
}

int
bench_gen_sample(struct bench_gen *g, struct bench_sample *s, char *err, size_t errlen)
{
	double t0 = tb_now_s();
	int i, ret = 0;

	for (i = 0; i < 2 && ret == 0; i++) {
		char cmd[32];
		json_t *reply;

		snprintf(cmd, sizeof(cmd), "/ethdev/stats,%d", i);
		ret = tb_telemetry_query(g->tel, cmd, &reply, err, errlen);
		if (ret < 0)
			break;
		ret = bench_ethdev_counts(tb_telemetry_value(reply, cmd), &s->ipackets[i],
					  &s->ibytes[i]);
		if (ret < 0)
			snprintf(err, errlen, "telemetry %s: no ipackets/ibytes in %s", g->tel, cmd);
		json_decref(reply);
	}
	s->t = (t0 + tb_now_s()) / 2; /* both queries take well under a millisecond */
	return ret;
}

void
bench_gen_quit(struct bench_gen *g)
{
	int i;

	if (g->in_fd < 0)
		return;
	bench_gen_cmd(g, "stop");
	bench_gen_cmd(g, "quit");
	close(g->in_fd);
	g->in_fd = -1;
	for (i = 0; i < 50 && gen_alive(g); i++) {
		struct timespec ts = {.tv_nsec = 100 * 1000000};

		nanosleep(&ts, NULL);
	}
}
