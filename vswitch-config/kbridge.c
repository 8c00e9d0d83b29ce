/* SPDX-License-Identifier: BSD-3-Clause */
/* Kernel bridge: create, attach ports. */
#include "kbridge.h"
#include "netcmd.h"

int
vsc_kbr_create(const char *ns, const char *br, char *err, size_t errlen)
{
	int ret;

	/* no STP and no forwarding delay: ports forward as soon as they are up */
	ret = tb_ip(err, errlen, "-n", ns, "link", "add", br, "type", "bridge", "stp_state", "0",
		    "forward_delay", "0", NULL);
	if (ret == 0)
		ret = tb_ip(err, errlen, "-n", ns, "link", "set", br, "up", NULL);
	return ret;
}

int
vsc_kbr_attach(const char *ns, const char *br, const char *port, char *err, size_t errlen)
{
	return tb_ip(err, errlen, "-n", ns, "link", "set", port, "master", br, "up", NULL);
}
