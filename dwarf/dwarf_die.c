// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DIE cursor (dwarf_die.h): a unit's DIEs read from their bytes.
 *
 * The first DIE of each abbreviation code in a unit goes through libdw,
 * which gives each attribute's form and where its value starts: if
 * walking the forms here finds every value where libdw did, the code's
 * attribute list is kept and its later DIEs are read here, with no call
 * into libdw; else (a form not known here, DW_FORM_indirect) they all
 * take libdw's path.  The Dwarf_Attribute values are the ones libdw would
 * give, so libdw's dwarf_form* read them.  Anything out of the unit's
 * bounds takes libdw's path too, which reports the error.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_int.h"
#include "util.h"

int die__slot(unsigned int code)
{
	switch (code) {
	case DW_AT_name: return AS_NAME;
	case DW_AT_type: return AS_TYPE;
	case DW_AT_byte_size: return AS_BYTE_SIZE;
	case DW_AT_encoding: return AS_ENCODING;
	case DW_AT_declaration: return AS_DECLARATION;
	case DW_AT_external: return AS_EXTERNAL;
	case DW_AT_data_member_location: return AS_MEMBER_LOCATION;
	case DW_AT_data_bit_offset: return AS_DATA_BIT_OFFSET;
	case DW_AT_bit_offset: return AS_BIT_OFFSET;
	case DW_AT_bit_size: return AS_BIT_SIZE;
	case DW_AT_upper_bound: return AS_UPPER_BOUND;
	case DW_AT_count: return AS_COUNT;
	case DW_AT_const_value: return AS_CONST_VALUE;
	case DW_AT_abstract_origin: return AS_ABSTRACT_ORIGIN;
	case DW_AT_specification: return AS_SPECIFICATION;
	case DW_AT_location: return AS_LOCATION;
	case DW_AT_calling_convention: return AS_CALLING_CONVENTION;
	case DW_AT_inline: return AS_INLINE;
	default: return -1;
	}
}

/* Abbreviation codes above this are read by libdw (never seen in practice) */
#define MAX_FAST_CODE 65536

static const unsigned char *leb_skip(const unsigned char *p,
				     const unsigned char *end)
{
	const unsigned char *start = p;

	while (p < end && p - start < DIE_LEB_MAX)
		if (!(*p++ & 0x80))
			return p;
	return NULL;
}

static const unsigned char *block_skip(const unsigned char *p,
				       const unsigned char *end, uint64_t len)
{
	return p && len <= (uint64_t)(end - p) ? p + len : NULL;
}

/* Bytes of a value of @form, or -1 when it has no fixed size */
static int die_form_size(const struct die_cursor *c, unsigned int form)
{
	switch (form) {
	case DW_FORM_flag_present: case DW_FORM_implicit_const:
		return 0;
	case DW_FORM_flag: case DW_FORM_data1: case DW_FORM_ref1:
	case DW_FORM_strx1: case DW_FORM_addrx1:
		return 1;
	case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2:
	case DW_FORM_addrx2:
		return 2;
	case DW_FORM_strx3: case DW_FORM_addrx3:
		return 3;
	case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_strx4:
	case DW_FORM_addrx4: case DW_FORM_ref_sup4:
		return 4;
	case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8:
	case DW_FORM_ref_sup8:
		return 8;
	case DW_FORM_data16:
		return 16;
	case DW_FORM_addr:
		return c->addr_size;
	case DW_FORM_ref_addr:
		return c->version == 2 ? c->addr_size : c->offset_size;
	case DW_FORM_strp: case DW_FORM_line_strp: case DW_FORM_sec_offset:
	case DW_FORM_strp_sup: case DW_FORM_GNU_ref_alt:
	case DW_FORM_GNU_strp_alt:
		return c->offset_size;
	default:
		return -1;
	}
}

/* Past a value of @form at @p; NULL when unknown here or out of bounds */
static const unsigned char *die_form_skip(const struct die_cursor *c,
					  unsigned int form,
					  const unsigned char *p)
{
	const unsigned char *end = c->end;
	int size = die_form_size(c, form);
	uint64_t len;

	if (size >= 0)
		return size <= end - p ? p + size : NULL;
	switch (form) {
	case DW_FORM_udata: case DW_FORM_sdata: case DW_FORM_ref_udata:
	case DW_FORM_strx: case DW_FORM_addrx: case DW_FORM_loclistx:
	case DW_FORM_rnglistx: case DW_FORM_GNU_addr_index:
	case DW_FORM_GNU_str_index:
		return leb_skip(p, end);
	case DW_FORM_string:
		p = memchr(p, 0, end - p);
		return p ? p + 1 : NULL;
	case DW_FORM_block1:
		return p < end ? block_skip(p + 1, end, *p) : NULL;
	case DW_FORM_block2:
		if (end - p < 2)
			return NULL;
		return block_skip(p + 2, end, die__fixed_read(p, 2, c->big_endian));
	case DW_FORM_block4:
		if (end - p < 4)
			return NULL;
		return block_skip(p + 4, end, die__fixed_read(p, 4, c->big_endian));
	case DW_FORM_block: case DW_FORM_exprloc:
		p = die__uleb(p, end, &len);
		return block_skip(p, end, len);
	default:
		return NULL;
	}
}

/* Past the value of @aa at @p; NULL when out of bounds or unknown here */
static const unsigned char *attr_skip(const struct die_cursor *c,
				      const struct abbrev_attr *aa,
				      const unsigned char *p)
{
	if (aa->size >= 0)
		return aa->size <= c->end - p ? p + aa->size : NULL;
	return die_form_skip(c, aa->form, p);
}

/* What learning an abbreviation from libdw's walk collects */
struct learn {
	struct die_cursor *c;
	struct abbrev_spec *spec;
	const unsigned char *p;	/* where the next value should be */
	bool seen_sib;		/* libdw follows the first DW_AT_sibling only */
	int err;
};

static int learn_cb(Dwarf_Attribute *attr, void *arg)
{
	struct learn *l = arg;
	struct abbrev_cache *ac = l->c->abbrevs;
	struct abbrev_attr *aa;
	int err;

	err = util__ensure_cap((void **)&ac->attrs, &ac->attrs_cap,
			       sizeof(*ac->attrs), ac->nr_attrs + 1);
	if (err) {
		l->err = err;
		return DWARF_CB_ABORT;
	}
	aa = &ac->attrs[ac->nr_attrs++];
	aa->code = attr->code;
	aa->form = attr->form;
	aa->slot = die__slot(attr->code);
	aa->implicit = attr->form == DW_FORM_implicit_const ? attr->valp : NULL;
	aa->size = die_form_size(l->c, attr->form);
	aa->off = l->spec->len >= 0 && l->spec->len <= UINT16_MAX ?
		  l->spec->len : 0;
	if (aa->slot == AS_DECLARATION)
		l->spec->decl = true;
	/* libdw goes by the first DW_AT_sibling, whatever its children */
	if (attr->code == DW_AT_sibling && !l->seen_sib) {
		l->seen_sib = true;
		l->spec->sib_off = SIB_LIBDW;
		if (l->spec->len >= 0 && die__form_is_ref(attr->form)) {
			l->spec->sib_off = l->spec->len;
			l->spec->sib_size = aa->size;
		}
	}
	if (aa->size < 0 || l->spec->len < 0)
		l->spec->len = -1;
	else
		l->spec->len += aa->size;
	l->spec->nr++;
	if (!l->p || (attr->form != DW_FORM_implicit_const &&
		      attr->valp != l->p) || attr->code > UINT16_MAX) {
		l->p = NULL;
		return DWARF_CB_ABORT;
	}
	l->p = die_form_skip(l->c, attr->form, l->p);
	return l->p ? DWARF_CB_OK : DWARF_CB_ABORT;
}

/*
 * Whether die__raw reads a value of @form in slot @slot as the general
 * path does: names from .debug_str, references inside the unit, constants
 * as dwarf_formudata gives them (DW_FORM_sdata sign-extended) and flags.
 */
static bool raw_form(int slot, unsigned int form)
{
	switch (slot) {
	case AS_NAME:
		return form == DW_FORM_strp;
	case AS_TYPE:
		return die__form_is_ref(form);
	case AS_BYTE_SIZE: case AS_ENCODING: case AS_MEMBER_LOCATION:
	case AS_DATA_BIT_OFFSET: case AS_BIT_SIZE: case AS_CONST_VALUE:
	case AS_UPPER_BOUND: case AS_COUNT:
		return form == DW_FORM_data1 || form == DW_FORM_data2 ||
		       form == DW_FORM_data4 || form == DW_FORM_data8 ||
		       form == DW_FORM_udata || form == DW_FORM_sdata;
	case AS_DECLARATION: case AS_EXTERNAL:
		return form == DW_FORM_flag || form == DW_FORM_flag_present;
	default:
		return false;
	}
}

/*
 * Whether die__raw reads the DIEs of @spec, a fast one: every attribute
 * the encoder reads is of a form raw_form allows.  Before DWARF 4, data4
 * and data8 may be section offsets.
 */
static bool die_raw_shape(const struct die_cursor *c,
			    const struct abbrev_spec *spec)
{
	const struct abbrev_attr *aa;
	uint32_t i;

	if (c->version < 4)
		return false;
	if (!spec->nr)
		return true;
	aa = c->abbrevs->attrs + spec->first;
	for (i = 0; i < spec->nr; i++, aa++)
		if (aa->slot >= 0 && !raw_form(aa->slot, aa->form))
			return false;
	return true;
}

/*
 * Copy the attributes of @spec the encoder reads to the kept list, in
 * slot order (stable: of two of a slot the later still wins)
 */
static int die_keep(struct die_cursor *c, struct abbrev_spec *spec)
{
	struct abbrev_cache *ac = c->abbrevs;
	uint32_t i;
	int err;

	spec->kept_first = ac->nr_kept;
	spec->nr_kept = 0;
	for (i = 0; i < spec->nr; i++) {
		if (ac->attrs[spec->first + i].slot < 0)
			continue;
		err = util__ensure_cap((void **)&ac->kept, &ac->kept_cap,
				       sizeof(*ac->kept), ac->nr_kept + 1);
		if (err)
			return err;
		ac->kept[ac->nr_kept++] = ac->attrs[spec->first + i];
		spec->nr_kept++;
	}
	/* in slot order, which dwarf_shape.c reads them in */
	for (i = spec->kept_first + 1; i < ac->nr_kept; i++) {
		struct abbrev_attr a = ac->kept[i];
		uint32_t j = i;

		for (; j > spec->kept_first && ac->kept[j - 1].slot > a.slot; j--)
			ac->kept[j] = ac->kept[j - 1];
		ac->kept[j] = a;
	}
	return 0;
}

/*
 * The first DIE of code @code in the unit: learn its abbreviation.  Out
 * of line: die_spec, inlined in every reader, is the hot path.
 */
static __attribute__((noinline)) struct abbrev_spec *
die_learn(struct die_cursor *c, Dwarf_Die *die, uint64_t code,
	    const unsigned char *p)
{
	struct abbrev_cache *ac = c->abbrevs;
	struct abbrev_spec *spec;
	struct learn l = { .c = c, .p = p };
	size_t old = ac->specs_cap;
	int children;

	c->last_die = NULL;	/* the specs may move */
	if (util__ensure_cap((void **)&ac->specs, &ac->specs_cap,
			     sizeof(*ac->specs), code + 1))
		return NULL;
	if (ac->specs_cap > old)
		memset(ac->specs + old, 0,
		       (ac->specs_cap - old) * sizeof(*ac->specs));
	spec = &ac->specs[code];
	memset(spec, 0, sizeof(*spec));
	spec->gen = ac->gen;
	spec->first = ac->nr_attrs;
	spec->sib_off = SIB_NONE;
	spec->tag = dwarf_tag(die);
	children = dwarf_haschildren(die);
	spec->abbrev = die->abbrev;
	l.spec = spec;
	if (spec->tag == DW_TAG_invalid || children < 0 || !die->abbrev ||
	    dwarf_getattrs(die, learn_cb, &l, 0) != 1 || !l.p || l.err)
		return spec;	/* not fast: libdw reads these DIEs */
	spec->children = children;
	spec->fast = true;
	spec->raw = die_raw_shape(c, spec);
	spec->fixed = spec->raw && spec->len >= 0 && spec->len <= UINT16_MAX &&
		      !die_keep(c, spec);
	return spec;
}

/* The attribute list of @die's abbreviation, if it is read here */
static inline const struct abbrev_spec *die_spec(struct die_cursor *c,
						   Dwarf_Die *die,
						   const unsigned char **values)
{
	struct abbrev_cache *ac = c->abbrevs;
	const unsigned char *p = die->addr;
	struct abbrev_spec *spec;
	uint64_t code;

	if (p == c->last_die) {
		if (!die->abbrev)
			die->abbrev = c->last_spec->abbrev;
		*values = c->last_values;
		return c->last_spec;
	}
	if (!c->ptr || die->cu != c->cu || p < c->ptr ||
	    p >= c->end)
		return NULL;
	if (*p < 0x80)
		code = *p++;	/* one byte: most codes */
	else if (!(p = die__uleb(p, c->end, &code)))
		return NULL;
	if (!code || code >= MAX_FAST_CODE)
		return NULL;
	if (code < ac->specs_cap && ac->specs[code].gen == ac->gen)
		spec = &ac->specs[code];
	else
		spec = die_learn(c, die, code, p);
	if (!spec || !spec->fast)
		return NULL;
	if (!die->abbrev)
		die->abbrev = spec->abbrev;
	*values = p;
	c->last_die = die->addr;
	c->last_spec = spec;
	c->last_values = p;
	return spec;
}

void die__begin_unit(struct die_cursor *c, const struct dwarf_file *f,
		     struct abbrev_cache *abbrevs, Dwarf_Off start,
		     Dwarf_Off end, Dwarf_Die *cudie)
{
	struct abbrev_cache *ac = abbrevs;
	const unsigned char *base;
	Dwarf_Half version;
	Dwarf_Off next;
	uint8_t addr_size, offset_size;

	memset(c, 0, sizeof(*c));
	c->abbrevs = abbrevs;
	c->dstr = f->dstr;
	c->dstr_size = f->dstr_size;
	c->start = start;
	if (++ac->gen == 0) {
		memset(ac->specs, 0, ac->specs_cap * sizeof(*ac->specs));
		ac->gen = 1;
	}
	ac->nr_attrs = 0;
	ac->nr_kept = 0;
	if (dwarf_next_unit(f->dbg, start, &next, NULL, &version, NULL,
			    &addr_size, &offset_size, NULL, NULL) ||
	    version < 2 || version > 5)
		return;
	/* libdw's data, and the unit's end as libdw has it: in the section */
	base = (const unsigned char *)cudie->addr - dwarf_dieoffset(cudie);
	if (base != f->info || start >= f->info_size)
		return;
	c->len = (end < f->info_size ? end : f->info_size) - start;
	c->cu = cudie->cu;
	c->version = version;
	c->addr_size = addr_size;
	c->offset_size = offset_size;
	c->big_endian = f->big_endian;
	c->first_die = dwarf_dieoffset(cudie);
	c->ptr = base + start;
	c->end = c->ptr + c->len;
}

void abbrev_cache__free(struct abbrev_cache *c)
{
	free(c->specs);
	free(c->attrs);
	free(c->kept);
	memset(c, 0, sizeof(*c));
}

int die__tag(struct die_cursor *c, Dwarf_Die *die)
{
	const unsigned char *p;
	const struct abbrev_spec *spec = die_spec(c, die, &p);

	return spec ? spec->tag : dwarf_tag(die);
}

int die__attrs(struct die_cursor *c, Dwarf_Die *die, struct die_attrs *da)
{
	struct abbrev_cache *ac = c->abbrevs;
	const struct abbrev_spec *spec;
	const struct abbrev_attr *aa;
	const unsigned char *p;
	Dwarf_Attribute *a;
	uint32_t i;

	spec = die_spec(c, die, &p);
	if (!spec)
		return attrs__read(die, da);
	da->mask = 0;
	da->die = c->start + ((const unsigned char *)die->addr - c->ptr);
	da->fast = c;
	/* an abbreviation without attributes may come before any array */
	aa = spec->nr ? ac->attrs + spec->first : NULL;
	for (i = 0; i < spec->nr; i++, aa++) {
		if (aa->slot >= 0) {
			a = &da->a[aa->slot];
			a->code = aa->code;
			a->form = aa->form;
			a->valp = aa->implicit ? (unsigned char *)aa->implicit :
				  (unsigned char *)p;
			a->cu = die->cu;
			da->mask |= 1u << aa->slot;
		}
		p = attr_skip(c, aa, p);
		if (!p)
			return attrs__read(die, da);
	}
	return 0;
}

/* A value of a fixed-size form raw_form allows, in bounds at @p */
static inline uint64_t raw_fixed_value(const struct die_cursor *c,
				       const struct abbrev_attr *aa,
				       const unsigned char *p)
{
	if (aa->form == DW_FORM_flag_present)
		return 1;
	if (aa->form == DW_FORM_flag)
		return *p != 0;
	return die__fixed_read(p, aa->size, c->big_endian);
}

/* A value of a form raw_form allows */
static const unsigned char *raw_value(const struct die_cursor *c,
				      const struct abbrev_attr *aa,
				      const unsigned char *p, uint64_t *v)
{
	int64_t sv;

	if (aa->form == DW_FORM_udata)
		return die__uleb(p, c->end, v);
	if (aa->form == DW_FORM_sdata) {
		p = die__sleb(p, c->end, &sv);
		if (p)
			*v = (uint64_t)sv;
		return p;
	}
	if (aa->size < 0 || aa->size > c->end - p)
		return NULL;
	*v = raw_fixed_value(c, aa, p);
	return p + aa->size;
}

/* Value @v of @aa into @ra, if a name or reference the general path reads */
static bool raw_store(const struct die_cursor *c, const struct abbrev_attr *aa,
		      uint64_t v, struct raw_attrs *ra)
{
	if (aa->slot == AS_NAME && (!c->dstr || v >= c->dstr_size))
		return false;
	if (aa->slot == AS_TYPE) {
		if (!die__in_unit(c, v))
			return false;
		v += c->start;
	}
	ra->v[aa->slot] = v;
	ra->mask |= 1u << aa->slot;
	return true;
}

/* A fixed spec's DIE, its values at @p, in bounds: only the kept ones */
static bool raw_fixed(const struct die_cursor *c, const struct abbrev_spec *spec,
		      const unsigned char *p, struct raw_attrs *ra)
{
	const struct abbrev_attr *aa;
	uint32_t i;

	if (!spec->nr_kept)
		return true;
	aa = c->abbrevs->kept + spec->kept_first;
	for (i = 0; i < spec->nr_kept; i++, aa++)
		if (!raw_store(c, aa, raw_fixed_value(c, aa, p + aa->off), ra))
			return false;
	return true;
}

bool die__raw(struct die_cursor *c, Dwarf_Die *die, struct raw_attrs *ra)
{
	struct abbrev_cache *ac = c->abbrevs;
	const struct abbrev_spec *spec;
	const struct abbrev_attr *aa;
	const unsigned char *p;
	uint64_t v;
	uint32_t i;

	spec = die_spec(c, die, &p);
	if (!spec || !spec->raw)
		return false;
	ra->mask = 0;
	ra->tag = spec->tag;
	ra->children = spec->children;
	if (spec->fixed) {
		if (spec->len > c->end - p)
			return false;
		ra->end = spec->sib_off == SIB_NONE ? p + spec->len : NULL;
		return raw_fixed(c, spec, p, ra);
	}
	aa = spec->nr ? ac->attrs + spec->first : NULL;
	for (i = 0; i < spec->nr; i++, aa++) {
		if (aa->slot < 0) {
			p = attr_skip(c, aa, p);
		} else {
			p = raw_value(c, aa, p, &v);
			if (p && !raw_store(c, aa, v, ra))
				return false;
		}
		if (!p)
			return false;
	}
	ra->end = spec->sib_off == SIB_NONE ? p : NULL;
	return true;
}

/* Where the attributes of a DIE of @spec whose values start at @p end */
static const unsigned char *die_end(struct die_cursor *c,
				      const struct abbrev_spec *spec,
				      const unsigned char *p)
{
	struct abbrev_cache *ac = c->abbrevs;
	uint32_t i;

	if (spec->len >= 0)
		return spec->len <= c->end - p ? p + spec->len : NULL;
	/* the sizes of fixed forms are known since the abbreviation was */
	for (i = 0; i < spec->nr && p; i++)
		p = attr_skip(c, &ac->attrs[spec->first + i], p);
	return p;
}

/*
 * Where @die's attributes end (its first child or next sibling begins),
 * with its tag and whether it has children; NULL when the cursor does
 * not read it.
 */
static const unsigned char *die_skip(struct die_cursor *c, Dwarf_Die *die,
				     int *tag, bool *children)
{
	const struct abbrev_spec *spec;
	const unsigned char *p;

	spec = die_spec(c, die, &p);
	if (!spec)
		return NULL;
	*tag = spec->tag;
	*children = spec->children;
	return die_end(c, spec, p);
}

int die__has_children(struct die_cursor *c, Dwarf_Die *die)
{
	const unsigned char *p;
	const struct abbrev_spec *spec = die_spec(c, die, &p);

	return spec ? spec->children : dwarf_haschildren(die);
}

int die__child(struct die_cursor *c, Dwarf_Die *die, Dwarf_Die *out)
{
	const struct abbrev_spec *spec;
	const unsigned char *p, *code;

	spec = die_spec(c, die, &p);
	if (!spec)
		return dwarf_child(die, out);
	if (!spec->children)
		return 1;
	p = die_end(c, spec, p);
	if (!p)
		return dwarf_child(die, out);
	/* a null entry first, even one spelt in more bytes: no children */
	for (code = p; code < c->end && *code == 0x80; code++)
		;
	if (code >= c->end || !*code)
		return 1;
	die__at(c, p, out);
	return 0;
}


void die__at(struct die_cursor *c, const void *addr, Dwarf_Die *out)
{
	memset(out, 0, sizeof(*out));
	out->addr = (void *)addr;
	out->cu = c->cu;
}

/*
 * Where DW_AT_sibling says the next sibling of a DIE of @spec with values
 * at @p is, if it says so in bounds: after the DIE, inside the unit.
 */
static const unsigned char *die_sib_ref(struct die_cursor *c,
					  const struct abbrev_spec *spec,
					  Dwarf_Die *die, const unsigned char *p)
{
	const unsigned char *die_p = die->addr;
	uint64_t v;

	if (spec->sib_off < 0 ||
	    spec->sib_off + spec->sib_size > c->end - p)
		return NULL;
	v = die__fixed_read(p + spec->sib_off, spec->sib_size, c->big_endian);
	if (v >= c->len || v <= (uint64_t)(die_p - c->ptr))
		return NULL;
	return c->ptr + v;
}

/*
 * The end of die__sibling, its next sibling found at @p (NULL: let libdw
 * find it, as it does for a null entry spelt in more bytes)
 */
static inline int die_sibling_at(struct die_cursor *c, Dwarf_Die *die,
				   const unsigned char *p, Dwarf_Die *out)
{
	if (!p || (p < c->end && *p == 0x80))
		return dwarf_siblingof(die, out);
	/* the end of the unit, or of the level (libdw leaves *out alone) */
	if (p >= c->end || !*p)
		return 1;
	die__at(c, p, out);
	return 0;
}

int die__sibling(struct die_cursor *c, Dwarf_Die *die, Dwarf_Die *out)
{
	const struct abbrev_spec *spec;
	const unsigned char *p;

	spec = die_spec(c, die, &p);
	if (!spec)
		return dwarf_siblingof(die, out);
	/*
	 * Where DW_AT_sibling says, if there is one (libdw follows it even
	 * without children), else past the attributes; libdw walks the
	 * children of a DIE with children and no DW_AT_sibling
	 */
	if (spec->sib_off != SIB_NONE)
		p = die_sib_ref(c, spec, die, p);
	else
		p = spec->children ? NULL : die_end(c, spec, p);
	return die_sibling_at(c, die, p, out);
}

int die__next(struct die_cursor *c, Dwarf_Die *die, const struct raw_attrs *ra,
		Dwarf_Die *out)
{
	if (!ra->end || ra->children)
		return die__sibling(c, die, out);
	return die_sibling_at(c, die, ra->end, out);
}

/*
 * The DIE offset a reference of @form at @p to a DIE of the unit gives,
 * with *@ok; *@ok false when the caller is to ask libdw (another form,
 * out of bounds)
 */
static inline Dwarf_Off die_ref(const struct die_cursor *c, unsigned int form,
				const unsigned char *p, bool *ok)
{
	uint64_t v;
	int size;

	*ok = false;
	switch (form) {
	case DW_FORM_ref1: case DW_FORM_ref2: case DW_FORM_ref4:
	case DW_FORM_ref8:
		size = die_form_size(c, form);
		if (size > c->end - p)
			return 0;
		v = die__fixed_read(p, size, c->big_endian);
		break;
	case DW_FORM_ref_udata:
		if (!die__uleb(p, c->end, &v))
			return 0;
		break;
	case DW_FORM_ref_addr:
		/* an offset in .debug_info: another unit's DIE is libdw's */
		size = die_form_size(c, form);
		if (size > c->end - p)
			return 0;
		v = die__fixed_read(p, size, c->big_endian);
		if (v < c->start)
			return 0;
		v -= c->start;
		break;
	default:
		return 0;
	}
	if (!die__in_unit(c, v))
		return 0;
	*ok = true;
	return c->start + v;
}

Dwarf_Off die__ref_attr(const struct die_cursor *c, struct die_attrs *da,
			enum attr_slot s, bool *ok)
{
	const Dwarf_Attribute *a = &da->a[s];

	*ok = false;
	if (!c->ptr || a->cu != c->cu)
		return 0;
	return die_ref(c, a->form, a->valp, ok);
}

enum die_walk_step die__walk_begin(struct die_cursor *c, Dwarf_Die *die,
				   struct die_walk *w)
{
	bool children;
	int tag;

	w->p = die_skip(c, die, &tag, &children);
	if (!w->p)
		return DIE_WALK_UNREAD;
	w->depth = 1;
	w->enter[1] = true;
	return children ? DIE_WALK_DIE : DIE_WALK_END;
}

enum die_walk_step die__walk_slow(struct die_cursor *c, struct die_walk *w)
{
	Dwarf_Die d;

	die__at(c, w->p, &d);
	w->p = die_skip(c, &d, &w->tag, &w->children);
	return w->p ? DIE_WALK_DIE : DIE_WALK_UNREAD;
}
