/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Dedup: collapse duplicate types in a type table, in place.
 *
 * Input: a table whose types may be repeated (once per compilation unit),
 * possibly split on a base table.  Output: the same table holding each
 * distinct type once, with every reference remapped, strings deduplicated
 * and unused strings dropped.  For a split table, types equivalent to base
 * types are removed and references point into the base; the base is never
 * changed.  A split struct equal to a base struct but for defining what the
 * base only declares (a FWD) is not equivalent: the first such struct stays
 * in the split, and the split's references to that FWD mean its definition,
 * so later such structs map to the base.  That is the module BTF of the
 * kernel build (libbpf's dedup), type for type.
 * Type order: first occurrence order of the surviving types.
 * The result is deterministic: it depends only on the input table.
 * VAR and DATASEC records are never merged (each names one object), only
 * remapped.  A FWD resolves to the struct or union it stands for where the
 * type graphs show which one, or when its name has only one (in a split
 * table, only when the base does not declare that name too).
 * See dedup/dedup.c for the algorithm.
 *
 * Returns 0, or -ENOMEM, -EINVAL (a referenced type ID that does not
 * exist), -ELOOP (a cycle of reference types that no struct breaks); on
 * error the table is as it was.  Records borrowed from @tab before the
 * call are stale after it.  Nothing here prints.  @opts may be NULL.
 */
#ifndef BTFENC_DEDUP_H
#define BTFENC_DEDUP_H

#include "btf_table.h"

struct dedup_opts {
	/*
	 * Every string offset in the table's own records was returned by
	 * btf_table__add_str on this table (the DWARF reader's tables): they
	 * are known to start the only copy of their string, so that check of
	 * the input is skipped.  Referenced IDs are checked all the same.
	 */
	bool strs_from_table;
};

int dedup__run(struct btf_table *tab, const struct dedup_opts *opts);

/*
 * The same result as dedup__run, with part of the work done while the
 * table is being filled: for a table that is not split and has no types
 * yet (else NULL, also on ENOMEM: then use dedup__run).  Call
 * dedup__stream_add after appending types (it never fails: after an error
 * the stream stops, and finish starts over); dedup__stream_finish once the
 * table is complete, which returns what dedup__run would, the table then
 * deduplicated.  Meanwhile the table's records may only be appended, and
 * through the table API as for strs_from_table (see above).  A record that
 * refers to a type not appended yet, or an enum forward declaration
 * resolved before the full enum it stands for came, makes finish start
 * over, never a different result.  Free the stream after finish.
 */
struct dedup_stream;

struct dedup_stream *dedup__stream_new(struct btf_table *tab);
void dedup__stream_add(struct dedup_stream *s);
int dedup__stream_finish(struct dedup_stream *s);
/* After finish: whether it had to start over (for --stats and tests) */
bool dedup__stream_restarted(const struct dedup_stream *s);
void dedup__stream_free(struct dedup_stream *s);

#endif
