// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * minimize__run on tables built through the API, for what the real
 * kernels and compilers at hand do not exercise: TYPE_TAG on a member's
 * path, a FWD target, pointers to unneeded types folded into one "void *",
 * candidates that disagree (libbpf rejects those), keeping every matching
 * candidate (libbpf's shrinking candidate list depends on the order it
 * meets records in), enums kept whole only when their values are read, a
 * split target (base first, split output or standalone), bad access
 * strings, a deterministic output, and which records a target without
 * functions and variables can resolve.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_io.h"
#include "msg.h"
#include "minimize/minimize_int.h"

static int failures;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
			__LINE__, #cond);				\
		failures++;						\
	}								\
} while (0)

static struct btf_table *must(struct btf_table *t)
{
	if (!t) {
		perror("btf_table__new");
		exit(1);
	}
	return t;
}

/* A relocation on local type @type_id with access string @access */
static void relo(struct minimize_obj *obj, const char *sec, uint32_t type_id,
		 const char *access, unsigned int kind)
{
	struct core_relo r = { 0, type_id, 0, kind };
	long off = btf_table__add_str(obj->btf, access);

	r.access_str_off = off;
	if (off < 0 || minimize_obj__add_relo(obj, sec, &r)) {
		fprintf(stderr, "cannot add relocation %s\n", access);
		exit(1);
	}
}

static int run(const struct btf_table *target, struct minimize_obj *obj,
	       bool standalone, struct btf_table **out)
{
	struct minimize_opts opts = { .standalone = standalone };

	return minimize__run(target, &obj, 1, &opts, out);
}

/* The ID of the own type named @name of @kind, or 0 */
static uint32_t find(const struct btf_table *tab, unsigned int kind,
		     const char *name)
{
	uint32_t id;

	for (id = btf_table__start_id(tab); id < btf_table__type_cnt(tab); id++)
		if (btf_kind(btf_table__type(tab, id)) == kind &&
		    !strcmp(btf_table__name(tab, id), name))
			return id;
	return 0;
}

static unsigned int count_kind(const struct btf_table *tab, unsigned int kind)
{
	uint32_t counts[BTF_KIND_NR];

	btf_table__count_kinds(tab, counts);
	return counts[kind];
}

/*
 * struct s { int __rcu_tag *a; struct other *b; struct other *c; } where
 * the two plain pointers are distinct records: accessing a and b keeps the
 * tag chain and one "void *".
 */
static void test_tag_and_void_pointers(void)
{
	struct btf_table *t = must(btf_table__new()), *l = must(btf_table__new());
	struct btf_table *out = NULL;
	struct minimize_obj *obj;
	const struct btf_type *s;
	uint32_t id;

	btf_table__add_int(t, "int", 4, BTF_INT_SIGNED, 32);		/* 1 */
	btf_table__add_composite(t, BTF_KIND_STRUCT, "other", 4);	/* 2 */
	btf_table__add_member(t, "y", 1, 0, 0);
	btf_table__add_ref(t, BTF_KIND_PTR, NULL, 2);			/* 3 */
	btf_table__add_ref(t, BTF_KIND_TYPE_TAG, "rcu", 3);		/* 4 */
	btf_table__add_ref(t, BTF_KIND_PTR, NULL, 2);			/* 5 */
	btf_table__add_composite(t, BTF_KIND_STRUCT, "s", 24);		/* 6 */
	btf_table__add_member(t, "a", 4, 0, 0);
	btf_table__add_member(t, "b", 3, 64, 0);
	btf_table__add_member(t, "c", 5, 128, 0);

	btf_table__add_int(l, "int", 4, BTF_INT_SIGNED, 32);		/* 1 */
	btf_table__add_composite(l, BTF_KIND_STRUCT, "other", 4);	/* 2 */
	btf_table__add_ref(l, BTF_KIND_PTR, NULL, 2);			/* 3 */
	btf_table__add_composite(l, BTF_KIND_STRUCT, "s", 24);		/* 4 */
	btf_table__add_member(l, "a", 3, 0, 0);
	btf_table__add_member(l, "b", 3, 64, 0);
	btf_table__add_member(l, "c", 3, 128, 0);
	obj = minimize_obj__new("tags.o", l);
	relo(obj, "kprobe/a", 4, "0:0", CORE_FIELD_BYTE_OFFSET);
	relo(obj, "kprobe/a", 4, "0:2", CORE_FIELD_BYTE_OFFSET);

	CHECK(run(t, obj, false, &out) == 0);
	CHECK(out && btf_table__nr_own(out) == 3);
	CHECK(out && count_kind(out, BTF_KIND_PTR) == 1);
	CHECK(out && count_kind(out, BTF_KIND_TYPE_TAG) == 1);
	CHECK(out && !find(out, BTF_KIND_STRUCT, "other"));
	id = out ? find(out, BTF_KIND_STRUCT, "s") : 0;
	CHECK(id);
	if (id) {
		s = btf_table__type(out, id);
		CHECK(s->size == 24 && btf_vlen(s) == 2);
		CHECK(btf_member_bit_offset(s, 1) == 128);
		/* both members point, through the tag or not, to "void *" */
		CHECK(btf_kind(btf_table__type(out, btf_members(s)[0].type)) ==
		      BTF_KIND_TYPE_TAG);
		CHECK(btf_table__type(out, btf_table__type(out, btf_members(s)[0].type)->type) ==
		      btf_table__type(out, btf_members(s)[1].type));
		CHECK(btf_table__type(out, btf_members(s)[1].type)->type == 0);
	}
	btf_table__free(out);
	minimize__free_obj(obj);
	btf_table__free(t);
}

/* A FWD candidate; TYPE_SIZE follows pointers to a struct's size */
static void test_fwd_and_type_size(void)
{
	struct btf_table *t = must(btf_table__new()), *l = must(btf_table__new());
	struct btf_table *out = NULL;
	struct minimize_obj *obj;
	uint32_t id;

	btf_table__add_fwd(t, "opaque", false);				/* 1 */
	btf_table__add_composite(t, BTF_KIND_STRUCT, "big", 64);	/* 2 */
	btf_table__add_member(t, "x", 0, 0, 0);
	btf_table__add_ref(t, BTF_KIND_PTR, NULL, 2);			/* 3 */
	btf_table__add_ref(t, BTF_KIND_TYPEDEF, "big_p", 3);		/* 4 */

	btf_table__add_fwd(l, "opaque", false);				/* 1 */
	btf_table__add_composite(l, BTF_KIND_STRUCT, "big", 8);	/* 2 */
	btf_table__add_ref(l, BTF_KIND_PTR, NULL, 2);			/* 3 */
	btf_table__add_ref(l, BTF_KIND_TYPEDEF, "big_p", 3);		/* 4 */
	obj = minimize_obj__new("fwd.o", l);
	relo(obj, "kprobe/a", 1, "0", CORE_TYPE_EXISTS);
	relo(obj, "kprobe/a", 4, "0", CORE_TYPE_SIZE);

	CHECK(run(t, obj, false, &out) == 0);
	CHECK(out && find(out, BTF_KIND_FWD, "opaque"));
	id = out ? find(out, BTF_KIND_STRUCT, "big") : 0;
	CHECK(id && btf_table__type(out, id)->size == 64 &&
	      btf_vlen(btf_table__type(out, id)) == 0);
	CHECK(out && find(out, BTF_KIND_TYPEDEF, "big_p"));
	btf_table__free(out);
	minimize__free_obj(obj);
	btf_table__free(t);
}

/* Two flavors with the field at different offsets: rejected */
static void test_ambiguity(void)
{
	struct btf_table *t = must(btf_table__new()), *l = must(btf_table__new());
	struct btf_table *out = NULL;
	struct minimize_obj *obj;

	btf_table__add_int(t, "int", 4, BTF_INT_SIGNED, 32);
	btf_table__add_composite(t, BTF_KIND_STRUCT, "amb", 8);
	btf_table__add_member(t, "a", 1, 0, 0);
	btf_table__add_member(t, "x", 1, 32, 0);
	btf_table__add_composite(t, BTF_KIND_STRUCT, "amb___v2", 4);
	btf_table__add_member(t, "x", 1, 0, 0);

	btf_table__add_int(l, "int", 4, BTF_INT_SIGNED, 32);
	btf_table__add_composite(l, BTF_KIND_STRUCT, "amb", 8);
	btf_table__add_member(l, "a", 1, 0, 0);
	btf_table__add_member(l, "x", 1, 32, 0);
	obj = minimize_obj__new("amb.o", l);
	relo(obj, "kprobe/a", 2, "0:1", CORE_FIELD_BYTE_OFFSET);

	CHECK(run(t, obj, false, &out) == -EINVAL);
	CHECK(!out);
	minimize__free_obj(obj);
	btf_table__free(t);
}

/*
 * foo.a matches both flavors, foo.b only the second.  Keeping only the
 * first match of each record (foo {a}, foo___2 {b}) would make libbpf,
 * which drops foo___2 after foo.a fails on it, miss foo.b: every match is
 * kept, so foo___2 keeps both members.
 */
static void test_all_matches_kept(void)
{
	struct btf_table *t = must(btf_table__new()), *l = must(btf_table__new());
	struct btf_table *out = NULL;
	struct minimize_obj *obj;
	uint32_t id;

	btf_table__add_int(t, "int", 4, BTF_INT_SIGNED, 32);
	btf_table__add_composite(t, BTF_KIND_STRUCT, "foo", 4);
	btf_table__add_member(t, "a", 1, 0, 0);
	btf_table__add_composite(t, BTF_KIND_STRUCT, "foo___2", 8);
	btf_table__add_member(t, "a", 1, 0, 0);
	btf_table__add_member(t, "b", 1, 32, 0);

	btf_table__add_int(l, "int", 4, BTF_INT_SIGNED, 32);
	btf_table__add_composite(l, BTF_KIND_STRUCT, "foo", 8);
	btf_table__add_member(l, "a", 1, 0, 0);
	btf_table__add_member(l, "b", 1, 32, 0);
	obj = minimize_obj__new("prune.o", l);
	relo(obj, "kprobe/a", 2, "0:0", CORE_FIELD_BYTE_OFFSET);
	relo(obj, "kprobe/a", 2, "0:1", CORE_FIELD_BYTE_OFFSET);

	CHECK(run(t, obj, false, &out) == 0);
	id = out ? find(out, BTF_KIND_STRUCT, "foo___2") : 0;
	CHECK(id && btf_vlen(btf_table__type(out, id)) == 2);
	id = out ? find(out, BTF_KIND_STRUCT, "foo") : 0;
	CHECK(id && btf_vlen(btf_table__type(out, id)) == 1);
	btf_table__free(out);
	minimize__free_obj(obj);
	btf_table__free(t);
}

/* An enum as a member's type is a shell; an enum value read keeps all */
static void test_enums(void)
{
	struct btf_table *t = must(btf_table__new()), *l = must(btf_table__new());
	struct btf_table *out = NULL;
	struct minimize_obj *obj;
	uint32_t id;

	btf_table__add_enum(t, BTF_KIND_ENUM, "color", 4, false);	/* 1 */
	btf_table__add_enum_value(t, "RED", 0);
	btf_table__add_enum_value(t, "GREEN", 1);
	btf_table__add_composite(t, BTF_KIND_STRUCT, "paint", 4);	/* 2 */
	btf_table__add_member(t, "c", 1, 0, 0);
	btf_table__add_enum(t, BTF_KIND_ENUM64, "big", 8, false);	/* 3 */
	btf_table__add_enum_value(t, "HUGE", 1ll << 40);

	btf_table__add_enum(l, BTF_KIND_ENUM, "color", 4, false);	/* 1 */
	btf_table__add_enum_value(l, "RED", 0);
	btf_table__add_composite(l, BTF_KIND_STRUCT, "paint", 4);	/* 2 */
	btf_table__add_member(l, "c", 1, 0, 0);
	btf_table__add_enum(l, BTF_KIND_ENUM, "big", 4, false);	/* 3 */
	btf_table__add_enum_value(l, "HUGE", 1);
	obj = minimize_obj__new("enum.o", l);
	relo(obj, "kprobe/a", 2, "0:0", CORE_FIELD_SIGNED);

	CHECK(run(t, obj, false, &out) == 0);
	id = out ? find(out, BTF_KIND_ENUM, "color") : 0;
	CHECK(id && btf_vlen(btf_table__type(out, id)) == 0);
	btf_table__free(out);
	out = NULL;

	relo(obj, "kprobe/a", 3, "0", CORE_ENUMVAL_VALUE);
	relo(obj, "kprobe/a", 1, "0", CORE_ENUMVAL_EXISTS);
	CHECK(run(t, obj, false, &out) == 0);
	id = out ? find(out, BTF_KIND_ENUM, "color") : 0;
	CHECK(id && btf_vlen(btf_table__type(out, id)) == 2);
	id = out ? find(out, BTF_KIND_ENUM64, "big") : 0;
	CHECK(id && btf_enum64_value(btf_enums64(btf_table__type(out, id))) ==
	      1ull << 40);
	btf_table__free(out);
	minimize__free_obj(obj);
	btf_table__free(t);
}

/*
 * Split target: "shared" exists in the base and in the split part; only
 * the base's is a candidate.  "mod" exists only in the split part.
 */
static void test_split(void)
{
	struct btf_table *base = must(btf_table__new()), *t, *l = must(btf_table__new());
	struct btf_table *out = NULL;
	struct minimize_obj *obj;
	uint32_t id;

	btf_table__add_int(base, "int", 4, BTF_INT_SIGNED, 32);	/* 1 */
	btf_table__add_composite(base, BTF_KIND_STRUCT, "shared", 4);	/* 2 */
	btf_table__add_member(base, "v", 1, 0, 0);
	t = must(btf_table__new_split(base));
	btf_table__add_composite(t, BTF_KIND_STRUCT, "shared", 8);	/* 3 */
	btf_table__add_member(t, "w", 1, 0, 0);
	btf_table__add_member(t, "v", 1, 32, 0);
	btf_table__add_composite(t, BTF_KIND_STRUCT, "mod", 12);	/* 4 */
	btf_table__add_member(t, "s", 2, 0, 0);
	btf_table__add_member(t, "z", 1, 64, 0);

	btf_table__add_int(l, "int", 4, BTF_INT_SIGNED, 32);		/* 1 */
	btf_table__add_composite(l, BTF_KIND_STRUCT, "shared", 4);	/* 2 */
	btf_table__add_member(l, "v", 1, 0, 0);
	btf_table__add_composite(l, BTF_KIND_STRUCT, "mod", 12);	/* 3 */
	btf_table__add_member(l, "z", 1, 64, 0);
	obj = minimize_obj__new("split.o", l);
	relo(obj, "kprobe/a", 2, "0:0", CORE_FIELD_BYTE_OFFSET);
	relo(obj, "kprobe/a", 3, "0:0", CORE_FIELD_BYTE_OFFSET);

	CHECK(run(t, obj, false, &out) == 0);
	CHECK(out && btf_table__base(out) == base);
	CHECK(out && btf_table__nr_own(out) == 1);
	id = out ? find(out, BTF_KIND_STRUCT, "mod") : 0;
	CHECK(id == btf_table__start_id(t));
	CHECK(id && btf_members(btf_table__type(out, id))[0].type == 1);
	btf_table__free(out);
	out = NULL;

	CHECK(run(t, obj, true, &out) == 0);
	CHECK(out && !btf_table__base(out));
	id = out ? find(out, BTF_KIND_STRUCT, "shared") : 0;
	CHECK(id && btf_table__type(out, id)->size == 4);
	CHECK(out && count_kind(out, BTF_KIND_STRUCT) == 2);
	btf_table__free(out);
	minimize__free_obj(obj);
	btf_table__free(t);
	btf_table__free(base);
}

/* Access strings libbpf cannot parse: the run fails */
static void test_bad_access(void)
{
	static const char *const bad[] = { "0:5", "x", "0::1", ":0", "1:" };
	struct btf_table *t = must(btf_table__new());
	struct btf_table *out;
	struct minimize_obj *obj;
	struct btf_table *l;
	size_t i;

	btf_table__add_int(t, "int", 4, BTF_INT_SIGNED, 32);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		l = must(btf_table__new());
		btf_table__add_int(l, "int", 4, BTF_INT_SIGNED, 32);
		btf_table__add_composite(l, BTF_KIND_STRUCT, "s", 4);
		btf_table__add_member(l, "a", 1, 0, 0);
		obj = minimize_obj__new("bad.o", l);
		relo(obj, "kprobe/a", 2, bad[i], CORE_FIELD_BYTE_OFFSET);
		out = NULL;
		CHECK(run(t, obj, false, &out) == -EINVAL);
		btf_table__free(out);
		minimize__free_obj(obj);
	}
	btf_table__free(t);
}

/* Eight structs s0..s7 of two int members, in order or in reverse */
static struct btf_table *det_target(bool reverse)
{
	struct btf_table *t = must(btf_table__new());
	int i;

	/* the int comes last in the reverse table: other IDs for everything */
	if (!reverse)
		btf_table__add_int(t, "int", 4, BTF_INT_SIGNED, 32);
	for (i = 0; i < 8; i++) {
		char name[16];
		uint32_t int_id = reverse ? 9 : 1;

		snprintf(name, sizeof(name), "s%d", reverse ? 7 - i : i);
		btf_table__add_composite(t, BTF_KIND_STRUCT, name, 8);
		btf_table__add_member(t, "a", int_id, 0, 0);
		btf_table__add_member(t, "b", int_id, 32, 0);
	}
	if (reverse)
		btf_table__add_int(t, "int", 4, BTF_INT_SIGNED, 32);
	return t;
}

/* Same inputs, same bytes, whatever the target's IDs */
static void test_deterministic(void)
{
	struct btf_table *t = det_target(false), *l = must(btf_table__new());
	struct btf_table *r = det_target(true), *c = NULL;
	struct btf_table *a = NULL, *b = NULL;
	struct minimize_obj *obj;
	void *da = NULL, *db = NULL, *dc = NULL;
	size_t la = 0, lb = 0, lc = 0;
	int i;

	btf_table__add_int(l, "int", 4, BTF_INT_SIGNED, 32);
	obj = minimize_obj__new("det.o", l);
	for (i = 7; i >= 0; i -= 2) {
		char name[16];

		snprintf(name, sizeof(name), "s%d", i);
		btf_table__add_composite(l, BTF_KIND_STRUCT, name, 8);
		btf_table__add_member(l, "b", 1, 32, 0);
		relo(obj, "kprobe/a", btf_table__type_cnt(l) - 1, "0:0",
		     CORE_FIELD_BYTE_OFFSET);
	}
	CHECK(run(t, obj, false, &a) == 0 && run(t, obj, false, &b) == 0);
	CHECK(a && b && !btf_io__raw_data(a, &da, &la) &&
	      !btf_io__raw_data(b, &db, &lb) && la == lb && !memcmp(da, db, la));
	/* the order the records reach them, not the target's: s7 first */
	CHECK(a && find(a, BTF_KIND_STRUCT, "s7") < find(a, BTF_KIND_STRUCT, "s1"));
	/* the same types numbered otherwise: the same bytes */
	CHECK(run(r, obj, false, &c) == 0);
	CHECK(c && da && !btf_io__raw_data(c, &dc, &lc) && lc == la &&
	      !memcmp(da, dc, la));
	free(da);
	free(db);
	free(dc);
	btf_table__free(a);
	btf_table__free(b);
	btf_table__free(c);
	minimize__free_obj(obj);
	btf_table__free(t);
	btf_table__free(r);
}

/* An object on a copy of @l with one record of @kind on @type_id */
static struct minimize_obj *one_relo(const struct btf_table *l, uint32_t type_id,
				     unsigned int kind)
{
	struct btf_table *copy = must(btf_table__new());
	struct minimize_obj *obj;
	uint32_t id;

	for (id = 1; id < btf_table__type_cnt(l); id++)
		if (btf_table__add_copy(copy, l, id, NULL, NULL) < 0)
			exit(1);
	obj = minimize_obj__new("one.o", copy);
	relo(obj, "kprobe/a", type_id, "0", kind);
	return obj;
}

/*
 * minimize__types_suffice: candidates are of the root's kind, so only a
 * root that is a FUNC, VAR, DATASEC or DECL_TAG needs those records in the
 * target; TYPE_ID_LOCAL never looks at the target.
 */
static void test_types_suffice(void)
{
	struct btf_table *l = must(btf_table__new());
	struct minimize_obj *objs[2], *types_obj;
	static const struct {
		uint32_t id;
		unsigned int kind;
		bool suffice;
	} cases[] = {
		{ 2, CORE_FIELD_BYTE_OFFSET, true },	/* struct */
		{ 3, CORE_TYPE_EXISTS, true },		/* typedef */
		{ 5, CORE_TYPE_SIZE, true },		/* FUNC_PROTO */
		{ 4, CORE_TYPE_EXISTS, false },		/* VAR */
		{ 4, CORE_TYPE_ID_LOCAL, true },
		{ 6, CORE_TYPE_ID_TARGET, false },	/* FUNC */
		{ 7, CORE_TYPE_EXISTS, false },		/* DATASEC */
		{ 8, CORE_TYPE_EXISTS, false },		/* DECL_TAG */
	};
	size_t i;

	btf_table__add_int(l, "int", 4, BTF_INT_SIGNED, 32);	/* 1 */
	btf_table__add_composite(l, BTF_KIND_STRUCT, "s", 4);	/* 2 */
	btf_table__add_member(l, "x", 1, 0, 0);
	btf_table__add_ref(l, BTF_KIND_TYPEDEF, "s_t", 2);	/* 3 */
	btf_table__add_var(l, "v", 1, BTF_LINKAGE_GLOBAL);	/* 4 */
	btf_table__add_func_proto(l, 1);			/* 5 */
	btf_table__add_func(l, "f", BTF_LINKAGE_GLOBAL, 5);	/* 6 */
	btf_table__add_datasec(l, ".data", 4);			/* 7 */
	btf_table__add_secinfo(l, 4, 0, 4);
	btf_table__add_decl_tag(l, "tag", 2, -1);		/* 8 */

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct minimize_obj *obj = one_relo(l, cases[i].id, cases[i].kind);

		if (minimize__types_suffice(&obj, 1) != cases[i].suffice) {
			fprintf(stderr, "types_suffice: case %zu wrong\n", i);
			failures++;
		}
		minimize__free_obj(obj);
	}
	/* one object that needs more is enough */
	objs[0] = one_relo(l, 2, CORE_FIELD_BYTE_OFFSET);
	objs[1] = one_relo(l, 4, CORE_TYPE_EXISTS);
	CHECK(minimize__types_suffice(objs, 1));
	CHECK(!minimize__types_suffice(objs, 2));
	minimize__free_obj(objs[1]);
	objs[1] = one_relo(l, 3, CORE_TYPE_EXISTS);
	CHECK(minimize__types_suffice(objs, 2));
	types_obj = objs[0];
	minimize__free_obj(objs[1]);
	minimize__free_obj(types_obj);
	btf_table__free(l);
}

/*
 * What types_suffice stands on: functions, their prototypes, variables
 * and DATASECs after the types change nothing minimizing keeps, even with
 * a prototype kept (a typedef of a function pointer, as irq_handler_t)
 * that a function shares.
 */
static void add_kernel_types(struct btf_table *t)
{
	btf_table__add_int(t, "int", 4, BTF_INT_SIGNED, 32);	/* 1 */
	btf_table__add_ref(t, BTF_KIND_PTR, NULL, 0);		/* 2 */
	btf_table__add_func_proto(t, 1);			/* 3 */
	btf_table__add_param(t, NULL, 1);
	btf_table__add_param(t, NULL, 2);
	btf_table__add_ref(t, BTF_KIND_PTR, NULL, 3);		/* 4 */
	btf_table__add_ref(t, BTF_KIND_TYPEDEF, "handler_t", 4);	/* 5 */
	btf_table__add_composite(t, BTF_KIND_STRUCT, "action", 16);	/* 6 */
	btf_table__add_member(t, "handler", 5, 0, 0);
	btf_table__add_member(t, "irq", 1, 64, 0);
}

static void test_functions_after_types(void)
{
	struct btf_table *types = must(btf_table__new());
	struct btf_table *whole = must(btf_table__new());
	struct btf_table *l = must(btf_table__new());
	struct btf_table *out_types = NULL, *out_whole = NULL;
	struct minimize_obj *obj;
	int proto;

	add_kernel_types(types);
	add_kernel_types(whole);
	proto = btf_table__add_func_proto(whole, 1);		/* 7 */
	btf_table__add_param(whole, "irq", 1);
	btf_table__add_param(whole, "dev", 2);
	btf_table__add_func(whole, "my_handler", BTF_LINKAGE_GLOBAL, proto);
	btf_table__add_var(whole, "count", 1, BTF_LINKAGE_GLOBAL);	/* 9 */
	btf_table__add_datasec(whole, ".data..percpu", 4);	/* 10 */
	btf_table__add_secinfo(whole, 9, 0, 4);

	/* the object declares the same types: handler_t and action.irq */
	add_kernel_types(l);
	obj = minimize_obj__new("funcs.o", l);
	relo(obj, "kprobe/a", 5, "0", CORE_TYPE_EXISTS);
	relo(obj, "kprobe/a", 6, "0:1", CORE_FIELD_BYTE_OFFSET);

	CHECK(minimize__types_suffice(&obj, 1));
	CHECK(run(types, obj, false, &out_types) == 0);
	CHECK(run(whole, obj, false, &out_whole) == 0);
	CHECK(out_types && count_kind(out_types, BTF_KIND_FUNC_PROTO) == 1);
	CHECK(out_types && out_whole && btf_table__same_bytes(out_types, out_whole));
	btf_table__free(out_types);
	btf_table__free(out_whole);
	minimize__free_obj(obj);
	btf_table__free(types);
	btf_table__free(whole);
}

int main(void)
{
	msg__set_level(MSG_QUIET);
	test_tag_and_void_pointers();
	test_fwd_and_type_size();
	test_ambiguity();
	test_all_matches_kept();
	test_enums();
	test_split();
	test_bad_access();
	test_deterministic();
	test_types_suffice();
	test_functions_after_types();
	if (failures) {
		fprintf(stderr, "minimize-rules: %d checks failed\n", failures);
		return 1;
	}
	printf("minimize-rules: all checks passed\n");
	return 0;
}
