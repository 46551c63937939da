// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Scanning one unit for its named types and their shapes, for a --min
 * subset (dwarf_shape.h says what shapes are and why they are enough).
 *
 * Speed: the scan reads about as many DIEs as encoding every unit did, but
 * on every thread, with little left for the one merging in unit order.
 * A childless DIE of an abbreviation whose values sit at fixed places
 * (but for a DW_FORM_string name) is read from a layout learnt once per
 * unit (lay_learn, lay_mix); function bodies are read from their bytes
 * (sh_body); a DIE's values are folded into one word before the 128-bit
 * hash takes it.
 *
 * The walk finds definitions where the encoder's walk does: at the top
 * of the unit, in namespaces, and in function bodies' scopes; a named
 * type DIE that a shape refers to and the walk did not reach is taken too,
 * as the encoder encodes it when something refers to it.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_int.h"
#include "util.h"

/* Deeper nesting of anonymous types and children makes a shape unsure */
#define SHAPE_MAX_DEPTH 128

/* Map values while a unit is scanned (cu_scratch.map) */
#define SH_REG		0x80000000u	/* taken as a definition or declaration */
#define SH_PEND		0x40000000u	/* a named type referred to, to take */
#define SH_NESTED	0x20000000u	/* a type DIE among a type's children */
#define SH_NODE		0x1fffffffu	/* index + 1 of its node */

/* The form a name or a reference counts as, whatever it was */
#define FORM_NAME	0
#define FORM_REF	0xffff
#define FORM_CONST	0xfffe
#define FORM_FLAG	0xfffd

enum node_state {
	NODE_BUSY = 1,
	NODE_DONE,
	NODE_BAD,
};

/* A DIE a shape referred to: its shape, or its tag and name if named */
struct shape_node {
	uint64_t sig[2];
	uint32_t refs;		/* keys it reaches, in shape_scratch.node_refs */
	uint32_t nr_refs;
	uint8_t state;
};

/*
 * How to read the DIEs of an abbreviation whose values all have fixed
 * places, but for a name of DW_FORM_string (and that have no children,
 * nor DW_AT_sibling): sh_vals' work without asking the cursor for each
 * DIE
 */
#define LAY_CODES 128
#define LAY_MAX 8

struct lay {
	uint32_t gen;		/* known for the unit of shape_scratch.gen */
	bool ok;		/* its DIEs are read so */
	bool str;		/* its name is a DW_FORM_string ... */
	uint16_t pre;		/* ... after this many bytes of values */
	uint16_t len;		/* bytes of their values, but such a name */
	uint8_t nr;
	uint8_t slot[LAY_MAX];	/* in slot order */
	uint8_t off[LAY_MAX];	/* from the values, or from past the name */
	uint8_t size[LAY_MAX];	/* 0: DW_FORM_implicit_const, in imp */
	bool past[LAY_MAX];	/* after the name */
	uint16_t form[LAY_MAX];
	uint64_t imp[LAY_MAX];
	uint64_t word;		/* spec_word */
};

struct shape_scratch {
	struct shape_node *nodes;
	size_t nr_nodes;
	size_t nodes_cap;
	uint64_t *node_refs;
	size_t nr_node_refs;
	size_t node_refs_cap;
	uint64_t *cur;		/* keys the definition being read reaches */
	size_t nr_cur;
	size_t cur_cap;
	Dwarf_Off *pending;	/* named types referred to, not yet taken */
	size_t nr_pending;
	size_t pending_cap;
	struct name_slot *names;	/* NAME_CACHE of them */
	uint32_t gen;		/* bumped for each unit */
	struct lay lays[LAY_CODES];	/* by one-byte abbreviation code */
};

/* The hash of a .debug_str name, by its offset + 1 */
struct name_slot {
	uint64_t off;
	uint64_t hash;
};

#define NAME_CACHE 65536

/* What the encoder reads of a DIE */
struct dvals {
	int tag;
	bool children;
	uint32_t mask;
	uint16_t form[AS_NR];
	uint64_t v[AS_NR];	/* constants; references: the DIE offset */
	const char *s[AS_NR];	/* names, strings and blocks */
	size_t len[AS_NR];	/* of strings and blocks other than names */
	uint64_t word;		/* spec_word */
	uint64_t name_hash;	/* name_hash of the name, if any */
};

struct scan {
	struct cu_enc e;
	struct shape_scratch *ss;
	struct shape_unit *out;
	uint64_t mode;		/* what of the unit bears on its encoding */
	bool bad;		/* the shape being read is unsure */
	bool nomem;
};

/* ---- hashing ---- */

struct h128 {
	uint64_t a, b;
};

static inline void h_init(struct h128 *h, uint64_t seed)
{
	h->a = 0x243f6a8885a308d3ull ^ seed;
	h->b = 0x13198a2e03707344ull + seed;
}

static inline void h_mix(struct h128 *h, uint64_t v)
{
	h->a = (h->a ^ v) * 0x9e3779b97f4a7c15ull;
	h->a ^= h->a >> 29;
	h->b = (h->b + v) * 0xc2b2ae3d27d4eb4full;
	h->b ^= h->b >> 31;
	h->b += h->a;
}

static void h_bytes(struct h128 *h, const void *p, size_t len)
{
	const unsigned char *c = p;
	uint64_t w;

	h_mix(h, len);
	for (; len >= 8; len -= 8, c += 8) {
		memcpy(&w, c, 8);
		h_mix(h, w);
	}
	if (len) {
		w = 0;
		memcpy(&w, c, len);
		h_mix(h, w);
	}
}

static inline uint64_t h_avalanche(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static inline void h_final(struct h128 *h, uint64_t sig[2])
{
	sig[0] = h_avalanche(h->a ^ h_avalanche(h->b));
	sig[1] = h_avalanche(h->b + sig[0]);
}

/*
 * A DIE's own values are folded into one word first (d_add), which is
 * then mixed into the shape: one h_mix per DIE
 */
static inline uint64_t d_add(uint64_t d, uint64_t v)
{
	return (d ^ v) * 0xff51afd7ed558ccdull;
}

static inline uint64_t d_end(uint64_t d)
{
	return d ^ (d >> 31);
}

/* A node's shape as one word */
static inline uint64_t sig_word(const uint64_t sig[2])
{
	return sig[0] ^ (sig[1] * 0xc4ceb9fe1a85ec53ull);
}

/* ---- keys ---- */

/* 1 struct/class, 2 union, 3 enum, 4 typedef, 5 base type, else 0 */
static int tag_norm(int tag)
{
	switch (tag) {
	case DW_TAG_structure_type: case DW_TAG_class_type: return 1;
	case DW_TAG_union_type: return 2;
	case DW_TAG_enumeration_type: return 3;
	case DW_TAG_typedef: return 4;
	case DW_TAG_base_type: return 5;
	default: return 0;
	}
}

static int norm_cls(int norm)
{
	return norm == 2 ? SHAPE_COMPOSITE : norm;
}

uint64_t shape__key(int cls, uint64_t name_hash)
{
	return h_avalanche(name_hash * 0x9e3779b97f4a7c15ull + cls);
}

/* ---- one unit ---- */

/*
 * The SH_* value of the DIE at @off, 0 if none: cu_scratch.map, one slot
 * per byte of the unit, as the encoder uses it; set slots are noted and
 * cleared after the unit
 */
static inline uint32_t sh_get(const struct scan *sc, Dwarf_Off off)
{
	return sc->e.s->map[off - sc->e.start];
}

/* Add @bits to the value of the DIE at @off */
static void sh_set(struct scan *sc, Dwarf_Off off, uint32_t bits)
{
	uint32_t *slot = cu_scratch__map_slot(sc->e.s, off - sc->e.start);

	if (slot)
		*slot |= bits;
	else
		sc->nomem = true;
}

static inline bool sh_in_unit(const struct scan *sc, Dwarf_Off off)
{
	return off >= sc->e.start && off < sc->e.end;
}

static inline void cur_push(struct scan *sc, uint64_t key)
{
	struct shape_scratch *ss = sc->ss;

	if (ss->nr_cur >= ss->cur_cap &&
	    util__ensure_cap((void **)&ss->cur, &ss->cur_cap, sizeof(*ss->cur),
			     ss->nr_cur + 1)) {
		sc->nomem = true;
		return;
	}
	ss->cur[ss->nr_cur++] = key;
}

/* A reference relative to the unit, which die__ref_attr reads */
static bool form_ref(unsigned int form)
{
	return die__form_is_ref(form) || form == DW_FORM_ref_udata;
}

/*
 * Constants and flags of any form count as their value: gcc writes the
 * same member offset as DW_FORM_data1 in one unit and as
 * DW_FORM_implicit_const in another
 */
static unsigned int form_class(unsigned int form)
{
	switch (form) {
	case DW_FORM_data1: case DW_FORM_data2: case DW_FORM_data4:
	case DW_FORM_data8: case DW_FORM_udata: case DW_FORM_sdata:
	case DW_FORM_implicit_const:
		return FORM_CONST;
	case DW_FORM_flag: case DW_FORM_flag_present:
		return FORM_FLAG;
	default:
		return form;
	}
}

/* @v as a signed value of its form's size */
static uint64_t form_sext(unsigned int form, uint64_t v)
{
	switch (form) {
	case DW_FORM_data1: return (uint64_t)(int64_t)(int8_t)v;
	case DW_FORM_data2: return (uint64_t)(int64_t)(int16_t)v;
	case DW_FORM_data4: return (uint64_t)(int64_t)(int32_t)v;
	default: return v;
	}
}

static bool slot_is_ref(int s)
{
	return s == AS_TYPE || s == AS_ABSTRACT_ORIGIN || s == AS_SPECIFICATION;
}

static unsigned int slot_form(int s, unsigned int form)
{
	if (s == AS_NAME)
		return FORM_NAME;
	return slot_is_ref(s) ? FORM_REF : form_class(form);
}

/* A DIE's tag, whether it has children, its slots and their forms */
static uint64_t spec_word(int tag, bool children, uint32_t mask,
			  const uint16_t *form)
{
	struct h128 h;
	int s;

	h_init(&h, (uint64_t)tag << 1 | children);
	h_mix(&h, mask);
	for (s = 0; s < AS_NR; s++)
		if (mask & (1u << s))
			h_mix(&h, slot_form(s, form[s]));
	return h.a ^ h.b;
}

static uint64_t name_hash(const char *name, size_t len)
{
	struct h128 h;

	h_init(&h, 0x6e);
	h_bytes(&h, name, len);
	return h_avalanche(h.a ^ h.b);
}

int shape__tag_cls(int tag)
{
	return norm_cls(tag_norm(tag));
}

uint64_t shape__name_key(int cls, const char *name)
{
	return shape__key(cls, name_hash(name, strlen(name)));
}

/* name_hash of the .debug_str name at @off, cached */
static uint64_t strp_hash(struct scan *sc, uint64_t off)
{
	struct name_slot *ns;
	const char *name;

	ns = &sc->ss->names[(off * 0x9e3779b97f4a7c15ull) >> 48];
	if (ns->off != off + 1) {
		name = sc->e.file->dstr + off;
		ns->hash = name_hash(name, strlen(name));
		ns->off = off + 1;
	}
	return ns->hash;
}

/*
 * Whether the encoder takes constant @v of slot @s (member offsets and
 * bitfield sizes BTF can hold); a little stricter than it, which only
 * means reading every unit
 */
static inline bool const_ok(int s, uint64_t v)
{
	switch (s) {
	case AS_MEMBER_LOCATION:
		return v < (UINT32_MAX >> 3) - 32;
	case AS_DATA_BIT_OFFSET:
		return v < UINT32_MAX - 256;
	case AS_BIT_SIZE:
		return v <= 255;
	default:
		return true;
	}
}

/* A constant: dwarf_formudata's value, and dwarf_formsdata's if other */
static inline uint64_t add_const(uint64_t d, unsigned int form, uint64_t v)
{
	uint64_t sv = form_sext(form, v);

	d = d_add(d, v);
	return sv != v ? d_add(d, ~sv) : d;
}

/* The general path: libdw's view of the attributes; false if unsure */
static bool dvals_general(struct scan *sc, Dwarf_Die *die, struct dvals *dv)
{
	struct abbrev_spec *spec = NULL;
	struct die_attrs da;
	Dwarf_Block blk;
	Dwarf_Word w;
	uint32_t m;
	int s, ch;
	bool ok;

	if (die__attrs(&sc->e.cur, die, &da))
		return false;
	dv->tag = die__tag(&sc->e.cur, die);
	ch = die__has_children(&sc->e.cur, die);
	if (dv->tag <= 0 || ch < 0)
		return false;
	dv->children = ch;
	dv->mask = da.mask;
	for (m = da.mask; m; m &= m - 1) {
		unsigned int form;

		s = __builtin_ctz(m);
		form = da.a[s].form;
		dv->form[s] = form;
		dv->s[s] = NULL;
		if (s == AS_NAME) {
			dv->s[s] = attrs__str(&da, AS_NAME);
			if (!dv->s[s] || !file__str_ok(sc->e.file, dv->s[s]))
				return false;
			dv->len[s] = strlen(dv->s[s]);
			continue;
		}
		switch (form) {
		case DW_FORM_ref1: case DW_FORM_ref2: case DW_FORM_ref4:
		case DW_FORM_ref8: case DW_FORM_ref_udata:
			dv->v[s] = die__ref_attr(&sc->e.cur, &da, s, &ok);
			if (!ok)
				return false;
			break;
		case DW_FORM_flag: case DW_FORM_flag_present:
			dv->v[s] = attrs__udata(&da, s, 0);
			break;
		case DW_FORM_data1: case DW_FORM_data2: case DW_FORM_data4:
		case DW_FORM_data8: case DW_FORM_udata: case DW_FORM_sdata:
		case DW_FORM_implicit_const:
			if (dwarf_formudata(&da.a[s], &w))
				return false;
			dv->v[s] = w;
			break;
		case DW_FORM_block1: case DW_FORM_block2: case DW_FORM_block4:
		case DW_FORM_block: case DW_FORM_exprloc:
			if (dwarf_formblock(&da.a[s], &blk))
				return false;
			dv->s[s] = (const char *)blk.data;
			dv->len[s] = blk.length;
			break;
		case DW_FORM_string: case DW_FORM_strp: case DW_FORM_line_strp:
		case DW_FORM_strx: case DW_FORM_strx1: case DW_FORM_strx2:
		case DW_FORM_strx3: case DW_FORM_strx4:
			dv->s[s] = dwarf_formstring(&da.a[s]);
			if (!dv->s[s] || !file__str_ok(sc->e.file, dv->s[s]))
				return false;
			dv->len[s] = strlen(dv->s[s]);
			break;
		default:
			return false;
		}
		/* a reference where the encoder wants a constant, or not */
		if (slot_is_ref(s) != form_ref(form))
			return false;
	}
	/* an abbreviation's DIEs all have its slots, of its forms */
	if (da.fast && sc->e.cur.last_die == die->addr)
		spec = (struct abbrev_spec *)sc->e.cur.last_spec;
	if (spec && spec->shape_ok) {
		dv->word = spec->shape_word;
	} else {
		dv->word = spec_word(dv->tag, dv->children, dv->mask, dv->form);
		if (spec) {
			spec->shape_word = dv->word;
			spec->shape_ok = true;
		}
	}
	if (dv->mask & (1u << AS_NAME))
		dv->name_hash = name_hash(dv->s[AS_NAME], dv->len[AS_NAME]);
	return true;
}

/* What the encoder reads of @die; false if unsure */
/* dvals_read of the DIE die__raw just read into @ra */
static void dvals_raw(struct scan *sc, const struct raw_attrs *ra,
		      struct dvals *dv)
{
	struct abbrev_spec *spec;
	const struct abbrev_attr *aa;
	uint32_t i, m;
	int s;

	spec = (struct abbrev_spec *)sc->e.cur.last_spec;
	dv->tag = ra->tag;
	dv->children = ra->children;
	dv->mask = ra->mask;
	aa = spec->nr ? sc->e.cur.abbrevs->attrs + spec->first : NULL;
	for (i = 0; i < spec->nr; i++, aa++)
		if (aa->slot >= 0)
			dv->form[aa->slot] = aa->form;
	for (m = ra->mask; m; m &= m - 1) {
		s = __builtin_ctz(m);
		dv->v[s] = ra->v[s];
		dv->s[s] = NULL;
		if (s == AS_NAME) {
			dv->s[s] = sc->e.file->dstr + ra->v[s];
			dv->name_hash = strp_hash(sc, ra->v[s]);
		}
	}
	/* every DIE of a raw abbreviation has all its slots */
	if (!spec->shape_ok) {
		spec->shape_word = spec_word(dv->tag, dv->children, dv->mask,
					     dv->form);
		spec->shape_ok = true;
	}
	dv->word = spec->shape_word;
}

static bool dvals_read(struct scan *sc, Dwarf_Die *die, struct dvals *dv)
{
	struct raw_attrs ra;

	if (!die__raw(&sc->e.cur, die, &ra))
		return dvals_general(sc, die, dv);
	dvals_raw(sc, &ra, dv);
	return true;
}

static uint64_t sh_ref(struct scan *sc, Dwarf_Off off, int depth);
static void sh_pend(struct scan *sc, Dwarf_Off off);
static void sh_children(struct scan *sc, Dwarf_Die *die, struct h128 *h,
			int depth);

/* Mix a DIE whose values are @dv, and what it holds, into @h */
static void sh_vals(struct scan *sc, Dwarf_Die *die, const struct dvals *dv,
		    struct h128 *h, int depth)
{
	uint32_t m;
	int s;

	uint64_t d = dv->word;

	if (dv->tag == DW_TAG_enumerator && !(dv->mask & (1u << AS_NAME)))
		sc->bad = true;
	for (m = dv->mask; m; m &= m - 1) {
		s = __builtin_ctz(m);
		if (s == AS_NAME) {
			d = d_add(d, dv->name_hash);
		} else if (slot_is_ref(s)) {
			d = d_add(d, sh_ref(sc, dv->v[s], depth + 1));
		} else if (dv->s[s]) {
			/* a location expression: the encoder's, not the scan's */
			if (s == AS_MEMBER_LOCATION)
				sc->bad = true;
			d = d_add(d, name_hash(dv->s[s], dv->len[s]));
		} else {
			if (!const_ok(s, dv->v[s]))
				sc->bad = true;
			d = add_const(d, dv->form[s], dv->v[s]);
		}
	}
	h_mix(h, d_end(d));
	if (dv->children)
		sh_children(sc, die, h, depth + 1);
}

/* The value of a DW_FORM_implicit_const, as dwarf_formudata has it */
static bool lay_implicit(const struct abbrev_attr *aa, uint64_t *v)
{
	const unsigned char *p = aa->implicit;
	int64_t sv;

	/* libdw has checked it ends inside its abbreviation */
	if (!p || !die__sleb(p, p + DIE_LEB_MAX, &sv))
		return false;
	*v = (uint64_t)sv;
	return true;
}

/*
 * Learn the layout of code @code from @spec, the abbreviation of a DIE
 * without children just met, if its DIEs can be read from it
 */
static void lay_learn(struct scan *sc, const struct abbrev_spec *spec,
		      unsigned int code)
{
	const struct abbrev_attr *aa = spec->nr ?
		sc->e.cur.abbrevs->attrs + spec->first : NULL;
	struct lay *l = &sc->ss->lays[code];
	uint16_t form[AS_NR] = { 0 };
	uint32_t i, j, at = 0, mask = 0;

	l->gen = sc->ss->gen;
	l->ok = l->str = false;
	l->nr = l->pre = 0;
	if (!spec->fast || spec->children || spec->sib_off != SIB_NONE ||
	    types__is_type_tag(spec->tag))
		return;
	for (i = 0; i < spec->nr; i++, aa++) {
		bool imp = aa->form == DW_FORM_implicit_const;

		if (aa->slot == AS_NAME && aa->form == DW_FORM_string &&
		    !l->str) {
			l->str = true;
			l->pre = at;
			at = 0;
			mask |= 1u << AS_NAME;
			form[AS_NAME] = aa->form;
			continue;
		}
		if (aa->size < 0 || at + aa->size > 255)
			return;
		if (aa->slot >= 0) {
			if (l->nr == LAY_MAX || (mask & (1u << aa->slot)) ||
			    aa->form == DW_FORM_flag ||
			    aa->form == DW_FORM_flag_present ||
			    (!imp && aa->size != 1 && aa->size != 2 &&
			     aa->size != 4 && aa->size != 8) ||
			    (aa->slot == AS_NAME && aa->form != DW_FORM_strp) ||
			    (aa->slot == AS_TYPE && !form_ref(aa->form)) ||
			    (slot_is_ref(aa->slot) && aa->slot != AS_TYPE) ||
			    (aa->slot != AS_NAME && !slot_is_ref(aa->slot) &&
			     form_class(aa->form) != FORM_CONST))
				return;
			/* in slot order, as sh_vals mixes them */
			for (j = l->nr; j > 0 && l->slot[j - 1] > aa->slot; j--) {
				l->slot[j] = l->slot[j - 1];
				l->off[j] = l->off[j - 1];
				l->size[j] = l->size[j - 1];
				l->past[j] = l->past[j - 1];
				l->form[j] = l->form[j - 1];
				l->imp[j] = l->imp[j - 1];
			}
			l->slot[j] = aa->slot;
			l->off[j] = at;
			l->size[j] = imp ? 0 : aa->size;
			l->past[j] = l->str;
			l->form[j] = aa->form;
			l->imp[j] = 0;
			if (imp && !lay_implicit(aa, &l->imp[j]))
				return;
			l->nr++;
			mask |= 1u << aa->slot;
			form[aa->slot] = aa->form;
		}
		at += aa->size;
	}
	/* an enumerator without a name is sh_vals' to flag */
	if (spec->tag == DW_TAG_enumerator && !(mask & (1u << AS_NAME)))
		return;
	l->len = l->str ? l->pre + at : at;
	l->word = spec_word(spec->tag, false, mask, form);
	l->ok = true;
}

/*
 * sh_vals for a DIE of layout @l whose values are at @vals: where the DIE
 * ends, or NULL (and nothing mixed into @h) when a value is out of bounds
 */
static const unsigned char *lay_mix(struct scan *sc, const struct lay *l,
				    const unsigned char *vals, struct h128 *h,
				    int depth)
{
	const unsigned char *past = vals, *end = sc->e.cur.end, *nul;
	uint64_t v, d = l->word;
	uint32_t i;

	/* d is only mixed into @h at the end: a bad value leaves @h alone */
	if (l->str) {
		if (l->pre >= end - vals ||
		    !(nul = memchr(vals + l->pre, 0, end - vals - l->pre)))
			return NULL;
		past = nul + 1;
		d = d_add(d, name_hash((const char *)vals + l->pre,
				       nul - vals - l->pre));
	}
	if (l->len - l->pre > end - past || l->len > end - vals)
		return NULL;
	for (i = 0; i < l->nr; i++) {
		v = l->size[i] ? die__fixed_read((l->past[i] ? past : vals) +
					    l->off[i], l->size[i],
					    sc->e.cur.big_endian) : l->imp[i];
		switch (l->slot[i]) {
		case AS_NAME:
			if (v >= sc->e.file->dstr_size)
				return NULL;
			d = d_add(d, strp_hash(sc, v));
			break;
		case AS_TYPE:
			if (!die__in_unit(&sc->e.cur, v))
				return NULL;
			d = d_add(d, sh_ref(sc, sc->e.start + v, depth + 1));
			break;
		default:
			if (!const_ok(l->slot[i], v))
				return NULL;
			d = add_const(d, l->form[i], v);
			break;
		}
	}
	h_mix(h, d_end(d));
	return l->str ? past + (l->len - l->pre) : vals + l->len;
}

static void sh_children(struct scan *sc, Dwarf_Die *die, struct h128 *h,
			int depth)
{
	struct dvals dv;
	Dwarf_Die child;
	Dwarf_Off off;
	int r;

	if (depth > SHAPE_MAX_DEPTH) {
		sc->bad = true;
		return;
	}
	r = die__child(&sc->e.cur, die, &child);
	while (!r) {
		const unsigned char *p = child.addr, *q;
		const struct lay *l = &sc->ss->lays[*p & (LAY_CODES - 1)];

		/* the first DIE of a code in the unit: learn its layout */
		if (*p < LAY_CODES && l->gen != sc->ss->gen &&
		    die__tag(&sc->e.cur, &child) > 0 &&
		    sc->e.cur.last_die == child.addr)
			lay_learn(sc, sc->e.cur.last_spec, *p);
		if (*p < LAY_CODES && l->gen == sc->ss->gen && l->ok &&
		    (q = lay_mix(sc, l, p + 1, h, depth))) {
			if (q < sc->e.cur.end && *q < 0x80) {
				if (!*q) {
					r = 1;
					break;
				}
				die__at(&sc->e.cur, q, &child);
				continue;
			}
			r = die__sibling(&sc->e.cur, &child, &child);
			continue;
		}
		if (!dvals_read(sc, &child, &dv)) {
			sc->bad = true;
			return;
		}
		if (types__is_type_tag(dv.tag)) {
			/*
			 * A type nested in a type is no part of its record;
			 * the encoder's walk visits it through it, this one
			 * takes it here, noting it is nested (shapes__add_unit)
			 */
			off = dwarf_dieoffset(&child);
			sh_set(sc, off, SH_NESTED);
			if (tag_norm(dv.tag) && (dv.mask & (1u << AS_NAME)))
				sh_pend(sc, off);
			r = die__sibling(&sc->e.cur, &child, &child);
			continue;
		}
		sh_vals(sc, &child, &dv, h, depth);
		r = die__sibling(&sc->e.cur, &child, &child);
	}
	if (r < 0)
		sc->bad = true;
	h_mix(h, 0xc0);
}

static struct shape_node *sh_node(struct scan *sc, uint32_t idx)
{
	return &sc->ss->nodes[idx];
}

/* Take the named type DIE at @off once the walk is over, if not before */
static void sh_pend(struct scan *sc, Dwarf_Off off)
{
	struct shape_scratch *ss = sc->ss;

	if (sh_get(sc, off) & (SH_REG | SH_PEND))
		return;
	if (util__ensure_cap((void **)&ss->pending, &ss->pending_cap,
			     sizeof(*ss->pending), ss->nr_pending + 1)) {
		sc->nomem = true;
		return;
	}
	ss->pending[ss->nr_pending++] = off;
	sh_set(sc, off, SH_PEND);
}

/* A reference to the DIE at @off: its node's shape, as a word */
static uint64_t sh_ref(struct scan *sc, Dwarf_Off off, int depth)
{
	struct shape_scratch *ss = sc->ss;
	uint32_t val, idx, i, start;
	bool was_bad = sc->bad;
	struct shape_node *n;
	struct raw_attrs ra;
	struct dvals dv;
	struct h128 h2;
	Dwarf_Die d;
	int norm;

	if (!sh_in_unit(sc, off) || depth > SHAPE_MAX_DEPTH) {
		sc->bad = true;
		return 0;
	}
	val = sh_get(sc, off);
	if (val & SH_NODE) {
		n = sh_node(sc, (val & SH_NODE) - 1);
		if (n->state != NODE_DONE) {
			sc->bad = true;	/* a loop, or unreadable */
			return 0;
		}
		for (i = 0; i < n->nr_refs; i++)
			cur_push(sc, ss->node_refs[n->refs + i]);
		return sig_word(n->sig);
	}
	if (util__ensure_cap((void **)&ss->nodes, &ss->nodes_cap,
			     sizeof(*ss->nodes), ss->nr_nodes + 1) ||
	    ss->nr_nodes >= SH_NODE) {
		sc->nomem = true;
		return 0;
	}
	idx = ss->nr_nodes++;
	memset(sh_node(sc, idx), 0, sizeof(struct shape_node));
	sh_node(sc, idx)->state = NODE_BUSY;
	sh_set(sc, off, idx + 1);
	die__at(&sc->e.cur, sc->e.cur.ptr + (off - sc->e.start), &d);
	/* of a named type only the tag and name count: no more is read */
	if (die__raw(&sc->e.cur, &d, &ra)) {
		if (tag_norm(ra.tag) && (ra.mask & (1u << AS_NAME))) {
			dv.tag = ra.tag;
			dv.mask = 1u << AS_NAME;
			dv.name_hash = strp_hash(sc, ra.v[AS_NAME]);
		} else {
			dvals_raw(sc, &ra, &dv);
		}
	} else if (!dvals_general(sc, &d, &dv)) {
		sh_node(sc, idx)->state = NODE_BAD;
		sc->bad = true;
		return 0;
	}
	norm = tag_norm(dv.tag);
	start = ss->nr_cur;
	sc->bad = false;
	if (norm && (dv.mask & (1u << AS_NAME))) {
		/* a named type: its kind and name; its shape is its key's */
		h_init(&h2, norm);
		h_mix(&h2, dv.name_hash);
		cur_push(sc, shape__key(norm_cls(norm), dv.name_hash));
		if (!(val & (SH_REG | SH_PEND)))
			sh_pend(sc, off);
	} else {
		h_init(&h2, 0);
		sh_vals(sc, &d, &dv, &h2, depth);
	}
	n = sh_node(sc, idx);
	h_final(&h2, n->sig);
	n->state = sc->bad ? NODE_BAD : NODE_DONE;
	sc->bad |= was_bad;
	/* the keys it reaches, for the next reference to it */
	n->refs = ss->nr_node_refs;
	n->nr_refs = ss->nr_cur - start;
	if (!n->nr_refs)
		return sig_word(n->sig);
	if (util__ensure_cap((void **)&ss->node_refs, &ss->node_refs_cap,
			     sizeof(*ss->node_refs),
			     ss->nr_node_refs + n->nr_refs)) {
		sc->nomem = true;
		n->nr_refs = 0;
	} else {
		memcpy(ss->node_refs + ss->nr_node_refs, ss->cur + start,
		       n->nr_refs * sizeof(*ss->cur));
		ss->nr_node_refs += n->nr_refs;
	}
	return sig_word(n->sig);
}

/* Take the named type @die (values @dv) as a definition or declaration */
static void sh_take(struct scan *sc, Dwarf_Off off, Dwarf_Die *die,
		    const struct dvals *dv)
{
	struct shape_unit *o = sc->out;
	struct shape_scratch *ss = sc->ss;
	int norm = tag_norm(dv->tag);
	struct shape_ent *ent;
	struct h128 h;

	sh_set(sc, off, SH_REG);
	if (util__ensure_cap((void **)&o->ents, &o->ents_cap, sizeof(*o->ents),
			     o->nr_ents + 1)) {
		sc->nomem = true;
		return;
	}
	ent = &o->ents[o->nr_ents++];
	memset(ent, 0, sizeof(*ent));
	ent->off = off - sc->e.start;
	ent->cls = norm_cls(norm);
	ent->name = dv->s[AS_NAME];
	ent->key = shape__key(ent->cls, dv->name_hash);
	if (norm == 2)
		ent->flags |= SHAPE_UNION;
	if ((dv->mask & (1u << AS_DECLARATION)) && dv->v[AS_DECLARATION])
		ent->flags |= SHAPE_DECL;
	if (!(ent->flags & SHAPE_DECL) && norm == 5 && !strcmp(dv->s[AS_NAME], "int") &&
	    (!(dv->mask & (1u << AS_BYTE_SIZE)) || dv->v[AS_BYTE_SIZE] != 4 ||
	     !(dv->mask & (1u << AS_ENCODING)) ||
	     dv->v[AS_ENCODING] != DW_ATE_signed))
		ent->flags |= SHAPE_ODD_INT;
	sc->bad = false;
	ss->nr_cur = 0;
	h_init(&h, sc->mode);
	sh_vals(sc, die, dv, &h, 0);
	/* the entry may have moved: sh_vals takes what it refers to */
	ent = &o->ents[o->nr_ents - 1];
	h_final(&h, ent->sig);
	if (sc->bad)
		ent->flags |= SHAPE_UNSURE;
	ent->refs = o->nr_refs;
	ent->nr_refs = ss->nr_cur;
	if (!ss->nr_cur)
		return;
	if (util__ensure_cap((void **)&o->refs, &o->refs_cap, sizeof(*o->refs),
			     o->nr_refs + ss->nr_cur)) {
		sc->nomem = true;
		return;
	}
	memcpy(o->refs + o->nr_refs, ss->cur, ss->nr_cur * sizeof(*ss->cur));
	o->nr_refs += ss->nr_cur;
	ss->nr_cur = 0;
}

/* A type DIE the walk meets: take it if it is named */
static bool sh_type(struct scan *sc, Dwarf_Die *die)
{
	Dwarf_Off off = dwarf_dieoffset(die);
	struct dvals dv;

	if (!sh_in_unit(sc, off))
		return false;
	if (sh_get(sc, off) & SH_REG)
		return true;
	if (!dvals_read(sc, die, &dv))
		return false;
	if (tag_norm(dv.tag) && (dv.mask & (1u << AS_NAME))) {
		sh_take(sc, off, die, &dv);
		return true;
	}
	/* the encoder refuses what follows: let the full read say so */
	if (dv.tag == DW_TAG_base_type)
		return false;
	/* an anonymous struct, union or enum: only its values are checked */
	sc->bad = false;
	sh_ref(sc, off, 0);
	sc->ss->nr_cur = 0;
	return !sc->bad;
}

static bool sh_walk(struct scan *sc, Dwarf_Die *die, unsigned int level);
static bool sh_walk_tag(struct scan *sc, Dwarf_Die *die, int tag,
			unsigned int level);

static bool sh_walk_children(struct scan *sc, Dwarf_Die *die,
			     unsigned int level)
{
	Dwarf_Die child;
	int r;

	if (level > SHAPE_MAX_DEPTH)
		return false;
	r = die__child(&sc->e.cur, die, &child);
	while (!r) {
		const unsigned char *p = child.addr, *q;
		const struct abbrev_spec *sk = die__known(&sc->e.cur, p);

		/*
		 * A DIE without children nor DW_AT_sibling, of a fixed size:
		 * its next sibling follows it, as die__sibling finds
		 */
		if (sk && sk->len >= 0 && !sk->children &&
		    sk->sib_off == SIB_NONE && sk->len < sc->e.cur.end - p) {
			/* the walk may learn codes, which moves the specs */
			q = p + 1 + sk->len;
			if (!sh_walk_tag(sc, &child, sk->tag, level + 1))
				return false;
			if (q < sc->e.cur.end && *q < 0x80) {
				if (!*q)
					return true;
				die__at(&sc->e.cur, q, &child);
				continue;
			}
		} else if (!sh_walk(sc, &child, level + 1)) {
			return false;
		}
		r = die__sibling(&sc->e.cur, &child, &child);
	}
	return r > 0;
}

/*
 * A function declaration holds parameters only: the encoder's walk does
 * not look inside (funcs__subprogram), and nor does this one
 */
static bool sh_is_decl(struct scan *sc, Dwarf_Die *die)
{
	const struct abbrev_spec *spec = die__known(&sc->e.cur, die->addr);
	struct die_attrs da;

	/* having the attribute is the abbreviation's */
	if (spec)
		return spec->decl;
	return !die__attrs(&sc->e.cur, die, &da) &&
	       attrs__has(&da, AS_DECLARATION);
}

static bool sh_enters(int tag)
{
	return tag == DW_TAG_subprogram || tag == DW_TAG_lexical_block ||
	       tag == DW_TAG_inlined_subroutine || tag == DW_TAG_namespace;
}

/*
 * A function body, read from its bytes as cu__scan_body reads it: the
 * type DIEs in its scopes (and nested functions' scopes) are taken.
 * When a DIE is not read so, the body is walked the other way.
 */
static bool sh_body(struct scan *sc, Dwarf_Die *die, unsigned int level)
{
	enum die_walk_step r;
	struct die_walk w;
	Dwarf_Die d;

	r = die__walk_begin(&sc->e.cur, die, &w);
	if (r == DIE_WALK_UNREAD)
		return sh_walk_children(sc, die, level);
	while (r != DIE_WALK_END) {
		bool in = false;

		r = die__walk_next(&sc->e.cur, &w);
		if (r == DIE_WALK_PAST_END)
			return false;
		if (r == DIE_WALK_UNREAD)
			return sh_walk_children(sc, die, level);
		if (r == DIE_WALK_END)
			break;
		if (w.enter[w.depth]) {
			if (tag_norm(w.tag)) {
				die__at(&sc->e.cur, w.addr, &d);
				if (!sh_type(sc, &d))
					return false;
			} else if (w.tag == DW_TAG_subprogram) {
				die__at(&sc->e.cur, w.addr, &d);
				in = !sh_is_decl(sc, &d);
			} else {
				in = sh_enters(w.tag);
			}
		}
		if (w.children && !die__walk_down(&w, in))
			return sh_walk_children(sc, die, level);
	}
	return true;
}

/* The walk: where the encoder's walk looks for types */
static bool sh_walk(struct scan *sc, Dwarf_Die *die, unsigned int level)
{
	return sh_walk_tag(sc, die, die__tag(&sc->e.cur, die), level);
}

/* sh_walk for @die of @tag */
static bool sh_walk_tag(struct scan *sc, Dwarf_Die *die, int tag,
			unsigned int level)
{
	if (++sc->e.visits > 2 * (sc->e.end - sc->e.start) + 64 || sc->nomem)
		return false;
	if (tag_norm(tag))
		return sh_type(sc, die);
	switch (tag) {
	case DW_TAG_subprogram:
		return sh_is_decl(sc, die) || sh_body(sc, die, level);
	case DW_TAG_lexical_block: case DW_TAG_inlined_subroutine:
	case DW_TAG_namespace:
		return sh_walk_children(sc, die, level);
	case DW_TAG_invalid:
		return false;
	default:
		return true;
	}
}

/* The named types shapes referred to that the walk did not reach */
static bool sh_pending(struct scan *sc)
{
	struct shape_scratch *ss = sc->ss;
	Dwarf_Off off;
	Dwarf_Die d;

	while (ss->nr_pending && !sc->nomem) {
		off = ss->pending[--ss->nr_pending];
		if (sh_get(sc, off) & SH_REG)
			continue;
		die__at(&sc->e.cur, sc->e.cur.ptr + (off - sc->e.start), &d);
		if (!sh_type(sc, &d))
			return false;
	}
	return !sc->nomem;
}

static bool sh_prepare(struct scan *sc, Dwarf_Off off, Dwarf_Off next_off)
{
	struct cu_scratch *s = sc->e.s;
	size_t len = next_off - off;

	if (next_off <= off ||
	    (sc->e.file->info_size && next_off > sc->e.file->info_size))
		return false;
	if (len > UINT32_MAX - 1)
		return false;
	if (!s->shape) {
		s->shape = calloc(1, sizeof(*s->shape));
		if (!s->shape)
			return false;
		s->shape->names = calloc(NAME_CACHE, sizeof(*s->shape->names));
		if (!s->shape->names)
			return false;
	}
	sc->ss = s->shape;
	if (cu_scratch__map_size(s, len))
		return false;
	if (++sc->ss->gen == 0) {
		memset(sc->ss->lays, 0, sizeof(sc->ss->lays));
		sc->ss->gen = 1;
	}
	sc->ss->nr_nodes = sc->ss->nr_node_refs = 0;
	sc->ss->nr_cur = sc->ss->nr_pending = 0;
	sc->e.start = off;
	sc->e.end = next_off;
	return true;
}

void shape__scan(const struct dwarf_file *f, Dwarf_Off off, Dwarf_Off next_off,
		 Dwarf_Die *cudie, struct cu_scratch *s, struct cu_out *out)
{
	struct scan sc = { .out = &out->shape };
	size_t i;
	bool ok;

	cu_out__reset(out);
	sc.e.file = f;
	sc.e.out = out;
	sc.e.s = s;
	ok = sh_prepare(&sc, off, next_off);
	if (ok) {
		die__begin_unit(&sc.e.cur, f, &s->abbrevs, off, next_off, cudie);
		ok = sc.e.cur.ptr != NULL;
	}
	if (ok) {
		sc.mode = (uint64_t)cu__is_clang(cudie) << 40 |
			  (uint64_t)sc.e.cur.addr_size << 32 | sc.e.cur.offset_size << 8 |
			  sc.e.cur.version;
		ok = sh_walk_children(&sc, cudie, 1) && sh_pending(&sc);
	}
	if (!ok || sc.nomem)
		out->shape.unsure = true;
	/* known only now: which definitions sit inside another type */
	for (i = 0; ok && i < out->shape.nr_ents; i++)
		if (sh_get(&sc, off + out->shape.ents[i].off) & SH_NESTED)
			out->shape.ents[i].flags |= SHAPE_NESTED;
	cu_scratch__map_clear(s);
}

void shape_scratch__free(struct shape_scratch *ss)
{
	if (!ss)
		return;
	free(ss->nodes);
	free(ss->node_refs);
	free(ss->cur);
	free(ss->pending);
	free(ss->names);
	free(ss);
}

