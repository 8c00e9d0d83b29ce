/* SPDX-License-Identifier: BSD-3-Clause */
/* `serve`: qperf servers in an instance's guests, journaled, for another machine's sweep. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "guest-cmd.h"
#include "proc.h"
#include "run-info.h"
#include "runcmd.h"
#include "serve.h"
#include "state.h"

static bool
is_serve_role(json_t *o)
{
	const char *kind = json_string_value(json_object_get(o, "kind"));
	const char *role = json_string_value(json_object_get(o, "role"));

	return kind != NULL && strcmp(kind, "process") == 0 && role != NULL &&
	       strncmp(role, SERVE_ROLE_PREFIX, strlen(SERVE_ROLE_PREFIX)) == 0;
}

/* Whether a live server of role is in the journal already. */
static bool
serving(json_t *st, const char *role)
{
	size_t i;
	json_t *o;

	json_array_foreach(json_object_get(st, "objects"), i, o) {
		if (is_serve_role(o) &&
		    strcmp(json_string_value(json_object_get(o, "role")), role) == 0 &&
		    tb_proc_is(json_integer_value(json_object_get(o, "pid")),
			       json_integer_value(json_object_get(o, "start"))))
			return true;
	}
	return false;
}

/* One server in guest g, journaled; its log's name (in the run dir) appended to logs. */
static int
start_one(json_t *st, const char *inst, json_t *g, const char *what, const char *const tool[],
	  json_t *logs, char *err, size_t errlen)
{
	const char *name = json_string_value(json_object_get(g, "name"));
	char role[96], log[320];
	struct tb_run_opts o = {.log_path = log};
	unsigned long long start = 0;
	struct guest_cmd gc;
	pid_t pid;
	int ret;

	snprintf(role, sizeof(role), SERVE_ROLE_PREFIX "%s-%s", what, name);
	json_array_append_new(logs, json_sprintf("%s.log", role));
	if (serving(st, role))
		return 0;
	tb_run_path(log, sizeof(log), inst, NULL);
	snprintf(log + strlen(log), sizeof(log) - strlen(log), "/%s.log", role);
	ret = guest_cmd(&gc, g, tool);
	if (ret == 0)
		ret = tb_spawn(gc.argv, &o, &pid);
	if (ret < 0) {
		snprintf(err, errlen, "%s server in guest %s: %s", what, name, strerror(-ret));
		return ret;
	}
	usleep(100000);
	if (tb_proc_start_time(pid, &start) < 0) {
		snprintf(err, errlen, "%s server in guest %s exited at once (see %s)", what, name,
			 log);
		return -ECHILD;
	}
	return tb_journal_process(st, role, pid);
}

static bool
wanted(unsigned int backends, json_t *g)
{
	int be = tb_backend_from_name(json_string_value(json_object_get(g, "backend")) ?: "");

	return be >= 0 && (backends == 0 || (backends & (1u << be)) != 0);
}

int
serve_start(const struct serve_conf *conf, json_t **out, char *err, size_t errlen)
{
	static const char *const qperf[] = {"qperf", "--listen_port", SERVE_QPERF_PORT, NULL};
	static const char *const iperf[] = {"iperf", "-s", "-p", SERVE_IPERF_PORT, NULL};
	json_t *st = NULL, *g, *list, *cfg, *logs;
	char log_dir[256];
	size_t i;
	int ret;

	*out = NULL;
	ret = tb_state_load(conf->instance, &st);
	if (ret < 0) {
		snprintf(err, errlen, "instance %s is not up (run: testbed up --instance %s)",
			 conf->instance, conf->instance);
		return ret;
	}
	list = json_array();
	logs = json_array();
	json_array_foreach(json_object_get(st, "guests"), i, g) {
		if (!wanted(conf->backends, g))
			continue;
		ret = start_one(st, conf->instance, g, "qperf", qperf, logs, err, errlen);
		if (ret == 0)
			ret = start_one(st, conf->instance, g, "iperf", iperf, logs, err, errlen);
		if (ret < 0)
			break;
		json_array_append_new(list, json_pack("{s:O, s:O, s:O, s:O}", "name",
						      json_object_get(g, "name"), "backend",
						      json_object_get(g, "backend"), "index",
						      json_object_get(g, "index"), "address",
						      json_object_get(g, "address")));
	}
	if (ret == 0 && json_array_size(list) == 0) {
		snprintf(err, errlen, "instance %s has no guests of the backends asked for",
			 conf->instance);
		ret = -ENOENT;
	}
	if (ret < 0) {
		json_decref(list);
		json_decref(logs);
		json_decref(st);
		return ret;
	}
	usleep(200000); /* let them bind before a client dials */
	cfg = json_object_get(st, "config");
	tb_run_path(log_dir, sizeof(log_dir), conf->instance, NULL);
	*out = json_pack("{s:s, s:i, s:s, s:s, s:o, s:o, s:o, s:s, s:o}", "instance",
			 conf->instance, "host_index",
			 (int)json_integer_value(json_object_get(cfg, "host_index")), "qperf_port",
			 SERVE_QPERF_PORT, "iperf_port", SERVE_IPERF_PORT, "host", ri_host_json(),
			 "versions", ri_versions_json(), "guests", list, "log_dir", log_dir,
			 "logs", logs);
	json_decref(st);
	return *out == NULL ? -ENOMEM : 0;
}

int
serve_stop(const struct serve_conf *conf, int *n_stopped, char *err, size_t errlen)
{
	json_t *st = NULL, *objs, *o;
	size_t i;
	int ret;

	*n_stopped = 0;
	ret = tb_state_load(conf->instance, &st);
	if (ret < 0) {
		snprintf(err, errlen, "instance %s is not up", conf->instance);
		return ret;
	}
	objs = json_object_get(st, "objects");
	for (i = 0; i < json_array_size(objs);) {
		o = json_array_get(objs, i);
		if (!is_serve_role(o)) {
			i++;
			continue;
		}
		ret = tb_proc_stop(json_integer_value(json_object_get(o, "pid")),
				   json_integer_value(json_object_get(o, "start")), 3000);
		if (ret == -EBUSY) {
			snprintf(err, errlen, "%s (pid %d) does not stop",
				 json_string_value(json_object_get(o, "role")),
				 (int)json_integer_value(json_object_get(o, "pid")));
			break;
		}
		ret = 0;
		json_array_remove(objs, i);
		(*n_stopped)++;
	}
	if (ret == 0)
		ret = tb_state_save(st);
	json_decref(st);
	return ret;
}
