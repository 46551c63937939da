// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Distilled base (see btf_distill.h).
 *
 * Three passes over the base IDs the split types refer to:
 * 1. mark: every base type a split type refers to, and what those refer
 *    to in turn, stopping at named structs and unions (their members stay
 *    behind: the relocation matches them by name and size);
 * 2. place: each marked type goes either to the distilled base (what a
 *    relocation matches: named composites and enums, ints, floats,
 *    forwards) or to the end of the new split (what it cannot match:
 *    anonymous types and every type that only refers to others), and gets
 *    its new ID there;
 * 3. copy: the distilled base, then the split types with their IDs mapped
 *    (base IDs to their new places, split IDs shifted down by as much as
 *    the base shrank), then the base types placed in the split.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_distill.h"
#include "util.h"

struct distill {
	const struct btf_table *split;
	uint32_t start;		/* first split ID of the input */
	uint32_t *map;		/* base ID -> new ID; 0 unmarked, MARKED */
	uint32_t *stack;	/* base IDs whose references are to mark */
	size_t nr_stack;
	size_t stack_cap;
	char *rec;		/* a record copy, for walking its IDs */
	size_t rec_cap;
	uint32_t dist_cnt;	/* type count of the distilled base */
	uint32_t in_split;	/* base types placed in the new split */
};

#define MARKED UINT32_MAX

/* Whether a base type of this kind may stand for what a module refers to */
static bool distill_kind_ok(unsigned int kind)
{
	switch (kind) {
	case BTF_KIND_INT: case BTF_KIND_FLOAT: case BTF_KIND_FWD:
	case BTF_KIND_ARRAY: case BTF_KIND_STRUCT: case BTF_KIND_UNION:
	case BTF_KIND_TYPEDEF: case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
	case BTF_KIND_PTR: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
	case BTF_KIND_VOLATILE: case BTF_KIND_FUNC_PROTO:
	case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

/* Matched by name when relocated: the distilled base keeps these */
static bool distill_in_base(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_FLOAT: case BTF_KIND_FWD:
		return true;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		return t->name_off != 0;
	default:
		return false;
	}
}

static int distill_mark_one(uint32_t *id, void *ctx)
{
	struct distill *d = ctx;
	const struct btf_type *t;
	int err;

	if (!*id || *id >= d->start || d->map[*id])
		return 0;
	t = btf_table__type(d->split, *id);
	if (!t || !distill_kind_ok(btf_kind(t)))
		return -EINVAL;
	d->map[*id] = MARKED;
	/* a named composite's members stay behind */
	if (btf_is_composite(t) && t->name_off)
		return 0;
	err = util__ensure_cap((void **)&d->stack, &d->stack_cap,
			       sizeof(*d->stack), d->nr_stack + 1);
	if (!err)
		d->stack[d->nr_stack++] = *id;
	return err;
}

/* Mark what record @id refers to (working on a copy: IDs are not changed) */
static int distill_mark_refs(struct distill *d, uint32_t id)
{
	const struct btf_type *t = btf_table__type(d->split, id);
	size_t len = btf_rec_size(t);
	int err;

	err = util__ensure_cap((void **)&d->rec, &d->rec_cap, 1, len);
	if (err)
		return err;
	memcpy(d->rec, t, len);
	return btf_rec__visit_ids((struct btf_type *)d->rec, distill_mark_one, d);
}

static int distill_mark(struct distill *d)
{
	uint32_t id, cnt = btf_table__type_cnt(d->split);
	int err = 0;

	for (id = d->start; id < cnt && !err; id++) {
		err = distill_mark_refs(d, id);
		while (!err && d->nr_stack)
			err = distill_mark_refs(d, d->stack[--d->nr_stack]);
	}
	return err;
}

/* New IDs: the distilled base in base order, then the split's tail */
static void distill_place(struct distill *d)
{
	uint32_t id, nr_split = btf_table__nr_own(d->split);

	d->dist_cnt = 1;
	for (id = 1; id < d->start; id++)
		if (d->map[id] &&
		    distill_in_base(btf_table__type(d->split, id)))
			d->map[id] = d->dist_cnt++;
	for (id = 1; id < d->start; id++)
		if (d->map[id] == MARKED)
			d->map[id] = d->dist_cnt + nr_split + d->in_split++;
}

static uint32_t distill_map(uint32_t id, void *ctx)
{
	struct distill *d = ctx;

	if (id >= d->start)
		return id - d->start + d->dist_cnt;
	return d->map[id];
}

/* A base type as the distilled base holds it */
static int distill_add_base(struct distill *d, struct btf_table *base,
			    uint32_t id)
{
	const struct btf_type *t = btf_table__type(d->split, id);
	const char *name = btf_table__str(d->split, t->name_off);

	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return btf_table__add_composite(base, btf_kind(t), name, t->size);
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		return btf_table__add_enum(base, BTF_KIND_ENUM, name, t->size,
					   false);
	default:
		return btf_table__add_copy(base, d->split, id, NULL, NULL);
	}
}

static int distill_copy_base(struct distill *d, struct btf_table *base)
{
	uint32_t id;
	int ret = 0;

	for (id = 1; id < d->start && ret >= 0; id++)
		if (d->map[id] && d->map[id] < d->dist_cnt)
			ret = distill_add_base(d, base, id);
	return ret < 0 ? ret : 0;
}

static int distill_copy_split(struct distill *d, struct btf_table *split)
{
	uint32_t id, cnt = btf_table__type_cnt(d->split);
	int ret = 0;

	for (id = d->start; id < cnt && ret >= 0; id++)
		ret = btf_table__add_copy(split, d->split, id, distill_map, d);
	for (id = 1; id < d->start && ret >= 0; id++)
		if (d->map[id] >= d->dist_cnt)
			ret = btf_table__add_copy(split, d->split, id,
						  distill_map, d);
	return ret < 0 ? ret : 0;
}

int btf_distill__split(const struct btf_table *split,
		       struct btf_table **dist_base,
		       struct btf_table **new_split)
{
	struct distill d = { .split = split };
	struct btf_table *base = NULL, *nsplit = NULL;
	int err = -ENOMEM;

	if (!btf_table__base(split))
		return -EINVAL;
	d.start = btf_table__start_id(split);
	d.map = calloc(d.start, sizeof(*d.map));
	if (!d.map)
		goto out;
	err = distill_mark(&d);
	if (err)
		goto out;
	distill_place(&d);
	err = -ENOMEM;
	base = btf_table__new();
	if (!base)
		goto out;
	err = distill_copy_base(&d, base);
	if (err)
		goto out;
	/* the split's IDs and string offsets start where the base ends */
	nsplit = btf_table__new_split(base);
	err = nsplit ? distill_copy_split(&d, nsplit) : -ENOMEM;
out:
	free(d.map);
	free(d.stack);
	free(d.rec);
	if (err) {
		btf_table__free(nsplit);
		btf_table__free(base);
		return err;
	}
	*dist_base = base;
	*new_split = nsplit;
	return 0;
}
