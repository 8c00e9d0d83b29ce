/* SPDX-License-Identifier: BSD-3-Clause */
/* One client/server runner for `bench net` and `bench ebpf` (bench-runner.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-runner.h"
#include "clock.h"
#include "guest-cmd.h"
#include "log.h"
#include "proc.h"
#include "results.h"
#include "runcmd.h"
#include "state.h"
#include "stop.h"

/* ---- servers ---- */

static const struct {
	const char *name;
	const char *argv[8];
} servers[MRUN_N_SERVERS] = {
	[MRUN_IPERF3] = {"iperf3", {"iperf3", "-s", "-p", BNET_IPERF3_PORT, NULL}},
	[MRUN_SOCKPERF_UDP] = {"sockperf-udp",
			       {"sockperf", "server", "-p", BNET_SOCKPERF_UDP_PORT, NULL}},
	[MRUN_SOCKPERF_TCP] = {"sockperf-tcp",
			       {"sockperf", "server", "--tcp", "-p", BNET_SOCKPERF_TCP_PORT, NULL}},
};

const char *
mrun_server_name(enum mrun_server k)
{
	return k < MRUN_N_SERVERS ? servers[k].name : "?";
}

int
mrun_server_spawn(struct mrun_servers *set, const char *dir, const char *raw, json_t *g,
		  const char *name, const char *const argv[], char *err, size_t errlen)
{
	const char *guest = json_string_value(json_object_get(g, "name")) ?: "?";
	char log[4300];
	struct tb_run_opts o = {.log_path = log};
	struct guest_cmd gc;
	pid_t pid = -1;
	int ret;

	if (set->n >= MRUN_MAX_SERVERS) {
		snprintf(err, errlen, "%s server in %s: too many servers", name, guest);
		return -E2BIG;
	}
	snprintf(set->s[set->n].log, sizeof(set->s[set->n].log), "%s/server-%s.log", raw, name);
	snprintf(log, sizeof(log), "%s/%s", dir, set->s[set->n].log);
	res_write_text(dir, set->s[set->n].log, "");
	ret = guest_cmd(&gc, g, argv);
	if (ret == 0)
		ret = tb_spawn(gc.argv, &o, &pid);
	if (ret < 0) {
		snprintf(err, errlen, "%s server in %s: %s", name, guest, strerror(-ret));
		return ret;
	}
	set->s[set->n].name = name;
	set->s[set->n].guest = guest;
	set->s[set->n].pid = pid;
	tb_proc_start_time(pid, &set->s[set->n].start);
	set->n++;
	return 0;
}

int
mrun_server_start(struct mrun_servers *set, const char *dir, const char *raw, json_t *g,
		  enum mrun_server k, char *err, size_t errlen)
{
	int ret;

	if (k >= MRUN_N_SERVERS) {
		snprintf(err, errlen, "server %d: no such server", (int)k);
		return -EINVAL;
	}
	ret = mrun_server_spawn(set, dir, raw, g, servers[k].name, servers[k].argv, err, errlen);
	if (ret == 0)
		set->s[set->n - 1].kind = k;
	return ret;
}

int
mrun_self_and_state(const char *inst, const char *for_what, char *self, size_t len, json_t **st)
{
	ssize_t n = readlink("/proc/self/exe", self, len - 1);
	int ret;

	*st = NULL;
	if (n <= 0) {
		tb_err("cannot find this program (/proc/self/exe) for %s", for_what);
		return -ENOENT;
	}
	self[n] = '\0';
	ret = tb_state_load(inst, st);
	if (ret < 0 || strcmp(json_string_value(json_object_get(*st, "phase")) ?: "", "up") != 0) {
		tb_err("instance %s is not up: run ./testbed up --numa N --instance %s first", inst,
		       inst);
		json_decref(*st);
		*st = NULL;
		return -ENOENT;
	}
	return 0;
}

int
mrun_run_dir(const char *out, const char *tag, char *run_id, size_t idlen, char *dir,
	     size_t dirlen)
{
	char err[1024];
	int ret;

	res_run_id(tag, run_id, idlen);
	ret = res_run_dir_create(out, run_id, dir, dirlen, err, sizeof(err));
	if (ret < 0) {
		tb_err("--out %s: %s", out, err);
		return ret;
	}
	tb_stop_catch();
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int
mrun_servers_check(const struct mrun_servers *set, const char *dir, char *err, size_t errlen)
{
	int i;

	usleep(300000); /* they bind before the first client connects */
	for (i = 0; i < set->n; i++) {
		if (set->s[i].pid > 0 && !tb_proc_is(set->s[i].pid, set->s[i].start)) {
			snprintf(err, errlen, "%s server in %s exited at once (see %s/%s)",
				 set->s[i].name, set->s[i].guest, dir, set->s[i].log);
			return -ECHILD;
		}
	}
	return 0;
}

void
mrun_servers_stop(struct mrun_servers *set)
{
	int i;

	for (i = 0; i < set->n; i++) {
		if (set->s[i].pid > 0) {
			tb_proc_stop(set->s[i].pid, set->s[i].start, 3000);
			set->s[i].pid = 0;
		}
	}
}

/* ---- one tool call ---- */

/* The first line of text (bounded), for a reason. */
static void
first_line(char *b, size_t len, const char *text)
{
	size_t n = text != NULL ? strcspn(text, "\n") : 0;

	snprintf(b, len, "%.*s", (int)(n < len ? n : len - 1), text != NULL ? text : "");
}

/* The metrics into rj, or why there are none (what the tool said on stderr too). */
static void
metrics_or_reason(enum bnet_case c, const char *tool, int status, const char *out, const char *err,
		  json_t *rj, char *reason, size_t len)
{
	char perr[400] = "", line[200];
	int ret = bnet_metrics(c, out, rj, perr, sizeof(perr));

	first_line(line, sizeof(line), err != NULL && err[0] != '\0' ? err : out);
	if (ret == -EINVAL)
		snprintf(reason, len, "%s exit %d, output not understood%s%s", tool, status,
			 line[0] ? ": " : "", line);
	first_line(line, sizeof(line), err);
	if (ret < 0 && ret != -EINVAL)
		snprintf(reason, len, "%s%s%s%s", perr, line[0] ? " (stderr: " : "", line,
			 line[0] ? ")" : "");
}

json_t *
mrun_client(json_t *st, const struct mrun_pair *p, enum bnet_case c, int time_s, const char *self,
	    const char *dir, const char *rel)
{
	struct tb_run_opts o = {.timeout_ms = (time_s * 3 + 30) * 1000};
	struct bnet_argv a = {{NULL}};
	char *out = NULL, *err = NULL;
	char reason[512] = "";
	struct guest_cmd gc;
	const char *tool;
	json_t *rj;
	int ret;

	ret = bnet_client_argv(c, p->server_addr, time_s, self, &a);
	tool = c == BC_TCP_CRR ? "testbed bench crr" : a.argv[0] != NULL ? a.argv[0] : "?";
	/* a data path that is gone fails the point at once instead of after the tool's timeout */
	if (ret == 0 && guest_path_down(st, p->backend, reason, sizeof(reason)))
		ret = -ENETDOWN;
	else if (ret == 0)
		ret = guest_cmd(&gc, p->client_g, a.argv);
	if (ret == 0)
		ret = tb_run(gc.argv, &o, &out, &err);
	res_write_text(dir, rel, out != NULL ? out : "");
	if (err != NULL && err[0] != '\0') {
		char erel[300];

		snprintf(erel, sizeof(erel), "%.*s.stderr.txt", (int)strlen(rel) - 4, rel);
		res_write_text(dir, erel, err);
	}
	rj = json_pack("{s:s, s:i}", "raw", rel, "time_s", time_s);
	if (reason[0] != '\0' || guest_path_down(st, p->backend, reason, sizeof(reason)))
		; /* the data path went away: that is the cause, whatever the tool said */
	else if (guest_gone(p->client_g, p->server_g, reason, sizeof(reason)))
		; /* a guest that died mid-run is the cause, named */
	else if (ret == -ETIMEDOUT)
		snprintf(reason, sizeof(reason), "%s did not finish within %d s", tool,
			 o.timeout_ms / 1000);
	else if (ret < 0)
		snprintf(reason, sizeof(reason), "%s: %s", tool, strerror(-ret));
	else
		metrics_or_reason(c, tool, ret, out, err, rj, reason, sizeof(reason));
	if (reason[0] != '\0') {
		json_object_set_new(rj, "status", json_string("failed"));
		json_object_set_new(rj, "error", json_string(reason));
	} else {
		json_object_set_new(rj, "status", json_string("ok"));
	}
	free(out);
	free(err);
	return rj;
}

/* ---- progress ---- */

void
mrun_progress_step(struct mrun_progress *pr, const char *what, enum bnet_case c, json_t *rj)
{
	const struct bnet_case_info *ci = bnet_case(c);
	double elapsed, left;
	char outcome[400];
	json_t *v, *p99;
	int m;

	pr->n_done++;
	elapsed = tb_now_s() - pr->t_start;
	left = elapsed / pr->n_done * (pr->n_total - pr->n_done);
	if (strcmp(json_string_value(json_object_get(rj, "status")) ?: "", "ok") != 0) {
		snprintf(outcome, sizeof(outcome), "FAILED: %s",
			 json_string_value(json_object_get(rj, "error")) ?: "?");
	} else if (ci == NULL || ci->n_metrics == 0) {
		snprintf(outcome, sizeof(outcome), "ok");
	} else {
		v = json_object_get(rj, ci->metric[0].key);
		snprintf(outcome, sizeof(outcome),
			 json_number_value(v) >= 1000 ? "%s %.0f %s" : "%s %.3g %s",
			 ci->metric[0].label, json_number_value(v), ci->metric[0].unit);
		for (m = 1; m < ci->n_metrics; m++) {
			if (strcmp(ci->metric[m].key, "p99_us") != 0)
				continue;
			p99 = json_object_get(rj, "p99_us");
			if (json_is_number(p99))
				snprintf(outcome + strlen(outcome),
					 sizeof(outcome) - strlen(outcome), ", P99 %.3g us",
					 json_number_value(p99));
		}
	}
	tb_info("[%3d/%d] %s: %s  (~%dm%02ds left)", pr->n_done, pr->n_total, what, outcome,
		(int)left / 60, (int)left % 60);
}
