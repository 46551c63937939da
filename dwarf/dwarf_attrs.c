// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading the attributes of a DIE in one pass.  dwarf_attr() scans the
 * abbreviation from the start for every attribute asked for, present or
 * not; a member DIE is asked for seven, so one dwarf_getattrs() walk that
 * keeps the interesting ones is several times cheaper on the hot path.
 */
#include "config.h"

#include <errno.h>

#include "dwarf_int.h"

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
	return dwarf_getattrs(die, attrs_cb, da, 0) < 0 ? -EINVAL : 0;
}

const char *attrs__str(struct die_attrs *da, enum attr_slot s)
{
	return attrs__has(da, s) ? dwarf_formstring(&da->a[s]) : NULL;
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

bool attrs__ref(struct die_attrs *da, enum attr_slot s, Dwarf_Die *out)
{
	return attrs__has(da, s) && dwarf_formref_die(&da->a[s], out);
}
