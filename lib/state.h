/* SPDX-License-Identifier: BSD-3-Clause */
/* The instance's state file and journal (/run/testbed/<instance>/state.json). */
#ifndef TB_STATE_H
#define TB_STATE_H

#include <sys/types.h>

#include <jansson.h>

/*
 * /run/testbed/<inst>/state.json: the journal of everything `up` made, in order,
 * so `down` can undo it in reverse even after a crash. An object is journaled
 * before it is created (undo tolerates absence), and the file is rewritten
 * atomically after every step.
 */
#define TB_STATE_SCHEMA 1

json_t *tb_state_new(const char *inst);
/*
 * The state of instance inst: -ENOENT when the instance is not up, -EINVAL unreadable, -EXDEV
 * when the file names another instance (a copy: its journal is that one's). *st NULL then.
 */
int tb_state_load(const char *inst, json_t **st);
/* The same from path (the state file of instance inst's run dir). */
int tb_state_load_for(const char *path, const char *inst, json_t **st);
int tb_state_save(json_t *st);
int tb_state_load_from(const char *path, json_t **st);
/* The text of a state.json; -EINVAL unless it is one `up` could have written. */
int tb_state_parse(const char *text, json_t **st);
int tb_state_save_to(const char *path, json_t *st);

/* Appends obj ({"kind": ..., ...}, reference stolen) to the journal and saves. */
int tb_journal_add(json_t *st, json_t *obj);
/*
 * Journals a process the testbed started, {"kind": "process", role, pid, start, cmdline}: its
 * start time and command line let teardown stop it by pid without hitting a reused one.
 */
int tb_journal_process(json_t *st, const char *role, pid_t pid);
/* Sets key in the state's top level (reference stolen) and saves. */
int tb_state_set(json_t *st, const char *key, json_t *val);

/* Hosts of the instance (config.hosts; 1 when absent). */
int tb_state_hosts(json_t *st);
/* Host h's entry in the state's "hosts" array, made on first use when make is set. */
json_t *tb_state_host(json_t *st, int h, int make);
/* The vhost-user switch of host h: the top-level "switch" for host 0 (as one-host
 * instances have it), hosts[h].switch for the others; NULL if there is none. */
json_t *tb_state_switch(json_t *st, int h);
/* Sets it (reference stolen) and saves. */
int tb_state_set_switch(json_t *st, int h, json_t *sw);

#endif
