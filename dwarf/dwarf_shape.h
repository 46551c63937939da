/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shapes: which units a kernel's --min needs to read, and what of them.
 *
 * Minimizing looks up its candidates by name and walks what they refer
 * to, so of a whole kernel it needs the types the records' names reach.
 * Reading only some units gives the same output as reading all of them
 * when dedup makes the same classes of the types it needs either way.
 * That holds when every type name reached has one shape in the whole
 * kernel:
 *
 * - A key is a kind class and a name: struct, class and union together
 *   (a FWD whose name two of them share is not resolved), enum, typedef,
 *   base type.
 * - A definition's shape is everything the encoder reads of its DIE and of
 *   the DIEs below it (members, enumerators, subranges, parameters): tag,
 *   the attributes it reads, their form classes and values, children; a
 *   reference to a named type counts as its tag and name, a reference to
 *   an anonymous one as that type's shape (a pointer, an array, a
 *   prototype, an anonymous struct).  Each DIE's values are folded into a
 *   word, the words into a 128-bit hash; shapes are compared as hashes.
 *   The unit's producer, address size and DWARF version count too.  A
 *   type nested in a type is no part of its record (the walk takes it on
 *   its own, as the encoder's does).
 * - Scanning every unit (in parallel, merged in unit order) gives each key
 *   its shapes, its declarations, the keys its shape refers to, and the
 *   units that define it.
 * - The closure: the keys whose names are a record's (less "___flavor"),
 *   plus 'int' (the encoder's array index type), and every key their
 *   shapes refer to, transitively, through pointers too.
 * - If every key of the closure has a single shape (and, for a struct or
 *   union, declarations of the definition's kind; without definition,
 *   declarations of one shape; 'int' a signed 4-byte int), then the
 *   encoder gives every definition of a key the same records up to the
 *   keys they name, and so, key by key, dedup puts them all in one class
 *   and resolves every FWD of the name to it: in the whole kernel, and in
 *   any set of units holding a definition of each key (a declaration,
 *   where there is none).  Minimizing then reaches the same types with
 *   the same members, whatever their IDs, and emits them in the order it
 *   first reaches them (minimize/keep.c): the same bytes.
 * - Anything else (two shapes, a DIE the scan cannot read, a loop of
 *   anonymous types, a reference out of the unit) makes the key unsure,
 *   and an unsure key in the closure, or a unit the scan could not walk,
 *   means reading every unit, as without the scan.
 *
 *
 * Private to dwarf/: shape__scan runs on each unit in place of its
 * encoding (a unit_plan of UNIT_SCAN, dwarf_units.c), shapes__* choose
 * the units to read, and the encoder of each (UNIT_ENCODE_DIES) asks
 * shape__wanted and shape__elsewhere.
 */
#ifndef BTFENC_DWARF_SHAPE_H
#define BTFENC_DWARF_SHAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <elfutils/libdw.h>

#include "dwarf_reader.h"

struct cu_enc;
struct cu_out;
struct cu_scratch;
struct dwarf_file;
struct shape_scratch;

enum shape_cls {
	SHAPE_COMPOSITE = 1,	/* struct, class, union */
	SHAPE_ENUM = 3,
	SHAPE_TYPEDEF = 4,
	SHAPE_BASE = 5,
};

enum shape_flags {
	SHAPE_DECL = 1 << 0,	/* a declaration */
	SHAPE_UNION = 1 << 1,	/* a union's */
	SHAPE_UNSURE = 1 << 2,	/* the shape could not be read whole */
	SHAPE_ODD_INT = 1 << 3,	/* 'int', not a signed 4-byte int */
	SHAPE_NESTED = 1 << 4,	/* a definition among a type's children */
};

/* A named type the scan took: a definition or a declaration */
struct shape_ent {
	uint64_t key;		/* shape__key(cls, the name's hash) */
	uint64_t sig[2];	/* its shape */
	const char *name;	/* libdw's */
	uint32_t refs;		/* the keys its shape names, in shape_unit.refs */
	uint32_t nr_refs;
	uint32_t off;		/* its DIE's offset in the unit */
	uint8_t cls;		/* enum shape_cls */
	uint8_t flags;		/* enum shape_flags */
};

/* What scanning a unit found */
struct shape_unit {
	struct shape_ent *ents;
	size_t nr_ents;
	size_t ents_cap;
	uint64_t *refs;
	size_t nr_refs;
	size_t refs_cap;
	bool unsure;		/* the unit could not be scanned whole */
};

/*
 * dwarf_shape.c: scan the unit at @off (up to @next_off) for its named
 * types and their shapes, into out->shape; never fails (out->shape.unsure
 * says the scan could not read it whole).
 */
void shape__scan(const struct dwarf_file *f, Dwarf_Off off, Dwarf_Off next_off,
		 Dwarf_Die *cudie, struct cu_scratch *s, struct cu_out *out);
void shape_scratch__free(struct shape_scratch *ss);
uint64_t shape__key(int cls, uint64_t name_hash);
/* The enum shape_cls of a type DIE of @tag, 0 if such types have no key */
int shape__tag_cls(int tag);
/* The key of a type of class @cls named @name */
uint64_t shape__name_key(int cls, const char *name);

/* dwarf_subset.c */

/* Every unit's names and shapes, added in unit order */
struct shapes;
struct shapes *shapes__new(void);
void shapes__free(struct shapes *g);
void shapes__add_unit(struct shapes *g, uint32_t unit, const struct cu_out *out);
/*
 * Which of the @nr_units units to read for @roots: @sel[i] for each,
 * res->subset true; res->subset false when every unit is to be read
 * (res->why says why).  0, or -ENOMEM.
 */
int shapes__select(struct shapes *g, const struct dwarf_type_name *roots,
		   size_t nr_roots, bool *sel, size_t nr_units,
		   struct dwarf_subset *res);
/*
 * After a subset select: for each unit read, the offsets (in the unit,
 * ascending) of the DIEs of the names assigned to it, which its walk
 * would encode (UNIT_ENCODE_DIES); *@out has @nr_units of them
 */
struct shape_dies {
	uint32_t *offs;
	size_t nr;
	size_t cap;
};

int shapes__dies(const struct shapes *g, size_t nr_units,
		 struct shape_dies **out);
int shape_dies_push(struct shape_dies *d, uint32_t off);
void shape_dies__free(struct shape_dies *d, size_t nr_units);
/*
 * After a subset select: note for each key the roots reach the offset (in
 * @offs, by unit index) of the unit read for it, for shape__wanted and
 * shape__elsewhere, which read @g as unit_plan.want
 */
void shapes__place(struct shapes *g, const uint64_t *offs, size_t nr_units);
/*
 * Whether the walk of a unit of a subset encodes type DIE @die (of @tag)
 * when it meets it: a named type the roots reach.  Anything else is
 * encoded only if a type encoded refers to it.
 */
bool shape__wanted(struct cu_enc *e, Dwarf_Die *die, int tag);
/*
 * Whether the DIE at @off of the unit (a pointer's target, or behind its
 * modifiers) is a struct or union definition that another unit of the
 * subset is read for: then a pointer to it points to a FWD (which dedup
 * resolves to that unit's definition, the name having one shape); with
 * *@is_union.  1 or 0.
 */
int shape__elsewhere(struct cu_enc *e, Dwarf_Off off, bool *is_union);

#endif
