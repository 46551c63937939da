// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Archives as inputs (input.h).  One pass over the stream: the first
 * member that fits is copied into a memfd and reading stops, so a .deb
 * whose vmlinux comes early is not decompressed to its end.
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"
#include "encoder/msg.h"

#define IO_BUF (1 << 16)

/* A stream read from the current member of another archive */
struct nest {
	struct archive *parent;
	char buf[IO_BUF];
};

/* What is being read, for messages */
struct src {
	const char *archive;
	const char *want;	/* a member asked for, or NULL: the kernel */
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static const char *const archive_exts[] = {
	".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.zst", ".tar.bz2",
	".deb", ".ddeb", ".rpm",
};

bool input__is_archive(const char *path)
{
	static const unsigned char ar[] = "!<arch>\n", rpm[] = { 0xed, 0xab, 0xee, 0xdb },
		xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0 }, zst[] = { 0x28, 0xb5, 0x2f, 0xfd };
	unsigned char h[264];
	ssize_t n;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(archive_exts) / sizeof(archive_exts[0]); i++)
		if (ends_with(path, archive_exts[i]))
			return true;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = pread(fd, h, sizeof(h), 0);
	close(fd);
	/* gzip alone is gzip-compressed BTF, which the BTF reader takes */
	return (n >= 8 && !memcmp(h, ar, 8)) || (n >= 4 && !memcmp(h, rpm, 4)) ||
	       (n >= 6 && !memcmp(h, xz, 6)) || (n >= 4 && !memcmp(h, zst, 4)) ||
	       (n >= 262 && !memcmp(h + 257, "ustar", 5));
}

static struct archive *ar_new(bool raw)
{
	struct archive *a = archive_read_new();

	if (!a)
		return NULL;
	archive_read_support_filter_all(a);
	/* tar, cpio (the payload of an rpm, whose lead is a filter), ar */
	if (raw) {
		archive_read_support_format_raw(a);
	} else {
		archive_read_support_format_tar(a);
		archive_read_support_format_cpio(a);
		archive_read_support_format_ar(a);
	}
	return a;
}

static la_ssize_t nest_read(struct archive *a, void *ctx, const void **buf)
{
	struct nest *n = ctx;
	la_ssize_t r = archive_read_data(n->parent, n->buf, sizeof(n->buf));

	*buf = n->buf;
	if (r < 0)
		archive_set_error(a, archive_errno(n->parent), "%s",
				  archive_error_string(n->parent));
	return r;
}

/* An archive reading the current member of @parent as its stream */
static struct archive *ar_nested(struct archive *parent, bool raw, struct nest **np)
{
	struct nest *n = malloc(sizeof(*n));
	struct archive *a = n ? ar_new(raw) : NULL;

	if (!a) {
		free(n);
		return NULL;
	}
	n->parent = parent;
	*np = n;
	/* a failure shows at the first header, with archive_error_string */
	archive_read_open(a, n, NULL, nest_read, NULL);
	return a;
}

/* The member's path without a leading "./" or "/" */
static const char *member_path(const char *name)
{
	while (!strncmp(name, "./", 2))
		name += 2;
	return name + strspn(name, "/");
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static const char *const compress_exts[] = { ".xz", ".zst", ".gz", ".bz2", ".lz4" };

/* The length of @name without a compression suffix, or 0 when it has none */
static size_t compressed_len(const char *name)
{
	size_t i, n = strlen(name);

	/* gzip-compressed BTF is read as it is */
	if (ends_with(name, ".btf.gz"))
		return 0;
	for (i = 0; i < sizeof(compress_exts) / sizeof(compress_exts[0]); i++)
		if (ends_with(name, compress_exts[i]))
			return n - strlen(compress_exts[i]);
	return 0;
}

static bool is_kernel_member(const char *path)
{
	const char *base = base_name(path);

	if (ends_with(base, ".btf") || ends_with(base, ".btf.gz"))
		return true;
	return !fnmatch("usr/lib/debug/boot/vmlinux-*", path, FNM_PATHNAME) ||
	       !fnmatch("usr/lib/debug/lib/modules/*/vmlinux", path, FNM_PATHNAME) ||
	       !strcmp(path, "vmlinux") || !fnmatch("vmlinux-*", path, 0);
}

static bool member_wanted(const char *path, const char *want)
{
	const char *base = base_name(path);
	size_t n = compressed_len(base);

	if (!want)
		return is_kernel_member(path);
	want = member_path(want);
	if (!strcmp(path, want) || !strcmp(base, want))
		return true;
	/* nf_tables.ko finds nf_tables.ko.xz */
	return n && strlen(want) == n && !strncmp(base, want, n);
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t w;

	while (len) {
		w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		buf += w;
		len -= w;
	}
	return 0;
}

/* Copy the current member of @a into @fd; *@werr: a write failed */
static int copy_member(struct archive *a, int fd, int64_t *total, int *werr)
{
	char *buf = malloc(IO_BUF);
	la_ssize_t r;

	*werr = 0;
	*total = 0;
	if (!buf)
		return -ENOMEM;
	while ((r = archive_read_data(a, buf, IO_BUF)) > 0) {
		*werr = write_all(fd, buf, r);
		if (*werr)
			break;
		*total += r;
	}
	free(buf);
	if (*werr)
		return *werr;
	return r < 0 ? -EIO : 0;
}

/* Read the current member (@path in the archive) into a memory file */
static int take_member(const struct src *s, struct archive *a,
		       struct archive_entry *e, const char *path, struct input *in)
{
	size_t clen = compressed_len(base_name(path));
	struct archive *raw = NULL, *from = a;
	struct archive_entry *re;
	struct nest *n = NULL;
	int64_t total;
	int fd, err, werr;

	fd = memfd_create(base_name(path), MFD_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		msg__error("%s: %s: cannot make a memory file: %s", s->archive, path,
			   strerror(-err));
		return err;
	}
	if (clen) {
		raw = ar_nested(a, true, &n);
		if (!raw || (archive_read_next_header(raw, &re) != ARCHIVE_OK &&
			     archive_errno(raw))) {
			msg__error("%s: %s: cannot decompress: %s", s->archive, path,
				   raw ? archive_error_string(raw) : strerror(ENOMEM));
			err = -EINVAL;
			goto out;
		}
		from = raw;
	}
	err = copy_member(from, fd, &total, &werr);
	if (!err && !clen && archive_entry_size_is_set(e) &&
	    total != archive_entry_size(e))
		err = -EIO;
	if (err == -ENOMEM || werr)
		msg__error("%s: %s: %s", s->archive, path, strerror(-err));
	else if (err)
		msg__error("%s: %s: truncated or corrupt: %s", s->archive, path,
			   archive_error_string(from) ? archive_error_string(from)
			   : "shorter than its header says");
	if (err)
		goto out;
	in->fd = fd;
	if (asprintf(&in->buf_path, "/proc/self/fd/%d", fd) < 0 ||
	    asprintf(&in->buf_name, "%s:%s", s->archive, path) < 0 ||
	    !(in->buf_member = strdup(path))) {
		msg__error("%s: %s", s->archive, strerror(ENOMEM));
		err = -ENOMEM;
	}
out:
	if (raw)
		archive_read_free(raw);
	free(n);
	if (err && in->fd != fd)
		close(fd);
	return err;
}

static bool is_package_data(struct archive *a, const char *path)
{
	return (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_AR &&
	       !strncmp(path, "data.tar", 8);
}

static int scan(const struct src *s, struct archive *a, int depth, struct input *in);

/* A .deb's data.tar.*: the files, as a stream inside the stream */
static int scan_nested(const struct src *s, struct archive *a, const char *path,
		       struct input *in)
{
	struct nest *n = NULL;
	struct archive *inner = ar_nested(a, false, &n);
	int err;

	if (!inner) {
		msg__error("%s: %s: %s", s->archive, path, strerror(ENOMEM));
		return -ENOMEM;
	}
	err = scan(s, inner, 1, in);
	archive_read_free(inner);
	free(n);
	return err;
}

static int scan(const struct src *s, struct archive *a, int depth, struct input *in)
{
	struct archive_entry *e;
	const char *path = NULL;
	char *last = NULL;
	int r, err;

	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		path = member_path(archive_entry_pathname(e) ?: "");
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		free(last);
		last = strdup(path);
		if (!depth && is_package_data(a, path)) {
			err = scan_nested(s, a, path, in);
			free(last);
			return err;
		}
		if (member_wanted(path, s->want)) {
			err = take_member(s, a, e, path, in);
			free(last);
			return err;
		}
	}
	if (r != ARCHIVE_EOF) {
		msg__error("%s: truncated or corrupt archive%s%s: %s", s->archive,
			   last ? ", after member " : "", last ? last : "",
			   archive_error_string(a) ?: "unknown error");
	} else if (s->want) {
		msg__error("%s: no member %s", s->archive, s->want);
	} else {
		msg__error("%s: no vmlinux and no raw BTF (NAME.btf) in it; name "
			   "another member as %s:MEMBER", s->archive, s->archive);
	}
	free(last);
	return r != ARCHIVE_EOF ? -EINVAL : -ENOENT;
}

static int read_archive(const char *archive, const char *want, struct input *in)
{
	struct src s = { .archive = archive, .want = want };
	struct archive *a = ar_new(false);
	int err;

	if (!a) {
		msg__error("%s: %s", archive, strerror(ENOMEM));
		return -ENOMEM;
	}
	if (archive_read_open_filename(a, archive, IO_BUF) != ARCHIVE_OK) {
		msg__error("%s: not a readable archive: %s", archive,
			   archive_error_string(a) ?: "unknown error");
		archive_read_free(a);
		return -EINVAL;
	}
	err = scan(&s, a, 0, in);
	archive_read_free(a);
	return err;
}

/* ARCHIVE:MEMBER, when ARCHIVE is an archive and the argument no file */
static int split_member(const char *arg, char **archive, const char **member)
{
	const char *colon = strrchr(arg, ':');
	struct stat st;

	*archive = NULL;
	if (!colon || !colon[1] || colon == arg || !stat(arg, &st))
		return 0;
	*archive = strndup(arg, colon - arg);
	if (!*archive)
		return -ENOMEM;
	if (stat(*archive, &st) || !S_ISREG(st.st_mode) || !input__is_archive(*archive)) {
		free(*archive);
		*archive = NULL;
		return 0;
	}
	*member = colon + 1;
	return 0;
}

int input__open(const char *arg, struct input *in)
{
	const char *member = NULL;
	struct stat st;
	char *archive;
	int err;

	memset(in, 0, sizeof(*in));
	in->fd = -1;
	in->name = in->path = arg;
	err = split_member(arg, &archive, &member);
	if (err) {
		msg__error("%s: %s", arg, strerror(-err));
		return err;
	}
	if (!archive && (stat(arg, &st) || !S_ISREG(st.st_mode) ||
			 !input__is_archive(arg)))
		return 0;
	if (!archive && !(archive = strdup(arg))) {
		msg__error("%s: %s", arg, strerror(ENOMEM));
		return -ENOMEM;
	}
	in->buf_archive = archive;
	in->archive = archive;
	err = read_archive(archive, member, in);
	if (err) {
		input__close(in);
		return err;
	}
	in->name = in->buf_name;
	in->path = in->buf_path;
	in->member = in->buf_member;
	return 0;
}

void input__close(struct input *in)
{
	if (in->fd >= 0)
		close(in->fd);
	free(in->buf_name);
	free(in->buf_path);
	free(in->buf_member);
	free(in->buf_archive);
	memset(in, 0, sizeof(*in));
	in->fd = -1;
}
