// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Type DIEs to BTF records.  Where BTF or the reference encoder (pahole
 * 1.24, whose output the kernel's tools expect) leave a choice, the comment
 * at the spot says which one is made and why.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "dwarf_int.h"
#include "util.h"

#define REF_FIELD offsetof(struct btf_type, type)
#define ARRAY_ELEM_FIELD (sizeof(struct btf_type) + offsetof(struct btf_array, type))
#define ARRAY_INDEX_FIELD \
	(sizeof(struct btf_type) + offsetof(struct btf_array, index_type))
#define MEMBER_FIELD(i) (sizeof(struct btf_type) + \
	(i) * sizeof(struct btf_member) + offsetof(struct btf_member, type))
#define PARAM_FIELD(i) (sizeof(struct btf_type) + \
	(i) * sizeof(struct btf_param) + offsetof(struct btf_param, type))

#define SANITIZED_INT "__SANITIZED_FAKE_INT__"

bool types__is_type_tag(int tag)
{
	switch (tag) {
	case DW_TAG_base_type: case DW_TAG_pointer_type:
	case DW_TAG_const_type: case DW_TAG_volatile_type:
	case DW_TAG_restrict_type: case DW_TAG_typedef:
	case DW_TAG_atomic_type: case DW_TAG_unspecified_type:
	case DW_TAG_array_type: case DW_TAG_structure_type:
	case DW_TAG_class_type: case DW_TAG_union_type:
	case DW_TAG_enumeration_type: case DW_TAG_subroutine_type:
		return true;
	default:
		return false;
	}
}

/* A table error while encoding @die: say which DIE */
static int type_fail(struct cu_enc *e, Dwarf_Die *die, int err)
{
	if (err == -E2BIG)
		return cu__error(e, die, err, "too many types or strings for BTF");
	if (err == -EINVAL)
		return cu__error(e, die, err, "cannot be expressed in BTF");
	return cu__error(e, die, err, "%s", strerror(-err));
}

static int type_read_attrs(struct cu_enc *e, Dwarf_Die *die,
			   struct die_attrs *da)
{
	if (die__attrs(&e->cur, die, da))
		return cu__error(e, die, -EINVAL, "cannot read attributes: %s",
				 dwarf_errmsg(-1));
	return 0;
}

/* The name die__raw read, or NULL */
static const char *type_raw_name(struct cu_enc *e, const struct raw_attrs *ra)
{
	return raw__has(ra, AS_NAME) ? e->file->dstr + ra->v[AS_NAME] : NULL;
}

/* What the type readers but the member's take from a DIE; absent: 0 */
struct type_vals {
	const char *name;
	uint64_t byte_size;
	uint64_t declaration;
	uint64_t const_value;
	bool raw;		/* die__raw read them ... */
	Dwarf_Off raw_type;	/* ... and DW_AT_type's target, 0: none */
	struct die_attrs da;	/* else libdw's attributes */
};

static uint64_t raw_or_0(const struct raw_attrs *ra, enum attr_slot s)
{
	return raw__has(ra, s) ? ra->v[s] : 0;
}

/*
 * @die's values, by die__raw when it reads them, else through libdw's
 * attributes.  0 or -EINVAL, with an error recorded.
 */
static inline __attribute__((always_inline)) int
type_vals(struct cu_enc *e, Dwarf_Die *die, struct type_vals *tv)
{
	struct raw_attrs ra;
	struct die_attrs *da = &tv->da;

	tv->raw = die__raw(&e->cur, die, &ra);
	if (tv->raw) {
		tv->name = type_raw_name(e, &ra);
		tv->raw_type = raw_or_0(&ra, AS_TYPE);
		tv->byte_size = raw_or_0(&ra, AS_BYTE_SIZE);
		tv->declaration = raw_or_0(&ra, AS_DECLARATION);
		tv->const_value = raw_or_0(&ra, AS_CONST_VALUE);
		return 0;
	}
	if (type_read_attrs(e, die, da))
		return -EINVAL;
	tv->name = cu__str(e, da, AS_NAME);
	tv->byte_size = attrs__udata(da, AS_BYTE_SIZE, 0);
	tv->declaration = attrs__udata(da, AS_DECLARATION, 0);
	tv->const_value = attrs__udata(da, AS_CONST_VALUE, 0);
	return 0;
}

/* cu__target for what type_vals read (it warns when it cannot follow) */
static Dwarf_Off type_target(struct cu_enc *e, struct type_vals *tv)
{
	return tv->raw ? tv->raw_type : cu__target(e, &tv->da, AS_TYPE);
}

/* cu__ref_attr for what type_vals read */
static int type_ref(struct cu_enc *e, uint32_t id, size_t field,
		    struct type_vals *tv)
{
	Dwarf_Off target = type_target(e, tv);

	return target ? cu__ref(e, id, field, target) : 0;
}

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

static int type_base(struct cu_enc *e, Dwarf_Die *die)
{
	struct die_attrs da;
	const char *name;
	uint64_t size, ate;
	uint32_t handle, data;
	unsigned int enc = 0;
	int id;

	if (type_read_attrs(e, die, &da))
		return -EINVAL;
	name = cu__str(e, &da, AS_NAME);
	size = attrs__udata(&da, AS_BYTE_SIZE, 0);
	ate = attrs__udata(&da, AS_ENCODING, 0);
	if (!name || !*name)
		return cu__error(e, die, -EINVAL, "base type without a name");
	if (ate == DW_ATE_float && e->file->gen_floats) {
		if (cu__name(e, name, &handle))
			return type_fail(e, die, -ENOMEM);
		id = rec__simple(e, BTF_KIND_FLOAT, handle, size);
	} else {
		if (ate == DW_ATE_signed || ate == DW_ATE_signed_char)
			enc = BTF_INT_SIGNED;
		else if (ate == DW_ATE_boolean)
			enc = BTF_INT_BOOL;
		/*
		 * DWARF 5 has base types of any bit width (DW_ATE_unsigned_24
		 * for DW_OP_convert); BTF does not.  They only describe
		 * location expressions, so keep the reference encoder's
		 * placeholder name and size.
		 */
		if (!is_pow2(size) || size > 16) {
			name = SANITIZED_INT;
			size = 4;
		}
		if (cu__name(e, name, &handle))
			return type_fail(e, die, -ENOMEM);
		rec__start(e, BTF_KIND_INT, handle, size);
		data = enc << 24 | (uint32_t)size * 8;
		id = rec__append(e, &data, sizeof(data), false);
		if (!id)
			id = rec__finish(e);
		if (id > 0 && !e->int_id && !strcmp(name, "int"))
			e->int_id = id;
	}
	if (id < 0)
		return type_fail(e, die, id);
	cu__map(e, die, id);
	return 0;
}

/* CONST, VOLATILE, RESTRICT: nothing but a kind and a referenced type */
static int type_modifier(struct cu_enc *e, Dwarf_Die *die, unsigned int kind)
{
	struct type_vals tv;
	int id;

	if (type_vals(e, die, &tv))
		return -EINVAL;
	id = rec__simple(e, kind, 0, 0);
	if (id < 0)
		return type_fail(e, die, id);
	cu__map(e, die, id);
	return type_ref(e, id, REF_FIELD, &tv);
}

/* A DIE BTF has no record for, which stands for its DW_AT_type (or void) */
static int type_transparent(struct cu_enc *e, Dwarf_Die *die)
{
	struct die_attrs da;
	Dwarf_Die target;

	if (type_read_attrs(e, die, &da))
		return -EINVAL;
	if (cu__ref_die(e, &da, AS_TYPE, &target))
		cu__map_alias(e, die, key_of_die(e->file, &target));
	else
		cu__map(e, die, 0);
	return 0;
}

/*
 * clang puts btf_type_tag("x") annotations under the pointer they qualify.
 * The pointer points at the last tag, each tag at the one before it and the
 * first at the pointee: `int __a __b *p` is PTR -> b -> a -> int, the chain
 * the kernel and the reference encoder use.
 */
static int type_pointer_tags(struct cu_enc *e, Dwarf_Die *die, size_t *n)
{
	Dwarf_Die child;
	const char *value;
	int err = 0;

	*n = 0;
	if (!e->file->type_tags || !die__has_children(&e->cur, die) ||
	    die__child(&e->cur, die, &child))
		return 0;
	do {
		if (die__tag(&e->cur, &child) != DW_TAG_LLVM_annotation)
			continue;
		value = cu__annotation(&child, "btf_type_tag");
		if (!value)
			continue;
		err = cu__push_tag(e, value, 0);
		(*n)++;
	} while (!err && die__sibling(&e->cur, &child, &child) == 0);
	return err;
}

/* Modifiers a pointer may point through to a FWD (type_ptr_fwd) */
#define PTR_FWD_MODS 8

/*
 * In a unit of a --min subset (dwarf_shape.c): when pointer target
 * @target is a struct or union definition that another unit is read for,
 * possibly behind const, volatile and restrict, encode the modifiers and
 * a FWD of it instead of its definition, which would bring in everything
 * it refers to; dedup resolves the FWD to the other unit's definition, as
 * the name has one shape.  1 with the first new ID in *@out, 0 when the
 * target is encoded as usual, or -errno.
 */
static int type_ptr_fwd(struct cu_enc *e, Dwarf_Off target, uint32_t *out)
{
	unsigned int kinds[PTR_FWD_MODS], n = 0;
	struct die_attrs da;
	Dwarf_Die d;
	uint32_t name;
	bool is_union;
	int tag, id;

	for (;;) {
		if (!target || !e->cur.ptr || target < e->start ||
		    target >= e->end)
			return 0;
		die__at(&e->cur, e->cur.ptr + (target - e->start), &d);
		tag = die__tag(&e->cur, &d);
		if (tag != DW_TAG_const_type && tag != DW_TAG_volatile_type &&
		    tag != DW_TAG_restrict_type)
			break;
		if (n == PTR_FWD_MODS || die__attrs(&e->cur, &d, &da))
			return 0;
		kinds[n++] = tag == DW_TAG_const_type ? BTF_KIND_CONST :
			     tag == DW_TAG_volatile_type ? BTF_KIND_VOLATILE :
			     BTF_KIND_RESTRICT;
		target = cu__target(e, &da, AS_TYPE);
	}
	if (!shape__elsewhere(e, target, &is_union) ||
	    die__attrs(&e->cur, &d, &da) || !attrs__str(&da, AS_NAME))
		return 0;
	if (cu__name(e, attrs__str(&da, AS_NAME), &name))
		return -ENOMEM;
	rec__start(e, BTF_KIND_FWD, name, 0);
	if (is_union)
		rec__hdr(e)->info |= 1u << 31;
	id = rec__finish(e);
	while (id > 0 && n--) {
		int mod = rec__simple(e, kinds[n], 0, 0);

		if (mod > 0)
			btf_table__type_mut(e->tab, mod)->type = id;
		id = mod;
	}
	if (id < 0)
		return id;
	*out = id;
	return 1;
}

static int type_pointer(struct cu_enc *e, Dwarf_Die *die)
{
	size_t from = e->nr_tags, n, i;
	struct type_vals tv;
	int id, last, ret;

	if (type_vals(e, die, &tv))
		return -EINVAL;
	ret = type_pointer_tags(e, die, &n);
	if (ret)
		return type_fail(e, die, ret);
	id = rec__simple(e, BTF_KIND_PTR, 0, 0);
	if (id < 0)
		return type_fail(e, die, id);
	cu__map(e, die, id);
	last = id;
	for (i = n; i-- > 0; ) {
		uint32_t name;

		ret = cu__name(e, e->s->tags[from + i].value, &name);
		if (!ret)
			ret = rec__simple(e, BTF_KIND_TYPE_TAG, name, 0);
		if (ret < 0)
			return type_fail(e, die, ret);
		btf_table__type_mut(e->tab, last)->type = ret;
		last = ret;
	}
	e->nr_tags = from;
	if (e->plan->job == UNIT_ENCODE_DIES) {
		uint32_t fwd;

		ret = type_ptr_fwd(e, type_target(e, &tv), &fwd);
		if (ret < 0)
			return type_fail(e, die, ret);
		if (ret) {
			btf_table__type_mut(e->tab, last)->type = fwd;
			return 0;
		}
	}
	return type_ref(e, last, REF_FIELD, &tv);
}

static int type_typedef(struct cu_enc *e, Dwarf_Die *die)
{
	size_t from = e->nr_tags;
	struct type_vals tv;
	uint32_t name;
	int id, err;

	if (type_vals(e, die, &tv))
		return -EINVAL;
	err = cu__name(e, tv.name, &name);
	if (err)
		return type_fail(e, die, err);
	if (!name)
		return type_transparent(e, die);
	id = rec__simple(e, BTF_KIND_TYPEDEF, name, 0);
	if (id < 0)
		return type_fail(e, die, id);
	cu__map(e, die, id);
	err = type_ref(e, id, REF_FIELD, &tv);
	if (!err)
		err = cu__push_child_tags(e, die, -1);
	if (!err)
		err = cu__flush_tags(e, from, id);
	return err < 0 && !e->out->errmsg ? type_fail(e, die, err) : err;
}

/* Number of elements of one DW_TAG_subrange_type, as the reference does */
static uint32_t type_subrange_len(struct cu_enc *e, Dwarf_Die *die)
{
	struct die_attrs da;
	Dwarf_Word v;

	if (die__attrs(&e->cur, die, &da))
		return 0;
	/* a bound that is not a constant (a VLA) counts as 0, like flexible */
	if (attrs__has(&da, AS_UPPER_BOUND))
		return dwarf_formudata(&da.a[AS_UPPER_BOUND], &v) ? 0 : v + 1;
	if (attrs__has(&da, AS_COUNT))
		return dwarf_formudata(&da.a[AS_COUNT], &v) ? 0 : v;
	return 0;
}

/*
 * An ARRAY of @nelems whose element type comes later.  The index type is
 * filled in once the unit is walked (FIXUP_INDEX_TYPE).
 */
static int type_add_array(struct cu_enc *e, uint32_t nelems)
{
	struct btf_array a = { 0, 0, nelems };
	int id, err;

	rec__start(e, BTF_KIND_ARRAY, 0, 0);
	err = rec__append(e, &a, sizeof(a), false);
	if (err)
		return err;
	id = rec__finish(e);
	if (id < 0)
		return id;
	err = cu__ref(e, id, ARRAY_INDEX_FIELD, FIXUP_INDEX_TYPE);
	return err ? err : id;
}

/* ARRAY @outer's elements are of type @inner */
static void type_array_nest(struct cu_enc *e, uint32_t outer, uint32_t inner)
{
	struct btf_type *t = btf_table__type_mut(e->tab, outer);

	((struct btf_array *)(t + 1))->type = inner;
}

/* An element count BTF can hold (a bigger one is no array BTF describes) */
static int type_array_len(struct cu_enc *e, Dwarf_Die *die, uint64_t n,
			  uint32_t *out)
{
	if (n > UINT32_MAX)
		return cu__error(e, die, -E2BIG, "an array of %llu elements: "
				 "more than BTF can hold",
				 (unsigned long long)n);
	*out = n;
	return 0;
}

/*
 * int a[2][3] is one DWARF array with two subranges.  pahole 1.32 and the
 * BTF of Linux 7.x nest it: ARRAY(2) of ARRAY(3) of int, what C means.
 * pahole before 1.32 flattened it to one ARRAY(6) of int, which the BTF
 * of the kernels it built has (e->file->flat_arrays, for module BTF to
 * deduplicate against such a base).  *@first is the outermost ARRAY,
 * *@last the one whose elements are the DIE's DW_AT_type.
 */
static int type_array_dims(struct cu_enc *e, Dwarf_Die *die, int *first,
			   int *last)
{
	bool flat = e->file->flat_arrays;
	uint64_t product = 1, n;
	Dwarf_Die child;
	uint32_t len = 0;
	int id, err;

	*first = *last = 0;
	if (die__has_children(&e->cur, die) && !die__child(&e->cur, die, &child)) {
		do {
			if (die__tag(&e->cur, &child) != DW_TAG_subrange_type)
				continue;
			n = type_subrange_len(e, &child);
			if (flat) {
				product = n && product > UINT64_MAX / n ?
					  UINT64_MAX : product * n;
				continue;
			}
			err = type_array_len(e, die, n, &len);
			id = err ? err : type_add_array(e, len);
			if (id < 0)
				return id;
			if (*last)
				type_array_nest(e, *last, id);
			else
				*first = id;
			*last = id;
		} while (die__sibling(&e->cur, &child, &child) == 0);
	}
	if (*first)
		return 0;
	/* no subrange at all counts as one element, as in the kernel's BTF */
	err = type_array_len(e, die, product, &len);
	id = err ? err : type_add_array(e, len);
	if (id < 0)
		return id;
	*first = *last = id;
	return 0;
}

static int type_array(struct cu_enc *e, Dwarf_Die *die)
{
	struct die_attrs da;
	int first, last, err;

	if (type_read_attrs(e, die, &da))
		return -EINVAL;
	err = type_array_dims(e, die, &first, &last);
	if (err)
		return type_fail(e, die, err);
	cu__map(e, die, first);
	return cu__ref_attr(e, last, ARRAY_ELEM_FIELD, &da, AS_TYPE);
}

/* DW_AT_data_member_location: a constant, or DWARF 2's DW_OP_plus_uconst */
static int member_location(Dwarf_Attribute *loc, uint64_t *byte_off)
{
	unsigned int shift = 0;
	Dwarf_Block b;
	Dwarf_Word v;
	size_t i;

	if (!dwarf_formudata(loc, &v)) {
		*byte_off = v;
		return 0;
	}
	if (dwarf_formblock(loc, &b) || b.length < 2 ||
	    (b.data[0] != DW_OP_plus_uconst && b.data[0] != DW_OP_constu))
		return -EINVAL;
	*byte_off = 0;
	for (i = 1; i < b.length && shift < 64; i++, shift += 7) {
		*byte_off |= (uint64_t)(b.data[i] & 0x7f) << shift;
		if (!(b.data[i] & 0x80))
			return 0;
	}
	return -EINVAL;
}

/*
 * Bits from the start of a DWARF 4 bitfield's storage unit (byte size
 * DW_AT_byte_size, or its type's) to the field: DW_AT_bit_offset counts
 * from the unit's most significant bit to the field's, and BTF from the
 * least significant bits on little-endian machines.
 */
static uint64_t member_unit_bits(struct cu_enc *e, struct die_attrs *da)
{
	int64_t unit_bits = attrs__udata(da, AS_BYTE_SIZE, 0) * 8, msb_off;
	uint64_t bit_size = attrs__udata(da, AS_BIT_SIZE, 0);
	Dwarf_Die type;
	Dwarf_Word sz;

	if (!unit_bits && cu__ref_die(e, da, AS_TYPE, &type) &&
	    !alt__aggregate_size(e->file, &type, &sz))
		unit_bits = sz * 8;
	if (!unit_bits)
		return 0;
	/* absent, it is 0: the field starts at the unit's top bit */
	if (!attrs__has(da, AS_BIT_OFFSET) ||
	    dwarf_formsdata(&da->a[AS_BIT_OFFSET], &msb_off))
		msb_off = 0;
	if (e->file->big_endian)
		return msb_off;
	return unit_bits - msb_off - bit_size;
}

/* Offset in bits of a member from the start of its struct */
static int member_bit_offset(struct cu_enc *e, Dwarf_Die *die,
			     struct die_attrs *da, uint64_t *bit_off)
{
	uint64_t byte_off = 0;

	if (attrs__has(da, AS_DATA_BIT_OFFSET)) {
		*bit_off = attrs__udata(da, AS_DATA_BIT_OFFSET, 0);
		return 0;
	}
	if (attrs__has(da, AS_MEMBER_LOCATION) &&
	    member_location(&da->a[AS_MEMBER_LOCATION], &byte_off))
		return cu__error(e, die, -EINVAL,
				 "DW_AT_data_member_location is not a constant offset");
	*bit_off = byte_off * 8;
	if (attrs__has(da, AS_BIT_SIZE))
		*bit_off += member_unit_bits(e, da);
	return 0;
}

/*
 * type_member for a member die__raw reads, without children (so without
 * decl tags) and with DWARF 5's bitfield offset if it is a bitfield: true
 * with *@err, else false and nothing done.  What the general path would
 * refuse it leaves to that path, to say why.
 */
static bool type_member_raw(struct cu_enc *e, Dwarf_Die *die,
			    const struct raw_attrs *ra, bool in_union,
			    size_t *n, int *err)
{
	struct cu_scratch *s = e->s;
	uint64_t bit_off, bit_size;
	bool dbo, loc;
	struct member *m;

	if (!ra || ra->children)
		return false;
	dbo = raw__has(ra, AS_DATA_BIT_OFFSET);
	loc = raw__has(ra, AS_MEMBER_LOCATION);
	bit_size = raw__has(ra, AS_BIT_SIZE) ? ra->v[AS_BIT_SIZE] : 0;
	if (raw__has(ra, AS_BIT_SIZE) && !dbo)
		return false;
	/* nor a location too large to count in bits */
	if (!dbo && loc && ra->v[AS_MEMBER_LOCATION] > UINT32_MAX)
		return false;
	bit_off = dbo ? ra->v[AS_DATA_BIT_OFFSET] :
	      loc ? ra->v[AS_MEMBER_LOCATION] * 8 : 0;
	if (bit_size > 255 || bit_off > UINT32_MAX)
		return false;
	*err = 0;
	if (!in_union && !loc && !dbo)
		return true;
	*err = util__ensure_cap((void **)&s->members, &s->members_cap,
				sizeof(*m), *n + 1);
	if (*err) {
		*err = type_fail(e, die, *err);
		return true;
	}
	m = &s->members[(*n)++];
	m->bit_off = bit_off;
	m->bitfield_size = bit_size;
	m->type = raw__has(ra, AS_TYPE) ? ra->v[AS_TYPE] : 0;
	if (cu__name(e, type_raw_name(e, ra), &m->name))
		*err = type_fail(e, die, -ENOMEM);
	return true;
}

/*
 * One DW_TAG_member, read into the members scratch (*@n of them so far).
 * A struct member without any location is a C++ static member, no data
 * member; it still counts as a component for decl tags, as in the
 * reference encoder.
 */
static int type_member(struct cu_enc *e, Dwarf_Die *die,
		       const struct raw_attrs *ra, bool in_union, int idx,
		       size_t *n)
{
	struct cu_scratch *s = e->s;
	struct die_attrs da;
	struct member *m;
	uint64_t bit_off = 0;
	int err;

	if (type_member_raw(e, die, ra, in_union, n, &err))
		return err;
	if (type_read_attrs(e, die, &da))
		return -EINVAL;
	err = cu__push_child_tags(e, die, idx);
	if (err)
		return type_fail(e, die, err);
	if (!in_union && !attrs__has(&da, AS_MEMBER_LOCATION) &&
	    !attrs__has(&da, AS_DATA_BIT_OFFSET))
		return 0;
	if (member_bit_offset(e, die, &da, &bit_off))
		return -EINVAL;
	if (bit_off > UINT32_MAX)
		return cu__error(e, die, -E2BIG, "member offset too large for BTF");
	err = util__ensure_cap((void **)&s->members, &s->members_cap,
			       sizeof(*m), *n + 1);
	if (err)
		return type_fail(e, die, err);
	m = &s->members[(*n)++];
	m->bit_off = bit_off;
	m->bitfield_size = attrs__udata(&da, AS_BIT_SIZE, 0);
	m->type = cu__target(e, &da, AS_TYPE);
	if (m->bitfield_size > 255)
		return cu__error(e, die, -EINVAL, "bitfield too wide for BTF");
	return cu__name(e, cu__str(e, &da, AS_NAME), &m->name) ?
	       type_fail(e, die, -ENOMEM) : 0;
}

/*
 * The members of a struct, in the kind_flag encoding (bitfield size in
 * the offset's top byte) as soon as one member is a bitfield.
 */
static int type_add_members(struct cu_enc *e, Dwarf_Die *die, size_t n)
{
	struct member *ms = e->s->members;
	bool kflag = false;
	size_t i;
	int err;

	for (i = 0; i < n; i++)
		kflag |= ms[i].bitfield_size != 0;
	for (i = 0; i < n; i++) {
		struct btf_member bm = { ms[i].name, 0, ms[i].bit_off };

		if (kflag && ms[i].bit_off > 0xffffff)
			return cu__error(e, die, -E2BIG,
					 "bitfield struct too large for BTF");
		if (kflag)
			bm.offset |= ms[i].bitfield_size << 24;
		err = rec__append(e, &bm, sizeof(bm), true);
		if (err)
			return type_fail(e, die, err);
	}
	if (kflag)
		rec__hdr(e)->info |= 1u << 31;
	return 0;
}

/* Read the members and the struct's own decl tags; the record waits */
static int type_read_members(struct cu_enc *e, Dwarf_Die *die, bool in_union,
			     size_t *n, bool *nested)
{
	struct raw_attrs ra;
	Dwarf_Die child;
	const char *value;
	int idx = 0, err = 0, tag;
	bool raw;

	*n = 0;
	if (!die__has_children(&e->cur, die) || die__child(&e->cur, die, &child))
		return 0;
	do {
		raw = die__raw(&e->cur, &child, &ra);
		tag = raw ? ra.tag : die__tag(&e->cur, &child);
		if (tag == DW_TAG_member || tag == DW_TAG_inheritance) {
			err = type_member(e, &child, raw ? &ra : NULL, in_union,
					  idx++, n);
		} else if (tag == DW_TAG_LLVM_annotation) {
			value = cu__annotation(&child, "btf_decl_tag");
			if (value)
				err = cu__push_decl_tag(e, value, -1);
		} else {
			*nested = true;
		}
	} while (!err && (raw ? die__next(&e->cur, &child, &ra, &child) :
			  die__sibling(&e->cur, &child, &child)) == 0);
	return err < 0 && !e->out->errmsg ? type_fail(e, die, err) : err;
}

/* Types defined inside a struct: after it, as they are not members */
static int type_nested(struct cu_enc *e, Dwarf_Die *die)
{
	Dwarf_Die child;
	int err = 0, tag;

	if (die__child(&e->cur, die, &child))
		return 0;
	e->depth++;
	do {
		tag = die__tag(&e->cur, &child);
		if (tag != DW_TAG_member && tag != DW_TAG_inheritance &&
		    tag != DW_TAG_LLVM_annotation)
			err = cu__visit(e, &child);
	} while (!err && die__sibling(&e->cur, &child, &child) == 0);
	e->depth--;
	return err;
}

static int type_member_refs(struct cu_enc *e, uint32_t id, size_t n)
{
	size_t i;
	int err = 0;

	for (i = 0; i < n && !err; i++)
		if (e->s->members[i].type)
			err = cu__ref(e, id, MEMBER_FIELD(i), e->s->members[i].type);
	return err;
}

static int type_composite(struct cu_enc *e, Dwarf_Die *die, int tag)
{
	bool is_union = tag == DW_TAG_union_type, nested = false;
	size_t from = e->nr_tags, n;
	struct type_vals tv;
	uint32_t name;
	int id, err;

	if (type_vals(e, die, &tv))
		return -EINVAL;
	err = cu__name(e, tv.name, &name);
	if (err)
		return type_fail(e, die, err);
	err = type_read_members(e, die, is_union, &n, &nested);
	if (err)
		return err;
	if (tv.declaration) {
		/* a declaration's members, if any, have no record */
		n = 0;
		if (!name) {
			cu__map(e, die, 0);
			e->nr_tags = from;
			return 0;
		}
		rec__start(e, BTF_KIND_FWD, name, 0);
		if (is_union)
			rec__hdr(e)->info |= 1u << 31;
	} else {
		rec__start(e, is_union ? BTF_KIND_UNION : BTF_KIND_STRUCT, name,
			   tv.byte_size);
		err = type_add_members(e, die, n);
		if (err)
			return err;
	}
	id = rec__finish(e);
	if (id < 0)
		return type_fail(e, die, id);
	cu__map(e, die, id);
	err = type_member_refs(e, id, n);
	if (!err)
		err = cu__flush_tags(e, from, id);
	if (err)
		return type_fail(e, die, err);
	return nested ? type_nested(e, die) : 0;
}

/* Whether the enum's underlying type (one level, as the reference) is signed */
static bool enum_underlying_signed(struct cu_enc *e, struct die_attrs *da)
{
	struct die_attrs tda;
	Dwarf_Die type;
	uint64_t ate;

	if (!cu__ref_die(e, da, AS_TYPE, &type) || attrs__read(&type, &tda))
		return false;
	ate = attrs__udata(&tda, AS_ENCODING, 0);
	return ate == DW_ATE_signed || ate == DW_ATE_signed_char;
}

/*
 * Values are read as libdw's dwarf_formudata gives them: DW_FORM_sdata
 * sign-extended, fixed-size forms zero-extended.  A 4-byte enum gets the
 * signed flag when a value reads negative, an 8-byte one when its
 * underlying type is signed: both what the reference encoder produces.
 * Without ENUM64 every enum is an ENUM of unsigned 32-bit values, as old
 * readers expect.
 */
static int type_enum_value(struct cu_enc *e, Dwarf_Die *die, bool is64,
			   bool *neg)
{
	struct type_vals tv;
	uint32_t name;
	int64_t v;
	int err;

	if (type_vals(e, die, &tv))
		return -EINVAL;
	err = cu__name(e, tv.name, &name);
	v = tv.const_value;
	if (err)
		return type_fail(e, die, err);
	if (!name)
		return cu__error(e, die, -EINVAL, "enumerator without a name");
	if (is64) {
		struct btf_enum64 bv = { name, (uint32_t)v, (uint64_t)v >> 32 };

		return rec__append(e, &bv, sizeof(bv), true);
	} else {
		struct btf_enum bv;

		if (!e->file->enum64 || v < INT32_MIN || v > (int64_t)UINT32_MAX)
			v = (uint32_t)v;
		*neg |= v < 0;
		bv.name_off = name;
		bv.val = (int32_t)(uint32_t)v;
		return rec__append(e, &bv, sizeof(bv), true);
	}
}

static int type_enum(struct cu_enc *e, Dwarf_Die *die)
{
	struct die_attrs da;
	Dwarf_Die child;
	uint64_t size;
	uint32_t name;
	bool is64, neg = false;
	int id, err = 0;

	if (type_read_attrs(e, die, &da))
		return -EINVAL;
	err = cu__name(e, cu__str(e, &da, AS_NAME), &name);
	if (err)
		return type_fail(e, die, err);
	/* a declaration has no size: the reference makes it 4 bytes, vlen 0 */
	size = attrs__udata(&da, AS_BYTE_SIZE, 0);
	if (!size)
		size = 4;
	is64 = size > 4 && e->file->enum64;
	rec__start(e, is64 ? BTF_KIND_ENUM64 : BTF_KIND_ENUM, name, size);
	if (die__has_children(&e->cur, die) && !die__child(&e->cur, die, &child)) {
		do {
			if (die__tag(&e->cur, &child) == DW_TAG_enumerator)
				err = type_enum_value(e, &child, is64, &neg);
		} while (!err && die__sibling(&e->cur, &child, &child) == 0);
	}
	if (err)
		return err < 0 && !e->out->errmsg ? type_fail(e, die, err) : err;
	if (is64 ? enum_underlying_signed(e, &da) : neg)
		rec__hdr(e)->info |= 1u << 31;
	id = rec__finish(e);
	if (id < 0)
		return type_fail(e, die, id);
	cu__map(e, die, id);
	return 0;
}

/*
 * Parameters of a DW_TAG_subroutine_type onto the parameter stack; the
 * names are those DWARF has (usually none).
 */
static int type_read_params(struct cu_enc *e, Dwarf_Die *die, bool *varargs,
			    bool *nested)
{
	struct cu_scratch *s = e->s;
	struct type_vals tv;
	Dwarf_Die child;
	int err = 0, tag;

	if (!die__has_children(&e->cur, die) || die__child(&e->cur, die, &child))
		return 0;
	do {
		tag = die__tag(&e->cur, &child);
		if (tag == DW_TAG_unspecified_parameters) {
			*varargs = true;
		} else if (tag == DW_TAG_formal_parameter) {
			struct fn_param *p;

			if (type_vals(e, &child, &tv))
				return -EINVAL;
			err = util__ensure_cap((void **)&s->params, &s->params_cap,
					       sizeof(*p), e->nr_params + 1);
			if (err)
				break;
			p = &s->params[e->nr_params++];
			p->type = type_target(e, &tv);
			err = cu__name(e, tv.name, &p->name);
		} else if (tag != DW_TAG_LLVM_annotation) {
			*nested = true;
		}
	} while (!err && die__sibling(&e->cur, &child, &child) == 0);
	return err ? type_fail(e, die, err) : 0;
}

/* FUNC_PROTO from the parameters at @from.. on the stack, popped after */
int types__add_proto(struct cu_enc *e, Dwarf_Off ret, size_t from,
		     bool varargs)
{
	struct fn_param *ps = e->s->params;
	size_t i, n = e->nr_params - from;
	int id, err = 0;

	rec__start(e, BTF_KIND_FUNC_PROTO, 0, 0);
	for (i = 0; i < n && !err; i++) {
		struct btf_param bp = { ps[from + i].name, 0 };

		err = rec__append(e, &bp, sizeof(bp), true);
	}
	if (!err && varargs) {
		struct btf_param bp = { 0, 0 };

		err = rec__append(e, &bp, sizeof(bp), true);
	}
	if (err)
		return err;
	id = rec__finish(e);
	if (id < 0)
		return id;
	if (ret)
		err = cu__ref(e, id, REF_FIELD, ret);
	for (i = 0; i < n && !err; i++)
		if (ps[from + i].type)
			err = cu__ref(e, id, PARAM_FIELD(i), ps[from + i].type);
	e->nr_params = from;
	return err ? err : id;
}

/* DW_TAG_subroutine_type: parameters first, then any type defined inside */
static int type_proto(struct cu_enc *e, Dwarf_Die *die)
{
	size_t from = e->nr_params;
	bool varargs = false, nested = false;
	struct die_attrs da;
	int id, err;

	if (type_read_attrs(e, die, &da))
		return -EINVAL;
	err = type_read_params(e, die, &varargs, &nested);
	if (err) {
		e->nr_params = from;
		return err;
	}
	id = types__add_proto(e, cu__target(e, &da, AS_TYPE), from, varargs);
	if (id < 0)
		return type_fail(e, die, id);
	cu__map(e, die, id);
	return nested ? type_nested(e, die) : 0;
}

int types__encode(struct cu_enc *e, Dwarf_Die *die, int tag)
{
	switch (tag) {
	case DW_TAG_base_type:
		return type_base(e, die);
	case DW_TAG_pointer_type:
		return type_pointer(e, die);
	case DW_TAG_const_type:
		return type_modifier(e, die, BTF_KIND_CONST);
	case DW_TAG_volatile_type:
		return type_modifier(e, die, BTF_KIND_VOLATILE);
	case DW_TAG_restrict_type:
		return type_modifier(e, die, BTF_KIND_RESTRICT);
	case DW_TAG_typedef:
		return type_typedef(e, die);
	case DW_TAG_array_type:
		return type_array(e, die);
	case DW_TAG_structure_type: case DW_TAG_class_type:
	case DW_TAG_union_type:
		return type_composite(e, die, tag);
	case DW_TAG_enumeration_type:
		return type_enum(e, die);
	case DW_TAG_subroutine_type:
		return type_proto(e, die);
	case DW_TAG_atomic_type:
		/* BTF has no _Atomic: the qualified type stands for it */
		return type_transparent(e, die);
	default:
		/* DW_TAG_unspecified_type: C's only use is void */
		cu__map(e, die, 0);
		return 0;
	}
}
