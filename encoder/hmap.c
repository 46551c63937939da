// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"

/* A slot is empty when its tag is 0; stored tags always have the top bit. */
struct hmap_slot {
	long key;
	long value;
	uint32_t tag;
};

struct hmap {
	hmap_hash_fn hash;
	hmap_equal_fn equal;
	void *ctx;
	struct hmap_slot *slots;
	size_t cap;	/* power of two, or 0 */
	size_t size;
};

struct hmap *hmap__new(hmap_hash_fn hash, hmap_equal_fn equal, void *ctx)
{
	struct hmap *m = calloc(1, sizeof(*m));

	if (!m) {
		errno = ENOMEM;
		return NULL;
	}
	m->hash = hash;
	m->equal = equal;
	m->ctx = ctx;
	return m;
}

void hmap__free(struct hmap *m)
{
	if (!m)
		return;
	free(m->slots);
	free(m);
}

size_t hmap__size(const struct hmap *m)
{
	return m->size;
}

static int hmap_resize(struct hmap *m, size_t new_cap)
{
	struct hmap_slot *slots;
	size_t i, mask = new_cap - 1;

	if (new_cap > SIZE_MAX / sizeof(*slots))
		return -ENOMEM;
	slots = calloc(new_cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < m->cap; i++) {
		size_t j;

		if (!m->slots[i].tag)
			continue;
		j = m->slots[i].tag & mask;
		while (slots[j].tag)
			j = (j + 1) & mask;
		slots[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->cap = new_cap;
	return 0;
}

int hmap__reserve(struct hmap *m, size_t nr)
{
	size_t cap = m->cap ? m->cap : 16;

	while (nr > cap / 4 * 3) {
		if (cap > SIZE_MAX / 2)
			return -ENOMEM;
		cap *= 2;
	}
	return cap == m->cap ? 0 : hmap_resize(m, cap);
}

static uint32_t hmap_tag(const struct hmap *m, long key)
{
	return m->hash(key, m->ctx) | 0x80000000u;
}

int hmap__insert(struct hmap *m, long key, long value, enum hmap_strategy s,
		 long *old)
{
	uint32_t tag = hmap_tag(m, key);
	size_t mask, j;
	int err;

	err = hmap__reserve(m, m->size + 1);
	if (err)
		return err;
	mask = m->cap - 1;
	for (j = tag & mask; m->slots[j].tag; j = (j + 1) & mask) {
		struct hmap_slot *sl = &m->slots[j];

		if (s == HMAP_APPEND || sl->tag != tag ||
		    !m->equal(sl->key, key, m->ctx))
			continue;
		if (old)
			*old = sl->value;
		if (s == HMAP_ADD)
			return -EEXIST;
		sl->value = value;
		return 0;
	}
	m->slots[j].key = key;
	m->slots[j].value = value;
	m->slots[j].tag = tag;
	m->size++;
	return 0;
}

bool hmap__next_match(const struct hmap *m, long key, size_t *pos,
		      long *value)
{
	uint32_t tag;
	size_t mask, j;

	if (!m->cap)
		return false;
	tag = hmap_tag(m, key);
	mask = m->cap - 1;
	/* *pos counts probes from the home slot, so iteration is resumable */
	for (j = (tag + *pos) & mask; m->slots[j].tag; j = (j + 1) & mask) {
		const struct hmap_slot *sl = &m->slots[j];

		(*pos)++;
		if (sl->tag == tag && m->equal(sl->key, key, m->ctx)) {
			*value = sl->value;
			return true;
		}
	}
	return false;
}

int hmap__find(const struct hmap *m, long key, long *value)
{
	size_t pos = 0;

	return hmap__next_match(m, key, &pos, value) ? 0 : -ENOENT;
}

uint32_t hmap_hash_bytes(const void *p, size_t len, uint32_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ull ^ seed;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

uint32_t hmap_hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ull;
	return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

bool hmap_equal_long(long a, long b, void *ctx)
{
	(void)ctx;
	return a == b;
}

uint32_t hmap_hash_identity(long key, void *ctx)
{
	(void)ctx;
	return hmap_hash_long(key);
}
