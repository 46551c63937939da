/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Dedup: collapse duplicate types in a type table, in place.
 *
 * Input: a table whose types may be repeated (once per compilation unit),
 * possibly split on a base table.  Output: the same table holding each
 * distinct type once, with every reference remapped, strings deduplicated
 * and unused strings dropped.  For a split table, types equivalent to base
 * types are removed and references point into the base; the base is never
 * changed.  Type order: first occurrence order of the surviving types.
 * The result is deterministic: it depends only on the input table.
 * See dedup/dedup.c for the algorithm.
 */
#ifndef BTFENC_DEDUP_H
#define BTFENC_DEDUP_H

#include "btf_table.h"

struct dedup_opts {
	int reserved;
};

int dedup__run(struct btf_table *tab, const struct dedup_opts *opts);

#endif
