/* SPDX-License-Identifier: BSD-3-Clause */
/* The backend table: every backend's row (instance/be-*.c) in report order, and the helpers
 * the rows share. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backends.h"

extern const struct ib_backend ib_be_vhost_user, ib_be_bridge, ib_be_masquerade, ib_be_tap,
	ib_be_macvtap, ib_be_vhost_net, ib_be_user;

/* A new backend: its be-<name>.c and one line here, where its results go in the reports. */
const struct ib_backend *const ib_backends[] = {
	&ib_be_vhost_user,
	&ib_be_bridge,
	&ib_be_masquerade,
	&ib_be_tap,
	&ib_be_macvtap,
	&ib_be_vhost_net,
	&ib_be_user,
};

const size_t ib_n_backends = sizeof(ib_backends) / sizeof(ib_backends[0]);

const struct ib_backend *
ib_be_ops(enum tb_backend be)
{
	size_t i;

	for (i = 0; i < ib_n_backends; i++)
		if (ib_backends[i]->be == be)
			return ib_backends[i];
	return NULL;
}

unsigned int
ib_flags(unsigned int mask)
{
	unsigned int flags = 0;
	size_t i;

	for (i = 0; i < ib_n_backends; i++)
		if (mask & (1u << ib_backends[i]->be))
			flags |= ib_backends[i]->flags;
	return flags;
}

unsigned int
ib_mask(unsigned int flags)
{
	unsigned int mask = 0;
	size_t i;

	for (i = 0; i < ib_n_backends; i++)
		if ((ib_backends[i]->flags & flags) == flags)
			mask |= 1u << ib_backends[i]->be;
	return mask;
}

bool
ib_tun_opens(char *why, size_t len)
{
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, len, "/dev/net/tun: %s (no TUN/TAP)", strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

json_t *
ib_verdict(bool ok, const char *why)
{
	return json_pack("{s:b, s:s}", "runs", ok, "why", ok ? "runs here" : why);
}

json_t *
ib_doctor_probed(const struct ib_backend *b, const struct ib_doctor *d)
{
	char nw[512], qw[512], why[1200];
	bool n_ok = d->root && b->runs(false, nw, sizeof(nw));
	bool q_ok = d->root && d->qemu && b->runs(true, qw, sizeof(qw));

	if (!d->root)
		snprintf(nw, sizeof(nw), "not probed: needs root");
	if (!d->root || !d->qemu)
		snprintf(qw, sizeof(qw), "%s", !d->root ? "not probed: needs root"
						       : "no QEMU accelerator boots a guest");
	snprintf(why, sizeof(why), "netns guests: %s%s; QEMU guests: %s%s", n_ok ? "yes, " : "no, ",
		 nw, q_ok ? "yes, " : "no, ", qw);
	return json_pack("{s:b, s:b, s:b, s:s, s:s}", "runs", n_ok || q_ok, "runs_netns", n_ok,
			 "runs_qemu", q_ok, "why_netns", nw, "why", why);
}

const char *
ib_relay_role(enum tb_backend be, const char *role)
{
	char relay[24];

	/* the relay of the tap and macvtap netns guests: relay-<tag><first guest> */
	snprintf(relay, sizeof(relay), "relay-%s", tb_backend_tag(be));
	return role != NULL && strncmp(role, relay, strlen(relay)) == 0 ? "guest side" : NULL;
}
