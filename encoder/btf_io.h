/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading and writing BTF: raw files, ELF .BTF sections, and the text dump.
 *
 * Input: a type table (to write) or a file (to read).  Output: a file that
 * appears whole or not at all (temporary beside the target, fsync, rename;
 * unlinked on any error), or a validated table.
 * These functions know the file names, so they print the error messages
 * ("btfenc: FILE: place: problem") and return -errno.
 */
#ifndef BTFENC_BTF_IO_H
#define BTFENC_BTF_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "btf_table.h"

/* The raw BTF blob (header, types, strings), native-endian; caller frees. */
int btf_io__raw_data(const struct btf_table *tab, void **data, size_t *len);

/*
 * The bytes of a raw BTF output for @path (named in messages), in the byte
 * order of a big-endian target when @big_endian (else little-endian),
 * gzipped (deterministically) when @gzip; the caller frees *@data.
 */
int btf_io__encode_raw(const struct btf_table *tab, const char *path, bool gzip,
		       bool big_endian, void **data, size_t *len);

/*
 * Write raw BTF to @path atomically, or to stdout when @path is "-", in
 * the target's byte order (@big_endian)
 */
int btf_io__write_raw(const struct btf_table *tab, const char *path, bool gzip,
		      bool big_endian);

/*
 * Write @len bytes to @path atomically ("-": stdout); a symlink's last
 * target is replaced, a device or FIFO written through.  Prints errors.
 */
int btf_io__write_file(const char *path, const void *buf, size_t len);

/*
 * Add or replace the .BTF section of the ELF file @path, in place and
 * atomically: the original stays untouched until the new file is complete.
 * A .BTF.base section (a distilled base, which the new .BTF does not
 * continue) is removed.
 */
int btf_io__write_elf(const struct btf_table *tab, const char *path);

/* A section for btf_io__write_elf_sections: @tab NULL removes it */
struct btf_io_section {
	const char *name;
	const struct btf_table *tab;
};

/*
 * Add, replace or remove several sections of the ELF file @path at once
 * (at most 4), as btf_io__write_elf does: all or none of them change.  A
 * section removed keeps its index as an unnamed SHT_NULL section.
 */
int btf_io__write_elf_sections(const char *path,
			       const struct btf_io_section *secs, size_t n);

/*
 * Parse a raw BTF blob (either byte order) into a new table, split on @base
 * when given, and validate it (btf_table__check).  @what names the source
 * in messages (a file name, or "FILE: .BTF").
 */
int btf_io__parse_raw(const void *data, size_t len, const char *what,
		      const struct btf_table *base, struct btf_table **out);

/* Read a raw BTF file or an ELF file's .BTF section. */
int btf_io__read(const char *path, const struct btf_table *base,
		 struct btf_table **out);
/* The same, opening @open_path and naming @path in messages (an archive's
 * member read into an anonymous file) */
int btf_io__read_as(const char *open_path, const char *path,
		    const struct btf_table *base, struct btf_table **out);

/* On SIGINT, SIGTERM, SIGHUP and SIGQUIT, remove the temporary file being
 * written (if any) before dying of the signal. */
void btf_io__cleanup_on_signals(void);

/* True when @path starts with the ELF magic (for the driver's choices) */
int btf_io__is_elf(const char *path);

/* Print every own type one per line, as `bpftool btf dump file F` does. */
int btf_io__dump(const struct btf_table *tab, FILE *out);

#endif
