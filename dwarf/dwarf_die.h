/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to dwarf/: the DIE cursor, the one place that reads DIE bytes.
 *
 * A DIE is its abbreviation code and the values of the attributes its
 * abbreviation lists, in order, each as long as its form says.  The
 * cursor holds what reading a unit's DIEs needs: the unit header's facts
 * (version, address and offset sizes, byte order), the unit's bounds in
 * libdw's .debug_info data, the abbreviations learnt so far, and the
 * DIE it read last.  Every reader of a unit's bytes goes through it: the
 * encoder (libdw-style attributes, die__raw, function bodies) and the
 * --min subset scan (dwarf_shape.c).  A form is taught here, once:
 * die_form_size and die_form_skip (dwarf_die.c), and die__ref_attr for a
 * reference.
 *
 * Anything the cursor does not read (a form not known here, a value out
 * of the unit's bounds, a DIE of another unit) is left to libdw, which
 * reports what is wrong: the cursor never decides that DWARF is bad.
 */
#ifndef BTFENC_DWARF_DIE_H
#define BTFENC_DWARF_DIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <dwarf.h>
#include <elfutils/libdw.h>

struct dwarf_file;

/* The value of @n (1, 2, 4 or 8; else any up to 8) bytes at @p */
static inline uint64_t die__fixed_read(const unsigned char *p, unsigned int n,
				       bool big_endian)
{
	uint64_t v = 0;
	unsigned int i;

	if (big_endian == (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)) {
		/* the host's byte order: one load */
		uint16_t v2;
		uint32_t v4;

		switch (n) {
		case 1:
			return p[0];
		case 2:
			memcpy(&v2, p, 2);
			return v2;
		case 4:
			memcpy(&v4, p, 4);
			return v4;
		case 8:
			memcpy(&v, p, 8);
			return v;
		}
	}
	for (i = 0; i < n; i++)
		v = big_endian ? v << 8 | p[i] : v | (uint64_t)p[i] << (8 * i);
	return v;
}

#define DIE_LEB_MAX 10	/* libdw reads no more bytes of a LEB128 */

/* Past the ULEB128 at @p, its value in *@v; NULL when it runs past @end */
static inline const unsigned char *die__uleb(const unsigned char *p,
					     const unsigned char *end,
					     uint64_t *v)
{
	unsigned int shift = 0;

	*v = 0;
	while (p < end && shift < 7 * DIE_LEB_MAX) {
		unsigned char b = *p++;

		if (shift < 64)
			*v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			return p;
	}
	return NULL;
}

/* die__uleb for an SLEB128, sign-extended as libdw does */
static inline const unsigned char *die__sleb(const unsigned char *p,
					     const unsigned char *end,
					     int64_t *v)
{
	unsigned int shift = 0;
	uint64_t u = 0;
	unsigned char b;

	while (p < end && shift < 7 * DIE_LEB_MAX) {
		b = *p++;
		if (shift < 64)
			u |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80)) {
			if (shift < 64 && (b & 0x40))
				u |= ~(uint64_t)0 << shift;
			*v = (int64_t)u;
			return p;
		}
	}
	return NULL;
}

/* The attributes the encoder reads, each in a slot of its own */
enum attr_slot {
	AS_NAME,
	AS_TYPE,
	AS_BYTE_SIZE,
	AS_ENCODING,
	AS_DECLARATION,
	AS_EXTERNAL,
	AS_MEMBER_LOCATION,
	AS_DATA_BIT_OFFSET,
	AS_BIT_OFFSET,
	AS_BIT_SIZE,
	AS_UPPER_BOUND,
	AS_COUNT,
	AS_CONST_VALUE,
	AS_ABSTRACT_ORIGIN,
	AS_SPECIFICATION,
	AS_LOCATION,
	AS_CALLING_CONVENTION,
	AS_INLINE,
	AS_NR,
};

/* The slot of attribute @code (DW_AT_*), -1 when the encoder reads none */
int die__slot(unsigned int code);

/* An attribute of an abbreviation, as the cursor reads it */
struct abbrev_attr {
	uint16_t code;		/* DW_AT_* */
	uint16_t form;		/* DW_FORM_* */
	int8_t slot;		/* enum attr_slot, -1: not kept */
	int8_t size;		/* bytes of its value, -1: it says */
	uint16_t off;		/* where its value is, when the spec is fixed */
	const void *implicit;	/* libdw's DW_FORM_implicit_const value */
};

/* An abbreviation of the unit being read, by code */
struct abbrev_spec {
	uint32_t gen;		/* valid when it is abbrev_cache.gen */
	bool fast;		/* its DIEs are read by the cursor */
	bool raw;		/* ... and by die__raw */
	bool fixed;		/* ... at the same places in each DIE */
	bool children;
	bool decl;		/* it has DW_AT_declaration */
	int tag;
	int32_t len;		/* bytes of its values, -1: they say */
	Dwarf_Abbrev *abbrev;	/* libdw's, handed to its DIEs */
	uint32_t first;		/* its first in abbrev_cache.attrs */
	uint32_t nr;
	uint32_t kept_first;	/* fixed: the attributes kept, in .kept */
	uint32_t nr_kept;
	/*
	 * Where its (first) DW_AT_sibling is, a reference of sib_size bytes;
	 * SIB_NONE: it has none; SIB_LIBDW: one the cursor does not read
	 */
	int32_t sib_off;
	int8_t sib_size;
	bool shape_ok;		/* shape_word is known (dwarf_shape.c) */
	uint64_t shape_word;
};

#define SIB_NONE	(-1)
#define SIB_LIBDW	(-2)

/* The abbreviations of the unit being read; scratch reused unit to unit */
struct abbrev_cache {
	struct abbrev_spec *specs;	/* by abbreviation code */
	size_t specs_cap;
	struct abbrev_attr *attrs;
	size_t nr_attrs;
	size_t attrs_cap;
	struct abbrev_attr *kept;	/* copies, for fixed specs */
	size_t nr_kept;
	size_t kept_cap;
	uint32_t gen;			/* bumped for each unit */
};

void abbrev_cache__free(struct abbrev_cache *c);

/* A cursor over one unit's DIEs; ptr NULL: libdw reads them all */
struct die_cursor {
	struct abbrev_cache *abbrevs;
	const char *dstr;	/* .debug_str as the file has it, or NULL */
	size_t dstr_size;
	const unsigned char *ptr;	/* the unit header, libdw's data */
	const unsigned char *end;
	Dwarf_Off len;		/* end - ptr */
	Dwarf_Off start;	/* the unit header's offset */
	Dwarf_Off first_die;	/* the unit DIE's offset */
	Dwarf_CU *cu;
	unsigned int version;
	uint8_t addr_size;
	uint8_t offset_size;
	bool big_endian;
	/* the DIE read last, its abbreviation and first value */
	const void *last_die;
	const struct abbrev_spec *last_spec;
	const unsigned char *last_values;
};

/*
 * Start reading the unit whose header is at @start of @f's .debug_info
 * and whose successor's is at @end, with abbreviation scratch @abbrevs
 */
void die__begin_unit(struct die_cursor *c, const struct dwarf_file *f,
		     struct abbrev_cache *abbrevs, Dwarf_Off start,
		     Dwarf_Off end, Dwarf_Die *cudie);

/* A reference inside the unit of a fixed size (DW_FORM_ref1 .. ref8) */
static inline bool die__form_is_ref(unsigned int form)
{
	return form == DW_FORM_ref1 || form == DW_FORM_ref2 ||
	       form == DW_FORM_ref4 || form == DW_FORM_ref8;
}

/* Whether the unit offset @v names a place of the unit's DIEs */
static inline bool die__in_unit(const struct die_cursor *c, uint64_t v)
{
	return v < c->len && c->start + v >= c->first_die;
}

/* The DIE at @addr of the unit, as libdw would make it */
void die__at(struct die_cursor *c, const void *addr, Dwarf_Die *out);

/*
 * libdw's DIE reading, faster for the DIEs of the unit: for any other
 * DIE, or one the cursor cannot read, libdw's.
 */
/* dwarf_tag */
int die__tag(struct die_cursor *c, Dwarf_Die *die);
/* dwarf_haschildren */
int die__has_children(struct die_cursor *c, Dwarf_Die *die);
/* dwarf_child */
int die__child(struct die_cursor *c, Dwarf_Die *die, Dwarf_Die *out);
/* dwarf_siblingof */
int die__sibling(struct die_cursor *c, Dwarf_Die *die, Dwarf_Die *out);

/*
 * The abbreviation of the DIE at @p, when its code takes one byte and the
 * cursor has learnt it for the unit already: a shortcut past the lookup
 * of die__tag and die__sibling for the readers that go through many
 * DIEs.  NULL: ask them.  It is good until the cursor learns another
 * abbreviation (the specs move).
 */
static inline const struct abbrev_spec *die__known(const struct die_cursor *c,
						   const unsigned char *p)
{
	const struct abbrev_cache *ac = c->abbrevs;
	const struct abbrev_spec *spec;

	if (*p >= 0x80 || *p >= ac->specs_cap)
		return NULL;
	spec = &ac->specs[*p];
	return spec->gen == ac->gen && spec->fast ? spec : NULL;
}

/*
 * A function body, read DIE by DIE from its bytes: abbreviation code,
 * attribute sizes, children or not, a null entry ending each level.
 * Most of a kernel's DIEs are in function bodies (scopes, inlined calls,
 * call sites, locals), and walking them with libdw costs more than
 * reading them so.  For each DIE with children the caller says whether
 * it looks at them (die__walk_down); the walk meets every DIE anyway.
 */
#define DIE_WALK_MAX_DEPTH 64

struct die_walk {
	const unsigned char *p;	/* the next DIE or null entry */
	unsigned int depth;	/* of the level read; 1: the body's DIE's children */
	bool enter[DIE_WALK_MAX_DEPTH + 1];	/* the caller looks at the level */
	/* the DIE met last */
	const unsigned char *addr;
	int tag;
	bool children;
};

enum die_walk_step {
	DIE_WALK_DIE,		/* a DIE, at w->addr */
	DIE_WALK_END,		/* the body is over */
	DIE_WALK_PAST_END,	/* it runs past the unit's end */
	DIE_WALK_UNREAD,	/* a DIE the cursor does not read: ask libdw */
};

/* The body of @die: DIE_WALK_DIE, or _END when it has none, or _UNREAD */
enum die_walk_step die__walk_begin(struct die_cursor *c, Dwarf_Die *die,
				   struct die_walk *w);
/* die__walk_next for a DIE die__known does not know: the long way */
enum die_walk_step die__walk_slow(struct die_cursor *c, struct die_walk *w);

/* The next DIE of the body, at w->depth, with w->tag and w->children */
static inline enum die_walk_step die__walk_next(struct die_cursor *c,
						struct die_walk *w)
{
	const struct abbrev_spec *spec;

	for (;;) {
		if (w->p >= c->end)
			return DIE_WALK_PAST_END;
		if (*w->p)
			break;
		w->p++;
		if (!--w->depth)
			return DIE_WALK_END;
	}
	w->addr = w->p;
	spec = die__known(c, w->p);
	if (!spec || spec->len < 0 || spec->len >= c->end - w->p)
		return die__walk_slow(c, w);
	w->tag = spec->tag;
	w->children = spec->children;
	w->p += 1 + spec->len;
	return DIE_WALK_DIE;
}

/*
 * After a DIE with children: whether the caller looks at them; false
 * when they are nested deeper than DIE_WALK_MAX_DEPTH
 */
static inline bool die__walk_down(struct die_walk *w, bool enter)
{
	if (w->depth == DIE_WALK_MAX_DEPTH)
		return false;
	w->enter[++w->depth] = enter;
	return true;
}

/* The attributes of one DIE, read in one pass, as libdw gives them */
struct die_attrs {
	uint32_t mask;
	Dwarf_Off die;		/* whose attributes, for messages */
	const struct die_cursor *fast;	/* read by this cursor */
	Dwarf_Attribute a[AS_NR];
};

/* attrs__read (dwarf_attrs.c), from the bytes when the cursor reads them */
int die__attrs(struct die_cursor *c, Dwarf_Die *die, struct die_attrs *da);
/*
 * The DIE offset attribute @s of @da, a reference to a DIE of the unit,
 * gives, with *@ok; *@ok false when the caller is to ask libdw (another
 * form, out of bounds, a DIE the cursor did not read)
 */
Dwarf_Off die__ref_attr(const struct die_cursor *c, struct die_attrs *da,
			enum attr_slot s, bool *ok);

/*
 * The attributes the encoder reads of a DIE of the unit, read from its
 * bytes in one step, when all are of the common forms: a .debug_str
 * name, a reference inside the unit, constants and flags.
 */
struct raw_attrs {
	uint32_t mask;		/* 1 << enum attr_slot: present */
	int tag;
	bool children;
	/* where its next sibling is, if it has no children; NULL: ask */
	const unsigned char *end;
	/*
	 * AS_NAME: its .debug_str offset (below dstr_size); AS_TYPE: the DIE
	 * offset; a constant as attrs__udata gives it, a flag 0 or 1
	 */
	uint64_t v[AS_NR];
};

static inline bool raw__has(const struct raw_attrs *ra, enum attr_slot s)
{
	return ra->mask & (1u << s);
}

/*
 * @die's attributes in *@ra, true; false when they are not all of those
 * forms (or not quite in bounds): then read them the general way, which
 * says what is wrong.
 */
bool die__raw(struct die_cursor *c, Dwarf_Die *die, struct raw_attrs *ra);
/* die__sibling for @die, which die__raw read into @ra */
int die__next(struct die_cursor *c, Dwarf_Die *die, const struct raw_attrs *ra,
	      Dwarf_Die *out);

#endif
