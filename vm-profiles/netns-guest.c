/* SPDX-License-Identifier: BSD-3-Clause */
/* netns guests: a namespace with a NIC, addresses and routes. */
#include "netcmd.h"
#include "netns-guest.h"

int
vm_netns_create(const char *ns, char *err, size_t errlen)
{
	int ret = tb_ip(err, errlen, "netns", "add", ns, NULL);

	if (ret == 0)
		ret = tb_ip(err, errlen, "-n", ns, "link", "set", "lo", "up", NULL);
	if (ret == 0)
		ret = tb_ns_sysctl(ns, "net.ipv6.conf.all.disable_ipv6", "1", err, errlen);
	if (ret == 0)
		ret = tb_ns_sysctl(ns, "net.ipv6.conf.default.disable_ipv6", "1", err, errlen);
	return ret;
}

int
vm_netns_adopt(const char *ns, const char *link, char *err, size_t errlen)
{
	int ret = tb_ip(err, errlen, "link", "set", link, "netns", ns, NULL);

	if (ret == 0)
		ret = tb_ip(err, errlen, "-n", ns, "link", "set", link, "name", VM_GUEST_NIC, NULL);
	return ret;
}

int
vm_netns_nic_up(const char *ns, const char *cidr, char *err, size_t errlen)
{
	int ret = tb_ip(err, errlen, "-n", ns, "addr", "add", cidr, "dev", VM_GUEST_NIC, NULL);

	if (ret == 0)
		ret = tb_ip(err, errlen, "-n", ns, "link", "set", VM_GUEST_NIC, "up", NULL);
	return ret;
}

int
vm_netns_default_route(const char *ns, const char *gw, char *err, size_t errlen)
{
	return tb_ip(err, errlen, "-n", ns, "route", "add", "default", "via", gw, NULL);
}
