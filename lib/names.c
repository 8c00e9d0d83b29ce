/* SPDX-License-Identifier: BSD-3-Clause */
/* Names on the host (the cleanup contract): run dir, namespaces, links, prefixes. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "names.h"

int
tb_instance_check(const char *inst)
{
	size_t i, n = strlen(inst);

	if (n == 0 || n > TB_INSTANCE_MAX || !islower((unsigned char)inst[0]))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)inst[i]) && !isdigit((unsigned char)inst[i]))
			return -EINVAL;
	return 0;
}

static int
fit(int n, size_t len)
{
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int
tb_run_path(char *buf, size_t len, const char *inst, const char *sub)
{
	if (sub == NULL)
		return fit(snprintf(buf, len, "%s/%s", TB_RUN_BASE, inst), len);
	return fit(snprintf(buf, len, "%s/%s/%s", TB_RUN_BASE, inst, sub), len);
}

int
tb_run_dir_sock_check(const char *run_dir, char *err, size_t errlen)
{
	size_t max = sizeof(((struct sockaddr_un *)0)->sun_path) - 1;
	size_t n = strlen(run_dir) + 1 + TB_RUN_SOCK_NAME_MAX;

	if (n <= max)
		return 0;
	snprintf(err, errlen, "run directory %s is %zu bytes long: its sockets would need up to %zu "
		 "bytes, a unix socket address holds %zu (allowed: a run directory of at most %zu "
		 "bytes)", run_dir, strlen(run_dir), n, max, max - 1 - TB_RUN_SOCK_NAME_MAX);
	return -ENAMETOOLONG;
}

int
tb_ns_name(char *buf, size_t len, const char *inst, const char *name)
{
	return fit(snprintf(buf, len, "tb-%s-%s", inst, name), len);
}

int
tb_link_name(char *buf, size_t len, const char *inst, const char *suffix)
{
	int n = snprintf(buf, len, "tb%s-%s", inst, suffix);

	if (fit(n, len) < 0 || n > TB_IFNAME_MAX)
		return -ENAMETOOLONG;
	return 0;
}

int
tb_link_name_check(const char *name)
{
	size_t n = strlen(name), i;

	if (n == 0 || n > TB_IFNAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (name[i] == '/' || name[i] == ':' || isspace((unsigned char)name[i]))
			return -EINVAL;
	return 0;
}

int
tb_file_prefix(char *buf, size_t len, const char *inst, const char *role)
{
	return fit(snprintf(buf, len, "tb-%s-%s", inst, role), len);
}
