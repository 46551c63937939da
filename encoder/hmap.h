/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An open-addressing hash map of long keys to long values.
 *
 * The caller supplies the hash and equality of keys (keys are often offsets
 * or IDs whose meaning only the caller knows).  HMAP_APPEND keeps several
 * values under equal keys (a multimap); hmap__for_each_match() walks them.
 * Entries are never removed.  Silent: returns 0 or -errno, never prints.
 */
#ifndef BTFENC_HMAP_H
#define BTFENC_HMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hmap;

typedef uint32_t (*hmap_hash_fn)(long key, void *ctx);
typedef bool (*hmap_equal_fn)(long a, long b, void *ctx);

enum hmap_strategy {
	HMAP_ADD,	/* -EEXIST if an equal key is present */
	HMAP_SET,	/* replace the value of an equal key, or add */
	HMAP_APPEND,	/* always add, even beside equal keys */
};

struct hmap *hmap__new(hmap_hash_fn hash, hmap_equal_fn equal, void *ctx);
void hmap__free(struct hmap *m);
size_t hmap__size(const struct hmap *m);
int hmap__reserve(struct hmap *m, size_t nr);

/* On -EEXIST (HMAP_ADD) and on HMAP_SET replacing, *@old gets the value. */
int hmap__insert(struct hmap *m, long key, long value, enum hmap_strategy s,
		 long *old);
/* 0 and *@value, or -ENOENT */
int hmap__find(const struct hmap *m, long key, long *value);

/* Iteration over the values of keys equal to @key: start with *@pos = 0. */
bool hmap__next_match(const struct hmap *m, long key, size_t *pos,
		      long *value);

/* Hash helpers for callers */
uint32_t hmap_hash_bytes(const void *p, size_t len, uint32_t seed);
uint32_t hmap_hash_str(const char *s);
static inline uint32_t hmap_hash_long(long v)
{
	uint64_t x = (uint64_t)v * 0x9E3779B97F4A7C15ull;

	return (uint32_t)(x >> 32) ^ (uint32_t)x;
}
bool hmap_equal_long(long a, long b, void *ctx);
uint32_t hmap_hash_identity(long key, void *ctx);

#endif
