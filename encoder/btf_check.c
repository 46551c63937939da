// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Structural validation of a type table, per kind, following the rules of
 * Documentation/bpf/btf.rst that need no layout computation.  Used on every
 * BTF we read, so later stages may trust IDs, names and vlen.
 */
#include <errno.h>

#include "btf_table.h"

struct check_ctx {
	const struct btf_table *tab;
	const char *what;
};

static int check_id(uint32_t *id, void *ctx)
{
	struct check_ctx *c = ctx;

	if (*id >= btf_table__type_cnt(c->tab)) {
		c->what = "type ID out of range";
		return -EINVAL;
	}
	return 0;
}

static int check_str(uint32_t *off, void *ctx)
{
	struct check_ctx *c = ctx;

	if (!btf_table__str(c->tab, *off)) {
		c->what = "string offset out of range";
		return -EINVAL;
	}
	return 0;
}

static bool name_required(unsigned int kind)
{
	switch (kind) {
	case BTF_KIND_INT: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF:
	case BTF_KIND_FUNC: case BTF_KIND_VAR: case BTF_KIND_DATASEC:
	case BTF_KIND_FLOAT: case BTF_KIND_DECL_TAG: case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

static bool name_forbidden(unsigned int kind)
{
	switch (kind) {
	case BTF_KIND_PTR: case BTF_KIND_ARRAY: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_FUNC_PROTO:
		return true;
	default:
		return false;
	}
}

static const char *check_int(const struct btf_type *t)
{
	unsigned int enc = btf_int_encoding(t);

	if (btf_int_data(t) & 0xf0000000u || btf_int_bits(t) > 128)
		return "INT with bad encoding data";
	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8 &&
	    t->size != 16)
		return "INT with bad size";
	if (btf_int_offset(t) + btf_int_bits(t) > t->size * 8)
		return "INT bits exceed its size";
	if (enc & (enc - 1))
		return "INT with more than one encoding";
	return NULL;
}

static const char *check_kind(const struct btf_table *tab,
			      const struct btf_type *t)
{
	const struct btf_type *r;

	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		return check_int(t);
	case BTF_KIND_FLOAT:
		if (t->size != 2 && t->size != 4 && t->size != 8 &&
		    t->size != 12 && t->size != 16)
			return "FLOAT with bad size";
		return NULL;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
			return "enum with bad size";
		return NULL;
	case BTF_KIND_FUNC:
		r = btf_table__type(tab, t->type);
		if (!r || btf_kind(r) != BTF_KIND_FUNC_PROTO)
			return "FUNC does not point to a FUNC_PROTO";
		if (btf_vlen(t) > BTF_LINKAGE_EXTERN)
			return "FUNC with bad linkage";
		return NULL;
	case BTF_KIND_VAR:
		if (btf_var(t)->linkage > BTF_LINKAGE_EXTERN)
			return "VAR with bad linkage";
		return NULL;
	case BTF_KIND_DECL_TAG:
		if (btf_decl_tag(t)->component_idx < -1)
			return "DECL_TAG with bad component index";
		return NULL;
	case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FWD:
		if (btf_vlen(t))
			return "non-zero vlen";
		return NULL;
	default:
		return NULL;
	}
}

int btf_table__check(const struct btf_table *tab, uint32_t *bad_id,
		     const char **what)
{
	struct check_ctx c = { tab, NULL };
	uint32_t id;

	for (id = btf_table__start_id(tab); id < btf_table__type_cnt(tab); id++) {
		/* the visitors only read through the pointer here */
		struct btf_type *t = (struct btf_type *)btf_table__type(tab, id);
		unsigned int kind = btf_kind(t);
		const char *name;

		*bad_id = id;
		if (kind == BTF_KIND_UNKN || kind >= BTF_KIND_NR) {
			*what = "unknown kind";
			return -EINVAL;
		}
		if (btf_rec__visit_strs(t, check_str, &c) ||
		    btf_rec__visit_ids(t, check_id, &c)) {
			*what = c.what;
			return -EINVAL;
		}
		name = btf_table__str(tab, t->name_off);
		if (name_required(kind) && !*name) {
			*what = "missing name";
			return -EINVAL;
		}
		if (name_forbidden(kind) && *name) {
			*what = "name on a kind that cannot have one";
			return -EINVAL;
		}
		*what = check_kind(tab, t);
		if (*what)
			return -EINVAL;
	}
	return 0;
}
