// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Split tables: no type of the split may repeat a type of its base.
 *
 * The passes map a split type to the base only where a walk of the two
 * type graphs pairs them, by libbpf's rules for split BTF.  A unit can
 * hold two complete copies of one set of types (clang's ThinLTO imports
 * leave them: ipv6.ko's first unit has two of struct kernel_param, its ops
 * and their prototypes, each copy referring only to itself), and the walks
 * then leave the second copy in the split although, once the first is
 * mapped, its records are the base's record for record.  Such a record is
 * the base type repeated: it is mapped to the base and the table compacted
 * again, until none is left, since mapping a struct makes the pointers and
 * qualifiers over it equal to the base's too.
 *
 * Records are compared whole: kind, size or referent, every member's type
 * and offset, and names by their strings (a split record may name a
 * string of its own that the base also has).  Equal records describe the
 * same type.  VAR and DATASEC name objects, never merged.  A table
 * without base, or whose split repeats nothing, is left as it is.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "dedup_int.h"
#include "util.h"

struct repeats {
	struct btf_table *tab;
	const struct btf_table *base;
	uint32_t start;		/* first own ID */
	uint32_t str_start;	/* first own string offset */
	struct hmap *own;	/* hash of an own record -> its ID (multimap) */
	uint32_t *map;		/* own ID - start -> base ID, or 0 */
	char *buf;		/* own records, their strings made the base's */
	size_t len;
	size_t cap;
	uint32_t *at;		/* own ID - start -> its record in buf */
};

static bool repeats_kind(const struct btf_type *t)
{
	return btf_kind(t) != BTF_KIND_VAR && btf_kind(t) != BTF_KIND_DATASEC;
}

/* An own string offset becomes the base's offset of that string, if any */
static int repeats_str(uint32_t *off, void *ctx)
{
	struct repeats *r = ctx;
	long b;

	if (*off < r->str_start)
		return 0;
	b = btf_table__find_str(r->base, btf_table__str(r->tab, *off));
	if (b > 0)
		*off = b;
	return 0;
}

/*
 * Own record @i with its strings made the base's, appended to r->buf, and
 * indexed by its hash
 */
static int repeats_add(struct repeats *r, uint32_t i)
{
	const struct btf_type *t = btf_table__type(r->tab, r->start + i);
	size_t len = btf_rec_size(t);
	struct btf_type *c;

	if (!repeats_kind(t))
		return 0;
	if (util__ensure_cap((void **)&r->buf, &r->cap, 1, r->len + len))
		return -ENOMEM;
	c = (struct btf_type *)(r->buf + r->len);
	memcpy(c, t, len);
	btf_rec__visit_strs(c, repeats_str, r);
	r->at[i] = r->len;
	r->len += len;
	return hmap__insert(r->own, hmap_hash_bytes(c, len, 0), i, HMAP_APPEND,
			    NULL);
}

/*
 * Every base record against the own ones: an own record equal to one is
 * mapped to the first such base type.  The base is hashed record by
 * record once a round, the own records are what is indexed: a module has
 * far fewer types than its kernel.
 */
static void repeats_match(struct repeats *r, uint32_t *found)
{
	uint32_t id, n = btf_table__type_cnt(r->base);
	const struct btf_type *b;
	size_t len, pos;
	long i;

	for (id = 1; id < n; id++) {
		b = btf_table__type(r->base, id);
		if (!repeats_kind(b))
			continue;
		len = btf_rec_size(b);
		pos = 0;
		while (hmap__next_match(r->own, hmap_hash_bytes(b, len, 0),
					&pos, &i)) {
			if (r->map[i] || btf_rec_size((const struct btf_type *)
						      (r->buf + r->at[i])) != len ||
			    memcmp(r->buf + r->at[i], b, len))
				continue;
			r->map[i] = id;
			(*found)++;
		}
	}
}

static uint32_t repeats_new_id(uint32_t id, void *ctx)
{
	const struct repeats *r = ctx;

	return id < r->start ? id : r->map[id - r->start];
}

/*
 * The own types that repeat no base type, referring to the base where the
 * others did, into a new table that replaces r->tab's contents
 */
static int repeats_compact(struct repeats *r, uint32_t nr)
{
	struct btf_table *out = btf_table__new_split(r->base);
	uint32_t i, next = r->start;
	int err = out ? 0 : -ENOMEM;

	/* map[] becomes old ID -> new ID, base IDs kept */
	for (i = 0; i < nr; i++)
		if (!r->map[i])
			r->map[i] = next++;
	for (i = 0; i < nr && !err; i++) {
		int id;

		if (r->map[i] < r->start)
			continue;
		id = btf_table__add_copy(out, r->tab, r->start + i,
					 repeats_new_id, r);
		err = id < 0 ? id : 0;
	}
	if (!err)
		err = btf_table__move(r->tab, out);
	else
		btf_table__free(out);
	return err;
}

/* One round: 1 when some own type repeated a base type, 0, or -errno */
static int repeats_round(struct repeats *r)
{
	uint32_t i, nr = btf_table__nr_own(r->tab), found = 0;
	int err = 0;

	free(r->map);
	free(r->at);
	hmap__free(r->own);
	r->len = 0;
	r->map = calloc(nr ? nr : 1, sizeof(*r->map));
	r->at = calloc(nr ? nr : 1, sizeof(*r->at));
	r->own = hmap__new(hmap_hash_identity, hmap_equal_long, NULL);
	if (!r->map || !r->at || !r->own)
		return -ENOMEM;
	r->str_start = btf_table__str_start(r->tab);
	for (i = 0; i < nr && !err; i++)
		err = repeats_add(r, i);
	if (!err)
		repeats_match(r, &found);
	if (err || !found)
		return err;
	err = repeats_compact(r, nr);
	return err ? err : 1;
}

int dedup_split_repeats(struct btf_table *tab)
{
	struct repeats r = { .tab = tab, .base = btf_table__base(tab) };
	int err;

	if (!r.base || !btf_table__nr_own(tab))
		return 0;
	r.start = btf_table__start_id(tab);
	/* a round that maps something asks for another */
	while ((err = repeats_round(&r)) == 1)
		;
	hmap__free(r.own);
	free(r.map);
	free(r.at);
	free(r.buf);
	return err;
}
