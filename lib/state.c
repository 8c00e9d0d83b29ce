/* SPDX-License-Identifier: BSD-3-Clause */
/* The instance's state file and journal (/run/testbed/<instance>/state.json). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fsutil.h"
#include "names.h"
#include "proc.h"
#include "state.h"

json_t *
tb_state_new(const char *inst)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_pack("{s:i, s:s, s:s, s:s, s:[]}", "schema", TB_STATE_SCHEMA, "instance", inst,
			 "created", when, "phase", "building", "objects");
}

/* A state a later save can write back: its instance names the run dir. */
int
tb_state_parse(const char *text, json_t **st)
{
	json_t *j = json_loads(text, 0, NULL);
	const char *inst;

	if (j == NULL)
		return -EINVAL;
	inst = json_string_value(json_object_get(j, "instance"));
	if (!json_is_object(j) || json_integer_value(json_object_get(j, "schema")) != TB_STATE_SCHEMA ||
	    !json_is_array(json_object_get(j, "objects")) || inst == NULL ||
	    tb_instance_check(inst) < 0) {
		json_decref(j);
		return -EINVAL;
	}
	*st = j;
	return 0;
}

int
tb_state_load_from(const char *path, json_t **st)
{
	char *text;
	int ret;

	if (!tb_path_exists(path))
		return -ENOENT;
	ret = tb_read_file(path, &text, NULL);
	if (ret < 0)
		return ret;
	ret = tb_state_parse(text, st);
	free(text);
	return ret;
}

int
tb_state_save_to(const char *path, json_t *st)
{
	char *s = json_dumps(st, JSON_INDENT(2));
	int ret;

	if (s == NULL)
		return -ENOMEM;
	ret = tb_write_atomic(path, s, strlen(s), 0600);
	free(s);
	return ret;
}

static int
state_path(const char *inst, char *buf, size_t len)
{
	return tb_run_path(buf, len, inst, "state.json");
}

int
tb_state_load_for(const char *path, const char *inst, json_t **st)
{
	int ret;

	*st = NULL;
	ret = tb_state_load_from(path, st);
	if (ret < 0)
		return ret;
	/* a state copied from another instance's run dir: its journal is not ours to undo */
	if (strcmp(json_string_value(json_object_get(*st, "instance")), inst) != 0) {
		json_decref(*st);
		*st = NULL;
		return -EXDEV;
	}
	return 0;
}

int
tb_state_load(const char *inst, json_t **st)
{
	char path[256];
	int ret = state_path(inst, path, sizeof(path));

	*st = NULL;
	return ret < 0 ? ret : tb_state_load_for(path, inst, st);
}

int
tb_state_save(json_t *st)
{
	const char *inst = json_string_value(json_object_get(st, "instance"));
	char path[256];
	int ret;

	if (inst == NULL)
		return -EINVAL;
	ret = state_path(inst, path, sizeof(path));
	return ret < 0 ? ret : tb_state_save_to(path, st);
}

int
tb_journal_add(json_t *st, json_t *obj)
{
	if (obj == NULL)
		return -ENOMEM;
	json_array_append_new(json_object_get(st, "objects"), obj);
	return tb_state_save(st);
}

int
tb_state_set(json_t *st, const char *key, json_t *val)
{
	if (val == NULL)
		return -ENOMEM;
	json_object_set_new(st, key, val);
	return tb_state_save(st);
}

int
tb_state_hosts(json_t *st)
{
	json_int_t n = json_integer_value(json_object_get(json_object_get(st, "config"), "hosts"));

	return n > 1 ? (int)n : 1;
}

json_t *
tb_state_host(json_t *st, int h, int make)
{
	json_t *hosts = json_object_get(st, "hosts");

	if (!json_is_array(hosts)) {
		if (!make)
			return NULL;
		hosts = json_array();
		json_object_set_new(st, "hosts", hosts);
	}
	while (make && (int)json_array_size(hosts) <= h)
		json_array_append_new(hosts, json_pack("{s:i}", "index",
						       (int)json_array_size(hosts)));
	return json_array_get(hosts, h);
}

json_t *
tb_state_switch(json_t *st, int h)
{
	json_t *sw = h == 0 ? json_object_get(st, "switch")
			    : json_object_get(tb_state_host(st, h, 0), "switch");

	return json_is_object(sw) ? sw : NULL;
}

int
tb_state_set_switch(json_t *st, int h, json_t *sw)
{
	if (h == 0)
		return tb_state_set(st, "switch", sw);
	json_object_set_new(tb_state_host(st, h, 1), "switch", sw);
	return tb_state_save(st);
}

int
tb_journal_process(json_t *st, const char *role, pid_t pid)
{
	unsigned long long start = 0;
	char cmd[512] = "";

	tb_proc_start_time(pid, &start);
	tb_proc_cmdline(pid, cmd, sizeof(cmd));
	return tb_journal_add(st, json_pack("{s:s, s:s, s:i, s:I, s:s}", "kind", "process", "role",
					    role, "pid", (int)pid, "start", (json_int_t)start,
					    "cmdline", cmd));
}
