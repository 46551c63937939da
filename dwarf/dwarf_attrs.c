// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading the attributes of a DIE in one pass.  dwarf_attr() scans the
 * abbreviation from the start for every attribute asked for, present or
 * not; a member DIE is asked for seven, so one dwarf_getattrs() walk that
 * keeps the interesting ones is several times cheaper on the hot path.
 * Cheaper still, for the DIEs of the unit being encoded, is the fast path
 * below, which reads them without libdw once it knows their abbreviation.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "dwarf_int.h"
#include "util.h"

static int attrs_slot(unsigned int code)
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

static int attrs_cb(Dwarf_Attribute *attr, void *arg)
{
	struct die_attrs *da = arg;
	int slot = attrs_slot(attr->code);

	if (slot >= 0) {
		da->a[slot] = *attr;
		da->mask |= 1u << slot;
	}
	return DWARF_CB_OK;
}

int attrs__read(Dwarf_Die *die, struct die_attrs *da)
{
	da->mask = 0;
	da->die = dwarf_dieoffset(die);
	da->fast = NULL;
	return dwarf_getattrs(die, attrs_cb, da, 0) < 0 ? -EINVAL : 0;
}

/*
 * The common case read here: a DW_FORM_strp name, in the .debug_str data
 * libdw has (f->dstr), at the place libdw's dwarf_formstring finds it.
 */
const char *attrs__str(struct die_attrs *da, enum attr_slot s)
{
	const struct cu_enc *e = da->fast;
	uint64_t off;

	if (!attrs__has(da, s))
		return NULL;
	if (e && e->file->dstr && da->a[s].form == DW_FORM_strp) {
		off = fixed_read(da->a[s].valp, e->offset_size, e->big_endian);
		if (off < e->file->dstr_size)
			return e->file->dstr + off;
	}
	return dwarf_formstring(&da->a[s]);
}

uint64_t attrs__udata(struct die_attrs *da, enum attr_slot s, uint64_t def)
{
	Dwarf_Word v;

	if (!attrs__has(da, s))
		return def;
	if (da->a[s].form == DW_FORM_flag_present)
		return 1;
	if (da->a[s].form == DW_FORM_flag) {
		bool flag;

		return dwarf_formflag(&da->a[s], &flag) ? def : flag;
	}
	return dwarf_formudata(&da->a[s], &v) ? def : v;
}


/*
 * The fast path.  A DIE is its abbreviation code and the values of the
 * attributes its abbreviation lists, in order, each as long as its form
 * says.  The first DIE of each code in a unit goes through libdw, which
 * gives each attribute's form and where its value starts: if walking the
 * forms here finds every value where libdw did, the code's attribute list
 * is kept and its later DIEs are read here, with no call into libdw; else
 * (a form not known here, DW_FORM_indirect) they all take libdw's path.
 * The Dwarf_Attribute values are the ones libdw would give, so libdw's
 * dwarf_form* read them.  Anything out of the unit's bounds takes libdw's
 * path too, which reports the error as before.
 */

/* Abbreviation codes above this are read by libdw (never seen in practice) */
#define MAX_FAST_CODE 65536

#define LEB_MAX 10	/* libdw reads no more bytes of a LEB128 */

static const unsigned char *leb_skip(const unsigned char *p,
				     const unsigned char *end)
{
	const unsigned char *start = p;

	while (p < end && p - start < LEB_MAX)
		if (!(*p++ & 0x80))
			return p;
	return NULL;
}

static const unsigned char *leb_read(const unsigned char *p,
				     const unsigned char *end, uint64_t *v)
{
	unsigned int shift = 0;

	*v = 0;
	while (p < end && shift < 7 * LEB_MAX) {
		unsigned char b = *p++;

		if (shift < 64)
			*v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			return p;
	}
	return NULL;
}

static const unsigned char *sleb_read(const unsigned char *p,
				      const unsigned char *end, int64_t *v)
{
	unsigned int shift = 0;
	uint64_t u = 0;
	unsigned char b;

	while (p < end && shift < 7 * LEB_MAX) {
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

static const unsigned char *block_skip(const unsigned char *p,
				       const unsigned char *end, uint64_t len)
{
	return p && len <= (uint64_t)(end - p) ? p + len : NULL;
}

/* A reference inside the unit, of fixed size */
static bool form_is_ref(unsigned int form)
{
	return form == DW_FORM_ref1 || form == DW_FORM_ref2 ||
	       form == DW_FORM_ref4 || form == DW_FORM_ref8;
}

/* Bytes of a value of @form, or -1 when it has no fixed size */
static int form_fixed_size(const struct cu_enc *e, unsigned int form)
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
		return e->addr_size;
	case DW_FORM_ref_addr:
		return e->version == 2 ? e->addr_size : e->offset_size;
	case DW_FORM_strp: case DW_FORM_line_strp: case DW_FORM_sec_offset:
	case DW_FORM_strp_sup: case DW_FORM_GNU_ref_alt:
	case DW_FORM_GNU_strp_alt:
		return e->offset_size;
	default:
		return -1;
	}
}

/* Past a value of @form at @p; NULL when unknown here or out of bounds */
static const unsigned char *form_skip(const struct cu_enc *e,
				      unsigned int form, const unsigned char *p)
{
	const unsigned char *end = e->unit_end;
	int size = form_fixed_size(e, form);
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
		return block_skip(p + 2, end, fixed_read(p, 2, e->big_endian));
	case DW_FORM_block4:
		if (end - p < 4)
			return NULL;
		return block_skip(p + 4, end, fixed_read(p, 4, e->big_endian));
	case DW_FORM_block: case DW_FORM_exprloc:
		p = leb_read(p, end, &len);
		return block_skip(p, end, len);
	default:
		return NULL;
	}
}

/* Past the value of @aa at @p; NULL when out of bounds or unknown here */
static const unsigned char *attr_skip(const struct cu_enc *e,
				      const struct abbrev_attr *aa,
				      const unsigned char *p)
{
	if (aa->size >= 0)
		return aa->size <= e->unit_end - p ? p + aa->size : NULL;
	return form_skip(e, aa->form, p);
}

/* What learning an abbreviation from libdw's walk collects */
struct learn {
	struct cu_enc *e;
	struct abbrev_spec *spec;
	const unsigned char *p;	/* where the next value should be */
	bool seen_sib;		/* libdw follows the first DW_AT_sibling only */
	int err;
};

static int learn_cb(Dwarf_Attribute *attr, void *arg)
{
	struct learn *l = arg;
	struct abbrev_cache *c = &l->e->s->abbrevs;
	struct abbrev_attr *aa;
	int err;

	err = util__ensure_cap((void **)&c->attrs, &c->attrs_cap,
			       sizeof(*c->attrs), c->nr_attrs + 1);
	if (err) {
		l->err = err;
		return DWARF_CB_ABORT;
	}
	aa = &c->attrs[c->nr_attrs++];
	aa->code = attr->code;
	aa->form = attr->form;
	aa->slot = attrs_slot(attr->code);
	aa->implicit = attr->form == DW_FORM_implicit_const ? attr->valp : NULL;
	aa->size = form_fixed_size(l->e, attr->form);
	aa->off = l->spec->len >= 0 && l->spec->len <= UINT16_MAX ?
		  l->spec->len : 0;
	/* libdw goes by the first DW_AT_sibling, whatever its children */
	if (attr->code == DW_AT_sibling && !l->seen_sib) {
		l->seen_sib = true;
		l->spec->sib_off = SIB_LIBDW;
		if (l->spec->len >= 0 && form_is_ref(attr->form)) {
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
	l->p = form_skip(l->e, attr->form, l->p);
	return l->p ? DWARF_CB_OK : DWARF_CB_ABORT;
}

/*
 * Whether attrs__raw reads a value of @form in slot @slot as the general
 * path does: names from .debug_str, references inside the unit, constants
 * as dwarf_formudata gives them (DW_FORM_sdata sign-extended) and flags.
 */
static bool raw_form(int slot, unsigned int form)
{
	switch (slot) {
	case AS_NAME:
		return form == DW_FORM_strp;
	case AS_TYPE:
		return form_is_ref(form);
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
 * Whether attrs__raw reads the DIEs of @spec, a fast one: every attribute
 * the encoder reads is of a form raw_form allows.  Before DWARF 4, data4
 * and data8 may be section offsets.
 */
static bool attrs_raw_shape(const struct cu_enc *e,
			    const struct abbrev_spec *spec)
{
	const struct abbrev_attr *aa;
	uint32_t i;

	if (e->version < 4)
		return false;
	if (!spec->nr)
		return true;
	aa = e->s->abbrevs.attrs + spec->first;
	for (i = 0; i < spec->nr; i++, aa++)
		if (aa->slot >= 0 && !raw_form(aa->slot, aa->form))
			return false;
	return true;
}

/*
 * Copy the attributes of @spec the encoder reads to the kept list, in
 * slot order (stable: of two of a slot the later still wins)
 */
static int attrs_keep(struct cu_enc *e, struct abbrev_spec *spec)
{
	struct abbrev_cache *c = &e->s->abbrevs;
	uint32_t i;
	int err;

	spec->kept_first = c->nr_kept;
	spec->nr_kept = 0;
	for (i = 0; i < spec->nr; i++) {
		if (c->attrs[spec->first + i].slot < 0)
			continue;
		err = util__ensure_cap((void **)&c->kept, &c->kept_cap,
				       sizeof(*c->kept), c->nr_kept + 1);
		if (err)
			return err;
		c->kept[c->nr_kept++] = c->attrs[spec->first + i];
		spec->nr_kept++;
	}
	/* in slot order, which dwarf_shape.c reads them in */
	for (i = spec->kept_first + 1; i < c->nr_kept; i++) {
		struct abbrev_attr a = c->kept[i];
		uint32_t j = i;

		for (; j > spec->kept_first && c->kept[j - 1].slot > a.slot; j--)
			c->kept[j] = c->kept[j - 1];
		c->kept[j] = a;
	}
	return 0;
}

/*
 * The first DIE of code @code in the unit: learn its abbreviation.  Out
 * of line: attrs_spec, inlined in every reader, is the hot path.
 */
static __attribute__((noinline)) struct abbrev_spec *
attrs_learn(struct cu_enc *e, Dwarf_Die *die, uint64_t code,
	    const unsigned char *p)
{
	struct abbrev_cache *c = &e->s->abbrevs;
	struct abbrev_spec *spec;
	struct learn l = { .e = e, .p = p };
	size_t old = c->specs_cap;
	int children;

	e->last_die = NULL;	/* the specs may move */
	if (util__ensure_cap((void **)&c->specs, &c->specs_cap,
			     sizeof(*c->specs), code + 1))
		return NULL;
	if (c->specs_cap > old)
		memset(c->specs + old, 0,
		       (c->specs_cap - old) * sizeof(*c->specs));
	spec = &c->specs[code];
	memset(spec, 0, sizeof(*spec));
	spec->gen = c->gen;
	spec->first = c->nr_attrs;
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
	spec->raw = attrs_raw_shape(e, spec);
	spec->fixed = spec->raw && spec->len >= 0 && spec->len <= UINT16_MAX &&
		      !attrs_keep(e, spec);
	return spec;
}

/* The attribute list of @die's abbreviation, if it is read here */
static inline const struct abbrev_spec *attrs_spec(struct cu_enc *e,
						   Dwarf_Die *die,
						   const unsigned char **values)
{
	struct abbrev_cache *c = &e->s->abbrevs;
	const unsigned char *p = die->addr;
	struct abbrev_spec *spec;
	uint64_t code;

	if (p == e->last_die) {
		if (!die->abbrev)
			die->abbrev = e->last_spec->abbrev;
		*values = e->last_values;
		return e->last_spec;
	}
	if (!e->unit_ptr || die->cu != e->cu || p < e->unit_ptr ||
	    p >= e->unit_end)
		return NULL;
	if (*p < 0x80)
		code = *p++;	/* one byte: most codes */
	else if (!(p = leb_read(p, e->unit_end, &code)))
		return NULL;
	if (!code || code >= MAX_FAST_CODE)
		return NULL;
	if (code < c->specs_cap && c->specs[code].gen == c->gen)
		spec = &c->specs[code];
	else
		spec = attrs_learn(e, die, code, p);
	if (!spec || !spec->fast)
		return NULL;
	if (!die->abbrev)
		die->abbrev = spec->abbrev;
	*values = p;
	e->last_die = die->addr;
	e->last_spec = spec;
	e->last_values = p;
	return spec;
}

void attrs__begin_unit(struct cu_enc *e, Dwarf_Die *cudie)
{
	struct abbrev_cache *c = &e->s->abbrevs;
	const unsigned char *base;
	Dwarf_Half version;
	Dwarf_Off next;
	uint8_t addr_size, offset_size;

	e->unit_ptr = NULL;
	if (++c->gen == 0) {
		memset(c->specs, 0, c->specs_cap * sizeof(*c->specs));
		c->gen = 1;
	}
	c->nr_attrs = 0;
	c->nr_kept = 0;
	e->last_die = NULL;
	if (dwarf_next_unit(e->file->dbg, e->start, &next, NULL, &version, NULL,
			    &addr_size, &offset_size, NULL, NULL) ||
	    version < 2 || version > 5)
		return;
	/* libdw's data, and the unit's end as libdw has it: in the section */
	base = (const unsigned char *)cudie->addr - dwarf_dieoffset(cudie);
	if (base != e->file->info || e->start >= e->file->info_size)
		return;
	e->unit_len = (e->end < e->file->info_size ? e->end :
		       e->file->info_size) - e->start;
	e->cu = cudie->cu;
	e->version = version;
	e->addr_size = addr_size;
	e->offset_size = offset_size;
	e->big_endian = e->file->big_endian;
	e->first_die = dwarf_dieoffset(cudie);
	e->unit_ptr = base + e->start;
	e->unit_end = e->unit_ptr + e->unit_len;
}

int attrs__tag(struct cu_enc *e, Dwarf_Die *die)
{
	const unsigned char *p;
	const struct abbrev_spec *spec = attrs_spec(e, die, &p);

	return spec ? spec->tag : dwarf_tag(die);
}

int attrs__read_die(struct cu_enc *e, Dwarf_Die *die, struct die_attrs *da)
{
	struct abbrev_cache *c = &e->s->abbrevs;
	const struct abbrev_spec *spec;
	const struct abbrev_attr *aa;
	const unsigned char *p;
	Dwarf_Attribute *a;
	uint32_t i;

	spec = attrs_spec(e, die, &p);
	if (!spec)
		return attrs__read(die, da);
	da->mask = 0;
	da->die = e->start + ((const unsigned char *)die->addr - e->unit_ptr);
	da->fast = e;
	/* an abbreviation without attributes may come before any array */
	aa = spec->nr ? c->attrs + spec->first : NULL;
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
		p = attr_skip(e, aa, p);
		if (!p)
			return attrs__read(die, da);
	}
	return 0;
}

/* A value of a fixed-size form raw_form allows, in bounds at @p */
static inline uint64_t raw_fixed_value(const struct cu_enc *e,
				       const struct abbrev_attr *aa,
				       const unsigned char *p)
{
	if (aa->form == DW_FORM_flag_present)
		return 1;
	if (aa->form == DW_FORM_flag)
		return *p != 0;
	return fixed_read(p, aa->size, e->big_endian);
}

/* A value of a form raw_form allows */
static const unsigned char *raw_value(const struct cu_enc *e,
				      const struct abbrev_attr *aa,
				      const unsigned char *p, uint64_t *v)
{
	int64_t sv;

	if (aa->form == DW_FORM_udata)
		return leb_read(p, e->unit_end, v);
	if (aa->form == DW_FORM_sdata) {
		p = sleb_read(p, e->unit_end, &sv);
		if (p)
			*v = (uint64_t)sv;
		return p;
	}
	if (aa->size < 0 || aa->size > e->unit_end - p)
		return NULL;
	*v = raw_fixed_value(e, aa, p);
	return p + aa->size;
}

/* Value @v of @aa into @ra, if a name or reference the general path reads */
static bool raw_store(const struct cu_enc *e, const struct abbrev_attr *aa,
		      uint64_t v, struct raw_attrs *ra)
{
	if (aa->slot == AS_NAME && (!e->file->dstr || v >= e->file->dstr_size))
		return false;
	if (aa->slot == AS_TYPE) {
		if (v >= e->unit_len || e->start + v < e->first_die)
			return false;
		v += e->start;
	}
	ra->v[aa->slot] = v;
	ra->mask |= 1u << aa->slot;
	return true;
}

/* A fixed spec's DIE, its values at @p, in bounds: only the kept ones */
static bool raw_fixed(const struct cu_enc *e, const struct abbrev_spec *spec,
		      const unsigned char *p, struct raw_attrs *ra)
{
	const struct abbrev_attr *aa;
	uint32_t i;

	if (!spec->nr_kept)
		return true;
	aa = e->s->abbrevs.kept + spec->kept_first;
	for (i = 0; i < spec->nr_kept; i++, aa++)
		if (!raw_store(e, aa, raw_fixed_value(e, aa, p + aa->off), ra))
			return false;
	return true;
}

bool attrs__raw(struct cu_enc *e, Dwarf_Die *die, struct raw_attrs *ra)
{
	struct abbrev_cache *c = &e->s->abbrevs;
	const struct abbrev_spec *spec;
	const struct abbrev_attr *aa;
	const unsigned char *p;
	uint64_t v;
	uint32_t i;

	spec = attrs_spec(e, die, &p);
	if (!spec || !spec->raw)
		return false;
	ra->mask = 0;
	ra->tag = spec->tag;
	ra->children = spec->children;
	if (spec->fixed) {
		if (spec->len > e->unit_end - p)
			return false;
		ra->end = spec->sib_off == SIB_NONE ? p + spec->len : NULL;
		return raw_fixed(e, spec, p, ra);
	}
	aa = spec->nr ? c->attrs + spec->first : NULL;
	for (i = 0; i < spec->nr; i++, aa++) {
		if (aa->slot < 0) {
			p = attr_skip(e, aa, p);
		} else {
			p = raw_value(e, aa, p, &v);
			if (p && !raw_store(e, aa, v, ra))
				return false;
		}
		if (!p)
			return false;
	}
	ra->end = spec->sib_off == SIB_NONE ? p : NULL;
	return true;
}

/* Where the attributes of a DIE of @spec whose values start at @p end */
static const unsigned char *attrs_end(struct cu_enc *e,
				      const struct abbrev_spec *spec,
				      const unsigned char *p)
{
	struct abbrev_cache *c = &e->s->abbrevs;
	uint32_t i;

	if (spec->len >= 0)
		return spec->len <= e->unit_end - p ? p + spec->len : NULL;
	/* the sizes of fixed forms are known since the abbreviation was */
	for (i = 0; i < spec->nr && p; i++)
		p = attr_skip(e, &c->attrs[spec->first + i], p);
	return p;
}

const unsigned char *attrs__skip(struct cu_enc *e, Dwarf_Die *die, int *tag,
				 bool *children)
{
	const struct abbrev_spec *spec;
	const unsigned char *p;

	spec = attrs_spec(e, die, &p);
	if (!spec)
		return NULL;
	*tag = spec->tag;
	*children = spec->children;
	return attrs_end(e, spec, p);
}

int attrs__has_children(struct cu_enc *e, Dwarf_Die *die)
{
	const unsigned char *p;
	const struct abbrev_spec *spec = attrs_spec(e, die, &p);

	return spec ? spec->children : dwarf_haschildren(die);
}

int attrs__child(struct cu_enc *e, Dwarf_Die *die, Dwarf_Die *out)
{
	const struct abbrev_spec *spec;
	const unsigned char *p, *code;

	spec = attrs_spec(e, die, &p);
	if (!spec)
		return dwarf_child(die, out);
	if (!spec->children)
		return 1;
	p = attrs_end(e, spec, p);
	if (!p)
		return dwarf_child(die, out);
	/* a null entry first, even one spelt in more bytes: no children */
	for (code = p; code < e->unit_end && *code == 0x80; code++)
		;
	if (code >= e->unit_end || !*code)
		return 1;
	attrs__die_at(e, p, out);
	return 0;
}


void attrs__die_at(struct cu_enc *e, const void *addr, Dwarf_Die *out)
{
	memset(out, 0, sizeof(*out));
	out->addr = (void *)addr;
	out->cu = e->cu;
}

/*
 * Where DW_AT_sibling says the next sibling of a DIE of @spec with values
 * at @p is, if it says so in bounds: after the DIE, inside the unit.
 */
static const unsigned char *attrs_sib_ref(struct cu_enc *e,
					  const struct abbrev_spec *spec,
					  Dwarf_Die *die, const unsigned char *p)
{
	const unsigned char *die_p = die->addr;
	uint64_t v;

	if (spec->sib_off < 0 ||
	    spec->sib_off + spec->sib_size > e->unit_end - p)
		return NULL;
	v = fixed_read(p + spec->sib_off, spec->sib_size, e->big_endian);
	if (v >= e->unit_len || v <= (uint64_t)(die_p - e->unit_ptr))
		return NULL;
	return e->unit_ptr + v;
}

/*
 * The end of attrs__sibling, its next sibling found at @p (NULL: let libdw
 * find it, as it does for a null entry spelt in more bytes)
 */
static inline int attrs_sibling_at(struct cu_enc *e, Dwarf_Die *die,
				   const unsigned char *p, Dwarf_Die *out)
{
	if (!p || (p < e->unit_end && *p == 0x80))
		return dwarf_siblingof(die, out);
	/* the end of the unit, or of the level (libdw leaves *out alone) */
	if (p >= e->unit_end || !*p)
		return 1;
	attrs__die_at(e, p, out);
	return 0;
}

int attrs__sibling(struct cu_enc *e, Dwarf_Die *die, Dwarf_Die *out)
{
	const struct abbrev_spec *spec;
	const unsigned char *p;

	spec = attrs_spec(e, die, &p);
	if (!spec)
		return dwarf_siblingof(die, out);
	/*
	 * Where DW_AT_sibling says, if there is one (libdw follows it even
	 * without children), else past the attributes; libdw walks the
	 * children of a DIE with children and no DW_AT_sibling
	 */
	if (spec->sib_off != SIB_NONE)
		p = attrs_sib_ref(e, spec, die, p);
	else
		p = spec->children ? NULL : attrs_end(e, spec, p);
	return attrs_sibling_at(e, die, p, out);
}

int attrs__next(struct cu_enc *e, Dwarf_Die *die, const struct raw_attrs *ra,
		Dwarf_Die *out)
{
	if (!ra->end || ra->children)
		return attrs__sibling(e, die, out);
	return attrs_sibling_at(e, die, ra->end, out);
}

Dwarf_Off attrs__ref_off(struct cu_enc *e, struct die_attrs *da,
			 enum attr_slot s, bool *ok)
{
	const Dwarf_Attribute *a = &da->a[s];
	const unsigned char *p = a->valp;
	uint64_t v;
	int size;

	*ok = false;
	if (!e->unit_ptr || a->cu != e->cu)
		return 0;
	switch (a->form) {
	case DW_FORM_ref1: case DW_FORM_ref2: case DW_FORM_ref4:
	case DW_FORM_ref8:
		size = form_fixed_size(e, a->form);
		if (size > e->unit_end - p)
			return 0;
		v = fixed_read(p, size, e->big_endian);
		break;
	case DW_FORM_ref_udata:
		if (!leb_read(p, e->unit_end, &v))
			return 0;
		break;
	default:
		return 0;
	}
	if (v >= e->unit_len || e->start + v < e->first_die)
		return 0;
	*ok = true;
	return e->start + v;
}
