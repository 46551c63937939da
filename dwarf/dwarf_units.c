// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Running the units: encode each (with -j N, on N threads: N - 1 workers
 * and the calling thread), merge each in unit order on the calling thread.
 *
 * Threads take units in order from a window that starts at the first unit
 * not yet merged, so at most a window's worth of unit tables wait in
 * memory.  The calling thread encodes one whenever the next to merge is
 * not ready, so it never idles while there is work.  Only the merge writes
 * to the output and prints, and it sees the units in file order whatever
 * finished first: the output, the warnings and the error reported are the
 * same for any number of threads.  After each merge the caller's
 * unit_merged callback runs (btfenc streams dedup there).
 *
 * libdw is shared by the workers but never for the same unit; every unit
 * is looked up once before they start, so that libdw's unit list is only
 * read while they run.
 *
 * Once a unit is merged, it and every unit before it are encoded: the
 * pages of .debug_info below its end are released (dwarf_pages.c), and
 * those of .debug_abbrev below the next unit's abbreviations and of
 * .debug_loclists below the last list read, since a linked file holds
 * its units' contributions to each section in the same order (should one
 * not, a page released early is read again from the file).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dwarf_int.h"
#include "msg.h"
#include "util.h"

/* Units in flight per worker: enough to keep workers busy past a big unit */
#define WINDOW_PER_THREAD 8

struct unit {
	Dwarf_Off off;
	Dwarf_Off next;
	Dwarf_Off abbrev;	/* its abbreviations in .debug_abbrev */
	Dwarf_Die cudie;
	bool encode;		/* a compile unit in a language not excluded */
};

/* What the merging thread keeps across units */
struct loader {
	const struct dwarf_file *f;
	struct merge *m;
	struct unit *units;
	size_t nr_units;
	struct sec_pages info;		/* .debug_info */
	struct sec_pages abbrev;	/* .debug_abbrev */
	struct sec_pages loclists;	/* .debug_loclists */
	uint64_t loclists_end;		/* the last list merged units read */
	void (*progress)(void *ctx, unsigned long done, unsigned long total);
	void *progress_ctx;
	void (*unit_merged)(void *ctx);
	void *unit_merged_ctx;
	enum unit_job job;		/* what is done with each unit */
	struct shapes *shapes;		/* UNIT_SCAN fills it, _ENCODE_DIES reads it */
	struct shape_dies *dies;	/* UNIT_ENCODE_DIES: each unit's DIEs */
};

struct pool {
	struct loader *l;
	const struct dwarf_file *f;
	struct unit *units;
	struct cu_out *outs;	/* one per unit, freed once merged */
	bool *done;
	size_t nr_units;
	size_t next;		/* next unit to hand out */
	size_t merged;		/* units merged: the window starts here */
	size_t window;
	bool stop;
	pthread_mutex_t lock;
	pthread_cond_t cond;	/* a unit was encoded, or the window moved */
};

/* Whether a compile unit is in one of the excluded languages */
static bool unit_excluded(const struct dwarf_file *f, Dwarf_Die *cudie)
{
	unsigned int i;
	int lang;

	/* reading the unit DIE's attributes reads its abbreviations */
	if (!f->nr_lang_exclude)
		return false;
	lang = dwarf_srclang(cudie);
	for (i = 0; i < f->nr_lang_exclude; i++)
		if (lang >= 0 && (unsigned int)lang == f->lang_exclude[i])
			return true;
	return false;
}

static const char *unit_type_name(uint8_t unit_type)
{
	switch (unit_type) {
	case DW_UT_type: return "type unit";
	case DW_UT_skeleton: return "skeleton unit (split DWARF)";
	case DW_UT_split_compile: return "split compile unit";
	case DW_UT_split_type: return "split type unit";
	default: return "unit of an unknown kind";
	}
}

/*
 * Compile units are encoded; partial units (dwz) only through the units
 * that import them.  Any other kind is refused: its types would be missing.
 */
static int unit_classify(const struct dwarf_file *f, struct unit *u,
			 bool *partial)
{
	uint8_t unit_type;

	if (dwarf_cu_info(u->cudie.cu, NULL, &unit_type, NULL, NULL, NULL,
			  NULL, NULL)) {
		msg__error("%s: unit at %#llx: %s", f->path,
			   (unsigned long long)u->off, dwarf_errmsg(-1));
		return -EINVAL;
	}
	if (unit_type == DW_UT_partial) {
		*partial = true;
		return 0;
	}
	if (unit_type != DW_UT_compile) {
		msg__error("%s: DIE %#llx: a %s, which btfenc cannot read",
			   f->path,
			   (unsigned long long)dwarf_dieoffset(&u->cudie),
			   unit_type_name(unit_type));
		return -EINVAL;
	}
	u->encode = !unit_excluded(f, &u->cudie);
	return 0;
}

/*
 * All of a unit's abbreviations, read now: libdw reads them as DIEs need
 * them, and two threads doing so for one unit (one encoding it, one
 * following a reference into it) can make it fail with "invalid DWARF".
 */
static void unit_read_abbrevs(Dwarf_Die *cudie)
{
	Dwarf_Abbrev *ab;
	size_t off = 0, len;

	while ((ab = dwarf_getabbrev(cudie, off, &len)) &&
	       ab != DWARF_END_ABBREV && len)
		off += len;
}

int units__preload(Dwarf *dbg, const char *path)
{
	Dwarf_Off off = 0, next;
	size_t hsize;
	Dwarf_Die cudie;
	int r;

	while ((r = dwarf_next_unit(dbg, off, &next, &hsize, NULL, NULL, NULL,
				    NULL, NULL, NULL)) == 0) {
		if (!dwarf_offdie(dbg, off + hsize, &cudie))
			break;
		unit_read_abbrevs(&cudie);
		off = next;
	}
	if (r <= 0) {
		msg__error("%s: supplementary file: cannot read the unit at "
			   "%#llx: %s", path, (unsigned long long)off,
			   dwarf_errmsg(-1));
		return -EINVAL;
	}
	return 0;
}

/* Every unit's range and DIE, in file order; prints its errors */
static int units_collect(const struct dwarf_file *f, struct unit **units,
			 size_t *n, bool *partial)
{
	Dwarf_Off off = 0, next, abbrev;
	size_t hsize, cap = 0;
	int r, err;

	*units = NULL;
	*n = 0;
	while ((r = dwarf_next_unit(f->dbg, off, &next, &hsize, NULL, &abbrev,
				    NULL, NULL, NULL, NULL)) == 0) {
		struct unit *u;

		err = util__ensure_cap((void **)units, &cap, sizeof(**units),
				       *n + 1);
		if (err) {
			msg__error("%s: out of memory", f->path);
			return err;
		}
		u = memset(&(*units)[*n], 0, sizeof(**units));
		u->off = off;
		u->next = next;
		u->abbrev = abbrev;
		if (!dwarf_offdie(f->dbg, off + hsize, &u->cudie))
			break;
		err = unit_classify(f, u, partial);
		if (err)
			return err;
		unit_read_abbrevs(&u->cudie);
		(*n)++;
		off = next;
	}
	if (r <= 0) {
		msg__error("%s: cannot read the unit at %#llx: %s", f->path,
			   (unsigned long long)off, dwarf_errmsg(-1));
		return -EINVAL;
	}
	return 0;
}

/* Merge one encoded unit (in file order); 0 or -errno, after printing */
static int unit_merge_one(struct loader *l, const struct unit *u,
			  const struct cu_out *out)
{
	const struct dwarf_file *f = l->f;
	int err;

	if (!u->encode)
		return 0;
	if (out->err) {
		msg__error("%s", out->errmsg ? out->errmsg : f->path);
		return out->err;
	}
	err = merge__cu(l->m, out);
	if (err)
		msg__error("%s: unit at %#llx: %s", f->path,
			   (unsigned long long)u->off,
			   err == -E2BIG ? "too many types or strings for BTF" :
			   strerror(-err));
	return err;
}

/*
 * Merge encoded unit @i, every unit before it being merged already: the
 * DWARF up to its end is read.
 */
static int unit_merge(struct loader *l, size_t i, const struct cu_out *out)
{
	int err;

	pages__release(&l->info, l->units[i].next);
	if (i + 1 < l->nr_units)
		pages__release(&l->abbrev, l->units[i + 1].abbrev);
	if (out->loclists_end > l->loclists_end)
		l->loclists_end = out->loclists_end;
	pages__release(&l->loclists, l->loclists_end);
	if (l->job == UNIT_SCAN) {
		if (l->units[i].encode)
			shapes__add_unit(l->shapes, i, out);
		return 0;
	}
	err = unit_merge_one(l, &l->units[i], out);
	if (!err && l->unit_merged && l->units[i].encode)
		l->unit_merged(l->unit_merged_ctx);
	if (!err && l->progress)
		l->progress(l->progress_ctx, i + 1, l->nr_units);
	return err;
}

static void unit_encode(const struct loader *l, struct unit *u,
			struct cu_scratch *s, struct cu_out *out)
{
	struct unit_plan plan = { .job = l->job, .want = l->shapes };

	if (!u->encode)
		return;
	if (l->job == UNIT_SCAN) {
		shape__scan(l->f, u->off, u->next, &u->cudie, s, out);
		return;
	}
	if (l->job == UNIT_ENCODE_DIES)
		plan.dies = &l->dies[u - l->units];
	cu__encode(l->f, &plan, u->off, u->next, &u->cudie, s, out);
}

static int units_serial(struct loader *l)
{
	struct cu_scratch scratch = { 0 };
	struct cu_out out = { 0 };
	size_t i;
	int err = 0;

	for (i = 0; i < l->nr_units && !err; i++) {
		unit_encode(l, &l->units[i], &scratch, &out);
		err = unit_merge(l, i, &out);
	}
	cu_out__free(&out);
	cu_scratch__free(&scratch);
	return err;
}

/* The next unit this worker may encode, or false when there is none */
static bool pool_take(struct pool *p, size_t *i)
{
	while (!p->stop && p->next < p->nr_units &&
	       p->next >= p->merged + p->window)
		pthread_cond_wait(&p->cond, &p->lock);
	if (p->stop || p->next >= p->nr_units)
		return false;
	*i = p->next++;
	return true;
}

static void *pool_worker(void *arg)
{
	struct pool *p = arg;
	struct cu_scratch scratch = { 0 };
	size_t i;

	pthread_mutex_lock(&p->lock);
	while (pool_take(p, &i)) {
		pthread_mutex_unlock(&p->lock);
		unit_encode(p->l, &p->units[i], &scratch, &p->outs[i]);
		pthread_mutex_lock(&p->lock);
		p->done[i] = true;
		pthread_cond_broadcast(&p->cond);
	}
	pthread_mutex_unlock(&p->lock);
	cu_scratch__free(&scratch);
	return NULL;
}

/*
 * Merge units in order as they are encoded.  While the next unit to merge
 * is not ready, this thread encodes one from the window itself, so that
 * -j N keeps N threads busy and the merging never waits idle.
 */
static int pool_merge(struct pool *p)
{
	struct cu_scratch scratch = { 0 };
	size_t i, j;
	int err = 0;

	for (i = 0; i < p->nr_units && !err; i++) {
		pthread_mutex_lock(&p->lock);
		while (!p->done[i]) {
			if (p->next < p->nr_units &&
			    p->next < p->merged + p->window) {
				j = p->next++;
				pthread_mutex_unlock(&p->lock);
				unit_encode(p->l, &p->units[j], &scratch, &p->outs[j]);
				pthread_mutex_lock(&p->lock);
				p->done[j] = true;
				continue;
			}
			pthread_cond_wait(&p->cond, &p->lock);
		}
		pthread_mutex_unlock(&p->lock);
		err = unit_merge(p->l, i, &p->outs[i]);
		cu_out__free(&p->outs[i]);
		pthread_mutex_lock(&p->lock);
		p->merged = i + 1;
		p->stop = err != 0;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	cu_scratch__free(&scratch);
	return err;
}

static int units_parallel(struct loader *l, int nr_threads)
{
	size_t n = l->nr_units;
	struct pool p = {
		.l = l, .f = l->f, .units = l->units, .nr_units = n,
		.window = (size_t)nr_threads * WINDOW_PER_THREAD,
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.cond = PTHREAD_COND_INITIALIZER,
	};
	pthread_t *tids = calloc(nr_threads, sizeof(*tids));
	int i, started = 0, err = -ENOMEM;

	p.outs = calloc(n, sizeof(*p.outs));
	p.done = calloc(n, sizeof(*p.done));
	if (tids && p.outs && p.done) {
		/* this thread is one of the N */
		for (i = 0; i < nr_threads - 1; i++)
			if (!pthread_create(&tids[i], NULL, pool_worker, &p))
				started++;
		/* without a worker, this thread encodes too */
		err = started ? pool_merge(&p) : units_serial(l);
	} else {
		msg__error("%s: out of memory", l->f->path);
	}
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	for (i = 0; p.outs && (size_t)i < n; i++)
		cu_out__free(&p.outs[i]);
	free(p.outs);
	free(p.done);
	free(tids);
	return err;
}

static int units_threads(int nr_threads, size_t nr_units)
{
	long cpus;

	if (nr_threads <= 0) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		nr_threads = cpus > 0 ? cpus : 1;
	}
	return (size_t)nr_threads > nr_units ? (int)nr_units : nr_threads;
}

static int units_run(struct loader *l, int nr_threads)
{
	pages__init(l->f, ".debug_info", &l->info);
	pages__init(l->f, ".debug_abbrev", &l->abbrev);
	pages__init(l->f, ".debug_loclists", &l->loclists);
	l->loclists_end = 0;
	nr_threads = units_threads(nr_threads, l->nr_units);
	return nr_threads > 1 ? units_parallel(l, nr_threads) : units_serial(l);
}

/*
 * --min of a kernel: scan every unit for its type names and shapes, then
 * leave only the units to read marked for encoding (dwarf_shape.c), with
 * l->job UNIT_ENCODE_DIES when they are a subset
 */
static int units_subset(struct loader *l, int nr_threads,
			const struct dwarf_reader_opts *opts)
{
	struct dwarf_subset local, *res = opts->subset ? opts->subset : &local;
	struct timespec t0, t1;
	bool *sel = calloc(l->nr_units + 1, sizeof(*sel));
	size_t i, total = 0, n = 0;
	int err = -ENOMEM;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	l->job = UNIT_SCAN;
	l->shapes = shapes__new();
	if (l->shapes && sel)
		err = units_run(l, nr_threads);
	if (!err)
		err = shapes__select(l->shapes, opts->min_roots,
				     opts->nr_min_roots, sel, l->nr_units, res);
	if (!err && res->subset) {
		uint64_t *offs = calloc(l->nr_units + 1, sizeof(*offs));

		for (i = 0; offs && i < l->nr_units; i++)
			offs[i] = l->units[i].off;
		if (offs)
			shapes__place(l->shapes, offs, l->nr_units);
		free(offs);
		err = offs ? shapes__dies(l->shapes, l->nr_units, &l->dies) :
		      -ENOMEM;
	}
	/* kept for the units read */
	l->job = !err && res->subset ? UNIT_ENCODE_DIES : UNIT_ENCODE;
	if (l->job == UNIT_ENCODE) {
		shapes__free(l->shapes);
		l->shapes = NULL;
	}
	for (i = 0; !err && i < l->nr_units; i++) {
		total += l->units[i].encode;
		if (res->subset)
			l->units[i].encode = l->units[i].encode && sel[i];
		n += l->units[i].encode;
	}
	free(sel);
	if (err) {
		msg__error("%s: %s", l->f->path, strerror(-err));
		return err;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->scanned = true;
	res->units = n;
	res->units_total = total;
	res->scan_s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	return 0;
}

int units__load(struct dwarf_file *f, struct merge *m,
		const struct dwarf_reader_opts *opts)
{
	struct loader l = { .f = f, .m = m, .job = UNIT_ENCODE };
	int nr_threads = opts ? opts->nr_threads : 1;
	int err;

	if (opts) {
		l.progress = opts->progress;
		l.progress_ctx = opts->progress_ctx;
		l.unit_merged = opts->unit_merged;
		l.unit_merged_ctx = opts->unit_merged_ctx;
	}
	err = units_collect(f, &l.units, &l.nr_units, &f->has_partial);
	/* the scan reads each unit alone: not units that share DIEs (dwz) */
	if (!err && f->types_only && opts && opts->min_roots &&
	    !f->has_partial && !f->alt)
		err = units_subset(&l, nr_threads, opts);
	if (!err)
		err = units_run(&l, nr_threads);
	shapes__free(l.shapes);
	shape_dies__free(l.dies, l.nr_units);
	free(l.units);
	return err;
}
