// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * btfenc: DWARF -> BTF, deduplicated, optionally trimmed to what BPF CO-RE
 * objects need.  This file parses options and runs the stages in order:
 * read (DWARF or BTF), dedup, write.  Each stage prints its own errors.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "btfenc.h"
#include "dedup/dedup.h"
#include "dwarf/dwarf_reader.h"
#include "fetch.h"
#include "input.h"
#include "tarxz.h"
#include "encoder/btf_compat.h"
#include "encoder/btf_distill.h"
#include "encoder/btf_io.h"
#include "encoder/btf_table.h"
#include "encoder/btf_features.h"
#include "encoder/msg.h"
#include "minimize/minimize.h"

enum {
	OPT_DUMP = 0x100,
	OPT_BASE,
	OPT_VERSION,
	OPT_FEATURES,
	OPT_MIN,
	OPT_OUT_DIR,
	OPT_STATS,
	OPT_GZIP,
	OPT_TAR_XZ,
	OPT_BTFHUB,
	OPT_BTFHUB_TREE,
	OPT_SUPPLEMENTARY,
	OPT_DEBUG_DIR,
	OPT_ARRAYS,
	OPT_BUILD_ID,
	OPT_RUNNING_KERNEL,
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "dump", required_argument, NULL, OPT_DUMP },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "jobs", required_argument, NULL, 'j' },
	{ "features", required_argument, NULL, OPT_FEATURES },
	{ "min", required_argument, NULL, OPT_MIN },
	{ "out-dir", required_argument, NULL, OPT_OUT_DIR },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "gzip", no_argument, NULL, OPT_GZIP },
	{ "tar-xz", no_argument, NULL, OPT_TAR_XZ },
	{ "btfhub", required_argument, NULL, OPT_BTFHUB },
	{ "btfhub-tree", required_argument, NULL, OPT_BTFHUB_TREE },
	{ "supplementary", required_argument, NULL, OPT_SUPPLEMENTARY },
	{ "debug-dir", required_argument, NULL, OPT_DEBUG_DIR },
	{ "arrays", required_argument, NULL, OPT_ARRAYS },
	{ "build-id", required_argument, NULL, OPT_BUILD_ID },
	{ "running-kernel", no_argument, NULL, OPT_RUNNING_KERNEL },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fputs(
"Usage: btfenc [OPTIONS] INPUT\n"
"       btfenc --min OBJ [OBJ...] [OPTIONS] INPUT\n"
"       btfenc [--min OBJ...] --out-dir DIR [OPTIONS] INPUT...\n"
"       btfenc --dump FILE [--base BASE]\n"
"       btfenc [--min OBJ...] [OPTIONS] --build-id HEX | --running-kernel\n"
"Encode the DWARF debug info of INPUT (a vmlinux, a kernel module or any ELF\n"
"file with DWARF) as deduplicated BTF, or trim it to what BPF CO-RE objects\n"
"need.  INPUT may also be raw BTF or an ELF file with .BTF, or an archive or\n"
"package read as a stream (.btf.tar.xz, .tar.gz, .tar, .deb, .ddeb, .rpm):\n"
"its vmlinux or RELEASE.btf, or ARCHIVE:MEMBER (nf_tables.ko) for another.\n"
"\n"
"Output:\n"
"  -o, --output FILE   write raw BTF to FILE (default: standard output,\n"
"                      refused when it is a terminal)\n"
"  -J                  add or replace the .BTF section of INPUT itself\n"
"      --base FILE     encode INPUT as split BTF on top of FILE (raw BTF or an\n"
"                      ELF file with .BTF), e.g. a module on its vmlinux\n"
"      --min OBJ       keep only the types and members the CO-RE relocations\n"
"                      of the BPF object OBJ need; repeat it, or list more\n"
"                      objects before INPUT\n"
"      --out-dir DIR   write DIR/NAME.btf for each INPUT (NAME: its file name\n"
"                      without .btf or .btf.gz), creating DIR, and list them in\n"
"                      DIR/manifest.json, merged with the one there; identical\n"
"                      outputs are one file (hard links); objects are read once\n"
"      --btfhub DISTRO/VERSION[/ARCH]\n"
"                      with --out-dir: BTFHub's layout,\n"
"                      DIR/DISTRO/VERSION/ARCH/RELEASE.btf, the release read\n"
"                      from each kernel's banner, or for raw BTF from its file\n"
"                      name, ARCH for raw BTF from its directory's name\n"
"      --btfhub-tree ROOT\n"
"                      with --out-dir: BTFHub's layout taken from where each\n"
"                      INPUT is, ROOT/DISTRO/VERSION/ARCH/FILE: one command\n"
"                      for a whole BTFHub tree (ROOT/*/*/*/*.btf.tar.xz)\n"
"      --gzip          gzip the output (also implied by -o NAME.gz)\n"
"      --tar-xz        write BTFHub's RELEASE.btf.tar.xz, a tar archive of\n"
"                      RELEASE.btf compressed with xz (also implied by\n"
"                      -o NAME.btf.tar.xz)\n"
"      --dump FILE     print the types of FILE (raw BTF or an ELF's .BTF) one\n"
"                      per line, as bpftool's raw format\n""      --build-id HEX  instead of INPUT, the debug file of this build-id (a\n"
"                      vmlinux's: readelf -n), fetched through debuginfod\n"
"                      (DEBUGINFOD_URLS; cached as debuginfod caches)\n"
"      --running-kernel\n"
"                      --build-id of the running kernel (/sys/kernel/notes)\n"
"\n"
"Encoding:\n"
"  -j, --jobs N        threads (default: online CPUs); the output is\n"
"                      the same at every N\n"
"      --features LIST encode with these BTF features (comma-separated:\n"
"                      default, all, +NAME, -NAME or NAME); names: enum64,\n"
"                      float, decl_tag, type_tag, var, global_var,\n"
"                      optimized_func, consistent_func, decl_tag_kfuncs,\n"
"                      distilled_base, attributes, layout (see btfenc(1))\n"
"      --arrays MODE   multi-dimensional arrays: nested (int a[2][3] as\n"
"                      ARRAY(2) of ARRAY(3), as pahole 1.32 and Linux 7.x)\n"
"                      or flat (ARRAY(6), as pahole up to 1.31); default:\n"
"                      $BTFENC_ARRAYS, else nested, or with --base as the\n"
"                      base has them\n"
"      --supplementary FILE\n"
"                      the dwz supplementary file of INPUT (default: the\n"
"                      one its .gnu_debugaltlink or .debug_sup names, looked\n"
"                      for beside INPUT and under the debug directory)\n"
"      --debug-dir DIR where supplementary files are looked for, as\n"
"                      DIR/.dwz/NAME and DIR/.build-id/XX/ID.debug (default:\n"
"                      /usr/lib/debug)\n"
"\n"
"General:\n"
"      --stats         print time and peak memory per phase, and the types\n"
"                      per kind before and after dedup; with --min, -v's\n"
"                      summary\n"
"  -v, --verbose       say more; with --min, what each relocation resolved\n"
"                      to and what was kept, then per kernel how many were\n"
"                      resolved, without candidate or poisoned, and each\n"
"                      missing type.field once\n"
"  -q, --quiet         print errors only\n"
"  -h, --help          print this help\n"
"      --version       print the version\n"
"\n"
"Exit status: 0 success, 1 bad input or failure, 2 usage error.\n", f);
}

int btfenc__parse_arrays(const char *s, enum btfenc_arrays *out)
{
	if (!strcmp(s, "nested"))
		*out = ARRAYS_NESTED;
	else if (!strcmp(s, "flat"))
		*out = ARRAYS_FLAT;
	else
		return -EINVAL;
	return 0;
}

int btfenc__arrays_from_env(enum btfenc_arrays *out)
{
	const char *v = getenv("BTFENC_ARRAYS");

	*out = ARRAYS_AUTO;
	if (!v || !*v)
		return 0;
	if (!btfenc__parse_arrays(v, out))
		return 0;
	msg__error("BTFENC_ARRAYS=%s: nested or flat", v);
	return -EINVAL;
}

int btfenc__parse_jobs(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < 0 || v > 1024)
		return -EINVAL;
	*out = v;
	return 0;
}

static bool is_bpf_object(const char *path);
static int check_args(const struct btfenc_opts *o);
static int usage_error(const char *what);

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, struct btfenc_opts *o)
{
	int c;

	o->features = btf_features_default();
	if (btfenc__arrays_from_env(&o->arrays))
		return EXIT_USAGE;
	/* as kernel builds ask: BTF does not describe Rust's types */
	o->lang_exclude = "rust";
	o->objs = calloc(argc, sizeof(*o->objs));
	o->inputs = calloc(argc, sizeof(*o->inputs));
	if (!o->objs || !o->inputs) {
		msg__error("%s", strerror(ENOMEM));
		return EXIT_FAIL;
	}
	while ((c = getopt_long(argc, argv, "o:Jj:vqh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'J': o->in_place = true; break;
		case OPT_DUMP: o->dump = optarg; break;
		case OPT_BASE: o->base = optarg; break;
		case OPT_MIN: o->objs[o->nr_objs++] = optarg; break;
		case OPT_OUT_DIR: o->out_dir = optarg; break;
		case OPT_STATS: o->stats = true; break;
		case OPT_GZIP: o->gzip = true; break;
		case OPT_TAR_XZ: o->tar_xz = true; break;
		case OPT_BTFHUB: o->btfhub = optarg; break;
		case OPT_BTFHUB_TREE: o->btfhub_tree = optarg; break;
		case OPT_SUPPLEMENTARY: o->supplementary = optarg; break;
		case OPT_DEBUG_DIR: o->debug_dir = optarg; break;
		case OPT_BUILD_ID: o->build_id = optarg; break;
		case OPT_RUNNING_KERNEL: o->running_kernel = true; break;
		case OPT_ARRAYS:
			if (btfenc__parse_arrays(optarg, &o->arrays))
				return usage_error("--arrays takes nested or flat");
			break;
		case OPT_FEATURES:
			if (btfenc__parse_features(optarg, &o->features, true))
				return EXIT_USAGE;
			break;
		case 'v': msg__set_level(MSG_VERBOSE); break;
		case 'q': msg__set_level(MSG_QUIET); break;
		case 'j':
			if (btfenc__parse_jobs(optarg, &o->nr_threads)) {
				msg__error("-j: '%s' is not a thread count (0-1024)", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h': usage(stdout); return EXIT_OK;
		case OPT_VERSION: printf("btfenc %s\n", PACKAGE_VERSION); return EXIT_OK;
		default:
			fputs("Try 'btfenc --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (o->dump) {
		if (optind != argc || o->output || o->in_place) {
			msg__error("--dump takes one FILE and no INPUT, -o or -J");
			return EXIT_USAGE;
		}
		return -1;
	}
	/* with --min, BPF objects among the arguments are more objects */
	for (; optind < argc; optind++) {
		if (o->nr_objs && is_bpf_object(argv[optind]))
			o->objs[o->nr_objs++] = argv[optind];
		else
			o->inputs[o->nr_inputs++] = argv[optind];
	}
	return check_args(o);
}

static int usage_error(const char *what)
{
	msg__error("%s", what);
	fputs("Try 'btfenc --help'.\n", stderr);
	return EXIT_USAGE;
}

static int check_args(const struct btfenc_opts *o)
{
	if (o->build_id && o->running_kernel)
		return usage_error("--build-id and --running-kernel exclude each other");
	if ((o->build_id || o->running_kernel) && o->nr_inputs)
		return usage_error("--build-id and --running-kernel take the place of INPUT");
	if ((o->build_id || o->running_kernel) && o->in_place)
		return usage_error("-J cannot write into debuginfod's cache");
	if (!o->nr_inputs && !o->build_id && !o->running_kernel)
		return usage_error("no INPUT given");
	if (o->nr_inputs > 1 && !o->out_dir)
		return usage_error("more than one INPUT given (use --out-dir DIR)");
	if (o->in_place && o->output)
		return usage_error("-J and -o exclude each other");
	if (o->out_dir && (o->output || o->in_place))
		return usage_error("--out-dir excludes -o and -J");
	if (o->in_place && o->nr_objs)
		return usage_error("-J cannot be combined with --min");
	if ((o->btfhub || o->btfhub_tree) && !o->out_dir)
		return usage_error("--btfhub and --btfhub-tree go with --out-dir");
	if (o->btfhub && o->btfhub_tree)
		return usage_error("--btfhub and --btfhub-tree exclude each other");
	if (o->btfhub && (!strchr(o->btfhub, '/') || strstr(o->btfhub, "..")))
		return usage_error("--btfhub takes DISTRO/VERSION[/ARCH], e.g. ubuntu/20.04");
	if (o->in_place && o->gzip)
		return usage_error("-J and --gzip exclude each other");
	if (o->tar_xz && (o->in_place || o->gzip))
		return usage_error("--tar-xz excludes -J and --gzip");
	/* the module's split BTF and its distilled base are two sections */
	if (o->base && (o->features & BTF_FEAT_DISTILLED_BASE) && !o->in_place)
		return usage_error("distilled_base writes .BTF and .BTF.base into "
				   "the module: use -J, or -distilled_base");
	if (!o->in_place && !o->output && !o->out_dir && isatty(STDOUT_FILENO))
		return usage_error("refusing to write binary BTF to a terminal; use -o FILE");
	return -1;
}

static int parse_feature_item(const char *item, size_t len, unsigned int *mask,
			      bool strict)
{
	char op = *item == '+' || *item == '-' ? *item : 0;
	unsigned int bit;

	if (op) {
		item++;
		len--;
	}
	if (len == 7 && !strncmp(item, "default", 7) && !op) {
		*mask |= btf_features_default();
		return 0;
	}
	if (len == 3 && !strncmp(item, "all", 3) && !op) {
		*mask = ~0u;
		return 0;
	}
	bit = btf_feature_bit(item, len);
	if (!bit) {
		if (!strict)
			return 0;
		msg__error("unknown BTF feature '%.*s' (see btfenc --help)", (int)len, item);
		return -EINVAL;
	}
	if (op == '-')
		*mask &= ~bit;
	else
		*mask |= bit;
	return 0;
}

int btfenc__parse_features(const char *list, unsigned int *mask, bool strict)
{
	const char *p = list;
	int err;

	/* "+x" or "-x" or "default,..." edit the defaults; "x,y" is exact */
	*mask = *p == '+' || *p == '-' ? btf_features_default() : 0;
	while (*p) {
		size_t len = strcspn(p, ",");

		if (len) {
			err = parse_feature_item(p, len, mask, strict);
			if (err)
				return err;
		}
		p += len + (p[len] == ',');
	}
	return 0;
}

/* A readable regular file, or a message naming it and why not. */
static int check_input(const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		msg__error("%s: %s", path, strerror(errno));
		return -errno;
	}
	if (S_ISDIR(st.st_mode)) {
		msg__error("%s: is a directory", path);
		return -EISDIR;
	}
	if (access(path, R_OK)) {
		msg__error("%s: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}

/* The BTF of @arg: a file, or the kernel or member of an archive */
static int read_btf_arg(const char *arg, const struct btf_table *base,
			struct btf_table **out)
{
	struct input in;
	int err = input__open(arg, &in);

	if (!err)
		err = check_input(in.path);
	if (!err)
		err = btf_io__read_as(in.path, in.name, base, out);
	input__close(&in);
	return err;
}

static int run_dump(const struct btfenc_opts *o)
{
	struct btf_table *base = NULL, *tab = NULL;
	int err = 0;

	if (o->base)
		err = read_btf_arg(o->base, NULL, &base);
	if (!err)
		err = read_btf_arg(o->dump, base, &tab);
	if (!err)
		err = btf_io__dump(tab, stdout);
	if (!err && (fflush(stdout) || ferror(stdout))) {
		msg__error("standard output: %s", strerror(errno));
		err = -EIO;
	}
	btf_table__free(tab);
	btf_table__free(base);
	return err;
}

/* Per-run state: the base, the BPF objects, the batch, the phase clock. */
struct run {
	const struct btfenc_opts *o;
	struct batch *batch;
	struct btf_table *base;
	struct minimize_obj **objs;
	int nr_objs;
	/* the objects' records need no FUNC, VAR or DATASEC (--min) */
	bool types_suffice;
	/* the names their records look candidates up by */
	struct dwarf_type_name *roots;
	size_t nr_roots;
	/* the input's target is big-endian: so is raw output */
	bool big_endian;
	struct timespec t_phase;
};

static double elapsed(struct timespec *since)
{
	struct timespec now;
	double d;

	clock_gettime(CLOCK_MONOTONIC, &now);
	d = (now.tv_sec - since->tv_sec) + (now.tv_nsec - since->tv_nsec) / 1e9;
	*since = now;
	return d;
}

/* --stats: time of the phase that just ended, and the peak RSS so far */
static void stats_phase(struct run *r, const char *input, const char *phase)
{
	struct rusage ru;
	double d = elapsed(&r->t_phase);

	if (!r->o->stats)
		return;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "btfenc: stats: %s: %-8s %8.3f s, peak RSS %ld MB\n",
		input, phase, d, ru.ru_maxrss / 1024);
}

static void stats_kinds(struct run *r, const char *input, const char *when,
			const struct btf_table *tab)
{
	uint32_t counts[BTF_KIND_NR], total = 0;
	unsigned int k;

	if (!r->o->stats)
		return;
	btf_table__count_kinds(tab, counts);
	fprintf(stderr, "btfenc: stats: %s: types %s:", input, when);
	for (k = 1; k < BTF_KIND_NR; k++) {
		total += counts[k];
		if (counts[k])
			fprintf(stderr, " %s %u", btf_kind_name(k), counts[k]);
	}
	fprintf(stderr, " (total %u)\n", total);
}

enum input_kind {
	INPUT_BAD,	/* reported */
	INPUT_DWARF,	/* ELF with .debug_info (maybe compressed) */
	INPUT_ELF_BTF,	/* ELF with .BTF and no DWARF */
	INPUT_RAW,	/* BTF magic (either byte order) or gzip */
};

/* The ELF header and section header table lie inside the file */
static int elf_check_bounds(const char *path, Elf *elf, off_t size)
{
	GElf_Ehdr eh;
	size_t shnum;

	if (!gelf_getehdr(elf, &eh) || elf_getshdrnum(elf, &shnum)) {
		msg__error("%s: truncated or corrupt ELF header: %s", path, elf_errmsg(-1));
		return -EINVAL;
	}
	/* libelf may report no sections when their table is cut off */
	if (eh.e_shnum)
		shnum = eh.e_shnum;
	if (eh.e_shoff > (uint64_t)size ||
	    (uint64_t)shnum * eh.e_shentsize > (uint64_t)size - eh.e_shoff) {
		msg__error("%s: truncated ELF file: section headers at offset %#llx "
			   "run past its end (%lld bytes)", path,
			   (unsigned long long)eh.e_shoff, (long long)size);
		return -EINVAL;
	}
	return 0;
}

/* Which sections an ELF file has; -EINVAL (reported) when it is corrupt */
static int elf_sections(const char *path, int fd, bool *dwarf, bool *btf)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	struct stat st;
	int err = 0;
	Elf *elf;

	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (fstat(fd, &st) || !elf || elf_kind(elf) != ELF_K_ELF) {
		msg__error("%s: truncated or corrupt ELF file: %s", path, elf_errmsg(-1));
		err = -EINVAL;
	}
	if (!err)
		err = elf_check_bounds(path, elf, st.st_size);
	if (!err && elf_getshdrstrndx(elf, &shstrndx)) {
		msg__error("%s: corrupt ELF file: no section name table: %s", path,
			   elf_errmsg(-1));
		err = -EINVAL;
	}
	while (!err && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(elf, shstrndx, sh.sh_name))) {
			msg__error("%s: section %zu: corrupt section header: %s", path,
				   elf_ndxscn(scn), elf_errmsg(-1));
			err = -EINVAL;
			break;
		}
		if (sh.sh_type != SHT_NOBITS &&
		    (sh.sh_offset > (uint64_t)st.st_size ||
		     sh.sh_size > (uint64_t)st.st_size - sh.sh_offset)) {
			msg__error("%s: truncated ELF file: section %s runs past its end",
				   path, name);
			err = -EINVAL;
			break;
		}
		*dwarf |= !strcmp(name, ".debug_info") || !strcmp(name, ".zdebug_info");
		*btf |= !strcmp(name, ".BTF");
	}
	elf_end(elf);
	return err;
}

static enum input_kind input_kind(const char *open_path, const char *path)
{
	unsigned char magic[SELFMAG] = { 0 };
	bool dwarf = false, btf = false;
	ssize_t n;
	int fd;

	fd = open(open_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		msg__error("%s: %s", path, strerror(errno));
		return INPUT_BAD;
	}
	n = pread(fd, magic, sizeof(magic), 0);
	if (n == SELFMAG && !memcmp(magic, ELFMAG, SELFMAG)) {
		n = elf_sections(path, fd, &dwarf, &btf);
		close(fd);
		if (n)
			return INPUT_BAD;
		if (dwarf)
			return INPUT_DWARF;
		if (btf)
			return INPUT_ELF_BTF;
		msg__error("%s: no DWARF debug info (.debug_info) and no .BTF section", path);
		return INPUT_BAD;
	}
	close(fd);
	if (n >= 2 && ((magic[0] == 0x9f && magic[1] == 0xeb) ||
		       (magic[0] == 0xeb && magic[1] == 0x9f) ||
		       (magic[0] == 0x1f && magic[1] == 0x8b)))
		return INPUT_RAW;
	msg__error("%s: %s", path, n <= 0 ? "empty file: not an ELF file or BTF"
					  : "not an ELF file, raw BTF or gzip-compressed BTF");
	return INPUT_BAD;
}

/* True for an ELF file of machine EM_BPF, in either byte order */
static bool is_bpf_object(const char *path)
{
	unsigned char h[20];
	bool ok = false;
	FILE *f = fopen(path, "rb");

	if (!f)
		return false;
	if (fread(h, 1, sizeof(h), f) == sizeof(h) && !memcmp(h, ELFMAG, SELFMAG))
		ok = (h[EI_DATA] == ELFDATA2LSB ? h[18] | h[19] << 8
						: h[19] | h[18] << 8) == EM_BPF;
	fclose(f);
	return ok;
}

/*
 * Progress on a terminal: for runs longer than a second, the phase and the
 * share of compilation units read, on one self-erasing line.
 */
struct progress {
	const char *input;
	struct timespec start;
	bool on;		/* stderr is a terminal and not -q */
	bool shown;
	unsigned int last_pct;
};

static void progress_start(struct progress *p, const char *input)
{
	memset(p, 0, sizeof(*p));
	p->input = input;
	p->on = isatty(STDERR_FILENO) && msg__level() >= MSG_NORMAL;
	p->last_pct = ~0u;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
}

static bool progress_due(struct progress *p)
{
	struct timespec t = p->start;

	return p->on && (p->shown || elapsed(&t) >= 1.0);
}

static void progress_units(void *ctx, unsigned long done, unsigned long total)
{
	struct progress *p = ctx;
	unsigned int pct = total ? done * 100 / total : 100;

	if (pct == p->last_pct || !progress_due(p))
		return;
	p->last_pct = pct;
	p->shown = true;
	fprintf(stderr, "\rbtfenc: %s: reading DWARF: %3u%% (%lu of %lu units)\033[K",
		p->input, pct, done, total);
}

static void progress_phase(struct progress *p, const char *phase)
{
	if (!progress_due(p))
		return;
	p->shown = true;
	fprintf(stderr, "\rbtfenc: %s: %s\033[K", p->input, phase);
}

static void progress_end(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}

static void stream_unit(void *ctx)
{
	dedup__stream_add(ctx);
}

/* Whether reading runs on more than one thread */
static bool threads_several(int nr_threads)
{
	return nr_threads > 1 ||
	       (nr_threads <= 0 && sysconf(_SC_NPROCESSORS_ONLN) > 1);
}

/* --stats: which units a --min read, and why */
static void stats_subset(const char *input, const struct dwarf_subset *s)
{
	fprintf(stderr, "btfenc: stats: %s: scan     %8.3f s: ", input, s->scan_s);
	if (s->subset)
		fprintf(stderr, "%zu of %zu units to read (the %zu type names "
			"the records reach, of %zu, have one shape each)\n",
			s->units, s->units_total, s->closure, s->keys);
	else
		fprintf(stderr, "every unit to read (%s)\n", s->why);
}

/*
 * Whether @tab's arrays are flat: it has arrays and none of an array (a
 * kernel's BTF always has multi-dimensional arrays, nested or not)
 */
static bool table_arrays_flat(const struct btf_table *tab)
{
	uint32_t id, n = btf_table__type_cnt(tab);
	const struct btf_type *t;
	bool arrays = false;

	for (id = 1; id < n; id++) {
		t = btf_table__type(tab, id);
		if (btf_kind(t) != BTF_KIND_ARRAY)
			continue;
		arrays = true;
		t = btf_table__type(tab, ((const struct btf_array *)(t + 1))->type);
		if (t && btf_kind(t) == BTF_KIND_ARRAY)
			return false;
	}
	return arrays;
}

/*
 * Split BTF must describe its arrays as the base does, or no type of the
 * base that holds one deduplicates against it
 */
static bool arrays_flat(const struct run *r)
{
	bool flat;

	if (r->o->arrays != ARRAYS_AUTO)
		return r->o->arrays == ARRAYS_FLAT;
	flat = r->base && table_arrays_flat(r->base);
	if (flat)
		msg__info("%s: its arrays are flat: so are the ones encoded "
			  "on it (--arrays=flat)", r->o->base);
	return flat;
}

/*
 * DWARF -> table: read, downgrade to the chosen features, dedup.  With
 * several threads, dedup starts on the units already read while later ones
 * are being read (a dedup stream: the merging thread does it, the others
 * encode meanwhile); not for split tables, nor when the features chosen
 * change the table after reading.  On one thread that would only be slower.
 */
static int encode_dwarf(struct run *r, const struct input *in, struct btf_table **out)
{
	const char *input = in->name;
	struct dwarf_reader_opts ropts = {
		.nr_threads = r->o->nr_threads,
		.gen_floats = r->o->features & BTF_FEAT_FLOAT,
		.features = r->o->features,
		.lang_exclude = r->o->lang_exclude,
		.supplementary = r->o->supplementary,
		.debug_dir = r->o->debug_dir,
		.flat_arrays = arrays_flat(r),
		.name = in->name,
		/* minimizing a kernel: see minimize__types_suffice */
		.types_only = r->nr_objs && r->types_suffice && !r->base,
	};
	/* every name went in through btf_table__add_str (dwarf/dwarf_merge.c) */
	struct dedup_opts dopts = { .strs_from_table = true };
	struct dedup_stream *stream = NULL;
	struct dwarf_subset subset = { 0 };
	struct progress prog;
	struct btf_table *tab;
	int err;

	progress_start(&prog, input);
	ropts.progress = progress_units;
	ropts.progress_ctx = &prog;
	tab = r->base ? btf_table__new_split(r->base) : btf_table__new();
	if (!tab) {
		msg__error("%s: %s", input, strerror(errno));
		return -errno;
	}
	if (!r->base && threads_several(r->o->nr_threads))
		stream = dedup__stream_new(tab);
	if (stream) {
		ropts.unit_merged = stream_unit;
		ropts.unit_merged_ctx = stream;
	}
	if (ropts.types_only && r->o->stats)
		fprintf(stderr, "btfenc: stats: %s: reading types only (no "
			"CO-RE record needs functions or variables)\n", input);
	if (ropts.types_only) {
		ropts.min_roots = r->roots;
		ropts.nr_min_roots = r->nr_roots;
		ropts.subset = &subset;
	}
	err = dwarf_reader__load(in->path, tab, &ropts);
	if (err)
		progress_end(&prog);
	if (!err && subset.scanned && r->o->stats)
		stats_subset(input, &subset);
	stats_phase(r, input, "read");
	if (!err)
		stats_kinds(r, input, "read", tab);
	if (!err) {
		progress_phase(&prog, "deduplicating types");
		if (stream && btf_compat__needed(tab, r->o->features)) {
			dedup__stream_free(stream);
			stream = NULL;
		}
		err = btf_compat__apply(tab, r->o->features);
		if (!err)
			err = stream ? dedup__stream_finish(stream) :
			      dedup__run(tab, &dopts);
		progress_end(&prog);
		if (r->o->stats)
			fprintf(stderr, "btfenc: stats: %s: dedup %s\n", input,
				!stream ? "after reading" :
				dedup__stream_restarted(stream) ?
				"while reading, then over again after it" :
				"partly while reading");
		if (err == -ELOOP)
			msg__error("%s: corrupt DWARF: a chain of typedef, pointer or "
				   "modifier types loops back on itself", input);
		else if (err)
			msg__error("%s: deduplicating types: %s", input, strerror(-err));
		stats_phase(r, input, "dedup");
	}
	dedup__stream_free(stream);
	if (!err)
		stats_kinds(r, input, "after dedup", tab);
	if (err)
		btf_table__free(tab);
	else
		*out = tab;
	return err;
}

/*
 * The types of an input: from its DWARF, else from its .BTF, else it is raw
 * BTF.  Existing BTF is only downgraded to the chosen features.
 */
static int load_input(struct run *r, const struct input *in, struct btf_table **out)
{
	const char *input = in->name;
	enum input_kind kind;
	int err = check_input(in->path);

	if (err)
		return err;
	if (in->archive && r->o->in_place) {
		msg__error("%s: -J cannot write into an archive", in->archive);
		return -EINVAL;
	}
	kind = input_kind(in->path, input);
	if (kind == INPUT_BAD)
		return -EINVAL;
	if (kind == INPUT_DWARF)
		return encode_dwarf(r, in, out);
	if (r->o->in_place) {
		msg__error("%s: no DWARF debug info (.debug_info) to encode", input);
		return -EINVAL;
	}
	err = btf_io__read_as(in->path, input, r->base, out);
	stats_phase(r, input, "read");
	if (!err) {
		err = btf_compat__apply(*out, r->o->features);
		if (err) {
			msg__error("%s: %s", input, strerror(-err));
			btf_table__free(*out);
		}
	}
	return err;
}

/* -v, --stats: what the records found in this kernel, missing names once */
static void print_summary(const char *input, const struct minimize_summary *s)
{
	size_t i;

	fprintf(stderr, "btfenc: %s: CO-RE relocations: %lu resolved, %lu without "
		"candidate, %lu poisoned, %lu existence checks false\n", input,
		s->resolved, s->no_cand, s->poisoned, s->absent);
	for (i = 0; i < s->nr_missing; i++)
		fprintf(stderr, "btfenc: %s: missing: %s (%lu relocation%s)\n", input,
			s->missing[i].name, s->missing[i].nr_relos,
			s->missing[i].nr_relos == 1 ? "" : "s");
}

static int minimize_target(struct run *r, const char *input,
			   struct btf_table **tab)
{
	struct minimize_summary sum;
	bool want_sum = r->o->stats || msg__level() >= MSG_VERBOSE;
	/* libbpf's btf_custom_path takes one file without a base: with a
	 * module on its vmlinux, the result holds what it needs of both */
	struct minimize_opts mopts = {
		.verbose = msg__level() >= MSG_VERBOSE,
		.standalone = true,
		.summary = want_sum ? &sum : NULL,
	};
	struct btf_table *min = NULL;
	int err;

	err = minimize__run(*tab, r->objs, r->nr_objs, &mopts, &min);
	stats_phase(r, input, "minimize");
	if (err)
		return err;
	if (want_sum) {
		print_summary(input, &sum);
		minimize__summary_free(&sum);
	}
	btf_table__free(*tab);
	*tab = min;
	stats_kinds(r, input, "kept", min);
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* -J with distilled_base: .BTF on a distilled base, which .BTF.base holds */
static int write_distilled(const char *input, const struct btf_table *tab)
{
	struct btf_table *base = NULL, *split = NULL;
	int err = btf_distill__split(tab, &base, &split);

	if (err) {
		msg__error("%s: cannot distill the base: %s", input,
			   err == -EINVAL ? "a type refers to a function, "
			   "variable or tag of the base" : strerror(-err));
	} else {
		const struct btf_io_section secs[] = {
			{ ".BTF", split },
			{ ".BTF.base", base },
		};

		err = btf_io__write_elf_sections(input, secs, 2);
	}
	btf_table__free(split);
	btf_table__free(base);
	return err;
}

/*
 * *@buf (raw BTF of *@len bytes) becomes BTFHub's RELEASE.btf.tar.xz, its
 * member named after @path ("-": standard output, member btf.btf)
 */
static int wrap_tar_xz(const char *path, void **buf, size_t *len)
{
	char member[256];
	void *out;
	size_t out_len;
	int err;

	tarxz__member(strcmp(path, "-") ? path : "btf.btf", member,
		      sizeof(member));
	err = tarxz__wrap(member, *buf, *len, &out, &out_len);
	if (err) {
		msg__error("%s: cannot make the tar.xz archive", path);
		return err;
	}
	free(*buf);
	*buf = out;
	*len = out_len;
	return 0;
}

/* In a batch: the bytes, then the batch writes or links them */
static int write_batch(struct run *r, const char *input, struct btf_table *tab,
		       const char *path)
{
	void *buf;
	size_t len;
	int err;

	err = btf_io__encode_raw(tab, path, r->o->gzip, r->big_endian, &buf,
				 &len);
	if (!err && r->o->tar_xz)
		err = wrap_tar_xz(path, &buf, &len);
	if (!err)
		err = batch__write(r->batch, input, path, buf, len,
				   btf_table__nr_own(tab));
	free(buf);
	return err;
}

/* -o FILE.btf.tar.xz or --tar-xz: the raw BTF as BTFHub's archive */
static int write_tar_xz(struct run *r, struct btf_table *tab, const char *path)
{
	void *buf;
	size_t len;
	int err;

	err = btf_io__encode_raw(tab, path, false, r->big_endian, &buf, &len);
	if (!err)
		err = wrap_tar_xz(path, &buf, &len);
	if (!err)
		err = btf_io__write_file(path, buf, len);
	free(buf);
	return err;
}

static int write_output(struct run *r, const char *input, struct btf_table *tab,
			const char *path)
{
	const struct btfenc_opts *o = r->o;

	if (o->in_place && r->base && (o->features & BTF_FEAT_DISTILLED_BASE))
		return write_distilled(input, tab);
	if (o->in_place)
		return btf_io__write_elf(tab, input);
	if (r->batch)
		return write_batch(r, input, tab, path);
	if (o->tar_xz || (path && ends_with(path, ".tar.xz")))
		return write_tar_xz(r, tab, path ? path : "-");
	return btf_io__write_raw(tab, path ? path : "-",
				 o->gzip || (path && ends_with(path, ".gz")),
				 r->big_endian);
}

/*
 * Whether @input is for a big-endian target (s390x, big-endian ppc, arm
 * or mips): its ELF header says, or raw BTF's magic.  Anything else,
 * unreadable included (loading says what is wrong), is taken as
 * little-endian.
 */
static bool input_big_endian(const char *input)
{
	unsigned char b[EI_NIDENT];
	ssize_t n = 0;
	int fd = open(input, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, b, sizeof(b));
		close(fd);
	}
	if (n >= EI_NIDENT && !memcmp(b, ELFMAG, SELFMAG))
		return b[EI_DATA] == ELFDATA2MSB;
	return n >= 2 && b[0] == 0xeb && b[1] == 0x9f;
}

static int run_one(struct run *r, const char *arg)
{
	const struct btfenc_opts *o = r->o;
	struct btf_table *tab = NULL;
	char *path = NULL;
	struct input in;
	int err;

	err = input__open(arg, &in);
	if (!err) {
		r->big_endian = input_big_endian(in.path);
		err = load_input(r, &in, &tab);
	}
	if (!err && r->nr_objs)
		err = minimize_target(r, in.name, &tab);
	if (!err && r->batch) {
		path = batch__output_path(r->batch, arg, in.path, in.member);
		err = path ? 0 : -EINVAL;
	}
	if (!err)
		err = write_output(r, arg, tab, path ? path : o->output);
	if (err && r->batch)
		batch__fail(r->batch, arg);
	stats_phase(r, in.name ? in.name : arg, "write");
	input__close(&in);
	free(path);
	btf_table__free(tab);
	return err;
}

static int load_roots(struct run *r)
{
	struct minimize_root *names;
	size_t i, n;
	int err = minimize__root_names(r->objs, r->nr_objs, &names, &n);

	if (err) {
		msg__error("%s", strerror(-err));
		return err;
	}
	r->roots = calloc(n + 1, sizeof(*r->roots));
	if (!r->roots) {
		free(names);
		msg__error("%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		r->roots[i].name = names[i].name;
		r->roots[i].len = names[i].len;
	}
	r->nr_roots = n;
	free(names);
	return 0;
}

static int load_objects(struct run *r)
{
	const struct btfenc_opts *o = r->o;
	int i, err = 0;

	if (!o->nr_objs)
		return 0;
	r->objs = calloc(o->nr_objs, sizeof(*r->objs));
	if (!r->objs)
		return -ENOMEM;
	for (i = 0; i < o->nr_objs && !err; i++) {
		err = check_input(o->objs[i]);
		if (!err)
			err = minimize__load_obj(o->objs[i], &r->objs[i]);
		if (!err)
			r->nr_objs++;
	}
	r->types_suffice = !err && minimize__types_suffice(r->objs, r->nr_objs);
	if (r->types_suffice)
		err = load_roots(r);
	return err;
}

/* --build-id, --running-kernel: the file debuginfod fetches is the INPUT */
static int run_fetched(struct run *r)
{
	const char *id = r->o->build_id;
	char running[129], *path = NULL;
	int err = 0;

	if (r->o->running_kernel) {
		err = fetch__running_build_id(NULL, running,
					      sizeof(running));
		id = running;
	}
	if (!err)
		err = fetch__debuginfo(id, &path);
	if (!err) {
		msg__info("build-id %s: %s", id, path);
		err = run_one(r, path);
	}
	free(path);
	return err;
}

static int run_encode(const struct btfenc_opts *o)
{
	struct run r = { .o = o };
	int i, err = 0, failed = 0;

	clock_gettime(CLOCK_MONOTONIC, &r.t_phase);
	if (o->base)
		err = read_btf_arg(o->base, NULL, &r.base);
	if (!err)
		err = load_objects(&r);
	if (!err && o->out_dir) {
		r.batch = batch__new(o->out_dir, o->btfhub, o->btfhub_tree,
				     o->tar_xz ? ".btf.tar.xz" :
				     o->gzip ? ".btf.gz" : ".btf");
		err = r.batch ? 0 : -errno;
	}
	stats_phase(&r, "objects", "read");
	if (!err && (o->build_id || o->running_kernel))
		failed = run_fetched(&r) != 0;
	/* in a batch, one bad input does not stop the others */
	for (i = 0; !err && i < o->nr_inputs; i++)
		failed += run_one(&r, o->inputs[i]) != 0;
	if (!err && r.batch)
		err = batch__write_manifest(r.batch);
	batch__free(r.batch);
	for (i = 0; i < r.nr_objs; i++)
		minimize__free_obj(r.objs[i]);
	free(r.objs);
	free(r.roots);
	btf_table__free(r.base);
	return err ? err : failed ? -EINVAL : 0;
}

static bool invoked_as_pahole(const char *argv0)
{
	const char *base = strrchr(argv0, '/');

	return !strcmp(base ? base + 1 : argv0, "pahole");
}

int main(int argc, char **argv)
{
	struct btfenc_opts opts = { 0 };
	int ret;

	if (invoked_as_pahole(argv[0]))
		ret = btfenc__parse_pahole_args(argc, argv, &opts);
	else
		ret = parse_args(argc, argv, &opts);

	if (ret < 0) {
		btf_io__cleanup_on_signals();
		ret = opts.dump ? run_dump(&opts) : run_encode(&opts);
		ret = ret ? EXIT_FAIL : EXIT_OK;
	}
	free(opts.objs);
	free(opts.inputs);
	return ret;
}
