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
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "dwarf_int.h"

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
