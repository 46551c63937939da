/*
 * bpfcarve - cut BPF ELF objects out of the binaries that embed them.
 *
 * Usage: bpfcarve OUTDIR FILE...
 *
 * Tools built with BPF skeletons (libbpf-tools) carry their CO-RE object as
 * a byte array, a complete ELF file inside the host binary.  Those objects
 * are the real-world input of the minimizer.  Each "\x7fELF" in a file is
 * checked: 64-bit, little-endian, EM_BPF, section header table inside the
 * file and every section before its end.  The object ends where that table
 * ends, which is where clang and bpftool place it.
 *
 * The first object of FILE goes to OUTDIR/<basename>.bpf.o, the Nth (N > 1)
 * to OUTDIR/<basename>-N.bpf.o.  Each is written to a temporary file and
 * renamed, so a name in OUTDIR always holds a whole object.  The number of
 * objects written is printed on stdout.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef EM_BPF
#define EM_BPF 247
#endif

struct image {
	const unsigned char *data;
	size_t size;
};

/* Embedded arrays have no alignment guarantee: copy before reading. */
static bool read_ehdr(const unsigned char *p, size_t avail, Elf64_Ehdr *eh)
{
	if (avail < sizeof(*eh))
		return false;
	memcpy(eh, p, sizeof(*eh));
	return eh->e_ident[EI_CLASS] == ELFCLASS64 &&
	       eh->e_ident[EI_DATA] == ELFDATA2LSB &&
	       eh->e_ident[EI_VERSION] == EV_CURRENT &&
	       le16toh(eh->e_machine) == EM_BPF &&
	       le16toh(eh->e_ehsize) == sizeof(*eh) &&
	       le16toh(eh->e_shentsize) == sizeof(Elf64_Shdr);
}

/* A section that reaches past the table's end means the cut would lose
 * data: not an object laid out the way we expect, so not taken. */
static bool sections_fit(const unsigned char *p, const Elf64_Ehdr *eh,
			 uint64_t end)
{
	uint16_t i, n = le16toh(eh->e_shnum);
	Elf64_Shdr sh;

	for (i = 0; i < n; i++) {
		memcpy(&sh, p + le64toh(eh->e_shoff) + i * sizeof(sh), sizeof(sh));
		if (le32toh(sh.sh_type) == SHT_NOBITS)
			continue;
		if (le64toh(sh.sh_offset) > end ||
		    le64toh(sh.sh_size) > end - le64toh(sh.sh_offset))
			return false;
	}
	return true;
}

/* Length of the BPF object at p, or 0 if there is none. */
static size_t bpf_object_len(const unsigned char *p, size_t avail)
{
	uint64_t shoff, end;
	uint16_t shnum;
	Elf64_Ehdr eh;

	if (!read_ehdr(p, avail, &eh))
		return 0;
	shoff = le64toh(eh.e_shoff);
	shnum = le16toh(eh.e_shnum);
	/* e_shnum == 0 would mean the count lives in section 0: not in
	 * objects this small, so treat it as garbage. */
	if (!shnum || le16toh(eh.e_shstrndx) >= shnum)
		return 0;
	if (shoff < sizeof(eh) || shoff > avail)
		return 0;
	if ((uint64_t)shnum * sizeof(Elf64_Shdr) > avail - shoff)
		return 0;
	end = shoff + (uint64_t)shnum * sizeof(Elf64_Shdr);
	return sections_fit(p, &eh, end) ? end : 0;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

/* Temporary file beside the target, fsync, rename; unlink on failure. */
static int write_object(const char *outdir, const char *name, int nth,
			const unsigned char *p, size_t len)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	int fd, err;

	if (nth > 1)
		snprintf(path, sizeof(path), "%s/%s-%d.bpf.o", outdir, name, nth);
	else
		snprintf(path, sizeof(path), "%s/%s.bpf.o", outdir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", outdir, name);
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = -errno;
		fprintf(stderr, "bpfcarve: %s: %s\n", tmp, strerror(errno));
		return err;
	}
	err = write_all(fd, p, len);
	if (!err && (fchmod(fd, 0644) || fsync(fd)))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		fprintf(stderr, "bpfcarve: %s: %s\n", path, strerror(-err));
		unlink(tmp);
	}
	return err;
}

static int map_file(const char *path, struct image *img)
{
	struct stat st;
	int fd, err = 0;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		err = -errno;
		goto out;
	}
	img->size = st.st_size;
	img->data = NULL;
	if (!img->size)
		goto out;
	img->data = mmap(NULL, img->size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (img->data == MAP_FAILED) {
		img->data = NULL;
		err = -errno;
	}
out:
	if (fd >= 0)
		close(fd);
	if (err)
		fprintf(stderr, "bpfcarve: %s: %s\n", path, strerror(-err));
	return err;
}

/* Scan one file; returns the number of objects written or -errno. */
static int carve_file(const char *outdir, const char *path)
{
	static const unsigned char magic[SELFMAG] = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3 };
	const unsigned char *p, *hit;
	struct image img = { 0 };
	int nr = 0, err;
	size_t len;

	err = map_file(path, &img);
	if (err || !img.data)
		return err;
	p = img.data;
	while ((hit = memmem(p, img.data + img.size - p, magic, SELFMAG))) {
		len = bpf_object_len(hit, img.data + img.size - hit);
		if (!len) {
			p = hit + 1;
			continue;
		}
		err = write_object(outdir, base_name(path), nr + 1, hit, len);
		if (err)
			break;
		nr++;
		p = hit + len;
	}
	munmap((void *)img.data, img.size);
	return err ? err : nr;
}

int main(int argc, char **argv)
{
	struct stat st;
	int i, n, total = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: bpfcarve OUTDIR FILE...\n");
		return 2;
	}
	if (stat(argv[1], &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "bpfcarve: %s: not a directory\n", argv[1]);
		return 1;
	}
	for (i = 2; i < argc; i++) {
		n = carve_file(argv[1], argv[i]);
		if (n < 0)
			return 1;
		total += n;
	}
	printf("%d\n", total);
	return 0;
}
