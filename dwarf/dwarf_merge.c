// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Appending CU tables to the output, in CU order.
 *
 * Each record is copied with its name handles and type IDs translated: the
 * IDs shift by where the unit lands (minus the records left out before
 * them); a name from .debug_str is looked up in the output once per run
 * (then found through an array indexed by its .debug_str offset), any
 * other name once per use.
 *
 * This is also where the rules that span units live, so that they cannot
 * depend on which unit was encoded first:
 * - one FUNC per name: the first unit that has the function wins; later
 *   copies are left out with their FUNC_PROTO and DECL_TAGs;
 * - the per-CPU DATASEC collects every unit's variables;
 * - a warning is printed for the first unit that raises it.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_int.h"
#include "hmap.h"
#include "msg.h"
#include "util.h"

#define PERCPU_SECTION ".data..percpu"
#define DROPPED UINT32_MAX
/*
 * A direct-mapped cache in front of the .debug_str array: the array is too
 * big for the data caches and TLB, and a unit names the same few hundred
 * strings over and over.  128 KiB.
 */
#define NAME_CACHE_BITS 14

struct name_cache_ent {
	uint32_t handle;
	uint32_t off;
};

struct merge {
	struct btf_table *tab;
	const struct dwarf_file *file;
	struct hmap *func_names;	/* name offsets in @tab of FUNCs kept */
	struct btf_var_secinfo *secinfo;
	size_t nr_secinfo;
	size_t secinfo_cap;
	uint8_t warned[WARN_NR_KEYS / 8 + 1];
	uint32_t *ids;		/* local ID -> output ID or DROPPED */
	size_t ids_cap;
	uint32_t *dstr;		/* .debug_str offset -> output offset, 0: unknown */
	struct name_cache_ent cache[1u << NAME_CACHE_BITS];
	const struct cu_out *out;	/* the unit being merged */
	const struct btf_table *src;	/* its table */
};

struct merge *merge__new(struct btf_table *tab, const struct dwarf_file *f)
{
	struct merge *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->tab = tab;
	m->file = f;
	m->func_names = hmap__new(hmap_hash_identity, hmap_equal_long, NULL);
	m->dstr = calloc(f->dstr_size + 1, sizeof(*m->dstr));
	if (!m->func_names || !m->dstr) {
		merge__free(m);
		return NULL;
	}
	return m;
}

void merge__free(struct merge *m)
{
	if (!m)
		return;
	hmap__free(m->func_names);
	free(m->secinfo);
	free(m->ids);
	free(m->dstr);
	free(m);
}

static const char *merge_warn_text(unsigned int key)
{
	switch (key) {
	case WARN_XREF:
		return "type reference outside the unit (type unit or other file), read as void";
	case WARN_UNIT:
		return "unit kind not supported, skipped";
	case WARN_VOID_VAR:
		return "per-CPU variable without a type, skipped";
	default:
		return "cannot be expressed in BTF, skipped";
	}
}

static void merge_warn(struct merge *m, const struct cu_warn *w)
{
	const char *tag = w->key < 0x10000 ? dw_tag_name(w->key) : NULL;

	if (m->warned[w->key / 8] & (1u << (w->key % 8)))
		return;
	m->warned[w->key / 8] |= 1u << (w->key % 8);
	if (tag)
		msg__warn("%s: DIE %#llx (%s): %s", m->file->path,
			  (unsigned long long)w->die, tag, merge_warn_text(w->key));
	else if (w->key < 0x10000)
		msg__warn("%s: DIE %#llx (tag %#x): %s", m->file->path,
			  (unsigned long long)w->die, w->key,
			  merge_warn_text(w->key));
	else
		msg__warn("%s: DIE %#llx: %s", m->file->path,
			  (unsigned long long)w->die, merge_warn_text(w->key));
}

void merge__warn(struct merge *m, unsigned int key, Dwarf_Off die)
{
	struct cu_warn w = { key, die };

	merge_warn(m, &w);
}

static void merge_warns(struct merge *m, const struct cu_out *out)
{
	size_t i;

	for (i = 0; i < out->nr_warns; i++)
		merge_warn(m, &out->warns[i]);
}

/* The output offset of a unit's name handle, adding the string if new */
static int merge_name(struct merge *m, uint32_t handle, uint32_t *off)
{
	const char *s;
	long ret;

	if (!handle) {
		*off = 0;
		return 0;
	}
	if (!(handle & NAME_OTHER)) {
		struct name_cache_ent *c = &m->cache[(handle * 0x9e3779b1u) >>
						     (32 - NAME_CACHE_BITS)];

		if (c->handle == handle) {
			*off = c->off;
			return 0;
		}
		if (m->dstr[handle - 1]) {
			c->handle = handle;
			c->off = m->dstr[handle - 1];
			*off = c->off;
			return 0;
		}
	}
	s = handle & NAME_OTHER ? m->out->names[handle & ~NAME_OTHER] :
	    m->file->dstr + handle - 1;
	ret = btf_table__add_str(m->tab, s);
	if (ret < 0)
		return ret;
	/* "" is offset 0, which also means unknown: it is looked up again */
	if (!(handle & NAME_OTHER))
		m->dstr[handle - 1] = ret;
	*off = ret;
	return 0;
}

/*
 * Leave out FUNCs whose name an earlier unit (or an earlier FUNC of this
 * one) already has, with their FUNC_PROTOs, which nothing else uses.
 */
static int merge_pick_funcs(struct merge *m, const struct cu_out *out)
{
	const struct btf_table *src = out->tab;
	uint32_t off = 0;
	size_t i;
	int err;

	for (i = 0; i < out->nr_funcs; i++) {
		const struct btf_type *t = btf_table__type(src, out->funcs[i]);

		err = merge_name(m, t->name_off, &off);
		if (!err)
			err = hmap__insert(m->func_names, off, 0, HMAP_ADD, NULL);
		if (err == -EEXIST) {
			m->ids[out->funcs[i]] = DROPPED;
			m->ids[t->type] = DROPPED;
		} else if (err) {
			return err;
		}
	}
	return 0;
}

static int merge_str(uint32_t *off, void *ctx)
{
	return merge_name(ctx, *off, off);
}

static int merge_id(uint32_t *id, void *ctx)
{
	struct merge *m = ctx;

	*id = m->ids[*id];
	return 0;
}

/* Output IDs for the unit's records; DROPPED ones take no ID */
static void merge_assign_ids(struct merge *m, uint32_t n)
{
	const struct btf_table *src = m->src;
	uint32_t id, next = btf_table__type_cnt(m->tab);

	m->ids[0] = 0;
	for (id = 1; id <= n; id++) {
		const struct btf_type *t = btf_table__type(src, id);

		if (btf_kind(t) == BTF_KIND_DECL_TAG && m->ids[t->type] == DROPPED)
			m->ids[id] = DROPPED;
		if (m->ids[id] != DROPPED)
			m->ids[id] = next++;
	}
}

/*
 * Copy, then translate in place: adding strings does not move records.
 * After an error the output holds an untranslated record, but the caller
 * discards a table whose loading failed.
 */
static int merge_copy(struct merge *m, uint32_t id)
{
	struct btf_type *t;
	int ret;

	ret = btf_table__add_raw(m->tab, btf_table__type(m->src, id));
	if (ret < 0)
		return ret;
	t = btf_table__type_mut(m->tab, ret);
	ret = btf_rec__visit_strs(t, merge_str, m);
	if (!ret)
		btf_rec__visit_ids(t, merge_id, m);
	return ret;
}

static int merge_vars(struct merge *m, const struct cu_out *out)
{
	struct btf_var_secinfo *si;
	size_t i;
	int err;

	err = util__ensure_cap((void **)&m->secinfo, &m->secinfo_cap,
			       sizeof(*si), m->nr_secinfo + out->nr_vars);
	if (err)
		return err;
	for (i = 0; i < out->nr_vars; i++) {
		si = &m->secinfo[m->nr_secinfo++];
		si->type = m->ids[out->vars[i].id];
		si->offset = out->vars[i].off;
		si->size = out->vars[i].size;
	}
	return 0;
}

int merge__cu(struct merge *m, const struct cu_out *out)
{
	uint32_t n = btf_table__nr_own(out->tab), id;
	int err;

	merge_warns(m, out);
	m->src = out->tab;
	m->out = out;
	err = util__ensure_cap((void **)&m->ids, &m->ids_cap, sizeof(*m->ids),
			       (size_t)n + 1);
	if (!err)
		memset(m->ids, 0, ((size_t)n + 1) * sizeof(*m->ids));
	if (!err)
		err = merge_pick_funcs(m, out);
	if (err)
		return err;
	merge_assign_ids(m, n);
	for (id = 1; id <= n && !err; id++)
		if (m->ids[id] != DROPPED)
			err = merge_copy(m, id);
	return err ? err : merge_vars(m, out);
}

static int secinfo_cmp(const void *pa, const void *pb)
{
	const struct btf_var_secinfo *a = pa, *b = pb;

	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	return a->type < b->type ? -1 : a->type > b->type;
}

/*
 * The DATASEC's size is where its last variable ends, as the reference
 * encoder has it (not the section size, which may have a tail of padding
 * or of variables without debug info).
 */
int merge__finish(struct merge *m)
{
	struct btf_var_secinfo *last;
	size_t i;
	int id, err = 0;

	if (!m->nr_secinfo)
		return 0;
	qsort(m->secinfo, m->nr_secinfo, sizeof(*m->secinfo), secinfo_cmp);
	last = &m->secinfo[m->nr_secinfo - 1];
	id = btf_table__add_datasec(m->tab, PERCPU_SECTION,
				    last->offset + last->size);
	if (id < 0)
		return id;
	for (i = 0; i < m->nr_secinfo && !err; i++)
		err = btf_table__add_secinfo(m->tab, m->secinfo[i].type,
					     m->secinfo[i].offset,
					     m->secinfo[i].size);
	return err;
}
