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
	char *output;
	unsigned long types;
	size_t bytes;
	char sha256[2 * SHA256_LEN + 1];	/* "" when the input failed */
};

struct batch {
	char *dir;
	char *btfhub;
	bool gzip;
	struct batch_entry *entries;
	size_t nr;
};

struct batch *batch__new(const char *dir, const char *btfhub, bool gzip)
{
	struct batch *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->dir = strdup(dir);
	b->btfhub = btfhub ? strdup(btfhub) : NULL;
	b->gzip = gzip;
	if (!b->dir || (btfhub && !b->btfhub)) {
		batch__free(b);
		return NULL;
	}
	return b;
}

void batch__free(struct batch *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->nr; i++) {
		free(b->entries[i].input);
		free(b->entries[i].output);
	}
	free(b->entries);
	free(b->btfhub);
	free(b->dir);
	free(b);
}

/* mkdir -p of the directory part of @path */
static int make_parents(char *path)
{
	char *p;

	for (p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			int err = -errno;

			msg__error("%s: cannot create directory: %s", path, strerror(-err));
			*p = '/';
			return err;
		}
		*p = '/';
	}
	return 0;
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

static int kernel_identity(const char *input, char *release, size_t size,
			   const char **arch)
{
	int fd = open(input, O_RDONLY | O_CLOEXEC), err = -EINVAL;
	GElf_Ehdr eh = { 0 };
	Elf *elf;

	if (fd < 0) {
		msg__error("%s: %s", input, strerror(errno));
		return -errno;
	}
	*arch = NULL;
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
	elf_end(elf);
	close(fd);
	return err;
}

char *batch__output_path(struct batch *b, const char *input)
{
	const char *base = strrchr(input, '/'), *ext = b->gzip ? ".btf.gz" : ".btf";
	char release[256], *path = NULL;
	const char *arch = NULL;
	int n;

	if (!b->btfhub) {
		n = asprintf(&path, "%s/%s%s", b->dir, base ? base + 1 : input, ext);
		return n < 0 ? NULL : path;
	}
	if (kernel_identity(input, release, sizeof(release), &arch))
		return NULL;
	n = asprintf(&path, "%s/%s/%s/%s%s", b->dir, b->btfhub, arch, release, ext);
	if (n < 0)
		return NULL;
	if (make_parents(path)) {
		free(path);
		return NULL;
	}
	return path;
}

int batch__record(struct batch *b, const char *input, const char *output,
		  unsigned long types, size_t bytes, const unsigned char *digest)
{
	struct batch_entry *e, *n;

	n = realloc(b->entries, (b->nr + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	b->entries = n;
	e = &b->entries[b->nr];
	memset(e, 0, sizeof(*e));
	e->input = strdup(input);
	e->output = output ? strdup(output) : NULL;
	e->types = types;
	e->bytes = bytes;
	if (digest)
		sha256_hex(digest, e->sha256);
	if (!e->input || (output && !e->output)) {
		free(e->input);
		free(e->output);
		return -ENOMEM;
	}
	b->nr++;
	return 0;
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

static void json_entry(FILE *f, const struct batch_entry *e, bool last)
{
	fputs("    { \"input\": ", f);
	json_str(f, e->input);
	if (e->sha256[0]) {
		fputs(", \"output\": ", f);
		json_str(f, e->output);
		fprintf(f, ", \"types\": %lu, \"bytes\": %zu, \"sha256\": \"%s\" }",
			e->types, e->bytes, e->sha256);
	} else {
		fputs(", \"error\": true }", f);
	}
	fputs(last ? "\n" : ",\n", f);
}

int batch__write_manifest(struct batch *b)
{
	char *buf = NULL, *path = NULL;
	size_t len = 0, i;
	FILE *f;
	int err;

	f = open_memstream(&buf, &len);
	if (!f || asprintf(&path, "%s/manifest.json", b->dir) < 0) {
		if (f)
			fclose(f);
		free(buf);
		return -ENOMEM;
	}
	fprintf(f, "{\n  \"generator\": \"btfenc %s\",\n  \"outputs\": [\n", PACKAGE_VERSION);
	for (i = 0; i < b->nr; i++)
		json_entry(f, &b->entries[i], i + 1 == b->nr);
	fputs("  ]\n}\n", f);
	err = fclose(f) ? -ENOMEM : btf_io__write_file(path, buf, len);
	free(buf);
	free(path);
	return err;
}
