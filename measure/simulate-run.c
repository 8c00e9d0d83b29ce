/* SPDX-License-Identifier: BSD-3-Clause */
/* `simulate`: one step: iperf pairs and mtr in every guest at once. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backends.h"
#include "clock.h"
#include "fsutil.h"
#include "log.h"
#include "proc.h"
#include "results.h"
#include "guest-cmd.h"
#include "run-info.h"
#include "runcmd.h"
#include "simulate-run.h"
#include "serve.h"
#include "sweep-remote.h"
#include "state.h"
#include "stats.h"
#include "toolparse.h"

#define IPERF_PORT SERVE_IPERF_PORT /* the other machine's `serve` listens there too */
#define MAX_PROCS (2 * UP_MAX_GUESTS)

struct sim_guest {
	const char *name, *ns, *addr;
	int cpu;
	json_t *g; /* its state entry */
};

struct sim_proc {
	pid_t pid;
	char rel[256]; /* raw output, relative to the run dir */
};

/* Guests 0..n-1 of a backend, by index. */
static int
guests_of(json_t *st, enum tb_backend be, int n, struct sim_guest *g)
{
	struct guest_table t;
	int idx;

	guest_table_fill(&t, st);
	for (idx = 0; idx < n; idx++) {
		json_t *o = idx < UP_MAX_GUESTS ? t.g[be][idx] : NULL;

		if (o == NULL)
			return -ENOENT;
		g[idx].name = json_string_value(json_object_get(o, "name"));
		g[idx].ns = json_string_value(json_object_get(o, "netns"));
		g[idx].addr = json_string_value(json_object_get(o, "address"));
		g[idx].cpu = json_integer_value(json_object_get(o, "cpu"));
		g[idx].g = o;
	}
	return 0;
}

/* Across machines: guest 2k is local guest k, 2k + 1 pair k's server (swr_place: served
 * machine k mod M, its guest k div M). */
static int
remote_pairs(json_t *st, enum tb_backend be, int n, json_t *remote, struct sim_guest *g,
	     int (*pr)[2])
{
	struct sim_guest local[UP_MAX_GUESTS];
	int k;

	if (n % 2 != 0 || guests_of(st, be, n / 2, local) < 0)
		return -ENOENT;
	for (k = 0; k < n / 2; k++) {
		json_t *o = swr_server(remote, be, k);

		if (o == NULL)
			return -ENOENT;
		g[2 * k] = local[k];
		g[2 * k + 1] = (struct sim_guest){
			.name = json_string_value(json_object_get(o, "name")),
			.addr = json_string_value(json_object_get(o, "address")),
			.cpu = -1,
			.g = o,
		};
		pr[k][0] = 2 * k;
		pr[k][1] = 2 * k + 1;
	}
	return n / 2;
}

static bool
is_remote(const struct sim_guest *g)
{
	return strcmp(guest_kind(g->g), SWR_KIND_REMOTE) == 0;
}

/* Runs tool in guest g in the background with its output in dir/rel. */
static int
spawn(const char *dir, const char *rel, const struct sim_guest *g, const char *const tool[],
      struct sim_proc *p)
{
	struct tb_run_opts o;
	struct guest_cmd gc;
	char path[4400];
	int ret;

	memset(&o, 0, sizeof(o));
	o.log_path = path;
	p->pid = -1;
	snprintf(p->rel, sizeof(p->rel), "%s", rel);
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	res_write_text(dir, rel, "");
	ret = guest_cmd(&gc, g->g, tool);
	return ret < 0 ? ret : tb_spawn(gc.argv, &o, &p->pid);
}

static void
wait_all(struct sim_proc *p, int n, int timeout_s)
{
	struct timespec ts = {.tv_nsec = 50 * 1000000};
	int left = 0, i, waited;

	for (i = 0; i < n; i++)
		left += p[i].pid > 0;
	for (waited = 0; left > 0 && waited < timeout_s * 20; waited++) {
		for (i = 0; i < n; i++)
			if (p[i].pid > 0 && waitpid(p[i].pid, NULL, WNOHANG) == p[i].pid) {
				p[i].pid = 0;
				left--;
			}
		if (left > 0)
			nanosleep(&ts, NULL);
	}
	for (i = 0; i < n; i++) /* past the limit: these are ours, stop them */
		if (p[i].pid > 0) {
			kill(p[i].pid, SIGKILL);
			waitpid(p[i].pid, NULL, 0);
			p[i].pid = -1;
		}
}

static char *
read_raw(const char *dir, const char *rel)
{
	char path[4400], *text = NULL;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (tb_read_file(path, &text, NULL) < 0)
		return strdup("");
	return text;
}

/* Switch processes of the instance: OVS and the shims (their CPU is the switch's cost). */
static int
switch_pids(json_t *st, int *pids, int max)
{
	json_t *o;
	size_t i;
	int n = 0;

	json_array_foreach(json_object_get(st, "objects"), i, o) {
		const char *role = json_string_value(json_object_get(o, "role"));

		if (n < max && role_is_data_path(role))
			pids[n++] = json_integer_value(json_object_get(o, "pid"));
	}
	return n;
}

static unsigned long long
switch_jiffies(const int *pids, int n)
{
	unsigned long long sum = 0;
	int i;

	for (i = 0; i < n; i++)
		sum += ri_proc_jiffies(pids[i]);
	return sum;
}

static json_t *
pair_result(const char *dir, const struct sim_guest *c, const struct sim_guest *s,
	    const struct sim_proc *iperf, const struct sim_proc *mtr_c, const struct sim_proc *mtr_s,
	    double *bw, double *lat_sum, double *loss_sum, int *n_lat)
{
	const struct sim_proc *mp[2] = {mtr_c, mtr_s};
	const struct sim_guest *mg[2] = {c, s}, *peer[2] = {s, c};
	json_t *mtr = json_array(), *pr;
	char *text = read_raw(dir, iperf->rel), err[300] = "";
	struct tp_iperf ip;
	int k;

	*bw = -1;
	if (iperf->pid < 0)
		snprintf(err, sizeof(err), "iperf did not finish in time");
	else if (tp_iperf_parse(text, &ip) < 0)
		snprintf(err, sizeof(err), "iperf output not understood");
	else if (!ip.ok)
		snprintf(err, sizeof(err), "iperf: %s", ip.error);
	else
		*bw = ip.bw_bps / 1e6;
	free(text);
	for (k = 0; k < 2; k++) {
		struct tp_mtr m;
		const struct tp_mtr_hop *last;

		if (mp[k]->rel[0] == '\0')
			continue; /* from the other machine's guest: not run */
		text = read_raw(dir, mp[k]->rel);
		if (tp_mtr_parse(text, &m) < 0 || !m.ok || m.n_hops == 0) {
			if (err[0] == '\0')
				snprintf(err, sizeof(err), "mtr from %s: %s", mg[k]->name,
					 m.ok ? "output not understood" : m.error);
		} else if (strcmp((last = &m.hop[m.n_hops - 1])->host, peer[k]->addr) != 0) {
			if (err[0] == '\0')
				snprintf(err, sizeof(err), "mtr from %s did not reach %s", mg[k]->name,
					 peer[k]->addr);
		} else {
			json_array_append_new(mtr, json_pack("{s:s, s:f, s:f, s:s}", "guest",
							     mg[k]->name, "avg_ms", last->avg_ms,
							     "loss_pct", last->loss_pct, "raw",
							     mp[k]->rel));
			*lat_sum += last->avg_ms * 1000;
			*loss_sum += last->loss_pct;
			(*n_lat)++;
		}
		free(text);
	}
	pr = json_pack("{s:s, s:s, s:s, s:o, s:s}", "client", c->name, "server", s->name,
		       "iperf_raw", iperf->rel, "mtr", mtr, "status", err[0] ? "failed" : "ok");
	if (is_remote(s)) /* which machine the pair was across to */
		json_object_set(pr, "server_host_index", json_object_get(s->g, "host_index"));
	if (*bw >= 0)
		json_object_set_new(pr, "bw_mbps", json_real(*bw));
	if (err[0] != '\0')
		json_object_set_new(pr, "error", json_string(err));
	return pr;
}

json_t *
sim_run_point(const char *dir, json_t *st, enum tb_backend be, int n, enum tb_scope scope,
	      int duration_s, int mtr_cycles, int rep, json_t *remote)
{
	int pr[UP_MAX_GUESTS / 2][2], np;
	struct sim_guest g[UP_MAX_GUESTS];
	struct sim_proc srv[UP_MAX_GUESTS / 2], cli[UP_MAX_GUESTS / 2], mtr[UP_MAX_GUESTS];
	char sub[64], rel[256], dur[16], cycles[16];
	unsigned long long hb0, ht0, hb1, ht1, sj0, sj1, srv_start[UP_MAX_GUESTS / 2];
	/* a switch backend's (its row has PMD cores) switch CPU is part of its cost */
	int spids[8], n_spids = (ib_flags(1u << be) & IB_PMD_CORES) ? switch_pids(st, spids, 8) : 0;
	double link = 0, lat_sum = 0, loss_sum = 0, secs, t0;
	json_t *point, *pairs = json_array();
	const char *reason = NULL;
	int i, n_lat = 0, n_bw = 0;

	point = json_pack("{s:s, s:s, s:s, s:i, s:i}", "backend", tb_backend_name(be), "scope",
			  tb_scope_name(scope), "test", "simulate", "vms", n, "repeat", rep);
	if (scope == TB_SCOPE_ACROSS_HOSTS && remote != NULL) {
		np = remote_pairs(st, be, n, remote, g, pr);
		if (np < 0) {
			json_object_set_new(point, "status", json_string("failed"));
			json_object_set_new(point, "reason", json_string("fewer guests up here or "
									 "on the other machine "
									 "than asked"));
			json_decref(pairs);
			return point;
		}
	} else {
		np = tb_guest_pairs(n, tb_state_hosts(st), scope, pr, UP_MAX_GUESTS / 2);
	}
	if (np * 2 != n) {
		json_object_set_new(point, "status", json_string("failed"));
		json_object_set_new(point, "reason", json_string("the guests cannot all be paired "
								 "in this scope"));
		json_decref(pairs);
		return point;
	}
	if ((scope != TB_SCOPE_ACROSS_HOSTS || remote == NULL) && guests_of(st, be, n, g) < 0) {
		json_object_set_new(point, "status", json_string("failed"));
		json_object_set_new(point, "reason", json_string("fewer guests up than asked"));
		json_decref(pairs);
		return point;
	}
	snprintf(sub, sizeof(sub), "raw/%s/simulate-%d%s", tb_backend_name(be), n,
		 scope == TB_SCOPE_ACROSS_HOSTS ? "-across_hosts" : "");
	snprintf(dur, sizeof(dur), "%d", duration_s);
	snprintf(cycles, sizeof(cycles), "%d", mtr_cycles);
	for (i = 0; i < np; i++) {
		const struct sim_guest *s = &g[pr[i][1]];
		const char *tool[] = {"iperf", "-s", "-p", IPERF_PORT, NULL};

		srv_start[i] = 0;
		srv[i].pid = -1;
		if (is_remote(s))
			continue; /* `testbed serve` keeps it on the other machine */
		snprintf(rel, sizeof(rel), "%s/iperf-server-%s-r%d.txt", sub, s->name, rep);
		spawn(dir, rel, s, tool, &srv[i]);
		tb_proc_start_time(srv[i].pid, &srv_start[i]);
	}
	usleep(300000); /* servers bind before the clients connect */
	ri_host_jiffies(&hb0, &ht0);
	sj0 = switch_jiffies(spids, n_spids);
	t0 = tb_now_s();
	/* pair by pair, iperf and both mtr together: mtr's cycles fall within iperf's load */
	for (i = 0; i < np; i++) {
		const struct sim_guest *c = &g[pr[i][0]], *s = &g[pr[i][1]];
		const char *tool[] = {"iperf", "-c", s->addr, "-p", IPERF_PORT, "-t", dur, "-f", "m",
				      NULL};
		int k;

		snprintf(rel, sizeof(rel), "%s/iperf-%s-r%d.txt", sub, c->name, rep);
		spawn(dir, rel, c, tool, &cli[i]);
		for (k = 0; k < 2; k++) {
			/* mtr[2i] from pair i's client to its server, mtr[2i + 1] back */
			const struct sim_guest *me = &g[pr[i][k]], *peer = &g[pr[i][1 - k]];
			const char *mtool[] = {"mtr", "--no-dns", "--report", "--report-cycles",
					       cycles, peer->addr, NULL};

			if (is_remote(me)) {
				mtr[2 * i + k].pid = -1;
				mtr[2 * i + k].rel[0] = '\0';
				continue;
			}
			snprintf(rel, sizeof(rel), "%s/mtr-%s-r%d.txt", sub, me->name, rep);
			spawn(dir, rel, me, mtool, &mtr[2 * i + k]);
		}
	}
	wait_all(cli, np, duration_s + 60);
	wait_all(mtr, n, mtr_cycles + 60);
	secs = tb_now_s() - t0;
	ri_host_jiffies(&hb1, &ht1);
	sj1 = switch_jiffies(spids, n_spids);
	for (i = 0; i < np; i++)
		if (srv[i].pid > 0)
			tb_proc_stop(srv[i].pid, srv_start[i], 2000);
	for (i = 0; i < np; i++) {
		double bw;
		json_t *res = pair_result(dir, &g[pr[i][0]], &g[pr[i][1]], &cli[i], &mtr[2 * i],
					  &mtr[2 * i + 1], &bw, &lat_sum, &loss_sum, &n_lat);

		if (bw >= 0) {
			link += bw;
			n_bw++;
		}
		if (reason == NULL && json_string_value(json_object_get(res, "error")) != NULL)
			reason = json_string_value(json_object_get(res, "error"));
		json_array_append_new(pairs, res);
	}
	json_object_set_new(point, "status", json_string(reason ? "failed" : "ok"));
	if (reason != NULL)
		json_object_set_new(point, "reason", json_string(reason));
	if (n_bw > 0) {
		json_object_set_new(point, "link_bw_mbps", json_real(link));
		json_object_set_new(point, "vm_bw_mbps", json_real(link / n_bw));
	}
	if (n_lat > 0) {
		json_object_set_new(point, "lat_us", json_real(lat_sum / n_lat));
		json_object_set_new(point, "loss_pct", json_real(loss_sum / n_lat));
	}
	if (ht1 > ht0)
		json_object_set_new(point, "host_cpu_pct",
				    json_real(100.0 * (hb1 - hb0) / (ht1 - ht0) *
					      sysconf(_SC_NPROCESSORS_ONLN)));
	if (n_spids > 0 && secs > 0)
		json_object_set_new(point, "switch_cpu_pct",
				    json_real(100.0 * (sj1 - sj0) / sysconf(_SC_CLK_TCK) / secs));
	json_object_set_new(point, "seconds", json_real(secs));
	json_object_set_new(point, "pairs", pairs);
	return point;
}

/* The figures of a run, as sim_run_point names them. */
static const char *const run_keys[] = {
	"link_bw_mbps", "vm_bw_mbps", "lat_us", "loss_pct", "host_cpu_pct", "switch_cpu_pct",
};

#define N_RUN_KEYS (sizeof(run_keys) / sizeof(run_keys[0]))

static bool
run_ok(json_t *rj)
{
	const char *st = json_string_value(json_object_get(rj, "status"));

	return st != NULL && strcmp(st, "ok") == 0;
}

void
sim_point_add_repeat(json_t *point, json_t *rj, int rep)
{
	json_t *reps = json_object_get(point, "repeats"), *pairs = json_object_get(point, "pairs");
	json_t *r, *pr, *x;
	const char *reason = NULL;
	double v[SIM_REPEAT_MAX + 1], secs = 0;
	size_t i, k;
	int n_ok = 0;

	if (reps == NULL) {
		reps = json_array();
		json_object_set_new(point, "repeats", reps);
	}
	if (pairs == NULL) {
		pairs = json_array();
		json_object_set_new(point, "pairs", pairs);
	}
	json_object_set_new(rj, "repeat", json_integer(rep));
	json_array_foreach(json_object_get(rj, "pairs"), i, pr) {
		json_object_set_new(pr, "repeat", json_integer(rep));
		json_array_append(pairs, pr);
	}
	json_object_del(rj, "pairs");
	json_object_del(rj, "backend");
	json_object_del(rj, "scope");
	json_object_del(rj, "test");
	json_object_del(rj, "vms");
	json_array_append_new(reps, rj);

	json_array_foreach(reps, i, r) {
		n_ok += run_ok(r);
		secs += json_number_value(json_object_get(r, "seconds"));
		if (reason == NULL && !run_ok(r))
			reason = json_string_value(json_object_get(r, "reason"));
	}
	for (k = 0; k < N_RUN_KEYS; k++) {
		char key[64];
		size_t n = 0;
		struct tb_spread s;

		json_array_foreach(reps, i, r) {
			x = json_object_get(r, run_keys[k]);
			if (json_is_number(x) && (n_ok == 0 || run_ok(r)) && n < SIM_REPEAT_MAX + 1)
				v[n++] = json_number_value(x);
		}
		if (n == 0)
			continue;
		s = tb_spread_of(v, n);
		json_object_set_new(point, run_keys[k], json_real(s.median));
		snprintf(key, sizeof(key), "%s_min", run_keys[k]);
		json_object_set_new(point, key, json_real(s.min));
		snprintf(key, sizeof(key), "%s_max", run_keys[k]);
		json_object_set_new(point, key, json_real(s.max));
	}
	json_object_set_new(point, "seconds", json_real(secs));
	json_object_set_new(point, "status", json_string(reason != NULL || n_ok == 0 ? "failed"
										       : "ok"));
	if (reason != NULL || n_ok == 0)
		json_object_set_new(point, "reason",
				    json_string(reason != NULL ? reason : "no run succeeded"));
	else
		json_object_del(point, "reason");
}
