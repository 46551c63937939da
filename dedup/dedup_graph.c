// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Pass 3 of dedup: structs and unions by type-graph equivalence.  The
 * essay at the top of dedup.c describes the rules; the "candidate" is the
 * struct being deduplicated (and the types its graph reaches), "canon" the
 * canonical struct it is compared with (and its graph).
 */
#include <errno.h>
#include <stdlib.h>

#include "dedup_int.h"

static unsigned int dedup_kind(const struct dedup *d, uint32_t id)
{
	return btf_kind(dedup_type(d, id));
}

/* The candidate side keeps its FWDs: resolve only among FWDs there. */
static uint32_t dedup_resolve_cand(const struct dedup *d, uint32_t id)
{
	uint32_t next;

	if (dedup_kind(d, id) != BTF_KIND_FWD)
		return dedup_resolve(d, id);
	while ((next = d->map[id]) < DEDUP_BUSY && next != id &&
	       dedup_kind(d, next) == BTF_KIND_FWD)
		id = next;
	return id;
}

/*
 * The types a walk pairs in place of @id: on the canonical side resolved,
 * on the candidate side resolved but for its FWDs.  A split table has the
 * rules of the kernel build's dedup (see "Split tables" in dedup.c): the
 * candidate side as it is, and on the canonical side only a FWD resolves,
 * to the struct it stands for, if any.
 */
static uint32_t dedup_walk_canon(const struct dedup *d, uint32_t id)
{
	uint32_t r;

	if (!dedup_is_split(d))
		return dedup_resolve(d, id);
	if (dedup_kind(d, id) != BTF_KIND_FWD)
		return id;
	r = dedup_resolve(d, id);
	return dedup_kind(d, r) == BTF_KIND_FWD ? id : r;
}

static uint32_t dedup_walk_cand(const struct dedup *d, uint32_t id)
{
	return dedup_is_split(d) ? id : dedup_resolve_cand(d, id);
}

static void dedup_hypot_clear(struct dedup *d)
{
	size_t i;

	for (i = 0; i < d->hypot_keys.cnt; i++)
		d->hypot[d->hypot_keys.v[i]] = DEDUP_NONE;
	d->hypot_keys.cnt = 0;
}

static int dedup_hypot_add(struct dedup *d, uint32_t canon, uint32_t cand)
{
	int err = dedup_ids_push(&d->hypot_keys, canon);

	if (!err)
		d->hypot[canon] = cand;
	return err;
}

/*
 * Two distinct canonical structs have different keys, or were told apart
 * when the later one became canonical: they meet only to differ again.
 * Not so a split struct kept apart from a base struct only because it
 * defines what the base declares: with that FWD resolved since, the two
 * are equivalent to every later comparison.
 */
static bool dedup_known_apart(const struct dedup *d, uint32_t a, uint32_t b)
{
	return btf_is_composite(dedup_type(d, a)) && dedup_is_canon(d, a) &&
	       dedup_is_canon(d, b) && !dedup_is_adjusted(d, a) &&
	       !dedup_is_adjusted(d, b);
}

/* 1 when the pair was assumed identical already, 0 when assumed now */
static int dedup_assume(struct hmap **seen, uint32_t a, uint32_t b)
{
	int err;

	if (!*seen) {
		*seen = hmap__new(hmap_hash_identity, hmap_equal_long, NULL);
		if (!*seen)
			return -ENOMEM;
	}
	err = hmap__insert(*seen, (long)((uint64_t)a << 32 | b), 0, HMAP_ADD,
			   NULL);
	return err == -EEXIST ? 1 : err;
}

/* A FWD and the struct or union it declares */
static bool dedup_fwd_names(const struct btf_type *fwd,
			    const struct btf_type *real)
{
	return btf_kind(fwd) == BTF_KIND_FWD && fwd->name_off == real->name_off &&
	       btf_kind(real) == (btf_kflag(fwd) ? BTF_KIND_UNION : BTF_KIND_STRUCT);
}

static int dedup_identical_step(struct dedup *d, struct hmap **seen,
				uint32_t a, uint32_t b)
{
	const struct btf_type *ta, *tb;
	int err;

	a = dedup_resolve(d, a);
	b = dedup_resolve(d, b);
	if (a == b)
		return 1;
	ta = dedup_type(d, a);
	tb = dedup_type(d, b);
	/* one CU may declare a struct it also defines */
	if (dedup_fwd_names(ta, tb) || dedup_fwd_names(tb, ta))
		return 1;
	if (!dedup_shallow_equal(ta, tb) || dedup_known_apart(d, a, b))
		return 0;
	err = dedup_assume(seen, a, b);
	if (err)
		return err < 0 ? err : 1;
	err = dedup_push_refs(&d->ident_stack, ta, tb);
	return err ? err : 1;
}

/*
 * 1 when candidate-side types @a and @b are the same type exactly (no FWD
 * resolution), 0 when not, -errno.  Pairs under comparison are assumed
 * identical, so cycles end.
 */
static int dedup_identical(struct dedup *d, uint32_t a, uint32_t b)
{
	struct dedup_pairs *s = &d->ident_stack;
	struct hmap *seen = NULL;
	struct dedup_pair p;
	int ret;

	s->cnt = 0;
	ret = dedup_pairs_push(s, a, b);
	if (ret)
		return ret;
	do {
		p = s->v[--s->cnt];
		ret = dedup_identical_step(d, &seen, p.cand, p.canon);
	} while (ret > 0 && s->cnt);
	hmap__free(seen);
	return ret;
}

/*
 * A FWD meets a type of its name, at least one of them a FWD.  A base FWD
 * still unresolved that meets a definition would have to resolve to it: the
 * comparison only records that (dedup_try).
 */
static bool dedup_fwd_compat(struct dedup *d, uint32_t cand, uint32_t canon)
{
	const struct btf_type *tc = dedup_type(d, cand);
	const struct btf_type *tk = dedup_type(d, canon);

	if (btf_kind(tc) == BTF_KIND_FWD && btf_kind(tk) == BTF_KIND_FWD)
		return btf_kflag(tc) == btf_kflag(tk);
	if (dedup_fwd_names(tk, tc)) {
		if (canon < d->start_id)
			d->adjust = true;
		return true;
	}
	return dedup_fwd_names(tc, tk);
}

static bool dedup_is_enum_fwd_pair(const struct btf_type *a,
				   const struct btf_type *b)
{
	return btf_is_any_enum(a) && btf_is_any_enum(b) &&
	       (!btf_vlen(a) || !btf_vlen(b));
}

/* Compare a new pair; push the pairs of its referents. */
static int dedup_equiv_types(struct dedup *d, uint32_t cand, uint32_t canon)
{
	const struct btf_type *tc = dedup_type(d, cand);
	const struct btf_type *tk = dedup_type(d, canon);

	if (tc->name_off != tk->name_off)
		return 0;
	if (btf_kind(tc) == BTF_KIND_FWD || btf_kind(tk) == BTF_KIND_FWD)
		return dedup_fwd_compat(d, cand, canon);
	/* an enum forward declaration stands for any enum of its name */
	if (dedup_is_enum_fwd_pair(tc, tk))
		return 1;
	if (!dedup_shallow_equal(tc, tk) || dedup_known_apart(d, cand, canon))
		return 0;
	return dedup_push_refs(&d->stack, tc, tk) ? -ENOMEM : 1;
}

static int dedup_equiv_step(struct dedup *d, uint32_t cand, uint32_t canon)
{
	uint32_t seen;
	int err;

	if (dedup_resolve(d, cand) == dedup_resolve(d, canon))
		return 1;
	cand = dedup_walk_cand(d, cand);
	canon = dedup_walk_canon(d, canon);
	seen = d->hypot[canon];
	if (seen != DEDUP_NONE)
		return seen == cand ? 1 : dedup_identical(d, seen, cand);
	err = dedup_hypot_add(d, canon, cand);
	return err ? err : dedup_equiv_types(d, cand, canon);
}

/* 1 when the graphs of @cand and @canon are equivalent, 0 when not */
static int dedup_equiv(struct dedup *d, uint32_t cand, uint32_t canon)
{
	struct dedup_pairs *s = &d->stack;
	struct dedup_pair p;
	int ret;

	s->cnt = 0;
	ret = dedup_pairs_push(s, cand, canon);
	if (ret)
		return ret;
	do {
		p = s->v[--s->cnt];
		ret = dedup_equiv_step(d, p.cand, p.canon);
	} while (ret > 0 && s->cnt);
	return ret;
}

/*
 * Record what a successful comparison established; after one that met an
 * unresolved base FWD with a definition, only the FWDs it resolved.
 */
static void dedup_merge_pair(struct dedup *d, uint32_t canon, uint32_t cand)
{
	uint32_t c = dedup_resolve(d, canon), t = dedup_resolve(d, cand);
	const struct btf_type *tc = dedup_type(d, c), *tt = dedup_type(d, t);

	if (c == t)
		return;
	/*
	 * A canonical-side FWD resolves to the struct it met; a base FWD
	 * only once, and only for the split types that use its ID.
	 */
	if (btf_kind(tc) == BTF_KIND_FWD && btf_is_composite(tt)) {
		d->map[c] = t;
		return;
	}
	if (d->adjust)
		return;
	/*
	 * A FWD of the candidate's CU means what it met (in a split table the
	 * first FWD like it does, maybe a base FWD, which resolves likewise).
	 */
	if (btf_kind(tt) == BTF_KIND_FWD && btf_is_composite(tc))
		d->map[t] = c;
	else if (t < d->start_id)
		return;
	else if (btf_kind(tt) == BTF_KIND_FWD && btf_kind(tc) == BTF_KIND_FWD)
		d->map[t] = c;
	else if (btf_is_composite(tt) && btf_is_composite(tc) &&
		 d->map[t] == DEDUP_NONE && dedup_is_canon(d, c))
		d->map[t] = c;
}

/*
 * 1 when @id is equivalent to canonical @cand (and merged), 0 when not;
 * d->adjust set when it is equivalent only once a base FWD resolves.
 */
static int dedup_try(struct dedup *d, uint32_t id, uint32_t cand)
{
	uint32_t k;
	size_t i;
	int eq;

	dedup_hypot_clear(d);
	d->adjust = false;
	eq = dedup_equiv(d, id, cand);
	if (eq <= 0) {
		d->adjust = false;	/* set on the way, means nothing */
		return eq;
	}
	for (i = 0; i < d->hypot_keys.cnt; i++) {
		k = d->hypot_keys.v[i];
		dedup_merge_pair(d, k, d->hypot[k]);
	}
	return !d->adjust;
}

/*
 * The canonical structs chained from @head (added in ID order, the last is
 * *@tail) in the order to try them: d->cands.v from *@first on.  That is
 * the chain's order, but in a split table the one of dedup_order_add.
 */
static int dedup_cands(struct dedup *d, uint32_t head, size_t *first,
		       uint32_t *tail)
{
	struct dedup_ids *c = &d->cands;
	unsigned char now = d->order_odd ? DEDUP_ODD : 0;
	uint32_t id;
	size_t i, n;
	int err = 0;

	c->cnt = 0;
	for (id = head; id && !err; id = dedup_next(d, id))
		err = dedup_ids_push(c, id);
	if (err)
		return err;
	n = c->cnt;
	*tail = c->v[n - 1];
	*first = dedup_is_split(d) ? n : 0;
	if (!dedup_is_split(d))
		return 0;
	for (i = n; i-- > 0 && !err;)
		if ((d->flags[c->v[i]] & DEDUP_ODD) == now)
			err = dedup_ids_push(c, c->v[i]);
	for (i = 0; i < n && !err; i++)
		if ((d->flags[c->v[i]] & DEDUP_ODD) != now)
			err = dedup_ids_push(c, c->v[i]);
	return err;
}

/* Struct @id is canonical: it joins the chain after @last. */
static int dedup_add_canon(struct dedup *d, uint32_t id, uint32_t last,
			   bool adjusted)
{
	if (last && hmap__insert(d->chain, last, id, HMAP_ADD, NULL))
		return -ENOMEM;
	d->map[id] = id;
	if (!dedup_is_split(d))
		return 0;
	dedup_order_add(d, id);
	if (adjusted)
		d->flags[id] |= DEDUP_ADJUSTED;
	return 0;
}

/*
 * Map struct @id to the first candidate equivalent to it, or make it one.
 * A candidate equivalent but for a base FWD resolves that FWD to what @id
 * reaches, and the search goes on: the base does not change, so @id stays
 * in the split unless a later candidate matches.
 */
static int dedup_struct(struct dedup *d, uint32_t id)
{
	uint32_t tail;
	bool adjusted = false;
	size_t i;
	long head;
	int err = hmap__insert(d->index, id, id, HMAP_ADD, &head);

	if (err != -EEXIST)
		return err ? err : dedup_add_canon(d, id, 0, false);
	err = dedup_cands(d, head, &i, &tail);
	for (; !err && i < d->cands.cnt; i++) {
		err = dedup_try(d, id, d->cands.v[i]);
		if (err > 0) {
			d->map[id] = d->cands.v[i];
			return 0;
		}
		adjusted |= d->adjust;
	}
	return err ? err : dedup_add_canon(d, id, tail, adjusted);
}

int dedup_structs_range(struct dedup *d, uint32_t from, uint32_t to)
{
	uint32_t id;
	int err = 0;

	for (id = from; id < to && !err; id++)
		if (d->map[id] == DEDUP_NONE &&
		    btf_is_composite(dedup_type(d, id)))
			err = dedup_struct(d, id);
	dedup_hypot_clear(d);
	return err;
}

int dedup_structs(struct dedup *d)
{
	return dedup_structs_range(d, d->start_id, d->type_cnt);
}
