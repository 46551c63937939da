/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers for the dedup unit tests: build tables through the table API,
 * run dedup, look results up by kind and name.
 */
#ifndef BTFENC_DEDUP_TEST_H
#define BTFENC_DEDUP_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedup/dedup.h"
#include "encoder/btf_table.h"

static int failures;

#define EXPECT(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: %s: expected %s\n", __FILE__, __LINE__, \
			__func__, #cond); \
		failures++; \
	} \
} while (0)

/* Build steps that cannot fail in a test unless the table is broken */
static inline uint32_t add_ok(long id, const char *expr, int line)
{
	if (id < 0) {
		fprintf(stderr, "%s:%d: %s failed: %ld\n", __FILE__, line, expr, id);
		exit(1);
	}
	return id;
}

#define ADD(expr) add_ok((expr), #expr, __LINE__)

static inline void dedup_ok(struct btf_table *tab)
{
	uint32_t bad = 0;
	const char *what = NULL;
	int err = dedup__run(tab, NULL);

	if (err) {
		fprintf(stderr, "dedup__run: %d\n", err);
		failures++;
		return;
	}
	if (btf_table__check(tab, &bad, &what)) {
		fprintf(stderr, "check after dedup: [%u] %s\n", bad, what);
		failures++;
	}
}

static inline uint32_t nr_kind(const struct btf_table *tab, unsigned int kind)
{
	uint32_t counts[BTF_KIND_NR];

	btf_table__count_kinds(tab, counts);
	return counts[kind];
}

/* Own types of @kind named @name ("" for anonymous) */
static inline uint32_t nr_named(const struct btf_table *tab, unsigned int kind,
				const char *name)
{
	uint32_t id, n = 0;

	for (id = btf_table__start_id(tab); id < btf_table__type_cnt(tab); id++)
		if (btf_kind(btf_table__type(tab, id)) == kind &&
		    !strcmp(btf_table__name(tab, id), name))
			n++;
	return n;
}

/* The first own type of @kind named @name, or 0 */
static inline uint32_t find_named(const struct btf_table *tab,
				  unsigned int kind, const char *name)
{
	uint32_t id;

	for (id = btf_table__start_id(tab); id < btf_table__type_cnt(tab); id++)
		if (btf_kind(btf_table__type(tab, id)) == kind &&
		    !strcmp(btf_table__name(tab, id), name))
			return id;
	return 0;
}

static inline uint32_t member_type(const struct btf_table *tab, uint32_t id,
				   unsigned int i)
{
	return btf_members(btf_table__type(tab, id))[i].type;
}

static inline const char *member_name(const struct btf_table *tab,
				      uint32_t id, unsigned int i)
{
	return btf_table__str(tab, btf_members(btf_table__type(tab, id))[i].name_off);
}

static inline uint32_t ref_type(const struct btf_table *tab, uint32_t id)
{
	return btf_table__type(tab, id)->type;
}

static inline unsigned int kind_of(const struct btf_table *tab, uint32_t id)
{
	return btf_kind(btf_table__type(tab, id));
}

static inline int test_exit(void)
{
	if (failures)
		fprintf(stderr, "%d failure(s)\n", failures);
	return failures ? 1 : 0;
}

#endif
