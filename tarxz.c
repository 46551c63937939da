// SPDX-License-Identifier: GPL-2.0-or-later
/* BTFHub's RELEASE.btf.tar.xz as an output (see tarxz.h) */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tarxz.h"

const char *tarxz__member(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > strlen(".tar.xz") && !strcmp(base + n - 7, ".tar.xz"))
		n -= 7;
	if (n >= size)
		n = size - 1;
	memcpy(buf, base, n);
	buf[n] = '\0';
	return buf;
}

static int tarxz_entry(struct archive *a, const char *member, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	int r;

	if (!e)
		return ARCHIVE_FATAL;
	archive_entry_set_pathname(e, member);
	archive_entry_set_size(e, len);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, 0, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_uname(e, "root");
	archive_entry_set_gname(e, "root");
	r = archive_write_header(a, e);
	archive_entry_free(e);
	return r;
}

int tarxz__wrap(const char *member, const void *data, size_t len,
		void **out, size_t *out_len)
{
	/* xz never grows data by more than a few percent; tar adds blocks */
	size_t cap = len + len / 16 + 65536, used = 0;
	struct archive *a = archive_write_new();
	char *buf = malloc(cap);
	int r = ARCHIVE_FATAL;

	*out = NULL;
	if (a && buf &&
	    archive_write_set_format_ustar(a) == ARCHIVE_OK &&
	    archive_write_add_filter_xz(a) == ARCHIVE_OK &&
	    archive_write_set_bytes_in_last_block(a, 1) == ARCHIVE_OK &&
	    archive_write_open_memory(a, buf, cap, &used) == ARCHIVE_OK &&
	    tarxz_entry(a, member, len) == ARCHIVE_OK &&
	    archive_write_data(a, data, len) == (ssize_t)len)
		r = archive_write_close(a);
	if (a)
		archive_write_free(a);
	if (r != ARCHIVE_OK) {
		free(buf);
		return -EIO;
	}
	*out = buf;
	*out_len = used;
	return 0;
}
