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
#include <string.h>

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
	/* records without a call on the hot paths: base IDs (and void) ->
	 * record; own ID - start_id -> offset in recs (the table's own) */
	const struct btf_type **base_types;
	const char *recs;
	const uint32_t *offs;
	/* ID -> an equivalent ID one step closer to its canonical type */
	uint32_t *map;
	/* canonical-graph ID -> candidate-graph ID during one comparison;
	 * in compaction: old canonical ID -> new ID */
	uint32_t *hypot;
	/* canonical struct -> the next with the same key (none: the last) */
	struct hmap *chain;
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
	/*
	 * Pass 5 outside a split table: the canonical PTR, CONST,
	 * VOLATILE, RESTRICT, TYPEDEF, TYPE_TAG and FUNC records (a name, an
	 * info and one referent), by name, info and canonical referent: the
	 * index's key for them, looked up without its callbacks.
	 */
	struct dedup_ref1 *ref1;
	uint32_t ref1_mask;	/* capacity - 1; 0: none yet */
	uint32_t nr_ref1;
};

/* A canonical record of one referent; id 0: an empty slot */
struct dedup_ref1 {
	uint32_t info;
	uint32_t name;
	uint32_t ref;		/* the canonical referent */
	uint32_t id;
};

static inline const struct btf_type *dedup_type(const struct dedup *d,
						uint32_t id)
{
	if (id < d->start_id)
		return d->base_types[id];
	return (const struct btf_type *)(d->recs + d->offs[id - d->start_id]);
}

/* The canonical type of @id so far (@id itself when not processed) */
static inline uint32_t dedup_resolve(const struct dedup *d, uint32_t id)
{
	uint32_t next;

	while ((next = d->map[id]) < DEDUP_BUSY && next != id)
		id = next;
	return id;
}

/* The canonical struct after @id in its chain, 0 at the end */
static inline uint32_t dedup_next(const struct dedup *d, uint32_t id)
{
	long next;

	return hmap__find(d->chain, id, &next) ? 0 : next;
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

/*
 * Below: the type-ID fields of a record (dedup_refs_init); two records
 * equal but for their type IDs (dedup_shallow_equal), the signature of
 * what that compares (dedup_shallow_hash); the pairs of type-ID fields of
 * two shallow-equal records pushed for a walk (dedup_push_refs).
 */
static inline void dedup_refs_init(struct dedup_refs *r,
				   const struct btf_type *t)
{
	r->head = NULL;
	r->vec = NULL;
	r->n = 0;
	r->stride = 0;
	switch (btf_kind(t)) {
	case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_FUNC:
	case BTF_KIND_VAR: case BTF_KIND_DECL_TAG: case BTF_KIND_TYPE_TAG:
		r->head = &t->type;
		break;
	case BTF_KIND_ARRAY:
		r->vec = &btf_array(t)->type;
		r->n = 2;
		r->stride = 1;
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		r->vec = &btf_members(t)->type;
		r->n = btf_vlen(t);
		r->stride = sizeof(struct btf_member) / 4;
		break;
	case BTF_KIND_FUNC_PROTO:
		r->head = &t->type;
		r->vec = &btf_params(t)->type;
		r->n = btf_vlen(t);
		r->stride = sizeof(struct btf_param) / 4;
		break;
	case BTF_KIND_DATASEC:
		r->vec = &btf_secinfos(t)->type;
		r->n = btf_vlen(t);
		r->stride = sizeof(struct btf_var_secinfo) / 4;
		break;
	default:
		break;
	}
}

static inline bool dedup_members_equal(const struct btf_type *a,
				const struct btf_type *b)
{
	const struct btf_member *ma = btf_members(a), *mb = btf_members(b);
	unsigned int i;

	for (i = 0; i < btf_vlen(a); i++)
		if (ma[i].name_off != mb[i].name_off ||
		    ma[i].offset != mb[i].offset)
			return false;
	return true;
}

static inline bool dedup_params_equal(const struct btf_type *a,
			       const struct btf_type *b)
{
	const struct btf_param *pa = btf_params(a), *pb = btf_params(b);
	unsigned int i;

	for (i = 0; i < btf_vlen(a); i++)
		if (pa[i].name_off != pb[i].name_off)
			return false;
	return true;
}

static inline bool dedup_secinfos_equal(const struct btf_type *a,
				 const struct btf_type *b)
{
	const struct btf_var_secinfo *sa = btf_secinfos(a), *sb = btf_secinfos(b);
	unsigned int i;

	for (i = 0; i < btf_vlen(a); i++)
		if (sa[i].offset != sb[i].offset || sa[i].size != sb[i].size)
			return false;
	return true;
}

/* Records that refer to no type compare whole. */
static inline bool dedup_is_leaf(unsigned int kind)
{
	return kind == BTF_KIND_INT || kind == BTF_KIND_FLOAT ||
	       kind == BTF_KIND_FWD || kind == BTF_KIND_ENUM ||
	       kind == BTF_KIND_ENUM64;
}

static inline bool dedup_shallow_equal(const struct btf_type *a,
				       const struct btf_type *b)
{
	unsigned int kind = btf_kind(a);

	if (a->name_off != b->name_off || a->info != b->info)
		return false;
	if (dedup_is_leaf(kind))
		return !memcmp(a, b, btf_rec_size(a));
	switch (kind) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return a->size == b->size && dedup_members_equal(a, b);
	case BTF_KIND_ARRAY:
		return btf_array(a)->nelems == btf_array(b)->nelems;
	case BTF_KIND_FUNC_PROTO:
		return dedup_params_equal(a, b);
	case BTF_KIND_VAR:
		return btf_var(a)->linkage == btf_var(b)->linkage;
	case BTF_KIND_DATASEC:
		return a->size == b->size && dedup_secinfos_equal(a, b);
	case BTF_KIND_DECL_TAG:
		return btf_decl_tag(a)->component_idx ==
		       btf_decl_tag(b)->component_idx;
	default:
		return true;
	}
}

static inline uint64_t dedup_hash_members(uint64_t h, const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);
	unsigned int i;

	for (i = 0; i < btf_vlen(t); i++)
		h = dedup_mix(dedup_mix(h, m[i].name_off), m[i].offset);
	return h;
}

static inline uint64_t dedup_hash_params(uint64_t h, const struct btf_type *t)
{
	const struct btf_param *p = btf_params(t);
	unsigned int i;

	for (i = 0; i < btf_vlen(t); i++)
		h = dedup_mix(h, p[i].name_off);
	return h;
}

static inline uint64_t dedup_shallow_hash(const struct btf_type *t)
{
	uint64_t h = dedup_mix(dedup_mix(0, t->name_off), t->info);

	if (dedup_is_leaf(btf_kind(t)))
		return dedup_mix(h, hmap_hash_bytes(t + 1, btf_rec_size(t) -
						    sizeof(*t), t->size));
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return dedup_hash_members(dedup_mix(h, t->size), t);
	case BTF_KIND_ARRAY:
		return dedup_mix(h, btf_array(t)->nelems);
	case BTF_KIND_FUNC_PROTO:
		return dedup_hash_params(h, t);
	case BTF_KIND_DECL_TAG:
		return dedup_mix(h, btf_decl_tag(t)->component_idx);
	default:
		return h;
	}
}

static inline int dedup_push_refs(struct dedup_pairs *s,
				  const struct btf_type *cand,
				  const struct btf_type *canon)
{
	struct dedup_refs rc, rk;
	unsigned int i;
	int err = 0;

	dedup_refs_init(&rc, cand);
	dedup_refs_init(&rk, canon);
	/* pushed backwards, so the first field is compared first */
	for (i = rc.n; i-- > 0 && !err;)
		err = dedup_pairs_push(s, rc.vec[i * rc.stride],
				       rk.vec[i * rk.stride]);
	if (rc.head && !err)
		err = dedup_pairs_push(s, *rc.head, *rk.head);
	return err;
}


/* Split tables: @id enters the candidate order. */
void dedup_order_add(struct dedup *d, uint32_t id);

/* Pass 3: structs and unions; 0 or -errno */
int dedup_structs(struct dedup *d);
/* Pass 3 for the structs of IDs @from .. @to - 1 only, in ID order */
int dedup_structs_range(struct dedup *d, uint32_t from, uint32_t to);

/*
 * dedup_repeats.c: in a split table, the own types whose records repeat a
 * base type's (what the walks could not pair) map to the base, the table
 * compacted again until none is left; nothing for a table without base.
 * 0 or -ENOMEM.
 */
int dedup_split_repeats(struct btf_table *tab);

#endif
