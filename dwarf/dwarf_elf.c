// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ELF symbol table, read once before any CU: the names of functions
 * (a function gets a FUNC only if the linker kept a symbol for it) and the
 * variables of the per-CPU section (the only variables BTF describes).
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

static uint32_t name_hash(long key, void *ctx)
{
	return hmap_hash_str((const char *)key);
}

static bool name_equal(long a, long b, void *ctx)
{
	return !strcmp((const char *)a, (const char *)b);
}

bool syms__has_func(const struct dwarf_syms *s, const char *name)
{
	long v;

	return s->funcs && !hmap__find(s->funcs, (long)name, &v);
}

/* The first per-CPU symbol at @off, or NULL */
const struct percpu_sym *syms__percpu_at(const struct dwarf_syms *s,
					 uint64_t off)
{
	size_t lo = 0, hi = s->nr_percpu;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->percpu[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nr_percpu && s->percpu[lo].off == off ?
	       &s->percpu[lo] : NULL;
}

void syms__free(struct dwarf_syms *s)
{
	hmap__free(s->funcs);
	free(s->percpu);
	memset(s, 0, sizeof(*s));
}

static int percpu_cmp(const void *pa, const void *pb)
{
	const struct percpu_sym *a = pa, *b = pb;

	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Find the per-CPU section: its index, address and size. */
static size_t syms_find_percpu(struct dwarf_file *f, size_t shstrndx)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;

	while ((scn = elf_nextscn(f->elf, scn))) {
		const char *name;

		if (!gelf_getshdr(scn, &shdr))
			continue;
		name = elf_strptr(f->elf, shstrndx, shdr.sh_name);
		if (!name || strcmp(name, PERCPU_SECTION))
			continue;
		f->syms.has_percpu = true;
		f->syms.percpu_addr = shdr.sh_addr;
		f->syms.percpu_size = shdr.sh_size;
		return elf_ndxscn(scn);
	}
	return 0;
}

static int syms_add_percpu(struct dwarf_file *f, const GElf_Sym *sym,
			   const char *name, size_t *cap)
{
	struct dwarf_syms *s = &f->syms;
	struct percpu_sym *p;
	int err;

	if (!sym->st_size)
		return 0;
	err = util__ensure_cap((void **)&s->percpu, cap, sizeof(*p),
			       s->nr_percpu + 1);
	if (err)
		return err;
	p = &s->percpu[s->nr_percpu++];
	/* ET_REL symbol values are already section-relative */
	p->off = f->is_rel ? sym->st_value : sym->st_value - s->percpu_addr;
	p->size = sym->st_size;
	p->name = name;
	return 0;
}

static int syms_add_func(struct dwarf_syms *s, const char *name)
{
	int err = hmap__insert(s->funcs, (long)name, 0, HMAP_ADD, NULL);

	if (err == -EEXIST)
		return 0;
	if (!err)
		s->nr_funcs++;
	return err;
}

static int syms_scan(struct dwarf_file *f, Elf_Scn *symscn, size_t percpu_ndx)
{
	Elf_Data *data = elf_getdata(symscn, NULL), *xdata = NULL;
	GElf_Shdr shdr;
	size_t i, n, cap = 0;
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
		if (GELF_ST_TYPE(sym.st_info) == STT_FUNC)
			err = syms_add_func(&f->syms, name);
		else if (GELF_ST_TYPE(sym.st_info) == STT_OBJECT &&
			 percpu_ndx && ndx == percpu_ndx)
			err = syms_add_percpu(f, &sym, name, &cap);
	}
	return err;
}

int syms__load(struct dwarf_file *f)
{
	Elf_Scn *scn = NULL, *symscn = NULL;
	size_t shstrndx, percpu_ndx;
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
	percpu_ndx = syms_find_percpu(f, shstrndx);
	if (!symscn) {
		/* as without per-CPU symbols: no variable can be placed */
		f->syms.has_percpu = false;
		return 0;
	}
	f->syms.funcs = hmap__new(name_hash, name_equal, NULL);
	if (!f->syms.funcs)
		return -ENOMEM;
	err = syms_scan(f, symscn, percpu_ndx);
	if (err == -EINVAL)
		msg__error("%s: cannot read the symbol table: %s", f->path,
			   elf_errmsg(-1));
	else if (err)
		msg__error("%s: reading the symbol table: %s", f->path,
			   strerror(-err));
	if (!err && f->syms.nr_percpu)
		qsort(f->syms.percpu, f->syms.nr_percpu,
		      sizeof(*f->syms.percpu), percpu_cmp);
	return err;
}
