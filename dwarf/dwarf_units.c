// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Running the units: encode each (on worker threads when asked), merge
 * each in unit order on the calling thread.
 *
 * Workers take units in order from a window that starts at the first unit
 * not yet merged, so at most a window's worth of unit tables wait in
 * memory.  Only the merge writes to the output and prints, and it sees the
 * units in file order whatever finished first: the output, the warnings
 * and the error reported are the same for any number of threads.
 *
 * libdw is shared by the workers but never for the same unit; every unit
 * is looked up once before they start, so that libdw's unit list is only
 * read while they run.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dwarf_int.h"
#include "msg.h"
#include "util.h"

/* Units in flight per worker: enough to keep workers busy past a big unit */
#define WINDOW_PER_THREAD 8

struct unit {
	Dwarf_Off off;
	Dwarf_Off next;
	Dwarf_Die cudie;
	bool encode;		/* a compile unit in a language not excluded */
	bool unsupported;	/* a unit kind that is not read: warn */
};

struct pool {
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
	int lang = dwarf_srclang(cudie);
	unsigned int i;

	for (i = 0; i < f->nr_lang_exclude; i++)
		if (lang >= 0 && (unsigned int)lang == f->lang_exclude[i])
			return true;
	return false;
}

static void unit_classify(const struct dwarf_file *f, struct unit *u)
{
	uint8_t unit_type;

	if (dwarf_cu_info(u->cudie.cu, NULL, &unit_type, NULL, NULL, NULL,
			  NULL, NULL) || unit_type != DW_UT_compile)
		u->unsupported = true;
	else
		u->encode = !unit_excluded(f, &u->cudie);
}

/* Every unit's range and DIE, in file order; prints its errors */
static int units_collect(const struct dwarf_file *f, struct unit **units,
			 size_t *n)
{
	Dwarf_Off off = 0, next;
	size_t hsize, cap = 0;
	int r, err;

	*units = NULL;
	*n = 0;
	while ((r = dwarf_next_unit(f->dbg, off, &next, &hsize, NULL, NULL,
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
		if (!dwarf_offdie(f->dbg, off + hsize, &u->cudie))
			break;
		unit_classify(f, u);
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
static int unit_merge(const struct dwarf_file *f, struct merge *m,
		      const struct unit *u, const struct cu_out *out)
{
	int err;

	if (u->unsupported)
		merge__warn(m, WARN_UNIT, u->off);
	if (!u->encode)
		return 0;
	if (out->err) {
		msg__error("%s", out->errmsg ? out->errmsg : f->path);
		return out->err;
	}
	err = merge__cu(m, out);
	if (err)
		msg__error("%s: unit at %#llx: %s", f->path,
			   (unsigned long long)u->off,
			   err == -E2BIG ? "too many types or strings for BTF" :
			   strerror(-err));
	return err;
}

static void unit_encode(const struct dwarf_file *f, struct unit *u,
			struct cu_scratch *s, struct cu_out *out)
{
	if (u->encode)
		cu__encode(f, u->off, u->next, &u->cudie, s, out);
}

static int units_serial(const struct dwarf_file *f, struct merge *m,
			struct unit *units, size_t n)
{
	struct cu_scratch scratch = { 0 };
	struct cu_out out = { 0 };
	size_t i;
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		unit_encode(f, &units[i], &scratch, &out);
		err = unit_merge(f, m, &units[i], &out);
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
		unit_encode(p->f, &p->units[i], &scratch, &p->outs[i]);
		pthread_mutex_lock(&p->lock);
		p->done[i] = true;
		pthread_cond_broadcast(&p->cond);
	}
	pthread_mutex_unlock(&p->lock);
	cu_scratch__free(&scratch);
	return NULL;
}

/* Merge units in order as the workers finish them */
static int pool_merge(struct pool *p, struct merge *m)
{
	size_t i;
	int err = 0;

	for (i = 0; i < p->nr_units && !err; i++) {
		pthread_mutex_lock(&p->lock);
		while (!p->done[i])
			pthread_cond_wait(&p->cond, &p->lock);
		pthread_mutex_unlock(&p->lock);
		err = unit_merge(p->f, m, &p->units[i], &p->outs[i]);
		cu_out__free(&p->outs[i]);
		pthread_mutex_lock(&p->lock);
		p->merged = i + 1;
		p->stop = err != 0;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	return err;
}

static int units_parallel(const struct dwarf_file *f, struct merge *m,
			  struct unit *units, size_t n, int nr_threads)
{
	struct pool p = {
		.f = f, .units = units, .nr_units = n,
		.window = (size_t)nr_threads * WINDOW_PER_THREAD,
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.cond = PTHREAD_COND_INITIALIZER,
	};
	pthread_t *tids = calloc(nr_threads, sizeof(*tids));
	int i, started = 0, err = -ENOMEM;

	p.outs = calloc(n, sizeof(*p.outs));
	p.done = calloc(n, sizeof(*p.done));
	if (tids && p.outs && p.done) {
		for (i = 0; i < nr_threads; i++)
			if (!pthread_create(&tids[i], NULL, pool_worker, &p))
				started++;
		/* without a worker, this thread encodes too */
		err = started ? pool_merge(&p, m) : units_serial(f, m, units, n);
	} else {
		msg__error("%s: out of memory", f->path);
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

int units__load(const struct dwarf_file *f, struct merge *m, int nr_threads)
{
	struct unit *units;
	size_t n;
	int err;

	err = units_collect(f, &units, &n);
	if (!err) {
		nr_threads = units_threads(nr_threads, n);
		err = nr_threads > 1 ? units_parallel(f, m, units, n, nr_threads) :
		      units_serial(f, m, units, n);
	}
	free(units);
	return err;
}
