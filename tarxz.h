/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BTFHub's archive format as an output: RELEASE.btf.tar.xz, a tar archive
 * holding one member, RELEASE.btf, compressed with xz.  The bytes depend
 * only on the member's name and contents (mtime 0, owner root, mode 0644,
 * one xz thread), so a batch stores equal outputs once as it does raw BTF.
 */
#ifndef BTFENC_TARXZ_H
#define BTFENC_TARXZ_H

#include <stddef.h>

/*
 * The archive holding @len bytes at @data as member @member, in *@out
 * (malloc'd, the caller frees) of *@out_len bytes; 0 or -errno
 */
int tarxz__wrap(const char *member, const void *data, size_t len,
		void **out, size_t *out_len);

/* "DIR/NAME.btf" for an output path "DIR/NAME.btf.tar.xz": its member */
const char *tarxz__member(const char *path, char *buf, size_t size);

#endif
