// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * btfenc: DWARF -> BTF, deduplicated, optionally trimmed to what BPF CO-RE
 * objects need.  This file parses options and runs the stages in order:
 * read (DWARF or BTF), dedup, write.  Each stage prints its own errors.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "dedup/dedup.h"
#include "dwarf/dwarf_reader.h"
#include "encoder/btf_io.h"
#include "encoder/btf_table.h"
#include "encoder/msg.h"

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
};

struct btfenc_opts {
	const char *input;
	const char *output;	/* NULL: stdout */
	const char *base;
	const char *dump;
	bool in_place;		/* -J */
	int nr_threads;
	bool gen_floats;
};

enum {
	OPT_DUMP = 0x100,
	OPT_BASE,
	OPT_VERSION,
	OPT_NO_FLOATS,
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "dump", required_argument, NULL, OPT_DUMP },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "jobs", required_argument, NULL, 'j' },
	{ "no-floats", no_argument, NULL, OPT_NO_FLOATS },
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
"       btfenc --dump FILE [--base BASE]\n"
"Encode the DWARF debug info of INPUT (a vmlinux, a kernel module or any ELF\n"
"file with DWARF) as deduplicated BTF.\n"
"\n"
"Output:\n"
"  -o, --output FILE   write raw BTF to FILE (default: standard output,\n"
"                      refused when it is a terminal)\n"
"  -J                  add or replace the .BTF section of INPUT itself\n"
"      --base FILE     encode INPUT as split BTF on top of FILE (raw BTF or an\n"
"                      ELF file with .BTF), e.g. a module on its vmlinux\n"
"      --dump FILE     print the types of FILE (raw BTF or an ELF's .BTF) one\n"
"                      per line, as bpftool's raw format\n"
"\n"
"Encoding:\n"
"  -j, --jobs N        worker threads (default: online CPUs); the output is\n"
"                      the same at every N\n"
"      --no-floats     encode floating-point types as INT of their size\n"
"\n"
"General:\n"
"  -v, --verbose       say more\n"
"  -q, --quiet         print errors only\n"
"  -h, --help          print this help\n"
"      --version       print the version\n"
"\n"
"Exit status: 0 success, 1 bad input or failure, 2 usage error.\n", f);
}

static int parse_jobs(const char *s, int *out)
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

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, struct btfenc_opts *o)
{
	int c;

	o->gen_floats = true;
	while ((c = getopt_long(argc, argv, "o:Jj:vqh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'J': o->in_place = true; break;
		case OPT_DUMP: o->dump = optarg; break;
		case OPT_BASE: o->base = optarg; break;
		case OPT_NO_FLOATS: o->gen_floats = false; break;
		case 'v': msg__set_level(MSG_VERBOSE); break;
		case 'q': msg__set_level(MSG_QUIET); break;
		case 'j':
			if (parse_jobs(optarg, &o->nr_threads)) {
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
	if (optind + 1 != argc) {
		msg__error(optind == argc ? "no INPUT given" : "more than one INPUT given");
		fputs("Try 'btfenc --help'.\n", stderr);
		return EXIT_USAGE;
	}
	o->input = argv[optind];
	if (o->in_place && o->output) {
		msg__error("-J and -o exclude each other");
		return EXIT_USAGE;
	}
	if (!o->in_place && !o->output && isatty(STDOUT_FILENO)) {
		msg__error("refusing to write binary BTF to a terminal; use -o FILE");
		return EXIT_USAGE;
	}
	return -1;
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

static int run_dump(const struct btfenc_opts *o)
{
	struct btf_table *base = NULL, *tab = NULL;
	int err;

	err = o->base ? check_input(o->base) : 0;
	if (!err && o->base)
		err = btf_io__read(o->base, NULL, &base);
	if (!err)
		err = check_input(o->dump);
	if (!err)
		err = btf_io__read(o->dump, base, &tab);
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

static int run_encode(const struct btfenc_opts *o)
{
	struct dwarf_reader_opts ropts = {
		.nr_threads = o->nr_threads,
		.gen_floats = o->gen_floats,
	};
	struct dedup_opts dopts = { 0 };
	struct btf_table *base = NULL, *tab = NULL;
	int err;

	err = check_input(o->input);
	if (!err && o->base)
		err = check_input(o->base);
	if (!err && o->base)
		err = btf_io__read(o->base, NULL, &base);
	if (!err) {
		tab = base ? btf_table__new_split(base) : btf_table__new();
		if (!tab) {
			msg__error("%s", strerror(errno));
			err = -errno;
		}
	}
	if (!err)
		err = dwarf_reader__load(o->input, tab, &ropts);
	if (!err)
		err = dedup__run(tab, &dopts);
	if (!err && o->in_place)
		err = btf_io__write_elf(tab, o->input);
	else if (!err)
		err = btf_io__write_raw(tab, o->output ? o->output : "-");
	btf_table__free(tab);
	btf_table__free(base);
	return err;
}

int main(int argc, char **argv)
{
	struct btfenc_opts opts = { 0 };
	int ret = parse_args(argc, argv, &opts);

	if (ret >= 0)
		return ret;
	ret = opts.dump ? run_dump(&opts) : run_encode(&opts);
	return ret ? EXIT_FAIL : EXIT_OK;
}
