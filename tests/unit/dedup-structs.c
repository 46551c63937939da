// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dedup of structs and unions: type-graph equivalence across compilation
 * units, cycles, FWD resolution, same-named types that differ, and the
 * identical-but-distinct types compilers emit within one unit.  Each test
 * builds "CUs" (runs of self-contained types) and checks exact results.
 */
#include "dedup-test.h"

/* struct foo { int a; int b; } */
static uint32_t cu_foo(struct btf_table *tab)
{
	uint32_t i = ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));
	uint32_t s = ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "foo", 8));

	ADD(btf_table__add_member(tab, "a", i, 0, 0));
	ADD(btf_table__add_member(tab, "b", i, 32, 0));
	return s;
}

static void test_same_struct_two_cus(void)
{
	struct btf_table *tab = btf_table__new();

	cu_foo(tab);
	cu_foo(tab);
	dedup_ok(tab);
	EXPECT(btf_table__nr_own(tab) == 2);
	EXPECT(kind_of(tab, 1) == BTF_KIND_INT);
	EXPECT(kind_of(tab, 2) == BTF_KIND_STRUCT);
	EXPECT(member_type(tab, 2, 0) == 1 && member_type(tab, 2, 1) == 1);
	btf_table__free(tab);
}

/* struct node { int v; struct node *next; } */
static void cu_list(struct btf_table *tab)
{
	uint32_t base = btf_table__type_cnt(tab);
	uint32_t i = ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));
	uint32_t p = ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, base + 2));

	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "node", 16));
	ADD(btf_table__add_member(tab, "v", i, 0, 0));
	ADD(btf_table__add_member(tab, "next", p, 64, 0));
}

static void test_self_referential(void)
{
	struct btf_table *tab = btf_table__new();

	cu_list(tab);
	cu_list(tab);
	cu_list(tab);
	dedup_ok(tab);
	EXPECT(btf_table__nr_own(tab) == 3);
	EXPECT(kind_of(tab, 2) == BTF_KIND_PTR && ref_type(tab, 2) == 3);
	EXPECT(kind_of(tab, 3) == BTF_KIND_STRUCT);
	EXPECT(member_type(tab, 3, 0) == 1 && member_type(tab, 3, 1) == 2);
	btf_table__free(tab);
}

/* struct a { struct b *b; }; struct b { struct a *a; }, in either order */
static void cu_mutual(struct btf_table *tab, bool b_first)
{
	uint32_t base = btf_table__type_cnt(tab);
	uint32_t sa = base + (b_first ? 3 : 2), sb = base + (b_first ? 2 : 3);
	uint32_t pa = ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, sa));
	uint32_t pb = ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, sb));

	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, b_first ? "b" : "a", 8));
	ADD(btf_table__add_member(tab, b_first ? "a" : "b", b_first ? pa : pb, 0, 0));
	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, b_first ? "a" : "b", 8));
	ADD(btf_table__add_member(tab, b_first ? "b" : "a", b_first ? pb : pa, 0, 0));
}

static void test_mutual_recursion(void)
{
	struct btf_table *tab = btf_table__new();
	uint32_t a, b;

	cu_mutual(tab, false);
	cu_mutual(tab, true);
	cu_mutual(tab, false);
	dedup_ok(tab);
	EXPECT(btf_table__nr_own(tab) == 4);
	EXPECT(nr_kind(tab, BTF_KIND_STRUCT) == 2 && nr_kind(tab, BTF_KIND_PTR) == 2);
	a = find_named(tab, BTF_KIND_STRUCT, "a");
	b = find_named(tab, BTF_KIND_STRUCT, "b");
	EXPECT(ref_type(tab, member_type(tab, a, 0)) == b);
	EXPECT(ref_type(tab, member_type(tab, b, 0)) == a);
	btf_table__free(tab);
}

/* struct s { struct foo *p; } with foo declared only, or defined */
static void cu_s_foo(struct btf_table *tab, bool full)
{
	uint32_t base = btf_table__type_cnt(tab);
	uint32_t p = ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, base + 2));

	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "s", 8));
	ADD(btf_table__add_member(tab, "p", p, 0, 0));
	if (!full) {
		ADD(btf_table__add_fwd(tab, "foo", false));
		return;
	}
	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "foo", 4));
	ADD(btf_table__add_member(tab, "x", base + 3, 0, 0));
	ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));
}

static void expect_s_foo_resolved(struct btf_table *tab)
{
	uint32_t s = find_named(tab, BTF_KIND_STRUCT, "s");
	uint32_t foo = find_named(tab, BTF_KIND_STRUCT, "foo");

	EXPECT(nr_kind(tab, BTF_KIND_FWD) == 0);
	EXPECT(nr_kind(tab, BTF_KIND_STRUCT) == 2);
	EXPECT(nr_kind(tab, BTF_KIND_PTR) == 1);
	EXPECT(btf_table__nr_own(tab) == 4);
	EXPECT(s && foo && ref_type(tab, member_type(tab, s, 0)) == foo);
}

static void test_fwd_then_full(void)
{
	struct btf_table *tab = btf_table__new();

	cu_s_foo(tab, false);
	cu_s_foo(tab, true);
	dedup_ok(tab);
	expect_s_foo_resolved(tab);
	/* the class of the FWD comes first: struct foo takes its place */
	EXPECT(kind_of(tab, 3) == BTF_KIND_STRUCT);
	btf_table__free(tab);
}

static void test_full_then_fwd(void)
{
	struct btf_table *tab = btf_table__new();

	cu_s_foo(tab, true);
	cu_s_foo(tab, false);
	cu_s_foo(tab, false);
	dedup_ok(tab);
	expect_s_foo_resolved(tab);
	btf_table__free(tab);
}

static void test_fwd_only_stays(void)
{
	struct btf_table *tab = btf_table__new();

	cu_s_foo(tab, false);
	cu_s_foo(tab, false);
	dedup_ok(tab);
	EXPECT(btf_table__nr_own(tab) == 3);
	EXPECT(nr_kind(tab, BTF_KIND_FWD) == 1 && nr_kind(tab, BTF_KIND_STRUCT) == 1);
	EXPECT(ref_type(tab, 1) == find_named(tab, BTF_KIND_FWD, "foo"));
	btf_table__free(tab);
}

/* A FWD only used by a function, never met in a struct comparison */
static void cu_fwd_func_arg(struct btf_table *tab, const char *fname)
{
	uint32_t fwd = ADD(btf_table__add_fwd(tab, "foo", false));
	uint32_t p = ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, fwd));
	uint32_t proto = ADD(btf_table__add_func_proto(tab, 0));

	ADD(btf_table__add_param(tab, "f", p));
	ADD(btf_table__add_func(tab, fname, BTF_LINKAGE_GLOBAL, proto));
}

static void cu_foo_defined(struct btf_table *tab, const char *mname)
{
	uint32_t i = ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));

	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "foo", 4));
	ADD(btf_table__add_member(tab, mname, i, 0, 0));
}

static void test_leftover_fwd_unique(void)
{
	struct btf_table *tab = btf_table__new();
	uint32_t foo, p;

	cu_fwd_func_arg(tab, "use_foo");
	cu_foo_defined(tab, "u");
	dedup_ok(tab);
	foo = find_named(tab, BTF_KIND_STRUCT, "foo");
	p = find_named(tab, BTF_KIND_PTR, "");
	EXPECT(nr_kind(tab, BTF_KIND_FWD) == 0);
	EXPECT(foo == 1 && p == 2 && ref_type(tab, p) == foo);
	btf_table__free(tab);
}

static void test_leftover_fwd_ambiguous(void)
{
	struct btf_table *tab = btf_table__new();
	uint32_t p;

	cu_fwd_func_arg(tab, "use_foo");
	cu_foo_defined(tab, "u");
	cu_foo_defined(tab, "v");
	dedup_ok(tab);
	p = find_named(tab, BTF_KIND_PTR, "");
	EXPECT(nr_kind(tab, BTF_KIND_FWD) == 1);
	EXPECT(nr_kind(tab, BTF_KIND_STRUCT) == 2);
	EXPECT(kind_of(tab, ref_type(tab, p)) == BTF_KIND_FWD);
	btf_table__free(tab);
}

/* Two struct foo exist, but the walk tells which one the FWD in s means. */
static void test_fwd_resolved_by_graph(void)
{
	struct btf_table *tab = btf_table__new();
	uint32_t s, foo;

	cu_s_foo(tab, false);
	cu_s_foo(tab, true);
	cu_foo_defined(tab, "u");
	dedup_ok(tab);
	EXPECT(nr_kind(tab, BTF_KIND_FWD) == 0);
	EXPECT(nr_named(tab, BTF_KIND_STRUCT, "foo") == 2);
	s = find_named(tab, BTF_KIND_STRUCT, "s");
	foo = ref_type(tab, member_type(tab, s, 0));
	EXPECT(kind_of(tab, foo) == BTF_KIND_STRUCT);
	EXPECT(!strcmp(member_name(tab, foo, 0), "x"));
	btf_table__free(tab);
}

/* struct s { struct foo *a, *b; } where b's pointer may lead to a FWD foo */
static void cu_s_two_ptrs(struct btf_table *tab, bool b_to_fwd)
{
	uint32_t i = ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));
	uint32_t foo = ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "foo", 4));
	uint32_t pa = foo + 2, pb = b_to_fwd ? foo + 3 : pa;

	ADD(btf_table__add_member(tab, "x", i, 0, 0));
	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "s", 16));
	ADD(btf_table__add_member(tab, "a", pa, 0, 0));
	ADD(btf_table__add_member(tab, "b", pb, 64, 0));
	ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, foo));
	if (!b_to_fwd)
		return;
	ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, foo + 4));
	ADD(btf_table__add_fwd(tab, "foo", false));
}

/* One CU declares a struct it also defines: both pointers are one type. */
static void test_fwd_beside_definition(void)
{
	struct btf_table *tab = btf_table__new();

	cu_s_two_ptrs(tab, false);
	cu_s_two_ptrs(tab, true);
	dedup_ok(tab);
	EXPECT(btf_table__nr_own(tab) == 4);
	EXPECT(nr_named(tab, BTF_KIND_STRUCT, "s") == 1);
	EXPECT(nr_kind(tab, BTF_KIND_FWD) == 0 && nr_kind(tab, BTF_KIND_PTR) == 1);
	btf_table__free(tab);
}

/* A union FWD does not resolve to a struct of its name. */
static void test_fwd_kind_matters(void)
{
	struct btf_table *tab = btf_table__new();

	ADD(btf_table__add_fwd(tab, "foo", true));
	cu_foo_defined(tab, "u");
	dedup_ok(tab);
	EXPECT(nr_kind(tab, BTF_KIND_FWD) == 1 && nr_kind(tab, BTF_KIND_STRUCT) == 1);
	btf_table__free(tab);
}

/* struct foo { int a; @b_type b; } with member b named @b */
static void cu_foo_variant(struct btf_table *tab, const char *b, bool b_long)
{
	uint32_t i = ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));
	uint32_t l = ADD(btf_table__add_int(tab, "long", 8, BTF_INT_SIGNED, 64));

	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "foo", 16));
	ADD(btf_table__add_member(tab, "a", i, 0, 0));
	ADD(btf_table__add_member(tab, b, b_long ? l : i, 64, 0));
}

static void test_same_name_differs(void)
{
	struct btf_table *tab = btf_table__new();

	cu_foo_variant(tab, "b", false);
	cu_foo_variant(tab, "b", true);
	cu_foo_variant(tab, "c", false);
	cu_foo_variant(tab, "b", true);
	cu_foo_variant(tab, "b", false);
	dedup_ok(tab);
	EXPECT(nr_named(tab, BTF_KIND_STRUCT, "foo") == 3);
	EXPECT(nr_kind(tab, BTF_KIND_INT) == 2);
	EXPECT(btf_table__nr_own(tab) == 5);
	btf_table__free(tab);
}

/* struct outer { struct inner *p; } where inner differs: outer differs */
static void cu_outer(struct btf_table *tab, const char *inner_member)
{
	uint32_t base = btf_table__type_cnt(tab);
	uint32_t p = ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, base + 2));

	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "outer", 8));
	ADD(btf_table__add_member(tab, "p", p, 0, 0));
	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "inner", 4));
	ADD(btf_table__add_member(tab, inner_member, base + 3, 0, 0));
	ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));
}

static void test_difference_behind_pointer(void)
{
	struct btf_table *tab = btf_table__new();

	cu_outer(tab, "x");
	cu_outer(tab, "y");
	cu_outer(tab, "x");
	cu_outer(tab, "y");
	dedup_ok(tab);
	EXPECT(nr_named(tab, BTF_KIND_STRUCT, "outer") == 2);
	EXPECT(nr_named(tab, BTF_KIND_STRUCT, "inner") == 2);
	EXPECT(nr_kind(tab, BTF_KIND_PTR) == 2 && nr_kind(tab, BTF_KIND_INT) == 1);
	btf_table__free(tab);
}

/*
 * struct a { struct { int x; } u; struct { int x; } v; }: two anonymous
 * structs, identical.  The first CU's collapse into one before the second
 * CU's struct a is compared, so the second CU's pair of distinct anonymous
 * structs meets one canonical anonymous struct twice.
 */
static void cu_anon_pair(struct btf_table *tab)
{
	uint32_t base = btf_table__type_cnt(tab);
	uint32_t i = base + 3;

	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "a", 8));
	ADD(btf_table__add_member(tab, "u", base + 1, 0, 0));
	ADD(btf_table__add_member(tab, "v", base + 2, 32, 0));
	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, NULL, 4));
	ADD(btf_table__add_member(tab, "x", i, 0, 0));
	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, NULL, 4));
	ADD(btf_table__add_member(tab, "x", i, 0, 0));
	ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));
}

static void test_identical_anon_structs(void)
{
	struct btf_table *tab = btf_table__new();
	uint32_t a;

	cu_anon_pair(tab);
	cu_anon_pair(tab);
	cu_anon_pair(tab);
	dedup_ok(tab);
	a = find_named(tab, BTF_KIND_STRUCT, "a");
	EXPECT(btf_table__nr_own(tab) == 3);
	EXPECT(nr_named(tab, BTF_KIND_STRUCT, "") == 1);
	EXPECT(member_type(tab, a, 0) == member_type(tab, a, 1));
	btf_table__free(tab);
}

/* struct s { int a[4]; int b[4]; } with one array type, or two */
static void cu_arrays(struct btf_table *tab, bool two)
{
	uint32_t i = ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));
	uint32_t a1 = ADD(btf_table__add_array(tab, i, i, 4));
	uint32_t a2 = two ? ADD(btf_table__add_array(tab, i, i, 4)) : a1;

	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "s", 32));
	ADD(btf_table__add_member(tab, "a", a1, 0, 0));
	ADD(btf_table__add_member(tab, "b", a2, 128, 0));
}

static void test_identical_arrays(void)
{
	struct btf_table *tab = btf_table__new();
	uint32_t s;

	cu_arrays(tab, false);
	cu_arrays(tab, true);
	cu_arrays(tab, true);
	cu_arrays(tab, false);
	dedup_ok(tab);
	s = find_named(tab, BTF_KIND_STRUCT, "s");
	EXPECT(btf_table__nr_own(tab) == 3);
	EXPECT(nr_kind(tab, BTF_KIND_ARRAY) == 1 && nr_kind(tab, BTF_KIND_STRUCT) == 1);
	EXPECT(member_type(tab, s, 0) == 2 && member_type(tab, s, 1) == 2);
	btf_table__free(tab);
}

/* struct s { struct s *self; union { int i; } u; } nested anon in a cycle */
static void cu_anon_in_cycle(struct btf_table *tab)
{
	uint32_t base = btf_table__type_cnt(tab);
	uint32_t p = ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, base + 1));

	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "s", 16));
	ADD(btf_table__add_member(tab, "self", p, 0, 0));
	ADD(btf_table__add_member(tab, "u", base + 2, 64, 0));
	ADD(btf_table__add_composite(tab, BTF_KIND_UNION, NULL, 4));
	ADD(btf_table__add_member(tab, "i", base + 3, 0, 0));
	ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));
}

static void test_anon_union_in_cycle(void)
{
	struct btf_table *tab = btf_table__new();

	cu_anon_in_cycle(tab);
	cu_anon_in_cycle(tab);
	dedup_ok(tab);
	EXPECT(btf_table__nr_own(tab) == 4);
	EXPECT(nr_kind(tab, BTF_KIND_UNION) == 1);
	btf_table__free(tab);
}

int main(void)
{
	test_same_struct_two_cus();
	test_self_referential();
	test_mutual_recursion();
	test_fwd_then_full();
	test_full_then_fwd();
	test_fwd_only_stays();
	test_leftover_fwd_unique();
	test_leftover_fwd_ambiguous();
	test_fwd_resolved_by_graph();
	test_fwd_beside_definition();
	test_fwd_kind_matters();
	test_same_name_differs();
	test_difference_behind_pointer();
	test_identical_anon_structs();
	test_identical_arrays();
	test_anon_union_in_cycle();
	return test_exit();
}
