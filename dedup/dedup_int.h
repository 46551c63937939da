/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Dedup internals shared by the passes (dedup.c: driver, prims, refs and
 * compaction; dedup_graph.c: struct/union graph equivalence).
 */
#ifndef BTFENC_DEDUP_INT_H
#define BTFENC_DEDUP_INT_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "btf_table.h"
#include "hmap.h"

/* map[] values that are no type ID: not processed yet, on the ref path */
#define DEDUP_NONE	UINT32_MAX
#define DEDUP_BUSY	(UINT32_MAX - 1)

/*
 * flags[] of a split table: a split struct kept apart from a base struct
 * only because it defines what the base declares; a type that entered the
 * candidate order while it was reversed
 */
#define DEDUP_ADJUSTED	1
#define DEDUP_ODD	2

struct dedup_pair {
	uint32_t cand;
	uint32_t canon;
};

struct dedup_pairs {
	struct dedup_pair *v;
	size_t cnt;
	size_t cap;
};

struct dedup_ids {
	uint32_t *v;
	size_t cnt;
	size_t cap;
};

struct dedup {
	const struct btf_table *tab;
	uint32_t start_id;
	uint32_t type_cnt;
	/* ID -> record, base and own: no call on the hot paths */
	const struct btf_type **types;
	/* ID -> an equivalent ID one step closer to its canonical type */
	uint32_t *map;
	/* canonical-graph ID -> candidate-graph ID during one comparison;
	 * in compaction: old canonical ID -> new ID */
	uint32_t *hypot;
	/* next canonical struct with the same shallow signature (0: none);
	 * in compaction: new ID - start_id -> canonical ID */
	uint32_t *next;
	/* signature -> the first canonical type with it */
	struct hmap *index;
	/* split tables: DEDUP_ADJUSTED and DEDUP_ODD per type; else NULL */
	unsigned char *flags;
	/* the current comparison met an unresolved base FWD and a definition */
	bool adjust;
	/* split tables: the candidate order (dedup_order_add) */
	uint64_t order_size;
	uint64_t order_cap;
	unsigned char order_odd;
	struct dedup_ids cands;
	struct dedup_ids hypot_keys;
	struct dedup_pairs stack;
	struct dedup_pairs ident_stack;
	struct dedup_ids ref_stack;
};

static inline const struct btf_type *dedup_type(const struct dedup *d,
						uint32_t id)
{
	return d->types[id];
}

/* The canonical type of @id so far (@id itself when not processed) */
static inline uint32_t dedup_resolve(const struct dedup *d, uint32_t id)
{
	uint32_t next;

	while ((next = d->map[id]) < DEDUP_BUSY && next != id)
		id = next;
	return id;
}

static inline bool dedup_is_canon(const struct dedup *d, uint32_t id)
{
	return d->map[id] == id;
}

static inline bool dedup_is_split(const struct dedup *d)
{
	return d->flags;
}

static inline bool dedup_is_adjusted(const struct dedup *d, uint32_t id)
{
	return d->flags && (d->flags[id] & DEDUP_ADJUSTED);
}

static inline uint64_t dedup_mix(uint64_t h, uint32_t v)
{
	h = (h ^ v) * 0x9E3779B97F4A7C15ull;
	return h ^ (h >> 29);
}

static inline uint32_t dedup_fold(uint64_t h)
{
	return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

/*
 * The type-ID fields of a record: an optional head (&t->type) and a vector
 * of @n fields @stride words apart (member, param, secinfo, array types).
 */
struct dedup_refs {
	const uint32_t *head;
	const uint32_t *vec;
	unsigned int n;
	unsigned int stride;
};

void dedup_refs_init(struct dedup_refs *r, const struct btf_type *t);

int dedup_pairs_grow(struct dedup_pairs *s);
int dedup_ids_grow(struct dedup_ids *s);

static inline int dedup_pairs_push(struct dedup_pairs *s, uint32_t cand,
				   uint32_t canon)
{
	if (s->cnt == s->cap && dedup_pairs_grow(s))
		return -ENOMEM;
	s->v[s->cnt].cand = cand;
	s->v[s->cnt].canon = canon;
	s->cnt++;
	return 0;
}

static inline int dedup_ids_push(struct dedup_ids *s, uint32_t id)
{
	if (s->cnt == s->cap && dedup_ids_grow(s))
		return -ENOMEM;
	s->v[s->cnt++] = id;
	return 0;
}

/* Non-ID contents of two records equal (same kind, vlen, names, sizes) */
bool dedup_shallow_equal(const struct btf_type *a, const struct btf_type *b);
/* Shallow signature: what dedup_shallow_equal() compares */
uint64_t dedup_shallow_hash(const struct btf_type *t);
/* Push the pairs of type-ID fields of two shallow-equal records. */
int dedup_push_refs(struct dedup_pairs *s, const struct btf_type *cand,
		    const struct btf_type *canon);

/* Split tables: @id enters the candidate order. */
void dedup_order_add(struct dedup *d, uint32_t id);

/* Pass 3: structs and unions; 0 or -errno */
int dedup_structs(struct dedup *d);

#endif
