// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writing the kept set as a new table, then folding types that came out
 * identical.
 *
 * Pass 1 copies each kept type in the order it was first kept (keep.c),
 * which does not depend on the target's IDs: structs and unions with
 * their kept members only (original offsets, bitfield sizes and size),
 * enums with or without their enumerators, everything else as it is.  A
 * pointer to a type that is not kept points to void.  IDs of a split
 * target's base stay as they are when the output is split on that base.
 *
 * Trimming makes some types equal that were not ("void *" from many
 * pointers, struct shells of one name and size), so pass 2 partitions the
 * new types: first by their record with every type ID blanked, then by the
 * classes of the types they refer to, until no class splits (the coarsest
 * partition that respects references, so cycles through pointers are
 * handled).  The lowest ID of each class stands for it; the others go.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "util.h"
#include "minimize_int.h"

struct emit {
	const struct keep *k;
	const struct btf_table *target;
	uint32_t first;		/* lowest target ID written */
	uint32_t *map;		/* target ID -> output ID, 0 when not kept */
	uint32_t base_cnt;	/* IDs below are the base's, kept as they are */
	bool bad_ref;
};

static uint32_t emit_map_id(uint32_t id, void *ctx)
{
	struct emit *e = ctx;

	if (id < e->base_cnt)
		return id;
	if (!e->map[id])
		e->bad_ref = true;
	return e->map[id];
}

static int emit_composite(struct emit *e, struct btf_table *out, uint32_t id,
			  const struct btf_type *t)
{
	const char *name = btf_table__str(e->target, t->name_off);
	unsigned int i;
	int new_id, err = 0;

	new_id = btf_table__add_composite(out, btf_kind(t), name, t->size);
	for (i = 0; i < btf_vlen(t) && new_id > 0 && !err; i++) {
		const struct btf_member *m = btf_members(t) + i;

		if (!keep__member(e->k, id, i))
			continue;
		err = btf_table__add_member(out, btf_table__str(e->target, m->name_off),
					    emit_map_id(m->type, e),
					    btf_member_bit_offset(t, i),
					    btf_member_bitfield_size(t, i));
	}
	return err ? err : new_id;
}

static int emit_enum(struct emit *e, struct btf_table *out, uint32_t id,
		     const struct btf_type *t)
{
	const char *name = btf_table__str(e->target, t->name_off);
	bool is64 = btf_kind(t) == BTF_KIND_ENUM64;
	unsigned int i;
	int new_id, err = 0;
	int64_t v;

	new_id = btf_table__add_enum(out, btf_kind(t), name, t->size, btf_kflag(t));
	if (new_id < 0 || !keep__enum_values(e->k, id))
		return new_id;
	for (i = 0; i < btf_vlen(t) && !err; i++) {
		if (is64) {
			v = (int64_t)btf_enum64_value(btf_enums64(t) + i);
			name = btf_table__str(e->target, btf_enums64(t)[i].name_off);
		} else {
			/* stored as 32 bits; reread as the enum's signedness says */
			v = btf_kflag(t) ? (int64_t)btf_enums(t)[i].val :
					   (int64_t)(uint32_t)btf_enums(t)[i].val;
			name = btf_table__str(e->target, btf_enums(t)[i].name_off);
		}
		err = btf_table__add_enum_value(out, name, v);
	}
	return err ? err : new_id;
}

static int emit_one(struct emit *e, struct btf_table *out, uint32_t id)
{
	const struct btf_type *t = btf_table__type(e->target, id);

	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return emit_composite(e, out, id, t);
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		return emit_enum(e, out, id, t);
	case BTF_KIND_PTR:
		if (t->type >= e->base_cnt && !keep__type(e->k, t->type))
			return btf_table__add_ref(out, BTF_KIND_PTR, NULL, 0);
		/* fall through */
	default:
		return btf_table__add_copy(out, e->target, id, emit_map_id, e);
	}
}

static struct btf_table *emit_new_table(const struct btf_table *target,
					bool split)
{
	return split ? btf_table__new_split(btf_table__base(target)) :
		       btf_table__new();
}

/*
 * Pass 1: the kept types of @target from e->first on, in the order they
 * were first kept (see keep.c)
 */
static int emit_pass1(struct emit *e, bool split, struct btf_table **out)
{
	uint32_t next = split ? e->base_cnt : 1;
	struct btf_table *tab = emit_new_table(e->target, split);
	const uint32_t *order;
	size_t i, n;
	int err = 0, new_id;

	if (!tab || keep__order(e->k, &order, &n)) {
		btf_table__free(tab);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (order[i] >= e->first)
			e->map[order[i]] = next++;
	for (i = 0; i < n && !err; i++) {
		if (order[i] < e->first)
			continue;
		new_id = emit_one(e, tab, order[i]);
		if (new_id < 0)
			err = new_id;
		else if ((uint32_t)new_id != e->map[order[i]] || e->bad_ref)
			err = -EINVAL;	/* a kept type refers to a dropped one */
	}
	if (err) {
		btf_table__free(tab);
		return err;
	}
	*out = tab;
	return 0;
}

/* ---- pass 2: fold equal types ---- */

struct fold {
	const struct btf_table *tab;
	uint32_t start;		/* first own ID */
	uint32_t nr;		/* own types */
	char *shapes;		/* each record with its type IDs blanked */
	size_t *shape_off;	/* nr + 1 offsets into shapes */
	uint32_t *refs;		/* each record's type IDs, in field order */
	size_t *ref_off;	/* nr + 1 offsets into refs */
	size_t nr_refs;
	size_t refs_cap;
	uint32_t *cls;		/* own index -> class */
	uint32_t *rep;		/* class -> lowest own index in it */
	uint32_t *new_id;	/* own index -> ID in the folded table */
	bool by_shape;		/* the first round: shapes only */
};

static void fold_free(struct fold *f)
{
	free(f->shapes);
	free(f->shape_off);
	free(f->refs);
	free(f->ref_off);
	free(f->cls);
	free(f->rep);
	free(f->new_id);
}

static int fold_take_ref(uint32_t *id, void *ctx)
{
	struct fold *f = ctx;

	if (util__ensure_cap((void **)&f->refs, &f->refs_cap, sizeof(*f->refs),
			     f->nr_refs + 1))
		return -ENOMEM;
	f->refs[f->nr_refs++] = *id;
	*id = 0;
	return 0;
}

/* Record the shape and the references of every own type of f->tab */
static int fold_prepare(struct fold *f)
{
	size_t len, at = 0;
	const char *data = btf_table__types_data(f->tab, &len);
	uint32_t i;
	int err = 0;

	f->start = btf_table__start_id(f->tab);
	f->nr = btf_table__nr_own(f->tab);
	f->shapes = malloc(len ? len : 1);
	f->shape_off = calloc(f->nr + 1, sizeof(*f->shape_off));
	f->ref_off = calloc(f->nr + 1, sizeof(*f->ref_off));
	f->cls = calloc(f->nr + 1, sizeof(*f->cls));
	f->rep = calloc(f->nr + 1, sizeof(*f->rep));
	f->new_id = calloc(f->nr + 1, sizeof(*f->new_id));
	if (!f->shapes || !f->shape_off || !f->ref_off || !f->cls || !f->rep ||
	    !f->new_id)
		return -ENOMEM;
	if (len)
		memcpy(f->shapes, data, len);
	for (i = 0; i < f->nr && !err; i++) {
		struct btf_type *t = (struct btf_type *)(f->shapes + at);

		f->shape_off[i] = at;
		f->ref_off[i] = f->nr_refs;
		at += btf_rec_size(t);
		err = btf_rec__visit_ids(t, fold_take_ref, f);
	}
	f->shape_off[f->nr] = at;
	f->ref_off[f->nr] = f->nr_refs;
	return err;
}

/* What a reference stands for: void and base IDs as they are, own types
 * by their class */
static uint64_t fold_ref_token(const struct fold *f, uint32_t id)
{
	if (id < f->start)
		return id;
	return 1ull << 32 | f->cls[id - f->start];
}

static uint32_t fold_hash(long key, void *ctx)
{
	const struct fold *f = ctx;
	size_t i;
	uint64_t tok;
	uint32_t h;

	h = hmap_hash_bytes(f->shapes + f->shape_off[key],
			    f->shape_off[key + 1] - f->shape_off[key], 0);
	if (f->by_shape)
		return h;
	h = hmap_hash_long(h ^ f->cls[key]);
	for (i = f->ref_off[key]; i < f->ref_off[key + 1]; i++) {
		tok = fold_ref_token(f, f->refs[i]);
		h = hmap_hash_long((long)(h * 31u) ^ (long)tok);
	}
	return h;
}

static bool fold_equal(long a, long b, void *ctx)
{
	const struct fold *f = ctx;
	size_t la = f->shape_off[a + 1] - f->shape_off[a];
	size_t i, n = f->ref_off[a + 1] - f->ref_off[a];

	if (la != f->shape_off[b + 1] - f->shape_off[b] ||
	    memcmp(f->shapes + f->shape_off[a], f->shapes + f->shape_off[b], la))
		return false;
	if (f->by_shape)
		return true;
	if (f->cls[a] != f->cls[b] || n != f->ref_off[b + 1] - f->ref_off[b])
		return false;
	for (i = 0; i < n; i++)
		if (fold_ref_token(f, f->refs[f->ref_off[a] + i]) !=
		    fold_ref_token(f, f->refs[f->ref_off[b] + i]))
			return false;
	return true;
}

/* One round: classes by (shape or class, classes of references) */
static int fold_round(struct fold *f, uint32_t *nr_cls)
{
	struct hmap *m = hmap__new(fold_hash, fold_equal, f);
	uint32_t *next = calloc(f->nr + 1, sizeof(*next));
	uint32_t i, n = 0;
	long old;
	int err = m && next ? hmap__reserve(m, f->nr) : -ENOMEM;

	for (i = 0; i < f->nr && !err; i++) {
		err = hmap__insert(m, i, n, HMAP_ADD, &old);
		if (!err) {
			next[i] = n++;
		} else if (err == -EEXIST) {
			next[i] = old;
			err = 0;
		}
	}
	hmap__free(m);
	if (!err) {
		memcpy(f->cls, next, f->nr * sizeof(*next));
		*nr_cls = n;
	}
	free(next);
	return err;
}

static int fold_classes(struct fold *f)
{
	uint32_t n = 0, prev;
	int err;

	f->by_shape = true;
	err = fold_round(f, &n);
	f->by_shape = false;
	do {
		prev = n;
		if (!err)
			err = fold_round(f, &n);
	} while (!err && n != prev);
	return err;
}

static uint32_t fold_map_id(uint32_t id, void *ctx)
{
	const struct fold *f = ctx;

	if (id < f->start)
		return id;
	return f->new_id[f->rep[f->cls[id - f->start]]];
}

/* Copy one type per class into a new table, in ID order */
static int fold_copy(struct fold *f, struct btf_table **out)
{
	struct btf_table *tab = btf_table__base(f->tab) ?
		btf_table__new_split(btf_table__base(f->tab)) : btf_table__new();
	uint32_t i, next = f->start;
	int err = tab ? 0 : -ENOMEM, id;

	for (i = f->nr; i-- > 0;)
		f->rep[f->cls[i]] = i;
	for (i = 0; i < f->nr; i++)
		if (f->rep[f->cls[i]] == i)
			f->new_id[i] = next++;
	for (i = 0; i < f->nr && !err; i++) {
		if (f->rep[f->cls[i]] != i)
			continue;
		id = btf_table__add_copy(tab, f->tab, f->start + i, fold_map_id, f);
		if (id < 0)
			err = id;
	}
	if (err) {
		btf_table__free(tab);
		return err;
	}
	*out = tab;
	return 0;
}

static int emit_fold(const struct btf_table *tab, struct btf_table **out)
{
	struct fold f = { .tab = tab };
	int err = fold_prepare(&f);

	if (!err)
		err = fold_classes(&f);
	if (!err)
		err = fold_copy(&f, out);
	fold_free(&f);
	return err;
}

int emit__table(const struct keep *k, const struct btf_table *target,
		bool standalone, struct btf_table **out)
{
	bool split = btf_table__base(target) && !standalone;
	struct emit e = { .k = k, .target = target };
	struct btf_table *tab = NULL;
	int err;

	e.base_cnt = split ? btf_table__start_id(target) : 1;
	e.first = e.base_cnt;
	e.map = calloc(btf_table__type_cnt(target), sizeof(*e.map));
	if (!e.map)
		return -ENOMEM;
	err = emit_pass1(&e, split, &tab);
	free(e.map);
	if (!err)
		err = emit_fold(tab, out);
	btf_table__free(tab);
	return err;
}
