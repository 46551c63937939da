/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The DWARF reader: walks an ELF file's DWARF with libdw and adds a BTF
 * record for every type, function and variable it can express.
 *
 * Input: the path of an ELF file with DWARF 4 or 5 (gcc or clang; ET_EXEC,
 * ET_DYN, or ET_REL with its relocations applied; compressed sections).
 * Output: records appended to @tab (a split table when the input is a module
 * on a base).  The output may hold duplicates (one copy per compilation
 * unit, each unit's copy complete, never referring to another unit's);
 * dedup collapses them.  It may hold more types than BTF can number until
 * then.  libdw is closed when loading returns: the table owns every string.
 * What is encoded follows pahole 1.31 with the features asked for: FUNCs
 * for the functions a tracing program may attach to with their DWARF
 * prototype (one per name, chosen across units: see dwarf_fsel.c), after
 * every unit's types; VARs for per-CPU variables (and with global_var for
 * every global variable), one DATASEC per section; bpf_kfunc DECL_TAGs for
 * the functions of kfunc sets; int a[2][3] nested as ARRAY(2) of ARRAY(3)
 * as pahole 1.32 does (flat_arrays: ARRAY(6), as older pahole).  The
 * output is the same for any nr_threads.
 * Errors are printed here, naming the file and the DIE; -errno returned,
 * and @tab is then to be discarded.  Warnings (a DWARF tag BTF cannot
 * express) are printed once per kind.
 * This is the only directory that includes libdw.
 */
#ifndef BTFENC_DWARF_READER_H
#define BTFENC_DWARF_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "btf_table.h"

/* A type name, not NUL-terminated: @len bytes at @name */
struct dwarf_type_name {
	const char *name;
	size_t len;
};

/* What a types_only load with min_roots read (dwarf_shape.c) */
struct dwarf_subset {
	bool scanned;		/* the units were scanned first */
	bool subset;		/* ... and only some were read */
	size_t units;		/* units read */
	size_t units_total;	/* units that are encoded in a full read */
	size_t keys;		/* type names the scan found */
	size_t closure;		/* ... that the roots reach */
	double scan_s;		/* seconds the scan took */
	char why[256];		/* !subset: why every unit was read */
};

struct dwarf_reader_opts {
	/* worker threads; 0 = one per online CPU.  Output never depends on it */
	int nr_threads;
	/* encode FLOAT (else INT of the same size); default true */
	bool gen_floats;
	/* enum btf_feature (encoder/btf_features.h) */
	unsigned int features;
	/*
	 * int a[2][3] as one ARRAY(6) of int, as pahole before 1.32 wrote it;
	 * else ARRAY(2) of ARRAY(3) of int, as pahole 1.32 and Linux 7.x
	 */
	bool flat_arrays;
	/*
	 * Types alone: no FUNC or prototype of a function, no VAR, DATASEC or
	 * kfunc DECL_TAG, and the symbol table is not read.  Function bodies
	 * are still walked for the types they define, and a full load puts
	 * functions, their prototypes and variables after every unit's types,
	 * so the type records are the same, with the same IDs.  That takes
	 * every type DIE being reached by the walk, not only by a parameter or
	 * variable that refers to it: so it is with C from gcc and clang (a
	 * type is defined at file scope or in a function's body).
	 */
	bool types_only;
	/*
	 * With types_only (a --min of a kernel): the names the records look
	 * candidates up by (without "___flavor").  The units are scanned
	 * first, and only those defining or naming a type the names reach are
	 * read, when that gives the same minimized output as reading them all
	 * (dwarf_shape.c says when); the table then holds only their types,
	 * so it is for minimizing with the same records, nothing else.
	 * *subset (if not NULL) says what was done.
	 */
	const struct dwarf_type_name *min_roots;
	size_t nr_min_roots;
	struct dwarf_subset *subset;
	/* comma-separated DW_AT_language names whose units are skipped */
	const char *lang_exclude;
	/*
	 * dwz's supplementary file: the one to read (NULL: look for the one
	 * the input names, see dwarf_alt.c), and the root of the debug file
	 * tree it is looked for in (NULL: /usr/lib/debug)
	 */
	const char *supplementary;
	const char *debug_dir;
	/*
	 * Called from the loading thread as units are merged (NULL: none):
	 * @done of @total compilation units.  For a progress display only.
	 */
	void (*progress)(void *ctx, unsigned long done, unsigned long total);
	void *progress_ctx;
	/*
	 * Called on the same thread each time a unit's types have been
	 * appended to the table, in unit order (NULL: none).  It may read the
	 * table, never change it.  The FUNCs, VARs and DATASECs are appended
	 * after the last unit, without a call.
	 */
	void (*unit_merged)(void *ctx);
	void *unit_merged_ctx;
	/*
	 * What messages call the input, when @path is not what the user
	 * named (an archive's member read into an anonymous file opened as
	 * /proc/self/fd/N); NULL: @path
	 */
	const char *name;
};

int dwarf_reader__load(const char *path, struct btf_table *tab,
		       const struct dwarf_reader_opts *opts);

#endif
