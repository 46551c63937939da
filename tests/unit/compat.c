// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Feature downgrade: each missing feature rewrites its kind as documented
 * in encoder/btf_compat.h, and references survive the renumbering.
 */
#include <stdio.h>
#include <string.h>

#include "encoder/btf_compat.h"
#include "encoder/btf_features.h"

static int failures;

#define EXPECT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
		failures++; \
	} \
} while (0)

/*
 * 1 int, 2 double, 3 TYPE_TAG user -> 1, 4 PTR -> 3, 5 struct s { int *p;
 * double d; }, 6 DECL_TAG on 5, 7 ENUM64 e, 8 VAR v, 9 DATASEC
 */
static struct btf_table *make_table(void)
{
	struct btf_table *t = btf_table__new();

	btf_table__add_int(t, "int", 4, BTF_INT_SIGNED, 32);
	btf_table__add_float(t, "double", 8);
	btf_table__add_ref(t, BTF_KIND_TYPE_TAG, "user", 1);
	btf_table__add_ref(t, BTF_KIND_PTR, NULL, 3);
	btf_table__add_composite(t, BTF_KIND_STRUCT, "s", 16);
	btf_table__add_member(t, "p", 4, 0, 0);
	btf_table__add_member(t, "d", 2, 64, 0);
	btf_table__add_decl_tag(t, "tag", 5, -1);
	btf_table__add_enum(t, BTF_KIND_ENUM64, "e", 8, false);
	btf_table__add_enum_value(t, "SMALL", 7);
	btf_table__add_enum_value(t, "BIG", 0x123456789ll);
	btf_table__add_var(t, "v", 5, BTF_LINKAGE_GLOBAL);
	btf_table__add_datasec(t, ".data..percpu", 16);
	btf_table__add_secinfo(t, 8, 0, 16);
	return t;
}

static void test_none_removed(void)
{
	struct btf_table *t = make_table();

	EXPECT(btf_compat__apply(t, btf_features_default()) == 0);
	EXPECT(btf_table__type_cnt(t) == 10);
	btf_table__free(t);
}

static void test_all_downgraded(void)
{
	struct btf_table *t = make_table();
	const struct btf_type *s, *e, *d;
	uint32_t bad;
	const char *what;

	EXPECT(btf_compat__apply(t, 0) == 0);
	/* left: int, double-as-INT, PTR, struct, ENUM */
	EXPECT(btf_table__type_cnt(t) == 6);
	d = btf_table__type(t, 2);
	EXPECT(btf_kind(d) == BTF_KIND_INT && d->size == 8 && btf_int_bits(d) == 64);
	EXPECT(!strcmp(btf_table__name(t, 2), "double"));
	/* the PTR skips the dropped TYPE_TAG */
	EXPECT(btf_kind(btf_table__type(t, 3)) == BTF_KIND_PTR);
	EXPECT(btf_table__type(t, 3)->type == 1);
	s = btf_table__type(t, 4);
	EXPECT(btf_kind(s) == BTF_KIND_STRUCT && btf_members(s)[0].type == 3 &&
	       btf_members(s)[1].type == 2);
	e = btf_table__type(t, 5);
	EXPECT(btf_kind(e) == BTF_KIND_ENUM && e->size == 8 && btf_vlen(e) == 3);
	EXPECT(!strcmp(btf_table__str(t, btf_enums(e)[0].name_off), "SMALL") &&
	       btf_enums(e)[0].val == 7);
	EXPECT(!strcmp(btf_table__str(t, btf_enums(e)[1].name_off), "BIG__lo32") &&
	       (uint32_t)btf_enums(e)[1].val == 0x23456789u);
	EXPECT(!strcmp(btf_table__str(t, btf_enums(e)[2].name_off), "BIG__hi32") &&
	       btf_enums(e)[2].val == 1);
	EXPECT(btf_table__check(t, &bad, &what) == 0);
	btf_table__free(t);
}

int main(void)
{
	test_none_removed();
	test_all_downgraded();
	return failures ? 1 : 0;
}
