// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Handing back the pages of the DWARF already read.
 *
 * libdw reads an uncompressed debug section straight from the file's
 * mapping, so every page of .debug_info it touched stays resident until
 * libdw is closed: for a kernel, more memory than the table being built.
 * Units are encoded in file order (with threads: within a window that
 * starts at the first unit not yet encoded), so once a unit and every unit
 * before it are encoded, the pages below its end are not needed again,
 * and the unit loop releases them with MADV_DONTNEED.
 *
 * That is only safe on pages of a file mapping that nobody wrote to: the
 * kernel then drops them and, should anything read them again (a
 * reference to another unit, an error message naming a DIE), faults the
 * same bytes back in from the file.  On anonymous memory (a section libelf
 * decompressed or read into memory) it would zero them, and on ET_REL
 * files libdwfl writes relocated values into the mapping.  So the section
 * must lie in a mapping of the input file itself, at its own file offset,
 * in a file that is not ET_REL; anything else is never released.
 *
 * An ET_REL file's relocation sections for its debug sections are another
 * matter: libdwfl applies them all when it opens the DWARF (zeroing each
 * entry it applied and emptying the section's header), and nothing reads
 * them again.  For a large module they are more bytes than .debug_info
 * itself (24 bytes for each 4- or 8-byte value relocated), so their whole
 * pages are released as soon as libdwfl is done with them, which puts
 * the file's bytes back there, unused.  Not a page that also holds
 * another section or a header: only a relocation section that shares no
 * byte with any.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "dwarf_int.h"
#include "util.h"

/* More than any fault-around window */
#define RELEASE_AGAIN (256 * 1024)
/*
 * Released 4 MiB at a time (but for the end of the section): each release
 * costs a system call and, while other threads run, a TLB flush on every
 * CPU they run on.
 */
#define RELEASE_BATCH (4ul << 20)

/*
 * Whether [@p, @p + @size) lies in one mapping of file @st at file offset
 * @off, as /proc/self/maps has it.
 */
static bool pages_file_mapped(const char *p, size_t size, const struct stat *st,
			      uint64_t off)
{
	unsigned long long start, end, moff, ino;
	unsigned int maj, min;
	char line[512];
	uintptr_t a = (uintptr_t)p;
	bool ok = false;
	FILE *maps;

	maps = fopen("/proc/self/maps", "re");
	if (!maps)
		return false;
	while (fgets(line, sizeof(line), maps)) {
		if (sscanf(line, "%llx-%llx %*s %llx %x:%x %llu", &start, &end,
			   &moff, &maj, &min, &ino) != 6)
			continue;
		if (a < start || a >= end)
			continue;
		ok = a + size <= end && ino && ino == st->st_ino &&
		     makedev(maj, min) == st->st_dev &&
		     moff + (a - start) == off;
		break;
	}
	fclose(maps);
	return ok;
}

void pages__init(const struct dwarf_file *f, const char *name,
		 struct sec_pages *pg)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx, raw_size;
	const char *raw, *sname;
	struct stat st;
	GElf_Shdr shdr;
	Elf_Data *data;

	memset(pg, 0, sizeof(*pg));
	pg->page = sysconf(_SC_PAGESIZE);
	if (f->is_rel || pg->page <= 0 || elf_getshdrstrndx(f->elf, &shstrndx) ||
	    stat(f->path, &st))
		return;
	raw = elf_rawfile(f->elf, &raw_size);
	while (raw && (scn = elf_nextscn(f->elf, scn))) {
		if (!gelf_getshdr(scn, &shdr))
			continue;
		sname = elf_strptr(f->elf, shstrndx, shdr.sh_name);
		if (!sname || strcmp(sname, name))
			continue;
		data = elf_getdata(scn, NULL);
		if (shdr.sh_flags & SHF_COMPRESSED || !data || !data->d_size ||
		    (const char *)data->d_buf != raw + shdr.sh_offset ||
		    shdr.sh_offset + data->d_size > raw_size ||
		    !pages_file_mapped(data->d_buf, data->d_size, &st,
				       shdr.sh_offset))
			return;
		pg->base = data->d_buf;
		pg->size = data->d_size;
		/* the page before the first whole one holds another section */
		pg->start = ((uintptr_t)pg->base + pg->page - 1) &
			    ~(uintptr_t)(pg->page - 1);
		pg->released = pg->start;
		return;
	}
}

void pages__release(struct sec_pages *pg, size_t off)
{
	uintptr_t mask = ~(uintptr_t)(pg->page - 1), from, to;

	if (!pg->base)
		return;
	if (off > pg->size)
		off = pg->size;
	/* whole pages only: the one @off is in holds bytes still to be read */
	to = ((uintptr_t)pg->base + off) & mask;
	if (to <= pg->released ||
	    (to - pg->released < RELEASE_BATCH && off < pg->size))
		return;
	/*
	 * A fault maps the cached pages around the one faulted in too
	 * (fault-around, 64 KiB by default), so the first read of a unit
	 * maps back pages released at the end of the one before: release
	 * those again.
	 */
	from = pg->released - pg->start > RELEASE_AGAIN ?
	       pg->released - RELEASE_AGAIN : pg->start;
	if (madvise((void *)from, to - from, MADV_DONTNEED))
		pg->base = NULL;	/* leave the rest alone */
	pg->released = to;
}

/* A relocation section whose target is a debug section */
static bool pages_is_debug_reloc(Elf *elf, size_t shstrndx,
				 const GElf_Shdr *sh)
{
	Elf_Scn *target;
	GElf_Shdr tsh;
	const char *name;

	if (sh->sh_type != SHT_REL && sh->sh_type != SHT_RELA)
		return false;
	target = elf_getscn(elf, sh->sh_info);
	if (!target || !gelf_getshdr(target, &tsh))
		return false;
	name = elf_strptr(elf, shstrndx, tsh.sh_name);
	return name && !strncmp(name, ".debug_", 7);
}

/* Whether [@a, @a + @alen) and [@b, @b + @blen) share a byte */
static bool pages_ranges_meet(uint64_t a, uint64_t alen, uint64_t b,
			      uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/*
 * Whether section @self, at [@off, @off + @size), shares a byte with
 * another section or a header
 */
static bool pages_overlaps(Elf *elf, Elf_Scn *self, uint64_t off,
			   uint64_t size)
{
	size_t ehsz = gelf_fsize(elf, ELF_T_EHDR, 1, EV_CURRENT);
	size_t shsz = gelf_fsize(elf, ELF_T_SHDR, 1, EV_CURRENT);
	size_t phsz = gelf_fsize(elf, ELF_T_PHDR, 1, EV_CURRENT);
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	GElf_Shdr sh;
	size_t n;

	if (!gelf_getehdr(elf, &eh) || elf_getshdrnum(elf, &n))
		return true;
	if (pages_ranges_meet(off, size, 0, ehsz) ||
	    pages_ranges_meet(off, size, eh.e_shoff, n * shsz) ||
	    pages_ranges_meet(off, size, eh.e_phoff, eh.e_phnum * phsz))
		return true;
	while ((scn = elf_nextscn(elf, scn))) {
		if (scn != self && gelf_getshdr(scn, &sh) &&
		    sh.sh_type != SHT_NOBITS &&
		    pages_ranges_meet(off, size, sh.sh_offset, sh.sh_size))
			return true;
	}
	return false;
}

void pages__note_debug_relocs(struct dwarf_file *f, Elf *elf)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx, cap = 0;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) ||
		    !pages_is_debug_reloc(elf, shstrndx, &sh) ||
		    pages_overlaps(elf, scn, sh.sh_offset, sh.sh_size))
			continue;
		/* out of memory: fewer released, no harm done */
		if (util__ensure_cap((void **)&f->debug_relocs, &cap,
				     sizeof(*f->debug_relocs),
				     f->nr_debug_relocs + 1))
			return;
		f->debug_relocs[f->nr_debug_relocs++] =
			(struct file_range){ sh.sh_offset, sh.sh_size };
	}
}

/*
 * Whether libdwfl has applied relocation section @scn, which the file has
 * at @r, and its data is the file's bytes, where @raw maps the file: it
 * left the header empty and the data where the mapping has the section.
 * Data in another byte order may have been converted in place.
 */
static bool pages_reloc_done(const struct dwarf_file *f, Elf_Scn *scn,
			     const struct file_range *r, const char *raw)
{
	Elf_Data *data;
	GElf_Shdr sh;
	bool host_big_endian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;

	if (f->big_endian != host_big_endian || !gelf_getshdr(scn, &sh) ||
	    sh.sh_offset != r->off || sh.sh_size)
		return false;
	data = elf_getdata(scn, NULL);
	return data && data->d_buf == raw + r->off;
}

void pages__drop_debug_relocs(struct dwarf_file *f)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t mask = ~(uintptr_t)(page - 1), from, to;
	const struct file_range *r;
	Elf_Scn *scn = NULL;
	const char *raw;
	size_t raw_size, i;
	struct stat st;

	raw = f->nr_debug_relocs ? elf_rawfile(f->elf, &raw_size) : NULL;
	if (!raw || page <= 0 || stat(f->path, &st))
		goto out;
	while ((scn = elf_nextscn(f->elf, scn))) {
		for (i = 0; i < f->nr_debug_relocs; i++) {
			r = &f->debug_relocs[i];
			if (r->off <= raw_size && r->size <= raw_size - r->off &&
			    pages_reloc_done(f, scn, r, raw))
				break;
		}
		if (i == f->nr_debug_relocs ||
		    !pages_file_mapped(raw + r->off, r->size, &st, r->off))
			continue;
		/* whole pages: the others hold bytes of other sections */
		from = ((uintptr_t)(raw + r->off) + page - 1) & mask;
		to = (uintptr_t)(raw + r->off + r->size) & mask;
		if (from < to)
			madvise((void *)from, to - from, MADV_DONTNEED);
	}
out:
	free(f->debug_relocs);
	f->debug_relocs = NULL;
	f->nr_debug_relocs = 0;
}
