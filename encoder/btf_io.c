// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Raw BTF files: writing them whole or not at all, and reading them back
 * (either byte order, optionally gzip-compressed) into a validated table.
 *
 * Everything read here is untrusted: the header, every section bound and
 * every record is checked before it is used, and each message names the
 * source and the place (byte offset, type ID).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* mkostemp */
#endif
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "btf_io.h"
#include "btf_io_int.h"
#include "msg.h"

/*
 * The most we read into memory or decompress: far above any real BTF,
 * low enough that a hostile gzip stream cannot exhaust memory.
 */
#define IO_MAX_INPUT (1ul << 30)

static const unsigned char elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

int io__write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= n;
	}
	return 0;
}

/*
 * The umask, read without changing it (umask() would, for a moment, in
 * every thread); the umask() round trip is the fallback for old kernels.
 */
static mode_t io_umask(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[128];
	unsigned int mask;
	mode_t m;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Umask: %o", &mask) == 1) {
			fclose(f);
			return mask & 0777;
		}
	}
	if (f)
		fclose(f);
	m = umask(022);
	umask(m);
	return m;
}

mode_t io__create_mode(void)
{
	return 0644 & ~io_umask();
}

/* @link's contents, read relative to the directory of @path */
static char *io_link_target(const char *path)
{
	const char *slash = strrchr(path, '/');
	char buf[PATH_MAX], *out;
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n < 0)
		return NULL;
	buf[n] = '\0';
	if (buf[0] == '/' || !slash)
		return strdup(buf);
	if (asprintf(&out, "%.*s%s", (int)(slash - path + 1), path, buf) < 0)
		return NULL;
	return out;
}

/* "/dev/fd/N" or "/proc/self/fd/N": descriptor N, else -1 */
static int io_fd_path(const char *path)
{
	static const char *const dirs[] = { "/dev/fd/", "/proc/self/fd/" };
	char *end;
	size_t i;
	long fd;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (strncmp(path, dirs[i], strlen(dirs[i])))
			continue;
		fd = strtol(path + strlen(dirs[i]), &end, 10);
		if (end != path + strlen(dirs[i]) && !*end && fd >= 0 && fd < INT_MAX)
			return fd;
	}
	return -1;
}

/*
 * Where writing @target goes.  A symlink chain is followed to its last
 * name, existing or not (a dangling link gets its target created), so
 * that the rename replaces that file and leaves the links alone.  A chain
 * through /dev/fd/N or /proc/self/fd/N (/dev/stdout) is descriptor N
 * (*@fd), written as it is: the shell may have opened it for appending.
 */
static int io_resolve(const char *target, char **out, int *fd)
{
	char *cur = strdup(target), *next;
	struct stat st;
	int hops;

	*fd = -1;
	for (hops = 0; cur; hops++) {
		*fd = io_fd_path(cur);
		if (*fd >= 0 || lstat(cur, &st) || !S_ISLNK(st.st_mode)) {
			*out = cur;
			return 0;
		}
		if (hops == 40) {
			free(cur);
			return -ELOOP;
		}
		next = io_link_target(cur);
		if (!next && errno != ENOMEM) {
			free(cur);
			return -errno;
		}
		free(cur);
		cur = next;
	}
	return -ENOMEM;
}

static char *io_tmp_name(const char *target)
{
	const char *slash = strrchr(target, '/');
	size_t dir_len = slash ? (size_t)(slash - target + 1) : 0;
	size_t len = strlen(target) + sizeof("/..XXXXXX");
	char *name = malloc(len);

	if (name)
		snprintf(name, len, "%.*s.%s.XXXXXX", (int)dir_len, target,
			 target + dir_len);
	return name;
}

/*
 * The temporary being written, for the signal handler: an interrupted run
 * must leave no file behind.  Writes happen one at a time, from the thread
 * that runs the stages, so one slot is enough.
 */
static char live_tmp[PATH_MAX];
static volatile sig_atomic_t live_tmp_set;

static void io_tmp_track(const char *path)
{
	live_tmp_set = 0;
	if (path && strlen(path) < sizeof(live_tmp)) {
		strcpy(live_tmp, path);
		live_tmp_set = 1;
	}
}

static void io_on_signal(int sig)
{
	if (live_tmp_set)
		unlink(live_tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

void btf_io__cleanup_on_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa = { .sa_handler = io_on_signal };
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/*
 * A target that is not a regular file (a device, a FIFO, /dev/stdout) is
 * written through: replacing it would turn /dev/null into a file, and a
 * FIFO's reader would never see the bytes.  Such a target was never a
 * file the run could leave half written.
 */
static int io_tmp_through(struct io_tmp *tmp, int fd)
{
	tmp->through = true;
	tmp->borrowed = fd >= 0;
	tmp->fd = fd >= 0 ? fd : open(tmp->target, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	return tmp->fd < 0 ? -errno : 0;
}

static int io_tmp_create(struct io_tmp *tmp)
{
	tmp->path = io_tmp_name(tmp->target);
	if (!tmp->path)
		return -ENOMEM;
	tmp->fd = mkostemp(tmp->path, O_CLOEXEC);
	if (tmp->fd < 0) {
		free(tmp->path);
		tmp->path = NULL;
		return -errno;
	}
	io_tmp_track(tmp->path);
	return 0;
}

int io_tmp__open(struct io_tmp *tmp, const char *target)
{
	struct stat st;
	int err, fd;

	memset(tmp, 0, sizeof(*tmp));
	tmp->fd = -1;
	err = io_resolve(target, &tmp->target, &fd);
	if (!err && (fd >= 0 || (!stat(tmp->target, &st) && !S_ISREG(st.st_mode))))
		err = io_tmp_through(tmp, fd);
	else if (!err)
		err = io_tmp_create(tmp);
	if (!err)
		return 0;
	if (tmp->target && strcmp(tmp->target, target))
		msg__error("%s: cannot write %s: %s", target, tmp->target, strerror(-err));
	else
		msg__error("%s: cannot write: %s", target, strerror(-err));
	io_tmp__discard(tmp);
	return err;
}

void io_tmp__discard(struct io_tmp *tmp)
{
	if (tmp->path)
		io_tmp_track(NULL);
	if (tmp->fd >= 0 && !tmp->borrowed)
		close(tmp->fd);
	if (tmp->path)
		unlink(tmp->path);
	free(tmp->path);
	free(tmp->target);
	tmp->fd = -1;
	tmp->path = NULL;
	tmp->target = NULL;
}

/* Written through: only close() has something left to report */
static int io_tmp_finish_through(struct io_tmp *tmp)
{
	int err = 0;

	if (!tmp->borrowed && close(tmp->fd))
		err = -errno;
	tmp->fd = -1;
	return err;
}

int io_tmp__commit(struct io_tmp *tmp, mode_t mode)
{
	int err = 0;

	if (tmp->through) {
		err = io_tmp_finish_through(tmp);
		goto out;
	}
	if (fchmod(tmp->fd, mode) || fsync(tmp->fd))
		err = -errno;
	/* close() reports delayed write errors of some file systems */
	if (close(tmp->fd) && !err)
		err = -errno;
	tmp->fd = -1;
	if (!err) {
		io_tmp_track(NULL);
		if (rename(tmp->path, tmp->target))
			err = -errno;
	}
	if (!err) {
		free(tmp->path);
		tmp->path = NULL;
	}
out:
	if (err)
		msg__error("%s: cannot write: %s", tmp->target, strerror(-err));
	io_tmp__discard(tmp);
	return err;
}

/*
 * BTF's own limits, which a table may exceed while it still holds
 * duplicates: type IDs up to BTF_MAX_TYPE, a string section whose offsets
 * fit BTF_MAX_NAME_OFFSET.  NULL when @tab is within them.
 */
static const char *io_over_limit(const struct btf_table *tab)
{
	size_t len;

	if (btf_table__type_cnt(tab) - 1 > BTF_MAX_TYPE)
		return "more types than BTF can number";
	btf_table__strs_data(tab, &len);
	if (len > (size_t)BTF_MAX_NAME_OFFSET + 1)
		return "more than 16 MiB of strings";
	return NULL;
}

int io__raw_data(const struct btf_table *tab, const char *path, void **data,
		 size_t *len)
{
	const char *over = io_over_limit(tab);
	size_t strs_len;
	int err;

	if (over) {
		btf_table__strs_data(tab, &strs_len);
		msg__error("%s: cannot write: %s (last type ID %u, %zu bytes of strings)",
			   path, over, btf_table__type_cnt(tab) - 1, strs_len);
		return -E2BIG;
	}
	err = btf_io__raw_data(tab, data, len);
	if (err)
		msg__error("%s: cannot write: %s", path, strerror(-err));
	return err;
}

int btf_io__raw_data(const struct btf_table *tab, void **data, size_t *len)
{
	struct btf_header hdr = {
		.magic = BTF_MAGIC, .version = BTF_VERSION,
		.hdr_len = sizeof(hdr),
	};
	size_t types_len, strs_len;
	const void *types = btf_table__types_data(tab, &types_len);
	const char *strs = btf_table__strs_data(tab, &strs_len);
	char *buf;

	if (io_over_limit(tab) ||
	    (uint64_t)types_len + strs_len > UINT32_MAX - sizeof(hdr))
		return -E2BIG;
	hdr.type_len = types_len;
	hdr.str_off = types_len;
	hdr.str_len = strs_len;
	buf = malloc(sizeof(hdr) + types_len + strs_len);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, &hdr, sizeof(hdr));
	if (types_len)
		memcpy(buf + sizeof(hdr), types, types_len);
	if (strs_len)
		memcpy(buf + sizeof(hdr) + types_len, strs, strs_len);
	*data = buf;
	*len = sizeof(hdr) + types_len + strs_len;
	return 0;
}

void io__swap_raw(void *data)
{
	struct btf_header *h = data;
	uint32_t *w = (uint32_t *)((char *)data + h->hdr_len + h->type_off);
	size_t pos, i, n = h->type_len / 4, rec;

	/* sizes come from the native record, so read before swapping it */
	for (pos = 0; pos < n; pos += rec) {
		rec = btf_rec_size((const struct btf_type *)(w + pos)) / 4;
		for (i = 0; i < rec; i++)
			w[pos + i] = __builtin_bswap32(w[pos + i]);
	}
	h->magic = __builtin_bswap16(h->magic);
	h->hdr_len = __builtin_bswap32(h->hdr_len);
	h->type_off = __builtin_bswap32(h->type_off);
	h->type_len = __builtin_bswap32(h->type_len);
	h->str_off = __builtin_bswap32(h->str_off);
	h->str_len = __builtin_bswap32(h->str_len);
}

static int io_write_stdout(const void *buf, size_t len)
{
	int err = io__write_all(STDOUT_FILENO, buf, len);

	if (err)
		msg__error("standard output: cannot write: %s", strerror(-err));
	return err;
}

/* Deterministic gzip (no name, no time stamp) of @in; caller frees *@out */
static int io_gzip(const void *in, size_t len, void **out, size_t *out_len)
{
	z_stream zs = { 0 };
	size_t cap = len / 2 + 256;
	unsigned char *buf;
	int zerr;

	if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	buf = malloc(cap);
	zs.next_in = (unsigned char *)in;
	zs.avail_in = len;
	for (zerr = Z_OK; buf && zerr == Z_OK; ) {
		if (zs.total_out == cap) {
			unsigned char *n = realloc(buf, cap * 2);

			if (!n)
				break;
			buf = n;
			cap *= 2;
		}
		zs.next_out = buf + zs.total_out;
		zs.avail_out = cap - zs.total_out;
		zerr = deflate(&zs, Z_FINISH);
		if (zerr == Z_BUF_ERROR && zs.avail_out == 0)
			zerr = Z_OK;	/* output full: grow and go on */
	}
	deflateEnd(&zs);
	if (zerr != Z_STREAM_END) {
		free(buf);
		return -ENOMEM;
	}
	*out = buf;
	*out_len = zs.total_out;
	return 0;
}

int btf_io__write_file(const char *path, const void *buf, size_t len)
{
	struct io_tmp tmp;
	int err;

	if (!strcmp(path, "-"))
		return io_write_stdout(buf, len);
	err = io_tmp__open(&tmp, path);
	if (err)
		return err;
	err = io__write_all(tmp.fd, buf, len);
	if (err) {
		msg__error("%s: cannot write: %s", path, strerror(-err));
		io_tmp__discard(&tmp);
		return err;
	}
	return io_tmp__commit(&tmp, io__create_mode());
}

int btf_io__encode_raw(const struct btf_table *tab, const char *path, bool gzip,
		       bool big_endian, void **data, size_t *len)
{
	void *buf;
	int err;

	err = io__raw_data(tab, strcmp(path, "-") ? path : "standard output",
			   &buf, len);
	/* the kernel that loads it reads BTF in its own byte order */
	if (!err && big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__))
		io__swap_raw(buf);
	if (err || !gzip) {
		*data = err ? NULL : buf;
		return err;
	}
	err = io_gzip(buf, *len, data, len);
	free(buf);
	if (err)
		msg__error("%s: cannot compress: %s", path, strerror(-err));
	return err;
}

int btf_io__write_raw(const struct btf_table *tab, const char *path, bool gzip,
		      bool big_endian)
{
	void *buf;
	size_t len;
	int err;

	err = btf_io__encode_raw(tab, path, gzip, big_endian, &buf, &len);
	if (!err)
		err = btf_io__write_file(path, buf, len);
	free(buf);
	return err;
}

/* What the parser knows of the blob; @swap: it has the other byte order. */
struct raw_blob {
	const unsigned char *data;
	size_t len;
	const char *what;
	bool swap;
	struct btf_header hdr;
};

static uint32_t raw_u32(const struct raw_blob *b, uint32_t v)
{
	return b->swap ? __builtin_bswap32(v) : v;
}

static int raw_parse_header(struct raw_blob *b)
{
	struct btf_header *h = &b->hdr;
	size_t i;

	if (!b->len) {
		msg__error("%s: empty, no BTF header", b->what);
		return -EINVAL;
	}
	if (b->len < sizeof(*h)) {
		msg__error("%s: %zu bytes are too few for a BTF header",
			   b->what, b->len);
		return -EINVAL;
	}
	memcpy(h, b->data, sizeof(*h));
	if (h->magic != BTF_MAGIC && h->magic != __builtin_bswap16(BTF_MAGIC)) {
		msg__error("%s: not BTF (magic 0x%04x)", b->what, h->magic);
		return -EINVAL;
	}
	b->swap = h->magic != BTF_MAGIC;
	h->hdr_len = raw_u32(b, h->hdr_len);
	h->type_off = raw_u32(b, h->type_off);
	h->type_len = raw_u32(b, h->type_len);
	h->str_off = raw_u32(b, h->str_off);
	h->str_len = raw_u32(b, h->str_len);
	if (h->version != BTF_VERSION) {
		msg__error("%s: unsupported BTF version %u", b->what, h->version);
		return -EINVAL;
	}
	if (h->flags) {
		msg__error("%s: unsupported BTF header flags 0x%x", b->what,
			   h->flags);
		return -EINVAL;
	}
	if (h->hdr_len < sizeof(*h) || h->hdr_len > b->len) {
		msg__error("%s: bad BTF header length %u (blob of %zu bytes)",
			   b->what, h->hdr_len, b->len);
		return -EINVAL;
	}
	/* a longer header is a newer format only if it says something */
	for (i = sizeof(*h); i < h->hdr_len; i++) {
		if (b->data[i]) {
			msg__error("%s: byte offset %zu: unknown non-zero BTF header field",
				   b->what, i);
			return -EINVAL;
		}
	}
	return 0;
}

static int raw_check_sections(const struct raw_blob *b)
{
	const struct btf_header *h = &b->hdr;
	uint64_t data_len = b->len - h->hdr_len;
	uint64_t type_end = (uint64_t)h->type_off + h->type_len;
	uint64_t str_end = (uint64_t)h->str_off + h->str_len;

	if (type_end > data_len || str_end > data_len) {
		msg__error("%s: %s section (offset %u, %u bytes) runs past the end of the data (%llu bytes)",
			   b->what, type_end > data_len ? "type" : "string",
			   type_end > data_len ? h->type_off : h->str_off,
			   type_end > data_len ? h->type_len : h->str_len,
			   (unsigned long long)data_len);
		return -EINVAL;
	}
	if (h->type_off % 4) {
		msg__error("%s: type section offset %u is not 4-byte aligned",
			   b->what, h->type_off);
		return -EINVAL;
	}
	if (h->type_len && h->str_len && type_end > h->str_off &&
	    str_end > h->type_off) {
		msg__error("%s: the type and string sections overlap", b->what);
		return -EINVAL;
	}
	return 0;
}

static int raw_check_strings(const struct raw_blob *b, bool split)
{
	const struct btf_header *h = &b->hdr;
	const unsigned char *s = b->data + h->hdr_len + h->str_off;
	size_t at = h->hdr_len + h->str_off;

	if (!h->str_len && !split) {
		msg__error("%s: byte offset %zu: empty string section", b->what, at);
		return -EINVAL;
	}
	if (!split && s[0]) {
		msg__error("%s: byte offset %zu: string section does not start with NUL",
			   b->what, at);
		return -EINVAL;
	}
	if (h->str_len && s[h->str_len - 1]) {
		msg__error("%s: byte offset %zu: string section does not end with NUL",
			   b->what, at + h->str_len - 1);
		return -EINVAL;
	}
	return 0;
}

/*
 * Walk the (copied) type section record by record, byte-swapping it when
 * the blob has the other byte order, so that the table code only ever sees
 * native, bounded records.  Every BTF field is a 32-bit word.
 */
static int raw_walk_types(const struct raw_blob *b, uint32_t *w, size_t len,
			  uint32_t id)
{
	size_t pos = 0, i, at;
	struct btf_type *t;
	long data_sz;

	for (; pos * 4 < len; id++) {
		at = b->hdr.hdr_len + b->hdr.type_off + pos * 4;
		if (len - pos * 4 < sizeof(*t)) {
			msg__error("%s: type [%u] at byte offset %zu: truncated record",
				   b->what, id, at);
			return -EINVAL;
		}
		t = (struct btf_type *)(w + pos);
		for (i = 0; b->swap && i < 3; i++)
			w[pos + i] = __builtin_bswap32(w[pos + i]);
		data_sz = btf_kind_data_size(btf_kind(t), btf_vlen(t));
		if (data_sz < 0 || btf_kind(t) == BTF_KIND_UNKN) {
			msg__error("%s: type [%u] at byte offset %zu: unknown kind %u",
				   b->what, id, at, btf_kind(t));
			return -EINVAL;
		}
		if ((size_t)data_sz > len - pos * 4 - sizeof(*t)) {
			msg__error("%s: type [%u] at byte offset %zu: %s record of %zu bytes runs past the end of the type section",
				   b->what, id, at, btf_kind_name(btf_kind(t)),
				   sizeof(*t) + data_sz);
			return -EINVAL;
		}
		pos += 3;
		for (i = 0; b->swap && i < (size_t)data_sz / 4; i++)
			w[pos + i] = __builtin_bswap32(w[pos + i]);
		pos += data_sz / 4;
	}
	return 0;
}

static int raw_build(const struct raw_blob *b, const uint32_t *types,
		     const struct btf_table *base, struct btf_table **out)
{
	const struct btf_header *h = &b->hdr;
	const char *strs = (const char *)b->data + h->hdr_len + h->str_off;
	struct btf_table *tab;
	const char *problem;
	uint32_t bad_id;
	int err;

	tab = btf_table__from_raw_sections(types, h->type_len, strs,
					   h->str_len, base);
	if (!tab) {
		err = -errno;
		msg__error("%s: cannot load the types: %s", b->what,
			   err == -E2BIG ? "too many types or strings" :
			   strerror(-err));
		return err;
	}
	err = btf_table__check(tab, &bad_id, &problem);
	if (err) {
		msg__error("%s: type [%u] %s: %s", b->what, bad_id,
			   btf_kind_name(btf_kind(btf_table__type(tab, bad_id))),
			   problem);
		btf_table__free(tab);
		return err;
	}
	*out = tab;
	return 0;
}

int btf_io__parse_raw(const void *data, size_t len, const char *what,
		      const struct btf_table *base, struct btf_table **out)
{
	struct raw_blob b = { .data = data, .len = len, .what = what };
	uint32_t *types = NULL;
	int err;

	err = raw_parse_header(&b);
	if (!err)
		err = raw_check_sections(&b);
	if (!err)
		err = raw_check_strings(&b, base != NULL);
	if (err)
		return err;
	/* a copy: aligned, and swappable in place */
	types = malloc(b.hdr.type_len ? b.hdr.type_len : 1);
	if (!types) {
		msg__error("%s: %s", what, strerror(ENOMEM));
		return -ENOMEM;
	}
	memcpy(types, b.data + b.hdr.hdr_len + b.hdr.type_off, b.hdr.type_len);
	err = raw_walk_types(&b, types, b.hdr.type_len,
			     base ? btf_table__type_cnt(base) : 1);
	if (!err)
		err = raw_build(&b, types, base, out);
	free(types);
	return err;
}

/* Read all of @fd (at most IO_MAX_INPUT bytes) into a new buffer. */
static int io_slurp(int fd, const char *path, unsigned char **data,
		    size_t *len)
{
	unsigned char *buf = NULL, *p;
	size_t cap = 0, n = 0;
	ssize_t r;
	int err;

	for (;;) {
		if (n == cap) {
			if (cap >= IO_MAX_INPUT) {
				msg__error("%s: larger than %lu MiB", path,
					   IO_MAX_INPUT >> 20);
				err = -EFBIG;
				goto err;
			}
			cap = cap ? cap * 2 : 1 << 16;
			p = realloc(buf, cap);
			if (!p) {
				err = -ENOMEM;
				goto err_msg;
			}
			buf = p;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			goto err_msg;
		}
		if (r == 0)
			break;
		n += r;
	}
	*data = buf;
	*len = n;
	return 0;
err_msg:
	msg__error("%s: cannot read: %s", path, strerror(-err));
err:
	free(buf);
	return err;
}

/* Make room for more output; 0, or -errno after printing why not. */
static int io_gunzip_grow(unsigned char **buf, size_t *cap, size_t hint,
			  const char *path)
{
	size_t n = *cap ? *cap * 2 : hint;
	unsigned char *p;

	if (*cap >= IO_MAX_INPUT) {
		msg__error("%s: decompresses to more than %lu MiB", path,
			   IO_MAX_INPUT >> 20);
		return -EFBIG;
	}
	n = n > IO_MAX_INPUT ? IO_MAX_INPUT : n;
	p = realloc(*buf, n);
	if (!p) {
		msg__error("%s: cannot decompress: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	*buf = p;
	*cap = n;
	return 0;
}

static int io_gunzip(const unsigned char *in, size_t in_len, const char *path,
		     unsigned char **data, size_t *len)
{
	z_stream z = { .next_in = (unsigned char *)in, .avail_in = in_len };
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;
	int ret, err = 0;

	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		msg__error("%s: cannot decompress: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	for (;;) {
		if (n == cap) {
			err = io_gunzip_grow(&buf, &cap, in_len * 4 + 4096, path);
			if (err)
				break;
		}
		z.next_out = buf + n;
		z.avail_out = cap - n;
		ret = inflate(&z, Z_NO_FLUSH);
		n = cap - z.avail_out;
		/* concatenated gzip members are one stream */
		if (ret == Z_STREAM_END && !z.avail_in)
			break;
		if (ret == Z_STREAM_END)
			ret = inflateReset(&z);
		if (ret == Z_OK || (ret == Z_BUF_ERROR && z.avail_in))
			continue;
		msg__error("%s: cannot decompress: %s", path,
			   ret == Z_BUF_ERROR ? "truncated gzip data" :
			   z.msg ? z.msg : "bad gzip data");
		err = -EINVAL;
		break;
	}
	inflateEnd(&z);
	if (err) {
		free(buf);
		return err;
	}
	*data = buf;
	*len = n;
	return 0;
}

/* A file that is not seekable or not ELF: read it whole. */
static int io_read_whole(int fd, const char *path,
			 const struct btf_table *base, struct btf_table **out)
{
	unsigned char *data = NULL, *plain = NULL;
	size_t len = 0, plain_len = 0;
	int err;

	err = io_slurp(fd, path, &data, &len);
	if (err)
		return err;
	if (len >= 4 && !memcmp(data, elf_magic, 4)) {
		err = btf_io__read_elf(-1, data, len, path, base, out);
	} else if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		err = io_gunzip(data, len, path, &plain, &plain_len);
		if (!err)
			err = btf_io__parse_raw(plain, plain_len, path, base, out);
	} else {
		err = btf_io__parse_raw(data, len, path, base, out);
	}
	free(plain);
	free(data);
	return err;
}

static bool io_fd_is_elf(int fd)
{
	unsigned char magic[4];

	return pread(fd, magic, 4, 0) == 4 && !memcmp(magic, elf_magic, 4);
}

int btf_io__read(const char *path, const struct btf_table *base,
		 struct btf_table **out)
{
	return btf_io__read_as(path, path, base, out);
}

int btf_io__read_as(const char *open_path, const char *path,
		    const struct btf_table *base, struct btf_table **out)
{
	struct stat st;
	int fd, err;

	fd = open(open_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		msg__error("%s: %s", path, strerror(-err));
		return err;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		msg__error("%s: %s", path, strerror(-err));
	} else if (S_ISDIR(st.st_mode)) {
		err = -EISDIR;
		msg__error("%s: is a directory", path);
	} else if (S_ISREG(st.st_mode) && io_fd_is_elf(fd)) {
		/* mapped, not read: a vmlinux with debug info is large */
		err = btf_io__read_elf(fd, NULL, 0, path, base, out);
	} else {
		err = io_read_whole(fd, path, base, out);
	}
	close(fd);
	return err;
}

int btf_io__is_elf(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char magic[4];
	bool is_elf;

	if (fd < 0)
		return 0;
	is_elf = read(fd, magic, 4) == 4 && !memcmp(magic, elf_magic, 4);
	close(fd);
	return is_elf;
}
