// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The CO-RE matching rules, as libbpf applies them when it relocates a BPF
 * object against a target BTF (Documentation/bpf/llvm_reloc.rst tells what
 * the records mean; libbpf's relo_core.c is the behaviour to reproduce).
 *
 * - Names match by their essential part: "task_struct___old" is
 *   "task_struct"; the flavor after the last "___" is ignored.
 * - An access string "0:2:1" walks from the root type: the first number
 *   indexes the root as an array, each next one a member of a struct or
 *   union (anonymous members are steps of their own) or an array element.
 *   Only named members and array indexes have to be found in the target.
 * - Field-based records match when each named member is found, by name,
 *   through anonymous members, with a compatible type, and array indexes
 *   are in bounds (a trailing zero-length array is flexible).
 * - Type-based records match when the types are compatible (kinds, down
 *   through pointers, arrays and function prototypes); TYPE_MATCHES uses a
 *   stricter relation that also compares members, sizes and enumerators.
 * - Enum-value records match an enumerator by essential name.
 * Every function works on our tables only, and never prints.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minimize_int.h"

#define CORE_MAX_DEPTH 32

static const char *const core_kind_names[CORE_KIND_NR] = {
	[CORE_FIELD_BYTE_OFFSET] = "byte_off",
	[CORE_FIELD_BYTE_SIZE] = "byte_sz",
	[CORE_FIELD_EXISTS] = "field_exists",
	[CORE_FIELD_SIGNED] = "signed",
	[CORE_FIELD_LSHIFT_U64] = "lshift_u64",
	[CORE_FIELD_RSHIFT_U64] = "rshift_u64",
	[CORE_TYPE_ID_LOCAL] = "local_type_id",
	[CORE_TYPE_ID_TARGET] = "target_type_id",
	[CORE_TYPE_EXISTS] = "type_exists",
	[CORE_TYPE_SIZE] = "type_size",
	[CORE_ENUMVAL_EXISTS] = "enumval_exists",
	[CORE_ENUMVAL_VALUE] = "enumval_value",
	[CORE_TYPE_MATCHES] = "type_matches",
};

const char *core__kind_name(unsigned int kind)
{
	return kind < CORE_KIND_NR ? core_kind_names[kind] : "unknown";
}

bool core__kind_is_field(unsigned int kind)
{
	return kind <= CORE_FIELD_RSHIFT_U64;
}

bool core__kind_is_type(unsigned int kind)
{
	return kind == CORE_TYPE_ID_LOCAL || kind == CORE_TYPE_ID_TARGET ||
	       kind == CORE_TYPE_EXISTS || kind == CORE_TYPE_SIZE ||
	       kind == CORE_TYPE_MATCHES;
}

bool core__kind_is_enumval(unsigned int kind)
{
	return kind == CORE_ENUMVAL_EXISTS || kind == CORE_ENUMVAL_VALUE;
}

static bool core_names_equal(const char *a, const char *b)
{
	size_t la = btf__essential_len(a), lb = btf__essential_len(b);

	return la == lb && !strncmp(a, b, la);
}

bool core__kinds_compat(const struct btf_type *a, const struct btf_type *b)
{
	return btf_kind(a) == btf_kind(b) ||
	       (btf_is_any_enum(a) && btf_is_any_enum(b));
}

static bool core_is_mod(unsigned int kind)
{
	return kind == BTF_KIND_CONST || kind == BTF_KIND_VOLATILE ||
	       kind == BTF_KIND_RESTRICT || kind == BTF_KIND_TYPE_TAG ||
	       kind == BTF_KIND_TYPEDEF;
}

const struct btf_type *core__skip_mods(const struct btf_table *tab,
				       uint32_t id, uint32_t *res_id)
{
	const struct btf_type *t = btf_table__type(tab, id);
	int hops = 0;

	while (t && core_is_mod(btf_kind(t))) {
		if (++hops > 256)
			return NULL;	/* a loop: not valid BTF */
		id = t->type;
		t = btf_table__type(tab, id);
	}
	if (res_id)
		*res_id = id;
	return t;
}

int64_t core__resolve_size(const struct btf_table *tab, uint32_t id)
{
	const struct btf_type *t = btf_table__type(tab, id);
	uint64_t nelems = 1;
	int i;

	for (i = 0; i < CORE_MAX_DEPTH && t && id; i++) {
		switch (btf_kind(t)) {
		case BTF_KIND_INT: case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		case BTF_KIND_ENUM: case BTF_KIND_ENUM64: case BTF_KIND_DATASEC:
		case BTF_KIND_FLOAT:
			nelems *= t->size;
			return nelems > UINT32_MAX ? -E2BIG : (int64_t)nelems;
		case BTF_KIND_PTR:
			return nelems * 8 > UINT32_MAX ? -E2BIG : (int64_t)nelems * 8;
		case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG:
		case BTF_KIND_TYPE_TAG:
			id = t->type;
			break;
		case BTF_KIND_ARRAY:
			nelems *= btf_array(t)->nelems;
			if (nelems > UINT32_MAX)
				return -E2BIG;
			id = btf_array(t)->type;
			break;
		default:
			return -EINVAL;
		}
		t = btf_table__type(tab, id);
	}
	return -EINVAL;
}

/* *@bit_off += @idx elements of @sz bytes; -E2BIG past 32 bits, as BTF's are */
static int core_add_elems(uint32_t *bit_off, uint64_t idx, int64_t sz)
{
	uint64_t v;

	if (__builtin_mul_overflow(idx, (uint64_t)sz, &v) ||
	    __builtin_mul_overflow(v, 8, &v) ||
	    __builtin_add_overflow(v, *bit_off, &v) || v > UINT32_MAX)
		return -E2BIG;
	*bit_off = v;
	return 0;
}

/*
 * A zero-length array that is the last member of the struct named by the
 * previous accessor: any index is in bounds.
 */
static bool core_is_flex(const struct btf_table *tab,
			 const struct core_acc *prev, const struct btf_array *a)
{
	if (!prev->name || a->nelems)
		return false;
	return prev->idx == btf_vlen(btf_table__type(tab, prev->type_id)) - 1;
}

/* Parse "0:1:2" into spec->raw */
static int core_parse_access(const char *s, struct core_spec *spec)
{
	unsigned long v;
	char *end;

	if (!*s || *s == ':')
		return -EINVAL;
	while (*s) {
		if (*s == ':')
			s++;
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = strtoul(s, &end, 10);
		if (v > INT32_MAX)
			return -EINVAL;
		if (spec->raw_len == CORE_SPEC_MAX)
			return -E2BIG;
		spec->raw[spec->raw_len++] = v;
		s = end;
		if (*s && *s != ':')
			return -EINVAL;
	}
	return 0;
}

static int core_parse_enumval(const struct btf_table *tab,
			      const struct btf_type *t, struct core_spec *spec,
			      const char **why)
{
	uint32_t idx = spec->raw[0], off;

	if (!btf_is_any_enum(t)) {
		*why = "enum value relocation on a type that is not an enum";
		return -EINVAL;
	}
	if (spec->raw_len > 1 || idx >= btf_vlen(t)) {
		*why = "enumerator index out of range";
		return -EINVAL;
	}
	off = btf_kind(t) == BTF_KIND_ENUM ? btf_enums(t)[idx].name_off :
					      btf_enums64(t)[idx].name_off;
	spec->acc[0].name = btf_table__str(tab, off);
	return 0;
}

/* One step of the access path past the root: a member or an element */
static int core_parse_step(const struct btf_table *tab, struct core_spec *spec,
			   uint32_t *id, uint32_t idx, const char **why)
{
	const struct btf_type *t = core__skip_mods(tab, *id, id);
	struct core_acc *acc = &spec->acc[spec->len];
	const struct btf_member *m;
	const char *name;
	int64_t sz;

	if (t && btf_is_composite(t)) {
		if (idx >= btf_vlen(t)) {
			*why = "member index out of range";
			return -EINVAL;
		}
		m = btf_members(t) + idx;
		spec->bit_off += btf_member_bit_offset(t, idx);
		if (m->name_off) {
			name = btf_table__str(tab, m->name_off);
			if (!name || !*name)
				return -EINVAL;
			*acc = (struct core_acc){ *id, idx, name };
			spec->len++;
		}
		*id = m->type;
		return 0;
	}
	if (t && btf_kind(t) == BTF_KIND_ARRAY) {
		const struct btf_array *a = btf_array(t);
		bool flex = core_is_flex(tab, &spec->acc[spec->len - 1], a);

		if (!core__skip_mods(tab, a->type, id))
			return -EINVAL;
		if (!flex && idx >= a->nelems) {
			*why = "array index out of range";
			return -EINVAL;
		}
		*acc = (struct core_acc){ *id, idx, NULL };
		spec->len++;
		sz = core__resolve_size(tab, *id);
		if (sz < 0)
			return sz;
		if (core_add_elems(&spec->bit_off, idx, sz)) {
			*why = "array element offset does not fit 32 bits";
			return -E2BIG;
		}
		return 0;
	}
	*why = "access steps into a type that is neither struct, union nor array";
	return -EINVAL;
}

int core__parse_spec(const struct btf_table *tab, const struct core_relo *r,
		     const char *access, struct core_spec *spec,
		     const char **why)
{
	const struct btf_type *t;
	uint32_t id;
	int64_t sz;
	int i, err;

	memset(spec, 0, sizeof(*spec));
	spec->tab = tab;
	spec->root_id = r->type_id;
	spec->kind = r->kind;
	*why = "malformed access string";
	if (!access || !*access || *access == ':')
		return -EINVAL;
	if (core__kind_is_type(r->kind))
		return strcmp(access, "0") ? -EINVAL : 0;
	err = core_parse_access(access, spec);
	if (err)
		return err;
	t = core__skip_mods(tab, r->type_id, &id);
	if (!t)
		return -EINVAL;
	spec->acc[0] = (struct core_acc){ id, spec->raw[0], NULL };
	spec->len = 1;
	if (core__kind_is_enumval(r->kind))
		return core_parse_enumval(tab, t, spec, why);
	sz = core__resolve_size(tab, id);
	if (sz < 0) {
		*why = "root type has no size";
		return sz;
	}
	if (core_add_elems(&spec->bit_off, spec->raw[0], sz)) {
		*why = "array element offset does not fit 32 bits";
		return -E2BIG;
	}
	for (i = 1; i < spec->raw_len; i++) {
		err = core_parse_step(tab, spec, &id, spec->raw[i], why);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Compatibility of a local member's type with a target member's type, for
 * field relocations: modifiers and typedefs are skipped, any two composites
 * match, pointers always match, enums and forward declarations by name
 * (or when one is anonymous), ints unless they are old-style bit ranges,
 * arrays by element type.
 */
static int core_fields_compat(const struct btf_table *lt, uint32_t lid,
			      const struct btf_table *tt, uint32_t tid)
{
	const struct btf_type *l, *t;
	const char *ln, *tn;
	int depth;

	for (depth = 0; depth < CORE_MAX_DEPTH; depth++) {
		l = core__skip_mods(lt, lid, &lid);
		t = core__skip_mods(tt, tid, &tid);
		if (!l || !t)
			return -EINVAL;
		if (btf_is_composite(l) && btf_is_composite(t))
			return 1;
		if (!core__kinds_compat(l, t))
			return 0;
		switch (btf_kind(l)) {
		case BTF_KIND_PTR: case BTF_KIND_FLOAT:
			return 1;
		case BTF_KIND_FWD: case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
			ln = btf_table__str(lt, l->name_off);
			tn = btf_table__str(tt, t->name_off);
			return !btf__essential_len(ln) || !btf__essential_len(tn) ||
			       core_names_equal(ln, tn);
		case BTF_KIND_INT:
			return !btf_int_offset(l) && !btf_int_offset(t);
		case BTF_KIND_ARRAY:
			lid = btf_array(l)->type;
			tid = btf_array(t)->type;
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * Find the member named like local accessor @acc in target composite @id,
 * looking into anonymous members, and extend @out with the path to it.
 */
static int core_match_member(const struct core_spec *local,
			     const struct core_acc *acc,
			     const struct btf_table *tt, uint32_t id,
			     struct core_spec *out, uint32_t *next_id)
{
	const struct btf_type *lt = btf_table__type(local->tab, acc->type_id);
	const struct btf_member *lm = btf_members(lt) + acc->idx;
	const struct btf_type *t = core__skip_mods(tt, id, &id);
	unsigned int i, n;
	const char *name;
	int found;

	if (!t)
		return -EINVAL;
	if (!btf_is_composite(t))
		return 0;
	n = btf_vlen(t);
	for (i = 0; i < n; i++) {
		const struct btf_member *m = btf_members(t) + i;
		uint32_t off = btf_member_bit_offset(t, i);

		if (out->raw_len == CORE_SPEC_MAX)
			return -E2BIG;
		out->bit_off += off;
		out->raw[out->raw_len++] = i;
		name = btf_table__str(tt, m->name_off);
		if (!name || !*name) {
			found = core_match_member(local, acc, tt, m->type, out,
						  next_id);
			if (found)
				return found;
		} else if (!strcmp(name, acc->name)) {
			out->acc[out->len++] = (struct core_acc){ id, i, name };
			*next_id = m->type;
			found = core_fields_compat(local->tab, lm->type, tt, m->type);
			if (!found)
				out->len--;
			return found;
		}
		out->bit_off -= off;
		out->raw_len--;
	}
	return 0;
}

/* An array index step of a field path, in the target */
static int core_match_index(const struct core_acc *acc,
			    const struct btf_table *tt, uint32_t *id,
			    const struct btf_type *t, struct core_spec *out,
			    bool first)
{
	int64_t sz;

	if (!first) {
		const struct btf_array *a;

		if (btf_kind(t) != BTF_KIND_ARRAY)
			return 0;
		a = btf_array(t);
		if (!core_is_flex(tt, &out->acc[out->len - 1], a) &&
		    acc->idx >= a->nelems)
			return 0;
		if (!core__skip_mods(tt, a->type, id))
			return -EINVAL;
	}
	if (out->raw_len == CORE_SPEC_MAX)
		return -E2BIG;
	out->acc[out->len++] = (struct core_acc){ *id, acc->idx, NULL };
	out->raw[out->raw_len++] = acc->idx;
	sz = core__resolve_size(tt, *id);
	if (sz < 0)
		return sz;
	if (core_add_elems(&out->bit_off, acc->idx, sz))
		return -E2BIG;
	return 1;
}

static int core_match_field(const struct core_spec *local,
			    const struct btf_table *tt, uint32_t id,
			    struct core_spec *out)
{
	const struct btf_type *t;
	int i, found;

	for (i = 0; i < local->len; i++) {
		t = core__skip_mods(tt, id, &id);
		if (!t)
			return -EINVAL;
		if (local->acc[i].name)
			found = core_match_member(local, &local->acc[i], tt, id,
						  out, &id);
		else
			found = core_match_index(&local->acc[i], tt, &id, t, out,
						 i == 0);
		if (found <= 0)
			return found;
	}
	return 1;
}

static int core_match_enumval(const struct core_spec *local,
			      const struct btf_table *tt, uint32_t id,
			      struct core_spec *out)
{
	const struct btf_type *t = core__skip_mods(tt, id, &id);
	const char *name;
	unsigned int i;
	uint32_t off;

	if (!t || !btf_is_any_enum(t))
		return 0;
	for (i = 0; i < btf_vlen(t); i++) {
		off = btf_kind(t) == BTF_KIND_ENUM ? btf_enums(t)[i].name_off :
						      btf_enums64(t)[i].name_off;
		name = btf_table__str(tt, off);
		if (!name || !core_names_equal(name, local->acc[0].name))
			continue;
		out->acc[0] = (struct core_acc){ id, i, name };
		out->len = 1;
		out->raw[0] = i;
		out->raw_len = 1;
		return 1;
	}
	return 0;
}

/*
 * Type compatibility for type-based relocations: same kind (any enum with
 * any enum), then through modifiers, pointers, arrays and prototypes.
 */
static int core_types_compat(const struct btf_table *lt, uint32_t lid,
			     const struct btf_table *tt, uint32_t tid, int level)
{
	const struct btf_type *l, *t;
	unsigned int i;
	int depth, err;

	l = btf_table__type(lt, lid);
	t = btf_table__type(tt, tid);
	if (!l || !t || !core__kinds_compat(l, t))
		return 0;
	for (depth = 0; depth < CORE_MAX_DEPTH; depth++) {
		l = core__skip_mods(lt, lid, &lid);
		t = core__skip_mods(tt, tid, &tid);
		if (!l || !t)
			return -EINVAL;
		if (!core__kinds_compat(l, t))
			return 0;
		switch (btf_kind(l)) {
		case BTF_KIND_UNKN: case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		case BTF_KIND_ENUM: case BTF_KIND_ENUM64: case BTF_KIND_FWD:
			return 1;
		case BTF_KIND_INT:
			return !btf_int_offset(l) && !btf_int_offset(t);
		case BTF_KIND_PTR:
			lid = l->type;
			tid = t->type;
			continue;
		case BTF_KIND_ARRAY:
			lid = btf_array(l)->type;
			tid = btf_array(t)->type;
			continue;
		case BTF_KIND_FUNC_PROTO:
			if (btf_vlen(l) != btf_vlen(t))
				return 0;
			for (i = 0; i < btf_vlen(l); i++) {
				uint32_t la, ta;

				if (level <= 0)
					return -EINVAL;
				core__skip_mods(lt, btf_params(l)[i].type, &la);
				core__skip_mods(tt, btf_params(t)[i].type, &ta);
				err = core_types_compat(lt, la, tt, ta, level - 1);
				if (err <= 0)
					return err;
			}
			core__skip_mods(lt, l->type, &lid);
			core__skip_mods(tt, t->type, &tid);
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

/* Names for TYPE_MATCHES: an anonymous target matches only anonymous */
static bool core_match_names(const struct btf_table *lt, uint32_t loff,
			     const struct btf_table *tt, uint32_t toff)
{
	const char *ln = btf_table__str(lt, loff), *tn = btf_table__str(tt, toff);

	if (!tn || !*tn)
		return !ln || !*ln;
	return ln && core_names_equal(ln, tn);
}

static uint32_t core_enum_name(const struct btf_type *t, unsigned int i)
{
	return btf_kind(t) == BTF_KIND_ENUM ? btf_enums(t)[i].name_off :
					      btf_enums64(t)[i].name_off;
}

/* Each local enumerator has a target one of the same name; same size */
static int core_enums_match(const struct btf_table *lt, const struct btf_type *l,
			    const struct btf_table *tt, const struct btf_type *t)
{
	unsigned int i, j;

	if (l->size != t->size || btf_vlen(l) > btf_vlen(t))
		return 0;
	for (i = 0; i < btf_vlen(l); i++) {
		for (j = 0; j < btf_vlen(t); j++)
			if (core_match_names(lt, core_enum_name(l, i), tt,
					     core_enum_name(t, j)))
				break;
		if (j == btf_vlen(t))
			return 0;
	}
	return 1;
}

static int core_types_match(const struct btf_table *lt, uint32_t lid,
			    const struct btf_table *tt, uint32_t tid,
			    bool behind_ptr, int level);

/* Each local member has a same-named target member whose type matches */
static int core_composites_match(const struct btf_table *lt,
				 const struct btf_type *l,
				 const struct btf_table *tt,
				 const struct btf_type *t, bool behind_ptr,
				 int level)
{
	unsigned int i, j;
	int err;

	if (btf_vlen(l) > btf_vlen(t))
		return 0;
	for (i = 0; i < btf_vlen(l); i++) {
		const struct btf_member *lm = btf_members(l) + i;

		for (j = 0; j < btf_vlen(t); j++) {
			const struct btf_member *tm = btf_members(t) + j;

			if (!core_match_names(lt, lm->name_off, tt, tm->name_off))
				continue;
			err = core_types_match(lt, lm->type, tt, tm->type,
					       behind_ptr, level - 1);
			if (err < 0)
				return err;
			if (err > 0)
				break;
		}
		if (j == btf_vlen(t))
			return 0;
	}
	return 1;
}

static int core_fwd_match(const struct btf_type *l, const struct btf_type *t,
			  bool behind_ptr)
{
	unsigned int tk = btf_kind(t);

	if (tk == BTF_KIND_FWD)
		return btf_kflag(l) == btf_kflag(t);
	if (!behind_ptr)
		return 0;
	return (tk == BTF_KIND_STRUCT && !btf_kflag(l)) ||
	       (tk == BTF_KIND_UNION && btf_kflag(l));
}

static int core_composite_match(const struct btf_table *lt,
				const struct btf_type *l,
				const struct btf_table *tt,
				const struct btf_type *t, bool behind_ptr,
				int level)
{
	if (behind_ptr) {
		if (btf_kind(l) == btf_kind(t))
			return 1;
		return btf_kind(t) == BTF_KIND_FWD &&
		       (btf_kind(l) == BTF_KIND_UNION) == btf_kflag(t);
	}
	if (btf_kind(l) != btf_kind(t))
		return 0;
	return core_composites_match(lt, l, tt, t, behind_ptr, level);
}

static int core_protos_match(const struct btf_table *lt,
			     const struct btf_type *l,
			     const struct btf_table *tt,
			     const struct btf_type *t, bool behind_ptr,
			     int level)
{
	unsigned int i;
	int err;

	if (btf_kind(t) != BTF_KIND_FUNC_PROTO || btf_vlen(l) != btf_vlen(t))
		return 0;
	for (i = 0; i < btf_vlen(l); i++) {
		err = core_types_match(lt, btf_params(l)[i].type, tt,
				       btf_params(t)[i].type, behind_ptr,
				       level - 1);
		if (err <= 0)
			return err;
	}
	return 1;
}

/*
 * TYPE_MATCHES: after modifiers and typedefs, names must match at every
 * level; kinds must be equal except that a struct or union behind a
 * pointer may match a forward declaration and enum may match enum64.
 */
static int core_types_match(const struct btf_table *lt, uint32_t lid,
			    const struct btf_table *tt, uint32_t tid,
			    bool behind_ptr, int level)
{
	const struct btf_type *l, *t;
	int depth, err;

	if (level <= 0)
		return -EINVAL;
	for (depth = 0; depth < CORE_MAX_DEPTH; depth++) {
		l = core__skip_mods(lt, lid, &lid);
		t = core__skip_mods(tt, tid, &tid);
		if (!l || !t)
			return -EINVAL;
		if (!core_match_names(lt, l->name_off, tt, t->name_off))
			return 0;
		switch (btf_kind(l)) {
		case BTF_KIND_UNKN:
			return btf_kind(t) == BTF_KIND_UNKN;
		case BTF_KIND_FWD:
			return core_fwd_match(l, t, behind_ptr);
		case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
			return btf_is_any_enum(t) && core_enums_match(lt, l, tt, t);
		case BTF_KIND_STRUCT: case BTF_KIND_UNION:
			return core_composite_match(lt, l, tt, t, behind_ptr, level);
		case BTF_KIND_INT:
			return btf_kind(t) == BTF_KIND_INT && l->size == t->size &&
			       (btf_int_encoding(l) & BTF_INT_SIGNED) ==
			       (btf_int_encoding(t) & BTF_INT_SIGNED);
		case BTF_KIND_PTR:
			if (btf_kind(t) != BTF_KIND_PTR)
				return 0;
			behind_ptr = true;
			lid = l->type;
			tid = t->type;
			continue;
		case BTF_KIND_ARRAY:
			if (btf_kind(t) != BTF_KIND_ARRAY ||
			    btf_array(l)->nelems != btf_array(t)->nelems)
				return 0;
			lid = btf_array(l)->type;
			tid = btf_array(t)->type;
			continue;
		case BTF_KIND_FUNC_PROTO:
			err = core_protos_match(lt, l, tt, t, behind_ptr, level);
			if (err <= 0)
				return err;
			lid = l->type;
			tid = t->type;
			continue;
		default:
			return 0;
		}
	}
	return -EINVAL;
}

int core__match(const struct core_spec *local, const struct btf_table *targ,
		uint32_t targ_id, struct core_spec *out)
{
	memset(out, 0, sizeof(*out));
	out->tab = targ;
	out->root_id = targ_id;
	out->kind = local->kind;
	if (local->kind == CORE_TYPE_MATCHES)
		return core_types_match(local->tab, local->root_id, targ, targ_id,
					false, CORE_MAX_DEPTH);
	if (core__kind_is_type(local->kind))
		return core_types_compat(local->tab, local->root_id, targ,
					 targ_id, CORE_MAX_DEPTH);
	if (core__kind_is_enumval(local->kind))
		return core_match_enumval(local, targ, targ_id, out);
	return core_match_field(local, targ, targ_id, out);
}

/* An array element accessor: only offsets and sizes make sense */
static int core_calc_index(const struct core_spec *spec, unsigned int kind,
			   struct core_res *res)
{
	const struct core_acc *acc = &spec->acc[spec->len - 1];
	int64_t sz;

	if (kind != CORE_FIELD_BYTE_OFFSET && kind != CORE_FIELD_BYTE_SIZE)
		return -EINVAL;
	sz = core__resolve_size(spec->tab, acc->type_id);
	if (sz < 0)
		return -EINVAL;
	res->val = kind == CORE_FIELD_BYTE_OFFSET ? spec->bit_off / 8 : sz;
	return 0;
}

/* The smallest power-of-two load covering a bitfield */
static int core_bitfield_load(uint32_t bit_off, uint32_t bit_sz,
			      uint32_t *byte_off, uint32_t *byte_sz)
{
	*byte_off = bit_off / 8 / *byte_sz * *byte_sz;
	while (bit_off + bit_sz - *byte_off * 8 > *byte_sz * 8) {
		if (*byte_sz >= 8)
			return -E2BIG;
		*byte_sz *= 2;
		*byte_off = bit_off / 8 / *byte_sz * *byte_sz;
	}
	return 0;
}

static int core_calc_field(const struct core_spec *spec, unsigned int kind,
			   struct core_res *res)
{
	const struct core_acc *acc = &spec->acc[spec->len - 1];
	const struct btf_type *t, *mt;
	uint32_t byte_off, byte_sz, bit_sz, bit_off = spec->bit_off, mid;
	int64_t sz;
	int err;

	if (!acc->name)
		return core_calc_index(spec, kind, res);
	t = btf_table__type(spec->tab, acc->type_id);
	mt = core__skip_mods(spec->tab, btf_members(t)[acc->idx].type, &mid);
	if (!mt)
		return -EINVAL;
	bit_sz = btf_member_bitfield_size(t, acc->idx);
	if (bit_sz) {
		/* a bitfield of an int or enum: anything else has no size here */
		if (!btf_is_any_enum(mt) && btf_kind(mt) != BTF_KIND_INT)
			return -EINVAL;
		byte_sz = mt->size;
		err = core_bitfield_load(bit_off, bit_sz, &byte_off, &byte_sz);
		if (err)
			return err;
	} else {
		sz = core__resolve_size(spec->tab, mid);
		if (sz < 0)
			return -EINVAL;
		byte_sz = sz;
		byte_off = bit_off / 8;
		bit_sz = byte_sz * 8;
	}
	switch (kind) {
	case CORE_FIELD_BYTE_OFFSET: res->val = byte_off; break;
	case CORE_FIELD_BYTE_SIZE: res->val = byte_sz; break;
	case CORE_FIELD_SIGNED:
		res->val = (btf_is_any_enum(mt) && btf_kflag(mt)) ||
			   (btf_kind(mt) == BTF_KIND_INT &&
			    (btf_int_encoding(mt) & BTF_INT_SIGNED));
		break;
	case CORE_FIELD_LSHIFT_U64:
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		res->val = 64 - (bit_off + bit_sz - byte_off * 8);
#else
		res->val = (8 - byte_sz) * 8 + (bit_off - byte_off * 8);
#endif
		break;
	case CORE_FIELD_RSHIFT_U64: res->val = 64 - bit_sz; break;
	default: return -EINVAL;
	}
	return 0;
}

static int core_calc_type(const struct core_spec *spec, unsigned int kind,
			  struct core_res *res)
{
	int64_t sz;

	if (!spec) {
		res->val = 0;
		return 0;
	}
	switch (kind) {
	case CORE_TYPE_ID_TARGET: res->val = spec->root_id; break;
	case CORE_TYPE_EXISTS: case CORE_TYPE_MATCHES: res->val = 1; break;
	case CORE_TYPE_SIZE:
		sz = core__resolve_size(spec->tab, spec->root_id);
		if (sz < 0)
			return -EINVAL;
		res->val = sz;
		break;
	default: return -EINVAL;
	}
	return 0;
}

static int core_calc_enumval(const struct core_spec *spec, unsigned int kind,
			     struct core_res *res)
{
	const struct btf_type *t;

	if (kind == CORE_ENUMVAL_EXISTS) {
		res->val = spec != NULL;
		return 0;
	}
	if (!spec) {
		res->poison = true;
		return 0;
	}
	t = btf_table__type(spec->tab, spec->acc[0].type_id);
	if (btf_kind(t) == BTF_KIND_ENUM)
		res->val = (uint64_t)(int64_t)btf_enums(t)[spec->acc[0].idx].val;
	else
		res->val = btf_enum64_value(btf_enums64(t) + spec->acc[0].idx);
	return 0;
}

int core__calc(const struct core_spec *spec, unsigned int kind,
	       struct core_res *res)
{
	memset(res, 0, sizeof(*res));
	if (core__kind_is_type(kind))
		return core_calc_type(spec, kind, res);
	if (core__kind_is_enumval(kind))
		return core_calc_enumval(spec, kind, res);
	if (kind == CORE_FIELD_EXISTS) {
		res->val = spec != NULL;
		return 0;
	}
	if (!spec) {
		res->poison = true;
		return 0;
	}
	return core_calc_field(spec, kind, res);
}

static size_t __attribute__((format(printf, 4, 5)))
core_append(char *buf, size_t len, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (at >= len)
		return at;
	va_start(ap, fmt);
	n = vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
	return n < 0 ? at : at + n;
}

void core__format_spec(const struct core_spec *spec, char *buf, size_t len)
{
	const struct btf_type *t = btf_table__type(spec->tab, spec->root_id);
	const char *name = btf_table__str(spec->tab, t->name_off);
	size_t at = 0;
	int i;

	at = core_append(buf, len, at, "%s %s", btf_kind_name(btf_kind(t)),
			 name && *name ? name : "(anon)");
	if (core__kind_is_enumval(spec->kind) && spec->len)
		at = core_append(buf, len, at, "::%s", spec->acc[0].name);
	if (!core__kind_is_field(spec->kind))
		return;
	for (i = 0; i < spec->len; i++) {
		if (spec->acc[i].name)
			at = core_append(buf, len, at, ".%s", spec->acc[i].name);
		else if (i > 0 || spec->acc[i].idx > 0)
			at = core_append(buf, len, at, "[%u]", spec->acc[i].idx);
	}
	if (spec->bit_off % 8)
		core_append(buf, len, at, " @ bit %u", spec->bit_off);
	else
		core_append(buf, len, at, " @ offset %u", spec->bit_off / 8);
}
