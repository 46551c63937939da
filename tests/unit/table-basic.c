// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The type table, string set and hash map through their APIs: every kind's
 * record layout, kind_flag switching for bitfields, split tables (IDs and
 * string offsets continue after the base), copying between tables, and the
 * structural check.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encoder/btf_table.h"
#include "encoder/hmap.h"
#include "encoder/strtab.h"

static int failures;

#define EXPECT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
		failures++; \
	} \
} while (0)

static void test_strtab(void)
{
	struct strtab *s = strtab__new(true);
	long a, b;

	EXPECT(strtab__find(s, "") == 0);
	a = strtab__add(s, "task_struct");
	b = strtab__add(s, "pid");
	EXPECT(a == 1 && b == 13);
	EXPECT(strtab__add(s, "task_struct") == a);
	EXPECT(strtab__find(s, "pid") == b);
	EXPECT(strtab__find(s, "tgid") == -ENOENT);
	EXPECT(!strcmp(strtab__str(s, b), "pid"));
	EXPECT(strtab__str(s, 1000) == NULL);
	EXPECT(strtab__count(s) == 3);
	strtab__free(s);
}

static void test_hmap_multimap(void)
{
	struct hmap *m = hmap__new(hmap_hash_identity, hmap_equal_long, NULL);
	size_t pos = 0;
	long v, sum = 0;
	int i, n = 0;

	for (i = 0; i < 1000; i++)
		EXPECT(!hmap__insert(m, i % 10, i, HMAP_APPEND, NULL));
	EXPECT(hmap__size(m) == 1000);
	while (hmap__next_match(m, 3, &pos, &v)) {
		n++;
		sum += v;
	}
	EXPECT(n == 100 && sum == 100 * 3 + 10 * (99 * 100 / 2));
	EXPECT(hmap__insert(m, 3, 0, HMAP_ADD, &v) == -EEXIST);
	EXPECT(hmap__find(m, 11, &v) == -ENOENT);
	hmap__free(m);
}

static void test_all_kinds(void)
{
	struct btf_table *t = btf_table__new();
	uint32_t counts[BTF_KIND_NR], bad;
	const struct btf_type *s;
	const char *what;
	int i_int, i_st, i_proto;

	i_int = btf_table__add_int(t, "int", 4, BTF_INT_SIGNED, 32);
	EXPECT(i_int == 1);
	EXPECT(btf_table__add_ref(t, BTF_KIND_PTR, NULL, 3) == 2);
	i_st = btf_table__add_composite(t, BTF_KIND_STRUCT, "s", 8);
	EXPECT(!btf_table__add_member(t, "a", i_int, 0, 0));
	EXPECT(!btf_table__add_member(t, "b", i_int, 32, 3));
	EXPECT(!btf_table__add_member(t, "next", 2, 35, 0));
	s = btf_table__type(t, i_st);
	EXPECT(btf_kflag(s) && btf_vlen(s) == 3);
	EXPECT(btf_member_bit_offset(s, 1) == 32 && btf_member_bitfield_size(s, 1) == 3);
	EXPECT(btf_member_bit_offset(s, 2) == 35 && btf_member_bitfield_size(s, 2) == 0);
	EXPECT(btf_table__add_array(t, i_int, i_int, 4) == 4);
	EXPECT(btf_table__add_enum(t, BTF_KIND_ENUM, "e", 4, true) == 5);
	EXPECT(!btf_table__add_enum_value(t, "E_NEG", -1));
	EXPECT(btf_table__add_enum_value(t, "E_BIG", 1ll << 40) == -ERANGE);
	EXPECT(btf_table__add_enum(t, BTF_KIND_ENUM64, "e64", 8, false) == 6);
	EXPECT(!btf_table__add_enum_value(t, "E_BIG", 1ll << 40));
	EXPECT(btf_enum64_value(btf_enums64(btf_table__type(t, 6))) == 1ull << 40);
	i_proto = btf_table__add_func_proto(t, i_int);
	EXPECT(!btf_table__add_param(t, "x", i_int));
	EXPECT(!btf_table__add_param(t, NULL, 0));
	EXPECT(btf_table__add_func(t, "f", BTF_LINKAGE_GLOBAL, i_proto) == 8);
	EXPECT(btf_table__add_fwd(t, "u", true) == 9);
	EXPECT(btf_table__add_float(t, "double", 8) == 10);
	EXPECT(btf_table__add_var(t, "v", i_int, BTF_LINKAGE_GLOBAL) == 11);
	EXPECT(btf_table__add_datasec(t, ".data..percpu", 64) == 12);
	EXPECT(!btf_table__add_secinfo(t, 11, 0, 4));
	EXPECT(btf_table__add_decl_tag(t, "tag", i_st, 1) == 13);
	EXPECT(btf_table__add_ref(t, BTF_KIND_TYPE_TAG, "user", i_int) == 14);
	EXPECT(btf_table__add_ref(t, BTF_KIND_TYPEDEF, NULL, i_int) == -EINVAL);
	/* appending to a type of another kind is refused */
	EXPECT(btf_table__add_member(t, "x", 1, 0, 0) == -EINVAL);
	EXPECT(btf_table__type_cnt(t) == 15);
	EXPECT(btf_table__check(t, &bad, &what) == 0);
	btf_table__count_kinds(t, counts);
	EXPECT(counts[BTF_KIND_STRUCT] == 1 && counts[BTF_KIND_ENUM64] == 1);
	/* a dangling reference is caught by the check */
	EXPECT(btf_table__add_ref(t, BTF_KIND_CONST, NULL, 99) == 15);
	EXPECT(btf_table__check(t, &bad, &what) == -EINVAL && bad == 15);
	btf_table__free(t);
}

static uint32_t shift_id(uint32_t id, void *ctx)
{
	return id ? id + *(uint32_t *)ctx : 0;
}

static void test_split_and_copy(void)
{
	struct btf_table *base = btf_table__new(), *split, *copy;
	uint32_t shift = 3, bad;
	const char *what;
	size_t base_len, len;
	long off;
	int id;

	btf_table__add_int(base, "int", 4, BTF_INT_SIGNED, 32);
	btf_table__add_composite(base, BTF_KIND_STRUCT, "list", 8);
	btf_table__add_member(base, "next", 3, 0, 0);
	btf_table__add_ref(base, BTF_KIND_PTR, NULL, 2);
	btf_table__strs_data(base, &base_len);

	split = btf_table__new_split(base);
	EXPECT(btf_table__start_id(split) == 4);
	EXPECT(btf_table__str_start(split) == base_len);
	/* base strings are reused, new ones continue after the base's */
	EXPECT(btf_table__add_str(split, "int") == 1);
	off = btf_table__add_str(split, "module_thing");
	EXPECT(off == (long)base_len);
	id = btf_table__add_composite(split, BTF_KIND_STRUCT, "module_thing", 4);
	EXPECT(id == 4);
	EXPECT(!btf_table__add_member(split, "list", 3, 0, 0));
	EXPECT(!strcmp(btf_table__name(split, 2), "list"));
	EXPECT(btf_table__type_mut(split, 2) == NULL);
	btf_table__strs_data(split, &len);
	EXPECT(len == strlen("module_thing") + 1);
	EXPECT(btf_table__check(split, &bad, &what) == 0);

	copy = btf_table__new();
	for (id = 1; id < 4; id++)
		btf_table__add_int(copy, "pad", 4, 0, 32);
	for (id = 1; id < 4; id++)
		EXPECT(btf_table__add_copy(copy, base, id, shift_id, &shift) == id + 3);
	/* IDs are mapped: list.next -> PTR 6 -> list 5 */
	EXPECT(btf_table__type(copy, 5)->size == 8);
	EXPECT(btf_members(btf_table__type(copy, 5))->type == 6);
	EXPECT(btf_table__type(copy, 6)->type == 5);
	EXPECT(!strcmp(btf_table__name(copy, 5), "list"));
	EXPECT(btf_table__check(copy, &bad, &what) == 0);
	btf_table__free(copy);
	btf_table__free(split);
	btf_table__free(base);
}

/* A run of records copied in one go lands as one-by-one copies would */
static void test_raw_run(void)
{
	struct btf_table *src = btf_table__new(), *one = btf_table__new();
	struct btf_table *run = btf_table__new();
	const void *a, *b;
	size_t la, lb;
	int id;

	btf_table__add_int(src, "int", 4, BTF_INT_SIGNED, 32);
	btf_table__add_composite(src, BTF_KIND_STRUCT, "list", 16);
	btf_table__add_member(src, "next", 3, 0, 0);
	btf_table__add_member(src, "val", 1, 64, 0);
	btf_table__add_ref(src, BTF_KIND_PTR, NULL, 2);
	btf_table__add_enum(src, BTF_KIND_ENUM, "e", 4, false);
	btf_table__add_enum_value(src, "A", 1);

	btf_table__add_int(one, "pad", 4, 0, 32);
	btf_table__add_int(run, "pad", 4, 0, 32);
	for (id = 2; id <= 4; id++)
		EXPECT(btf_table__add_raw(one, btf_table__type(src, id)) == id);
	EXPECT(btf_table__add_raw_run(run, src, 2, 3) == 2);
	EXPECT(btf_table__type_cnt(run) == btf_table__type_cnt(one));
	a = btf_table__types_data(one, &la);
	b = btf_table__types_data(run, &lb);
	EXPECT(la == lb && !memcmp(a, b, la));
	for (id = 1; id <= 4; id++)
		EXPECT(btf_rec_size(btf_table__type(run, id)) ==
		       btf_rec_size(btf_table__type(one, id)));
	/* a run that is not all there: nothing added */
	EXPECT(btf_table__add_raw_run(run, src, 3, 3) == -EINVAL);
	EXPECT(btf_table__add_raw_run(run, src, 0, 1) == -EINVAL);
	EXPECT(btf_table__add_raw_run(run, src, 5, 1) == -EINVAL);
	EXPECT(btf_table__add_raw_run(run, src, 1, 0) == -EINVAL);
	EXPECT(btf_table__type_cnt(run) == 5);
	/* the last record of the source, alone */
	EXPECT(btf_table__add_raw_run(run, src, 4, 1) == 5);
	EXPECT(btf_kind(btf_table__type(run, 5)) == BTF_KIND_ENUM);
	EXPECT(btf_vlen(btf_table__type(run, 5)) == 1);
	btf_table__free(src);
	btf_table__free(one);
	btf_table__free(run);
}

int main(void)
{
	test_strtab();
	test_hmap_multimap();
	test_all_kinds();
	test_split_and_copy();
	test_raw_run();
	if (failures)
		fprintf(stderr, "%d expectation(s) failed\n", failures);
	return failures ? 1 : 0;
}
