/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Drives one fuzz target where libFuzzer is not available (gcc builds): every seed file
 * as is, then pseudo-random mutations of them from a fixed seed, so a failure replays.
 * Usage: replay [-n MUTATIONS] FILE|DIR...
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define RP_MAX_SIZE (256 * 1024)
#define RP_MAX_SEEDS 512

struct rp_buf {
	uint8_t *data;
	size_t len;
};

static struct rp_buf rp_seeds[RP_MAX_SEEDS];
static size_t rp_n_seeds;
static uint64_t rp_state = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: the same sequence on every host */
static uint64_t
rp_rand(void)
{
	rp_state ^= rp_state >> 12;
	rp_state ^= rp_state << 25;
	rp_state ^= rp_state >> 27;
	return rp_state * 0x2545f4914f6cdd1dULL;
}

static size_t
rp_below(size_t n)
{
	return n == 0 ? 0 : (size_t)(rp_rand() % n);
}

static int
rp_add_file(const char *path)
{
	struct rp_buf *b;
	FILE *f;
	long len;

	if (rp_n_seeds == RP_MAX_SEEDS)
		return 0;
	f = fopen(path, "rb");
	if (f == NULL)
		return -errno;
	if (fseek(f, 0, SEEK_END) < 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0) {
		fclose(f);
		return -EIO;
	}
	if (len > RP_MAX_SIZE)
		len = RP_MAX_SIZE;
	b = &rp_seeds[rp_n_seeds];
	b->data = malloc((size_t)len + 1);
	if (b->data == NULL) {
		fclose(f);
		return -ENOMEM;
	}
	b->len = fread(b->data, 1, (size_t)len, f);
	fclose(f);
	rp_n_seeds++;
	return 0;
}

static int
rp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files of a directory, in name order so runs are reproducible. */
static int
rp_add_dir(const char *dir)
{
	char *names[RP_MAX_SEEDS], path[4096];
	struct dirent *de;
	struct stat st;
	size_t n = 0, i;
	DIR *d = opendir(dir);
	int ret = 0;

	if (d == NULL)
		return -errno;
	while ((de = readdir(d)) != NULL && n < RP_MAX_SEEDS) {
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			names[n] = strdup(path);
			if (names[n] != NULL)
				n++;
		}
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), rp_cmp);
	for (i = 0; i < n; i++) {
		if (ret == 0)
			ret = rp_add_file(names[i]);
		free(names[i]);
	}
	return ret;
}

/* Bytes that matter to the parsers. */
static const char rp_special[] = "0123456789 \t\r\n.,-:=%()[]|`?/#\x7f\x80\xff";

/* One random edit of b (capacity RP_MAX_SIZE). */
static void
rp_mutate(struct rp_buf *b)
{
	size_t pos = rp_below(b->len + 1), n, src;
	const struct rp_buf *o;

	switch (rp_below(10)) {
	case 0: /* flip a bit */
		if (b->len > 0)
			b->data[rp_below(b->len)] ^= (uint8_t)(1u << rp_below(8));
		break;
	case 1: /* overwrite with a special byte */
		if (b->len > 0)
			b->data[rp_below(b->len)] =
				(uint8_t)rp_special[rp_below(sizeof(rp_special) - 1)];
		break;
	case 2: /* insert a special byte */
		if (b->len < RP_MAX_SIZE) {
			memmove(b->data + pos + 1, b->data + pos, b->len - pos);
			b->data[pos] = (uint8_t)rp_special[rp_below(sizeof(rp_special) - 1)];
			b->len++;
		}
		break;
	case 3: /* delete a range */
		n = rp_below(b->len - pos + 1);
		if (n > 64)
			n = rp_below(64);
		memmove(b->data + pos, b->data + pos + n, b->len - pos - n);
		b->len -= n;
		break;
	case 4: /* repeat a range elsewhere */
		if (b->len > 0) {
			src = rp_below(b->len);
			n = rp_below(b->len - src) + 1;
			if (n > RP_MAX_SIZE - b->len)
				n = RP_MAX_SIZE - b->len;
			memmove(b->data + pos + n, b->data + pos, b->len - pos);
			memmove(b->data + pos, b->data + (src < pos ? src : src + n), n);
			b->len += n;
		}
		break;
	case 5: /* splice in a piece of another seed */
		o = &rp_seeds[rp_below(rp_n_seeds)];
		if (o->len > 0) {
			src = rp_below(o->len);
			n = rp_below(o->len - src) + 1;
			if (n > RP_MAX_SIZE - b->len)
				n = RP_MAX_SIZE - b->len;
			memmove(b->data + pos + n, b->data + pos, b->len - pos);
			memcpy(b->data + pos, o->data + src, n);
			b->len += n;
		}
		break;
	case 6: /* cut short */
		b->len = pos;
		break;
	case 7: /* a long run: long lines, long numbers, many fields */
		n = rp_below(8192);
		if (n > RP_MAX_SIZE - b->len)
			n = RP_MAX_SIZE - b->len;
		memmove(b->data + pos + n, b->data + pos, b->len - pos);
		memset(b->data + pos, rp_special[rp_below(sizeof(rp_special) - 1)], n);
		b->len += n;
		break;
	case 8: /* CR LF line ends from here on */
		for (n = pos; n < b->len && b->len < RP_MAX_SIZE; n++) {
			if (b->data[n] == '\n') {
				memmove(b->data + n + 1, b->data + n, b->len - n);
				b->data[n++] = '\r';
				b->len++;
			}
		}
		break;
	default: /* any byte */
		if (b->len > 0)
			b->data[rp_below(b->len)] = (uint8_t)rp_rand();
		break;
	}
}

int
main(int argc, char **argv)
{
	long mutations = 5000, i;
	struct rp_buf b;
	size_t s;
	int a = 1, ret, k, edits;
	struct stat st;

	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		mutations = strtol(argv[2], NULL, 10);
		a = 3;
	}
	for (; a < argc; a++) {
		if (stat(argv[a], &st) < 0)
			ret = -errno;
		else if (S_ISDIR(st.st_mode))
			ret = rp_add_dir(argv[a]);
		else
			ret = rp_add_file(argv[a]);
		if (ret < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[a], strerror(-ret));
			return 1;
		}
	}
	if (rp_n_seeds == 0) {
		fprintf(stderr, "usage: replay [-n MUTATIONS] FILE|DIR...\n");
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)"", 0);
	for (s = 0; s < rp_n_seeds; s++)
		LLVMFuzzerTestOneInput(rp_seeds[s].data, rp_seeds[s].len);
	b.data = malloc(RP_MAX_SIZE);
	if (b.data == NULL)
		return 1;
	for (i = 0; i < mutations; i++) {
		const struct rp_buf *seed = &rp_seeds[rp_below(rp_n_seeds)];

		memcpy(b.data, seed->data, seed->len);
		b.len = seed->len;
		edits = 1 + (int)rp_below(8);
		for (k = 0; k < edits; k++)
			rp_mutate(&b);
		LLVMFuzzerTestOneInput(b.data, b.len);
	}
	printf("replay: %zu seeds, %ld mutations, no crash\n", rp_n_seeds, mutations);
	free(b.data);
	for (s = 0; s < rp_n_seeds; s++)
		free(rp_seeds[s].data);
	return 0;
}
