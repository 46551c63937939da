// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ELF symbol table, read once before any CU.
 *
 * Functions: a function gets a FUNC only if the linker kept code for it,
 * that is, if the symbol table has a function symbol of its name.  The
 * compiler may have kept it under another name only: a clone that takes
 * fewer or other parameters (NAME.isra.N, NAME.constprop.N) or a renamed
 * copy (NAME.llvm.N, NAME.localalias); with optimized_func those count for
 * NAME, and the selection checks that the code still takes what DWARF says.
 * Fragments of a function (NAME.cold, NAME.part.N) never count: tracing
 * them is tracing the middle of a function.  The symbols of one NAME are
 * grouped, with their addresses: a NAME whose symbols are not all at one
 * address names different functions (two static functions of different
 * units, or a copy and a clone), and no single prototype describes them.
 *
 * Variables: the object symbols of the sections whose variables are
 * encoded, and the section table, to place a variable by its address.
 *
 * kfuncs: the sets of .BTF_ids flagged as kfunc sets (BTF_SET8_KFUNCS),
 * and the functions listed in them.
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
#define BTF_IDS_SECTION ".BTF_ids"
#define BTF_ID_FUNC "__BTF_ID__func__"
#define BTF_ID_SET8 "__BTF_ID__set8__"
/* struct btf_id_set8 { u32 cnt; u32 flags; { u32 id; u32 flags; } pairs[]; } */
#define SET8_FLAGS_OFF 4
#define SET8_KFUNCS 1u
#define PAIR_FLAGS_OFF 4

/* A function symbol while the table is read */
struct fsym {
	const char *name;	/* the whole symbol name */
	size_t len;		/* of NAME, the part DWARF names */
	uint64_t addr;
	bool clone;
};

/* A symbol of .BTF_ids */
struct id_sym {
	const char *name;
	uint64_t off;		/* in the section */
	uint64_t size;
};

struct scan {
	struct fsym *fsyms;
	size_t nr_fsyms;
	size_t fsyms_cap;
	struct id_sym *ids;
	size_t nr_ids;
	size_t ids_cap;
	size_t objs_cap;
	size_t ids_sec;		/* index of .BTF_ids, 0 if none */
	Elf_Data *ids_data;
};

static uint32_t name_hash(long key, void *ctx)
{
	return hmap_hash_str((const char *)key);
}

static bool name_equal(long a, long b, void *ctx)
{
	return !strcmp((const char *)a, (const char *)b);
}

const struct func_syms *syms__func(const struct dwarf_syms *s,
				   const char *name)
{
	long v;

	if (!s->funcs || !name || hmap__find(s->funcs, (long)name, &v))
		return NULL;
	return &s->groups[v];
}

bool syms__func_at(const struct dwarf_syms *s, const struct func_syms *g,
		   uint64_t addr, bool *clone)
{
	uint32_t i;

	for (i = 0; addr && i < g->nr; i++) {
		if (s->fsyms[g->first + i].addr == addr) {
			if (clone)
				*clone = s->fsyms[g->first + i].clone;
			return true;
		}
	}
	return false;
}

size_t syms__sec_at(const struct dwarf_syms *s, uint64_t addr)
{
	size_t i;

	for (i = 1; i < s->nr_secs; i++) {
		const struct sec_info *si = &s->secs[i];

		if (si->data && addr >= si->addr && addr - si->addr < si->size)
			return i;
	}
	return 0;
}

static int obj_cmp_key(const struct obj_sym *o, size_t sec, uint64_t off)
{
	if (o->sec != sec)
		return o->sec < sec ? -1 : 1;
	if (o->off != off)
		return o->off < off ? -1 : 1;
	return 0;
}

const struct obj_sym *syms__obj_at(const struct dwarf_syms *s, size_t sec,
				   uint64_t off, const char *name)
{
	size_t lo = 0, hi = s->nr_objs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (obj_cmp_key(&s->objs[mid], sec, off) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < s->nr_objs && !obj_cmp_key(&s->objs[lo], sec, off); lo++)
		if (!name || !strcmp(name, s->objs[lo].name))
			return &s->objs[lo];
	return NULL;
}

void syms__free(struct dwarf_syms *s)
{
	size_t i;

	hmap__free(s->funcs);
	free(s->groups);
	free(s->fsyms);
	for (i = 0; i < s->nr_owned; i++)
		free(s->owned[i]);
	free(s->owned);
	free(s->secs);
	free(s->objs);
	memset(s, 0, sizeof(*s));
}

static int obj_cmp(const void *pa, const void *pb)
{
	const struct obj_sym *a = pa, *b = pb;
	int c = obj_cmp_key(a, b->sec, b->off);

	return c ? c : strcmp(a->name, b->name);
}

/* The section table: names, addresses, which hold data */
static int syms_read_secs(struct dwarf_file *f, size_t shstrndx,
			  struct scan *sc)
{
	struct dwarf_syms *s = &f->syms;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t n;

	if (elf_getshdrnum(f->elf, &n))
		return -EINVAL;
	s->secs = calloc(n ? n : 1, sizeof(*s->secs));
	if (!s->secs)
		return -ENOMEM;
	s->nr_secs = n;
	while ((scn = elf_nextscn(f->elf, scn))) {
		size_t ndx = elf_ndxscn(scn);
		struct sec_info *si = &s->secs[ndx];

		if (ndx >= n || !gelf_getshdr(scn, &sh))
			continue;
		si->name = elf_strptr(f->elf, shstrndx, sh.sh_name);
		si->addr = sh.sh_addr;
		si->size = sh.sh_size;
		si->data = (sh.sh_flags & SHF_ALLOC) && si->name &&
			   (sh.sh_type == SHT_PROGBITS || sh.sh_type == SHT_NOBITS);
		if (!si->name)
			continue;
		if (!strcmp(si->name, PERCPU_SECTION))
			s->percpu_sec = ndx;
		if (!strcmp(si->name, BTF_IDS_SECTION) &&
		    sh.sh_type == SHT_PROGBITS) {
			sc->ids_sec = ndx;
			sc->ids_data = elf_getdata(scn, NULL);
		}
	}
	return 0;
}

/* Whether the part of @name after NAME marks a fragment, or a clone */
static bool suffix_has(const char *suffix, const char *const *what)
{
	for (; *what; what++)
		if (strstr(suffix, *what))
			return true;
	return false;
}

static int syms_add_func(struct dwarf_file *f, struct scan *sc,
			 const char *name, uint64_t addr)
{
	static const char *const fragment[] = { ".cold", ".part", NULL };
	static const char *const clone[] = { ".isra", ".constprop", NULL };
	const char *dot = strchr(name, '.');
	struct fsym *fs;
	int err;

	if (dot && (!f->clone_funcs || dot == name ||
		    suffix_has(dot, fragment)))
		return 0;
	err = util__ensure_cap((void **)&sc->fsyms, &sc->fsyms_cap,
			       sizeof(*fs), sc->nr_fsyms + 1);
	if (err)
		return err;
	fs = &sc->fsyms[sc->nr_fsyms++];
	fs->name = name;
	fs->len = dot ? (size_t)(dot - name) : strlen(name);
	fs->addr = addr;
	fs->clone = dot && suffix_has(dot, clone);
	return 0;
}

static int syms_add_obj(struct dwarf_file *f, struct scan *sc, size_t sec,
			const GElf_Sym *sym, const char *name)
{
	struct dwarf_syms *s = &f->syms;
	struct obj_sym *o;
	int err;

	if (!sym->st_size)
		return 0;
	err = util__ensure_cap((void **)&s->objs, &sc->objs_cap, sizeof(*o),
			       s->nr_objs + 1);
	if (err)
		return err;
	o = &s->objs[s->nr_objs++];
	o->sec = sec;
	/* ET_REL symbol values are already section-relative */
	o->off = f->is_rel ? sym->st_value : sym->st_value - s->secs[sec].addr;
	o->size = sym->st_size;
	o->name = name;
	return 0;
}

static int syms_add_id(struct dwarf_file *f, struct scan *sc,
		       const GElf_Sym *sym, const char *name)
{
	struct id_sym *is;
	int err;

	if (strncmp(name, BTF_ID_FUNC, sizeof(BTF_ID_FUNC) - 1) &&
	    strncmp(name, BTF_ID_SET8, sizeof(BTF_ID_SET8) - 1))
		return 0;
	err = util__ensure_cap((void **)&sc->ids, &sc->ids_cap, sizeof(*is),
			       sc->nr_ids + 1);
	if (err)
		return err;
	is = &sc->ids[sc->nr_ids++];
	is->name = name;
	is->off = f->is_rel ? sym->st_value :
		  sym->st_value - f->syms.secs[sc->ids_sec].addr;
	is->size = sym->st_size;
	return 0;
}

/* Whether the variables of section @sec are encoded */
static bool syms_var_sec(const struct dwarf_file *f, size_t sec)
{
	const struct dwarf_syms *s = &f->syms;

	if (!sec || sec >= s->nr_secs || !s->secs[sec].data)
		return false;
	if (sec == s->percpu_sec)
		return f->vars || f->global_vars;
	return f->global_vars;
}

static int syms_one(struct dwarf_file *f, struct scan *sc, const GElf_Sym *sym,
		    const char *name, size_t sec)
{
	uint64_t addr = sym->st_value;

	if (sec && sec == sc->ids_sec)
		return syms_add_id(f, sc, sym, name);
	switch (GELF_ST_TYPE(sym->st_info)) {
	case STT_FUNC:
		if (sym->st_shndx == SHN_UNDEF)
			return 0;
		if (f->is_rel && sec < f->syms.nr_secs)
			addr += f->syms.secs[sec].addr;
		return syms_add_func(f, sc, name, addr);
	case STT_OBJECT:
		return syms_var_sec(f, sec) ? syms_add_obj(f, sc, sec, sym, name) : 0;
	default:
		return 0;
	}
}

static int syms_scan(struct dwarf_file *f, Elf_Scn *symscn, struct scan *sc)
{
	Elf_Data *data = elf_getdata(symscn, NULL), *xdata = NULL;
	GElf_Shdr shdr;
	size_t i, n;
	Elf_Scn *scn = NULL;
	int err = 0;

	if (!data || !gelf_getshdr(symscn, &shdr) || !shdr.sh_entsize)
		return -EINVAL;
	while ((scn = elf_nextscn(f->elf, scn))) {
		GElf_Shdr x;

		if (gelf_getshdr(scn, &x) && x.sh_type == SHT_SYMTAB_SHNDX &&
		    x.sh_link == elf_ndxscn(symscn))
			xdata = elf_getdata(scn, NULL);
	}
	n = shdr.sh_size / shdr.sh_entsize;
	for (i = 1; i < n && !err; i++) {
		GElf_Sym sym;
		Elf32_Word xndx;
		const char *name;
		size_t ndx;

		if (!gelf_getsymshndx(data, xdata, i, &sym, &xndx))
			return -EINVAL;
		name = elf_strptr(f->elf, shdr.sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		ndx = sym.st_shndx == SHN_XINDEX ? xndx : sym.st_shndx;
		if (sym.st_shndx >= SHN_LORESERVE && sym.st_shndx != SHN_XINDEX)
			ndx = 0;
		err = syms_one(f, sc, &sym, name, ndx);
	}
	return err;
}

static int fsym_cmp(const void *pa, const void *pb)
{
	const struct fsym *a = pa, *b = pb;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, n);

	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* NAME of a group: an exact symbol's name when there is one, else a copy */
static int group_name(struct dwarf_syms *s, const struct fsym *fs, size_t nr,
		      const char **name)
{
	size_t i;
	char *copy;
	int err;

	for (i = 0; i < nr; i++) {
		if (!fs[i].name[fs[i].len]) {
			*name = fs[i].name;
			return 0;
		}
	}
	err = util__ensure_cap((void **)&s->owned, &s->owned_cap,
			       sizeof(*s->owned), s->nr_owned + 1);
	if (err)
		return err;
	copy = strndup(fs[0].name, fs[0].len);
	if (!copy)
		return -ENOMEM;
	s->owned[s->nr_owned++] = copy;
	*name = copy;
	return 0;
}

static int group_add(struct dwarf_syms *s, const struct fsym *fs, size_t nr,
		     size_t *cap)
{
	struct func_syms *g;
	size_t i;
	int err;

	err = util__ensure_cap((void **)&s->groups, cap, sizeof(*g),
			       s->nr_groups + 1);
	if (err)
		return err;
	g = &s->groups[s->nr_groups];
	memset(g, 0, sizeof(*g));
	err = group_name(s, fs, nr, &g->name);
	if (err)
		return err;
	g->first = s->nr_fsyms;
	g->nr = nr;
	for (i = 0; i < nr; i++) {
		s->fsyms[s->nr_fsyms].addr = fs[i].addr;
		s->fsyms[s->nr_fsyms++].clone = fs[i].clone;
		g->ambiguous |= fs[i].addr != fs[0].addr;
	}
	err = hmap__insert(s->funcs, (long)g->name, s->nr_groups, HMAP_ADD,
			   NULL);
	if (!err)
		s->nr_groups++;
	return err;
}

/* Group the function symbols by NAME */
static int syms_group(struct dwarf_syms *s, struct scan *sc)
{
	size_t i, j, cap = 0;
	int err = 0;

	if (sc->nr_fsyms)
		qsort(sc->fsyms, sc->nr_fsyms, sizeof(*sc->fsyms), fsym_cmp);
	s->fsyms = calloc(sc->nr_fsyms ? sc->nr_fsyms : 1, sizeof(*s->fsyms));
	s->funcs = hmap__new(name_hash, name_equal, NULL);
	if (!s->fsyms || !s->funcs)
		return -ENOMEM;
	for (i = 0; i < sc->nr_fsyms && !err; i = j) {
		for (j = i + 1; j < sc->nr_fsyms; j++)
			if (sc->fsyms[j].len != sc->fsyms[i].len ||
			    memcmp(sc->fsyms[j].name, sc->fsyms[i].name,
				   sc->fsyms[i].len))
				break;
		err = group_add(s, &sc->fsyms[i], j - i, &cap);
	}
	return err;
}

static uint32_t ids_u32(const struct dwarf_file *f, const Elf_Data *d,
			uint64_t off)
{
	const unsigned char *p = (const unsigned char *)d->d_buf + off;

	return f->big_endian ? (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3] :
	       (uint32_t)p[3] << 24 | p[2] << 16 | p[1] << 8 | p[0];
}

/* A u32 of .BTF_ids at @off, if the section holds one there */
static bool ids_read(const struct dwarf_file *f, const struct scan *sc,
		     uint64_t off, uint32_t *v)
{
	const Elf_Data *d = sc->ids_data;

	if (!d || !d->d_buf || off > d->d_size || d->d_size - off < 4)
		return false;
	*v = ids_u32(f, d, off);
	return true;
}

/* Whether @off lies in a set8 flagged as a kfunc set */
static bool ids_in_kfunc_set(const struct dwarf_file *f, const struct scan *sc,
			     uint64_t off)
{
	uint32_t flags;
	size_t i;

	for (i = 0; i < sc->nr_ids; i++) {
		const struct id_sym *set = &sc->ids[i];

		if (strncmp(set->name, BTF_ID_SET8, sizeof(BTF_ID_SET8) - 1) ||
		    off < set->off || off - set->off >= set->size)
			continue;
		if (ids_read(f, sc, set->off + SET8_FLAGS_OFF, &flags) &&
		    (flags & SET8_KFUNCS))
			return true;
	}
	return false;
}

/* "__BTF_ID__func__NAME__N" -> NAME, or false */
static bool ids_func_name(const char *sym, char *buf, size_t size)
{
	const char *p = sym + sizeof(BTF_ID_FUNC) - 1, *end = NULL, *q;

	if (strncmp(sym, BTF_ID_FUNC, sizeof(BTF_ID_FUNC) - 1))
		return false;
	for (q = strstr(p, "__"); q; q = strstr(q + 1, "__"))
		end = q;
	if (!end || end == p || (size_t)(end - p) >= size)
		return false;
	memcpy(buf, p, end - p);
	buf[end - p] = 0;
	return true;
}

static void syms_mark_kfuncs(struct dwarf_file *f, const struct scan *sc)
{
	char name[256];
	uint32_t flags;
	size_t i;

	for (i = 0; i < sc->nr_ids; i++) {
		const struct id_sym *id = &sc->ids[i];
		struct func_syms *g;

		if (!ids_func_name(id->name, name, sizeof(name)) ||
		    !ids_in_kfunc_set(f, sc, id->off))
			continue;
		g = (struct func_syms *)syms__func(&f->syms, name);
		if (!g)
			continue;
		g->kfunc = true;
		if (ids_read(f, sc, id->off + PAIR_FLAGS_OFF, &flags))
			g->kfunc_flags = flags;
	}
}

int syms__load(struct dwarf_file *f)
{
	Elf_Scn *scn = NULL, *symscn = NULL;
	struct scan sc = { 0 };
	size_t shstrndx;
	GElf_Shdr shdr;
	int err;

	if (elf_getshdrstrndx(f->elf, &shstrndx)) {
		msg__error("%s: cannot read the section headers: %s", f->path,
			   elf_errmsg(-1));
		return -EINVAL;
	}
	while ((scn = elf_nextscn(f->elf, scn)))
		if (gelf_getshdr(scn, &shdr) && shdr.sh_type == SHT_SYMTAB)
			symscn = scn;
	err = syms_read_secs(f, shstrndx, &sc);
	/* without symbols no variable can be placed, no function checked */
	if (!err && symscn)
		err = syms_scan(f, symscn, &sc);
	if (!err)
		err = syms_group(&f->syms, &sc);
	if (!err && f->kfunc_tags)
		syms_mark_kfuncs(f, &sc);
	if (err == -EINVAL)
		msg__error("%s: cannot read the symbol table: %s", f->path,
			   elf_errmsg(-1));
	else if (err)
		msg__error("%s: reading the symbol table: %s", f->path,
			   strerror(-err));
	if (!err && f->syms.nr_objs)
		qsort(f->syms.objs, f->syms.nr_objs, sizeof(*f->syms.objs),
		      obj_cmp);
	free(sc.fsyms);
	free(sc.ids);
	return err;
}
