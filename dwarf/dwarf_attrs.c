// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading the attributes of a DIE in one pass.  dwarf_attr() scans the
 * abbreviation from the start for every attribute asked for, present or
 * not; a member DIE is asked for seven, so one dwarf_getattrs() walk that
 * keeps the interesting ones is several times cheaper on the hot path.
 * Cheaper still, for the DIEs of the unit being encoded, is the cursor
 * (dwarf_die.c), which reads them without libdw once it knows their
 * abbreviation.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "dwarf_int.h"

static int attrs_cb(Dwarf_Attribute *attr, void *arg)
{
	struct die_attrs *da = arg;
	int slot = die__slot(attr->code);

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
	const struct die_cursor *c = da->fast;
	uint64_t off;

	if (!attrs__has(da, s))
		return NULL;
	if (c && c->dstr && da->a[s].form == DW_FORM_strp) {
		off = die__fixed_read(da->a[s].valp, c->offset_size,
				      c->big_endian);
		if (off < c->dstr_size)
			return c->dstr + off;
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
