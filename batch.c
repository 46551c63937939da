// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "encoder/btf_io.h"
#include "encoder/msg.h"
#include "encoder/sha256.h"

struct batch_entry {
	char *input;
	char *output;		/* NULL when the input failed */
	unsigned long types;
	size_t bytes;
	char sha256[2 * SHA256_LEN + 1];	/* "" when the input failed */
	bool this_run;
};

struct batch {
	char *dir;
	char *hub;		/* DISTRO/VERSION */
	char *hub_arch;		/* ARCH of raw BTF inputs, or NULL */
	char *hub_root;		/* --btfhub-tree: inputs' ROOT, or NULL */
	char *manifest;		/* DIR/manifest.json */
	const char *ext;	/* .btf, .btf.gz or .btf.tar.xz */
	struct batch_entry *entries;
	size_t nr;
};

static void entry_free(struct batch_entry *e)
{
	free(e->input);
	free(e->output);
	memset(e, 0, sizeof(*e));
}

/* mkdir -p of @path's directories, and of @path itself when @self */
static int make_dirs(char *path, bool self)
{
	char *p = path + strspn(path, "/");
	int err = 0;

	for (;;) {
		p = strchr(p, '/');
		if (!p && !self)
			break;
		if (p)
			*p = '\0';
		if (mkdir(path, 0777) && errno != EEXIST)
			err = -errno;
		if (p)
			*p = '/';
		if (err) {
			msg__error("%s: cannot create directory: %s", path, strerror(-err));
			return err;
		}
		if (!p)
			break;
		p += strspn(p, "/");
	}
	return 0;
}

static int batch_set_hub(struct batch *b, const char *btfhub)
{
	const char *slash = strchr(btfhub, '/');

	slash = slash ? strchr(slash + 1, '/') : NULL;
	b->hub = slash ? strndup(btfhub, slash - btfhub) : strdup(btfhub);
	if (slash && slash[1])
		b->hub_arch = strdup(slash + 1);
	return !b->hub || (slash && slash[1] && !b->hub_arch) ? -ENOMEM : 0;
}

static int manifest_load(struct batch *b);

struct batch *batch__new(const char *dir, const char *btfhub,
			  const char *hub_root, const char *ext)
{
	struct batch *b = calloc(1, sizeof(*b));
	int err = -ENOMEM;
	size_t n;

	if (!b)
		return NULL;
	b->ext = ext;
	if (hub_root) {
		/* ROOT/ and ROOT name the same tree */
		for (n = strlen(hub_root); n > 1 && hub_root[n - 1] == '/'; n--)
			;
		b->hub_root = strndup(hub_root, n);
		if (!b->hub_root) {
			free(b);
			return NULL;
		}
	}
	b->dir = strdup(dir);
	if (b->dir && asprintf(&b->manifest, "%s/manifest.json", dir) < 0)
		b->manifest = NULL;
	if (b->dir && b->manifest && (!btfhub || !batch_set_hub(b, btfhub)))
		err = make_dirs(b->dir, true);
	else
		msg__error("%s", strerror(ENOMEM));
	if (!err)
		err = manifest_load(b);
	if (err) {
		batch__free(b);
		errno = -err;
		return NULL;
	}
	return b;
}

void batch__free(struct batch *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->nr; i++)
		entry_free(&b->entries[i]);
	free(b->entries);
	free(b->hub);
	free(b->hub_arch);
	free(b->hub_root);
	free(b->manifest);
	free(b->dir);
	free(b);
}

static const char *arch_name(unsigned int machine)
{
	switch (machine) {
	case EM_X86_64: return "x86_64";
	case EM_AARCH64: return "arm64";
	case EM_S390: return "s390x";
	case EM_PPC64: return "ppc64le";
	case EM_RISCV: return "riscv64";
	case EM_386: return "i386";
	case EM_ARM: return "arm";
	default: return NULL;
	}
}

/* The release in "Linux version RELEASE (...": from .rodata's banner */
static int banner_release(Elf *elf, char *out, size_t size)
{
	static const char tag[] = "Linux version ";
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return -EINVAL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		const char *name, *p, *end;
		size_t n;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, ".rodata") || sh.sh_type == SHT_NOBITS)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf)
			return -EINVAL;
		p = memmem(d->d_buf, d->d_size, tag, sizeof(tag) - 1);
		if (!p)
			return -ENOENT;
		p += sizeof(tag) - 1;
		end = (const char *)d->d_buf + d->d_size;
		for (n = 0; p + n < end && p[n] && p[n] != ' ' && p[n] != '\n'; n++)
			;
		if (!n || n >= size || p + n >= end)
			return -EINVAL;
		memcpy(out, p, n);
		out[n] = '\0';
		/* a release names one directory level: no slash, no dot-dot */
		return strchr(out, '/') || !strcmp(out, "..") ? -EINVAL : 0;
	}
	return -ENOENT;
}

/* The length of @name without a trailing ".btf", ".btf.gz", ".btf.tar.xz",
 * or the suffix of another archive or package */
static size_t name_stem(const char *name)
{
	static const char *const exts[] = {
		".btf.gz", ".btf.tar.xz", ".btf.tar.gz", ".btf.tar.zst", ".btf.tar",
		".btf", ".tar.xz", ".tar.gz", ".tgz", ".txz", ".tar.zst", ".tar.bz2",
		".tar", ".deb", ".ddeb", ".rpm",
	};
	size_t len = strlen(name), i, n;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		n = strlen(exts[i]);
		if (len > n && !strcmp(name + len - n, exts[i]))
			return len - n;
	}
	return len;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static bool is_release(const char *base, size_t n, size_t size)
{
	return n && n < size && base[0] >= '0' && base[0] <= '9';
}

/*
 * The release a raw BTF file is named after: BTFHub's 5.4.0-42-generic.btf,
 * an archive's member so named, else the archive (5.4.0-42-generic.btf.tar.xz)
 */
static int name_release(const char *input, const char *member, char *out,
			size_t size)
{
	const char *base = member ? base_name(member) : "";
	size_t n = name_stem(base);

	if (!is_release(base, n, size)) {
		base = base_name(input);
		n = name_stem(base);
	}
	if (!is_release(base, n, size)) {
		msg__error("%s: --btfhub: raw BTF has no \"Linux version\" banner, and "
			   "its file name is not a kernel release (as in "
			   "5.4.0-42-generic.btf)", input);
		return -EINVAL;
	}
	memcpy(out, base, n);
	out[n] = '\0';
	return 0;
}

/* The architecture of raw BTF: --btfhub's third part, else the directory */
static int raw_arch(struct batch *b, const char *input, const char **arch)
{
	static const char *const known[] = {
		"x86_64", "arm64", "s390x", "ppc64le", "riscv64", "i386", "arm",
	};
	const char *base = base_name(input), *dir;
	size_t i, n;

	*arch = b->hub_arch;
	for (dir = base - 1; !*arch && dir > input && dir[-1] != '/'; dir--)
		;
	n = base > input ? (size_t)(base - 1 - dir) : 0;
	for (i = 0; !*arch && n && i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i]) == n && !strncmp(dir, known[i], n))
			*arch = known[i];
	if (*arch)
		return 0;
	msg__error("%s: --btfhub: raw BTF does not say its architecture: give "
		   "--btfhub DISTRO/VERSION/ARCH, or keep it in a directory named "
		   "after it (x86_64/, arm64/, ...)", input);
	return -EINVAL;
}

static int kernel_identity(struct batch *b, const char *input, const char *path,
			   const char *member, char *release, size_t size,
			   const char **arch)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = -EINVAL;
	GElf_Ehdr eh = { 0 };
	Elf *elf;

	if (fd < 0) {
		msg__error("%s: %s", input, strerror(errno));
		return -errno;
	}
	*arch = NULL;
	if (!btf_io__is_elf(path)) {
		close(fd);
		err = name_release(input, member, release, size);
		return err ? err : raw_arch(b, input, arch);
	}
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && gelf_getehdr(elf, &eh)) {
		*arch = arch_name(eh.e_machine);
		err = *arch ? banner_release(elf, release, size) : -ENOTSUP;
	}
	if (err == -ENOTSUP)
		msg__error("%s: --btfhub: unknown architecture (ELF machine %u)",
			   input, (unsigned int)eh.e_machine);
	else if (err)
		msg__error("%s: --btfhub: no kernel release found (no \"Linux version\" "
			   "banner in .rodata): is it a vmlinux?", input);
	else if (b->hub_arch && strcmp(b->hub_arch, *arch)) {
		msg__error("%s: --btfhub: an %s kernel, not %s", input, *arch, b->hub_arch);
		err = -EINVAL;
	}
	elf_end(elf);
	close(fd);
	return err;
}

/*
 * --btfhub-tree: an input at ROOT/DISTRO/VERSION/ARCH/FILE gives
 * "DISTRO/VERSION" (*@hub) and ARCH (*@arch), malloc'd
 */
static int tree_place(const struct batch *b, const char *input, char **hub,
		      char **arch)
{
	size_t n = strlen(b->hub_root);
	const char *rel = input + n, *s1, *s2, *s3;

	*hub = *arch = NULL;
	if (strncmp(input, b->hub_root, n) || *rel != '/' || strstr(input, "/../")) {
		msg__error("%s: --btfhub-tree: not in %s", input, b->hub_root);
		return -EINVAL;
	}
	rel += strspn(rel, "/");
	s1 = strchr(rel, '/');
	s2 = s1 ? strchr(s1 + 1, '/') : NULL;
	s3 = s2 ? strchr(s2 + 1, '/') : NULL;
	if (!s3 || s1 == rel || s2 == s1 + 1 || s3 == s2 + 1 || strchr(s3 + 1, '/')) {
		msg__error("%s: --btfhub-tree: not at %s/DISTRO/VERSION/ARCH/FILE",
			   input, b->hub_root);
		return -EINVAL;
	}
	*hub = strndup(rel, s2 - rel);
	*arch = strndup(s2 + 1, s3 - s2 - 1);
	return *hub && *arch ? 0 : -ENOMEM;
}

char *batch__output_path(struct batch *b, const char *input, const char *path_in,
			  const char *member)
{
	const char *base = base_name(input), *ext = b->ext;
	char release[256], *path = NULL, *hub = NULL, *tree_arch = NULL;
	const char *arch = NULL;
	int n, err;

	if (!b->hub && !b->hub_root) {
		n = asprintf(&path, "%s/%.*s%s", b->dir, (int)name_stem(base), base, ext);
		return n < 0 ? NULL : path;
	}
	err = b->hub_root ? tree_place(b, input, &hub, &tree_arch) : 0;
	if (!err && b->hub_root) {
		/* the tree's ARCH stands for --btfhub's: raw BTF's, and checked */
		free(b->hub_arch);
		b->hub_arch = tree_arch;
		tree_arch = NULL;
	}
	if (!err)
		err = kernel_identity(b, input, path_in ? path_in : input, member,
				      release, sizeof(release), &arch);
	n = err ? -1 : asprintf(&path, "%s/%s/%s/%s%s", b->dir,
				hub ? hub : b->hub, arch, release, ext);
	free(hub);
	free(tree_arch);
	if (n < 0)
		return NULL;
	if (make_dirs(path, false)) {
		free(path);
		return NULL;
	}
	return path;
}

static struct batch_entry *batch_add(struct batch *b)
{
	struct batch_entry *n = realloc(b->entries, (b->nr + 1) * sizeof(*n));

	if (!n)
		return NULL;
	b->entries = n;
	memset(&n[b->nr], 0, sizeof(*n));
	return &n[b->nr++];
}

static void batch_drop(struct batch *b, struct batch_entry *e)
{
	entry_free(e);
	memmove(e, e + 1, (b->entries + b->nr - e - 1) * sizeof(*e));
	b->nr--;
}

/*
 * The entry a new result replaces: the one for the same output, or for a
 * failed input the earlier failure of that input.  An earlier failure of
 * an input that now succeeded goes.
 */
static struct batch_entry *batch_slot(struct batch *b, const char *input,
				      const char *output)
{
	struct batch_entry *e, *found = NULL;

	for (e = b->entries; e < b->entries + b->nr; ) {
		bool same = output ? e->output && !strcmp(e->output, output)
				   : !e->output && !strcmp(e->input, input);

		if (same && e->this_run && output)
			msg__warn("%s: the output of %s too, which it replaces",
				  output, e->input);
		if (!found && same) {
			found = e++;
		} else if (output && !e->output && !strcmp(e->input, input)) {
			batch_drop(b, e);	/* after @found: it stays */
		} else {
			e++;
		}
	}
	if (found) {
		entry_free(found);
		return found;
	}
	return batch_add(b);
}

static int batch_record(struct batch *b, const char *input, const char *output,
			unsigned long types, size_t bytes, const char *sha256)
{
	struct batch_entry *e = batch_slot(b, input, output);

	if (!e)
		return -ENOMEM;
	e->this_run = true;
	e->input = strdup(input);
	e->output = output ? strdup(output) : NULL;
	e->types = types;
	e->bytes = bytes;
	snprintf(e->sha256, sizeof(e->sha256), "%s", sha256 ? sha256 : "");
	if (!e->input || (output && !e->output))
		return -ENOMEM;
	return 0;
}

int batch__fail(struct batch *b, const char *input)
{
	return batch_record(b, input, NULL, 0, 0, NULL);
}

/* @path is a regular file holding exactly @data; fills *@st */
static bool file_holds(const char *path, const void *data, size_t len,
		       struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	bool same = false;
	char *buf;

	if (fd < 0)
		return false;
	if (!fstat(fd, st) && S_ISREG(st->st_mode) && (size_t)st->st_size == len) {
		buf = malloc(len ? len : 1);
		same = buf && pread(fd, buf, len, 0) == (ssize_t)len &&
		       !memcmp(buf, data, len);
		free(buf);
	}
	close(fd);
	return same;
}

/*
 * Another kernel's output holding these bytes (the manifest's checksums
 * choose, the bytes decide): its path, or NULL.  *@linked: @path is that
 * file already.
 */
static const char *batch_same(const struct batch *b, const char *path,
			      const char *sha256, const void *data, size_t len,
			      bool *linked)
{
	const struct batch_entry *e;
	struct stat st, here;
	bool have_here = !lstat(path, &here);

	for (e = b->entries; e < b->entries + b->nr; e++) {
		if (!e->output || strcmp(e->sha256, sha256) || e->bytes != len ||
		    !strcmp(e->output, path) || !file_holds(e->output, data, len, &st))
			continue;
		*linked = have_here && st.st_dev == here.st_dev &&
			  st.st_ino == here.st_ino;
		return e->output;
	}
	return NULL;
}

/* Make @path a hard link to @stored, atomically replacing what is there */
static int link_output(const char *stored, const char *path)
{
	char *tmp = NULL;
	int fd, err = 0;

	if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
		return -ENOMEM;
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = -errno;
		free(tmp);
		return err;
	}
	close(fd);
	if (unlink(tmp) || link(stored, tmp))
		err = -errno;
	else if (rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}

/*
 * Identical bytes are stored once: @path becomes a hard link to the other
 * kernel's file (rename() of a name never changes the other names, so a
 * later run replacing one of them leaves the rest as they are).  A file
 * that holds the bytes already is left alone.  Where links cannot be made,
 * the bytes are written.
 */
static int batch_store(const struct batch *b, const char *path, const char *sha256,
		       const void *data, size_t len)
{
	bool linked = false;
	const char *same = batch_same(b, path, sha256, data, len, &linked);
	struct stat st;

	if (same && (linked || !link_output(same, path)))
		return 0;
	if (file_holds(path, data, len, &st))
		return 0;
	return btf_io__write_file(path, data, len);
}

int batch__write(struct batch *b, const char *input, const char *path,
		 const void *data, size_t len, unsigned long types)
{
	unsigned char digest[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];
	int err;

	sha256(data, len, digest);
	sha256_hex(digest, hex);
	err = batch_store(b, path, hex, data, len);
	if (!err)
		err = batch_record(b, input, path, types, len, hex);
	return err;
}

/* A JSON string: quotes, backslashes and control characters escaped */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The file of each output: its device and inode, 0 when it is gone */
struct file_id {
	dev_t dev;
	ino_t ino;
};

static void json_entry(FILE *f, const struct batch_entry *e, const char *same_as,
		       bool last)
{
	fputs("    { \"input\": ", f);
	json_str(f, e->input);
	if (e->output) {
		fputs(", \"output\": ", f);
		json_str(f, e->output);
		fprintf(f, ", \"types\": %lu, \"bytes\": %zu, \"sha256\": \"%s\"",
			e->types, e->bytes, e->sha256);
		if (same_as) {
			fputs(", \"same_as\": ", f);
			json_str(f, same_as);
		}
		fputs(" }", f);
	} else {
		fputs(", \"error\": true }", f);
	}
	fputs(last ? "\n" : ",\n", f);
}

/*
 * "same_as": the first output listed that is the same file (a hard link),
 * read from the files themselves, so it stays true whatever a run replaced.
 */
static const char *same_as(const struct batch *b, const struct file_id *ids,
			   size_t i)
{
	size_t k;

	for (k = 0; ids[i].ino && k < i; k++)
		if (ids[k].dev == ids[i].dev && ids[k].ino == ids[i].ino)
			return b->entries[k].output;
	return NULL;
}

static struct file_id *file_ids(const struct batch *b)
{
	struct file_id *ids = calloc(b->nr + 1, sizeof(*ids));
	struct stat st;
	size_t i;

	for (i = 0; ids && i < b->nr; i++) {
		if (b->entries[i].output && !lstat(b->entries[i].output, &st) &&
		    S_ISREG(st.st_mode)) {
			ids[i].dev = st.st_dev;
			ids[i].ino = st.st_ino;
		}
	}
	return ids;
}

int batch__write_manifest(struct batch *b)
{
	struct file_id *ids = file_ids(b);
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;
	int err;

	f = ids ? open_memstream(&buf, &len) : NULL;
	if (!f) {
		free(ids);
		msg__error("%s: %s", b->manifest, strerror(ENOMEM));
		return -ENOMEM;
	}
	fprintf(f, "{\n  \"generator\": \"btfenc %s\",\n  \"outputs\": [\n", PACKAGE_VERSION);
	for (i = 0; i < b->nr; i++)
		json_entry(f, &b->entries[i], same_as(b, ids, i), i + 1 == b->nr);
	fputs("  ]\n}\n", f);
	err = fclose(f) ? -ENOMEM : btf_io__write_file(b->manifest, buf, len);
	if (err == -ENOMEM)
		msg__error("%s: %s", b->manifest, strerror(ENOMEM));
	free(buf);
	free(ids);
	return err;
}

/*
 * Reading back an earlier run's manifest, to merge with it: JSON of the
 * shape btfenc writes, in any spacing and key order, keys it does not
 * know skipped.  Anything else is refused rather than overwritten.
 */
struct json {
	const char *p, *start, *end;	/* *end is a NUL */
};

static bool json_eat(struct json *j, char c)
{
	j->p += strspn(j->p, " \t\r\n");
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return true;
	}
	return false;
}

static int json_escape(struct json *j, char *c)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k = *j->p ? strchr(from, *j->p) : NULL;
	unsigned int u;

	if (k) {
		*c = to[k - from];
		j->p++;
		return 0;
	}
	/* btfenc escapes control characters only */
	if (*j->p != 'u' || sscanf(j->p + 1, "%4x", &u) != 1 || !u || u >= 0x80 ||
	    strspn(j->p + 1, "0123456789abcdefABCDEF") < 4)
		return -EINVAL;
	*c = u;
	j->p += 5;
	return 0;
}

/* A string into *@out (malloc'd), or skipped when @out is NULL */
static int json_string(struct json *j, char **out)
{
	char *buf;
	size_t n = 0;

	if (!json_eat(j, '"'))
		return -EINVAL;
	buf = malloc(strcspn(j->p, "\"") + 1 + strlen(j->p) / 2);
	if (!buf)
		return -ENOMEM;
	while (*j->p && *j->p != '"' && (unsigned char)*j->p >= 0x20) {
		if (*j->p++ != '\\')
			buf[n++] = j->p[-1];
		else if (json_escape(j, &buf[n++]))
			break;
	}
	buf[n] = '\0';
	if (*j->p != '"') {
		free(buf);
		return -EINVAL;
	}
	j->p++;
	if (out) {
		free(*out);
		*out = buf;
	} else {
		free(buf);
	}
	return 0;
}

static int json_number(struct json *j, unsigned long long *v)
{
	char *end;

	j->p += strspn(j->p, " \t\r\n");
	if (*j->p < '0' || *j->p > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(j->p, &end, 10);
	j->p = end;
	return errno ? -EINVAL : 0;
}

static int json_skip(struct json *j, int depth)
{
	static const char *const lits[] = { "true", "false", "null" };
	unsigned long long v;
	size_t i;

	j->p += strspn(j->p, " \t\r\n");
	if (*j->p == '"')
		return json_string(j, NULL);
	if (*j->p == '[' || *j->p == '{') {
		char close = *j->p++ == '[' ? ']' : '}';

		if (depth > 16)
			return -EINVAL;
		if (json_eat(j, close))
			return 0;
		do {
			if (close == '}' && (json_string(j, NULL) || !json_eat(j, ':')))
				return -EINVAL;
			if (json_skip(j, depth + 1))
				return -EINVAL;
		} while (json_eat(j, ','));
		return json_eat(j, close) ? 0 : -EINVAL;
	}
	for (i = 0; i < sizeof(lits) / sizeof(lits[0]); i++) {
		if (!strncmp(j->p, lits[i], strlen(lits[i]))) {
			j->p += strlen(lits[i]);
			return 0;
		}
	}
	return json_number(j, &v);
}

static int json_field(struct json *j, const char *key, struct batch_entry *e)
{
	unsigned long long v;
	char *sum = NULL;
	int err;

	if (!strcmp(key, "input"))
		return json_string(j, &e->input);
	if (!strcmp(key, "output"))
		return json_string(j, &e->output);
	if (!strcmp(key, "sha256")) {
		err = json_string(j, &sum);
		if (!err && (strlen(sum) != 2 * SHA256_LEN ||
			     strspn(sum, "0123456789abcdef") != 2 * SHA256_LEN))
			err = -EINVAL;
		if (!err)
			memcpy(e->sha256, sum, sizeof(e->sha256));
		free(sum);
		return err;
	}
	if (strcmp(key, "types") && strcmp(key, "bytes"))
		return json_skip(j, 0);
	err = json_number(j, &v);
	if (!strcmp(key, "types"))
		e->types = v;
	else
		e->bytes = v;
	return err;
}

/* { "key": value, ... } with each pair handed to @field */
static int json_object(struct json *j, void *ctx,
		       int (*field)(struct json *j, const char *key, void *ctx))
{
	char *key = NULL;
	int err = 0;

	if (!json_eat(j, '{'))
		return -EINVAL;
	if (json_eat(j, '}'))
		return 0;
	do {
		err = json_string(j, &key);
		if (!err && !json_eat(j, ':'))
			err = -EINVAL;
		if (!err)
			err = field(j, key, ctx);
	} while (!err && json_eat(j, ','));
	free(key);
	if (!err && !json_eat(j, '}'))
		err = -EINVAL;
	return err;
}

static int entry_field(struct json *j, const char *key, void *ctx)
{
	return json_field(j, key, ctx);
}

static int json_outputs(struct json *j, struct batch *b)
{
	struct batch_entry *e;
	int err = 0;

	if (!json_eat(j, '['))
		return -EINVAL;
	if (json_eat(j, ']'))
		return 0;
	do {
		e = batch_add(b);
		err = e ? json_object(j, e, entry_field) : -ENOMEM;
		/* an output has its checksum, an error no output */
		if (!err && (!e->input || !e->output != !e->sha256[0]))
			err = -EINVAL;
	} while (!err && json_eat(j, ','));
	if (!err && !json_eat(j, ']'))
		err = -EINVAL;
	return err;
}

static int manifest_field(struct json *j, const char *key, void *ctx)
{
	return strcmp(key, "outputs") ? json_skip(j, 0) : json_outputs(j, ctx);
}

/* The file, NUL-terminated; NULL with *@err 0 when it does not exist */
static char *manifest_read(const char *path, size_t *len, int *err)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	long size = 0;

	*err = 0;
	if (!f) {
		if (errno != ENOENT)
			*err = -errno;
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		*err = -errno;
	else if (!(buf = malloc(size + 1)))
		*err = -ENOMEM;
	else if (fread(buf, 1, size, f) != (size_t)size)
		*err = -EIO;
	fclose(f);
	if (*err) {
		free(buf);
		return NULL;
	}
	buf[size] = '\0';
	*len = size;
	return buf;
}

static int manifest_load(struct batch *b)
{
	struct json j;
	size_t len;
	int err;
	char *buf = manifest_read(b->manifest, &len, &err);

	if (!buf) {
		if (err)
			msg__error("%s: cannot read: %s", b->manifest, strerror(-err));
		return err;
	}
	j.p = j.start = buf;
	j.end = buf + len;
	err = json_object(&j, b, manifest_field);
	j.p += strspn(j.p, " \t\r\n");
	if (err == -ENOMEM)
		msg__error("%s: %s", b->manifest, strerror(ENOMEM));
	else if (err || j.p != j.end)
		msg__error("%s: cannot merge with it: not a manifest as btfenc writes "
			   "(byte %zu); move it away to start a new one", b->manifest,
			   (size_t)(j.p - j.start));
	free(buf);
	return err ? err : j.p != j.end ? -EINVAL : 0;
}
