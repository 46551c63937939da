// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dwz's supplementary file: the DIEs and strings that several files share,
 * moved out of each of them (`dwz -m`).  A file that has one names it in
 * .gnu_debugaltlink (its path, then its build-id) or, in DWARF 5,
 * .debug_sup (version 5, a flag that is 0 in the referring file, the path,
 * then a checksum: dwz writes the supplementary file's build-id there).
 * Its DW_FORM_GNU_ref_alt / DW_FORM_ref_sup4/8 references and
 * DW_FORM_GNU_strp_alt / DW_FORM_strp_sup strings point into that file.
 *
 * The file is looked for where libdw and gdb look: the path as the link
 * gives it (relative to the referring file's directory when relative),
 * then DEBUG_DIR/.dwz/BASENAME, then DEBUG_DIR/.build-id/XX/REST.debug;
 * an absolute link under /usr/lib/debug is also looked for under
 * DEBUG_DIR, so that an unpacked debug package can be read where it is.
 * Whatever is found must have the build-id the link names.  A file the
 * user names (--supplementary) is the only one tried.  Not found, or only
 * files of another build-id: an error that lists where it looked.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <elfutils/libdwelf.h>

#include "dwarf_int.h"
#include "msg.h"
#include "util.h"

#define SYS_DEBUG_DIR "/usr/lib/debug"
#define MAX_ALT_CANDS 5

/* What the referring file says of its supplementary file */
struct alt_link {
	const char *sec;		/* the section that says it */
	const char *name;		/* the path it gives */
	const unsigned char *id;	/* the build-id, or NULL */
	size_t id_len;
};

/* The bytes of section @want (none for SHT_NOBITS), or NULL */
static Elf_Data *alt_section(Elf *elf, const char *want)
{
	Elf_Scn *scn = file__section(elf, want);
	GElf_Shdr shdr;

	if (!scn || !gelf_getshdr(scn, &shdr) || shdr.sh_type == SHT_NOBITS)
		return NULL;
	return elf_getdata(scn, NULL);
}

/* A NUL-terminated path at @p of @end; its end, or NULL */
static const unsigned char *alt_path_end(const unsigned char *p,
					 const unsigned char *end)
{
	const unsigned char *nul = p < end ? memchr(p, 0, end - p) : NULL;

	return nul && nul > p ? nul + 1 : NULL;
}

/* .gnu_debugaltlink: path, NUL, build-id */
static int alt_read_gnu(Elf_Data *d, struct alt_link *l)
{
	const unsigned char *p = d->d_buf, *end = p + d->d_size, *q;

	q = alt_path_end(p, end);
	if (!q)
		return -EINVAL;
	l->name = (const char *)p;
	l->id = q < end ? q : NULL;
	l->id_len = end - q;
	return 0;
}

/*
 * .debug_sup: version 5, is_supplementary (@sup: 1 in the supplementary
 * file, 0 in a file referring to it), path, ULEB128 length, checksum
 */
static int alt_read_sup(Elf_Data *d, bool big_endian, unsigned int sup,
			struct alt_link *l)
{
	const unsigned char *p = d->d_buf, *end = p + d->d_size, *q;
	uint64_t len = 0;
	unsigned int shift = 0, version;

	if (d->d_size < 4)
		return -EINVAL;
	version = big_endian ? p[0] << 8 | p[1] : p[1] << 8 | p[0];
	if (version != 5 || p[2] != sup)
		return -EINVAL;
	/* the supplementary file's own names no file: an empty path */
	q = sup && p[3] == 0 ? p + 4 : alt_path_end(p + 3, end);
	if (!q)
		return -EINVAL;
	l->name = (const char *)p + 3;
	for (;;) {
		if (q >= end || shift > 63)
			return -EINVAL;
		len |= (uint64_t)(*q & 0x7f) << shift;
		shift += 7;
		if (!(*q++ & 0x80))
			break;
	}
	if (len > (uint64_t)(end - q))
		return -EINVAL;
	l->id = len ? q : NULL;
	l->id_len = len;
	return 0;
}

/* 1 and *@l when the file links to a supplementary file, 0, or -EINVAL */
static int alt_link(const struct dwarf_file *f, struct alt_link *l)
{
	Elf_Data *d;

	memset(l, 0, sizeof(*l));
	d = alt_section(f->elf, ".gnu_debugaltlink");
	if (d) {
		l->sec = ".gnu_debugaltlink";
		return alt_read_gnu(d, l) ? -EINVAL : 1;
	}
	d = alt_section(f->elf, ".debug_sup");
	if (d) {
		l->sec = ".debug_sup";
		return alt_read_sup(d, f->big_endian, 0, l) ? -EINVAL : 1;
	}
	return 0;
}

static char *alt_hex(const unsigned char *id, size_t len)
{
	char *s = malloc(2 * len + 1);
	size_t i;

	for (i = 0; s && i < len; i++)
		sprintf(s + 2 * i, "%02x", id[i]);
	if (s)
		s[2 * len] = '\0';
	return s;
}

/* Where to look, in order; each malloc'd */
static size_t alt_candidates(const char *path, const struct alt_link *l,
			     const char *debug_dir, char **c)
{
	const char *base = strrchr(l->name, '/'), *slash = strrchr(path, '/');
	size_t n = 0, sys = strlen(SYS_DEBUG_DIR);
	char *hex;

	base = base ? base + 1 : l->name;
	if (l->name[0] == '/') {
		c[n++] = strdup(l->name);
		if (!strncmp(l->name, SYS_DEBUG_DIR "/", sys + 1) &&
		    strcmp(debug_dir, SYS_DEBUG_DIR) &&
		    asprintf(&c[n], "%s%s", debug_dir, l->name + sys) >= 0)
			n++;
	} else if (asprintf(&c[n], "%.*s%s", slash ? (int)(slash - path + 1) : 0,
			    path, l->name) >= 0) {
		n++;
	}
	if (asprintf(&c[n], "%s/.dwz/%s", debug_dir, base) >= 0)
		n++;
	hex = l->id && l->id_len >= 2 ? alt_hex(l->id, l->id_len) : NULL;
	if (hex && asprintf(&c[n], "%s/.build-id/%.2s/%s.debug", debug_dir,
			    hex, hex + 2) >= 0)
		n++;
	free(hex);
	return n;
}

/*
 * The identity of a supplementary file, as a link of section @sec names
 * it: its build-id note for .gnu_debugaltlink; for .debug_sup, the
 * checksum of its own .debug_sup (is_supplementary 1).  Its length, or 0.
 */
static size_t alt_identity(Elf *elf, const char *sec, bool big_endian,
			   const void **id)
{
	struct alt_link own;
	Elf_Data *d;
	ssize_t len;

	if (strcmp(sec, ".debug_sup")) {
		len = dwelf_elf_gnu_build_id(elf, id);
		return len > 0 ? len : 0;
	}
	d = alt_section(elf, ".debug_sup");
	if (!d || alt_read_sup(d, big_endian, 1, &own))
		return 0;
	*id = own.id;
	return own.id_len;
}

/* Whether @elf is the file @l names (any, when it names no identity) */
static bool alt_id_matches(Elf *elf, const struct alt_link *l,
			   bool big_endian, char **have)
{
	const void *id = NULL;
	size_t len = alt_identity(elf, l->sec, big_endian, &id);

	*have = len ? alt_hex(id, len) : NULL;
	if (!l->id)
		return true;
	return len == l->id_len && !memcmp(id, l->id, len);
}

/*
 * Every unit of the supplementary file known to libdw, with all of its
 * abbreviations, before threads read it at once (units__preload).
 */
static int alt_attach(struct dwarf_file *f, int fd, const char *cand)
{
	f->alt = dwarf_begin(fd, DWARF_C_READ);
	if (!f->alt) {
		msg__error("%s: supplementary file %s: cannot read its DWARF: %s",
			   f->path, cand, dwarf_errmsg(-1));
		return -EINVAL;
	}
	f->alt_fd = fd;
	f->alt_path = strdup(cand);
	if (!f->alt_path) {
		msg__error("%s: out of memory", f->path);
		return -ENOMEM;
	}
	dwarf_setalt(f->dbg, f->alt);
	return units__preload(f->alt, f->path);
}

/*
 * Try candidate @cand: 1 when attached, 0 when absent or of another
 * build-id (noted in @why), or -errno after printing.
 */
static int alt_try(struct dwarf_file *f, const struct alt_link *l,
		   const char *cand, char **why)
{
	int fd = open(cand, O_RDONLY | O_CLOEXEC), err;
	char *have = NULL, *want, *note = NULL;
	Elf *elf;
	bool ok;

	if (fd < 0) {
		if (asprintf(&note, "%s%s (%s)", *why ? *why : "", cand,
			     strerror(errno)) >= 0) {
			free(*why);
			*why = note;
		}
		return 0;
	}
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	ok = elf && elf_kind(elf) == ELF_K_ELF &&
	     alt_id_matches(elf, l, f->big_endian, &have);
	elf_end(elf);
	if (!ok) {
		want = alt_hex(l->id, l->id_len);
		if (asprintf(&note, "%s%s (%s %s, the link wants %s)",
			     *why ? *why : "", cand,
			     strcmp(l->sec, ".debug_sup") ? "build-id" :
			     ".debug_sup checksum (build-id)",
			     have ? have : "none", want ? want : "?") >= 0) {
			free(*why);
			*why = note;
		}
		free(want);
		free(have);
		close(fd);
		return 0;
	}
	free(have);
	err = alt_attach(f, fd, cand);
	if (err && !f->alt)
		close(fd);
	return err ? err : 1;
}

int alt__open(struct dwarf_file *f, const char *named, const char *debug_dir)
{
	char *cands[MAX_ALT_CANDS] = { 0 }, *why = NULL, *sep;
	struct alt_link l;
	size_t n, i;
	int r;

	f->alt_fd = -1;
	r = alt_link(f, &l);
	if (r < 0) {
		msg__error("%s: %s: malformed", f->path, l.sec);
		return r;
	}
	if (!r) {
		if (!named)
			return 0;
		msg__error("%s: --supplementary %s: the file names no "
			   "supplementary file (.gnu_debugaltlink, .debug_sup)",
			   f->path, named);
		return -EINVAL;
	}
	if (named) {
		cands[0] = strdup(named);
		n = cands[0] ? 1 : 0;
	} else {
		n = alt_candidates(f->path, &l, debug_dir ? debug_dir :
				   SYS_DEBUG_DIR, cands);
	}
	for (i = 0, r = 0; i < n && !r; i++) {
		/* each note ends in "; " for the next */
		r = alt_try(f, &l, cands[i], &why);
		if (!r && why && (sep = malloc(strlen(why) + 3))) {
			sprintf(sep, "%s; ", why);
			free(why);
			why = sep;
		}
	}
	if (!r) {
		if (why && strlen(why) >= 2)
			why[strlen(why) - 2] = '\0';
		msg__error("%s: the supplementary file %s names, '%s', is not "
			   "found: %s", f->path, l.sec, l.name,
			   why ? why : "out of memory");
	}
	for (i = 0; i < n; i++)
		free(cands[i]);
	free(why);
	return r > 0 ? 0 : r ? r : -ENOENT;
}

bool alt__follow(const struct dwarf_file *f, Dwarf_Attribute *a,
		 Dwarf_Die *out)
{
	uint64_t off;

	switch (a->form) {
	case DW_FORM_ref_sig8:
		return false;
	case DW_FORM_ref_sup4: case DW_FORM_ref_sup8:
		off = die__fixed_read(a->valp, a->form == DW_FORM_ref_sup4 ? 4 : 8,
				 f->big_endian);
		return f->alt && die_of_key(f, off | DIE_KEY_ALT, out);
	default:
		return dwarf_formref_die(a, out);
	}
}

/* How deep a type's size may hide behind arrays, typedefs and qualifiers */
#define MAX_SIZE_HOPS 32

/* The elements of an array type, from its subranges; false if unknown */
static bool alt_array_elems(const struct dwarf_file *f, Dwarf_Die *arr,
			    uint64_t *n)
{
	Dwarf_Attribute a;
	Dwarf_Word v, lo;
	Dwarf_Die sub;

	*n = 1;
	if (dwarf_child(arr, &sub))
		return false;
	do {
		if (dwarf_tag(&sub) != DW_TAG_subrange_type)
			continue;
		if (dwarf_attr(&sub, DW_AT_count, &a) && !dwarf_formudata(&a, &v)) {
		} else if (dwarf_attr(&sub, DW_AT_upper_bound, &a) &&
			   !dwarf_formudata(&a, &v)) {
			lo = 0;
			if (dwarf_attr(&sub, DW_AT_lower_bound, &a) &&
			    dwarf_formudata(&a, &lo))
				return false;
			if (v < lo)
				return false;
			v = v - lo + 1;
		} else {
			return false;
		}
		if (v && *n > UINT64_MAX / v)
			return false;
		*n *= v;
	} while (dwarf_siblingof(&sub, &sub) == 0);
	return true;
}

int alt__aggregate_size(const struct dwarf_file *f, Dwarf_Die *type,
			Dwarf_Word *size)
{
	Dwarf_Attribute a;
	Dwarf_Die d = *type;
	uint64_t elems = 1, n;
	int hops;

	/*
	 * libdw's is right but for DW_FORM_ref_sup4/8, and for arrays in
	 * partial units: without their own DW_AT_language it cannot tell
	 * the default lower bound.  Here it is C's, 0.
	 */
	if (!f->alt && !f->has_partial)
		return dwarf_aggregate_size(type, size);
	for (hops = 0; hops < MAX_SIZE_HOPS; hops++) {
		if (dwarf_attr(&d, DW_AT_byte_size, &a)) {
			if (dwarf_formudata(&a, size) ||
			    (elems && *size > UINT64_MAX / elems))
				return -1;
			*size *= elems;
			return 0;
		}
		switch (dwarf_tag(&d)) {
		case DW_TAG_pointer_type: case DW_TAG_reference_type:
		case DW_TAG_rvalue_reference_type: case DW_TAG_ptr_to_member_type:
			*size = elems * f->addr_size;
			return 0;
		case DW_TAG_array_type:
			if (!alt_array_elems(f, &d, &n) ||
			    (n && elems > UINT64_MAX / n))
				return -1;
			elems *= n;
			break;
		case DW_TAG_typedef: case DW_TAG_const_type:
		case DW_TAG_volatile_type: case DW_TAG_restrict_type:
		case DW_TAG_atomic_type:
			break;
		default:
			return -1;
		}
		if (!dwarf_attr(&d, DW_AT_type, &a) || !alt__follow(f, &a, &d))
			return -1;
	}
	return -1;
}

void alt__close(struct dwarf_file *f)
{
	if (f->alt)
		dwarf_end(f->alt);
	if (f->alt_fd >= 0)
		close(f->alt_fd);
	free(f->alt_path);
	f->alt = NULL;
	f->alt_fd = -1;
	f->alt_path = NULL;
}
