/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to the BTF readers and writers: the temporary file that becomes
 * the output only once it is complete, and the ELF side of reading.
 *
 * A struct io_tmp is opened beside its target (same directory, so rename()
 * is atomic), written, then either committed (fsync, fchmod, rename) or
 * discarded (unlinked).  Both print the message naming the target on error.
 * A symlink's last target is the file replaced; a target that is not a
 * regular file (device, FIFO, /dev/stdout) is written through instead.
 */
#ifndef BTFENC_BTF_IO_INT_H
#define BTFENC_BTF_IO_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "btf_table.h"

struct io_tmp {
	char *target;	/* the file to replace (symlinks resolved) */
	char *path;	/* the temporary beside it */
	int fd;
	bool through;	/* not a regular file: written directly, no temporary */
	bool borrowed;	/* @fd is the caller's (/dev/stdout): never closed */
};

/* Create the temporary beside @target; prints and returns -errno. */
int io_tmp__open(struct io_tmp *tmp, const char *target);
/* Make the temporary the target with @mode; on failure it is discarded. */
int io_tmp__commit(struct io_tmp *tmp, mode_t mode);
/* Remove the temporary; safe on a zeroed or already committed io_tmp. */
void io_tmp__discard(struct io_tmp *tmp);

/* write() all of @buf, retrying short writes: 0 or -errno */
int io__write_all(int fd, const void *buf, size_t len);
/* The mode a newly created regular file gets: 0644 without the umask */
mode_t io__create_mode(void);

/* btf_io__raw_data() that says why not, naming @path */
int io__raw_data(const struct btf_table *tab, const char *path, void **data,
		 size_t *len);
/*
 * Turn a blob from btf_io__raw_data() into the other byte order, in place
 * (for ELF files of the other endianness, whose readers expect their own).
 */
void io__swap_raw(void *data);

/*
 * The .BTF section of the ELF file open on @fd, or in @image (@size bytes,
 * which libelf may use as its own) when @fd < 0
 */
int btf_io__read_elf(int fd, void *image, size_t size,
		     const char *path, const struct btf_table *base,
		     struct btf_table **out);

#endif
