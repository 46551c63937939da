// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Encoding one compilation unit into its own table.
 *
 * The unit is walked once, in DIE order.  Each type DIE gets its record(s)
 * when the walk reaches it, and the map (indexed by DIE offset inside the
 * unit) remembers its ID.  A reference to a DIE the walk has not reached
 * yet is written as 0 and noted as a fixup; once the walk is over every
 * fixup is patched.  A fixup whose DIE the walk never reached (a type in a
 * place the walk skips) encodes that DIE then.  So every unit's table is
 * complete and names only its own types.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_int.h"
#include "util.h"

/* Chains of DIEs that stand for other DIEs are one or two long in practice */
#define MAX_ALIAS_HOPS 64

const char *dw_tag_name(unsigned int tag)
{
	switch (tag) {
#define DWARF_ONE_KNOWN_DW_TAG(NAME, CODE) case CODE: return "DW_TAG_" #NAME;
	DWARF_ALL_KNOWN_DW_TAG
#undef DWARF_ONE_KNOWN_DW_TAG
	case DW_TAG_LLVM_annotation:
		return "DW_TAG_LLVM_annotation";
	default:
		return NULL;
	}
}

void cu_out__reset(struct cu_out *out)
{
	btf_table__free(out->tab);
	out->tab = NULL;
	free(out->errmsg);
	out->errmsg = NULL;
	out->err = 0;
	out->nr_funcs = out->nr_vars = out->nr_warns = out->nr_names = 0;
	out->nr_params = 0;
	out->loclists_end = 0;
	out->shape.nr_ents = out->shape.nr_refs = 0;
	out->shape.unsure = false;
}

void cu_out__free(struct cu_out *out)
{
	cu_out__reset(out);
	free(out->names);
	free(out->funcs);
	free(out->params);
	free(out->vars);
	free(out->warns);
	free(out->shape.ents);
	free(out->shape.refs);
	memset(out, 0, sizeof(*out));
}

void cu_scratch__free(struct cu_scratch *s)
{
	free(s->map);
	free(s->fixups);
	free(s->params);
	free(s->tags);
	free(s->members);
	free(s->rec);
	free(s->scan);
	free(s->touched);
	free(s->xkeys);
	free(s->xvals);
	free(s->aliases);
	free(s->imports);
	abbrev_cache__free(&s->abbrevs);
	shape_scratch__free(s->shape);
	memset(s, 0, sizeof(*s));
}

/* The message for the DIE of @key (@die, if it could be made) */
static void cu_verror(struct cu_enc *e, Dwarf_Off key, Dwarf_Die *die,
		      const char *fmt, va_list ap)
{
	const char *tag = die ? dw_tag_name(dwarf_tag(die)) : NULL;
	const char *name = die ? dwarf_diename(die) : NULL;
	bool alt = key & DIE_KEY_ALT;
	char problem[256];

	vsnprintf(problem, sizeof(problem), fmt, ap);
	/* a DIE libdw cannot make sense of gets its offset alone */
	if (!tag || (name && !alt && !file__str_ok(e->file, name)))
		name = NULL;
	if (asprintf(&e->out->errmsg, "%s: %s%s%sDIE %#llx%s%s%s%s%s%s: %s",
		     e->file->path, alt ? "supplementary file " : "",
		     alt ? e->file->alt_path : "", alt ? ": " : "",
		     (unsigned long long)(key & ~DIE_KEY_ALT),
		     tag ? " (" : "", tag ? tag : "", name ? " '" : "",
		     name ? name : "", name ? "'" : "", tag ? ")" : "",
		     problem) < 0)
		e->out->errmsg = NULL;
}

int cu__error(struct cu_enc *e, Dwarf_Die *die, int err, const char *fmt, ...)
{
	va_list ap;

	if (e->out->errmsg)
		return err;
	va_start(ap, fmt);
	cu_verror(e, key_of_die(e->file, die), die, fmt, ap);
	va_end(ap);
	return err;
}

int cu__error_at(struct cu_enc *e, Dwarf_Off key, int err, const char *fmt, ...)
{
	Dwarf_Die die;
	va_list ap;

	if (e->out->errmsg)
		return err;
	va_start(ap, fmt);
	cu_verror(e, key, die_of_key(e->file, key, &die) ? &die : NULL, fmt, ap);
	va_end(ap);
	return err;
}

int cu__warn(struct cu_enc *e, unsigned int key, Dwarf_Off die)
{
	struct cu_out *o = e->out;
	size_t i;
	int err;

	for (i = 0; i < o->nr_warns; i++)
		if (o->warns[i].key == key)
			return 0;
	err = util__ensure_cap((void **)&o->warns, &o->warns_cap,
			       sizeof(*o->warns), o->nr_warns + 1);
	if (err)
		return err;
	o->warns[o->nr_warns].key = key;
	o->warns[o->nr_warns++].die = die;
	return 0;
}

static size_t cu_xhash(uint64_t key, size_t mask)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

/* Twice the room for DIEs outside the unit; 0 or -ENOMEM */
static int cu_xgrow(struct cu_scratch *s)
{
	size_t cap = s->xcap ? 2 * s->xcap : 64, i, j;
	uint64_t *keys = calloc(cap, sizeof(*keys));
	uint32_t *vals = calloc(cap, sizeof(*vals));

	if (!keys || !vals || cap < s->xcap) {
		free(keys);
		free(vals);
		return -ENOMEM;
	}
	for (i = 0; i < s->xcap; i++) {
		if (!s->xkeys[i])
			continue;
		for (j = cu_xhash(s->xkeys[i], cap - 1); keys[j];
		     j = (j + 1) & (cap - 1))
			;
		keys[j] = s->xkeys[i];
		vals[j] = s->xvals[i];
	}
	free(s->xkeys);
	free(s->xvals);
	s->xkeys = keys;
	s->xvals = vals;
	s->xcap = cap;
	return 0;
}

/*
 * The map slot of a DIE outside the unit (another unit's, the
 * supplementary file's), added when @add; NULL when absent or out of
 * memory.  Key 0 is a unit header, never a DIE: it marks a free slot.
 */
static uint32_t *cu_xslot(struct cu_scratch *s, uint64_t key, bool add)
{
	size_t mask, i;

	if (add && (s->nr_x + 1) * 2 > s->xcap && cu_xgrow(s))
		return NULL;
	if (!s->xcap)
		return NULL;
	mask = s->xcap - 1;
	for (i = cu_xhash(key, mask); s->xkeys[i]; i = (i + 1) & mask)
		if (s->xkeys[i] == key)
			return &s->xvals[i];
	if (!add)
		return NULL;
	s->xkeys[i] = key;
	s->xvals[i] = 0;
	s->nr_x++;
	return &s->xvals[i];
}

/* The map slot of the DIE of @key, if it has one yet */
static uint32_t *cu_slot(struct cu_enc *e, Dwarf_Off key)
{
	return key >= e->start && key < e->end ? &e->s->map[key - e->start] :
	       cu_xslot(e->s, key, false);
}

int cu_scratch__map_size(struct cu_scratch *s, size_t len)
{
	int err = util__ensure_cap((void **)&s->map, &s->map_cap,
				   sizeof(*s->map), len);

	if (err)
		return err;
	if (len > s->map_zeroed) {
		memset(s->map + s->map_zeroed, 0,
		       (len - s->map_zeroed) * sizeof(*s->map));
		s->map_zeroed = len;
	}
	return 0;
}

/*
 * Only the slots a unit set are cleared for the next one: clearing the
 * whole map cost more than the rest of it.
 */
uint32_t *cu_scratch__map_slot(struct cu_scratch *s, size_t idx)
{
	if (!s->map[idx]) {
		if (s->nr_touched >= s->touched_cap &&
		    util__ensure_cap((void **)&s->touched, &s->touched_cap,
				     sizeof(*s->touched), s->nr_touched + 1))
			return NULL;
		s->touched[s->nr_touched++] = idx;
	}
	return &s->map[idx];
}

void cu_scratch__map_clear(struct cu_scratch *s)
{
	size_t i;

	for (i = 0; i < s->nr_touched; i++)
		s->map[s->touched[i]] = 0;
	s->nr_touched = 0;
	if (s->nr_x)
		memset(s->xkeys, 0, s->xcap * sizeof(*s->xkeys));
	s->nr_x = 0;
	s->nr_aliases = 0;
	s->nr_imports = 0;
}

/* Set a map slot (remembered, to be cleared) */
static void cu_set(struct cu_enc *e, Dwarf_Off key, uint32_t val)
{
	uint32_t *slot;

	if (key >= e->start && key < e->end)
		slot = cu_scratch__map_slot(e->s, key - e->start);
	else
		slot = cu_xslot(e->s, key, true);
	if (slot)	/* else the DIE stays unmapped: encoded late */
		*slot = val;
	else if (key < e->start || key >= e->end)
		e->failed = -ENOMEM;	/* and it could be encoded again */
}

void cu__map(struct cu_enc *e, Dwarf_Die *die, uint32_t id)
{
	cu_set(e, key_of_die(e->file, die), MAP_ID(id));
}

void cu__map_alias(struct cu_enc *e, Dwarf_Die *die, Dwarf_Off target)
{
	struct cu_scratch *s = e->s;

	if (s->nr_aliases >= MAP_ALIAS - 1 ||
	    util__ensure_cap((void **)&s->aliases, &s->aliases_cap,
			     sizeof(*s->aliases), s->nr_aliases + 1)) {
		e->failed = -ENOMEM;
		return;
	}
	s->aliases[s->nr_aliases] = target;
	cu_set(e, key_of_die(e->file, die), MAP_ALIAS | (uint32_t)s->nr_aliases++);
}

static void cu_store(struct cu_enc *e, uint32_t id, size_t field, uint32_t val)
{
	char *rec = (char *)btf_table__type_mut(e->tab, id);

	memcpy(rec + field, &val, sizeof(val));
}

int cu__ref(struct cu_enc *e, uint32_t id, size_t field, Dwarf_Off target)
{
	uint32_t *slot = target == FIXUP_INDEX_TYPE ? NULL : cu_slot(e, target);
	struct cu_fixup *fx;
	int err;

	if (slot && *slot && !(*slot & MAP_ALIAS)) {
		cu_store(e, id, field, *slot - 1);
		return 0;
	}
	err = util__ensure_cap((void **)&e->s->fixups, &e->s->fixups_cap,
			       sizeof(*fx), e->nr_fixups + 1);
	if (err)
		return err;
	fx = &e->s->fixups[e->nr_fixups++];
	fx->id = id;
	fx->field = field;
	fx->target = target;
	return 0;
}

bool cu__ref_die(struct cu_enc *e, struct die_attrs *da, enum attr_slot s,
		 Dwarf_Die *out)
{
	Dwarf_Attribute *a = &da->a[s];
	Dwarf_Off key = da->die;

	if (!attrs__has(da, s))
		return false;
	if (alt__follow(e->file, a, out))
		return true;
	if (e->file->alt && a->cu && dwarf_cu_getdwarf(a->cu) == e->file->alt)
		key |= DIE_KEY_ALT;
	/* a type unit's DIEs would need keys of their own: not read */
	if (a->form == DW_FORM_ref_sig8)
		e->failed = cu__error_at(e, key, -EINVAL, "a reference to a "
					 "type unit (DW_FORM_ref_sig8): type "
					 "units are not supported");
	else
		e->failed = cu__error_at(e, key, -EINVAL, "cannot follow "
					 "its reference (form %#x): %s", a->form,
					 e->file->alt || (a->form != DW_FORM_ref_sup4 &&
					 a->form != DW_FORM_ref_sup8) ?
					 dwarf_errmsg(-1) : "no supplementary file");
	return false;
}

const char *cu__str(struct cu_enc *e, struct die_attrs *da, enum attr_slot s)
{
	const char *str = attrs__str(da, s);

	if (!str && attrs__has(da, s) && !e->failed)
		e->failed = cu__error_at(e, da->die, -EINVAL, "cannot read its "
					 "string (form %#x): %s", da->a[s].form,
					 dwarf_errmsg(-1));
	return str;
}

Dwarf_Off cu__target(struct cu_enc *e, struct die_attrs *da, enum attr_slot s)
{
	Dwarf_Die target;
	Dwarf_Off off;
	bool ok;

	if (!attrs__has(da, s))
		return 0;
	off = die__ref_attr(&e->cur, da, s, &ok);
	if (ok)
		return off;
	return cu__ref_die(e, da, s, &target) ? key_of_die(e->file, &target) : 0;
}

int cu__ref_attr(struct cu_enc *e, uint32_t id, size_t field,
		 struct die_attrs *da, enum attr_slot s)
{
	Dwarf_Off target = cu__target(e, da, s);

	return target ? cu__ref(e, id, field, target) : 0;
}

/* DIEs that hold nothing BTF describes, in any scope */
static bool cu_ignored_tag(int tag)
{
	switch (tag) {
	case DW_TAG_formal_parameter: case DW_TAG_unspecified_parameters:
	case DW_TAG_label: case DW_TAG_call_site:
	case DW_TAG_call_site_parameter: case DW_TAG_GNU_call_site:
	case DW_TAG_GNU_call_site_parameter: case DW_TAG_dwarf_procedure:
	case DW_TAG_imported_declaration: case DW_TAG_imported_module:
	case DW_TAG_LLVM_annotation: case DW_TAG_member:
	case DW_TAG_enumerator: case DW_TAG_template_type_parameter:
	case DW_TAG_template_value_parameter:
	case DW_TAG_GNU_template_parameter_pack:
	case DW_TAG_GNU_formal_parameter_pack:
	case DW_TAG_GNU_template_template_param:
	case DW_TAG_GNU_BINCL: case DW_TAG_GNU_EINCL:
		return true;
	default:
		return false;
	}
}

/* The bytes of the unit holding @die, header included; 0 if unknown */
static Dwarf_Off cu_unit_size(Dwarf_Die *die)
{
	Dwarf_Off start = dwarf_dieoffset(die) - dwarf_cuoffset(die), next;
	Dwarf *dbg = dwarf_cu_getdwarf(die->cu);

	if (dwarf_next_unit(dbg, start, &next, NULL, NULL, NULL, NULL, NULL,
			    NULL, NULL) || next <= start)
		return 0;
	return next - start;
}

/*
 * dwz's DW_TAG_imported_unit: the DIEs of the partial unit it names belong
 * to the importing unit, as if they stood in place of the import (DWARF 5,
 * 3.2.5), so a unit encodes them like its own.  A unit walks each partial
 * unit once, however often it is imported, through nested imports too;
 * so cycles of imports end.
 */
static int cu_import(struct cu_enc *e, Dwarf_Die *die)
{
	struct cu_scratch *s = e->s;
	Dwarf_Attribute a;
	Dwarf_Die pu;
	Dwarf_Off key;
	size_t i;
	int tag, err;

	if (!dwarf_attr(die, DW_AT_import, &a))
		return cu__error(e, die, -EINVAL, "no DW_AT_import");
	if (!alt__follow(e->file, &a, &pu))
		return cu__error(e, die, -EINVAL, "cannot follow DW_AT_import "
				 "(form %#x): %s", a.form, dwarf_errmsg(-1));
	tag = dwarf_tag(&pu);
	if (tag != DW_TAG_partial_unit && tag != DW_TAG_compile_unit)
		return cu__error(e, die, -EINVAL, "DW_AT_import names DIE %#llx, "
				 "%s, not a unit",
				 (unsigned long long)dwarf_dieoffset(&pu),
				 dw_tag_name(tag) ? dw_tag_name(tag) : "of no known tag");
	key = key_of_die(e->file, &pu);
	for (i = 0; i < s->nr_imports; i++)
		if (s->imports[i] == key)
			return 0;
	if (util__ensure_cap((void **)&s->imports, &s->imports_cap,
			     sizeof(*s->imports), s->nr_imports + 1))
		return -ENOMEM;
	s->imports[s->nr_imports++] = key;
	/* its DIEs count against the walk's bound too */
	e->budget += 2 * cu_unit_size(&pu);
	/* its children stand where the import does */
	e->depth--;
	err = cu__visit_children(e, &pu);
	e->depth++;
	return err;
}

/* What a function body holds goes through cu_scan_act first: keep both */
int cu__visit(struct cu_enc *e, Dwarf_Die *die)
{
	int tag;

	/*
	 * Every DIE takes a byte at least and is visited once, unless
	 * DW_AT_sibling leads back into DIEs already walked: then each
	 * nesting level could double the walk.
	 */
	if (e->failed)
		return e->failed;
	if (++e->visits > e->budget)
		return cu__error(e, die, -EINVAL, "DIEs visited again and again: "
				 "DW_AT_sibling leads back into the tree");
	tag = die__tag(&e->cur, die);

	if (types__is_type_tag(tag)) {
		if (e->plan->job == UNIT_ENCODE_DIES &&
		    !shape__wanted(e, die, tag))
			return 0;
		return types__encode(e, die, tag);
	}
	switch (tag) {
	case DW_TAG_subprogram:
		return funcs__subprogram(e, die);
	case DW_TAG_variable:
		return vars__variable(e, die, e->depth == 1);
	case DW_TAG_lexical_block: case DW_TAG_inlined_subroutine:
	case DW_TAG_namespace:
		return cu__visit_children(e, die);
	case DW_TAG_imported_unit:
		return cu_import(e, die);
	default:
		break;
	}
	if (cu_ignored_tag(tag))
		return 0;
	cu__map(e, die, 0);
	/* warning keys below 0x10000 are tags: fold anything larger (corrupt
	 * DWARF) into the last user tag, so one warning covers them */
	return cu__warn(e, tag >= 0 && tag < 0x10000 ? (unsigned int)tag : 0xffff,
			dwarf_dieoffset(die));
}

int cu__visit_children(struct cu_enc *e, Dwarf_Die *die)
{
	Dwarf_Die child;
	int err = 0, r;

	r = die__child(&e->cur, die, &child);
	if (r)
		return r < 0 ? cu__error(e, die, -EINVAL, "cannot read children: %s",
					 dwarf_errmsg(-1)) : 0;
	e->depth++;
	do
		err = cu__visit(e, &child);
	while (!err && (r = die__sibling(&e->cur, &child, &child)) == 0);
	e->depth--;
	if (!err && r < 0)
		err = cu__error(e, &child, -EINVAL, "cannot read the next DIE: %s",
				dwarf_errmsg(-1));
	return err;
}

enum scan_act {
	SCAN_NONE,	/* nothing to do, nor in its children */
	SCAN_VISIT,	/* to visit, which reads its children itself */
	SCAN_ENTER,	/* a scope: its children are looked at */
};

/*
 * What the walk does with a DIE of @tag in a function body: cu__visit's
 * cases, and at @depth 1 fn_child's (dwarf_funcs.c), which takes the
 * parameters and decl tags when the function may get a FUNC (@params).
 * A case added there must be added here.
 */
static enum scan_act cu_scan_act(const struct cu_enc *e, int tag,
				 unsigned int depth, bool params)
{
	if (types__is_type_tag(tag))
		return SCAN_VISIT;
	switch (tag) {
	case DW_TAG_subprogram:
		return SCAN_VISIT;
	case DW_TAG_variable:
		return e->file->vars || e->file->global_vars ? SCAN_VISIT :
		       SCAN_NONE;
	case DW_TAG_lexical_block: case DW_TAG_inlined_subroutine:
	case DW_TAG_namespace:
		return SCAN_ENTER;
	case DW_TAG_unspecified_parameters:
		return depth == 1 ? SCAN_VISIT : SCAN_NONE;
	case DW_TAG_formal_parameter: case DW_TAG_LLVM_annotation:
		return depth == 1 && params ? SCAN_VISIT : SCAN_NONE;
	default:
		/* other tags are mapped and warned of */
		return cu_ignored_tag(tag) ? SCAN_NONE : SCAN_VISIT;
	}
}

static int cu_scan_push(struct cu_scratch *s, const void *addr,
			unsigned int depth)
{
	if (util__ensure_cap((void **)&s->scan, &s->scan_cap, sizeof(*s->scan),
			     s->nr_scan + 1))
		return -ENOMEM;
	s->scan[s->nr_scan].addr = addr;
	s->scan[s->nr_scan++].depth = depth;
	return 0;
}

/*
 * The body is read from its bytes (die__walk_next).  The DIEs found are
 * pushed on the scratch stack (a nested function is scanned while its
 * parent's DIEs are being visited).
 */
int cu__scan_body(struct cu_enc *e, Dwarf_Die *die, bool params,
		  size_t *first)
{
	struct cu_scratch *s = e->s;
	enum die_walk_step r;
	enum scan_act act;
	struct die_walk w;
	int err = 0;

	*first = s->nr_scan;
	r = die__walk_begin(&e->cur, die, &w);
	if (r != DIE_WALK_DIE)
		return r == DIE_WALK_END ? 0 : 1;
	while (!err && (r = die__walk_next(&e->cur, &w)) == DIE_WALK_DIE) {
		act = w.enter[w.depth] ?
		      cu_scan_act(e, w.tag, w.depth, params) : SCAN_NONE;
		if (act == SCAN_VISIT)
			err = cu_scan_push(s, w.addr, w.depth);
		if (!err && w.children && !die__walk_down(&w, act == SCAN_ENTER))
			err = 1;
	}
	if (!err && r != DIE_WALK_END)
		err = 1;
	if (err)
		s->nr_scan = *first;
	return err;
}

/*
 * Encode a DIE the walk did not reach, because something refers to it: a
 * type in a place the walk skips, or in another unit (LTO's cross-unit
 * references) or file (dwz's supplementary file).  A reference to a DIE
 * that is not a type is an error: BTF would read it as void.
 */
static int cu_encode_late(struct cu_enc *e, Dwarf_Off key)
{
	Dwarf_Die die;
	int tag;

	if (!die_of_key(e->file, key, &die))
		return cu__error_at(e, key, -EINVAL, "a type reference to an "
				    "offset where no DIE is: %s",
				    dwarf_errmsg(-1));
	tag = dwarf_tag(&die);
	if (types__is_type_tag(tag))
		return types__encode(e, &die, tag);
	return cu__error_at(e, key, -EINVAL, "a type reference to a DIE that "
			    "is not a type");
}

/* The local ID DIE @key stands for, following aliases */
static int cu_resolve(struct cu_enc *e, Dwarf_Off key, uint32_t *id)
{
	uint32_t *slot;
	int hops, err;

	*id = 0;
	for (hops = 0; hops < MAX_ALIAS_HOPS; hops++) {
		slot = cu_slot(e, key);
		if (!slot || !*slot) {
			err = cu_encode_late(e, key);
			if (!err && e->failed)
				err = e->failed;
			if (err)
				return err;
			slot = cu_slot(e, key);
			if (!slot || !*slot)
				return cu__error_at(e, key, -EINVAL, "a type "
						    "DIE that was not encoded");
		}
		if (!(*slot & MAP_ALIAS)) {
			*id = *slot - 1;
			return 0;
		}
		key = e->s->aliases[*slot & ~MAP_ALIAS];
	}
	return cu__error_at(e, key, -EINVAL, "more than %d DIEs that stand "
			    "for one another", MAX_ALIAS_HOPS);
}

/*
 * The array index type: the unit's own 'int' when it has one (what the
 * reference encoder does), else an 'int' added for the purpose.
 */
static int cu_index_type(struct cu_enc *e, uint32_t *id)
{
	uint32_t name, data = BTF_INT_SIGNED << 24 | 32;
	int ret;

	if (!e->int_id) {
		ret = cu__name(e, "int", &name);
		if (ret)
			return ret;
		rec__start(e, BTF_KIND_INT, name, 4);
		ret = rec__append(e, &data, sizeof(data), false);
		if (!ret)
			ret = rec__finish(e);
		if (ret < 0)
			return ret;
		e->int_id = ret;
	}
	*id = e->int_id;
	return 0;
}

static int cu_apply_fixups(struct cu_enc *e)
{
	size_t i;
	uint32_t id;
	int err;

	/* late encoding may add fixups: walk by index */
	for (i = 0; i < e->nr_fixups; i++) {
		struct cu_fixup fx = e->s->fixups[i];

		if (fx.target == FIXUP_INDEX_TYPE)
			err = cu_index_type(e, &id);
		else
			err = cu_resolve(e, fx.target, &id);
		if (err)
			return err;
		cu_store(e, fx.id, fx.field, id);
	}
	return 0;
}

static bool cu_is_chain_kind(unsigned int kind)
{
	return kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_CONST ||
	       kind == BTF_KIND_VOLATILE || kind == BTF_KIND_RESTRICT ||
	       kind == BTF_KIND_TYPE_TAG;
}

/* The key of a DIE that local type @id stands for, 0 if none is found */
static Dwarf_Off cu_key_of_id(struct cu_enc *e, uint32_t id)
{
	struct cu_scratch *s = e->s;
	size_t i;

	for (i = 0; i < s->nr_touched; i++)
		if (s->map[s->touched[i]] == MAP_ID(id))
			return e->start + s->touched[i];
	for (i = 0; i < s->xcap; i++)
		if (s->xkeys && s->xkeys[i] && s->xvals[i] == MAP_ID(id))
			return s->xkeys[i];
	return 0;
}

/*
 * A typedef or modifier whose chain leads back to itself describes no
 * type: refused here, where the DIE can be named.  References across
 * units make such chains possible in DWARF that reads well unit by unit.
 * Each record is walked once: 1 marks the chain being followed, 2 one
 * known to end.
 */
static int cu_check_chains(struct cu_enc *e)
{
	uint32_t n = btf_table__type_cnt(e->tab), id, t, u;
	uint8_t *state = calloc(n ? n : 1, 1);
	int err = 0;

	if (!state)
		return -ENOMEM;
	for (id = 1; id < n && !err; id++) {
		for (t = id; t && t < n && !state[t] &&
		     cu_is_chain_kind(btf_kind(btf_table__type(e->tab, t)));
		     t = btf_table__type(e->tab, t)->type)
			state[t] = 1;
		if (t && t < n && state[t] == 1)
			err = cu__error_at(e, cu_key_of_id(e, t), -ELOOP,
					   "a chain of typedef and modifier "
					   "types loops back on itself");
		for (u = id; u && u < n && state[u] == 1;
		     u = btf_table__type(e->tab, u)->type)
			state[u] = 2;
	}
	free(state);
	return err;
}

static int cu_prepare(struct cu_enc *e, Dwarf_Off off, Dwarf_Off next_off)
{
	struct cu_scratch *s = e->s;
	size_t len = next_off - off;
	int err;

	/* the per-DIE map is sized by the unit: trust no length that runs
	 * past the section */
	if (next_off <= off ||
	    (e->file->info_size && next_off > e->file->info_size)) {
		if (asprintf(&e->out->errmsg, "%s: unit at %#llx: its length "
			     "(%#llx) runs past the end of .debug_info (%#zx)",
			     e->file->path, (unsigned long long)off,
			     (unsigned long long)(next_off - off),
			     e->file->info_size) < 0)
			e->out->errmsg = NULL;
		return -EINVAL;
	}
	err = cu_scratch__map_size(s, len);
	if (err)
		return err;
	err = util__ensure_cap((void **)&s->rec, &s->rec_cap, 1,
			       sizeof(struct btf_type));
	if (err)
		return err;
	e->start = off;
	e->end = next_off;
	e->budget = 2 * len + 64;
	e->out->tab = btf_table__new();
	return e->out->tab ? 0 : -ENOMEM;
}

/* Code from clang: it says differently when a signature changed */
bool cu__is_clang(Dwarf_Die *cudie)
{
	Dwarf_Attribute a;
	const char *producer = dwarf_formstring(dwarf_attr(cudie, DW_AT_producer, &a));

	return producer && strstr(producer, "clang");
}

/* The DIEs of @dies, as the walk would meet them */
static int cu_visit_dies(struct cu_enc *e, const struct shape_dies *dies)
{
	Dwarf_Die die;
	size_t i;
	int err = 0;

	e->depth = 1;
	for (i = 0; i < dies->nr && !err; i++) {
		Dwarf_Off off = e->start + dies->offs[i];

		if (off >= e->end)
			return -EINVAL;
		if (e->cur.ptr)
			die__at(&e->cur, e->cur.ptr + dies->offs[i], &die);
		else if (!dwarf_offdie(e->file->dbg, off, &die))
			return -EINVAL;
		err = cu__visit(e, &die);
	}
	e->depth = 0;
	return err;
}

int cu__encode(const struct dwarf_file *f, const struct unit_plan *plan,
	       Dwarf_Off off, Dwarf_Off next_off, Dwarf_Die *cudie,
	       struct cu_scratch *s, struct cu_out *out)
{
	struct cu_enc e = { .file = f, .plan = plan, .out = out, .s = s };
	int err;

	cu_out__reset(out);
	err = cu_prepare(&e, off, next_off);
	if (!err) {
		e.tab = out->tab;
		e.clang = cu__is_clang(cudie);
		die__begin_unit(&e.cur, f, &s->abbrevs, off, next_off, cudie);
		err = plan->job == UNIT_ENCODE_DIES ?
		      cu_visit_dies(&e, plan->dies) :
		      cu__visit_children(&e, cudie);
	}
	if (!err)
		err = e.failed;
	if (!err)
		err = cu_apply_fixups(&e);
	if (!err)
		err = e.failed;
	if (!err)
		err = cu_check_chains(&e);
	if (!err)
		err = funcs__finish_unit(&e);
	if (err && !out->errmsg)
		cu__error(&e, cudie, err, "%s", strerror(-err));
	if (err) {
		btf_table__free(out->tab);
		out->tab = NULL;
	}
	cu_scratch__map_clear(s);
	out->err = err;
	return err;
}
