// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "btf_compat.h"
#include "btf_features.h"

/* Per own type: its new ID, or REMOVED, or (for a dropped TYPE_TAG) the old
 * ID it forwards to, resolved lazily. */
struct compat_ctx {
	struct btf_table *tab;
	unsigned int features;
	uint32_t *new_id;	/* index: old ID - start */
	uint8_t *state;		/* 0 kept, 1 forwarded, 2 removed */
};

enum { KEPT, FORWARD, REMOVED };

static int compat_state(const struct btf_type *t, unsigned int features)
{
	switch (btf_kind(t)) {
	case BTF_KIND_DECL_TAG:
		return features & BTF_FEAT_DECL_TAG ? KEPT : REMOVED;
	case BTF_KIND_TYPE_TAG:
		return features & BTF_FEAT_TYPE_TAG ? KEPT : FORWARD;
	case BTF_KIND_VAR: case BTF_KIND_DATASEC:
		return features & (BTF_FEAT_VAR | BTF_FEAT_GLOBAL_VAR) ? KEPT : REMOVED;
	default:
		return KEPT;
	}
}

static uint32_t compat_map(uint32_t id, void *arg)
{
	struct compat_ctx *c = arg;
	uint32_t start = btf_table__start_id(c->tab), hops = 0;

	/* follow dropped TYPE_TAGs; a cycle of them cannot pass the check,
	 * but stay bounded anyway */
	while (id >= start && c->state[id - start] == FORWARD && hops++ <= btf_table__nr_own(c->tab))
		id = btf_table__type(c->tab, id)->type;
	if (id < start)
		return id;
	return c->new_id[id - start];
}

static int compat_enum64(struct btf_table *dst, const struct btf_table *src,
			 uint32_t id)
{
	const struct btf_type *t = btf_table__type(src, id);
	bool is_signed = btf_kflag(t);
	unsigned int i, vlen = btf_vlen(t);
	char name[512];
	int err = btf_table__add_enum(dst, BTF_KIND_ENUM, btf_table__str(src, t->name_off),
				      t->size, is_signed);

	for (i = 0; err >= 0 && i < vlen; i++) {
		const struct btf_enum64 *e = &btf_enums64(t)[i];
		const char *n = btf_table__str(src, e->name_off);
		uint64_t v = btf_enum64_value(e);
		bool fits = is_signed ? (int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX
				      : v <= UINT32_MAX;

		if (fits) {
			err = btf_table__add_enum_value(dst, n, (int64_t)v);
			continue;
		}
		snprintf(name, sizeof(name), "%s__lo32", n);
		err = btf_table__add_enum_value(dst, name, (uint32_t)v);
		snprintf(name, sizeof(name), "%s__hi32", n);
		if (!err)
			err = btf_table__add_enum_value(dst, name, (uint32_t)(v >> 32));
	}
	return err < 0 ? err : 0;
}

static int compat_copy(struct compat_ctx *c, struct btf_table *dst, uint32_t id)
{
	const struct btf_type *t = btf_table__type(c->tab, id);
	int nid;

	if (btf_kind(t) == BTF_KIND_ENUM64 && !(c->features & BTF_FEAT_ENUM64))
		return compat_enum64(dst, c->tab, id);
	if (btf_kind(t) == BTF_KIND_FLOAT && !(c->features & BTF_FEAT_FLOAT))
		nid = btf_table__add_int(dst, btf_table__str(c->tab, t->name_off),
					 t->size, 0, t->size * 8);
	else
		nid = btf_table__add_copy(dst, c->tab, id, compat_map, c);
	return nid < 0 ? nid : 0;
}

bool btf_compat__needed(const struct btf_table *tab, unsigned int features)
{
	const unsigned int all = BTF_FEAT_DECL_TAG | BTF_FEAT_TYPE_TAG |
				 BTF_FEAT_VAR | BTF_FEAT_FLOAT | BTF_FEAT_ENUM64;
	uint32_t id;

	/* every kind allowed: nothing to look at (compat_state keeps all) */
	if ((features & all) == all)
		return false;

	for (id = btf_table__start_id(tab); id < btf_table__type_cnt(tab); id++) {
		const struct btf_type *t = btf_table__type(tab, id);

		if (compat_state(t, features) != KEPT ||
		    (btf_kind(t) == BTF_KIND_FLOAT && !(features & BTF_FEAT_FLOAT)) ||
		    (btf_kind(t) == BTF_KIND_ENUM64 && !(features & BTF_FEAT_ENUM64)))
			return true;
	}
	return false;
}

int btf_compat__apply(struct btf_table *tab, unsigned int features)
{
	uint32_t start = btf_table__start_id(tab), n = btf_table__nr_own(tab), i, next;
	struct compat_ctx c = { tab, features, NULL, NULL };
	struct btf_table *dst = NULL;
	int err = -ENOMEM;

	if (!btf_compat__needed(tab, features))
		return 0;
	c.new_id = calloc(n ? n : 1, sizeof(*c.new_id));
	c.state = calloc(n ? n : 1, 1);
	dst = btf_table__base(tab) ? btf_table__new_split(btf_table__base(tab))
				   : btf_table__new();
	if (!c.new_id || !c.state || !dst)
		goto out;
	next = start;
	for (i = 0; i < n; i++) {
		c.state[i] = compat_state(btf_table__type(tab, start + i), features);
		if (c.state[i] == KEPT)
			c.new_id[i] = next++;
	}
	err = 0;
	for (i = 0; i < n && !err; i++) {
		if (c.state[i] != KEPT)
			continue;
		err = compat_copy(&c, dst, start + i);
	}
	if (!err)
		err = btf_table__move(tab, dst);
	if (!err)
		dst = NULL;
out:
	btf_table__free(dst);
	free(c.new_id);
	free(c.state);
	return err;
}
