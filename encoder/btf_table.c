// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf_table.h"
#include "strtab.h"
#include "util.h"

struct btf_table {
	const struct btf_table *base;
	uint32_t start_id;
	uint32_t str_start;
	char *types;		/* the type section */
	size_t types_len;
	size_t types_cap;
	uint32_t *offs;		/* own ID - start_id -> offset in types */
	size_t nr;
	size_t offs_cap;
	struct strtab *strs;
};

static const struct btf_type btf_void;

static const char *const kind_names[BTF_KIND_NR] = {
	[BTF_KIND_UNKN] = "UNKN", [BTF_KIND_INT] = "INT", [BTF_KIND_PTR] = "PTR",
	[BTF_KIND_ARRAY] = "ARRAY", [BTF_KIND_STRUCT] = "STRUCT",
	[BTF_KIND_UNION] = "UNION", [BTF_KIND_ENUM] = "ENUM",
	[BTF_KIND_FWD] = "FWD", [BTF_KIND_TYPEDEF] = "TYPEDEF",
	[BTF_KIND_VOLATILE] = "VOLATILE", [BTF_KIND_CONST] = "CONST",
	[BTF_KIND_RESTRICT] = "RESTRICT", [BTF_KIND_FUNC] = "FUNC",
	[BTF_KIND_FUNC_PROTO] = "FUNC_PROTO", [BTF_KIND_VAR] = "VAR",
	[BTF_KIND_DATASEC] = "DATASEC", [BTF_KIND_FLOAT] = "FLOAT",
	[BTF_KIND_DECL_TAG] = "DECL_TAG", [BTF_KIND_TYPE_TAG] = "TYPE_TAG",
	[BTF_KIND_ENUM64] = "ENUM64",
};

const char *btf_kind_name(unsigned int kind)
{
	return kind < BTF_KIND_NR ? kind_names[kind] : "UNKN";
}

static struct btf_table *btf_table_alloc(const struct btf_table *base)
{
	struct btf_table *tab = calloc(1, sizeof(*tab));

	if (!tab)
		goto err;
	tab->base = base;
	tab->start_id = base ? btf_table__type_cnt(base) : 1;
	if (base) {
		size_t len;

		btf_table__strs_data(base, &len);
		tab->str_start = base->str_start + len;
	}
	tab->strs = strtab__new(!base);
	if (!tab->strs)
		goto err;
	return tab;
err:
	btf_table__free(tab);
	errno = ENOMEM;
	return NULL;
}

struct btf_table *btf_table__new(void)
{
	return btf_table_alloc(NULL);
}

struct btf_table *btf_table__new_split(const struct btf_table *base)
{
	if (!base) {
		errno = EINVAL;
		return NULL;
	}
	return btf_table_alloc(base);
}

void btf_table__free(struct btf_table *tab)
{
	if (!tab)
		return;
	strtab__free(tab->strs);
	free(tab->types);
	free(tab->offs);
	free(tab);
}

int btf_table__move(struct btf_table *dst, struct btf_table *src)
{
	if (dst->base != src->base)
		return -EINVAL;
	strtab__free(dst->strs);
	free(dst->types);
	free(dst->offs);
	*dst = *src;
	free(src);
	return 0;
}

const struct btf_table *btf_table__base(const struct btf_table *tab)
{
	return tab->base;
}

uint32_t btf_table__start_id(const struct btf_table *tab)
{
	return tab->start_id;
}

uint32_t btf_table__type_cnt(const struct btf_table *tab)
{
	return tab->start_id + tab->nr;
}

const struct btf_type *btf_table__type(const struct btf_table *tab, uint32_t id)
{
	if (id == 0)
		return &btf_void;
	if (id < tab->start_id)
		return tab->base ? btf_table__type(tab->base, id) : NULL;
	if (id - tab->start_id >= tab->nr)
		return NULL;
	return (const struct btf_type *)(tab->types + tab->offs[id - tab->start_id]);
}

const char *btf_table__records(const struct btf_table *tab,
			       const uint32_t **offs)
{
	*offs = tab->offs;
	return tab->types;
}

bool btf_table__same_bytes(const struct btf_table *a,
			   const struct btf_table *b)
{
	size_t sa, sb;
	const char *xa = strtab__data(a->strs, &sa), *xb = strtab__data(b->strs, &sb);

	/* memcmp takes no NULL, even for no bytes */
	return a->types_len == b->types_len && sa == sb &&
	       (!a->types_len || !memcmp(a->types, b->types, a->types_len)) &&
	       (!sa || !memcmp(xa, xb, sa));
}

struct btf_type *btf_table__type_mut(struct btf_table *tab, uint32_t id)
{
	if (id < tab->start_id || id - tab->start_id >= tab->nr)
		return NULL;
	return (struct btf_type *)(tab->types + tab->offs[id - tab->start_id]);
}

uint32_t btf_table__str_start(const struct btf_table *tab)
{
	return tab->str_start;
}

const char *btf_table__str(const struct btf_table *tab, uint32_t off)
{
	if (off < tab->str_start)
		return btf_table__str(tab->base, off);
	return strtab__str(tab->strs, off - tab->str_start);
}

const char *btf_table__name(const struct btf_table *tab, uint32_t id)
{
	const struct btf_type *t = btf_table__type(tab, id);

	return t ? btf_table__str(tab, t->name_off) : NULL;
}

long btf_table__find_str(const struct btf_table *tab, const char *s)
{
	long off;

	if (!*s)
		return 0;
	if (tab->base) {
		off = btf_table__find_str(tab->base, s);
		if (off >= 0)
			return off;
	}
	off = strtab__find(tab->strs, s);
	return off < 0 ? off : off + tab->str_start;
}

long btf_table__add_str(struct btf_table *tab, const char *s)
{
	long off;

	if (!s || !*s)
		return 0;
	if (tab->base) {
		off = btf_table__find_str(tab->base, s);
		if (off >= 0)
			return off;
	}
	off = strtab__add(tab->strs, s);
	if (off < 0)
		return off;
	off += tab->str_start;
	return off >= INT32_MAX ? -E2BIG : off;
}

const void *btf_table__types_data(const struct btf_table *tab, size_t *len)
{
	*len = tab->types_len;
	return tab->types;
}

const char *btf_table__strs_data(const struct btf_table *tab, size_t *len)
{
	return strtab__data(tab->strs, len);
}

/*
 * Append a zeroed record of @size bytes as a new type; returns its ID and
 * the record through @out.
 */
static int btf_table_new_rec(struct btf_table *tab, size_t size,
			     struct btf_type **out)
{
	int err;

	/* IDs stay below 2^31 so adders can return them as int; the BTF
	 * limits (BTF_MAX_TYPE) apply to what is written, not to a table
	 * that still holds one copy of each type per compilation unit */
	if (btf_table__type_cnt(tab) >= INT32_MAX)
		return -E2BIG;
	if (tab->types_len + size > UINT32_MAX)
		return -E2BIG;
	err = util__ensure_cap((void **)&tab->types, &tab->types_cap, 1,
			       tab->types_len + size);
	if (!err)
		err = util__ensure_cap((void **)&tab->offs, &tab->offs_cap,
				       sizeof(*tab->offs), tab->nr + 1);
	if (err)
		return err;
	*out = (struct btf_type *)(tab->types + tab->types_len);
	memset(*out, 0, size);
	tab->offs[tab->nr] = tab->types_len;
	tab->types_len += size;
	return tab->start_id + tab->nr++;
}

/* Make room for one more vlen item of @item_sz bytes after the last type. */
static int btf_table_grow_last(struct btf_table *tab, unsigned int kind,
			       size_t item_sz, void **item)
{
	struct btf_type *t;
	int err;

	if (!tab->nr)
		return -EINVAL;
	t = btf_table__type_mut(tab, btf_table__type_cnt(tab) - 1);
	if (btf_kind(t) != kind && !(kind == BTF_KIND_STRUCT && btf_is_composite(t)))
		return -EINVAL;
	if (btf_vlen(t) == BTF_MAX_VLEN)
		return -E2BIG;
	if (tab->types_len + item_sz > UINT32_MAX)
		return -E2BIG;
	err = util__ensure_cap((void **)&tab->types, &tab->types_cap, 1,
			       tab->types_len + item_sz);
	if (err)
		return err;
	t = btf_table__type_mut(tab, btf_table__type_cnt(tab) - 1);
	t->info++;	/* vlen is the low 16 bits and was below the max */
	*item = tab->types + tab->types_len;
	memset(*item, 0, item_sz);
	tab->types_len += item_sz;
	return 0;
}

static struct btf_type *btf_table_last(struct btf_table *tab)
{
	return btf_table__type_mut(tab, btf_table__type_cnt(tab) - 1);
}

/* Add a record with no kind data beyond @extra bytes; fill the header. */
static int btf_table_add_simple(struct btf_table *tab, unsigned int kind,
				const char *name, uint32_t size_or_type,
				unsigned int vlen, bool kflag, size_t extra)
{
	struct btf_type *t;
	long name_off = btf_table__add_str(tab, name);
	int id;

	if (name_off < 0)
		return name_off;
	id = btf_table_new_rec(tab, sizeof(*t) + extra, &t);
	if (id < 0)
		return id;
	t->name_off = name_off;
	t->info = btf_info(kind, vlen, kflag);
	t->size = size_or_type;
	return id;
}

int btf_table__add_int(struct btf_table *tab, const char *name, uint32_t size,
		       unsigned int encoding, unsigned int bits)
{
	int id;

	if (!name || !*name || bits > 128 || bits > size * 8 || encoding > 7)
		return -EINVAL;
	id = btf_table_add_simple(tab, BTF_KIND_INT, name, size, 0, false, 4);
	if (id > 0)
		*(uint32_t *)(btf_table_last(tab) + 1) = encoding << 24 | bits;
	return id;
}

int btf_table__add_float(struct btf_table *tab, const char *name, uint32_t size)
{
	if (!name || !*name)
		return -EINVAL;
	return btf_table_add_simple(tab, BTF_KIND_FLOAT, name, size, 0, false, 0);
}

int btf_table__add_ref(struct btf_table *tab, unsigned int kind,
		       const char *name, uint32_t type)
{
	switch (kind) {
	case BTF_KIND_PTR: case BTF_KIND_VOLATILE: case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
		break;
	case BTF_KIND_TYPEDEF: case BTF_KIND_TYPE_TAG:
		if (!name || !*name)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	return btf_table_add_simple(tab, kind, name, type, 0, false, 0);
}

int btf_table__add_fwd(struct btf_table *tab, const char *name, bool is_union)
{
	if (!name || !*name)
		return -EINVAL;
	return btf_table_add_simple(tab, BTF_KIND_FWD, name, 0, 0, is_union, 0);
}

int btf_table__add_array(struct btf_table *tab, uint32_t elem, uint32_t index,
			 uint32_t nelems)
{
	int id = btf_table_add_simple(tab, BTF_KIND_ARRAY, NULL, 0, 0, false,
				      sizeof(struct btf_array));
	struct btf_array *a;

	if (id < 0)
		return id;
	a = btf_array(btf_table_last(tab));
	a->type = elem;
	a->index_type = index;
	a->nelems = nelems;
	return id;
}

int btf_table__add_composite(struct btf_table *tab, unsigned int kind,
			     const char *name, uint32_t size)
{
	if (kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION)
		return -EINVAL;
	return btf_table_add_simple(tab, kind, name, size, 0, false, 0);
}

int btf_table__add_member(struct btf_table *tab, const char *name,
			  uint32_t type, uint32_t bit_off, uint32_t bitfield_sz)
{
	long name_off = btf_table__add_str(tab, name);
	struct btf_member *m;
	struct btf_type *t;
	unsigned int i;
	int err;

	if (name_off < 0)
		return name_off;
	if (bitfield_sz > 255)
		return -EINVAL;
	err = btf_table_grow_last(tab, BTF_KIND_STRUCT, sizeof(*m), (void **)&m);
	if (err)
		return err;
	t = btf_table_last(tab);
	m->name_off = name_off;
	m->type = type;
	m->offset = bit_off;
	if (bitfield_sz && !btf_kflag(t)) {
		/* switch to the kind_flag encoding: offsets must fit 24 bits */
		for (i = 0; i < btf_vlen(t); i++)
			if (btf_members(t)[i].offset > 0xffffff)
				return -E2BIG;
		t->info |= 1u << 31;
	}
	if (btf_kflag(t)) {
		if (bit_off > 0xffffff)
			return -E2BIG;
		m->offset = bitfield_sz << 24 | bit_off;
	}
	return 0;
}

int btf_table__add_enum(struct btf_table *tab, unsigned int kind,
			const char *name, uint32_t size, bool is_signed)
{
	if (kind != BTF_KIND_ENUM && kind != BTF_KIND_ENUM64)
		return -EINVAL;
	return btf_table_add_simple(tab, kind, name, size, 0, is_signed, 0);
}

int btf_table__add_enum_value(struct btf_table *tab, const char *name,
			      int64_t value)
{
	long name_off = btf_table__add_str(tab, name);
	struct btf_type *t;
	int err;

	if (name_off <= 0)
		return name_off ? name_off : -EINVAL;
	if (!tab->nr)
		return -EINVAL;
	t = btf_table_last(tab);
	if (btf_kind(t) == BTF_KIND_ENUM64) {
		struct btf_enum64 *e;

		err = btf_table_grow_last(tab, BTF_KIND_ENUM64, sizeof(*e), (void **)&e);
		if (err)
			return err;
		e->name_off = name_off;
		e->val_lo32 = (uint32_t)value;
		e->val_hi32 = (uint64_t)value >> 32;
	} else {
		struct btf_enum *e;

		if (value < INT32_MIN || value > UINT32_MAX)
			return -ERANGE;
		err = btf_table_grow_last(tab, BTF_KIND_ENUM, sizeof(*e), (void **)&e);
		if (err)
			return err;
		e->name_off = name_off;
		e->val = (int32_t)(uint32_t)value;
	}
	return 0;
}

int btf_table__add_func_proto(struct btf_table *tab, uint32_t ret)
{
	return btf_table_add_simple(tab, BTF_KIND_FUNC_PROTO, NULL, ret, 0,
				    false, 0);
}

int btf_table__add_param(struct btf_table *tab, const char *name, uint32_t type)
{
	long name_off = btf_table__add_str(tab, name);
	struct btf_param *p;
	int err;

	if (name_off < 0)
		return name_off;
	err = btf_table_grow_last(tab, BTF_KIND_FUNC_PROTO, sizeof(*p), (void **)&p);
	if (err)
		return err;
	p->name_off = name_off;
	p->type = type;
	return 0;
}

int btf_table__add_func(struct btf_table *tab, const char *name,
			enum btf_linkage linkage, uint32_t proto)
{
	if (!name || !*name || linkage > BTF_LINKAGE_EXTERN)
		return -EINVAL;
	return btf_table_add_simple(tab, BTF_KIND_FUNC, name, proto, linkage,
				    false, 0);
}

int btf_table__add_var(struct btf_table *tab, const char *name, uint32_t type,
		       enum btf_linkage linkage)
{
	int id;

	if (!name || !*name || linkage > BTF_LINKAGE_EXTERN)
		return -EINVAL;
	id = btf_table_add_simple(tab, BTF_KIND_VAR, name, type, 0, false,
				  sizeof(struct btf_var));
	if (id > 0)
		btf_var(btf_table_last(tab))->linkage = linkage;
	return id;
}

int btf_table__add_datasec(struct btf_table *tab, const char *name,
			   uint32_t size)
{
	if (!name || !*name)
		return -EINVAL;
	return btf_table_add_simple(tab, BTF_KIND_DATASEC, name, size, 0, false, 0);
}

int btf_table__add_secinfo(struct btf_table *tab, uint32_t var,
			   uint32_t offset, uint32_t size)
{
	struct btf_var_secinfo *v;
	int err;

	err = btf_table_grow_last(tab, BTF_KIND_DATASEC, sizeof(*v), (void **)&v);
	if (err)
		return err;
	v->type = var;
	v->offset = offset;
	v->size = size;
	return 0;
}

int btf_table__add_decl_tag(struct btf_table *tab, const char *value,
			    uint32_t type, int component_idx)
{
	int id;

	if (!value || !*value || component_idx < -1)
		return -EINVAL;
	id = btf_table_add_simple(tab, BTF_KIND_DECL_TAG, value, type, 0, false,
				  sizeof(struct btf_decl_tag));
	if (id > 0)
		btf_decl_tag(btf_table_last(tab))->component_idx = component_idx;
	return id;
}

int btf_table__add_raw(struct btf_table *tab, const struct btf_type *t)
{
	long data_sz = btf_kind_data_size(btf_kind(t), btf_vlen(t));
	struct btf_type *dst;
	int id;

	if (data_sz < 0 || btf_kind(t) == BTF_KIND_UNKN)
		return -EINVAL;
	id = btf_table_new_rec(tab, sizeof(*t) + data_sz, &dst);
	if (id > 0)
		memcpy(dst, t, sizeof(*t) + data_sz);
	return id;
}

int btf_table__add_raw_run(struct btf_table *tab, const struct btf_table *src,
			   uint32_t first, uint32_t n)
{
	size_t i, start, end, delta;
	uint32_t id;
	int err;

	if (!n || first < src->start_id || first - src->start_id > src->nr ||
	    n > src->nr - (first - src->start_id))
		return -EINVAL;
	i = first - src->start_id;
	start = src->offs[i];
	end = i + n < src->nr ? src->offs[i + n] : src->types_len;
	if (btf_table__type_cnt(tab) + (uint64_t)n >= INT32_MAX ||
	    tab->types_len + (end - start) > UINT32_MAX)
		return -E2BIG;
	err = util__ensure_cap((void **)&tab->types, &tab->types_cap, 1,
			       tab->types_len + (end - start));
	if (!err)
		err = util__ensure_cap((void **)&tab->offs, &tab->offs_cap,
				       sizeof(*tab->offs), tab->nr + n);
	if (err)
		return err;
	memcpy(tab->types + tab->types_len, src->types + start, end - start);
	delta = tab->types_len - start;
	for (id = 0; id < n; id++)
		tab->offs[tab->nr + id] = src->offs[i + id] + delta;
	tab->types_len += end - start;
	id = tab->start_id + tab->nr;
	tab->nr += n;
	return id;
}

/* Add every record of a native-endian type section, checking bounds only. */
static int btf_table_add_records(struct btf_table *tab, const char *types,
				 size_t len)
{
	const struct btf_type *t;
	size_t off = 0;
	long data_sz;
	int id;

	while (off < len) {
		if (len - off < sizeof(*t))
			return -EINVAL;
		t = (const struct btf_type *)(types + off);
		data_sz = btf_kind_data_size(btf_kind(t), btf_vlen(t));
		if (data_sz < 0 || (size_t)data_sz > len - off - sizeof(*t))
			return -EINVAL;
		id = btf_table__add_raw(tab, t);
		if (id < 0)
			return id;
		off += sizeof(*t) + data_sz;
	}
	return 0;
}

struct btf_table *btf_table__from_raw_sections(const void *types,
					       size_t types_len,
					       const char *strs,
					       size_t strs_len,
					       const struct btf_table *base)
{
	struct btf_table *tab = NULL;
	struct strtab *s = NULL;
	int err = -EINVAL;

	/* a base set names "" by offset 0; a split set continues the base's */
	if ((uintptr_t)types % 4 || (!base && (!strs_len || strs[0])))
		goto err;
	s = strtab__from_data(strs, strs_len);
	if (!s) {
		err = -errno;
		goto err;
	}
	tab = btf_table_alloc(base);
	if (!tab) {
		err = -ENOMEM;
		goto err;
	}
	strtab__free(tab->strs);
	tab->strs = s;
	s = NULL;
	/* one allocation for the records: the section size is exact */
	err = util__ensure_cap((void **)&tab->types, &tab->types_cap, 1,
			       types_len);
	if (!err)
		err = btf_table_add_records(tab, types, types_len);
	if (!err)
		return tab;
err:
	strtab__free(s);
	btf_table__free(tab);
	errno = -err;
	return NULL;
}

struct copy_ctx {
	struct btf_table *dst;
	const struct btf_table *src;
	uint32_t (*map_id)(uint32_t id, void *ctx);
	void *map_ctx;
};

static int copy_str(uint32_t *off, void *ctx)
{
	struct copy_ctx *c = ctx;
	const char *s = btf_table__str(c->src, *off);
	long n;

	if (!s)
		return -EINVAL;
	n = btf_table__add_str(c->dst, s);
	if (n < 0)
		return n;
	*off = n;
	return 0;
}

static int copy_id(uint32_t *id, void *ctx)
{
	struct copy_ctx *c = ctx;

	*id = c->map_id(*id, c->map_ctx);
	return 0;
}

int btf_table__add_copy(struct btf_table *tab, const struct btf_table *src,
			uint32_t src_id,
			uint32_t (*map_id)(uint32_t id, void *ctx), void *ctx)
{
	struct copy_ctx c = { tab, src, map_id, ctx };
	const struct btf_type *t = btf_table__type(src, src_id);
	int id, err;

	if (!t || !src_id)
		return -EINVAL;
	id = btf_table__add_raw(tab, t);
	if (id < 0)
		return id;
	/* the record lives in tab->types; adding strings never moves it */
	err = btf_rec__visit_strs(btf_table__type_mut(tab, id), copy_str, &c);
	if (!err && map_id)
		err = btf_rec__visit_ids(btf_table__type_mut(tab, id), copy_id, &c);
	if (err) {
		tab->nr--;
		tab->types_len = tab->offs[tab->nr];
		return err;
	}
	return id;
}

void btf_table__count_kinds(const struct btf_table *tab, uint32_t *counts)
{
	uint32_t id;

	memset(counts, 0, BTF_KIND_NR * sizeof(*counts));
	for (id = tab->start_id; id < btf_table__type_cnt(tab); id++)
		counts[btf_kind(btf_table__type(tab, id))]++;
}

/* "X___Y" where X and Y are not underscores: the flavor separator */
static bool btf_is_flavor_sep(const char *s)
{
	return s[0] != '_' && s[1] == '_' && s[2] == '_' && s[3] == '_' &&
	       s[4] != '_';
}

size_t btf__essential_len(const char *name)
{
	size_t n = strlen(name), i;

	for (i = n >= 5 ? n - 5 + 1 : 0; i-- > 0;)
		if (btf_is_flavor_sep(name + i))
			return i + 1;
	return n;
}
