/* SPDX-License-Identifier: BSD-3-Clause */
/* ip, nft and friends run in a namespace (argv through lib/runcmd.c). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fsutil.h"
#include "netcmd.h"
#include "runcmd.h"

#define ARGS_MAX 48

static int
run_va(const char *const *head, int nhead, va_list ap, char *err, size_t errlen)
{
	const char *argv[ARGS_MAX];
	const char *a;
	int n;

	for (n = 0; n < nhead; n++)
		argv[n] = head[n];
	while ((a = va_arg(ap, const char *)) != NULL) {
		if (n >= ARGS_MAX - 1)
			return -E2BIG;
		argv[n++] = a;
	}
	argv[n] = NULL;
	return tb_run_ok(argv, err, errlen);
}

int
tb_ip(char *err, size_t errlen, ...)
{
	static const char *const head[] = {"ip"};
	va_list ap;
	int ret;

	va_start(ap, errlen);
	ret = run_va(head, 1, ap, err, errlen);
	va_end(ap);
	return ret;
}

int
tb_ns_exec(const char *ns, char *err, size_t errlen, ...)
{
	const char *const head[] = {"ip", "netns", "exec", ns};
	va_list ap;
	int ret;

	va_start(ap, errlen);
	ret = run_va(head, 4, ap, err, errlen);
	va_end(ap);
	return ret;
}

bool
tb_netns_exists(const char *ns)
{
	char path[300];

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	return tb_path_exists(path);
}

bool
tb_link_exists(const char *ns, const char *link)
{
	if (ns == NULL) {
		char path[300];

		snprintf(path, sizeof(path), "/sys/class/net/%s", link);
		return tb_path_exists(path);
	}
	return tb_ip(NULL, 0, "-n", ns, "link", "show", "dev", link, NULL) == 0;
}

int
tb_ns_sysctl(const char *ns, const char *key, const char *val, char *err, size_t errlen)
{
	char kv[256];

	snprintf(kv, sizeof(kv), "%s=%s", key, val);
	return tb_ns_exec(ns, err, errlen, "sysctl", "-q", "-w", kv, NULL);
}

int
tb_veth_add(const char *ns_a, const char *a, const char *ns_b, const char *b, char *err,
	    size_t errlen)
{
	const char *argv[16] = {"ip", "link", "add", a};
	int n = 4, ret;

	if (ns_a != NULL) {
		argv[n++] = "netns";
		argv[n++] = ns_a;
	}
	argv[n++] = "type";
	argv[n++] = "veth";
	argv[n++] = "peer";
	argv[n++] = "name";
	argv[n++] = b;
	if (ns_b != NULL) {
		argv[n++] = "netns";
		argv[n++] = ns_b;
	}
	argv[n] = NULL;
	ret = tb_run_ok(argv, err, errlen);
	if (ret == 0)
		ret = ns_a ? tb_ip(err, errlen, "-n", ns_a, "link", "set", a, "up", NULL)
			   : tb_ip(err, errlen, "link", "set", a, "up", NULL);
	if (ret == 0)
		ret = ns_b ? tb_ip(err, errlen, "-n", ns_b, "link", "set", b, "up", NULL)
			   : tb_ip(err, errlen, "link", "set", b, "up", NULL);
	return ret;
}
