/* SPDX-License-Identifier: BSD-3-Clause */
/* Numbers with units in tool outputs (us, ms, MB/sec, Gb/s). */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "toolparse.h"

/*
 * qperf's units (its view_time, view_size, view_band, view_rate, view_long, view_cpus,
 * view_cost). A value is number * mul / div: exact for the decimal and binary prefixes,
 * so "127 MB/sec" is 127e6 to the last bit. K/M/G/T are powers of 1000 (qperf divides
 * by 1000), KiB.. powers of 1024; bits/sec (-ub) become bytes/s. Costs stay in seconds
 * per 1e9 bytes, as qperf prints them when large.
 */
struct tp_unit {
	const char *name;
	double mul;
	double div;
	bool exact; /* may be followed by the exact count: "128 KiB (131,072)" */
};

static const struct tp_unit tp_units[] = {
	/* plain counts (send_msgs) */
	{"", 1, 1, false},
	{"thousand", 1e3, 1, false},
	{"million", 1e6, 1, false},
	{"billion", 1e9, 1, false},
	{"trillion", 1e12, 1, false},
	/* times, to microseconds */
	{"ns", 1, 1e3, false},
	{"us", 1, 1, false},
	{"ms", 1e3, 1, false},
	{"sec", 1e6, 1, false},
	/* sizes, to bytes */
	{"bytes", 1, 1, false},
	{"KB", 1e3, 1, false},
	{"MB", 1e6, 1, false},
	{"GB", 1e9, 1, false},
	{"TB", 1e12, 1, false},
	{"KiB", 1024.0, 1, true},
	{"MiB", 1048576.0, 1, true},
	{"GiB", 1073741824.0, 1, true},
	{"TiB", 1099511627776.0, 1, true},
	/* bandwidths, to bytes/s */
	{"bytes/sec", 1, 1, false},
	{"KB/sec", 1e3, 1, false},
	{"MB/sec", 1e6, 1, false},
	{"GB/sec", 1e9, 1, false},
	{"TB/sec", 1e12, 1, false},
	{"bits/sec", 1, 8, false},
	{"Kb/sec", 1e3, 8, false},
	{"Mb/sec", 1e6, 8, false},
	{"Gb/sec", 1e9, 8, false},
	{"Tb/sec", 1e12, 8, false},
	/* message rates, to 1/s */
	{"/sec", 1, 1, false},
	{"K/sec", 1e3, 1, false},
	{"M/sec", 1e6, 1, false},
	{"G/sec", 1e9, 1, false},
	{"T/sec", 1e12, 1, false},
	/* CPU use, percent of one CPU */
	{"% cpus", 1, 1, false},
	{"%", 1, 1, false},
	/* costs, to seconds per GB */
	{"ns/GB", 1, 1e9, false},
	{"us/GB", 1, 1e6, false},
	{"ms/GB", 1, 1e3, false},
	{"sec/GB", 1, 1, false},
};

/* Enough for any real figure; bounds the powers of ten so nothing overflows. */
#define TP_NUM_MAX_DIGITS 40

/*
 * "1,234.5", "1807." (mtr cuts the decimals off), "0": digits, groups of exactly
 * three after a comma, an optional fraction. No sign, no exponent, no locale.
 * The value is mant / 10^frac, kept apart so the caller rounds once.
 */
static int
tp_number(const char *s, const char **end, double *mant, int *frac)
{
	const char *p = s;
	int digits = 0;

	*mant = 0;
	*frac = 0;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (;;) {
		if (isdigit((unsigned char)*p)) {
			*mant = *mant * 10 + (*p - '0');
			digits++;
			p++;
		} else if (*p == ',' && isdigit((unsigned char)p[1]) &&
			   isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
			   !isdigit((unsigned char)p[4])) {
			p++;
		} else {
			break;
		}
		if (digits > TP_NUM_MAX_DIGITS)
			return -ERANGE;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			*mant = *mant * 10 + (*p - '0');
			(*frac)++;
			p++;
			if (++digits > TP_NUM_MAX_DIGITS)
				return -ERANGE;
		}
	}
	*end = p;
	return 0;
}

static double
tp_pow10(int n)
{
	double v = 1;

	while (n-- > 0)
		v *= 10;
	return v;
}

/* The exact count after a binary size: " (257,949,696)" and nothing else. */
static int
tp_exact_count(const char *s, double *val)
{
	const char *p;
	double mant;
	int frac;

	if (*s != '(' || tp_number(s + 1, &p, &mant, &frac) < 0 || frac != 0 || *p != ')')
		return -EINVAL;
	for (p++; *p != '\0'; p++)
		if (!isspace((unsigned char)*p))
			return -EINVAL;
	*val = mant;
	return 0;
}

int
tp_value_unit(const char *s, double *val)
{
	const char *p, *unit, *paren;
	size_t len, i;
	double mant;
	int frac, ret;

	if (s == NULL || val == NULL)
		return -EINVAL;
	while (isspace((unsigned char)*s))
		s++;
	ret = tp_number(s, &p, &mant, &frac);
	if (ret < 0)
		return ret;
	/* a unit is set apart by a space: "2sec" is not a value */
	if (*p != '\0' && !isspace((unsigned char)*p))
		return -EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	unit = p;
	paren = strchr(unit, '(');
	len = paren != NULL ? (size_t)(paren - unit) : strlen(unit);
	while (len > 0 && isspace((unsigned char)unit[len - 1]))
		len--;
	for (i = 0; i < sizeof(tp_units) / sizeof(tp_units[0]); i++) {
		const struct tp_unit *u = &tp_units[i];

		if (strlen(u->name) != len || strncmp(u->name, unit, len) != 0)
			continue;
		if (paren != NULL)
			return u->exact ? tp_exact_count(paren, val) : -EINVAL;
		*val = mant * u->mul / (tp_pow10(frac) * u->div);
		return 0;
	}
	return -EINVAL;
}
