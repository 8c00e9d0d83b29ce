/* SPDX-License-Identifier: BSD-3-Clause */
/* What a result records about its run: host, load, versions, placement. */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "run-info.h"
#include "runcmd.h"
#include "toolparse.h"
#include "topology.h"
#include "up.h"

void
ri_iso_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_t *
ri_tool_version(const char *const argv[])
{
	struct tb_run_opts o = {.timeout_ms = 10000};
	char *out = NULL, *err = NULL, *text;
	json_t *v = json_null();

	tb_run(argv, &o, &out, &err);
	text = out != NULL && out[0] != '\0' ? out : err;
	if (text != NULL && text[0] != '\0') {
		text[strcspn(text, "\n")] = '\0';
		tp_strip_esc(text); /* sockperf colours its banner */
		v = json_string(text);
	}
	free(out);
	free(err);
	return v;
}

json_t *
ri_loadavg(void)
{
	char *buf = NULL;
	double l1 = -1, l5 = -1, l15 = -1;

	if (tb_read_file("/proc/loadavg", &buf, NULL) == 0)
		sscanf(buf, "%lf %lf %lf", &l1, &l5, &l15);
	free(buf);
	return json_pack("[f, f, f]", l1, l5, l15);
}

json_t *
ri_host_json(void)
{
	struct utsname un;
	struct topo t;
	char host[256];

	uname(&un);
	gethostname(host, sizeof(host));
	if (topo_load(&t) < 0)
		memset(&t, 0, sizeof(t));
	return json_pack("{s:s, s:s, s:i, s:i, s:i, s:o}", "hostname", host, "kernel", un.release,
			 "numa_nodes", t.n_nodes, "cores", t.n_cores, "cpus", t.n_pus,
			 "loadavg_start", ri_loadavg());
}

/* Where the dynamic loader finds librte_eal for prog (ldd's "librte_eal.so.N => PATH"). */
static int
eal_library(const char *prog, char *path, size_t len)
{
	struct tb_run_opts o = {.timeout_ms = 10000};
	char *out = NULL, *p, *end;
	int ret = tb_run((const char *[]){"ldd", prog, NULL}, &o, &out, NULL);

	p = ret == 0 && out != NULL ? strstr(out, "librte_eal.so") : NULL;
	p = p != NULL ? strstr(p, "=> ") : NULL;
	ret = -ENOENT;
	if (p != NULL && p[3] == '/') {
		p += 3;
		end = p + strcspn(p, " \n");
		if ((size_t)(end - p) < len) {
			snprintf(path, len, "%.*s", (int)(end - p), p);
			ret = 0;
		}
	}
	free(out);
	return ret;
}

/*
 * The DPDK testbed-pmd runs with: rte_version() of the EAL library it loads (not the headers
 * it was built against: a library upgrade changes it). NULL when it cannot be told.
 */
static json_t *
dpdk_runtime_version(void)
{
	char pmd[600], lib[600];
	const char *(*version)(void);
	json_t *v = NULL;
	void *h;

	if (up_pmd_path(pmd, sizeof(pmd)) < 0 || eal_library(pmd, lib, sizeof(lib)) < 0)
		return NULL;
	h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL)
		return NULL;
	*(void **)&version = dlsym(h, "rte_version");
	if (version != NULL && version() != NULL) {
		const char *s = version();

		v = json_string(strncmp(s, "DPDK ", 5) == 0 ? s + 5 : s);
	}
	dlclose(h);
	return v;
}

json_t *
ri_versions_json(void)
{
	struct utsname un;
	json_t *dpdk = dpdk_runtime_version(), *v;

	uname(&un);
	v = json_pack("{s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:s}", "testbed", TB_VERSION, "dpdk",
		      dpdk != NULL ? dpdk : json_null(), "dpdk_built_with", TB_DPDK_VERSION, "ovs",
		      ri_tool_version((const char *[]){"ovs-vswitchd-dpdk", "--version", NULL}),
		      "qperf", ri_tool_version((const char *[]){"qperf", "--version", NULL}),
		      "iperf", ri_tool_version((const char *[]){"iperf", "--version", NULL}), "mtr",
		      ri_tool_version((const char *[]){"mtr", "--version", NULL}), "kernel",
		      un.release);
	return v;
}

int
ri_host_jiffies(unsigned long long *busy, unsigned long long *total)
{
	unsigned long long v[8] = {0};
	char *buf = NULL;
	int i;

	if (tb_read_file("/proc/stat", &buf, NULL) < 0)
		return -1;
	sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
	       &v[4], &v[5], &v[6], &v[7]);
	free(buf);
	*total = 0;
	for (i = 0; i < 8; i++)
		*total += v[i];
	*busy = *total - v[3] - v[4]; /* minus idle and iowait */
	return 0;
}

unsigned long long
ri_proc_jiffies(int pid)
{
	unsigned long long ut = 0, st = 0;
	char path[64], *buf = NULL, *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (tb_read_file(path, &buf, NULL) < 0)
		return 0;
	p = strrchr(buf, ')');
	/* fields after ')' start at 3 (state); utime and stime are 14 and 15 */
	if (p != NULL)
		sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st);
	free(buf);
	return ut + st;
}
