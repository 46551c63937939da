// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Structural validation of a type table, per kind, following the rules of
 * Documentation/bpf/btf.rst that need no layout computation.  Used on every
 * BTF we read, so later stages may trust IDs, names and vlen.
 *
 * What is accepted follows the kernel's verifier (kernel/bpf/btf.c, the
 * *_check_meta functions), which is stricter than libbpf's btf__parse:
 * BTF the kernel loads is read, whatever wrote it.  Old pahole versions
 * left INTs without a name (an ARRAY's index type), which the kernel and
 * libbpf accept; typedefs, FWDs, functions and variables need one.
 *
 * Then reference loops, which the kernel rejects too: a type that contains
 * itself by value (a struct member, array element, typedef or modifier
 * chain leading back to it), and a chain of pointers, typedefs and
 * modifiers that leads back to itself (PTR -> CONST -> PTR).  A loop
 * through a pointer into a struct is normal (struct list_head).  Both walks
 * are iterative, linear in the table, and need no recursion, so later
 * stages may follow references without a hop limit ending in a hang.
 */
#include <errno.h>
#include <stdlib.h>

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
	case BTF_KIND_FWD: case BTF_KIND_TYPEDEF: case BTF_KIND_FUNC:
	case BTF_KIND_VAR: case BTF_KIND_DATASEC: case BTF_KIND_DECL_TAG:
	case BTF_KIND_TYPE_TAG:
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

/* Kinds whose kind_flag means nothing: the kernel refuses it set */
static bool kflag_forbidden(unsigned int kind)
{
	switch (kind) {
	case BTF_KIND_INT: case BTF_KIND_PTR: case BTF_KIND_ARRAY:
	case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT: case BTF_KIND_FUNC_PROTO: case BTF_KIND_VAR:
	case BTF_KIND_DATASEC: case BTF_KIND_FLOAT:
		return true;
	default:
		return false;
	}
}

/* As the kernel: any size that holds the bits, one encoding it knows */
static const char *check_int(const struct btf_type *t)
{
	unsigned int enc = btf_int_encoding(t);
	unsigned int bits = btf_int_offset(t) + btf_int_bits(t);

	if (btf_int_data(t) & 0xf0000000u || bits > 128)
		return "INT with bad encoding data";
	if ((bits + 7) / 8 > t->size)
		return "INT bits exceed its size";
	if (enc && enc != BTF_INT_SIGNED && enc != BTF_INT_CHAR && enc != BTF_INT_BOOL)
		return "INT with an unknown encoding";
	return NULL;
}

/* A whole number of bytes, a power of two, no bit offset */
static bool int_is_regular(const struct btf_type *t)
{
	unsigned int bits, bytes;

	/* only an INT has the data word (void's record has none) */
	if (btf_kind(t) != BTF_KIND_INT)
		return false;
	bits = btf_int_bits(t);
	bytes = bits / 8;
	return !(bits % 8) && !btf_int_offset(t) && bytes == t->size && bytes &&
	       !(bytes & (bytes - 1));
}

/*
 * The kernel resolves an ARRAY's index type through typedefs and
 * modifiers (at most 32 of them) to such an INT.  A chain may still loop
 * here (loops are checked later): the hop limit ends it.
 */
static const char *check_array_index(const struct btf_table *tab,
				     const struct btf_type *t)
{
	const struct btf_type *r = btf_table__type(tab, btf_array(t)->index_type);
	int hops;

	for (hops = 0; r && hops < 32; hops++) {
		switch (btf_kind(r)) {
		case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
			r = btf_table__type(tab, r->type);
			continue;
		default:
			break;
		}
		break;
	}
	return r && int_is_regular(r) ? NULL : "ARRAY index type is not an integer";
}

static const char *check_kind(const struct btf_table *tab,
			      const struct btf_type *t)
{
	const struct btf_type *r;

	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		return check_int(t);
	case BTF_KIND_ARRAY:
		return check_array_index(tab, t);
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
	default:
		return NULL;
	}
}

static bool vlen_forbidden(unsigned int kind)
{
	switch (kind) {
	case BTF_KIND_INT: case BTF_KIND_PTR: case BTF_KIND_ARRAY:
	case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG: case BTF_KIND_FWD:
	case BTF_KIND_VAR: case BTF_KIND_FLOAT: case BTF_KIND_DECL_TAG:
		return true;
	default:
		return false;
	}
}

/* What every kind is checked for: its name, vlen and kind_flag */
static const char *check_info(const struct btf_table *tab,
			      const struct btf_type *t)
{
	unsigned int kind = btf_kind(t);
	const char *name = btf_table__str(tab, t->name_off);

	if (name_required(kind) && !*name)
		return "missing name";
	if (name_forbidden(kind) && *name)
		return "name on a kind that cannot have one";
	if (vlen_forbidden(kind) && btf_vlen(t))
		return "non-zero vlen";
	if (kflag_forbidden(kind) && btf_kflag(t))
		return "kind_flag set on a kind that has none";
	return NULL;
}

static bool is_ref_kind(unsigned int kind)
{
	switch (kind) {
	case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

/* Number of by-value references of @t: what its size depends on */
static unsigned int value_edges(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG: case BTF_KIND_ARRAY:
		return 1;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return btf_vlen(t);
	default:
		return 0;
	}
}

static uint32_t value_edge(const struct btf_type *t, unsigned int i)
{
	if (btf_kind(t) == BTF_KIND_ARRAY)
		return btf_array(t)->type;
	if (btf_is_composite(t))
		return btf_members(t)[i].type;
	return t->type;
}

enum { WHITE, GREY, BLACK };

struct dfs_frame {
	uint32_t id;
	uint32_t next;	/* next edge to follow */
};

/*
 * Depth-first over the by-value references of the own types, with an
 * explicit stack: an edge to a type still on the stack closes a loop.
 * Base types cannot refer to the split part, so loops are all own.
 */
static int check_value_loops(const struct btf_table *tab, uint8_t *color,
			     struct dfs_frame *stack, uint32_t *bad_id)
{
	uint32_t start = btf_table__start_id(tab), n = btf_table__nr_own(tab);
	uint32_t root, to;
	size_t sp;

	for (root = 0; root < n; root++) {
		if (color[root] != WHITE)
			continue;
		sp = 0;
		stack[sp++] = (struct dfs_frame){ root, 0 };
		color[root] = GREY;
		while (sp) {
			struct dfs_frame *f = &stack[sp - 1];
			const struct btf_type *t = btf_table__type(tab, start + f->id);

			if (f->next == value_edges(t)) {
				color[f->id] = BLACK;
				sp--;
				continue;
			}
			to = value_edge(t, f->next++);
			if (to < start)
				continue;
			to -= start;
			if (color[to] == GREY) {
				*bad_id = start + to;
				return -ELOOP;
			}
			if (color[to] == WHITE) {
				color[to] = GREY;
				stack[sp++] = (struct dfs_frame){ to, 0 };
			}
		}
	}
	return 0;
}

/*
 * Chains of PTR, typedefs and modifiers: each has one successor, so
 * following each chain once, marking its types with the chain's start,
 * finds every loop in linear time.  @mark is reused (0: not seen).
 */
static int check_ref_loops(const struct btf_table *tab, uint32_t *mark,
			   uint32_t *bad_id)
{
	uint32_t start = btf_table__start_id(tab), n = btf_table__nr_own(tab);
	const struct btf_type *t;
	uint32_t root, id;

	for (root = 0; root < n; root++) {
		id = root;
		while (id < n && !mark[id]) {
			t = btf_table__type(tab, start + id);
			if (!is_ref_kind(btf_kind(t)))
				break;
			mark[id] = root + 1;
			id = t->type < start ? n : t->type - start;
		}
		/* back at a type this walk marked: a loop */
		if (id < n && mark[id] == root + 1) {
			*bad_id = start + id;
			return -ELOOP;
		}
	}
	return 0;
}

static int check_loops(const struct btf_table *tab, uint32_t *bad_id,
		       const char **what)
{
	uint32_t n = btf_table__nr_own(tab);
	struct dfs_frame *stack = malloc((n ? n : 1) * sizeof(*stack));
	uint8_t *color = calloc(n ? n : 1, 1);
	uint32_t *mark = calloc(n ? n : 1, sizeof(*mark));
	int err = -ENOMEM;

	*what = "out of memory";
	if (stack && color && mark) {
		*what = "loop of pointer, typedef and modifier references";
		err = check_ref_loops(tab, mark, bad_id);
	}
	if (!err) {
		*what = "contains itself (a loop of by-value references)";
		err = check_value_loops(tab, color, stack, bad_id);
	}
	free(stack);
	free(color);
	free(mark);
	return err == -ELOOP ? -EINVAL : err;
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
		*what = check_info(tab, t);
		if (!*what)
			*what = check_kind(tab, t);
		if (*what)
			return -EINVAL;
	}
	return check_loops(tab, bad_id, what);
}
