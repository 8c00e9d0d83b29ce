/* SPDX-License-Identifier: BSD-3-Clause */
/* `sweep`: its tests by name and the message sizes each test runs (sweep.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "sweep.h"

static const char *const test_names[SW_N_TESTS] = {"tcp_lat", "tcp_bw", "udp_lat", "udp_bw"};

const char *
sweep_test_name(enum sweep_test t)
{
	return t < SW_N_TESTS ? test_names[t] : "?";
}

bool
sweep_test_is_lat(enum sweep_test t)
{
	return t == SW_TCP_LAT || t == SW_UDP_LAT;
}

int
sweep_size_parse(const char *s, long *bytes)
{
	char *end;
	long v, mul = 1;

	if (s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0)
		return -EINVAL;
	if (*end == 'K' || *end == 'k')
		mul = 1L << 10;
	else if (*end == 'M' || *end == 'm')
		mul = 1L << 20;
	else if (*end == 'G' || *end == 'g')
		mul = 1L << 30;
	if (mul != 1)
		end++;
	if (*end != '\0' || v < 1 || v > SW_SIZE_MAX / mul)
		return -EINVAL;
	*bytes = v * mul;
	return 0;
}

int
sweep_sizes(const struct sweep_conf *c, enum sweep_test t, long *sizes, int max)
{
	bool udp = t == SW_UDP_LAT || t == SW_UDP_BW;
	long lo = c->min_size ? c->min_size : 1;
	long hi = c->max_size ? c->max_size : udp ? SW_UDP_MAX_DEFAULT : SW_TCP_MAX_DEFAULT;
	long s;
	int n = 0;

	if (udp && hi > SW_UDP_MAX)
		hi = SW_UDP_MAX;
	for (s = lo; s <= hi && n < max; s *= 2)
		sizes[n++] = s;
	return n;
}
