// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which proposed functions get a FUNC, decided once every unit is read.
 *
 * A FUNC tells tracing programs (fentry, fexit, kprobes with BTF) the
 * prototype of the code at a symbol.  One that does not hold makes the
 * verifier accept programs that read the wrong registers, so a name is
 * left out when its proposals (every unit's definitions of the name: the
 * out-of-line copy, clones, inline copies in other units) do not all
 * describe the code the same way:
 * - its symbols sit at different addresses: the name is several functions
 *   (two static functions of different units, or a full copy beside a
 *   clone), and a FUNC names only one;
 * - a proposal has a parameter outside the register the ABI gives it, or
 *   lists parameters in another order than its abstract origin: the
 *   compiler changed how the function is called; or it takes a packed
 *   struct on the stack, which the kernel's trampolines cannot place;
 * - the code is a clone (NAME.isra.N, NAME.constprop.N; for clang, a
 *   function marked DW_CC_nocall) whose parameters are not all passed;
 * - with consistent_func, two proposals disagree on the prototype, the
 *   way C's compatibility sees it: qualifiers aside from const count,
 *   structs, unions, enums and typedefs by name, integers by size and
 *   encoding.
 * Otherwise the FUNC takes the prototype of the proposal whose code is at
 * one of the symbols (preferring one whose parameters are all there), else
 * of the first unit's proposal.  FUNCs come in the order their names first
 * appear in the units, after every unit's types.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_int.h"
#include "hmap.h"
#include "msg.h"
#include "util.h"

#define NONE UINT32_MAX
/* Prototypes nest through function pointers; never deeper than this */
#define MAX_MATCH_DEPTH 32

#define KFUNC_TAG "bpf_kfunc"
#define FASTCALL_TAG "bpf_fastcall"
#define KF_FASTCALL (1u << 12)
/* kfunc flags: the return value, first or second argument is an arena's */
#define KF_ARENA_RET (1u << 13)
#define KF_ARENA_ARG1 (1u << 14)
#define KF_ARENA_ARG2 (1u << 15)
#define ARENA_ATTR "address_space(1)"

/* One proposal */
struct fstate {
	uint32_t next;		/* next proposal of the name, or NONE */
	uint8_t flags;		/* enum fn_flags */
	uint64_t addr;
	size_t proto;		/* offset of its FUNC_PROTO in the arena */
	size_t tags;		/* first of its tags */
	size_t nr_tags;
};

/* The proposals of one name */
struct fgroup {
	uint32_t name;
	uint32_t first;
	uint32_t last;
	const struct func_syms *syms;	/* NULL: the file has no symbols */
};

struct fsel {
	const struct dwarf_file *file;
	struct btf_table *tab;
	struct hmap *by_name;		/* name offset -> group */
	struct fgroup *groups;
	size_t nr_groups;
	size_t groups_cap;
	struct fstate *states;
	size_t nr_states;
	size_t states_cap;
	char *arena;			/* FUNC_PROTO records */
	size_t arena_len;
	size_t arena_cap;
	struct fsel_tag *tags;
	size_t nr_tags;
	size_t tags_cap;
};

static uint32_t off_hash(long key, void *ctx)
{
	return hmap_hash_long(key);
}

struct fsel *fsel__new(const struct dwarf_file *f, struct btf_table *tab)
{
	struct fsel *fs = calloc(1, sizeof(*fs));

	if (!fs)
		return NULL;
	fs->file = f;
	fs->tab = tab;
	fs->by_name = hmap__new(off_hash, hmap_equal_long, NULL);
	if (!fs->by_name) {
		fsel__free(fs);
		return NULL;
	}
	return fs;
}

void fsel__free(struct fsel *fs)
{
	if (!fs)
		return;
	hmap__free(fs->by_name);
	free(fs->groups);
	free(fs->states);
	free(fs->arena);
	free(fs->tags);
	free(fs);
}

static int fsel_group(struct fsel *fs, uint32_t name, struct fgroup **out)
{
	struct fgroup *g;
	long v;
	int err;

	if (!hmap__find(fs->by_name, name, &v)) {
		*out = &fs->groups[v];
		return 0;
	}
	err = util__ensure_cap((void **)&fs->groups, &fs->groups_cap,
			       sizeof(*g), fs->nr_groups + 1);
	if (!err)
		err = hmap__insert(fs->by_name, name, fs->nr_groups, HMAP_ADD,
				   NULL);
	if (err)
		return err;
	g = &fs->groups[fs->nr_groups++];
	g->name = name;
	g->first = g->last = NONE;
	g->syms = syms__func(&fs->file->syms, btf_table__str(fs->tab, name));
	*out = g;
	return 0;
}

static int fsel_save_proto(struct fsel *fs, const struct btf_type *proto,
			   size_t *off)
{
	size_t len = btf_rec_size(proto);
	int err;

	err = util__ensure_cap((void **)&fs->arena, &fs->arena_cap, 1,
			       fs->arena_len + len);
	if (err)
		return err;
	memcpy(fs->arena + fs->arena_len, proto, len);
	*off = fs->arena_len;
	fs->arena_len += len;
	return 0;
}

int fsel__add(struct fsel *fs, uint32_t name, const struct btf_type *proto,
	      const struct cu_func *fn, const struct fsel_tag *tags,
	      size_t nr_tags)
{
	struct fgroup *g;
	struct fstate *st;
	int err;

	err = fsel_group(fs, name, &g);
	if (!err)
		err = util__ensure_cap((void **)&fs->states, &fs->states_cap,
				       sizeof(*st), fs->nr_states + 1);
	if (!err)
		err = util__ensure_cap((void **)&fs->tags, &fs->tags_cap,
				       sizeof(*tags), fs->nr_tags + nr_tags);
	if (err)
		return err;
	st = &fs->states[fs->nr_states];
	err = fsel_save_proto(fs, proto, &st->proto);
	if (err)
		return err;
	st->next = NONE;
	st->flags = fn->flags;
	st->addr = fn->addr;
	st->tags = fs->nr_tags;
	st->nr_tags = nr_tags;
	if (nr_tags)
		memcpy(fs->tags + fs->nr_tags, tags, nr_tags * sizeof(*tags));
	fs->nr_tags += nr_tags;
	if (g->last == NONE)
		g->first = fs->nr_states;
	else
		fs->states[g->last].next = fs->nr_states;
	g->last = fs->nr_states++;
	return 0;
}

static const struct btf_type *fsel_proto(const struct fsel *fs,
					 const struct fstate *st)
{
	return (const struct btf_type *)(fs->arena + st->proto);
}

/* A forward declaration is of the kind it declares */
static unsigned int match_kind(const struct btf_type *t)
{
	if (btf_kind(t) == BTF_KIND_FWD)
		return btf_kflag(t) ? BTF_KIND_UNION : BTF_KIND_STRUCT;
	return btf_kind(t);
}

static bool types_match(const struct btf_table *tab, uint32_t a, uint32_t b,
			int depth);

static bool protos_match(const struct btf_table *tab,
			 const struct btf_type *pa, const struct btf_type *pb,
			 int depth)
{
	const struct btf_param *a = btf_params(pa), *b = btf_params(pb);
	unsigned int i, n = btf_vlen(pa);

	if (n != btf_vlen(pb) || !types_match(tab, pa->type, pb->type, depth))
		return false;
	for (i = 0; i < n; i++)
		if (!types_match(tab, a[i].type, b[i].type, depth))
			return false;
	return true;
}

/*
 * Whether types @a and @b of the output table describe the same thing to
 * a caller: see the top of the file.
 */
static bool types_match(const struct btf_table *tab, uint32_t a, uint32_t b,
			int depth)
{
	const struct btf_type *ta, *tb;
	unsigned int ka, kb;

	for (; depth < MAX_MATCH_DEPTH; depth++) {
		if (a == b)
			return true;
		ta = btf_table__type(tab, a);
		tb = btf_table__type(tab, b);
		if (!a || !b || !ta || !tb)
			return false;
		ka = match_kind(ta);
		kb = match_kind(tb);
		if (ka != kb) {
			if (ka != BTF_KIND_CONST && kb != BTF_KIND_CONST)
				return false;
			a = ka == BTF_KIND_CONST ? ta->type : a;
			b = kb == BTF_KIND_CONST ? tb->type : b;
			continue;
		}
		switch (ka) {
		case BTF_KIND_INT:
			return ta->size == tb->size &&
			       btf_int_data(ta) == btf_int_data(tb);
		case BTF_KIND_FLOAT:
			return ta->size == tb->size && ta->name_off == tb->name_off;
		case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64: case BTF_KIND_TYPEDEF:
			return ta->name_off == tb->name_off;
		case BTF_KIND_PTR: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
		case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
			a = ta->type;
			b = tb->type;
			break;
		case BTF_KIND_ARRAY:
			if (btf_array(ta)->nelems != btf_array(tb)->nelems)
				return false;
			a = btf_array(ta)->type;
			b = btf_array(tb)->type;
			break;
		case BTF_KIND_FUNC_PROTO:
			return protos_match(tab, ta, tb, depth + 1);
		default:
			return false;
		}
	}
	return false;
}

/* The code at @st's address is a clone not passed all its parameters */
static bool state_lies(const struct fsel *fs, const struct fgroup *g,
		       const struct fstate *st)
{
	bool clone = false;

	if (!(st->flags & FN_OPTIMIZED_PARMS))
		return false;
	if (st->flags & FN_NOCALL)
		return true;
	return g->syms && syms__func_at(&fs->file->syms, g->syms, st->addr,
					&clone) && clone;
}

/*
 * The proposal whose prototype the FUNC takes: one whose code is at a
 * symbol of the name and that is passed all it declares, else one at a
 * symbol, else the first.
 */
static const struct fstate *fsel_canonical(const struct fsel *fs,
					   const struct fgroup *g)
{
	const struct fstate *first_at = NULL, *st;
	uint32_t i;

	for (i = g->first; g->syms && i != NONE; i = st->next) {
		st = &fs->states[i];
		if (!syms__func_at(&fs->file->syms, g->syms, st->addr, NULL))
			continue;
		if (!state_lies(fs, g, st))
			return st;
		if (!first_at)
			first_at = st;
	}
	return first_at ? first_at : &fs->states[g->first];
}

static bool fsel_consistent(const struct fsel *fs, const struct fgroup *g)
{
	const struct btf_type *p0 = fsel_proto(fs, &fs->states[g->first]);
	uint32_t i;

	for (i = fs->states[g->first].next; i != NONE; i = fs->states[i].next)
		if (!protos_match(fs->tab, p0, fsel_proto(fs, &fs->states[i]), 0))
			return false;
	return true;
}

/*
 * Whether the name gets a FUNC, and from which proposal; else NULL and
 * *@why says why not.
 */
static const struct fstate *fsel_choose(const struct fsel *fs,
					const struct fgroup *g,
					const char **why)
{
	const struct fstate *canon;
	uint8_t flags = 0;
	uint32_t i;

	for (i = g->first; i != NONE; i = fs->states[i].next)
		flags |= fs->states[i].flags;
	if (g->syms && g->syms->ambiguous)
		*why = "its symbols are at different addresses";
	else if (flags & FN_REORDERED)
		*why = "an instance has its parameters in another order";
	else if (flags & FN_UNEXPECTED_REG)
		*why = "a parameter is not in its ABI register";
	else if (flags & FN_PACKED_STACK)
		*why = "a packed struct is passed on the stack";
	else if (fs->file->consistent_funcs && !fsel_consistent(fs, g))
		*why = "its prototypes disagree";
	else
		*why = NULL;
	if (*why)
		return NULL;
	canon = fsel_canonical(fs, g);
	if (!state_lies(fs, g, canon))
		return canon;
	*why = "the compiler changed its signature: a parameter is not passed";
	return NULL;
}

static int fsel_add_tag(struct fsel *fs, uint32_t value, uint32_t id,
			int32_t component_idx)
{
	struct btf_type t[2] = { 0 };

	t[0].name_off = value;
	t[0].info = btf_info(BTF_KIND_DECL_TAG, 0, false);
	t[0].type = id;
	memcpy(&t[1], &component_idx, sizeof(component_idx));
	return btf_table__add_raw(fs->tab, t);
}

/* bpf_kfunc (and bpf_fastcall) on a function of a kfunc set */
static int fsel_kfunc_tags(struct fsel *fs, const struct fgroup *g,
			   const struct fstate *st, uint32_t id)
{
	long kfunc = btf_table__find_str(fs->tab, KFUNC_TAG);
	size_t i;
	int ret;

	if (!fs->file->kfunc_tags || !g->syms || !g->syms->kfunc)
		return 0;
	for (i = 0; kfunc > 0 && i < st->nr_tags; i++)
		if (fs->tags[st->tags + i].value == kfunc &&
		    fs->tags[st->tags + i].component_idx == -1)
			return 0;	/* the source says so already */
	ret = btf_table__add_decl_tag(fs->tab, KFUNC_TAG, id, -1);
	if (ret >= 0 && (g->syms->kfunc_flags & KF_FASTCALL))
		ret = btf_table__add_decl_tag(fs->tab, FASTCALL_TAG, id, -1);
	return ret < 0 ? ret : 0;
}

/*
 * With attributes: where @type is a pointer, a pointer to the same type in
 * the BPF arena's address space instead (a TYPE_TAG "address_space(1)"
 * with kind_flag set, which makes it an attribute, under a new PTR), as
 * pahole writes it for the kfuncs flagged so.  0, or -errno.
 */
static int fsel_arena_ptr(struct fsel *fs, uint32_t *type)
{
	const struct btf_type *t = btf_table__type(fs->tab, *type);
	struct btf_type tag = { 0 }, ptr = { 0 };
	long name;
	int id;

	if (!t || btf_kind(t) != BTF_KIND_PTR)
		return 0;
	tag.type = t->type;	/* before any add moves the table */
	name = btf_table__add_str(fs->tab, ARENA_ATTR);
	if (name < 0)
		return name;
	tag.name_off = name;
	tag.info = btf_info(BTF_KIND_TYPE_TAG, 0, true);
	id = btf_table__add_raw(fs->tab, &tag);
	if (id < 0)
		return id;
	ptr.info = btf_info(BTF_KIND_PTR, 0, false);
	ptr.type = id;
	id = btf_table__add_raw(fs->tab, &ptr);
	if (id < 0)
		return id;
	*type = id;
	return 0;
}

/* The FUNC_PROTO of @st for group @g: its own, or arena-tagged (a copy) */
static int fsel_add_proto(struct fsel *fs, const struct fgroup *g,
			  const struct fstate *st)
{
	const struct btf_type *p = fsel_proto(fs, st);
	uint32_t flags = g->syms && g->syms->kfunc ? g->syms->kfunc_flags : 0;
	struct btf_param *params;
	struct btf_type *copy;
	int id, err = 0;

	if (!fs->file->attributes ||
	    !(flags & (KF_ARENA_RET | KF_ARENA_ARG1 | KF_ARENA_ARG2)))
		return btf_table__add_raw(fs->tab, p);
	copy = malloc(btf_rec_size(p));
	if (!copy)
		return -ENOMEM;
	memcpy(copy, p, btf_rec_size(p));
	params = (struct btf_param *)(copy + 1);
	if (flags & KF_ARENA_RET)
		err = fsel_arena_ptr(fs, &copy->type);
	if (!err && (flags & KF_ARENA_ARG1) && btf_vlen(copy) > 0)
		err = fsel_arena_ptr(fs, &params[0].type);
	if (!err && (flags & KF_ARENA_ARG2) && btf_vlen(copy) > 1)
		err = fsel_arena_ptr(fs, &params[1].type);
	id = err ? err : btf_table__add_raw(fs->tab, copy);
	free(copy);
	return id;
}

static int fsel_emit(struct fsel *fs, const struct fgroup *g,
		     const struct fstate *st)
{
	struct btf_type func = { .name_off = g->name };
	int proto, id, err = 0;
	size_t i;

	proto = fsel_add_proto(fs, g, st);
	if (proto < 0)
		return proto;
	/* the reference encoder marks every function static */
	func.info = btf_info(BTF_KIND_FUNC, BTF_LINKAGE_STATIC, false);
	func.type = proto;
	id = btf_table__add_raw(fs->tab, &func);
	if (id < 0)
		return id;
	for (i = 0; i < st->nr_tags && !err; i++) {
		err = fsel_add_tag(fs, fs->tags[st->tags + i].value, id,
				   fs->tags[st->tags + i].component_idx);
		err = err < 0 ? err : 0;
	}
	return err ? err : fsel_kfunc_tags(fs, g, st, id);
}

int fsel__finish(struct fsel *fs)
{
	const struct fstate *st;
	size_t i;
	int err = 0;

	const char *why;

	for (i = 0; i < fs->nr_groups && !err; i++) {
		st = fsel_choose(fs, &fs->groups[i], &why);
		if (st)
			err = fsel_emit(fs, &fs->groups[i], st);
		else
			msg__info("%s: function '%s' left out: %s", fs->file->path,
				  btf_table__str(fs->tab, fs->groups[i].name), why);
	}
	return err;
}
