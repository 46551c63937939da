// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kept set: which target types, which members of structs and unions,
 * and which enums' values the output holds.
 *
 * Marking follows what libbpf reads of a matching candidate:
 * - field records: the root and each type along the path, with its
 *   modifiers and typedefs; each member on the path; the last member's
 *   type as far as its size and kind need (array elements, typedef chains,
 *   a struct's size, an enum's name, size and signedness, but not what a
 *   pointer points to);
 * - type records: the root down through pointers, arrays and prototypes,
 *   composites as their size only;
 * - TYPE_MATCHES: composites with all their members, recursively, except
 *   behind pointers where only the name and kind count; enums with their
 *   enumerators;
 * - enum value records: the enum with its enumerators.
 * Each (type, way of marking) is visited once, so cycles end.  Marking
 * recurses along the references; input BTF has no loops without a pointer
 * (btf_table__check), but the depth is still bounded by KEEP_MAX_DEPTH:
 * deeper nesting is refused (-ELOOP) rather than overflowing the stack.
 * The order in which types are first kept is remembered: the output lists
 * them in it (emit.c).  It follows the records and the shapes of the types
 * they reach, never the target's IDs, so a target holding the same types
 * numbered otherwise gives the same output.
 */
#include <errno.h>
#include <stdlib.h>

#include "util.h"
#include "minimize_int.h"

enum {
	KEEP_TYPE = 1 << 0,	/* in the output */
	KEEP_SIZED = 1 << 1,	/* marked as far as size and kind need */
	KEEP_FOLLOW = 1 << 2,	/* marked with pointers followed */
	KEEP_MATCH = 1 << 3,	/* marked whole, for TYPE_MATCHES */
	KEEP_MATCH_PTR = 1 << 4,	/* marked behind a pointer, for TYPE_MATCHES */
	KEEP_VALUES = 1 << 5,	/* an enum's enumerators are kept */
};

/* Far deeper than any real type nests (the kernel resolves at most 32) */
#define KEEP_MAX_DEPTH 1024

struct keep {
	const struct btf_table *tab;
	uint32_t nr;
	uint8_t *flags;		/* per type ID */
	uint8_t **members;	/* per composite ID, one byte per member */
	uint32_t *order;	/* the kept IDs, in the order first marked */
	size_t nr_order;
	size_t order_cap;
	bool no_mem;		/* order could not grow */
};

struct keep *keep__new(const struct btf_table *target)
{
	struct keep *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	k->tab = target;
	k->nr = btf_table__type_cnt(target);
	k->flags = calloc(k->nr, 1);
	k->members = calloc(k->nr, sizeof(*k->members));
	if (!k->flags || !k->members) {
		keep__free(k);
		errno = ENOMEM;
		return NULL;
	}
	return k;
}

void keep__free(struct keep *k)
{
	uint32_t i;

	if (!k)
		return;
	if (k->members)
		for (i = 0; i < k->nr; i++)
			free(k->members[i]);
	free(k->members);
	free(k->flags);
	free(k->order);
	free(k);
}

bool keep__type(const struct keep *k, uint32_t id)
{
	return id && id < k->nr && (k->flags[id] & KEEP_TYPE);
}

int keep__order(const struct keep *k, const uint32_t **order, size_t *nr)
{
	*order = k->order;
	*nr = k->nr_order;
	return k->no_mem ? -ENOMEM : 0;
}

bool keep__member(const struct keep *k, uint32_t id, unsigned int idx)
{
	return id < k->nr && k->members[id] && k->members[id][idx];
}

bool keep__enum_values(const struct keep *k, uint32_t id)
{
	return id < k->nr && (k->flags[id] & KEEP_VALUES);
}

static int keep_member(struct keep *k, uint32_t id, unsigned int idx)
{
	const struct btf_type *t = btf_table__type(k->tab, id);

	if (!t || !btf_is_composite(t) || idx >= btf_vlen(t))
		return -EINVAL;
	if (!k->members[id]) {
		k->members[id] = calloc(btf_vlen(t), 1);
		if (!k->members[id])
			return -ENOMEM;
	}
	k->members[id][idx] = 1;
	return 0;
}

/* Set @how (with KEEP_TYPE) on @id, noting when it is first kept */
static void keep_set(struct keep *k, uint32_t id, uint8_t how)
{
	if (!(k->flags[id] & KEEP_TYPE)) {
		if (util__ensure_cap((void **)&k->order, &k->order_cap,
				     sizeof(*k->order), k->nr_order + 1))
			k->no_mem = true;
		else
			k->order[k->nr_order++] = id;
	}
	k->flags[id] |= how | KEEP_TYPE;
}

/* Set @how on @id; false when it was already set (nothing more to do) */
static bool keep_first(struct keep *k, uint32_t id, uint8_t how)
{
	bool first = !(k->flags[id] & how);

	keep_set(k, id, how);
	return first;
}

static int keep_type(struct keep *k, uint32_t id, bool follow, int depth);

static int keep_proto(struct keep *k, const struct btf_type *t, bool follow,
		      int depth)
{
	unsigned int i;
	int err = keep_type(k, t->type, follow, depth);

	for (i = 0; i < btf_vlen(t) && !err; i++)
		err = keep_type(k, btf_params(t)[i].type, follow, depth);
	return err;
}

/*
 * Keep @id as far as its size and kind need; with @follow also what
 * pointers point to (type-based relocations compare those).
 */
static int keep_type(struct keep *k, uint32_t id, bool follow, int depth)
{
	const struct btf_type *t = btf_table__type(k->tab, id);
	int err;

	if (!id)
		return 0;
	if (!t)
		return -EINVAL;
	if (++depth > KEEP_MAX_DEPTH)
		return -ELOOP;
	/* a visit with pointers followed covers one without */
	if (k->flags[id] & (follow ? KEEP_FOLLOW : KEEP_SIZED | KEEP_FOLLOW))
		return 0;
	keep_set(k, id, follow ? KEEP_FOLLOW : KEEP_SIZED);
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
		return follow ? keep_type(k, t->type, true, depth) : 0;
	case BTF_KIND_TYPEDEF: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG: case BTF_KIND_VAR:
	case BTF_KIND_FUNC:
		return keep_type(k, t->type, follow, depth);
	case BTF_KIND_ARRAY:
		err = keep_type(k, btf_array(t)->type, follow, depth);
		return err ? err : keep_type(k, btf_array(t)->index_type, follow,
					     depth);
	case BTF_KIND_FUNC_PROTO:
		return keep_proto(k, t, follow, depth);
	default:
		return 0;
	}
}

static int keep_match(struct keep *k, uint32_t id, bool behind_ptr, int depth);

static int keep_match_members(struct keep *k, uint32_t id,
			      const struct btf_type *t, int depth)
{
	unsigned int i, n = btf_vlen(t);
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		err = keep_member(k, id, i);
		if (!err)
			err = keep_match(k, btf_members(btf_table__type(k->tab, id))[i].type,
					 false, depth);
	}
	return err;
}

static int keep_match_proto(struct keep *k, uint32_t id, int depth)
{
	const struct btf_type *t = btf_table__type(k->tab, id);
	unsigned int i, n = btf_vlen(t);
	int err = keep_match(k, t->type, false, depth);

	for (i = 0; i < n && !err; i++)
		err = keep_match(k, btf_params(btf_table__type(k->tab, id))[i].type,
				 false, depth);
	return err;
}

/* Keep what TYPE_MATCHES compares of @id */
static int keep_match(struct keep *k, uint32_t id, bool behind_ptr, int depth)
{
	const struct btf_type *t = btf_table__type(k->tab, id);
	int err;

	if (!id)
		return 0;
	if (!t)
		return -EINVAL;
	if (++depth > KEEP_MAX_DEPTH)
		return -ELOOP;
	if (!keep_first(k, id, behind_ptr ? KEEP_MATCH_PTR : KEEP_MATCH))
		return 0;
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return behind_ptr ? 0 : keep_match_members(k, id, t, depth);
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		k->flags[id] |= KEEP_VALUES;
		return 0;
	case BTF_KIND_TYPEDEF: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
		return keep_match(k, t->type, behind_ptr, depth);
	case BTF_KIND_PTR:
		return keep_match(k, t->type, true, depth);
	case BTF_KIND_ARRAY:
		err = keep_match(k, btf_array(t)->type, false, depth);
		return err ? err : keep_type(k, btf_array(t)->index_type, false,
					     depth);
	case BTF_KIND_FUNC_PROTO:
		return keep_match_proto(k, id, depth);
	default:
		return 0;
	}
}

/* The path of a field relocation in the target: root, members, elements */
static int keep_field(struct keep *k, const struct core_spec *s)
{
	const struct btf_type *t;
	uint32_t id = s->root_id;
	int i, err = keep_type(k, id, false, 0);

	for (i = 1; i < s->raw_len && !err; i++) {
		t = core__skip_mods(k->tab, id, &id);
		if (!t)
			return -EINVAL;
		if (btf_is_composite(t)) {
			err = keep_member(k, id, s->raw[i]);
			id = btf_members(t)[s->raw[i]].type;
			if (!err)
				err = keep_type(k, id, false, 0);
		} else if (btf_kind(t) == BTF_KIND_ARRAY) {
			id = btf_array(t)->type;
		} else {
			return -EINVAL;
		}
	}
	return err;
}

static int keep_enumval(struct keep *k, const struct core_spec *s)
{
	uint32_t id;
	int err = keep_type(k, s->root_id, false, 0);

	if (!err && core__skip_mods(k->tab, s->root_id, &id))
		k->flags[id] |= KEEP_VALUES;
	return err;
}

int keep__spec(struct keep *k, const struct core_spec *s)
{
	switch (s->kind) {
	case CORE_TYPE_ID_LOCAL:
		return 0;
	case CORE_TYPE_ID_TARGET: case CORE_TYPE_EXISTS: case CORE_TYPE_SIZE:
		return keep_type(k, s->root_id, true, 0);
	case CORE_TYPE_MATCHES:
		return keep_match(k, s->root_id, false, 0);
	case CORE_ENUMVAL_EXISTS: case CORE_ENUMVAL_VALUE:
		return keep_enumval(k, s);
	default:
		return keep_field(k, s);
	}
}
