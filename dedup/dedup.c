// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Type deduplication
 * ==================
 *
 * The problem.  The DWARF reader emits each compilation unit's types on
 * their own, so struct task_struct, and everything it reaches through its
 * members and pointers, appears once per CU that uses it: about two
 * thousand times in a kernel, 3.4 million types in all.  The copies are
 * not all alike.  A CU that only declares `struct foo;` has a FWD where
 * another CU has the definition, so one C type reaches different subgraphs
 * in different CUs; compilers sometimes emit one array or anonymous struct
 * twice in a CU; and the type graph has cycles (a list node points to its
 * own kind), so types cannot simply be hashed bottom-up.
 *
 * The result.  Every type is mapped (map[]) to an equivalent type one step
 * closer to the canonical type of its class; following map[] to a fixed
 * point (dedup_resolve) gives the canonical type.  The output holds one
 * record per class, the canonical one, placed where the class first occurs
 * in the input, with every type ID rewritten, in a fresh table holding only
 * the strings still referenced.  The input table is only read until the
 * result replaces it, so on error it is left as it was.
 *
 * The passes
 * ----------
 *
 * 1. Prepare.  Referenced IDs must exist (-EINVAL).  Equal strings must
 *    have equal offsets, since all the passes compare names by offset:
 *    tables built through the table API have that property; one read from
 *    foreign raw BTF may not (a string twice, an offset into the middle of
 *    a string), and is first copied through the API, which restores it.
 *    Base types are canonical and go into the index.  VAR and DATASEC are
 *    never merged: each stands for one object.
 *
 * 2. Primitives: INT, FLOAT, ENUM and ENUM64 with values refer to no type,
 *    so each is looked up by its whole record in the index, a hash map from
 *    a type's key to the first canonical type with that key; the first of
 *    each class is canonical.  Then an enum without values (an enum forward
 *    declaration) resolves to the canonical full enum of its name when
 *    there is exactly one, else it is merged with its likes.  (FWDs wait,
 *    but in a split table, below.)
 *
 * 3. Structs and unions, in ID order.  Their key is what every equivalent
 *    struct shares: kind, name, size, member names and offsets, and for
 *    each member the kinds along its chain of pointers, modifiers and
 *    arrays down to the first named type and that type's name (member
 *    types themselves are not resolved yet).  The index gives the first
 *    canonical struct with the key, next[] chains the others, oldest first.
 *    A struct is compared with each candidate in turn (dedup_graph.c) by
 *    walking the two type graphs side by side, depth first, following
 *    members, pointers, arrays and function prototypes.  The walk records
 *    a hypothetical map from each type of the canonical graph to the type
 *    of the new struct's graph it pairs with.  Meeting a pair whose
 *    canonical side is mapped already ends that branch when it maps to the
 *    same type (that is how cycles end) and fails when it maps elsewhere,
 *    unless the two candidate-side types are identical: compilers emit an
 *    identical array or anonymous struct twice in one CU, a CU may declare
 *    a struct it also defines, and the canonical graph may have merged what
 *    the candidate keeps apart.  Identity is checked exactly, with its own
 *    set of assumed pairs, so cycles end there too and no depth limit is
 *    needed.
 *    A FWD meets a struct or union of its name and kind (or a FWD like it).
 *    FWDs are not merged before this pass, so each CU's FWD resolves to
 *    what that CU's graph met: on the canonical side, the candidate's
 *    struct; on the candidate side, the canonical struct.  A CU that knows
 *    more completes what earlier CUs declared only.
 *    Two canonical structs that meet are different: either their keys
 *    differ or the later one was compared with the earlier when it became
 *    canonical (a split table has one exception, below).  This stops a
 *    failing walk at once instead of redoing it below every struct that
 *    reaches a type whose definition differs.
 *    When a walk succeeds the hypothetical map is merged: FWDs resolved in
 *    the walk are recorded for good, and the candidate CU's structs that
 *    paired with canonical structs map to them, so the rest of that CU
 *    finds its match at the first step.  When no candidate matches, the
 *    struct becomes canonical and joins its chain.
 *
 * 4. FWDs that no walk resolved take the canonical struct or union of
 *    their name and kind when there is exactly one; the others are merged
 *    with the first FWD like them.
 *
 * 5. Reference types: PTR, CONST, VOLATILE, RESTRICT, TYPEDEF, TYPE_TAG,
 *    ARRAY, FUNC_PROTO, FUNC, DECL_TAG.  Their referents are resolved first
 *    (depth first with an explicit stack; in C a cycle always passes
 *    through a struct, which is resolved by now, so a cycle of reference
 *    types alone is an error, -ELOOP), then the type is looked up in the
 *    index by its record with referents resolved.  So typedefs, arrays and
 *    pointers whose targets merged merge too.  Records of a name, an info
 *    and one referent (pointers, modifiers, typedefs, FUNCs: most of a
 *    kernel's types) have a table of their own outside a split table,
 *    keyed by just those three, with the referent resolved (d->ref1):
 *    the same key, without the index's callbacks.
 *
 * 6. Compaction: each class gets a new ID in order of first occurrence and
 *    its canonical record is copied with btf_table__add_copy, which
 *    re-adds the strings: only referenced strings survive.
 *
 * Split tables
 * ------------
 *
 * A module's types are split on its kernel's, and must come out as the
 * kernel build makes them: pahole, that is libbpf's btf__dedup.  There a
 * base FWD does not simply stand for the module's definition, and the
 * result depends on the order of the work, so split tables follow those
 * rules exactly:
 *
 *  - Base types are canonical, in the index before any split type, and
 *    never change.  A split type equivalent to a base type maps to it and
 *    leaves the output.  Base records hash and compare by their own
 *    referents, never resolved.
 *  - Pass 2 merges each split FWD with the first FWD like it, a base FWD
 *    first; pass 4 resolves by name only the split FWDs still leading their
 *    class.  So a module FWD that a base FWD declares too stays that FWD.
 *  - A walk takes candidate-side types as they are, and resolves only FWDs
 *    on the canonical side (to the struct they resolved to, if any).
 *  - A walk that succeeds only by pairing an unresolved base FWD with a
 *    split definition does not make the struct equivalent: the base cannot
 *    learn what its FWD stands for.  The walk resolves that base FWD to
 *    the definition (for the split's references to it; the base record
 *    stays), and the struct goes on to the next candidate.  When none
 *    matches it stays in the split, marked DEDUP_ADJUSTED: later walks
 *    meet the base FWD resolved, so it is no longer known apart from the
 *    base struct.  So with `struct b;` and `struct a { struct b *p; }` in
 *    the base, a module defining b keeps its own a and pointer to b (a is
 *    the first struct that meets the base FWD), while a later
 *    `struct k { struct a a; }` that the base has too maps to the base.
 *  - Candidates are tried in libbpf's order, which its hash table gives
 *    (dedup_order_add): each newest first, but reversed each time that
 *    table doubles.  The order matters when a struct is equivalent to an
 *    adjusted split struct and to the base struct that kept it apart.
 *
 * Determinism.  The index is only asked for the first canonical type with a
 * key; its followers are chained in ID order, and a split table's candidate
 * order follows from counts of types.  Hash values and the index layout
 * decide nothing, and no address is hashed.
 *
 * Cost.  Arrays indexed by type ID (records, map, hypot, next: 20 bytes a
 * type, and a byte of flags in a split table), an index holding the
 * canonical types, and pass 5's table of those of one referent (16 bytes
 * a slot, at most half full).  Each CU's graph is walked about once: after a
 * successful walk its structs are mapped, and later walks stop at them.
 * A kernel's 3.4 million types take 0.7 s.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "dedup_int.h"
#include "util.h"

int dedup_pairs_grow(struct dedup_pairs *s)
{
	return util__ensure_cap((void **)&s->v, &s->cap, sizeof(*s->v),
				s->cnt + 1);
}

int dedup_ids_grow(struct dedup_ids *s)
{
	return util__ensure_cap((void **)&s->v, &s->cap, sizeof(*s->v),
				s->cnt + 1);
}

/*
 * The index
 *
 * Keys are type IDs.  Leaves are keyed by their record, structs and unions
 * by their shallow signature and what their members' types must share
 * (dedup_member_key); the other kinds, looked up only once their referents
 * are resolved, by their shallow signature and their referents' canonical
 * IDs (a base record by its own referents: the base does not change).
 * Outside a split table, the records of one referent are not in the index
 * but in d->ref1 (pass 5), under that same key.
 */
static uint32_t dedup_ref_id(const struct dedup *d, uint32_t rec_id,
			     uint32_t id)
{
	return rec_id < d->start_id ? id : dedup_resolve(d, id);
}

/*
 * What every type equivalent to @id shares: the kinds and sizes along its
 * chain of modifiers, pointers and arrays, and the kind and name of the
 * first named type there (struct and FWD alike).  Struct members add it to
 * their struct's key, so the chain of candidates holds only structs that
 * may be equivalent: hundreds of anonymous unions share member names and
 * offsets in a kernel, and differ one level down.
 */
static uint64_t dedup_member_key(const struct dedup *d, uint32_t id)
{
	const struct btf_type *t;
	uint64_t h = 0;
	int steps;

	for (steps = 0; steps < 8; steps++) {
		t = dedup_type(d, id);
		switch (btf_kind(t)) {
		case BTF_KIND_FWD:
			return dedup_mix(dedup_mix(h, btf_kflag(t) ? BTF_KIND_UNION :
						   BTF_KIND_STRUCT), t->name_off);
		case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
			return dedup_mix(dedup_mix(h, BTF_KIND_ENUM), t->name_off);
		case BTF_KIND_STRUCT: case BTF_KIND_UNION:
			h = dedup_mix(dedup_mix(h, btf_kind(t)), t->name_off);
			return t->name_off ? h : dedup_mix(dedup_mix(h, t->info), t->size);
		case BTF_KIND_PTR: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
			h = dedup_mix(dedup_mix(h, t->info), t->name_off);
			id = t->type;
			break;
		case BTF_KIND_ARRAY:
			h = dedup_mix(dedup_mix(h, t->info), btf_array(t)->nelems);
			id = btf_array(t)->type;
			break;
		default:
			return dedup_mix(dedup_mix(h, t->info), t->name_off);
		}
	}
	return h;
}

static uint64_t dedup_members_key(const struct dedup *d, const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);
	uint64_t h = 0;
	unsigned int i;

	for (i = 0; i < btf_vlen(t); i++)
		h = dedup_mix(h, dedup_fold(dedup_member_key(d, m[i].type)));
	return h;
}

static uint32_t dedup_index_hash(long key, void *ctx)
{
	const struct dedup *d = ctx;
	const struct btf_type *t = dedup_type(d, key);
	uint64_t h = dedup_shallow_hash(t);
	struct dedup_refs r;
	unsigned int i;

	if (btf_is_composite(t))
		return dedup_fold(dedup_mix(h, dedup_members_key(d, t)));
	if (dedup_is_leaf(btf_kind(t)))
		return dedup_fold(h);
	dedup_refs_init(&r, t);
	if (r.head)
		h = dedup_mix(h, dedup_ref_id(d, key, *r.head));
	for (i = 0; i < r.n; i++)
		h = dedup_mix(h, dedup_ref_id(d, key, r.vec[i * r.stride]));
	return dedup_fold(h);
}

static bool dedup_index_equal(long a, long b, void *ctx)
{
	const struct dedup *d = ctx;
	const struct btf_type *ta = dedup_type(d, a), *tb = dedup_type(d, b);
	struct dedup_refs ra, rb;
	unsigned int i;

	if (!dedup_shallow_equal(ta, tb))
		return false;
	if (btf_is_composite(ta))
		return dedup_members_key(d, ta) == dedup_members_key(d, tb);
	if (dedup_is_leaf(btf_kind(ta)))
		return true;
	dedup_refs_init(&ra, ta);
	dedup_refs_init(&rb, tb);
	if (ra.head && dedup_ref_id(d, a, *ra.head) != dedup_ref_id(d, b, *rb.head))
		return false;
	for (i = 0; i < ra.n; i++)
		if (dedup_ref_id(d, a, ra.vec[i * ra.stride]) !=
		    dedup_ref_id(d, b, rb.vec[i * rb.stride]))
			return false;
	return true;
}

/* Map @id to the first canonical type equal to it, or make it canonical. */
static int dedup_find_or_add(struct dedup *d, uint32_t id)
{
	long old;
	int err = hmap__insert(d->index, id, id, HMAP_ADD, &old);

	if (err == -EEXIST) {
		d->map[id] = old;
		return 0;
	}
	if (!err)
		d->map[id] = id;
	return err;
}

/* Base structs chain behind the first with their key, like split ones. */
static int dedup_index_base(struct dedup *d, uint32_t id)
{
	long head;
	uint32_t last;
	int err = hmap__insert(d->index, id, id, HMAP_ADD, &head);

	if (err != -EEXIST || !btf_is_composite(dedup_type(d, id)))
		return err == -EEXIST ? 0 : err;
	for (last = head; dedup_next(d, last); last = dedup_next(d, last))
		;
	return hmap__insert(d->chain, last, id, HMAP_ADD, NULL);
}

/*
 * The candidate order of a split table is libbpf's, whose module BTF the
 * output must match.  There the candidates with one key are a list in a
 * hash table holding every base type but VARs and DATASECs, then the split
 * leaves and structs that are canonical, each added at the head of its
 * list.  The table doubles when an entry would fill it past 3/4, and that
 * reverses every list.  So the candidates tried first are those added since
 * the last reversal, newest first, then the others, oldest first
 * (dedup_cands): a type's parity at entry (DEDUP_ODD) and the current
 * parity give its place.
 */
void dedup_order_add(struct dedup *d, uint32_t id)
{
	if (!d->order_cap || (d->order_size + 1) * 4 / 3 > d->order_cap) {
		d->order_cap = d->order_cap ? d->order_cap * 2 : 4;
		d->order_odd = !d->order_odd;
	}
	d->order_size++;
	if (d->order_odd)
		d->flags[id] |= DEDUP_ODD;
}

/*
 * The leaves of a split table that enter the candidate order: each first of
 * its class, and an enum forward declaration only when no enum of its name
 * came before it (there it joins that enum).
 */
static int dedup_order_leaves(struct dedup *d)
{
	struct hmap *enums = hmap__new(hmap_hash_identity, hmap_equal_long, NULL);
	uint32_t id;
	int err = 0;

	if (!enums)
		return -ENOMEM;
	for (id = 1; id < d->type_cnt && !err; id++) {
		const struct btf_type *t = dedup_type(d, id);
		bool first;

		if (!dedup_is_leaf(btf_kind(t)))
			continue;
		if (!btf_is_any_enum(t)) {
			if (id >= d->start_id && dedup_is_canon(d, id))
				dedup_order_add(d, id);
			continue;
		}
		err = hmap__insert(enums, t->name_off, id, HMAP_ADD, NULL);
		first = !err;
		err = err == -EEXIST ? 0 : err;
		if (id >= d->start_id &&
		    (btf_vlen(t) ? dedup_is_canon(d, id) : first))
			dedup_order_add(d, id);
	}
	hmap__free(enums);
	return err;
}

/* @fill 0xff: every entry DEDUP_NONE */
static uint32_t *dedup_alloc_ids(uint32_t cnt, int fill)
{
	uint32_t *v = malloc((size_t)cnt * sizeof(*v));

	if (v)
		memset(v, fill, (size_t)cnt * sizeof(*v));
	return v;
}

/* VAR and DATASEC are never merged: each is its own canonical type */
static bool dedup_is_object(const struct btf_type *t)
{
	return btf_kind(t) == BTF_KIND_VAR || btf_kind(t) == BTF_KIND_DATASEC;
}

static int dedup_init(struct dedup *d, const struct btf_table *tab)
{
	uint32_t id;
	int err = 0;

	memset(d, 0, sizeof(*d));
	d->tab = tab;
	d->start_id = btf_table__start_id(tab);
	d->type_cnt = btf_table__type_cnt(tab);
	d->base_types = malloc((size_t)d->start_id * sizeof(*d->base_types));
	if (!d->base_types)
		return -ENOMEM;
	for (id = 0; id < d->start_id; id++)
		d->base_types[id] = btf_table__type(tab, id);
	d->recs = btf_table__records(tab, &d->offs);
	d->map = dedup_alloc_ids(d->type_cnt, 0xff);
	d->hypot = dedup_alloc_ids(d->type_cnt, 0xff);
	d->chain = hmap__new(hmap_hash_identity, hmap_equal_long, NULL);
	d->index = hmap__new(dedup_index_hash, dedup_index_equal, d);
	if (!d->map || !d->hypot || !d->chain || !d->index)
		return -ENOMEM;
	if (btf_table__base(tab)) {
		d->flags = calloc(d->type_cnt, 1);
		if (!d->flags)
			return -ENOMEM;
	}
	d->map[0] = 0;
	for (id = 1; id < d->start_id; id++)
		d->map[id] = id;
	for (id = 1; id < d->start_id && !err; id++) {
		if (dedup_is_object(dedup_type(d, id)))
			continue;
		dedup_order_add(d, id);
		err = dedup_index_base(d, id);
	}
	for (id = d->start_id; id < d->type_cnt; id++)
		if (dedup_is_object(dedup_type(d, id)))
			d->map[id] = id;
	return err;
}

static void dedup_fini(struct dedup *d)
{
	free(d->base_types);
	free(d->map);
	free(d->hypot);
	hmap__free(d->chain);
	free(d->flags);
	free(d->cands.v);
	hmap__free(d->index);
	free(d->ref1);
	free(d->hypot_keys.v);
	free(d->stack.v);
	free(d->ident_stack.v);
	free(d->ref_stack.v);
}

/* Record @id under @name: the first type of the name, or 0 once two differ */
static int dedup_name_put(struct hmap *names, uint32_t name, uint32_t id)
{
	long old;
	int err = hmap__insert(names, name, id, HMAP_ADD, &old);

	if (err == -EEXIST)
		err = old == id ? 0 : hmap__insert(names, name, 0, HMAP_SET, NULL);
	return err;
}

/*
 * Names of canonical types that @pick accepts -> the type, or 0 when two
 * such types share the name.
 */
static struct hmap *dedup_unique_names(const struct dedup *d,
				       bool (*pick)(const struct btf_type *t))
{
	struct hmap *names = hmap__new(hmap_hash_identity, hmap_equal_long, NULL);
	uint32_t id;
	int err = 0;

	for (id = 1; id < d->type_cnt && names && !err; id++) {
		const struct btf_type *t;

		if (!dedup_is_canon(d, id))
			continue;
		t = dedup_type(d, id);
		if (!t->name_off || !pick(t))
			continue;
		err = dedup_name_put(names, t->name_off, id);
	}
	if (err) {
		hmap__free(names);
		names = NULL;
	}
	return names;
}

static uint32_t dedup_unique_name(const struct hmap *names, uint32_t name_off)
{
	long id;

	return hmap__find(names, name_off, &id) ? 0 : id;
}

static bool dedup_is_enum_fwd(const struct btf_type *t)
{
	return btf_is_any_enum(t) && !btf_vlen(t);
}

static bool dedup_is_full_enum(const struct btf_type *t)
{
	return btf_is_any_enum(t) && btf_vlen(t);
}

/*
 * Whether pass 2 looks @t up by its record.  FWDs wait for pass 4: walks
 * resolve each in its own CU.  In a split table each FWD joins the first
 * like it, base first.  Enum forward declarations come after the others.
 */
static bool dedup_is_prim(const struct dedup *d, const struct btf_type *t)
{
	return dedup_is_leaf(btf_kind(t)) && !dedup_is_enum_fwd(t) &&
	       (btf_kind(t) != BTF_KIND_FWD || dedup_is_split(d));
}

/* Pass 2 */
static int dedup_prims(struct dedup *d)
{
	struct hmap *enums;
	uint32_t id, full;
	int err = 0;

	for (id = d->start_id; id < d->type_cnt && !err; id++)
		if (dedup_is_prim(d, dedup_type(d, id)))
			err = dedup_find_or_add(d, id);
	if (err)
		return err;
	enums = dedup_unique_names(d, dedup_is_full_enum);
	if (!enums)
		return -ENOMEM;
	for (id = d->start_id; id < d->type_cnt && !err; id++) {
		const struct btf_type *t = dedup_type(d, id);

		if (!dedup_is_enum_fwd(t))
			continue;
		full = dedup_unique_name(enums, t->name_off);
		if (full)
			d->map[id] = full;
		else
			err = dedup_find_or_add(d, id);
	}
	hmap__free(enums);
	if (!err && dedup_is_split(d))
		err = dedup_order_leaves(d);
	return err;
}

/*
 * Pass 4 for FWD @id: when no walk resolved it, the only struct/union of
 * its name, else the first FWD like it.  In a split table pass 2 merged
 * FWDs already, and only the first of each class is looked at.
 */
static int dedup_fwd(struct dedup *d, const struct hmap *names, uint32_t id)
{
	uint32_t r = dedup_resolve(d, id), real;
	const struct btf_type *t = dedup_type(d, r);

	if (btf_kind(t) != BTF_KIND_FWD || (dedup_is_split(d) && r != id))
		return 0;
	real = dedup_unique_name(names, t->name_off);
	if (real && btf_kind(dedup_type(d, real)) ==
	    (btf_kflag(t) ? BTF_KIND_UNION : BTF_KIND_STRUCT)) {
		/* a base FWD keeps its own meaning for the base */
		d->map[r >= d->start_id ? r : id] = real;
		return 0;
	}
	return r >= d->start_id ? dedup_find_or_add(d, r) : 0;
}

static int dedup_fwds(struct dedup *d)
{
	struct hmap *names = dedup_unique_names(d, btf_is_composite);
	uint32_t id;
	int err = 0;

	if (!names)
		return -ENOMEM;
	for (id = d->start_id; id < d->type_cnt && !err; id++)
		if (btf_kind(dedup_type(d, id)) == BTF_KIND_FWD)
			err = dedup_fwd(d, names, id);
	hmap__free(names);
	return err;
}

/* Whether pass 5 looks @t up in d->ref1 rather than the index */
static bool dedup_is_ref1(const struct dedup *d, const struct btf_type *t)
{
	if (dedup_is_split(d))
		return false;	/* a split table's base keys by its own IDs */
	switch (btf_kind(t)) {
	case BTF_KIND_PTR: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPEDEF: case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
		return true;
	default:
		return false;
	}
}

static uint32_t dedup_ref1_slot(const struct dedup *d, uint32_t info,
				uint32_t name, uint32_t ref)
{
	uint64_t h = dedup_mix(dedup_mix(dedup_mix(0, info), name), ref);

	return dedup_fold(h) & d->ref1_mask;
}

/* Room for one more in d->ref1, at most half full */
static int dedup_ref1_grow(struct dedup *d)
{
	struct dedup_ref1 *old = d->ref1, *e;
	uint64_t cap = d->ref1_mask ? ((uint64_t)d->ref1_mask + 1) * 2 : 4096;
	uint32_t i, j, old_mask = d->ref1_mask;

	if (((uint64_t)d->nr_ref1 + 1) * 2 <= (uint64_t)d->ref1_mask + 1)
		return 0;
	if (cap > UINT32_MAX)
		return -E2BIG;
	d->ref1 = calloc(cap, sizeof(*d->ref1));
	if (!d->ref1) {
		d->ref1 = old;
		return -ENOMEM;
	}
	d->ref1_mask = cap - 1;
	for (i = 0; old && i <= old_mask; i++) {
		e = &old[i];
		if (!e->id)
			continue;
		for (j = dedup_ref1_slot(d, e->info, e->name, e->ref);
		     d->ref1[j].id; j = (j + 1) & d->ref1_mask)
			;
		d->ref1[j] = *e;
	}
	free(old);
	return 0;
}

/* dedup_find_or_add for a dedup_is_ref1 type */
static int dedup_ref1_find_or_add(struct dedup *d, uint32_t id)
{
	const struct btf_type *t = dedup_type(d, id);
	uint32_t ref = dedup_resolve(d, t->type);
	struct dedup_ref1 *e;
	int err = dedup_ref1_grow(d);
	uint32_t i;

	if (err)
		return err;
	for (i = dedup_ref1_slot(d, t->info, t->name_off, ref); d->ref1[i].id;
	     i = (i + 1) & d->ref1_mask) {
		e = &d->ref1[i];
		if (e->info == t->info && e->name == t->name_off &&
		    e->ref == ref) {
			d->map[id] = e->id;
			return 0;
		}
	}
	d->ref1[i] = (struct dedup_ref1){
		.info = t->info, .name = t->name_off, .ref = ref, .id = id,
	};
	d->nr_ref1++;
	d->map[id] = id;
	return 0;
}

static int dedup_ref_push(struct dedup *d, uint32_t ref)
{
	if (d->map[ref] == DEDUP_BUSY)
		return -ELOOP;
	return d->map[ref] == DEDUP_NONE ? dedup_ids_push(&d->ref_stack, ref) : 0;
}

/* Push the unresolved referents of @id; -ELOOP when one is on the path. */
static int dedup_ref_expand(struct dedup *d, uint32_t id)
{
	struct dedup_refs r;
	unsigned int i;
	int err;

	dedup_refs_init(&r, dedup_type(d, id));
	err = r.head ? dedup_ref_push(d, *r.head) : 0;
	for (i = 0; i < r.n && !err; i++)
		err = dedup_ref_push(d, r.vec[i * r.stride]);
	return err;
}

/* Pass 5 for @root and whatever unresolved types it refers to */
static int dedup_ref(struct dedup *d, uint32_t root)
{
	struct dedup_ids *s = &d->ref_stack;
	uint32_t id;
	int err;

	s->cnt = 0;
	err = dedup_ids_push(s, root);
	while (!err && s->cnt) {
		id = s->v[s->cnt - 1];
		if (d->map[id] == DEDUP_NONE) {
			d->map[id] = DEDUP_BUSY;
			err = dedup_ref_expand(d, id);
			continue;
		}
		s->cnt--;
		if (d->map[id] != DEDUP_BUSY)
			continue;
		err = dedup_is_ref1(d, dedup_type(d, id)) ?
		      dedup_ref1_find_or_add(d, id) : dedup_find_or_add(d, id);
	}
	return err;
}

static int dedup_refs(struct dedup *d)
{
	uint32_t id;
	int err = 0;

	for (id = d->start_id; id < d->type_cnt && !err; id++)
		if (d->map[id] == DEDUP_NONE)
			err = dedup_ref(d, id);
	return err;
}

static uint32_t dedup_new_id(uint32_t id, void *ctx)
{
	const struct dedup *d = ctx;

	return d->hypot[dedup_resolve(d, id)];
}

/*
 * Pass 6.  hypot[] becomes old canonical ID -> new ID, order[] the list of
 * canonical IDs in new-ID order.
 */
static int dedup_compact(struct dedup *d, struct btf_table **out)
{
	const struct btf_table *base = btf_table__base(d->tab);
	struct dedup_ids order = { 0 };
	uint32_t id, c;
	int err = 0;

	for (id = 0; id < d->start_id; id++)
		d->hypot[id] = id;
	for (id = d->start_id; id < d->type_cnt; id++)
		d->hypot[id] = DEDUP_NONE;
	for (id = d->start_id; id < d->type_cnt && !err; id++) {
		c = dedup_resolve(d, id);
		if (d->hypot[c] != DEDUP_NONE)
			continue;
		d->hypot[c] = d->start_id + order.cnt;
		err = dedup_ids_push(&order, c);
	}
	if (!err) {
		*out = base ? btf_table__new_split(base) : btf_table__new();
		if (!*out)
			err = -ENOMEM;
	}
	for (id = 0; id < order.cnt && !err; id++) {
		int n = btf_table__add_copy(*out, d->tab, order.v[id],
					    dedup_new_id, d);

		err = n < 0 ? n : 0;
	}
	free(order.v);
	return err;
}

static int dedup_table(const struct btf_table *tab, struct btf_table **out)
{
	struct dedup d;
	int err;

	*out = NULL;
	err = dedup_init(&d, tab);
	if (!err)
		err = dedup_prims(&d);
	if (!err)
		err = dedup_structs(&d);
	if (!err)
		err = dedup_fwds(&d);
	if (!err)
		err = dedup_refs(&d);
	if (!err)
		err = dedup_compact(&d, out);
	dedup_fini(&d);
	if (err) {
		btf_table__free(*out);
		*out = NULL;
	}
	return err;
}

/*
 * The input: every referenced ID must exist, and every own string offset a
 * record uses must start the first copy of its string, so that offsets
 * compare like strings.
 */
struct dedup_input {
	const struct btf_table *tab;
	uint32_t type_cnt;
	uint32_t str_start;
	size_t strs_len;
	unsigned char *first;	/* bit per own string byte: starts a first copy */
};

static int dedup_ids_ok(const struct btf_type *t, uint32_t type_cnt)
{
	struct dedup_refs r;
	unsigned int i;

	dedup_refs_init(&r, t);
	if (r.head && *r.head >= type_cnt)
		return -EINVAL;
	for (i = 0; i < r.n; i++)
		if (r.vec[i * r.stride] >= type_cnt)
			return -EINVAL;
	return 0;
}

static int dedup_str_ok(uint32_t *off, void *ctx)
{
	const struct dedup_input *in = ctx;
	uint32_t i = *off - in->str_start;

	if (*off < in->str_start)
		return 0;
	return i < in->strs_len && (in->first[i / 8] >> (i % 8) & 1) ? 0 : 1;
}

static int dedup_mark_strs(struct dedup_input *in)
{
	const char *data = btf_table__strs_data(in->tab, &in->strs_len);
	size_t off;

	in->first = calloc(in->strs_len / 8 + 1, 1);
	if (!in->first)
		return -ENOMEM;
	for (off = 0; off < in->strs_len; off += strlen(data + off) + 1)
		if (btf_table__find_str(in->tab, data + off) ==
		    (long)(in->str_start + off))
			in->first[off / 8] |= 1 << (off % 8);
	return 0;
}

/*
 * 0 or -EINVAL; *@strs_ok false when strings must be re-added first.
 * @check_strs false: they are known to be right.
 */
static int dedup_check_input(struct btf_table *tab, bool check_strs,
			     bool *strs_ok)
{
	struct dedup_input in = { .tab = tab };
	uint32_t id;
	int err = 0;

	in.type_cnt = btf_table__type_cnt(tab);
	in.str_start = btf_table__str_start(tab);
	if (check_strs)
		err = dedup_mark_strs(&in);
	*strs_ok = true;
	for (id = btf_table__start_id(tab); id < in.type_cnt && !err; id++) {
		struct btf_type *t = btf_table__type_mut(tab, id);

		err = dedup_ids_ok(t, in.type_cnt);
		if (check_strs && *strs_ok &&
		    btf_rec__visit_strs(t, dedup_str_ok, &in))
			*strs_ok = false;
	}
	free(in.first);
	return err;
}

/* A copy of @tab, IDs kept, strings re-added through the table API */
static int dedup_normalize(const struct btf_table *tab, struct btf_table **out)
{
	const struct btf_table *base = btf_table__base(tab);
	uint32_t id;
	int n = 0;

	*out = base ? btf_table__new_split(base) : btf_table__new();
	if (!*out)
		return -ENOMEM;
	for (id = btf_table__start_id(tab); id < btf_table__type_cnt(tab) && n >= 0; id++)
		n = btf_table__add_copy(*out, tab, id, NULL, NULL);
	return n < 0 ? n : 0;
}

int dedup__run(struct btf_table *tab, const struct dedup_opts *opts)
{
	struct btf_table *norm = NULL, *out = NULL;
	const struct btf_table *src = tab;
	bool strs_ok;
	int err;

	err = dedup_check_input(tab, !opts || !opts->strs_from_table, &strs_ok);
	if (!err && !strs_ok) {
		err = dedup_normalize(tab, &norm);
		src = norm;
	}
	if (!err)
		err = dedup_table(src, &out);
	if (!err) {
		err = btf_table__move(tab, out);
		if (!err)
			out = NULL;
	}
	if (!err)
		err = dedup_split_repeats(tab);
	btf_table__free(out);
	btf_table__free(norm);
	return err;
}

/*
 * Streaming
 * ---------
 *
 * Passes 2 and 3 go over the types in ID order, and in a table the DWARF
 * reader builds, a type reaches only types of its own unit (the FUNCs,
 * VARs and DATASECs come last).  So they can run on each stretch of types
 * as it is appended, while later units are still being read, and do what
 * they do over the whole table, but for enum forward declarations: pass 2
 * resolves one to the only full enum of its name in the whole table, when
 * there is one, and that enum may come in a later unit.
 *
 * So a stretch resolves an enum forward declaration to the only full enum
 * of its name seen so far; with none, to the first one like it (a
 * stand-in), which the full enum, when it comes, then takes over.  Before
 * that no walk can meet the full enum (its unit is not in yet), only the
 * declarations, which all resolve to the stand-in as they would to the
 * enum: the walks go the same way.  What cannot be known yet is checked
 * once the table is complete: every declaration must resolve as pass 2
 * over the whole table would, and a name with unlike declarations (two
 * stand-ins) must not get its full enum later.  Should a check fail, the
 * stream's work is dropped and the table is deduplicated in one go.  A
 * type referring to an ID not appended yet (no table the reader builds has
 * one) drops it too.
 */
struct dedup_stream {
	struct dedup d;
	struct btf_table *tab;
	uint32_t done;		/* types below it went through passes 1-3 */
	size_t cap;		/* of d.map and d.hypot */
	struct hmap *enums;	/* name -> the canonical full enum, 0: several */
	struct hmap *fwds;	/* enum declaration -> the first like it */
	struct hmap *stand_ins;	/* name -> its declarations' stand-in,
				 * 0: several */
	struct dedup_ids enum_fwds;	/* every enum forward declaration */
	struct hmap *composites;	/* name -> the canonical struct or
					 * union, 0: several */
	struct dedup_ids fwds_ids;	/* every FWD */
	int err;		/* the first error: the stream stopped */
};

static int stream_grow(struct dedup_stream *s, uint32_t cnt);

struct dedup_stream *dedup__stream_new(struct btf_table *tab)
{
	struct dedup_stream *s;

	if (btf_table__base(tab) || btf_table__nr_own(tab))
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->tab = tab;
	s->d.tab = tab;
	s->d.start_id = btf_table__start_id(tab);
	s->done = 1;
	s->d.base_types = malloc(sizeof(*s->d.base_types));
	if (s->d.base_types)
		s->d.base_types[0] = btf_table__type(tab, 0);
	s->d.index = hmap__new(dedup_index_hash, dedup_index_equal, &s->d);
	s->d.chain = hmap__new(hmap_hash_identity, hmap_equal_long, NULL);
	s->enums = hmap__new(hmap_hash_identity, hmap_equal_long, NULL);
	s->fwds = hmap__new(dedup_index_hash, dedup_index_equal, &s->d);
	s->stand_ins = hmap__new(hmap_hash_identity, hmap_equal_long, NULL);
	s->composites = hmap__new(hmap_hash_identity, hmap_equal_long, NULL);
	if (!s->d.base_types || !s->d.index || !s->d.chain || !s->enums ||
	    !s->fwds || !s->stand_ins || !s->composites || stream_grow(s, 1)) {
		dedup__stream_free(s);
		return NULL;
	}
	s->d.type_cnt = 1;
	return s;
}

void dedup__stream_free(struct dedup_stream *s)
{
	if (!s)
		return;
	dedup_fini(&s->d);
	hmap__free(s->enums);
	hmap__free(s->fwds);
	hmap__free(s->stand_ins);
	free(s->enum_fwds.v);
	hmap__free(s->composites);
	free(s->fwds_ids.v);
	free(s);
}

/*
 * Room for @cnt types in the per-ID arrays, the entries from d.type_cnt on
 * unprocessed (only those are written, not the spare room, which so stays
 * out of memory)
 */
static int stream_grow(struct dedup_stream *s, uint32_t cnt)
{
	struct dedup *d = &s->d;
	size_t old = d->type_cnt, new_cap;
	void *p;

	if (cnt > s->cap) {
		new_cap = s->cap + s->cap / 2 + 4096;
		if (new_cap < cnt)
			new_cap = cnt;
		if (!(p = realloc(d->map, new_cap * sizeof(*d->map))))
			return -ENOMEM;
		d->map = p;
		if (!(p = realloc(d->hypot, new_cap * sizeof(*d->hypot))))
			return -ENOMEM;
		d->hypot = p;
		s->cap = new_cap;
	}
	memset(d->map + old, 0xff, (cnt - old) * sizeof(*d->map));
	memset(d->hypot + old, 0xff, (cnt - old) * sizeof(*d->hypot));
	d->map[0] = 0;
	return 0;
}

/*
 * Full enum @id became canonical: its name has one more, and when it is
 * the only one so far, it takes over from its declarations' stand-in.
 */
static int stream_full_enum(struct dedup_stream *s, uint32_t id)
{
	uint32_t name = dedup_type(&s->d, id)->name_off;
	long stand_in;
	int err;

	if (!name)
		return 0;
	err = dedup_name_put(s->enums, name, id);
	if (err || hmap__find(s->stand_ins, name, &stand_in))
		return err;
	if (!dedup_unique_name(s->enums, name))
		return 0;
	/* unlike declarations would all have resolved to this one enum */
	if (!stand_in)
		return -EAGAIN;
	s->d.map[stand_in] = id;
	return 0;
}

/* Pass 2 for enum forward declaration @id */
static int stream_enum_fwd(struct dedup_stream *s, uint32_t id)
{
	struct dedup *d = &s->d;
	uint32_t name = dedup_type(d, id)->name_off;
	uint32_t full = dedup_unique_name(s->enums, name);
	long first;
	int err = dedup_ids_push(&s->enum_fwds, id);

	if (err)
		return err;
	if (full) {
		d->map[id] = full;
		return 0;
	}
	err = hmap__insert(s->fwds, id, id, HMAP_ADD, &first);
	if (err == -EEXIST) {
		d->map[id] = first;
		return 0;
	}
	if (err)
		return err;
	d->map[id] = id;
	return name ? dedup_name_put(s->stand_ins, name, id) : 0;
}

/* Passes 1 to 3 for the types appended since the last step */
static int stream_step(struct dedup_stream *s)
{
	struct dedup *d = &s->d;
	uint32_t cnt = btf_table__type_cnt(s->tab), from = s->done, id;
	int err;

	if (cnt <= from)
		return 0;
	err = stream_grow(s, cnt);
	if (err)
		return err;
	/* records move as the table grows */
	d->recs = btf_table__records(s->tab, &d->offs);
	d->type_cnt = cnt;

	for (id = from; id < cnt; id++) {
		const struct btf_type *t = dedup_type(d, id);

		if (dedup_ids_ok(t, cnt))
			return -EINVAL;
		if (dedup_is_object(t))
			d->map[id] = id;
	}
	for (id = from; id < cnt && !err; id++) {
		const struct btf_type *t = dedup_type(d, id);

		if (!dedup_is_prim(d, t))
			continue;
		err = dedup_find_or_add(d, id);
		if (!err && dedup_is_canon(d, id) && dedup_is_full_enum(t))
			err = stream_full_enum(s, id);
	}
	for (id = from; id < cnt && !err; id++)
		if (dedup_is_enum_fwd(dedup_type(d, id)))
			err = stream_enum_fwd(s, id);
	if (!err)
		err = dedup_structs_range(d, from, cnt);
	/* what pass 4 needs, gathered here rather than by a walk over all */
	for (id = from; id < cnt && !err; id++) {
		const struct btf_type *t = dedup_type(d, id);

		if (btf_kind(t) == BTF_KIND_FWD)
			err = dedup_ids_push(&s->fwds_ids, id);
		else if (btf_is_composite(t) && dedup_is_canon(d, id) &&
			 t->name_off)
			err = dedup_name_put(s->composites, t->name_off, id);
	}
	if (!err)
		s->done = cnt;
	return err;
}

void dedup__stream_add(struct dedup_stream *s)
{
	if (!s->err)
		s->err = stream_step(s);
}

/*
 * Whether every enum forward declaration resolves as pass 2 over the whole
 * table resolves it: to the only full enum of its name, or else to the
 * first declaration like it.  The stream's name map holds every canonical
 * full enum by now, as pass 2 has them.
 */
static void stream_enums_hold(struct dedup_stream *s, bool *hold)
{
	struct dedup *d = &s->d;
	uint32_t full, r, id;
	size_t i;

	*hold = true;
	for (i = 0; i < s->enum_fwds.cnt && *hold; i++) {
		id = s->enum_fwds.v[i];
		full = dedup_unique_name(s->enums, dedup_type(d, id)->name_off);
		r = dedup_resolve(d, id);
		*hold = full ? r == full : dedup_is_enum_fwd(dedup_type(d, r));
	}
}

bool dedup__stream_restarted(const struct dedup_stream *s)
{
	return s->err != 0;
}

int dedup__stream_finish(struct dedup_stream *s)
{
	struct dedup_opts opts = { .strs_from_table = true };
	struct btf_table *out = NULL;
	bool hold = false;
	size_t i;
	int err;

	dedup__stream_add(s);
	if (!s->err)
		stream_enums_hold(s, &hold);
	if (s->err || !hold) {
		/* start over, with the stream's memory given back first */
		dedup_fini(&s->d);
		memset(&s->d, 0, sizeof(s->d));
		s->err = s->err ? s->err : -EAGAIN;
		return dedup__run(s->tab, &opts);
	}
	for (i = 0, err = 0; i < s->fwds_ids.cnt && !err; i++)
		err = dedup_fwd(&s->d, s->composites, s->fwds_ids.v[i]);
	if (!err)
		err = dedup_refs(&s->d);
	if (!err)
		err = dedup_compact(&s->d, &out);
	if (!err)
		err = btf_table__move(s->tab, out);
	btf_table__free(err ? out : NULL);
	return err;
}
