// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Streaming dedup (dedup__stream_*): a table filled unit by unit, with the
 * stream told after each unit, must come out byte for byte as dedup__run
 * makes it.  Enum forward declarations are the case the stream cannot
 * decide alone: a declaration before its full enum (it resolves through a
 * stand-in), unlike declarations of one name, a second full enum of the
 * name coming later, a full enum that never comes.  The stream says when
 * it had to start over; the cases it must handle without are checked to.
 */
#include "dedup-test.h"

/* A unit's types; every unit refers only to its own types */
typedef void (*unit_fn)(struct btf_table *tab);

/* struct list { struct list *next; int v; }; typedef struct list list_t; */
static void unit_list(struct btf_table *tab)
{
	uint32_t i = ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));
	uint32_t s = ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "list", 16));
	uint32_t p;

	ADD(btf_table__add_member(tab, "next", s + 1, 0, 0));
	ADD(btf_table__add_member(tab, "v", i, 64, 0));
	p = ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, s));
	EXPECT(p == s + 1);
	ADD(btf_table__add_ref(tab, BTF_KIND_TYPEDEF, "list_t", s));
}

/* struct holder { struct list *l; }; with struct list only declared */
static void unit_holder_fwd(struct btf_table *tab)
{
	uint32_t f = ADD(btf_table__add_fwd(tab, "list", false));
	uint32_t s = ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "holder", 8));

	ADD(btf_table__add_member(tab, "l", s + 1, 0, 0));
	ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, f));
}

/* struct vc { enum vi mode; int x; }, the enum declared or defined */
static void unit_vc(struct btf_table *tab, bool full, uint32_t enum_size,
		    int64_t value)
{
	uint32_t e = ADD(btf_table__add_enum(tab, BTF_KIND_ENUM, "vi", enum_size,
					     false));
	uint32_t i, s;

	if (full)
		ADD(btf_table__add_enum_value(tab, "VI_NORMAL", value));
	i = ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));
	s = ADD(btf_table__add_composite(tab, BTF_KIND_STRUCT, "vc", 8));
	ADD(btf_table__add_member(tab, "mode", e, 0, 0));
	ADD(btf_table__add_member(tab, "x", i, 32, 0));
	ADD(btf_table__add_ref(tab, BTF_KIND_PTR, NULL, s));
}

static void unit_vc_fwd(struct btf_table *tab)
{
	unit_vc(tab, false, 4, 0);
}

static void unit_vc_fwd_small(struct btf_table *tab)
{
	unit_vc(tab, false, 1, 0);
}

static void unit_vc_full(struct btf_table *tab)
{
	unit_vc(tab, true, 4, 0);
}

static void unit_vc_full_other(struct btf_table *tab)
{
	unit_vc(tab, true, 4, 7);
}

/* A pointer to a type appended only with the next unit */
static void unit_ahead(struct btf_table *tab)
{
	uint32_t next = btf_table__type_cnt(tab) + 1;

	ADD(btf_table__add_ref(tab, BTF_KIND_PTR, "", next));
}

static void unit_int(struct btf_table *tab)
{
	ADD(btf_table__add_int(tab, "int", 4, BTF_INT_SIGNED, 32));
}

/*
 * Build @units into two tables, dedup one with dedup__run and the other
 * through a stream; they must match.  Returns whether the stream started
 * over; the streamed table is left in *@out for more checks.
 */
static bool run_both(const char *what, const unit_fn *units, size_t n,
		     struct btf_table **out)
{
	struct btf_table *batch = btf_table__new(), *tab = btf_table__new();
	struct dedup_stream *s = dedup__stream_new(tab);
	bool restarted;
	size_t i;
	int err;

	if (!batch || !tab || !s) {
		fprintf(stderr, "%s: out of memory\n", what);
		exit(1);
	}
	for (i = 0; i < n; i++) {
		units[i](batch);
		units[i](tab);
		dedup__stream_add(s);
	}
	err = dedup__run(batch, NULL);
	EXPECT(dedup__stream_finish(s) == err);
	restarted = dedup__stream_restarted(s);
	dedup__stream_free(s);
	if (!btf_table__same_bytes(batch, tab)) {
		fprintf(stderr, "%s: streamed dedup differs from dedup__run\n", what);
		failures++;
	}
	btf_table__free(batch);
	*out = tab;
	return restarted;
}

static void test_structs(void)
{
	const unit_fn units[] = { unit_list, unit_holder_fwd, unit_list,
				  unit_holder_fwd, unit_list };
	struct btf_table *tab;

	EXPECT(!run_both("structs", units, 5, &tab));
	EXPECT(nr_named(tab, BTF_KIND_STRUCT, "list") == 1);
	EXPECT(nr_named(tab, BTF_KIND_STRUCT, "holder") == 1);
	/* the declaration resolved to the definition of another unit */
	EXPECT(nr_kind(tab, BTF_KIND_FWD) == 0);
	btf_table__free(tab);
}

/* A declaration first, its only full enum later: through a stand-in */
static void test_enum_fwd_first(void)
{
	const unit_fn units[] = { unit_vc_fwd, unit_vc_fwd, unit_vc_full,
				  unit_vc_fwd };
	struct btf_table *tab;
	uint32_t vc;

	EXPECT(!run_both("enum declared first", units, 4, &tab));
	vc = find_named(tab, BTF_KIND_STRUCT, "vc");
	EXPECT(nr_named(tab, BTF_KIND_STRUCT, "vc") == 1);
	EXPECT(nr_named(tab, BTF_KIND_ENUM, "vi") == 1);
	EXPECT(vc && btf_vlen(btf_table__type(tab, member_type(tab, vc, 0))) == 1);
	btf_table__free(tab);
}

/* The full enum first: declarations resolve to it at once */
static void test_enum_full_first(void)
{
	const unit_fn units[] = { unit_vc_full, unit_vc_fwd, unit_vc_fwd };
	struct btf_table *tab;

	EXPECT(!run_both("enum defined first", units, 3, &tab));
	EXPECT(nr_named(tab, BTF_KIND_ENUM, "vi") == 1);
	btf_table__free(tab);
}

/* No full enum ever: declarations merge with their likes only */
static void test_enum_never_full(void)
{
	const unit_fn units[] = { unit_vc_fwd, unit_vc_fwd_small, unit_vc_fwd,
				  unit_vc_fwd_small };
	struct btf_table *tab;

	EXPECT(!run_both("enum never defined", units, 4, &tab));
	EXPECT(nr_named(tab, BTF_KIND_ENUM, "vi") == 2);
	btf_table__free(tab);
}

/* Unlike declarations, then their one full enum: the stream starts over */
static void test_enum_unlike_fwds(void)
{
	const unit_fn units[] = { unit_vc_fwd, unit_vc_fwd_small, unit_vc_full };
	struct btf_table *tab;

	EXPECT(run_both("unlike enum declarations", units, 3, &tab));
	btf_table__free(tab);
}

/* A second full enum of the name after declarations took the first */
static void test_enum_second_full(void)
{
	const unit_fn units[] = { unit_vc_full, unit_vc_fwd, unit_vc_full_other };
	struct btf_table *tab;

	EXPECT(run_both("second full enum", units, 3, &tab));
	EXPECT(nr_named(tab, BTF_KIND_ENUM, "vi") == 3);
	btf_table__free(tab);
}

/* A reference to a type not appended yet: the stream starts over */
static void test_ahead(void)
{
	const unit_fn units[] = { unit_list, unit_ahead, unit_int, unit_list };
	struct btf_table *tab;

	EXPECT(run_both("reference ahead", units, 4, &tab));
	btf_table__free(tab);
}

static void test_refused(void)
{
	struct btf_table *base = btf_table__new(), *split, *full;

	unit_list(base);
	split = btf_table__new_split(base);
	full = btf_table__new();
	unit_int(full);
	EXPECT(dedup__stream_new(split) == NULL);
	EXPECT(dedup__stream_new(full) == NULL);
	btf_table__free(split);
	btf_table__free(full);
	btf_table__free(base);
}

int main(void)
{
	struct btf_table *tab;

	test_structs();
	test_enum_fwd_first();
	test_enum_full_first();
	test_enum_never_full();
	test_enum_unlike_fwds();
	test_enum_second_full();
	test_ahead();
	test_refused();
	/* nothing appended at all */
	EXPECT(!run_both("empty", NULL, 0, &tab));
	EXPECT(btf_table__type_cnt(tab) == 1);
	btf_table__free(tab);
	return test_exit();
}
