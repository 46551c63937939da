// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dedup of primitives and reference types: enums and enum forward
 * declarations, function prototypes (parameter names matter), functions,
 * typedef chains, VAR/DATASEC (never merged), strings, order of the
 * output, determinism, and the error on a cycle of reference types.
 */
#include <errno.h>

#include "dedup-test.h"

static uint32_t add_int(struct btf_table *tab)
{
	return ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));
}

static void test_prims(void)
{
	struct btf_table *tab = btf_table__new();
	int i;

	for (i = 0; i < 3; i++) {
		add_int(tab);
		ADD(btf_table__add_int(tab, "unsigned int", 4, 0, 32));
		ADD(btf_table__add_float(tab, "double", 8));
		ADD(btf_table__add_enum(tab, BTF_KIND_ENUM, "e", 4, false));
		ADD(btf_table__add_enum_value(tab, "E_A", 1));
	}
	/* the same enum name with other values stays apart */
	ADD(btf_table__add_enum(tab, BTF_KIND_ENUM, "e", 4, false));
	ADD(btf_table__add_enum_value(tab, "E_A", 2));
	dedup_ok(tab);
	EXPECT(btf_table__nr_own(tab) == 5);
	EXPECT(nr_kind(tab, BTF_KIND_INT) == 2 && nr_kind(tab, BTF_KIND_FLOAT) == 1);
	EXPECT(nr_named(tab, BTF_KIND_ENUM, "e") == 2);
	btf_table__free(tab);
}

/* enum e; enum e *p; in one CU, enum e { ... } in another */
static void cu_enum_fwd(struct btf_table *tab)
{
	uint32_t e = ADD(btf_table__add_enum(tab, BTF_KIND_ENUM, "e", 4, false));

	ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, e));
}

static void cu_enum_full(struct btf_table *tab, int64_t v)
{
	uint32_t e = ADD(btf_table__add_enum(tab, BTF_KIND_ENUM, "e", 4, false));

	ADD(btf_table__add_enum_value(tab, "E_A", v));
	ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, e));
}

static void test_enum_fwd_resolves(void)
{
	struct btf_table *tab = btf_table__new();

	cu_enum_fwd(tab);
	cu_enum_full(tab, 1);
	cu_enum_fwd(tab);
	dedup_ok(tab);
	EXPECT(btf_table__nr_own(tab) == 2);
	EXPECT(kind_of(tab, 1) == BTF_KIND_ENUM && btf_vlen(btf_table__type(tab, 1)) == 1);
	EXPECT(kind_of(tab, 2) == BTF_KIND_PTR && ref_type(tab, 2) == 1);
	btf_table__free(tab);
}

static void test_enum_fwd_ambiguous(void)
{
	struct btf_table *tab = btf_table__new();

	cu_enum_fwd(tab);
	cu_enum_full(tab, 1);
	cu_enum_full(tab, 2);
	cu_enum_fwd(tab);
	dedup_ok(tab);
	EXPECT(nr_named(tab, BTF_KIND_ENUM, "e") == 3);
	EXPECT(nr_kind(tab, BTF_KIND_PTR) == 3);
	EXPECT(btf_vlen(btf_table__type(tab, 1)) == 0);
	btf_table__free(tab);
}

/* int (*)(int @name) */
static uint32_t add_proto(struct btf_table *tab, uint32_t i, const char *name)
{
	uint32_t proto = ADD(btf_table__add_func_proto(tab, i));

	ADD(btf_table__add_param(tab, name, i));
	return proto;
}

static void test_proto_param_names(void)
{
	struct btf_table *tab = btf_table__new();
	uint32_t i;

	i = add_int(tab);
	add_proto(tab, i, "a");
	add_proto(tab, i, "b");
	i = add_int(tab);
	add_proto(tab, i, "a");
	add_proto(tab, i, NULL);
	dedup_ok(tab);
	EXPECT(nr_kind(tab, BTF_KIND_INT) == 1);
	EXPECT(nr_kind(tab, BTF_KIND_FUNC_PROTO) == 3);
	EXPECT(kind_of(tab, 2) == BTF_KIND_FUNC_PROTO);
	EXPECT(!strcmp(btf_table__str(tab,
				      btf_params(btf_table__type(tab, 2))->name_off), "a"));
	btf_table__free(tab);
}

static void test_funcs(void)
{
	struct btf_table *tab = btf_table__new();
	uint32_t i = 0, p = 0;
	int n;

	for (n = 0; n < 2; n++) {
		i = add_int(tab);
		p = add_proto(tab, i, "x");
		ADD(btf_table__add_func(tab, "f", BTF_LINKAGE_GLOBAL, p));
		ADD(btf_table__add_func(tab, "g", BTF_LINKAGE_STATIC, p));
	}
	/* same name, other linkage; same name, another prototype */
	ADD(btf_table__add_func(tab, "g", BTF_LINKAGE_GLOBAL, p));
	p = add_proto(tab, i, "y");
	ADD(btf_table__add_func(tab, "f", BTF_LINKAGE_GLOBAL, p));
	dedup_ok(tab);
	EXPECT(nr_named(tab, BTF_KIND_FUNC, "f") == 2);
	EXPECT(nr_named(tab, BTF_KIND_FUNC, "g") == 2);
	EXPECT(nr_kind(tab, BTF_KIND_FUNC_PROTO) == 2);
	EXPECT(ref_type(tab, find_named(tab, BTF_KIND_FUNC, "f")) == 2);
	btf_table__free(tab);
}

/* typedef int s32; typedef s32 pid_t; typedef struct { int x; } anon_t */
static void cu_typedefs(struct btf_table *tab)
{
	uint32_t base = btf_table__type_cnt(tab);
	uint32_t i = add_int(tab);
	uint32_t s32 = ADD(btf_table__add_ref(tab, BTF_KIND_TYPEDEF, "s32", i));

	ADD(btf_table__add_ref(tab, BTF_KIND_CONST, NULL,
			       ADD(btf_table__add_ref(tab, BTF_KIND_TYPEDEF, "pid_t", s32))));
	ADD(btf_table__add_ref(tab, BTF_KIND_TYPEDEF, "anon_t", base + 5));
	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, NULL, 4));
	ADD(btf_table__add_member(tab, "x", i, 0, 0));
}

static void test_typedef_chains(void)
{
	struct btf_table *tab = btf_table__new();
	uint32_t pid, anon;

	cu_typedefs(tab);
	cu_typedefs(tab);
	cu_typedefs(tab);
	dedup_ok(tab);
	EXPECT(btf_table__nr_own(tab) == 6);
	EXPECT(nr_kind(tab, BTF_KIND_TYPEDEF) == 3 && nr_kind(tab, BTF_KIND_CONST) == 1);
	pid = find_named(tab, BTF_KIND_TYPEDEF, "pid_t");
	anon = find_named(tab, BTF_KIND_TYPEDEF, "anon_t");
	EXPECT(ref_type(tab, pid) == find_named(tab, BTF_KIND_TYPEDEF, "s32"));
	EXPECT(kind_of(tab, ref_type(tab, anon)) == BTF_KIND_STRUCT);
	btf_table__free(tab);
}

/* typedef names one anonymous struct, which differs: the typedefs too */
static void test_typedef_targets_differ(void)
{
	struct btf_table *tab = btf_table__new();
	uint32_t i = add_int(tab);

	ADD(btf_table__add_ref(tab, BTF_KIND_TYPEDEF, "t", 3));
	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, NULL, 4));
	ADD(btf_table__add_member(tab, "x", i, 0, 0));
	ADD(btf_table__add_ref(tab, BTF_KIND_TYPEDEF, "t", 5));
	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, NULL, 4));
	ADD(btf_table__add_member(tab, "y", i, 0, 0));
	dedup_ok(tab);
	EXPECT(nr_named(tab, BTF_KIND_TYPEDEF, "t") == 2);
	btf_table__free(tab);
}

static void test_var_datasec_kept(void)
{
	struct btf_table *tab = btf_table__new();
	uint32_t i, v1, v2;

	i = add_int(tab);
	v1 = ADD(btf_table__add_var(tab, "x", i, BTF_LINKAGE_GLOBAL));
	add_int(tab);
	v2 = ADD(btf_table__add_var(tab, "x", i + 2, BTF_LINKAGE_GLOBAL));
	ADD(btf_table__add_datasec(tab, ".data", 8));
	ADD(btf_table__add_secinfo(tab, v1, 0, 4));
	ADD(btf_table__add_secinfo(tab, v2, 4, 4));
	dedup_ok(tab);
	EXPECT(btf_table__nr_own(tab) == 4);
	EXPECT(nr_kind(tab, BTF_KIND_VAR) == 2 && nr_kind(tab, BTF_KIND_DATASEC) == 1);
	EXPECT(ref_type(tab, 2) == 1 && ref_type(tab, 3) == 1);
	EXPECT(btf_secinfos(btf_table__type(tab, 4))[1].type == 3);
	btf_table__free(tab);
}

static void test_unused_strings_dropped(void)
{
	struct btf_table *tab = btf_table__new();
	uint32_t i = add_int(tab);

	ADD(btf_table__add_str(tab, "never_used"));
	ADD(btf_table__add_ref(tab, BTF_KIND_TYPEDEF, "t", i));
	add_int(tab);
	dedup_ok(tab);
	EXPECT(btf_table__find_str(tab, "never_used") == -ENOENT);
	EXPECT(btf_table__find_str(tab, "t") > 0);
	EXPECT(!strcmp(btf_table__name(tab, 2), "t"));
	btf_table__free(tab);
}

/* A cycle of reference types alone is malformed; the table stays as it was. */
static void test_ref_cycle(void)
{
	struct btf_table *tab = btf_table__new();

	ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, 2));
	ADD(btf_table__add_ref(tab, BTF_KIND_CONST, NULL, 1));
	EXPECT(dedup__run(tab, NULL) == -ELOOP);
	EXPECT(btf_table__nr_own(tab) == 2 && ref_type(tab, 2) == 1);
	btf_table__free(tab);
}

/* Referenced IDs must exist. */
static void test_bad_id(void)
{
	struct btf_table *tab = btf_table__new();

	ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, 7));
	EXPECT(dedup__run(tab, NULL) == -EINVAL);
	EXPECT(btf_table__nr_own(tab) == 1);
	btf_table__free(tab);
}

/*
 * A table read from raw BTF may hold a string twice: names compare by
 * offset, so dedup re-adds the strings first.
 */
static void test_duplicate_strings(void)
{
	static const char strs[] = "\0int\0int\0unused";
	uint32_t types[2][4] = {
		{ 1, BTF_KIND_INT << 24, 4, 32 },
		{ 5, BTF_KIND_INT << 24, 4, 32 },
	};
	struct btf_table *tab;

	tab = btf_table__from_raw_sections(types, sizeof(types), strs,
					   sizeof(strs), NULL);
	EXPECT(tab != NULL);
	if (!tab)
		return;
	dedup_ok(tab);
	EXPECT(btf_table__nr_own(tab) == 1);
	EXPECT(btf_table__find_str(tab, "unused") < 0);
	btf_table__free(tab);
}

static struct btf_table *build_mix(void)
{
	struct btf_table *tab = btf_table__new();

	cu_typedefs(tab);
	cu_enum_full(tab, 3);
	cu_typedefs(tab);
	cu_enum_fwd(tab);
	return tab;
}

static void test_deterministic(void)
{
	struct btf_table *a = build_mix(), *b = build_mix();

	dedup_ok(a);
	dedup_ok(b);
	EXPECT(btf_table__same_bytes(a, b));
	/* a second run changes nothing */
	dedup_ok(b);
	EXPECT(btf_table__same_bytes(a, b));
	btf_table__free(a);
	btf_table__free(b);
}

int main(void)
{
	test_prims();
	test_enum_fwd_resolves();
	test_enum_fwd_ambiguous();
	test_proto_param_names();
	test_funcs();
	test_typedef_chains();
	test_typedef_targets_differ();
	test_var_datasec_kept();
	test_unused_strings_dropped();
	test_ref_cycle();
	test_bad_id();
	test_duplicate_strings();
	test_deterministic();
	return test_exit();
}
