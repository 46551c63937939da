/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command's options, filled by btfenc's or pahole's argument syntax. */
#ifndef BTFENC_H
#define BTFENC_H

#include <stdbool.h>

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
};

/* How DWARF's multi-dimensional arrays are written */
enum btfenc_arrays {
	ARRAYS_AUTO,	/* nested, or as the --base has them */
	ARRAYS_NESTED,	/* int a[2][3]: ARRAY(2) of ARRAY(3), pahole 1.32 */
	ARRAYS_FLAT,	/* ARRAY(6), as pahole before 1.32 */
};

struct btfenc_opts {
	const char **inputs;
	int nr_inputs;
	const char **objs;	/* --min: BPF objects */
	int nr_objs;
	const char *out_dir;	/* one DIR/<input>.btf per input */
	const char *btfhub;	/* "DISTRO/VERSION": BTFHub's layout in out_dir */
	const char *btfhub_tree;	/* ... or the inputs' tree, its root */
	bool gzip;
	bool tar_xz;		/* BTFHub's RELEASE.btf.tar.xz */
	bool stats;
	const char *output;	/* NULL: stdout */
	const char *base;
	const char *dump;
	bool in_place;		/* -J */
	int nr_threads;
	unsigned int features;	/* enum btf_feature */
	const char *lang_exclude;
	const char *supplementary;	/* dwz's, for DWARF input */
	const char *debug_dir;		/* where it is looked for */
	enum btfenc_arrays arrays;
	const char *build_id;	/* INPUT: fetched through debuginfod */
	bool running_kernel;	/* the same, the running kernel's build-id */
};

/*
 * Parse a feature list into *@mask: "default", "all", "+name", "-name" or
 * "name", comma-separated.  A list that starts with a bare name selects
 * exactly the names given; one starting with +, - or "default" edits the
 * default set.  Unknown names are an error when @strict, else skipped.
 * Returns 0, or -EINVAL with the bad name printed.
 */
int btfenc__parse_features(const char *list, unsigned int *mask, bool strict);

/* "nested" or "flat" into *@out; 0 or -EINVAL */
int btfenc__parse_arrays(const char *s, enum btfenc_arrays *out);
/*
 * The environment's BTFENC_ARRAYS (nested or flat), for kernel builds that
 * run btfenc as pahole; ARRAYS_AUTO when unset.  Prints its error.
 */
int btfenc__arrays_from_env(enum btfenc_arrays *out);

/* A thread count, 0 to 1024 (0: one per online CPU); 0 or -EINVAL */
int btfenc__parse_jobs(const char *s, int *out);

/* pahole-compatible syntax, used when invoked as "pahole".  Returns -1 to
 * go on, or an exit status. */
int btfenc__parse_pahole_args(int argc, char **argv, struct btfenc_opts *o);

#endif
