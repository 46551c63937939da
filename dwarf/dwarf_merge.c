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
 * - FUNCs: each unit's proposals are set aside (their FUNC, FUNC_PROTO and
 *   DECL_TAGs, in output IDs and strings) for dwarf_fsel.c, which chooses
 *   once every unit is in and appends the FUNCs chosen;
 * - a DATASEC per section collects every unit's variables;
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

/*
 * Names held in .debug_info itself (DW_FORM_string: compilers inline the
 * short ones, like "id" or "ops", in every unit) have no offset to index
 * by; those of up to 7 bytes are cached by their bytes.  64 KiB.
 */
#define SHORT_CACHE_BITS 12

struct short_cache_ent {
	uint64_t key;		/* the bytes, zero-padded; 0: empty */
	uint32_t off;
};

/*
 * The names from .debug_str already in the output: handle -> offset, open
 * addressing, the handle as key (never 0).  Only the names types use go
 * in: a fraction of .debug_str, so this is much smaller than an array
 * indexed by offset (which, for a module, would be four times its
 * .debug_str) and stays in the caches better.  Not encoder/hmap.h: its
 * slots take 24 bytes and its lookups go through callbacks, 8 bytes and
 * inline code here, on the merge's hottest lookup.
 */
struct dstr_map {
	uint32_t *keys;		/* 0: empty */
	uint32_t *vals;
	uint32_t mask;		/* capacity - 1, a power of two; 0: none yet */
	uint32_t nr;
};

static inline uint32_t dstr_slot(const struct dstr_map *d, uint32_t handle)
{
	return (handle * 0x9e3779b1u) & d->mask;
}

/* The output offset of @handle, or false when it is not in yet */
static inline bool dstr_find(const struct dstr_map *d, uint32_t handle,
			     uint32_t *off)
{
	uint32_t i;

	if (!d->mask)
		return false;
	for (i = dstr_slot(d, handle); d->keys[i]; i = (i + 1) & d->mask)
		if (d->keys[i] == handle) {
			*off = d->vals[i];
			return true;
		}
	return false;
}

static void dstr_put(struct dstr_map *d, uint32_t handle, uint32_t off)
{
	uint32_t i;

	for (i = dstr_slot(d, handle); d->keys[i]; i = (i + 1) & d->mask)
		;
	d->keys[i] = handle;
	d->vals[i] = off;
	d->nr++;
}

/* Add a handle that is not in; at most half full */
static int dstr_add(struct dstr_map *d, uint32_t handle, uint32_t off)
{
	if ((uint64_t)(d->nr + 1) * 2 > (uint64_t)d->mask + 1) {
		struct dstr_map g = { 0 };
		uint64_t cap = d->mask ? ((uint64_t)d->mask + 1) * 2 : 4096;
		uint32_t i;

		if (cap > UINT32_MAX)
			return -E2BIG;
		g.keys = calloc(cap, sizeof(*g.keys));
		g.vals = malloc(cap * sizeof(*g.vals));
		if (!g.keys || !g.vals) {
			free(g.keys);
			free(g.vals);
			return -ENOMEM;
		}
		g.mask = cap - 1;
		for (i = 0; d->mask && i <= d->mask; i++)
			if (d->keys[i])
				dstr_put(&g, d->keys[i], d->vals[i]);
		free(d->keys);
		free(d->vals);
		*d = g;
	}
	dstr_put(d, handle, off);
	return 0;
}

/* A variable set aside until the DATASEC of its section is built */
struct held_var {
	uint32_t name;		/* in the output's strings and IDs */
	uint32_t type;
	uint32_t linkage;
	uint32_t off;
	uint32_t size;
	uint32_t seq;		/* unit order: the first at a place is kept */
	size_t tags;		/* first in merge.var_tags */
	size_t nr_tags;
};

/* The variables of one section */
struct sec_vars {
	struct held_var *vars;
	size_t nr;
	size_t cap;
};

struct merge {
	struct btf_table *tab;
	const struct dwarf_file *file;
	struct fsel *fsel;
	struct sec_vars *secs;		/* by ELF section index */
	uint32_t nr_held;
	struct fsel_tag *var_tags;	/* of the variables held */
	size_t nr_var_tags;
	size_t var_tags_cap;
	uint32_t *kept;			/* VAR IDs of the DATASEC being built */
	size_t kept_cap;
	struct fsel_tag *tags;		/* a record's tags, translated */
	size_t tags_cap;
	char *proto;			/* a proposal's FUNC_PROTO, translated */
	size_t proto_cap;
	uint8_t warned[WARN_NR_KEYS / 8 + 1];
	uint32_t *ids;		/* local ID -> output ID or DROPPED */
	size_t ids_cap;
	struct dstr_map dstr;	/* .debug_str name handle -> output offset */
	struct name_cache_ent cache[1u << NAME_CACHE_BITS];
	struct short_cache_ent short_cache[1u << SHORT_CACHE_BITS];
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
	m->fsel = fsel__new(f, tab);
	m->secs = calloc(f->syms.nr_secs + 1, sizeof(*m->secs));
	if (!m->fsel || !m->secs) {
		merge__free(m);
		return NULL;
	}
	return m;
}

void merge__free(struct merge *m)
{
	size_t i;

	if (!m)
		return;
	fsel__free(m->fsel);
	for (i = 0; m->secs && i <= m->file->syms.nr_secs; i++)
		free(m->secs[i].vars);
	free(m->secs);
	free(m->var_tags);
	free(m->kept);
	free(m->tags);
	free(m->proto);
	free(m->ids);
	free(m->dstr.keys);
	free(m->dstr.vals);
	free(m);
}

static const char *merge_warn_text(unsigned int key)
{
	switch (key) {
	case WARN_VOID_VAR:
		return "per-CPU variable without a type, skipped";
	default:
		return "cannot be expressed in BTF, skipped";
	}
}

static void merge_warn(struct merge *m, const struct cu_warn *w)
{
	const char *tag = w->key < 0x10000 ? dw_tag_name(w->key) : NULL;

	if (w->key >= WARN_NR_KEYS)
		return;
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
		if (dstr_find(&m->dstr, handle, &c->off)) {
			c->handle = handle;
			*off = c->off;
			return 0;
		}
	}
	s = handle & NAME_OTHER ? m->out->names[handle & ~NAME_OTHER] :
	    m->file->dstr + handle - 1;
	if (handle & NAME_OTHER) {
		size_t len = strnlen(s, sizeof(uint64_t));

		if (len < sizeof(uint64_t)) {
			struct short_cache_ent *c;
			uint64_t key = 0;

			memcpy(&key, s, len);
			c = &m->short_cache[(key * 0x9e3779b97f4a7c15ull) >>
					    (64 - SHORT_CACHE_BITS)];
			if (c->key == key) {
				*off = c->off;
				return 0;
			}
			ret = btf_table__add_str(m->tab, s);
			if (ret < 0)
				return ret;
			c->key = key;
			c->off = ret;
			*off = ret;
			return 0;
		}
	}
	ret = btf_table__add_str(m->tab, s);
	if (ret < 0)
		return ret;
	if (!(handle & NAME_OTHER)) {
		int err = dstr_add(&m->dstr, handle, ret);

		if (err)
			return err;
	}
	*off = ret;
	return 0;
}

/*
 * Set the unit's proposed FUNCs aside, with their FUNC_PROTOs (nothing
 * else refers to them), and its variables; their DECL_TAGs (which follow
 * them) go with them.
 */
static void merge_hold(struct merge *m, const struct cu_out *out)
{
	size_t i;

	for (i = 0; i < out->nr_funcs; i++) {
		const struct btf_type *t = btf_table__type(out->tab, out->funcs[i].id);

		m->ids[out->funcs[i].id] = DROPPED;
		m->ids[t->type] = DROPPED;
	}
	for (i = 0; i < out->nr_vars; i++)
		m->ids[out->vars[i].id] = DROPPED;
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
 * Copy records @first .. @first + @n - 1 of the unit in one go, then
 * translate them in place: adding strings does not move records.  After an
 * error the output holds untranslated records, but the caller discards a
 * table whose loading failed.
 */
static int merge_copy_run(struct merge *m, uint32_t first, uint32_t n)
{
	int ret = btf_table__add_raw_run(m->tab, m->src, first, n);
	uint32_t id;

	if (ret < 0)
		return ret;
	for (id = ret; id < (uint32_t)ret + n; id++) {
		struct btf_type *t = btf_table__type_mut(m->tab, id);
		int err = btf_rec__visit_strs(t, merge_str, m);

		if (err)
			return err;
		btf_rec__visit_ids(t, merge_id, m);
	}
	return 0;
}

/* A proposal's FUNC_PROTO in the output's IDs and strings */
static int merge_proto(struct merge *m, uint32_t id, struct btf_type **out)
{
	const struct btf_type *t = btf_table__type(m->src, id);
	size_t len = btf_rec_size(t);
	struct btf_type *p;
	int err;

	err = util__ensure_cap((void **)&m->proto, &m->proto_cap, 1, len);
	if (err)
		return err;
	p = memcpy(m->proto, t, len);
	err = btf_rec__visit_strs(p, merge_str, m);
	if (!err)
		err = btf_rec__visit_ids(p, merge_id, m);
	*out = p;
	return err;
}

/* The DECL_TAGs following record @id, translated into m->tags */
static int merge_tags(struct merge *m, uint32_t id, size_t *nr)
{
	const struct btf_table *src = m->src;
	uint32_t n = btf_table__nr_own(src), t_id;
	const struct btf_type *tag;
	int err;

	*nr = 0;
	for (t_id = id + 1; t_id <= n; t_id++) {
		tag = btf_table__type(src, t_id);
		if (btf_kind(tag) != BTF_KIND_DECL_TAG || tag->type != id)
			break;
		err = util__ensure_cap((void **)&m->tags, &m->tags_cap,
				       sizeof(*m->tags), *nr + 1);
		if (!err)
			err = merge_name(m, tag->name_off, &m->tags[*nr].value);
		if (err)
			return err;
		m->tags[(*nr)++].component_idx = btf_decl_tag(tag)->component_idx;
	}
	return 0;
}

/* Hand a proposal to the FUNC choice, with its DECL_TAGs */
static int merge_propose(struct merge *m, const struct cu_func *fn)
{
	const struct btf_type *t = btf_table__type(m->src, fn->id);
	struct btf_type *proto;
	size_t nr_tags;
	uint32_t name;
	int err;

	err = merge_name(m, t->name_off, &name);
	if (!err)
		err = merge_proto(m, t->type, &proto);
	if (!err)
		err = merge_tags(m, fn->id, &nr_tags);
	return err ? err : fsel__add(m->fsel, name, proto, fn, m->tags, nr_tags);
}

/* Hold a variable for the DATASEC of its section, with its DECL_TAGs */
static int merge_var(struct merge *m, const struct cu_var *cv)
{
	const struct btf_type *t = btf_table__type(m->src, cv->id);
	struct sec_vars *sv = &m->secs[cv->sec];
	struct held_var *hv;
	size_t nr_tags;
	int err;

	err = util__ensure_cap((void **)&sv->vars, &sv->cap, sizeof(*hv),
			       sv->nr + 1);
	if (!err)
		err = merge_tags(m, cv->id, &nr_tags);
	if (!err)
		err = util__ensure_cap((void **)&m->var_tags, &m->var_tags_cap,
				       sizeof(*m->var_tags),
				       m->nr_var_tags + nr_tags);
	if (err)
		return err;
	hv = &sv->vars[sv->nr];
	err = merge_name(m, t->name_off, &hv->name);
	if (err)
		return err;
	sv->nr++;
	hv->type = m->ids[t->type];
	hv->linkage = btf_var(t)->linkage;
	hv->off = cv->off;
	hv->size = cv->size;
	hv->seq = m->nr_held++;
	hv->tags = m->nr_var_tags;
	hv->nr_tags = nr_tags;
	if (nr_tags)
		memcpy(m->var_tags + m->nr_var_tags, m->tags,
		       nr_tags * sizeof(*m->tags));
	m->nr_var_tags += nr_tags;
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
	if (err)
		return err;
	merge_hold(m, out);
	merge_assign_ids(m, n);
	for (id = 1; id <= n && !err; ) {
		uint32_t end = id;

		while (end <= n && m->ids[end] != DROPPED)
			end++;
		if (end > id)
			err = merge_copy_run(m, id, end - id);
		id = end + 1;
	}
	for (id = 0; id < out->nr_funcs && !err; id++)
		err = merge_propose(m, &out->funcs[id]);
	for (id = 0; id < out->nr_vars && !err; id++)
		err = merge_var(m, &out->vars[id]);
	return err;
}

static int held_cmp(const void *pa, const void *pb)
{
	const struct held_var *a = pa, *b = pb;

	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* A VAR and its DECL_TAGs; the VAR's ID or -errno */
static int merge_add_var(struct merge *m, const struct held_var *hv)
{
	struct btf_type t[2] = { 0 };
	struct btf_var *v = (struct btf_var *)&t[1];
	size_t i;
	int id, err = 0;

	t[0].name_off = hv->name;
	t[0].info = btf_info(BTF_KIND_VAR, 0, false);
	t[0].type = hv->type;
	v->linkage = hv->linkage;
	id = btf_table__add_raw(m->tab, t);
	for (i = 0; id > 0 && i < hv->nr_tags && err >= 0; i++) {
		const struct fsel_tag *tag = &m->var_tags[hv->tags + i];

		memset(t, 0, sizeof(t));
		t[0].name_off = tag->value;
		t[0].info = btf_info(BTF_KIND_DECL_TAG, 0, false);
		t[0].type = id;
		memcpy(&t[1], &tag->component_idx, sizeof(tag->component_idx));
		err = btf_table__add_raw(m->tab, t);
	}
	return err < 0 ? err : id;
}

/*
 * The section's VARs, by offset, then its DATASEC.  Its size is where its
 * last variable ends, as the reference encoder has it (not the section
 * size, which may have a tail of padding or of variables without debug
 * info).  A variable overlapping the one before it (the same variable
 * defined by two units, or an alias) is left out: the kernel rejects
 * overlapping entries.
 */
static int merge_datasec(struct merge *m, size_t sec)
{
	struct sec_vars *sv = &m->secs[sec];
	const struct held_var *hv;
	size_t i, nr = 0;
	uint64_t end = 0;
	int id, err;

	err = util__ensure_cap((void **)&m->kept, &m->kept_cap,
			       sizeof(*m->kept), sv->nr);
	if (err)
		return err;
	qsort(sv->vars, sv->nr, sizeof(*sv->vars), held_cmp);
	for (i = 0; i < sv->nr; i++) {
		hv = &sv->vars[i];
		if (hv->off < end)
			continue;
		id = merge_add_var(m, hv);
		if (id < 0)
			return id;
		end = (uint64_t)hv->off + hv->size;
		sv->vars[nr] = *hv;
		m->kept[nr++] = id;
	}
	id = btf_table__add_datasec(m->tab, m->file->syms.secs[sec].name, end);
	if (id < 0)
		return id;
	for (i = 0; i < nr && !err; i++)
		err = btf_table__add_secinfo(m->tab, m->kept[i], sv->vars[i].off,
					     sv->vars[i].size);
	return err;
}

int merge__finish(struct merge *m)
{
	size_t sec;
	int err;

	err = fsel__finish(m->fsel);
	if (err) {
		msg__error("%s: cannot add the functions: %s", m->file->path,
			   strerror(-err));
		return err;
	}
	for (sec = 1; sec < m->file->syms.nr_secs && !err; sec++) {
		if (!m->secs[sec].nr)
			continue;
		err = merge_datasec(m, sec);
		if (err)
			msg__error("%s: cannot add the %s DATASEC: %s",
				   m->file->path, m->file->syms.secs[sec].name,
				   strerror(-err));
	}
	return err;
}
