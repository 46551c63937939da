// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The .BTF section of ELF files: reading it, and adding or replacing it
 * (with .BTF.base, the distilled base of a module, beside it).
 *
 * Writing copies the input into a new file beside it with libelf and the
 * caller-controlled layout (ELF_F_LAYOUT): every section keeps its file
 * offset, so loaded segments of executables, kernels and shared objects
 * stay byte for byte where the program headers say they are.  Only what
 * must grow moves, to after the old end of the file: the sections written
 * (new, or larger than before) and .shstrtab (when a name is new),
 * followed by the section header table.  A section to remove keeps its
 * index (symbols, relocations and links count sections by index): its
 * header becomes an unnamed SHT_NULL one, which no reader looks up.  All
 * sections change in the one new file, which replaces the original by
 * rename() only when it is complete; the original is never modified in
 * place.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memmem */
#endif
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf_io.h"
#include "btf_io_int.h"
#include "msg.h"

static const char btf_name[] = ".BTF";
static const char btf_base_name[] = ".BTF.base";

static int elf_init(const char *path)
{
	if (elf_version(EV_CURRENT) != EV_NONE)
		return 0;
	msg__error("%s: libelf: %s", path, elf_errmsg(-1));
	return -EINVAL;
}

static int elf_fail(const char *path, const char *doing)
{
	msg__error("%s: %s: %s", path, doing, elf_errmsg(-1));
	return -EINVAL;
}

/* The first section named @name, or NULL; *@ndx gets its index. */
static Elf_Scn *elf_find_scn(Elf *elf, size_t strndx, const char *name,
			     size_t *ndx)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	const char *s;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		s = elf_strptr(elf, strndx, sh.sh_name);
		if (s && !strcmp(s, name)) {
			*ndx = elf_ndxscn(scn);
			return scn;
		}
	}
	return NULL;
}

static Elf *elf_open_read(int fd, void *image, size_t size, const char *path)
{
	Elf *elf;

	if (elf_init(path))
		return NULL;
	elf = fd >= 0 ? elf_begin(fd, ELF_C_READ_MMAP, NULL) :
			elf_memory(image, size);
	if (elf && elf_kind(elf) == ELF_K_ELF)
		return elf;
	if (elf)
		msg__error("%s: not an ELF file", path);
	else
		msg__error("%s: not a valid ELF file: %s", path, elf_errmsg(-1));
	elf_end(elf);
	return NULL;
}

static int elf_read_btf(Elf *elf, const char *path, const char *what,
			const struct btf_table *base, struct btf_table **out)
{
	size_t ndx, strndx;
	Elf_Data *data;
	Elf_Scn *scn;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(elf, &strndx))
		return elf_fail(path, "cannot read the section headers");
	scn = elf_find_scn(elf, strndx, btf_name, &ndx);
	if (!scn) {
		msg__error("%s: no .BTF section", path);
		return -ENOENT;
	}
	if (!gelf_getshdr(scn, &sh))
		return elf_fail(what, "cannot read the section header");
	if (sh.sh_type == SHT_NOBITS) {
		msg__error("%s: the section has no data", what);
		return -EINVAL;
	}
	if ((sh.sh_flags & SHF_COMPRESSED) && elf_compress(scn, 0, 0) < 0)
		return elf_fail(what, "cannot decompress");
	data = elf_getdata(scn, NULL);
	if (!data || (!data->d_buf && data->d_size))
		return elf_fail(what, "cannot read");
	return btf_io__parse_raw(data->d_buf, data->d_size, what, base, out);
}

int btf_io__read_elf(int fd, void *image, size_t size,
		     const char *path, const struct btf_table *base,
		     struct btf_table **out)
{
	size_t what_len = strlen(path) + sizeof(": .BTF");
	char *what = malloc(what_len);
	Elf *elf = NULL;
	int err = -ENOMEM;

	if (!what) {
		msg__error("%s: %s", path, strerror(ENOMEM));
		goto out;
	}
	snprintf(what, what_len, "%s: .BTF", path);
	elf = elf_open_read(fd, image, size, path);
	err = elf ? elf_read_btf(elf, path, what, base, out) : -EINVAL;
out:
	elf_end(elf);
	free(what);
	return err;
}

/* The sections a copy writes */
#define MAX_OUT_SECS 4

/* One section to write, or to remove */
struct out_sec {
	const char *name;
	const struct btf_table *tab;	/* NULL: remove the section */
	void *data;			/* its raw BTF */
	size_t len;
	size_t ndx;			/* its index in the input, 0: new */
	size_t name_off;		/* sh_name of a new one */
};

/* State of one copy of an ELF file with new sections */
struct elf_copy {
	const char *path;
	Elf *in;
	Elf *out;
	size_t shnum;
	size_t shstrndx;
	struct out_sec secs[MAX_OUT_SECS];
	size_t nr_secs;
	char *shstr;		/* .shstrtab with new names appended, or NULL */
	size_t shstr_len;
	GElf_Off end;		/* where the next moved data may go */
};

static GElf_Off align_up(GElf_Off v, GElf_Off a)
{
	return a > 1 ? (v + a - 1) / a * a : v;
}

/*
 * The end of everything the input file holds that we keep: headers,
 * segments (they may cover bytes no section names), sections.
 */
static int elf_copy_end(struct elf_copy *c)
{
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	GElf_Phdr ph;
	GElf_Shdr sh;
	size_t i, phnum;

	if (!gelf_getehdr(c->in, &eh) || elf_getphdrnum(c->in, &phnum))
		return elf_fail(c->path, "cannot read the ELF header");
	c->end = phnum ? eh.e_phoff + (GElf_Off)phnum * eh.e_phentsize : 0;
	if (c->end < eh.e_ehsize)
		c->end = eh.e_ehsize;
	for (i = 0; i < phnum; i++) {
		if (!gelf_getphdr(c->in, i, &ph))
			return elf_fail(c->path, "cannot read the program headers");
		if (ph.p_offset + ph.p_filesz > c->end)
			c->end = ph.p_offset + ph.p_filesz;
	}
	while ((scn = elf_nextscn(c->in, scn))) {
		if (!gelf_getshdr(scn, &sh))
			return elf_fail(c->path, "cannot read a section header");
		if (sh.sh_type != SHT_NOBITS && sh.sh_offset + sh.sh_size > c->end)
			c->end = sh.sh_offset + sh.sh_size;
	}
	return 0;
}

/* The section written at input index @ndx, or NULL */
static struct out_sec *elf_copy_out(struct elf_copy *c, size_t ndx)
{
	size_t i;

	for (i = 0; ndx && i < c->nr_secs; i++)
		if (c->secs[i].ndx == ndx)
			return &c->secs[i];
	return NULL;
}

/* Relocations against a section written would apply to the old contents. */
static int elf_copy_check_relocs(struct elf_copy *c)
{
	Elf_Scn *scn = NULL;
	struct out_sec *os;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(c->in, scn))) {
		if (!gelf_getshdr(scn, &sh))
			return elf_fail(c->path, "cannot read a section header");
		if ((sh.sh_type != SHT_REL && sh.sh_type != SHT_RELA) ||
		    !(os = elf_copy_out(c, sh.sh_info)))
			continue;
		msg__error("%s: %s has relocations (section [%zu]); cannot %s it",
			   c->path, os->name, elf_ndxscn(scn),
			   os->tab ? "replace" : "remove");
		return -EINVAL;
	}
	return 0;
}

/*
 * Each new section needs its name in .shstrtab: reuse the name where the
 * table has it already (a name may be the tail of another), else append.
 */
static int elf_copy_names(struct elf_copy *c)
{
	size_t i, len, extra = 0, room = 0;
	struct out_sec *os;
	Elf_Data *d;
	const char *p;

	d = elf_rawdata(elf_getscn(c->in, c->shstrndx), NULL);
	if (!d || (!d->d_buf && d->d_size))
		return elf_fail(c->path, "cannot read the section name table");
	for (i = 0; i < c->nr_secs; i++)
		room += strlen(c->secs[i].name) + 1;
	for (i = 0; i < c->nr_secs; i++) {
		os = &c->secs[i];
		len = strlen(os->name) + 1;
		if (os->ndx || !os->tab)
			continue;
		p = d->d_size ? memmem(d->d_buf, d->d_size, os->name, len) : NULL;
		if (p) {
			os->name_off = p - (const char *)d->d_buf;
			continue;
		}
		if (!c->shstr) {
			c->shstr = malloc(d->d_size + room);
			if (!c->shstr) {
				msg__error("%s: %s", c->path, strerror(ENOMEM));
				return -ENOMEM;
			}
			if (d->d_size)
				memcpy(c->shstr, d->d_buf, d->d_size);
		}
		os->name_off = d->d_size + extra;
		memcpy(c->shstr + os->name_off, os->name, len);
		extra += len;
	}
	c->shstr_len = d->d_size + extra;
	return 0;
}

static int elf_copy_scan(struct elf_copy *c)
{
	size_t i;
	int err;

	if (elf_getshdrnum(c->in, &c->shnum) ||
	    elf_getshdrstrndx(c->in, &c->shstrndx))
		return elf_fail(c->path, "cannot read the section headers");
	if (!c->shstrndx || c->shstrndx >= c->shnum) {
		msg__error("%s: no section name table", c->path);
		return -EINVAL;
	}
	for (i = 0; i < c->nr_secs; i++)
		if (!elf_find_scn(c->in, c->shstrndx, c->secs[i].name,
				  &c->secs[i].ndx))
			c->secs[i].ndx = 0;
	err = elf_copy_end(c);
	if (!err)
		err = elf_copy_check_relocs(c);
	if (!err)
		err = elf_copy_names(c);
	if (!err && elf_find_scn(c->in, c->shstrndx, ".BTF.ext", &(size_t){ 0 }))
		msg__warn("%s: .BTF.ext is left as it is; it describes the old .BTF",
			  c->path);
	return err;
}

static int elf_copy_headers(struct elf_copy *c)
{
	GElf_Phdr ph;
	GElf_Ehdr eh;
	size_t i, phnum;

	if (!gelf_getehdr(c->in, &eh) || elf_getphdrnum(c->in, &phnum))
		return elf_fail(c->path, "cannot read the ELF header");
	if (!gelf_newehdr(c->out, gelf_getclass(c->in)) ||
	    !gelf_update_ehdr(c->out, &eh))
		return elf_fail(c->path, "cannot create the ELF header");
	if (phnum && !gelf_newphdr(c->out, phnum))
		return elf_fail(c->path, "cannot create the program headers");
	for (i = 0; i < phnum; i++) {
		if (!gelf_getphdr(c->in, i, &ph) ||
		    !gelf_update_phdr(c->out, i, &ph))
			return elf_fail(c->path, "cannot copy the program headers");
	}
	return 0;
}

/* Give @scn one data block of @size bytes at @buf. */
static int elf_set_data(struct elf_copy *c, Elf_Scn *scn, void *buf,
			size_t size, GElf_Xword align)
{
	Elf_Data *d = elf_newdata(scn);

	if (!d)
		return elf_fail(c->path, "cannot add section data");
	d->d_buf = buf;
	d->d_size = size;
	d->d_type = ELF_T_BYTE;
	d->d_off = 0;
	d->d_align = align ? align : 1;
	d->d_version = EV_CURRENT;
	return 0;
}

/* Place @size bytes after everything else; returns the offset. */
static GElf_Off elf_copy_place(struct elf_copy *c, size_t size,
			       GElf_Xword align)
{
	GElf_Off off = align_up(c->end, align > 8 ? align : 8);

	c->end = off + size;
	return off;
}

/*
 * True when no other section of the input starts at or after the end of
 * @ndx's data: not even an empty one, whose offset growing in place would
 * cover (the writer fills gaps up to each section's offset).
 */
static bool elf_nothing_after(struct elf_copy *c, size_t ndx, const GElf_Shdr *sh)
{
	GElf_Off end = sh->sh_offset + sh->sh_size;
	Elf_Scn *scn = NULL;
	GElf_Shdr o;

	while ((scn = elf_nextscn(c->in, scn))) {
		if (elf_ndxscn(scn) == ndx || !gelf_getshdr(scn, &o) ||
		    o.sh_type == SHT_NOBITS || o.sh_type == SHT_NULL)
			continue;
		if (o.sh_offset >= end)
			return false;
	}
	return true;
}

/*
 * A new section's data goes where the old one was when it fits there, or
 * when the old one was the last data of the file and nothing loads it (so
 * growing covers nothing else).  Otherwise it moves past the end of the
 * file; an allocated section of a file with segments then stops being
 * allocated, since no segment covers its new place.
 */
static int elf_copy_sec(struct elf_copy *c, struct out_sec *os, Elf_Scn *scn,
			GElf_Shdr *sh)
{
	bool last = sh->sh_offset + sh->sh_size == c->end &&
		    elf_nothing_after(c, os->ndx, sh);
	bool loaded, in_place;
	size_t phnum = 0;

	elf_getphdrnum(c->in, &phnum);
	loaded = (sh->sh_flags & SHF_ALLOC) && phnum;
	in_place = sh->sh_type != SHT_NOBITS &&
		   !(sh->sh_flags & SHF_COMPRESSED) &&
		   (os->len <= sh->sh_size || (last && !loaded));
	if (in_place && os->len > sh->sh_size)
		c->end = sh->sh_offset + os->len;
	if (!in_place && loaded) {
		msg__warn("%s: the new %s does not fit the loaded one; it is no longer loaded",
			  c->path, os->name);
		sh->sh_flags &= ~(GElf_Xword)SHF_ALLOC;
		sh->sh_addr = 0;
	}
	if (!in_place)
		sh->sh_offset = elf_copy_place(c, os->len, sh->sh_addralign);
	sh->sh_type = SHT_PROGBITS;
	sh->sh_flags &= ~(GElf_Xword)SHF_COMPRESSED;
	sh->sh_size = os->len;
	return elf_set_data(c, scn, os->data, os->len, sh->sh_addralign);
}

/* The grown name table stays in place when nothing follows it. */
static int elf_copy_shstr(struct elf_copy *c, Elf_Scn *scn, GElf_Shdr *sh)
{
	if (sh->sh_offset + sh->sh_size == c->end && !(sh->sh_flags & SHF_ALLOC) &&
	    elf_nothing_after(c, c->shstrndx, sh))
		c->end = sh->sh_offset + c->shstr_len;
	else
		sh->sh_offset = elf_copy_place(c, c->shstr_len, 1);
	sh->sh_size = c->shstr_len;
	return elf_set_data(c, scn, c->shstr, c->shstr_len, sh->sh_addralign);
}

static int elf_copy_scn(struct elf_copy *c, Elf_Scn *in_scn)
{
	size_t ndx = elf_ndxscn(in_scn);
	struct out_sec *os = elf_copy_out(c, ndx);
	Elf_Scn *scn = elf_newscn(c->out);
	GElf_Shdr sh;
	Elf_Data *d;
	int err;

	if (!scn || !gelf_getshdr(in_scn, &sh))
		return elf_fail(c->path, "cannot copy a section header");
	if (os && os->tab) {
		err = elf_copy_sec(c, os, scn, &sh);
	} else if (os) {
		/* removed: an unnamed unused header keeps the indices */
		memset(&sh, 0, sizeof(sh));
		sh.sh_offset = c->end;
		err = 0;
	} else if (ndx == c->shstrndx && c->shstr) {
		err = elf_copy_shstr(c, scn, &sh);
	} else if (sh.sh_type == SHT_NOBITS || !sh.sh_size) {
		err = 0;	/* no bytes: the header says it all */
	} else {
		/* the bytes as they are: no conversion, whatever the type */
		d = elf_rawdata(in_scn, NULL);
		if (!d || d->d_size != sh.sh_size)
			return elf_fail(c->path, "cannot read section data");
		err = elf_set_data(c, scn, d->d_buf, d->d_size, sh.sh_addralign);
	}
	if (!err && !gelf_update_shdr(scn, &sh))
		err = elf_fail(c->path, "cannot copy a section header");
	return err;
}

static int elf_copy_new_sec(struct elf_copy *c, struct out_sec *os)
{
	Elf_Scn *scn = elf_newscn(c->out);
	GElf_Shdr sh = {
		.sh_name = os->name_off,
		.sh_type = SHT_PROGBITS,
		.sh_addralign = 4,
		.sh_size = os->len,
	};
	int err;

	if (!scn) {
		msg__error("%s: cannot add the %s section: %s", c->path,
			   os->name, elf_errmsg(-1));
		return -EINVAL;
	}
	sh.sh_offset = elf_copy_place(c, os->len, 4);
	err = elf_set_data(c, scn, os->data, os->len, 4);
	if (!err && !gelf_update_shdr(scn, &sh))
		err = elf_fail(c->path, "cannot add a section");
	return err;
}

/*
 * Section count and name table index past SHN_LORESERVE live in section
 * 0's header; libelf keeps the count, the name table index is ours.
 */
static int elf_copy_finish_ehdr(struct elf_copy *c)
{
	Elf_Scn *scn0 = elf_getscn(c->out, 0);
	GElf_Shdr sh0;
	GElf_Ehdr eh;
	bool xindex = c->shstrndx >= SHN_LORESERVE;

	if (!gelf_getehdr(c->out, &eh))
		return elf_fail(c->path, "cannot update the ELF header");
	eh.e_shstrndx = xindex ? SHN_XINDEX : c->shstrndx;
	eh.e_shoff = elf_copy_place(c, 0, gelf_getclass(c->out) == ELFCLASS64 ? 8 : 4);
	if (!gelf_update_ehdr(c->out, &eh))
		return elf_fail(c->path, "cannot update the ELF header");
	if (!xindex)
		return 0;
	if (!scn0 || !gelf_getshdr(scn0, &sh0))
		return elf_fail(c->path, "cannot update section 0");
	sh0.sh_link = c->shstrndx;
	if (!gelf_update_shdr(scn0, &sh0))
		return elf_fail(c->path, "cannot update section 0");
	return 0;
}

static int elf_copy_all(struct elf_copy *c)
{
	Elf_Scn *scn = NULL;
	size_t i;
	int err;

	elf_flagelf(c->out, ELF_C_SET, ELF_F_LAYOUT);
	err = elf_copy_headers(c);
	while (!err && (scn = elf_nextscn(c->in, scn)))
		err = elf_copy_scn(c, scn);
	for (i = 0; !err && i < c->nr_secs; i++)
		if (!c->secs[i].ndx && c->secs[i].tab)
			err = elf_copy_new_sec(c, &c->secs[i]);
	if (!err)
		err = elf_copy_finish_ehdr(c);
	if (err)
		return err;
	/* libelf's message hides why a write failed; errno has it */
	errno = 0;
	if (elf_update(c->out, ELF_C_WRITE) >= 0)
		return 0;
	if (!errno)
		return elf_fail(c->path, "cannot write");
	err = -errno;
	msg__error("%s: cannot write: %s", c->path, strerror(-err));
	return err;
}

static int elf_open_input(const char *path, int *fd, struct stat *st)
{
	int err;

	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0 || fstat(*fd, st)) {
		err = -errno;
		msg__error("%s: %s", path, strerror(-err));
		return err;
	}
	if (!S_ISREG(st->st_mode)) {
		msg__error("%s: not a regular file", path);
		return -EINVAL;
	}
	return 0;
}

/* The file's byte order is not ours: its BTF must be in its order. */
static bool elf_is_foreign(Elf *elf)
{
	const char *ident = elf_getident(elf, NULL);
	unsigned char native = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ?
			       ELFDATA2LSB : ELFDATA2MSB;

	return ident && ident[EI_DATA] != native;
}

/* The raw BTF of every section to write */
static int elf_copy_data(struct elf_copy *c, const struct btf_io_section *secs,
			 size_t n)
{
	size_t i;
	int err;

	if (n > MAX_OUT_SECS) {
		msg__error("%s: cannot write %zu sections at once", c->path, n);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		c->secs[c->nr_secs].name = secs[i].name;
		c->secs[c->nr_secs].tab = secs[i].tab;
		c->nr_secs++;
		if (!secs[i].tab)
			continue;
		err = io__raw_data(secs[i].tab, c->path, &c->secs[i].data,
				   &c->secs[i].len);
		if (err)
			return err;
	}
	return 0;
}

int btf_io__write_elf_sections(const char *path,
			       const struct btf_io_section *secs, size_t n)
{
	struct elf_copy c = { .path = path };
	struct io_tmp tmp = { .fd = -1 };
	struct stat st;
	int fd = -1, err;
	size_t i;

	err = elf_copy_data(&c, secs, n);
	if (!err)
		err = elf_open_input(path, &fd, &st);
	if (!err) {
		c.in = elf_open_read(fd, NULL, 0, path);
		err = c.in ? elf_copy_scan(&c) : -EINVAL;
	}
	for (i = 0; !err && i < c.nr_secs && elf_is_foreign(c.in); i++)
		if (c.secs[i].data)
			io__swap_raw(c.secs[i].data);
	if (!err)
		err = io_tmp__open(&tmp, path);
	if (!err) {
		c.out = elf_begin(tmp.fd, ELF_C_WRITE, NULL);
		err = c.out ? elf_copy_all(&c) : elf_fail(path, "cannot write");
	}
	/* libelf has written through the descriptor; commit syncs it */
	elf_end(c.out);
	/* the owner stays where we may set it; failing that, the file is ours */
	if (!err && fchown(tmp.fd, st.st_uid, st.st_gid) && errno != EPERM)
		msg__warn("%s: cannot keep the owner: %s", path, strerror(errno));
	if (!err)
		err = io_tmp__commit(&tmp, st.st_mode & 07777);
	io_tmp__discard(&tmp);
	elf_end(c.in);
	if (fd >= 0)
		close(fd);
	free(c.shstr);
	for (i = 0; i < c.nr_secs; i++)
		free(c.secs[i].data);
	return err;
}

/*
 * A .BTF.base left by an earlier distilled encoding would describe another
 * base than the one the new .BTF continues: it goes.
 */
int btf_io__write_elf(const struct btf_table *tab, const char *path)
{
	const struct btf_io_section secs[] = {
		{ btf_name, tab },
		{ btf_base_name, NULL },
	};

	return btf_io__write_elf_sections(path, secs, 2);
}
