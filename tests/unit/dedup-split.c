// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dedup of a split table: base types are canonical and never change, split
 * types equal to base types disappear and references to them point into
 * the base, new types get IDs after the base's.
 */
#include "dedup-test.h"

/* [1] int, [2] PTR -> [3], [3] struct foo { int a; struct foo *next; } */
static struct btf_table *base_with_foo(void)
{
	struct btf_table *base = btf_table__new();
	uint32_t i = ADD(btf_table__add_int(base, "int", 4, BTF_INT_SIGNED, 32));
	uint32_t p = ADD(btf_table__add_ref(base, BTF_KIND_PTR, NULL, 3));

	ADD(btf_table__add_composite(base, BTF_KIND_STRUCT, "foo", 16));
	ADD(btf_table__add_member(base, "a", i, 0, 0));
	ADD(btf_table__add_member(base, "next", p, 64, 0));
	return base;
}

/* The base's bytes, to check that dedup leaves them alone */
struct snapshot {
	void *types;
	size_t types_len;
	void *strs;
	size_t strs_len;
};

static void snap(const struct btf_table *tab, struct snapshot *s)
{
	const void *t = btf_table__types_data(tab, &s->types_len);
	const void *str = btf_table__strs_data(tab, &s->strs_len);

	s->types = malloc(s->types_len);
	s->strs = malloc(s->strs_len);
	memcpy(s->types, t, s->types_len);
	memcpy(s->strs, str, s->strs_len);
}

static void expect_unchanged(const struct btf_table *tab, struct snapshot *s)
{
	const void *t, *str;
	size_t tl, sl;

	t = btf_table__types_data(tab, &tl);
	str = btf_table__strs_data(tab, &sl);
	EXPECT(tl == s->types_len && !memcmp(t, s->types, tl));
	EXPECT(sl == s->strs_len && !memcmp(str, s->strs, sl));
	free(s->types);
	free(s->strs);
}

/* The split copy of foo vanishes; bar's references land in the base. */
static void test_base_duplicate_removed(void)
{
	struct btf_table *base = base_with_foo(), *tab;
	struct snapshot s;
	uint32_t i, p, bar;

	snap(base, &s);
	tab = btf_table__new_split(base);
	i = ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));
	p = ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, 6));
	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "foo", 16));
	ADD(btf_table__add_member(tab, "a", i, 0, 0));
	ADD(btf_table__add_member(tab, "next", p, 64, 0));
	ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, 8));
	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "bar", 16));
	ADD(btf_table__add_member(tab, "f", p, 0, 0));
	ADD(btf_table__add_member(tab, "self", 7, 64, 0));
	dedup_ok(tab);
	EXPECT(btf_table__start_id(tab) == 4 && btf_table__nr_own(tab) == 2);
	bar = find_named(tab, BTF_KIND_STRUCT, "bar");
	EXPECT(bar == 5 && kind_of(tab, 4) == BTF_KIND_PTR && ref_type(tab, 4) == 5);
	EXPECT(member_type(tab, bar, 0) == 2 && member_type(tab, bar, 1) == 4);
	EXPECT(btf_table__find_str(tab, "bar") >= btf_table__str_start(tab));
	expect_unchanged(base, &s);
	btf_table__free(tab);
	btf_table__free(base);
}

/* A split FWD resolves to the base struct of its name. */
static void test_split_fwd_to_base(void)
{
	struct btf_table *base = base_with_foo(), *tab;
	struct snapshot s;
	uint32_t fwd, p;

	snap(base, &s);
	tab = btf_table__new_split(base);
	fwd = ADD(btf_table__add_fwd(tab, "foo", false));
	p = ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, fwd));
	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "baz", 8));
	ADD(btf_table__add_member(tab, "p", p, 0, 0));
	dedup_ok(tab);
	EXPECT(btf_table__nr_own(tab) == 1);
	EXPECT(kind_of(tab, 4) == BTF_KIND_STRUCT && member_type(tab, 4, 0) == 2);
	expect_unchanged(base, &s);
	btf_table__free(tab);
	btf_table__free(base);
}

/* struct s { struct foo *p; } in the split, foo declared or defined */
static void split_s(struct btf_table *tab, bool foo_full)
{
	uint32_t start = btf_table__type_cnt(tab);
	uint32_t foo = start + 2;
	uint32_t p = ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, foo));

	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "s", 8));
	ADD(btf_table__add_member(tab, "p", p, 0, 0));
	if (!foo_full) {
		ADD(btf_table__add_fwd(tab, "foo", false));
		return;
	}
	ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "foo", 4));
	ADD(btf_table__add_member(tab, "x", foo + 1, 0, 0));
	ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));
}

/* [1] PTR -> [3], [2] struct s { struct foo *p; }, [3] FWD foo or foo, int */
static struct btf_table *base_with_s(bool foo_full)
{
	struct btf_table *base = btf_table__new();

	split_s(base, foo_full);
	return base;
}

/* The base knows foo; the split's FWD foo and its struct s vanish. */
static void test_split_fwd_graph_to_base(void)
{
	struct btf_table *base = base_with_s(true), *tab;
	struct snapshot s;

	snap(base, &s);
	tab = btf_table__new_split(base);
	split_s(tab, false);
	split_s(tab, true);
	dedup_ok(tab);
	EXPECT(btf_table__nr_own(tab) == 0);
	expect_unchanged(base, &s);
	btf_table__free(tab);
	btf_table__free(base);
}

/* struct k { struct s s; } after split_s() added s at @s */
static uint32_t add_k(struct btf_table *tab, uint32_t s)
{
	uint32_t k = ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "k", 8));

	ADD(btf_table__add_member(tab, "s", s, 0, 0));
	return k;
}

/*
 * The base has only a FWD foo, and struct k { struct s s; }.  A split
 * struct s reaching a full foo is the base's s but for that FWD, which the
 * base cannot resolve: so the first such s stays in the split, with foo
 * and the pointer to it, and the base FWD stands for that foo from then
 * on.  CU 0's k, walked after its s, then meets the base FWD resolved and
 * maps to the base's k; so does CU 1's.  CU 1's s is equivalent both to
 * the split s and to the base's s now: candidates are tried in the order
 * the kernel build's dedup tries them, which here puts the base's s first.
 */
static void test_base_fwd_equivalent(void)
{
	struct btf_table *base = base_with_s(false), *tab;
	struct snapshot s;
	uint32_t foo, split_s_id, base_k;
	int i;

	base_k = add_k(base, 2);
	snap(base, &s);
	tab = btf_table__new_split(base);
	/* variables per CU show where each CU's structs went */
	for (i = 0; i < 2; i++) {
		uint32_t cu_s = btf_table__type_cnt(tab) + 1, k;

		split_s(tab, true);
		k = add_k(tab, cu_s);
		ADD(btf_table__add_var(tab, i ? "k1" : "k0", k,
				       BTF_LINKAGE_GLOBAL));
		ADD(btf_table__add_var(tab, i ? "s1" : "s0", cu_s,
				       BTF_LINKAGE_GLOBAL));
	}
	dedup_ok(tab);
	EXPECT(btf_table__nr_own(tab) == 8);
	EXPECT(nr_named(tab, BTF_KIND_STRUCT, "s") == 1);
	EXPECT(nr_named(tab, BTF_KIND_STRUCT, "k") == 0);
	EXPECT(nr_kind(tab, BTF_KIND_INT) == 1 && nr_kind(tab, BTF_KIND_PTR) == 1);
	foo = find_named(tab, BTF_KIND_STRUCT, "foo");
	split_s_id = find_named(tab, BTF_KIND_STRUCT, "s");
	EXPECT(foo && ref_type(tab, find_named(tab, BTF_KIND_PTR, "")) == foo);
	EXPECT(member_type(tab, split_s_id, 0) ==
	       find_named(tab, BTF_KIND_PTR, ""));
	EXPECT(ref_type(tab, find_named(tab, BTF_KIND_VAR, "k0")) == base_k);
	EXPECT(ref_type(tab, find_named(tab, BTF_KIND_VAR, "k1")) == base_k);
	EXPECT(ref_type(tab, find_named(tab, BTF_KIND_VAR, "s0")) == split_s_id);
	EXPECT(ref_type(tab, find_named(tab, BTF_KIND_VAR, "s1")) == 2);
	expect_unchanged(base, &s);
	btf_table__free(tab);
	btf_table__free(base);
}

/*
 * The base declares b; CU 0 defines it and CU 1 declares it too.  CU 1's
 * FWD is the base's FWD, as in the kernel build's module BTF, so its
 * pointer is the base's pointer; the definition stays in the split, met
 * by no walk that would make the base FWD stand for it.
 */
static void test_split_fwd_is_base_fwd(void)
{
	struct btf_table *base = btf_table__new(), *tab;
	struct snapshot s;
	uint32_t fwd, base_ptr, ptr, i, b;

	fwd = ADD(btf_table__add_fwd(base, "b", false));
	base_ptr = ADD(btf_table__add_ref(base, BTF_KIND_PTR, NULL, fwd));
	snap(base, &s);
	tab = btf_table__new_split(base);
	i = ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));
	b = ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "b", 4));
	ADD(btf_table__add_member(tab, "y", i, 0, 0));
	ADD(btf_table__add_var(tab, "v", b, BTF_LINKAGE_GLOBAL));
	fwd = ADD(btf_table__add_fwd(tab, "b", false));
	ptr = ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, fwd));
	ADD(btf_table__add_var(tab, "q", ptr, BTF_LINKAGE_GLOBAL));
	dedup_ok(tab);
	EXPECT(btf_table__nr_own(tab) == 4);
	b = find_named(tab, BTF_KIND_STRUCT, "b");
	EXPECT(b && ref_type(tab, find_named(tab, BTF_KIND_VAR, "v")) == b);
	EXPECT(ref_type(tab, find_named(tab, BTF_KIND_VAR, "q")) == base_ptr);
	expect_unchanged(base, &s);
	btf_table__free(tab);
	btf_table__free(base);
}

int main(void)
{
	test_base_duplicate_removed();
	test_split_fwd_to_base();
	test_split_fwd_graph_to_base();
	test_base_fwd_equivalent();
	test_split_fwd_is_base_fwd();
	return test_exit();
}
