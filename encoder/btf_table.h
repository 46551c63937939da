/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The BTF type table: the in-memory form every stage reads and writes.
 *
 * Input: types added one record at a time (by the DWARF reader, the BTF
 * reader, dedup or minimize).  Output: the same records, native-endian and
 * laid out exactly as the BTF type section, plus a string set, so writing
 * is a copy.
 *
 * Invariants:
 * - IDs are dense: a table's own types are start_id .. type_cnt - 1.  ID 0
 *   is void.  A split table (btf_table__new_split) continues after its base:
 *   start_id is the base's type_cnt and its string offsets start at the
 *   base's string section length.  Base types are read-only through it.
 * - The table owns every string (names are copied in), so no other data
 *   structure needs to stay alive.
 * - A `struct btf_type *` from btf_table__type*() is borrowed until the next
 *   add: growth may move records.  Keep IDs, not pointers.
 * - A table may exceed BTF's limits (BTF_MAX_TYPE types, 16 MiB of names)
 *   while it holds duplicates; writers refuse a table over them.
 * - The table checks what it can at add time (kind, vlen, offsets); it does
 *   not check that referenced IDs exist (forward references are normal while
 *   loading).  btf_table__check() validates the whole table.
 *
 * Adders return the new type ID (> 0) or -errno.  add_member and the other
 * "append to the last type" calls return 0 or -errno and extend the most
 * recently added type, which must be of the matching kind (-EINVAL).
 * Nothing here prints.
 */
#ifndef BTFENC_BTF_TABLE_H
#define BTFENC_BTF_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "btf_format.h"

struct btf_table;

struct btf_table *btf_table__new(void);
/* @base must outlive the split table and must not change while it lives. */
struct btf_table *btf_table__new_split(const struct btf_table *base);
void btf_table__free(struct btf_table *tab);
/* Replace @dst's contents by @src's (same base required); frees @src. */
int btf_table__move(struct btf_table *dst, struct btf_table *src);

const struct btf_table *btf_table__base(const struct btf_table *tab);
uint32_t btf_table__start_id(const struct btf_table *tab);
/* Last valid ID + 1 (includes the base's types) */
uint32_t btf_table__type_cnt(const struct btf_table *tab);
/* Own types only */
static inline uint32_t btf_table__nr_own(const struct btf_table *tab);

/* NULL when @id is out of range; ID 0 gives a static void record. */
const struct btf_type *btf_table__type(const struct btf_table *tab, uint32_t id);
/*
 * For loops that look up records by the million: the table's own records
 * start at the returned address, own ID i at byte offset (*@offs)[i -
 * start_id] from there.  Both are borrowed until the next add.
 */
const char *btf_table__records(const struct btf_table *tab,
			       const uint32_t **offs);
/* Whether two tables' own type and string sections are the same bytes */
bool btf_table__same_bytes(const struct btf_table *a,
			   const struct btf_table *b);
/* Own types only; NULL for base IDs and out-of-range IDs. */
struct btf_type *btf_table__type_mut(struct btf_table *tab, uint32_t id);

/* Strings: offsets below str_start belong to the base. */
uint32_t btf_table__str_start(const struct btf_table *tab);
const char *btf_table__str(const struct btf_table *tab, uint32_t off);
/* Name of a type, "" when anonymous, NULL when the offset is invalid */
const char *btf_table__name(const struct btf_table *tab, uint32_t id);
long btf_table__add_str(struct btf_table *tab, const char *s);
long btf_table__find_str(const struct btf_table *tab, const char *s);

/* The own type and string sections, as they will be written */
const void *btf_table__types_data(const struct btf_table *tab, size_t *len);
const char *btf_table__strs_data(const struct btf_table *tab, size_t *len);

/* Adders: @name may be NULL or "" for anonymous types. */
int btf_table__add_int(struct btf_table *tab, const char *name, uint32_t size,
		       unsigned int encoding, unsigned int bits);
int btf_table__add_float(struct btf_table *tab, const char *name, uint32_t size);
/* PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG */
int btf_table__add_ref(struct btf_table *tab, unsigned int kind,
		       const char *name, uint32_t type);
int btf_table__add_fwd(struct btf_table *tab, const char *name, bool is_union);
int btf_table__add_array(struct btf_table *tab, uint32_t elem, uint32_t index,
			 uint32_t nelems);
/* STRUCT or UNION, then add_member for each member */
int btf_table__add_composite(struct btf_table *tab, unsigned int kind,
			     const char *name, uint32_t size);
int btf_table__add_member(struct btf_table *tab, const char *name,
			  uint32_t type, uint32_t bit_off, uint32_t bitfield_sz);
/* ENUM or ENUM64, then add_enum_value for each value */
int btf_table__add_enum(struct btf_table *tab, unsigned int kind,
			const char *name, uint32_t size, bool is_signed);
int btf_table__add_enum_value(struct btf_table *tab, const char *name,
			      int64_t value);
int btf_table__add_func_proto(struct btf_table *tab, uint32_t ret);
int btf_table__add_param(struct btf_table *tab, const char *name, uint32_t type);
int btf_table__add_func(struct btf_table *tab, const char *name,
			enum btf_linkage linkage, uint32_t proto);
int btf_table__add_var(struct btf_table *tab, const char *name, uint32_t type,
		       enum btf_linkage linkage);
int btf_table__add_datasec(struct btf_table *tab, const char *name,
			   uint32_t size);
int btf_table__add_secinfo(struct btf_table *tab, uint32_t var,
			   uint32_t offset, uint32_t size);
int btf_table__add_decl_tag(struct btf_table *tab, const char *value,
			    uint32_t type, int component_idx);

/*
 * Copy a whole record (header and kind data) whose string offsets are
 * already this table's.  The record is checked for a known kind only.
 */
int btf_table__add_raw(struct btf_table *tab, const struct btf_type *t);
/*
 * Copy @n consecutive own records of @src, from ID @first, in one go, as
 * btf_table__add_raw would one by one (their string offsets and IDs are
 * copied as they are, for the caller to translate).  The ID of the first
 * copy, or -errno (-EINVAL when @src does not have them all).
 */
int btf_table__add_raw_run(struct btf_table *tab, const struct btf_table *src,
			   uint32_t first, uint32_t n);
/*
 * A table holding a type section and a string section exactly as read from
 * a BTF blob (native-endian, @types 4-byte aligned): string offsets are kept,
 * records are copied with btf_table__add_raw.  Split on @base when given.
 * NULL with errno EINVAL when a record runs past @types_len, has an unknown
 * kind, or the strings are not a valid section; E2BIG, ENOMEM.  Nothing is
 * validated beyond that: call btf_table__check().
 */
struct btf_table *btf_table__from_raw_sections(const void *types,
					       size_t types_len,
					       const char *strs,
					       size_t strs_len,
					       const struct btf_table *base);
/*
 * Copy a record from another table, re-adding its strings here and mapping
 * each type ID through @map_id (NULL: IDs are kept).
 */
int btf_table__add_copy(struct btf_table *tab, const struct btf_table *src,
			uint32_t src_id,
			uint32_t (*map_id)(uint32_t id, void *ctx), void *ctx);

/*
 * Visit every type-ID field (or string-offset field) of a record; the
 * first non-zero return of @fn ends the visit and is returned.  Inline, so
 * that a caller's @fn is inlined in its loop over millions of records.
 */
typedef int (*btf_field_fn)(uint32_t *field, void *ctx);

static inline int btf_rec__visit_ids(struct btf_type *t, btf_field_fn fn,
				     void *ctx)
{
	unsigned int i, n = btf_vlen(t);
	int err = 0;

	switch (btf_kind(t)) {
	case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_FUNC:
	case BTF_KIND_VAR: case BTF_KIND_DECL_TAG: case BTF_KIND_TYPE_TAG:
		return fn(&t->type, ctx);
	case BTF_KIND_ARRAY:
		err = fn(&btf_array(t)->type, ctx);
		return err ? err : fn(&btf_array(t)->index_type, ctx);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		for (i = 0; i < n && !err; i++)
			err = fn(&btf_members(t)[i].type, ctx);
		return err;
	case BTF_KIND_FUNC_PROTO:
		err = fn(&t->type, ctx);
		for (i = 0; i < n && !err; i++)
			err = fn(&btf_params(t)[i].type, ctx);
		return err;
	case BTF_KIND_DATASEC:
		for (i = 0; i < n && !err; i++)
			err = fn(&btf_secinfos(t)[i].type, ctx);
		return err;
	default:
		return 0;
	}
}

static inline int btf_rec__visit_strs(struct btf_type *t, btf_field_fn fn,
				      void *ctx)
{
	unsigned int i, n = btf_vlen(t);
	int err = fn(&t->name_off, ctx);

	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		for (i = 0; i < n && !err; i++)
			err = fn(&btf_members(t)[i].name_off, ctx);
		break;
	case BTF_KIND_ENUM:
		for (i = 0; i < n && !err; i++)
			err = fn(&btf_enums(t)[i].name_off, ctx);
		break;
	case BTF_KIND_ENUM64:
		for (i = 0; i < n && !err; i++)
			err = fn(&btf_enums64(t)[i].name_off, ctx);
		break;
	case BTF_KIND_FUNC_PROTO:
		for (i = 0; i < n && !err; i++)
			err = fn(&btf_params(t)[i].name_off, ctx);
		break;
	default:
		break;
	}
	return err;
}

/*
 * Structural validation of the own types: known kinds, string offsets in
 * range, referenced IDs in range, per-kind rules of the kernel's verifier
 * that do not need layout.  On error *@bad_id is the offending type.
 * @what gets a static description of the problem.
 */
int btf_table__check(const struct btf_table *tab, uint32_t *bad_id,
		     const char **what);

/* Counts of own types per kind (array of BTF_KIND_NR) */
void btf_table__count_kinds(const struct btf_table *tab, uint32_t *counts);

static inline uint32_t btf_table__nr_own(const struct btf_table *tab)
{
	return btf_table__type_cnt(tab) - btf_table__start_id(tab);
}

/*
 * The length of @name without its CO-RE "___flavor" suffix: the part
 * before the last "X___Y" where X and Y are not underscores
 */
size_t btf__essential_len(const char *name);

#endif
