// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Minimize: from a whole target BTF, keep what BPF objects' CO-RE
 * relocations resolve against, so that libbpf, given the small BTF as its
 * target, patches every instruction exactly as it would with the whole one.
 *
 * How libbpf relocates (what we reproduce).  For each CO-RE record, in
 * .BTF.ext order, libbpf parses the access string against the object's
 * own BTF (the local spec), then looks up candidates: every target type
 * whose kind is compatible with the local root type (struct with struct,
 * any enum with any enum, ...) and whose name equals the local name once
 * both lose their "___flavor" suffix.  With a module target it looks in
 * vmlinux first and in modules only when vmlinux has none.  The candidate
 * list is cached per local root type and shrinks: after a record that some
 * candidates match, only those stay for the next records of that type.
 * Each remaining candidate is matched (core.c); all matching ones must
 * give the same result, or libbpf rejects the object; none matching
 * makes the instruction poisoned (or 0 for existence checks).
 *
 * What must be kept.  The output must give each record the same set of
 * matching candidates, with the same results.  Two facts make that a
 * question of marking:
 * - Matching only ever looks for local things in the target (named
 *   members, enumerators, compatible kinds), so a target type trimmed to
 *   a subset of its members and enumerators matches no more than before:
 *   a candidate that failed still fails.
 * - A matching candidate keeps matching with the same result when the
 *   output holds what the match walked and what the result reads: the
 *   members on the access path at their offsets, the sizes and kinds at
 *   the end of it (keep.c says exactly what, per kind).
 * So for every record we mark every candidate that matches it, from the
 * full candidate list rather than libbpf's shrunken one: then the output
 * is right whatever order libbpf meets the records in and whichever
 * programs an application chooses to load (shrinking depends on both).
 * The shrinking list is still followed, alongside, to report the records
 * libbpf would reject, as libbpf would.
 *
 * Output.  emit.c writes the marked types in the order they were first
 * marked (records in order, each record's candidates in target ID order,
 * then the types they reach), trimmed, and folds types that trimming made
 * equal; a fold never merges a
 * matching candidate with a failing one, since those differ in what the
 * match needs.  A record with no match keeps nothing; TYPE_ID_LOCAL never
 * looks at the target.  Several objects simply add their marks.
 *
 * Cost: one pass over the target to index names (essential name -> IDs),
 * then work proportional to the records and the paths they walk.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "msg.h"
#include "util.h"
#include "minimize_int.h"

/* Target types by essential name.  Stored keys are type IDs; a lookup
 * uses key -1 and names its query in the index itself. */
struct cand_index {
	const struct btf_table *target;
	struct hmap *map;
	const char *query;
	size_t query_len;
};

/* A local root type's candidates: all of them, and libbpf's live list */
struct cand_list {
	uint32_t *all;
	uint32_t nr_all;
	uint32_t *live;
	uint32_t nr_live;
};

/* One object's run: its candidate lists by local root type ID */
struct obj_run {
	const struct minimize_obj *obj;
	struct hmap *by_local;
	struct cand_list *lists;
	size_t nr_lists;
	size_t cap_lists;
};

struct run {
	const struct btf_table *target;
	const struct minimize_opts *opts;
	struct cand_index idx;
	struct keep *keep;
	/* opts->summary, the missing names unsorted, repeated */
	struct minimize_summary *sum;
	size_t cap_missing;
	/* scratch, per candidate of the current record */
	struct core_spec *specs;
	int8_t *matched;
	struct core_res *res;
	size_t cap;
};

static const char *idx_name(const struct cand_index *ci, long key, size_t *len)
{
	const char *name;

	if (key < 0) {
		*len = ci->query_len;
		return ci->query;
	}
	name = btf_table__name(ci->target, key);
	*len = btf__essential_len(name);
	return name;
}

static uint32_t idx_hash(long key, void *ctx)
{
	size_t len;
	const char *name = idx_name(ctx, key, &len);

	return hmap_hash_bytes(name, len, 0);
}

static bool idx_equal(long a, long b, void *ctx)
{
	size_t la, lb;
	const char *na = idx_name(ctx, a, &la), *nb = idx_name(ctx, b, &lb);

	return la == lb && !memcmp(na, nb, la);
}

static int idx_build(struct cand_index *ci, const struct btf_table *target)
{
	uint32_t id, cnt = btf_table__type_cnt(target);
	const char *name;
	int err = 0;

	ci->target = target;
	ci->map = hmap__new(idx_hash, idx_equal, ci);
	if (!ci->map)
		return -ENOMEM;
	for (id = 1; id < cnt && !err; id++) {
		name = btf_table__name(target, id);
		if (name && *name)
			err = hmap__insert(ci->map, id, id, HMAP_APPEND, NULL);
	}
	return err;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Candidates of local type @lt (named @name) in target ID order: those of
 * a split target's base when it has any, else those of the split part.
 */
static int idx_lookup(struct cand_index *ci, const struct btf_type *lt,
		      const char *name, struct cand_list *out)
{
	uint32_t split_start = btf_table__base(ci->target) ?
			       btf_table__start_id(ci->target) : UINT32_MAX;
	size_t pos = 0, cap = 0;
	uint32_t i, n = 0;
	long id;

	ci->query = name;
	ci->query_len = btf__essential_len(name);
	while (hmap__next_match(ci->map, -1, &pos, &id)) {
		if (!core__kinds_compat(btf_table__type(ci->target, id), lt))
			continue;
		if (util__ensure_cap((void **)&out->all, &cap, sizeof(*out->all),
				     out->nr_all + 1))
			return -ENOMEM;
		out->all[out->nr_all++] = id;
	}
	if (out->nr_all > 1)
		qsort(out->all, out->nr_all, sizeof(*out->all), cmp_u32);
	if (out->nr_all && out->all[0] < split_start) {
		for (i = 0; i < out->nr_all && out->all[i] < split_start; i++)
			n++;
		out->nr_all = n;
	}
	out->live = malloc((out->nr_all + 1) * sizeof(*out->live));
	if (!out->live)
		return -ENOMEM;
	if (out->nr_all)
		memcpy(out->live, out->all, out->nr_all * sizeof(*out->live));
	out->nr_live = out->nr_all;
	return 0;
}

static void obj_run_free(struct obj_run *or)
{
	size_t i;

	for (i = 0; i < or->nr_lists; i++) {
		free(or->lists[i].all);
		free(or->lists[i].live);
	}
	free(or->lists);
	hmap__free(or->by_local);
}

/* The candidate list of local root type @local_id, made on first use */
static int obj_run_cands(struct run *r, struct obj_run *or, uint32_t local_id,
			 struct cand_list **out)
{
	const struct btf_table *lt = or->obj->btf;
	struct cand_list *cl;
	long at;
	int err;

	if (!hmap__find(or->by_local, local_id, &at)) {
		*out = &or->lists[at];
		return 0;
	}
	if (util__ensure_cap((void **)&or->lists, &or->cap_lists,
			     sizeof(*or->lists), or->nr_lists + 1))
		return -ENOMEM;
	cl = &or->lists[or->nr_lists];
	memset(cl, 0, sizeof(*cl));
	or->nr_lists++;
	err = idx_lookup(&r->idx, btf_table__type(lt, local_id),
			 btf_table__name(lt, local_id), cl);
	if (!err)
		err = hmap__insert(or->by_local, local_id, or->nr_lists - 1,
				   HMAP_ADD, NULL);
	*out = cl;
	return err;
}

/* Where a record is, for messages */
struct relo_ctx {
	const struct minimize_obj *obj;
	const struct core_sec *sec;
	uint32_t idx;
	const struct core_relo *relo;
	const char *access;
	struct core_spec local;
	char local_text[256];
};

static void relo_error(const struct relo_ctx *rc, const char *what)
{
	msg__error("%s: %s: CO-RE relocation #%u (%s, access '%s', %s): %s; libbpf rejects this object",
		   rc->obj->path, rc->sec->name, rc->idx,
		   core__kind_name(rc->relo->kind), rc->access, rc->local_text,
		   what);
}

static void relo_info(const struct run *r, const struct relo_ctx *rc,
		      const char *what)
{
	if (r->opts->verbose)
		msg__info("%s: %s: relo #%u %s %s: %s", rc->obj->path,
			  rc->sec->name, rc->idx, core__kind_name(rc->relo->kind),
			  rc->local_text, what);
}

static int run_scratch(struct run *r, size_t n)
{
	size_t cap = r->cap;

	if (n <= cap)
		return 0;
	if (util__ensure_cap((void **)&r->specs, &cap, sizeof(*r->specs), n))
		return -ENOMEM;
	cap = r->cap;
	if (util__ensure_cap((void **)&r->matched, &cap, sizeof(*r->matched), n))
		return -ENOMEM;
	cap = r->cap;
	if (util__ensure_cap((void **)&r->res, &cap, sizeof(*r->res), n))
		return -ENOMEM;
	r->cap = n;
	return 0;
}

/* Match and compute every candidate; errors stay per candidate */
static int run_match_all(struct run *r, const struct relo_ctx *rc,
			 const struct cand_list *cl)
{
	uint32_t i;
	int m;

	if (run_scratch(r, cl->nr_all))
		return -ENOMEM;
	for (i = 0; i < cl->nr_all; i++) {
		m = core__match(&rc->local, r->target, cl->all[i], &r->specs[i]);
		if (m > 0 && core__calc(&r->specs[i], rc->relo->kind, &r->res[i]))
			m = -EINVAL;
		r->matched[i] = m > 0 ? 1 : m < 0 ? -1 : 0;
	}
	return 0;
}

static uint32_t cand_pos(const struct cand_list *cl, uint32_t id)
{
	uint32_t lo = 0, hi = cl->nr_all;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (cl->all[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void spec_text(const struct core_spec *s, char *buf, size_t len)
{
	core__format_spec(s, buf, len);
}

/* Two matching candidates disagree: libbpf stops on this record */
static void run_ambiguity(const struct run *r, const struct relo_ctx *rc,
			  uint32_t a, uint32_t b)
{
	char ta[256], tb[256], what[700];
	bool off = core__kind_is_field(rc->relo->kind) &&
		   r->specs[a].bit_off != r->specs[b].bit_off;

	spec_text(&r->specs[a], ta, sizeof(ta));
	spec_text(&r->specs[b], tb, sizeof(tb));
	snprintf(what, sizeof(what),
		 "candidates [%s] and [%s] resolve differently (%s %llu vs %llu)",
		 ta, tb, off ? "bit offset" : "value",
		 off ? (unsigned long long)r->specs[a].bit_off :
		       (unsigned long long)r->res[a].val,
		 off ? (unsigned long long)r->specs[b].bit_off :
		       (unsigned long long)r->res[b].val);
	relo_error(rc, what);
}

/*
 * Libbpf's view: the live candidates must agree; those that match become
 * the live list.  Returns -EINVAL where libbpf would reject the object.
 */
static int run_live(struct run *r, const struct relo_ctx *rc,
		    struct cand_list *cl)
{
	uint32_t i, p, first = UINT32_MAX, n = 0;
	char text[256];

	for (i = 0; i < cl->nr_live; i++) {
		p = cand_pos(cl, cl->live[i]);
		if (r->matched[p] < 0) {
			snprintf(text, sizeof(text), "candidate [%s %s] cannot be matched",
				 btf_kind_name(btf_kind(btf_table__type(r->target, cl->live[i]))),
				 btf_table__name(r->target, cl->live[i]));
			relo_error(rc, text);
			return -EINVAL;
		}
		if (!r->matched[p])
			continue;
		if (first == UINT32_MAX) {
			first = p;
		} else if ((core__kind_is_field(rc->relo->kind) &&
			    r->specs[p].bit_off != r->specs[first].bit_off) ||
			   r->res[p].val != r->res[first].val) {
			run_ambiguity(r, rc, first, p);
			return -EINVAL;
		}
		cl->live[n++] = cl->live[i];
	}
	if (n)
		cl->nr_live = n;
	return 0;
}

/* What a result patches in, for -v */
static void res_text(const struct core_res *res, unsigned int kind, char *buf,
		     size_t len)
{
	if (res->poison)
		snprintf(buf, len, "instruction poisoned");
	else if (kind == CORE_TYPE_ID_TARGET && res->val)
		snprintf(buf, len, "a type ID");
	else
		snprintf(buf, len, "value %llu", (unsigned long long)res->val);
}

/*
 * The name a record looked for, for the summary: the root's essential
 * name, then the named members or enumerator of its path
 */
static void relo_missing_name(const struct relo_ctx *rc, char *buf, size_t len)
{
	const struct core_spec *s = &rc->local;
	const char *name = btf_table__name(s->tab, s->root_id);
	size_t at;
	int i;

	at = snprintf(buf, len, "%.*s", (int)btf__essential_len(name), name);
	for (i = 0; i < s->len && at < len; i++)
		if (s->acc[i].name && (core__kind_is_field(s->kind) ||
				       core__kind_is_enumval(s->kind)))
			at += snprintf(buf + at, len - at, ".%s", s->acc[i].name);
}

/* Count the record for the summary: @nr matching, @cl its candidates */
static int run_count(struct run *r, const struct relo_ctx *rc,
		     const struct cand_list *cl, uint32_t nr,
		     const struct core_res *none)
{
	struct minimize_summary *s = r->sum;
	char name[512];

	if (!s)
		return 0;
	if (nr || !cl) {
		s->resolved++;
		return 0;
	}
	if (!cl->nr_all)
		s->no_cand++;
	else if (none->poison)
		s->poisoned++;
	else
		s->absent++;
	relo_missing_name(rc, name, sizeof(name));
	if (util__ensure_cap((void **)&s->missing, &r->cap_missing,
			     sizeof(*s->missing), s->nr_missing + 1))
		return -ENOMEM;
	s->missing[s->nr_missing].name = strdup(name);
	s->missing[s->nr_missing].nr_relos = 1;
	return s->missing[s->nr_missing++].name ? 0 : -ENOMEM;
}

/* Mark every matching candidate, and say so when asked */
static int run_keep(struct run *r, const struct relo_ctx *rc,
		    const struct cand_list *cl)
{
	char text[512], spec[256], val[64];
	unsigned int kind = rc->relo->kind;
	struct core_res none;
	uint32_t i, nr = 0;
	int err;

	for (i = 0; i < cl->nr_all; i++) {
		if (r->matched[i] <= 0)
			continue;
		err = keep__spec(r->keep, &r->specs[i]);
		if (err)
			return err;
		nr++;
		spec_text(&r->specs[i], spec, sizeof(spec));
		res_text(&r->res[i], kind, val, sizeof(val));
		snprintf(text, sizeof(text), "%s, %s: kept", spec, val);
		relo_info(r, rc, text);
	}
	if (nr)
		return run_count(r, rc, cl, nr, NULL);
	core__calc(NULL, kind, &none);
	err = run_count(r, rc, cl, nr, &none);
	if (err)
		return err;
	res_text(&none, kind, val, sizeof(val));
	snprintf(text, sizeof(text), "%s, %s: nothing kept",
		 cl->nr_all ? "no matching candidate" : "no candidate", val);
	relo_info(r, rc, text);
	return 0;
}

static int run_relo(struct run *r, struct obj_run *or, struct relo_ctx *rc)
{
	const struct btf_table *lt = rc->obj->btf;
	struct core_res local_res;
	const char *why, *name;
	struct cand_list *cl;
	int err;

	rc->access = btf_table__str(lt, rc->relo->access_str_off);
	name = btf_table__name(lt, rc->relo->type_id);
	snprintf(rc->local_text, sizeof(rc->local_text), "%s %s",
		 btf_kind_name(btf_kind(btf_table__type(lt, rc->relo->type_id))),
		 *name ? name : "(anon)");
	if (core__parse_spec(lt, rc->relo, rc->access, &rc->local, &why)) {
		relo_error(rc, why);
		return -EINVAL;
	}
	core__format_spec(&rc->local, rc->local_text, sizeof(rc->local_text));
	if (rc->relo->kind == CORE_TYPE_ID_LOCAL) {
		relo_info(r, rc, "local type ID: needs no target type");
		return run_count(r, rc, NULL, 0, NULL);
	}
	if (!*name) {
		relo_error(rc, "the root type is anonymous");
		return -EINVAL;
	}
	if (core__calc(&rc->local, rc->relo->kind, &local_res)) {
		relo_error(rc, "the relocation cannot be computed on the object's own types");
		return -EINVAL;
	}
	err = obj_run_cands(r, or, rc->relo->type_id, &cl);
	if (!err)
		err = run_match_all(r, rc, cl);
	/* run_live says itself why libbpf rejects the object */
	if (!err && (err = run_live(r, rc, cl)))
		return err;
	if (!err)
		err = run_keep(r, rc, cl);
	if (err && err != -ENOMEM)
		msg__error("%s: %s: CO-RE relocation #%u (%s): %s", rc->obj->path,
			   rc->sec->name, rc->idx, rc->local_text,
			   err == -ELOOP ? "the target's types nest too deeply to keep"
					 : "the target's types are malformed");
	return err;
}

static int run_obj(struct run *r, const struct minimize_obj *obj)
{
	struct obj_run or = { .obj = obj };
	struct relo_ctx rc = { .obj = obj };
	uint32_t s, i;
	int err = 0;

	or.by_local = hmap__new(hmap_hash_identity, hmap_equal_long, NULL);
	if (!or.by_local)
		return -ENOMEM;
	for (s = 0; s < obj->nr_secs && !err; s++) {
		rc.sec = &obj->secs[s];
		for (i = 0; i < rc.sec->nr && !err; i++) {
			rc.idx = i;
			rc.relo = &rc.sec->relos[i];
			err = run_relo(r, &or, &rc);
		}
	}
	obj_run_free(&or);
	return err;
}

/* Whether record @r of @obj is about a type (not a function or variable) */
static bool relo_root_is_type(const struct minimize_obj *obj,
			      const struct core_relo *r)
{
	const struct btf_type *t;

	if (r->kind == CORE_TYPE_ID_LOCAL)
		return true;	/* resolved in the object itself */
	t = btf_table__type(obj->btf, r->type_id);
	if (!t)
		return false;
	switch (btf_kind(t)) {
	case BTF_KIND_FUNC: case BTF_KIND_VAR:
	case BTF_KIND_DATASEC: case BTF_KIND_DECL_TAG:
		return false;
	default:
		return true;
	}
}

bool minimize__types_suffice(struct minimize_obj *const *objs, int nr_objs)
{
	const struct core_sec *sec;
	uint32_t s, i;
	int o;

	for (o = 0; o < nr_objs; o++)
		for (s = 0; s < objs[o]->nr_secs; s++)
			for (sec = &objs[o]->secs[s], i = 0; i < sec->nr; i++)
				if (!relo_root_is_type(objs[o], &sec->relos[i]))
					return false;
	return true;
}

static int cmp_missing(const void *a, const void *b)
{
	return strcmp(((const struct minimize_missing *)a)->name,
		      ((const struct minimize_missing *)b)->name);
}

/* Sort the missing names and keep each once, counting its records */
static void summary_fold(struct minimize_summary *s)
{
	size_t i, n = 0;

	if (s->nr_missing > 1)
		qsort(s->missing, s->nr_missing, sizeof(*s->missing), cmp_missing);
	for (i = 0; i < s->nr_missing; i++) {
		if (n && !strcmp(s->missing[n - 1].name, s->missing[i].name)) {
			s->missing[n - 1].nr_relos++;
			free(s->missing[i].name);
		} else {
			s->missing[n++] = s->missing[i];
		}
	}
	s->nr_missing = n;
}

void minimize__summary_free(struct minimize_summary *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nr_missing; i++)
		free(s->missing[i].name);
	free(s->missing);
	memset(s, 0, sizeof(*s));
}

int minimize__run(const struct btf_table *target,
		  struct minimize_obj *const *objs, int nr_objs,
		  const struct minimize_opts *opts, struct btf_table **out)
{
	static const struct minimize_opts no_opts;
	struct run r = { .target = target, .opts = opts ? opts : &no_opts };
	int i, err;

	r.sum = r.opts->summary;
	if (r.sum)
		memset(r.sum, 0, sizeof(*r.sum));
	r.keep = keep__new(target);
	err = r.keep ? idx_build(&r.idx, target) : -ENOMEM;
	for (i = 0; i < nr_objs && !err; i++)
		err = run_obj(&r, objs[i]);
	if (err == -ENOMEM)
		msg__error("minimizing: %s", strerror(-err));
	if (!err) {
		err = emit__table(r.keep, target, r.opts->standalone, out);
		if (err)
			msg__error("minimizing: writing the kept types: %s",
				   strerror(-err));
	}
	if (r.sum && err)
		minimize__summary_free(r.sum);
	else if (r.sum)
		summary_fold(r.sum);
	hmap__free(r.idx.map);
	keep__free(r.keep);
	free(r.specs);
	free(r.matched);
	free(r.res);
	return err;
}

int minimize__root_names(struct minimize_obj *const *objs, int nr_objs,
			 struct minimize_root **out, size_t *nr)
{
	struct minimize_root *roots = NULL;
	const struct core_relo *r;
	const struct core_sec *sec;
	size_t cap = 0, n = 0;
	const char *name;
	uint32_t s, i;
	int o;

	for (o = 0; o < nr_objs; o++)
		for (s = 0; s < objs[o]->nr_secs; s++)
			for (sec = &objs[o]->secs[s], i = 0; i < sec->nr; i++) {
				r = &sec->relos[i];
				if (r->kind == CORE_TYPE_ID_LOCAL)
					continue;
				name = btf_table__name(objs[o]->btf, r->type_id);
				if (!name || !*name)
					continue;
				if (util__ensure_cap((void **)&roots, &cap,
						     sizeof(*roots), n + 1)) {
					free(roots);
					return -ENOMEM;
				}
				roots[n].name = name;
				roots[n++].len = btf__essential_len(name);
			}
	*out = roots;
	*nr = n;
	return 0;
}
