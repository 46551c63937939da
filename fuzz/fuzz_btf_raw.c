// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the raw BTF reader (btf_io__parse_raw), standalone and split
 * on a small base.  What it accepts must also dump, and round-trip through
 * the writer's blob to an equal blob.
 */
#define _GNU_SOURCE	/* memfd_create, in fuzz_common.h */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_io.h"
#include "btf_table.h"
#include "fuzz_common.h"

static struct btf_table *base;
static FILE *devnull;

/* A base like a tiny vmlinux: int, char, a struct with a pointer to itself */
static struct btf_table *make_base(void)
{
	struct btf_table *t = btf_table__new();
	int i, c, s, p;

	if (!t)
		abort();
	i = btf_table__add_int(t, "int", 4, BTF_INT_SIGNED, 32);
	c = btf_table__add_int(t, "char", 1, BTF_INT_SIGNED, 8);
	s = btf_table__add_composite(t, BTF_KIND_STRUCT, "list_head", 16);
	p = s + 1;	/* added right after the members */
	if (i < 0 || c < 0 || s < 0 ||
	    btf_table__add_member(t, "next", p, 0, 0) ||
	    btf_table__add_member(t, "prev", p, 64, 0) ||
	    btf_table__add_ref(t, BTF_KIND_PTR, NULL, s) != p ||
	    btf_table__add_enum(t, BTF_KIND_ENUM, "e", 4, false) < 0 ||
	    btf_table__add_enum_value(t, "E_A", 1))
		abort();
	return t;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	base = make_base();
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return 0;
}

/* What was read is written back, read again, and written the same */
static void round_trip(const struct btf_table *tab, const struct btf_table *b)
{
	struct btf_table *again = NULL;
	void *blob, *blob2;
	size_t len, len2;

	if (btf_io__dump(tab, devnull))
		abort();
	if (btf_io__raw_data(tab, &blob, &len))
		return;	/* over BTF's limits: the writer refuses, fine */
	if (btf_io__parse_raw(blob, len, "round trip", b, &again))
		abort();
	if (btf_io__raw_data(again, &blob2, &len2))
		abort();
	if (len != len2 || memcmp(blob, blob2, len))
		abort();
	free(blob);
	free(blob2);
	btf_table__free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btf_table *tab = NULL;

	if (!btf_io__parse_raw(data, size, "fuzz", NULL, &tab))
		round_trip(tab, NULL);
	btf_table__free(tab);
	tab = NULL;
	if (!btf_io__parse_raw(data, size, "fuzz", base, &tab))
		round_trip(tab, base);
	btf_table__free(tab);
	return 0;
}
