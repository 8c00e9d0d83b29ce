/* SPDX-License-Identifier: BSD-3-Clause */
/* Guest profiles (vm-profiles/profiles/NAME.ini): shape, kind, limits. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "pmd/ring-spec.h"
#include "profile.h"

#define PR_MAX_FILE (64 * 1024) /* a profile is a dozen lines */

enum pr_key {
	PR_KIND,
	PR_VCPUS,
	PR_MEMORY,
	PR_DESC,
	PR_QUEUES,
	PR_RXQ,
	PR_TXQ,
	PR_OFFLOADS,
	PR_RING,
	PR_IN_ORDER,
	PR_MRG_RXBUF,
	PR_N_KEYS,
};

static const struct {
	const char *section;
	const char *name;
	const char *allowed;
} pr_keys[PR_N_KEYS] = {
	[PR_KIND] = {"guest", "kind", "netns, qemu"},
	[PR_VCPUS] = {"guest", "vcpus", "1-64"},
	[PR_MEMORY] = {"guest", "memory_mb", "64-65536"},
	[PR_DESC] = {"guest", "description", "at most 159 characters"},
	[PR_QUEUES] = {"nic", "queues", "1-8"},
	/* QEMU's limits for a vhost-user virtio-net device */
	[PR_RXQ] = {"nic", "rx_queue_size", "256, 512, 1024"},
	[PR_TXQ] = {"nic", "tx_queue_size", "256, 512, 1024"},
	[PR_OFFLOADS] = {"nic", "offloads", "on, off"},
	[PR_RING] = {"nic", "ring", "split, packed"},
	[PR_IN_ORDER] = {"nic", "in_order", "on, off"},
	[PR_MRG_RXBUF] = {"nic", "mrg_rxbuf", "on, off"},
};

/* Reader and handler state: libinih does not pass line numbers, so the reader counts. */
struct pr_ctx {
	const char *file;
	const char *text;
	size_t pos;
	int line;
	int key_line[PR_N_KEYS]; /* 0: not given */
	struct vm_profile *p;
	char *err;
	size_t errlen;
	int failed;
};

const char *
vm_kind_name(enum vm_kind k)
{
	return k == VM_KIND_QEMU ? "qemu" : "netns";
}

/* A value quoted in a message: printable ASCII only (errors also go out as JSON), short. */
static void
pr_quote(char *buf, size_t len, const char *v)
{
	size_t i, n = 0;

	for (i = 0; v[i] != '\0' && n + 4 < len; i++) {
		if (i == 40) {
			memcpy(buf + n, "...", 3);
			n += 3;
			break;
		}
		buf[n++] = ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] >= 0x7f) ? '?' : v[i];
	}
	buf[n] = '\0';
}

/* Keeps the first error, at the line being read; returns 0 (stop, for libinih). */
static int __attribute__((format(printf, 2, 3))) pr_fail(struct pr_ctx *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (c->failed)
		return 0;
	c->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s:%d: %s", c->file, c->line, msg);
	return 0;
}

static int
pr_bad_value(struct pr_ctx *c, enum pr_key k, const char *value)
{
	char q[64];

	pr_quote(q, sizeof(q), value);
	return pr_fail(c, "key \"%s\": bad value \"%s\" (allowed: %s)", pr_keys[k].name, q,
		       pr_keys[k].allowed);
}

/* Plain decimal in [min, max]: no sign, no spaces, no hex. */
static int
pr_int(const char *s, int min, int max, int *out)
{
	long v = 0;
	int n = 0;

	for (; *s != '\0'; s++, n++) {
		if (!isdigit((unsigned char)*s) || n == 9)
			return -EINVAL;
		v = v * 10 + (*s - '0');
	}
	if (n == 0 || v < min || v > max)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

static int
pr_onoff(const char *v, bool *out)
{
	if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
		return -EINVAL;
	*out = strcmp(v, "on") == 0;
	return 0;
}

static int
pr_set(struct pr_ctx *c, enum pr_key k, const char *v)
{
	struct vm_profile *p = c->p;
	int n;

	switch (k) {
	case PR_KIND:
		if (strcmp(v, "netns") == 0)
			p->kind = VM_KIND_NETNS;
		else if (strcmp(v, "qemu") == 0)
			p->kind = VM_KIND_QEMU;
		else
			return -EINVAL;
		return 0;
	case PR_VCPUS:
		return pr_int(v, 1, 64, &p->vcpus);
	case PR_MEMORY:
		return pr_int(v, 64, 65536, &p->memory_mb);
	case PR_DESC:
		if (strlen(v) >= sizeof(p->description))
			return -EINVAL;
		strcpy(p->description, v);
		return 0;
	case PR_QUEUES:
		return pr_int(v, 1, 8, &p->queues);
	case PR_RXQ:
	case PR_TXQ:
		if (pr_int(v, 256, 1024, &n) < 0 || (n & (n - 1)) != 0)
			return -EINVAL;
		*(k == PR_RXQ ? &p->rx_queue_size : &p->tx_queue_size) = n;
		return 0;
	case PR_OFFLOADS:
		return pr_onoff(v, &p->offloads);
	case PR_RING:
		if (strcmp(v, "split") != 0 && strcmp(v, "packed") != 0)
			return -EINVAL;
		p->packed = strcmp(v, "packed") == 0;
		return 0;
	case PR_IN_ORDER:
		return pr_onoff(v, &p->in_order);
	case PR_MRG_RXBUF:
		return pr_onoff(v, &p->mrg_rxbuf);
	default:
		return -EINVAL;
	}
}

static void
pr_allowed_keys(const char *section, char *buf, size_t len)
{
	size_t n = 0;
	int k;

	buf[0] = '\0';
	for (k = 0; k < PR_N_KEYS && n < len; k++)
		if (strcmp(pr_keys[k].section, section) == 0)
			n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "", pr_keys[k].name);
}

static const char pr_syntax[] = "syntax error (expected [section], key = value or a ; comment)";

static int
pr_known_section(const char *s)
{
	return strcmp(s, "guest") == 0 || strcmp(s, "nic") == 0;
}

static int
pr_handler(void *user, const char *section, const char *name, const char *value)
{
	struct pr_ctx *c = user;
	char q[64], allowed[128];
	int k;

	if (c->failed)
		return 0;
	pr_quote(q, sizeof(q), name);
	if (section[0] == '\0')
		return pr_fail(c, "key \"%s\" before any section (put it under [guest] or [nic])",
			       q);
	if (!pr_known_section(section)) {
		/* the reader catches section lines; this is a backstop */
		pr_quote(allowed, sizeof(allowed), section);
		return pr_fail(c, "unknown section [%s] (allowed: [guest], [nic])", allowed);
	}
	for (k = 0; k < PR_N_KEYS; k++)
		if (strcmp(pr_keys[k].section, section) == 0 && strcmp(pr_keys[k].name, name) == 0)
			break;
	if (k == PR_N_KEYS) {
		pr_allowed_keys(section, allowed, sizeof(allowed));
		return pr_fail(c, "unknown key \"%s\" in [%s] (allowed: %s)", q, section, allowed);
	}
	if (c->key_line[k] != 0)
		return pr_fail(c, "key \"%s\" given twice (first on line %d)", q, c->key_line[k]);
	c->key_line[k] = c->line;
	if (pr_set(c, k, value) < 0)
		return pr_bad_value(c, k, value);
	return 1;
}

/* Checks a line before libinih sees it, for what libinih would take silently. */
static int
pr_check_line(struct pr_ctx *c, char *s)
{
	char name[64], *end;
	size_t i = 0;

	if (c->line == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (isspace((unsigned char)s[i]))
		i++;
	if (s[i] == '\0' || s[i] == ';' || s[i] == '#')
		return 0;
	if (i > 0)
		/* libinih would append it to the previous key's value */
		return pr_fail(c, "indented line: remove the leading spaces");
	/* libinih goes on after a syntax error: report it here so the first error wins */
	end = s[0] == '[' ? strchr(s, ']') : strpbrk(s, "=:");
	if (end == NULL)
		return pr_fail(c, "%s", pr_syntax);
	if (s[0] != '[')
		return 0;
	*end = '\0';
	if (!pr_known_section(s + 1)) {
		pr_quote(name, sizeof(name), s + 1);
		*end = ']';
		return pr_fail(c, "unknown section [%s] (allowed: [guest], [nic])", name);
	}
	*end = ']';
	return 0;
}

/* ini_reader over a string: one line per call, so c->line is the line being handled. */
static char *
pr_reader(char *str, int num, void *stream)
{
	struct pr_ctx *c = stream;
	const char *start = c->text + c->pos, *nl;
	size_t len;

	if (c->failed || *start == '\0')
		return NULL;
	nl = strchr(start, '\n');
	len = nl != NULL ? (size_t)(nl - start) + 1 : strlen(start);
	c->line++;
	if (len > (size_t)num - 1) {
		pr_fail(c, "line longer than %d characters", num - 2);
		return NULL;
	}
	memcpy(str, start, len);
	str[len] = '\0';
	c->pos += len;
	pr_check_line(c, str);
	return c->failed ? NULL : str;
}

static void
pr_defaults(struct vm_profile *p, const char *file)
{
	const char *base = strrchr(file, '/');
	size_t n;

	memset(p, 0, sizeof(*p));
	base = base != NULL ? base + 1 : file;
	snprintf(p->name, sizeof(p->name), "%s", base);
	n = strlen(p->name);
	if (n > 4 && strcmp(p->name + n - 4, ".ini") == 0)
		p->name[n - 4] = '\0';
	p->kind = VM_KIND_NETNS;
	p->vcpus = 1;
	p->queues = 1;
	p->rx_queue_size = 256;
	p->tx_queue_size = 256;
	p->offloads = true;
	p->packed = false;
	p->mrg_rxbuf = true;
}

/* Defaults and limits that depend on the kind, once the whole file is read. */
static int
pr_kind_rules(struct pr_ctx *c, const char *file, struct vm_profile *p, char *err, size_t errlen)
{
	if (p->kind == VM_KIND_QEMU) {
		if (c->key_line[PR_IN_ORDER] != 0 && p->in_order) {
			snprintf(err, errlen,
				 "%s:%d: key \"in_order\": kind = qemu cannot (QEMU 7.2's "
				 "virtio-net-pci has no in_order property; allowed: off)",
				 file, c->key_line[PR_IN_ORDER]);
			return -EINVAL;
		}
		p->in_order = false;
		return 0;
	}
	/* netns: virtio-user, one queue pair of one size; in-order unless told */
	if (c->key_line[PR_IN_ORDER] == 0)
		p->in_order = true;
	if (c->key_line[PR_RXQ] == 0 && c->key_line[PR_TXQ] == 0)
		p->rx_queue_size = p->tx_queue_size = 1024;
	else if (c->key_line[PR_RXQ] == 0 || c->key_line[PR_TXQ] == 0)
		p->rx_queue_size = p->tx_queue_size = c->key_line[PR_RXQ] != 0 ?
			p->rx_queue_size : p->tx_queue_size;
	if (p->rx_queue_size != p->tx_queue_size) {
		snprintf(err, errlen,
			 "%s:%d: rx_queue_size %d and tx_queue_size %d differ: kind = netns has "
			 "one ring size (virtio-user's queue_size); give both the same value",
			 file, c->key_line[PR_TXQ], p->rx_queue_size, p->tx_queue_size);
		return -EINVAL;
	}
	return 0;
}

int
vm_profile_ring_spec(const struct vm_profile *p, char *buf, size_t len)
{
	struct pmd_ring r = {.packed = p->packed,
			     .in_order = p->in_order,
			     .mrg_rxbuf = p->mrg_rxbuf,
			     .queue_size = (unsigned int)p->rx_queue_size};

	return pmd_ring_format(&r, buf, len);
}

int
vm_profile_parse_string(const char *text, const char *file, struct vm_profile *p, char *err,
			size_t errlen)
{
	struct pr_ctx c = {.file = file, .text = text, .p = p, .err = err, .errlen = errlen};
	int ret;

	pr_defaults(p, file);
	if (errlen > 0)
		err[0] = '\0';
	ret = ini_parse_stream(pr_reader, &c, pr_handler, &c);
	if (c.failed)
		return -EINVAL;
	if (ret > 0) {
		snprintf(err, errlen, "%s:%d: %s", file, ret, pr_syntax);
		return -EINVAL;
	}
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", file, strerror(ENOMEM));
		return -ENOMEM;
	}
	if (c.key_line[PR_KIND] == 0) {
		snprintf(err, errlen, "%s: missing required key \"kind\" in [guest]", file);
		return -EINVAL;
	}
	if (p->kind == VM_KIND_QEMU && c.key_line[PR_MEMORY] == 0) {
		snprintf(err, errlen,
			 "%s: missing required key \"memory_mb\" in [guest] (kind = qemu "
			 "needs it)",
			 file);
		return -EINVAL;
	}
	if (p->kind == VM_KIND_NETNS && c.key_line[PR_MEMORY] != 0) {
		snprintf(err, errlen,
			 "%s:%d: key \"memory_mb\" is for kind = qemu only (line %d says "
			 "kind = netns)",
			 file, c.key_line[PR_MEMORY], c.key_line[PR_KIND]);
		return -EINVAL;
	}
	return pr_kind_rules(&c, file, p, err, errlen);
}

static int
pr_read_file(const char *path, char **text, char *err, size_t errlen)
{
	struct stat st;
	ssize_t n;
	char *buf;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > PR_MAX_FILE) {
		snprintf(err, errlen, "%s: not a profile (a regular file of at most %d KiB)", path,
			 PR_MAX_FILE / 1024);
		close(fd);
		return -EINVAL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		return -ENOMEM;
	}
	n = read(fd, buf, (size_t)st.st_size);
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		free(buf);
		return ret;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', (size_t)n) != NULL) {
		snprintf(err, errlen, "%s: contains a NUL byte (not a text file)", path);
		free(buf);
		return -EINVAL;
	}
	*text = buf;
	return 0;
}

static int
pr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "a, b, c": the profiles in dir, for the not-found message. */
static void
pr_list(const char *dir, char *buf, size_t len)
{
	char *names[64];
	struct dirent *de;
	size_t n = 0, i, used = 0, l;
	DIR *d = opendir(dir);

	buf[0] = '\0';
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL && n < 64) {
		l = strlen(de->d_name);
		if (l > 4 && de->d_name[0] != '.' && strcmp(de->d_name + l - 4, ".ini") == 0 &&
		    (names[n] = strndup(de->d_name, l - 4)) != NULL)
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), pr_cmp);
	for (i = 0; i < n; i++) {
		if (used < len)
			used += snprintf(buf + used, len - used, "%s%s", i ? ", " : "", names[i]);
		free(names[i]);
	}
}

static int
pr_is_path(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') != NULL || (n >= 4 && strcmp(s + n - 4, ".ini") == 0);
}

int
vm_profile_load(const char *dir, const char *name_or_path, struct vm_profile *p, char *err,
		size_t errlen)
{
	char path[4096], avail[512];
	char *text = NULL;
	const char *s;
	int ret;

	if (pr_is_path(name_or_path)) {
		snprintf(path, sizeof(path), "%s", name_or_path);
	} else {
		for (s = name_or_path; *s != '\0'; s++)
			if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
				break;
		if (*s != '\0' || s == name_or_path) {
			pr_quote(avail, sizeof(avail), name_or_path);
			snprintf(err, errlen,
				 "bad profile name \"%s\" (letters, digits, '-', '_'; "
				 "or a path to a .ini file)",
				 avail);
			return -EINVAL;
		}
		if (dir == NULL) {
			snprintf(err, errlen, "profile \"%s\": no profile directory given",
				 name_or_path);
			return -EINVAL;
		}
		if ((size_t)snprintf(path, sizeof(path), "%s/%s.ini", dir, name_or_path) >=
		    sizeof(path)) {
			snprintf(err, errlen, "profile \"%s\": path too long", name_or_path);
			return -ENAMETOOLONG;
		}
		if (access(path, F_OK) < 0 && errno == ENOENT) {
			pr_list(dir, avail, sizeof(avail));
			snprintf(err, errlen, "profile \"%s\" not found in %s (available: %s)",
				 name_or_path, dir, avail[0] ? avail : "none");
			return -ENOENT;
		}
	}
	ret = pr_read_file(path, &text, err, errlen);
	if (ret < 0)
		return ret;
	ret = vm_profile_parse_string(text, path, p, err, errlen);
	free(text);
	return ret;
}
