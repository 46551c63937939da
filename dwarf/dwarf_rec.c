// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Building a unit's records: name handles, whole records added at once,
 * and the stack of DECL_TAGs waiting for the record they describe.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dwarf_int.h"
#include "util.h"

int cu__push_tag(struct cu_enc *e, const char *value, int component_idx)
{
	struct decl_tag *t;
	int err;

	err = util__ensure_cap((void **)&e->s->tags, &e->s->tags_cap,
			       sizeof(*t), e->nr_tags + 1);
	if (err)
		return err;
	t = &e->s->tags[e->nr_tags++];
	t->value = value;
	t->component_idx = component_idx;
	return 0;
}

int cu__push_decl_tag(struct cu_enc *e, const char *value, int component_idx)
{
	return e->file->decl_tags ? cu__push_tag(e, value, component_idx) : 0;
}

int cu__flush_tags(struct cu_enc *e, size_t from, uint32_t id)
{
	struct btf_decl_tag dt;
	uint32_t name;
	size_t i;
	int ret;

	for (i = from; i < e->nr_tags; i++) {
		ret = cu__name(e, e->s->tags[i].value, &name);
		if (ret)
			return ret;
		rec__start(e, BTF_KIND_DECL_TAG, name, id);
		dt.component_idx = e->s->tags[i].component_idx;
		ret = rec__append(e, &dt, sizeof(dt), false);
		if (!ret)
			ret = rec__finish(e);
		if (ret < 0)
			return ret;
	}
	e->nr_tags = from;
	return 0;
}

/*
 * A string libdw found in .debug_str or inline in .debug_info ends inside
 * that section (libdw may even hand out the very end of it); strings
 * elsewhere are libdw's own and trusted.
 */
bool file__str_ok(const struct dwarf_file *f, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (f->str_base && s >= f->str_base && s <= f->str_base + f->str_full)
		return memchr(s, 0, f->str_base + f->str_full - s);
	if (f->info && u >= f->info && u <= f->info + f->info_size)
		return memchr(s, 0, f->info + f->info_size - u);
	return true;
}

int cu__name(struct cu_enc *e, const char *s, uint32_t *handle)
{
	const struct dwarf_file *f = e->file;
	struct cu_out *o = e->out;
	int err;

	/* no look at the string itself: that is the merge's first touch */
	if (f->dstr && s >= f->dstr && s < f->dstr + f->dstr_size) {
		*handle = s - f->dstr + 1;
		return 0;
	}
	if (!s) {
		*handle = 0;
		return 0;
	}
	if (!file__str_ok(f, s)) {
		/* first message wins: callers' generic one is dropped */
		if (!o->errmsg && asprintf(&o->errmsg, "%s: unit at %#llx: a name "
					   "runs past the end of its section",
					   f->path, (unsigned long long)e->start) < 0)
			o->errmsg = NULL;
		return -EINVAL;
	}
	if (!*s) {
		*handle = 0;
		return 0;
	}
	err = util__ensure_cap((void **)&o->names, &o->names_cap,
			       sizeof(*o->names), o->nr_names + 1);
	if (err)
		return err;
	o->names[o->nr_names] = s;
	*handle = NAME_OTHER | o->nr_names++;
	return 0;
}

/*
 * The record buffer always has room for a header; rec__start cannot fail,
 * so callers need not check it.
 */
struct btf_type *rec__start(struct cu_enc *e, unsigned int kind,
			    uint32_t name, uint32_t size_or_type)
{
	struct btf_type *t = rec__hdr(e);

	t->name_off = name;
	t->info = btf_info(kind, 0, false);
	t->size = size_or_type;
	e->rec_len = sizeof(*t);
	return t;
}

int rec__append(struct cu_enc *e, const void *data, size_t size, bool item)
{
	struct cu_scratch *s = e->s;
	int err;

	err = util__ensure_cap((void **)&s->rec, &s->rec_cap, 1,
			       e->rec_len + size);
	if (err)
		return err;
	if (item) {
		if (btf_vlen(rec__hdr(e)) == BTF_MAX_VLEN)
			return -E2BIG;
		rec__hdr(e)->info++;
	}
	memcpy(s->rec + e->rec_len, data, size);
	e->rec_len += size;
	return 0;
}

int rec__finish(struct cu_enc *e)
{
	return btf_table__add_raw(e->tab, rec__hdr(e));
}

int rec__simple(struct cu_enc *e, unsigned int kind, uint32_t name,
		uint32_t size_or_type)
{
	rec__start(e, kind, name, size_or_type);
	return rec__finish(e);
}

const char *cu__annotation(Dwarf_Die *die, const char *kind)
{
	struct die_attrs da;
	const char *name;

	if (attrs__read(die, &da))
		return NULL;
	name = attrs__str(&da, AS_NAME);
	if (!name || strcmp(name, kind))
		return NULL;
	return attrs__str(&da, AS_CONST_VALUE);
}

int cu__push_child_tags(struct cu_enc *e, Dwarf_Die *die, int component_idx)
{
	Dwarf_Die child;
	const char *value;
	int err = 0;

	if (!e->file->decl_tags || !die__has_children(&e->cur, die) ||
	    die__child(&e->cur, die, &child))
		return 0;
	do {
		if (die__tag(&e->cur, &child) != DW_TAG_LLVM_annotation)
			continue;
		value = cu__annotation(&child, "btf_decl_tag");
		if (value)
			err = cu__push_tag(e, value, component_idx);
	} while (!err && die__sibling(&e->cur, &child, &child) == 0);
	return err;
}
