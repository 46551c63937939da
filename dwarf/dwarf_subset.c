// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which units a kernel's --min reads, and what of them, from every unit's
 * scan (dwarf_shape.c; dwarf_shape.h says why that is enough).
 *
 * The units read cover the closure greedily: the unit defining the most
 * keys not yet covered, then the next, each key assigned to the unit that
 * covered it.  Keys a record's candidates could share (the same class and
 * essential name: "foo" and "foo___v2") mean reading every unit, since
 * such candidates are marked in ID order, which depends on where dedup
 * places their classes.  A unit read visits the DIEs of the names
 * assigned to it (shapes__dies, UNIT_ENCODE_DIES), with the types nested
 * in them that are (shape__wanted), and encodes what they refer to; a
 * pointer to a struct or union assigned to another unit points to a FWD
 * of it (shape__elsewhere), which dedup resolves to that unit's
 * definition, so a unit does not bring in everything its types point to.
 *
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_int.h"
#include "util.h"

/* ---- the whole file: keys, the closure, the units to read ---- */

enum key_flags {
	KEY_DEF = 1 << 0,	/* it has a definition */
	KEY_TWO = 1 << 1,	/* definitions of two shapes */
	KEY_ODD_INT = 1 << 3,
	KEY_DECL_STRUCT = 1 << 4,
	KEY_DECL_UNION = 1 << 5,
	KEY_DEF_UNION = 1 << 6,
	KEY_DECL = 1 << 7,	/* it has a declaration */
	KEY_TWO_DECLS = 1 << 8,	/* declarations of two shapes */
	KEY_REACHED = 1 << 9,
	KEY_NESTED = 1 << 10,	/* a definition nested in a type */
	KEY_TOP = 1 << 11,	/* a definition that is not */
};

struct shape_key {
	uint64_t key;
	uint64_t sig[2];
	uint64_t decl_sig[2];
	const char *name;
	uint32_t first_def;	/* units */
	uint32_t first_any;
	uint32_t first_any_off;	/* the DIE there, in the unit */
	uint32_t refs;		/* in shapes.refs: its first definition's */
	uint32_t nr_refs;
	uint32_t assigned;	/* the unit read for it, once selected */
	uint64_t unit_off;	/* its offset (shapes__place) */
	uint16_t flags;
	uint8_t cls;
};

/* A unit that defines a key */
struct key_unit {
	uint32_t key;		/* index in shapes.keys */
	uint32_t unit;
	uint32_t off;		/* the DIE's offset in the unit */
};

struct shapes {
	struct shape_key *keys;
	size_t nr_keys;
	size_t keys_cap;
	uint32_t *slots;	/* open addressing: key index + 1 */
	size_t nr_slots;	/* a power of two */
	uint64_t *refs;
	size_t nr_refs;
	size_t refs_cap;
	struct key_unit *defs;	/* every definition, in unit order */
	size_t nr_defs;
	size_t defs_cap;
	bool unsure;		/* a unit could not be scanned */
	const char *odd;	/* a type the scan could not read, if any */
	bool nomem;
};

struct shapes *shapes__new(void)
{
	return calloc(1, sizeof(struct shapes));
}

void shapes__free(struct shapes *g)
{
	if (!g)
		return;
	free(g->keys);
	free(g->slots);
	free(g->refs);
	free(g->defs);
	free(g);
}

static bool shapes_grow(struct shapes *g)
{
	size_t n = g->nr_slots ? g->nr_slots * 2 : 1 << 16, i, j;
	uint32_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return false;
	for (i = 0; i < g->nr_keys; i++) {
		for (j = g->keys[i].key & (n - 1); slots[j]; j = (j + 1) & (n - 1))
			;
		slots[j] = i + 1;
	}
	free(g->slots);
	g->slots = slots;
	g->nr_slots = n;
	return true;
}

/* The index of @key, or -1 if it is not known */
static long shapes_find(const struct shapes *g, uint64_t key)
{
	size_t j, mask = g->nr_slots - 1;

	if (!g->nr_slots)
		return -1;
	for (j = key & mask; g->slots[j]; j = (j + 1) & mask)
		if (g->keys[g->slots[j] - 1].key == key)
			return g->slots[j] - 1;
	return -1;
}

static struct shape_key *shapes_get(struct shapes *g, uint64_t key, bool *is_new)
{
	size_t j, mask;
	long at = shapes_find(g, key);

	*is_new = at < 0;
	if (at >= 0)
		return &g->keys[at];
	if ((g->nr_keys + 1) * 2 > g->nr_slots && !shapes_grow(g))
		return NULL;
	if (util__ensure_cap((void **)&g->keys, &g->keys_cap, sizeof(*g->keys),
			     g->nr_keys + 1))
		return NULL;
	mask = g->nr_slots - 1;
	for (j = key & mask; g->slots[j]; j = (j + 1) & mask)
		;
	g->slots[j] = g->nr_keys + 1;
	memset(&g->keys[g->nr_keys], 0, sizeof(*g->keys));
	g->keys[g->nr_keys].key = key;
	return &g->keys[g->nr_keys++];
}

void shapes__add_unit(struct shapes *g, uint32_t unit, const struct cu_out *out)
{
	const struct shape_unit *u = &out->shape;
	const struct shape_ent *ent;
	struct shape_key *k;
	bool is_new;
	size_t i;

	if (u->unsure)
		g->unsure = true;
	for (i = 0; i < u->nr_ents && !g->nomem; i++) {
		ent = &u->ents[i];
		k = shapes_get(g, ent->key, &is_new);
		if (!k) {
			g->nomem = true;
			break;
		}
		if (is_new) {
			k->name = ent->name;
			k->cls = ent->cls;
			k->first_any = unit;
			k->first_any_off = ent->off;
		}
		if ((ent->flags & SHAPE_UNSURE) && !g->odd)
			g->odd = k->name;
		if (ent->flags & SHAPE_DECL) {
			if (ent->cls == SHAPE_COMPOSITE)
				k->flags |= ent->flags & SHAPE_UNION ?
					    KEY_DECL_UNION : KEY_DECL_STRUCT;
			if (!(k->flags & KEY_DECL)) {
				k->flags |= KEY_DECL;
				k->decl_sig[0] = ent->sig[0];
				k->decl_sig[1] = ent->sig[1];
			} else if (k->decl_sig[0] != ent->sig[0] ||
				   k->decl_sig[1] != ent->sig[1]) {
				k->flags |= KEY_TWO_DECLS;
			}
			continue;
		}
		if (ent->flags & SHAPE_ODD_INT)
			k->flags |= KEY_ODD_INT;
		if (ent->flags & SHAPE_UNION)
			k->flags |= KEY_DEF_UNION;
		/*
		 * A definition nested in a type is encoded with it, or when
		 * something refers to it: no unit is read for it
		 */
		if (ent->flags & SHAPE_NESTED) {
			k->flags |= KEY_NESTED;
		} else if (util__ensure_cap((void **)&g->defs, &g->defs_cap,
					    sizeof(*g->defs), g->nr_defs + 1)) {
			g->nomem = true;
			break;
		} else {
			g->defs[g->nr_defs].key = k - g->keys;
			g->defs[g->nr_defs].off = ent->off;
			g->defs[g->nr_defs++].unit = unit;
			k->flags |= KEY_TOP;
		}
		if (k->flags & KEY_DEF) {
			if (k->sig[0] != ent->sig[0] || k->sig[1] != ent->sig[1])
				k->flags |= KEY_TWO;
			continue;
		}
		k->flags |= KEY_DEF;
		k->sig[0] = ent->sig[0];
		k->sig[1] = ent->sig[1];
		k->first_def = unit;
		k->refs = g->nr_refs;
		k->nr_refs = 0;
		if (!ent->nr_refs)
			continue;
		if (util__ensure_cap((void **)&g->refs, &g->refs_cap,
				     sizeof(*g->refs), g->nr_refs + ent->nr_refs)) {
			g->nomem = true;
			break;
		}
		memcpy(g->refs + g->nr_refs, u->refs + ent->refs,
		       ent->nr_refs * sizeof(*g->refs));
		k->refs = g->nr_refs;
		k->nr_refs = ent->nr_refs;
		g->nr_refs += ent->nr_refs;
	}
}

/* Why key @k keeps the subset from being read, or NULL */
static const char *key_problem(const struct shape_key *k)
{
	if (k->flags & KEY_TWO)
		return "definitions of more than one shape";
	if (k->flags & KEY_ODD_INT)
		return "not a signed 4-byte int";
	if ((k->flags & KEY_NESTED) && !(k->flags & KEY_TOP))
		return "definitions only inside other types";
	/* with no definition, declarations stay apart by their shape */
	if (!(k->flags & KEY_DEF) && (k->flags & KEY_TWO_DECLS))
		return "declarations of more than one shape";
	if ((k->flags & KEY_DECL_STRUCT) && (k->flags & KEY_DECL_UNION))
		return "declarations as a struct and as a union";
	if ((k->flags & KEY_DEF) &&
	    (k->flags & (KEY_DECL_STRUCT | KEY_DECL_UNION)) &&
	    !!(k->flags & KEY_DEF_UNION) != !!(k->flags & KEY_DECL_UNION))
		return "a declaration of another kind than its definition";
	return NULL;
}

static const char *cls_word(int cls)
{
	switch (cls) {
	case SHAPE_COMPOSITE: return "struct/union";
	case SHAPE_ENUM: return "enum";
	case SHAPE_TYPEDEF: return "typedef";
	default: return "base type";
	}
}

/* Reached keys, ordered by class and essential name (see find_rivals) */
static const struct shapes *rival_g;

static int rival_cmp(const void *pa, const void *pb)
{
	const struct shape_key *a = &rival_g->keys[*(const uint32_t *)pa];
	const struct shape_key *b = &rival_g->keys[*(const uint32_t *)pb];
	size_t la = btf__essential_len(a->name);
	size_t lb = btf__essential_len(b->name);
	int c;

	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	c = memcmp(a->name, b->name, la < lb ? la : lb);
	if (c || la == lb)
		return c;
	return la < lb ? -1 : 1;
}

/*
 * Two reached keys that could be candidates of one record: the same
 * class and essential name ("foo" and "foo___v2").  A record's candidates
 * are marked in ID order, and where dedup places a class depends on where
 * its name first occurs in the whole input (a FWD too): every unit is
 * read then.  *@a and *@b: the first such pair; false if none.
 */
static int find_rivals(struct shapes *g, uint32_t *a, uint32_t *b, bool *found)
{
	uint32_t *r = malloc((g->nr_keys + 1) * sizeof(*r));
	size_t i, n = 0;

	*found = false;
	if (!r)
		return -ENOMEM;
	for (i = 0; i < g->nr_keys; i++)
		if (g->keys[i].flags & KEY_REACHED)
			r[n++] = i;
	rival_g = g;
	qsort(r, n, sizeof(*r), rival_cmp);
	for (i = 0; i + 1 < n && !*found; i++)
		if (!rival_cmp(&r[i], &r[i + 1])) {
			*a = r[i];
			*b = r[i + 1];
			*found = true;
		}
	free(r);
	return 0;
}

/*
 * The units to read: one defining each reached key (the first naming it,
 * for a key without a definition), as few as a greedy cover finds: the
 * unit defining the most keys not yet covered, lowest first on a tie.
 * Each key is assigned to the unit that covered it.
 */
static int cover(struct shapes *g, bool *sel, size_t nr_units)
{
	uint32_t *count = calloc(nr_units + 1, sizeof(*count));
	uint32_t *by_key = malloc((g->nr_defs + 1) * sizeof(*by_key));
	uint32_t *key_first = calloc(g->nr_keys + 1, sizeof(*key_first));
	uint32_t *unit_first = calloc(nr_units + 1, sizeof(*unit_first));
	bool *covered = calloc(g->nr_keys + 1, sizeof(*covered));
	struct shape_key *k;
	size_t i, j, u, best;
	int err = -ENOMEM;

	if (!count || !by_key || !key_first || !unit_first || !covered)
		goto out;
	/* the definitions by key (g->defs is by unit already) */
	for (i = 0; i < g->nr_defs; i++)
		key_first[g->defs[i].key + 1]++;
	for (i = 0; i < g->nr_keys; i++)
		key_first[i + 1] += key_first[i];
	for (i = 0; i < g->nr_defs; i++)
		by_key[key_first[g->defs[i].key]++] = g->defs[i].unit;
	for (i = g->nr_keys; i > 0; i--)
		key_first[i] = key_first[i - 1];
	key_first[0] = 0;
	for (i = 0; i < g->nr_defs; i++)
		unit_first[g->defs[i].unit + 1] = i + 1;
	for (u = 1; u <= nr_units; u++)
		if (unit_first[u] < unit_first[u - 1])
			unit_first[u] = unit_first[u - 1];
	/* what must be read: a key without definition */
	for (i = 0; i < g->nr_keys; i++) {
		k = &g->keys[i];
		k->assigned = UINT32_MAX;
		if ((k->flags & (KEY_REACHED | KEY_DEF)) == KEY_REACHED) {
			sel[k->first_any] = true;
			k->assigned = k->first_any;
		}
	}
	for (i = 0; i < g->nr_defs; i++) {
		k = &g->keys[g->defs[i].key];
		if ((k->flags & KEY_REACHED) && sel[g->defs[i].unit] &&
		    !covered[g->defs[i].key]) {
			covered[g->defs[i].key] = true;
			k->assigned = g->defs[i].unit;
		}
	}
	for (i = 0; i < g->nr_defs; i++)
		if ((g->keys[g->defs[i].key].flags & KEY_REACHED) &&
		    !covered[g->defs[i].key])
			count[g->defs[i].unit]++;
	for (;;) {
		for (u = 0, best = nr_units; u < nr_units; u++)
			if (count[u] && (best == nr_units || count[u] > count[best]))
				best = u;
		if (best == nr_units)
			break;
		sel[best] = true;
		/* its keys are covered: the other units count them no more */
		for (i = best ? unit_first[best] : 0; i < unit_first[best + 1]; i++) {
			uint32_t key = g->defs[i].key;

			if (!(g->keys[key].flags & KEY_REACHED) || covered[key])
				continue;
			covered[key] = true;
			g->keys[key].assigned = best;
			for (j = key_first[key]; j < key_first[key + 1]; j++)
				count[by_key[j]]--;
		}
	}
	err = 0;
out:
	free(count);
	free(by_key);
	free(key_first);
	free(unit_first);
	free(covered);
	return err;
}

int shapes__select(struct shapes *g, const struct dwarf_type_name *roots,
		   size_t nr_roots, bool *sel, size_t nr_units,
		   struct dwarf_subset *res)
{
	uint32_t *work = NULL, ra, rb;
	size_t nr_work = 0, i, j, len, n;
	bool rivals;
	const char *problem = NULL;
	struct shape_key *k;
	long at;

	memset(res, 0, sizeof(*res));
	if (g->nomem)
		return -ENOMEM;
	/*
	 * What the scan cannot read, the encoder may refuse: whatever the
	 * records reach, read every unit, which says what is wrong if it is
	 */
	if (g->unsure) {
		snprintf(res->why, sizeof(res->why),
			 "a unit the scan could not read whole");
		return 0;
	}
	if (g->odd) {
		snprintf(res->why, sizeof(res->why),
			 "the scan could not read type '%s' whole", g->odd);
		return 0;
	}
	work = malloc((g->nr_keys + 1) * sizeof(*work));
	if (!work)
		return -ENOMEM;
	/* the roots: keys of a record's name, any kind, any flavor */
	for (i = 0; i < g->nr_keys; i++) {
		k = &g->keys[i];
		len = btf__essential_len(k->name);
		for (j = 0; j < nr_roots; j++)
			if (roots[j].len == len &&
			    !memcmp(roots[j].name, k->name, len))
				break;
		if (j < nr_roots || (k->cls == SHAPE_BASE && !strcmp(k->name, "int"))) {
			k->flags |= KEY_REACHED;
			work[nr_work++] = i;
		}
	}
	while (nr_work && !problem) {
		k = &g->keys[work[--nr_work]];
		problem = key_problem(k);
		if (problem)
			break;
		res->closure++;
		for (j = 0; j < k->nr_refs; j++) {
			at = shapes_find(g, g->refs[k->refs + j]);
			if (at < 0) {
				problem = "a reference to a type the scan did not take";
				break;
			}
			if (!(g->keys[at].flags & KEY_REACHED)) {
				g->keys[at].flags |= KEY_REACHED;
				work[nr_work++] = at;
			}
		}
	}
	free(work);
	if (problem) {
		snprintf(res->why, sizeof(res->why), "%s '%s' has %s",
			 cls_word(k->cls), k->name, problem);
		return 0;
	}
	if (find_rivals(g, &ra, &rb, &rivals))
		return -ENOMEM;
	if (rivals) {
		snprintf(res->why, sizeof(res->why),
			 "'%s' and '%s' could be candidates of one record",
			 g->keys[ra].name, g->keys[rb].name);
		return 0;
	}
	memset(sel, 0, nr_units * sizeof(*sel));
	if (cover(g, sel, nr_units))
		return -ENOMEM;
	for (i = n = 0; i < nr_units; i++)
		n += sel[i];
	res->subset = true;
	res->units = n;
	res->keys = g->nr_keys;
	return 0;
}

/* ---- the reached keys, for the walk of the units read ---- */

void shapes__place(struct shapes *g, const uint64_t *offs, size_t nr_units)
{
	size_t i;

	for (i = 0; i < g->nr_keys; i++) {
		struct shape_key *k = &g->keys[i];

		k->unit_off = (k->flags & KEY_REACHED) && k->assigned < nr_units ?
			      offs[k->assigned] : UINT64_MAX;
	}
}

/* Whether @key is reached, and the offset of its unit in *@unit */
static bool shapes_reached(const struct shapes *g, uint64_t key,
			   uint64_t *unit)
{
	long at = shapes_find(g, key);

	if (at < 0 || !(g->keys[at].flags & KEY_REACHED))
		return false;
	*unit = g->keys[at].unit_off;
	return true;
}

/* The key of named type DIE @die of @tag; false if it has none */
static bool die_key(struct cu_enc *e, Dwarf_Die *die, int tag, uint64_t *key,
		    bool *decl)
{
	struct die_attrs da;
	const char *name;
	int cls = shape__tag_cls(tag);

	if (!cls || die__attrs(&e->cur, die, &da))
		return false;
	name = attrs__str(&da, AS_NAME);
	if (!name)
		return false;
	*decl = attrs__udata(&da, AS_DECLARATION, 0) != 0;
	*key = shape__name_key(cls, name);
	return true;
}

bool shape__wanted(struct cu_enc *e, Dwarf_Die *die, int tag)
{
	uint64_t key, unit;
	bool decl;

	if (!die_key(e, die, tag, &key, &decl))
		return false;
	return shapes_reached(e->plan->want, key, &unit) && unit == e->start;
}

int shape__elsewhere(struct cu_enc *e, Dwarf_Off off, bool *is_union)
{
	uint64_t key, unit;
	Dwarf_Die die;
	bool decl;
	int tag;

	die__at(&e->cur, e->cur.ptr + (off - e->start), &die);
	tag = die__tag(&e->cur, &die);
	if (tag != DW_TAG_structure_type && tag != DW_TAG_class_type &&
	    tag != DW_TAG_union_type)
		return 0;
	if (!die_key(e, &die, tag, &key, &decl) || decl ||
	    !shapes_reached(e->plan->want, key, &unit) || unit == e->start)
		return 0;
	*is_union = tag == DW_TAG_union_type;
	return 1;
}

/* ---- what each unit read encodes ---- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int shapes__dies(const struct shapes *g, size_t nr_units,
		 struct shape_dies **out)
{
	struct shape_dies *d = calloc(nr_units + 1, sizeof(*d));
	const struct shape_key *k;
	size_t i, u;
	int err = 0;

	if (!d)
		return -ENOMEM;
	for (i = 0; i < g->nr_defs && !err; i++) {
		k = &g->keys[g->defs[i].key];
		if ((k->flags & KEY_REACHED) && k->assigned == g->defs[i].unit)
			err = shape_dies_push(&d[g->defs[i].unit], g->defs[i].off);
	}
	for (i = 0; i < g->nr_keys && !err; i++) {
		k = &g->keys[i];
		if ((k->flags & (KEY_REACHED | KEY_TOP)) == KEY_REACHED &&
		    k->assigned < nr_units)
			err = shape_dies_push(&d[k->assigned], k->first_any_off);
	}
	for (u = 0; u < nr_units; u++)
		if (d[u].nr > 1)
			qsort(d[u].offs, d[u].nr, sizeof(*d[u].offs), cmp_u32);
	if (err) {
		shape_dies__free(d, nr_units);
		return err;
	}
	*out = d;
	return 0;
}

int shape_dies_push(struct shape_dies *d, uint32_t off)
{
	if (util__ensure_cap((void **)&d->offs, &d->cap, sizeof(*d->offs),
			     d->nr + 1))
		return -ENOMEM;
	d->offs[d->nr++] = off;
	return 0;
}

void shape_dies__free(struct shape_dies *d, size_t nr_units)
{
	size_t u;

	if (!d)
		return;
	for (u = 0; u < nr_units; u++)
		free(d[u].offs);
	free(d);
}
