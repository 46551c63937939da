// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading a BPF object: its .BTF (through btf_io__parse_raw, either byte
 * order) and the CO-RE records of .BTF.ext.
 *
 * .BTF.ext is a header (magic, version, flags, hdr_len, then offset/length
 * pairs of the func_info, line_info and, when hdr_len covers it, core_relo
 * sections, relative to the end of the header), then the sections.  Each
 * section is a record size, then blocks of {section name offset, record
 * count} each followed by its records.  A CO-RE record is {insn_off,
 * type_id, access_str_off, kind}; a larger record size is allowed (newer
 * compilers may append fields), a smaller one is not.  Every offset and
 * count is checked against the section before it is used.  Big-endian
 * objects (clang -target bpfeb) are read too: fields are swapped as read.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf_io.h"
#include "msg.h"
#include "util.h"
#include "minimize_int.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

#define BTF_EXT_MAGIC 0xeB9F
#define BTF_EXT_MIN_HDR 24	/* up to line_info_len */
#define BTF_EXT_CORE_HDR 32	/* with core_relo_off/len */

/* The bytes of .BTF.ext and how to read them */
struct ext_buf {
	const unsigned char *data;
	size_t len;
	bool swap;
};

static uint32_t ext_u32(const struct ext_buf *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b->data + off, sizeof(v));
	return b->swap ? __builtin_bswap32(v) : v;
}

static uint16_t ext_u16(const struct ext_buf *b, size_t off)
{
	uint16_t v;

	memcpy(&v, b->data + off, sizeof(v));
	return b->swap ? __builtin_bswap16(v) : v;
}

struct minimize_obj *minimize_obj__new(const char *path, struct btf_table *btf)
{
	struct minimize_obj *obj = calloc(1, sizeof(*obj));

	if (obj)
		obj->path = strdup(path);
	if (!obj || !obj->path) {
		free(obj);
		btf_table__free(btf);
		errno = ENOMEM;
		return NULL;
	}
	obj->btf = btf;
	return obj;
}

void minimize__free_obj(struct minimize_obj *obj)
{
	uint32_t i;

	if (!obj)
		return;
	for (i = 0; i < obj->nr_secs; i++) {
		free(obj->secs[i].name);
		free(obj->secs[i].relos);
	}
	free(obj->secs);
	btf_table__free(obj->btf);
	free(obj->path);
	free(obj);
}

unsigned long minimize__obj_nr_relos(const struct minimize_obj *obj)
{
	return obj->nr_relos;
}

const char *minimize_obj__check_relo(const struct minimize_obj *obj,
				     const struct core_relo *r)
{
	const char *s;

	if (r->kind >= CORE_KIND_NR)
		return "unknown relocation kind";
	if (r->insn_off % 8)
		return "instruction offset is not a multiple of 8";
	if (r->type_id == 0 || r->type_id >= btf_table__type_cnt(obj->btf))
		return "type ID out of range";
	s = btf_table__str(obj->btf, r->access_str_off);
	if (!s)
		return "access string offset out of range";
	if (!*s)
		return "empty access string";
	return NULL;
}

/* The section named @name, appended when it is not the last one */
static struct core_sec *obj_sec(struct minimize_obj *obj, const char *name)
{
	struct core_sec *sec;

	if (obj->nr_secs && !strcmp(obj->secs[obj->nr_secs - 1].name, name))
		return &obj->secs[obj->nr_secs - 1];
	if (util__ensure_cap((void **)&obj->secs, &obj->secs_cap, sizeof(*sec),
			     obj->nr_secs + 1))
		return NULL;
	sec = &obj->secs[obj->nr_secs];
	memset(sec, 0, sizeof(*sec));
	sec->name = strdup(name);
	if (!sec->name)
		return NULL;
	obj->nr_secs++;
	return sec;
}

int minimize_obj__add_relo(struct minimize_obj *obj, const char *name,
			   const struct core_relo *r)
{
	struct core_sec *sec;

	if (minimize_obj__check_relo(obj, r))
		return -EINVAL;
	sec = obj_sec(obj, name);
	if (!sec)
		return -ENOMEM;
	if (util__ensure_cap((void **)&sec->relos, &sec->cap, sizeof(*r),
			     sec->nr + 1))
		return -ENOMEM;
	sec->relos[sec->nr++] = *r;
	obj->nr_relos++;
	return 0;
}

/* One block of records: {sec_name_off, num_info} and num_info records */
static int ext_read_block(struct minimize_obj *obj, const struct ext_buf *b,
			  size_t *off, size_t end, uint32_t rec_size,
			  unsigned long *rec_idx)
{
	uint32_t name_off, n, i;
	const char *name, *bad;
	struct core_relo r;
	int err;

	if (end - *off < 8) {
		msg__error("%s: .BTF.ext: CO-RE section header at offset %zu is cut short",
			   obj->path, *off);
		return -EINVAL;
	}
	name_off = ext_u32(b, *off);
	n = ext_u32(b, *off + 4);
	*off += 8;
	name = btf_table__str(obj->btf, name_off);
	if (!name || !*name) {
		msg__error("%s: .BTF.ext: CO-RE section name offset %u is not a string of .BTF",
			   obj->path, name_off);
		return -EINVAL;
	}
	if (!n) {
		msg__error("%s: .BTF.ext: CO-RE section '%s' has no records",
			   obj->path, name);
		return -EINVAL;
	}
	if ((end - *off) / rec_size < n) {
		msg__error("%s: .BTF.ext: CO-RE record %lu (section '%s') points past the section end",
			   obj->path, *rec_idx + (end - *off) / rec_size, name);
		return -EINVAL;
	}
	for (i = 0; i < n; i++, (*rec_idx)++, *off += rec_size) {
		r.insn_off = ext_u32(b, *off);
		r.type_id = ext_u32(b, *off + 4);
		r.access_str_off = ext_u32(b, *off + 8);
		r.kind = ext_u32(b, *off + 12);
		bad = minimize_obj__check_relo(obj, &r);
		if (bad) {
			msg__error("%s: .BTF.ext: CO-RE record %lu (section '%s', relocation #%u): %s",
				   obj->path, *rec_idx, name, i, bad);
			return -EINVAL;
		}
		err = minimize_obj__add_relo(obj, name, &r);
		if (err) {
			msg__error("%s: %s", obj->path, strerror(-err));
			return err;
		}
	}
	return 0;
}

static int ext_read_core(struct minimize_obj *obj, const struct ext_buf *b,
			 size_t off, size_t len)
{
	size_t end = off + len;
	unsigned long rec_idx = 0;
	uint32_t rec_size;
	int err = 0;

	if (!len)
		return 0;
	if (len < 4) {
		msg__error("%s: .BTF.ext: CO-RE section of %zu bytes has no record size",
			   obj->path, len);
		return -EINVAL;
	}
	rec_size = ext_u32(b, off);
	if (rec_size < sizeof(struct core_relo) || rec_size % 4) {
		msg__error("%s: .BTF.ext: CO-RE record size %u is not valid (at least %zu, a multiple of 4)",
			   obj->path, rec_size, sizeof(struct core_relo));
		return -EINVAL;
	}
	off += 4;
	while (off < end && !err)
		err = ext_read_block(obj, b, &off, end, rec_size, &rec_idx);
	return err;
}

/* Check one offset/length pair of the header against the data after it */
static int ext_check_part(const struct minimize_obj *obj, const char *what,
			  uint32_t off, uint32_t len, size_t data_len)
{
	if (off % 4) {
		msg__error("%s: .BTF.ext: %s offset %u is not 4-byte aligned",
			   obj->path, what, off);
		return -EINVAL;
	}
	if (off > data_len || len > data_len - off) {
		msg__error("%s: .BTF.ext: %s (offset %u, %u bytes) points past the section end",
			   obj->path, what, off, len);
		return -EINVAL;
	}
	return 0;
}

static int ext_parse(struct minimize_obj *obj, struct ext_buf *b)
{
	uint32_t hdr_len, core_off, core_len;
	size_t data_len;
	int err;

	if (b->len < BTF_EXT_MIN_HDR) {
		msg__error("%s: .BTF.ext: %zu bytes, too short for a header",
			   obj->path, b->len);
		return -EINVAL;
	}
	if (ext_u16(b, 0) != BTF_EXT_MAGIC) {
		b->swap = !b->swap;
		if (ext_u16(b, 0) != BTF_EXT_MAGIC) {
			msg__error("%s: .BTF.ext: bad magic", obj->path);
			return -EINVAL;
		}
	}
	if (b->data[2] != 1) {
		msg__error("%s: .BTF.ext: unsupported version %u", obj->path,
			   b->data[2]);
		return -EINVAL;
	}
	hdr_len = ext_u32(b, 4);
	if (hdr_len < BTF_EXT_MIN_HDR || hdr_len > b->len || hdr_len % 4) {
		msg__error("%s: .BTF.ext: header length %u does not fit the section (%zu bytes)",
			   obj->path, hdr_len, b->len);
		return -EINVAL;
	}
	data_len = b->len - hdr_len;
	err = ext_check_part(obj, "func_info", ext_u32(b, 8), ext_u32(b, 12), data_len);
	if (!err)
		err = ext_check_part(obj, "line_info", ext_u32(b, 16), ext_u32(b, 20), data_len);
	if (err || hdr_len < BTF_EXT_CORE_HDR)
		return err;
	core_off = ext_u32(b, 24);
	core_len = ext_u32(b, 28);
	err = ext_check_part(obj, "CO-RE relocations", core_off, core_len, data_len);
	if (!err)
		err = ext_read_core(obj, b, hdr_len + core_off, core_len);
	return err;
}

/* The data of the section named @name, or NULL data when there is none */
static int elf_section(Elf *elf, size_t shstrndx, const char *name,
		       Elf_Data **out)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	const char *n;

	*out = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			return -EINVAL;
		n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!n || strcmp(n, name))
			continue;
		if (sh.sh_type == SHT_NOBITS)
			return -EINVAL;
		*out = elf_rawdata(scn, NULL);
		return *out ? 0 : -EINVAL;
	}
	return 0;
}

static int obj_check_elf(const char *path, Elf *elf, bool *swap)
{
	GElf_Ehdr eh;

	if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		msg__error("%s: not an ELF file", path);
		return -EINVAL;
	}
	if (eh.e_machine != EM_BPF) {
		msg__error("%s: not a BPF object (ELF machine %u, BPF is %u)",
			   path, eh.e_machine, EM_BPF);
		return -EINVAL;
	}
	*swap = (eh.e_ident[EI_DATA] == ELFDATA2MSB) !=
		(__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	return 0;
}

static uint32_t blob_u32(const unsigned char *p, bool swap)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return swap ? __builtin_bswap32(v) : v;
}

/*
 * gcc 12 encodes "char" as an INT both SIGNED and CHAR, which libbpf takes
 * but our reader, like the kernel, refuses.  CO-RE only ever looks at the
 * SIGNED bit, so drop CHAR there, in @blob (a copy), before parsing.
 * Anything malformed is left for the parser to report.
 */
static void obj_fix_gcc_char(unsigned char *blob, size_t len)
{
	const uint32_t both = (BTF_INT_SIGNED | BTF_INT_CHAR) << 24;
	uint32_t hdr_len, off, end, info, data;
	bool swap;
	long sz;

	if (len < sizeof(struct btf_header))
		return;
	swap = blob[0] != (BTF_MAGIC & 0xff);
	hdr_len = blob_u32(blob + 4, swap);
	off = blob_u32(blob + 8, swap);
	end = off + blob_u32(blob + 12, swap);
	if (hdr_len > len || end < off || end > len - hdr_len || off % 4)
		return;
	for (off += hdr_len, end += hdr_len; end - off >= 12; off += 12 + sz) {
		info = blob_u32(blob + off + 4, swap);
		sz = btf_kind_data_size((info >> 24) & 0x1f, info & 0xffff);
		if (sz < 0 || (size_t)sz > end - off - 12)
			return;
		if (((info >> 24) & 0x1f) != BTF_KIND_INT)
			continue;
		data = blob_u32(blob + off + 12, swap);
		if ((data & 0x0f000000) != both)
			continue;
		data &= ~((uint32_t)BTF_INT_CHAR << 24);
		data = swap ? __builtin_bswap32(data) : data;
		memcpy(blob + off + 12, &data, sizeof(data));
	}
}

static int obj_read_btf(const char *path, Elf *elf, size_t shstrndx,
			struct btf_table **btf)
{
	char what[4096];
	unsigned char *copy;
	Elf_Data *d;
	int err;

	if (elf_section(elf, shstrndx, ".BTF", &d)) {
		msg__error("%s: .BTF: cannot read the section: %s", path,
			   elf_errmsg(-1));
		return -EINVAL;
	}
	if (!d) {
		msg__error("%s: no .BTF section (compile with -g, or -gbtf for gcc)",
			   path);
		return -ENOENT;
	}
	copy = malloc(d->d_size ? d->d_size : 1);
	if (!copy) {
		msg__error("%s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	if (d->d_size)
		memcpy(copy, d->d_buf, d->d_size);
	obj_fix_gcc_char(copy, d->d_size);
	snprintf(what, sizeof(what), "%s: .BTF", path);
	err = btf_io__parse_raw(copy, d->d_size, what, NULL, btf);
	free(copy);
	return err;
}

static int obj_read_elf(const char *path, Elf *elf, struct minimize_obj **out)
{
	struct minimize_obj *obj = NULL;
	struct btf_table *btf = NULL;
	struct ext_buf b = { 0 };
	size_t shstrndx;
	Elf_Data *d;
	int err;

	err = obj_check_elf(path, elf, &b.swap);
	if (err)
		return err;
	if (elf_getshdrstrndx(elf, &shstrndx)) {
		msg__error("%s: no section names: %s", path, elf_errmsg(-1));
		return -EINVAL;
	}
	err = obj_read_btf(path, elf, shstrndx, &btf);
	if (err)
		return err;
	obj = minimize_obj__new(path, btf);
	if (!obj)
		return -ENOMEM;
	if (elf_section(elf, shstrndx, ".BTF.ext", &d)) {
		msg__error("%s: .BTF.ext: cannot read the section: %s", path,
			   elf_errmsg(-1));
		err = -EINVAL;
	} else if (d) {
		b.data = d->d_buf;
		b.len = d->d_size;
		err = ext_parse(obj, &b);
	}
	if (err) {
		minimize__free_obj(obj);
		return err;
	}
	*out = obj;
	return 0;
}

int minimize__load_obj(const char *path, struct minimize_obj **out)
{
	Elf *elf;
	int fd, err;

	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		msg__error("%s: %s", path, strerror(errno));
		return err;
	}
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf) {
		msg__error("%s: not an ELF file: %s", path, elf_errmsg(-1));
		close(fd);
		return -EINVAL;
	}
	err = obj_read_elf(path, elf, out);
	elf_end(elf);
	close(fd);
	return err;
}
