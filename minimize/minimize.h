/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Minimize: keep only the types and members of a target BTF that given BPF
 * objects' CO-RE relocations resolve against.
 *
 * Input: BPF objects (ELF, EM_BPF, from clang or gcc) read by
 * minimize__load_obj(): their .BTF and the CO-RE records of .BTF.ext; and
 * a target table, normally a whole deduplicated vmlinux BTF, or a module's
 * split BTF on its vmlinux base.
 *
 * Output: a new table that makes libbpf compute the same relocation result
 * for every CO-RE record of every object as the target does, when it is
 * given as the target BTF (bpf_object_open_opts.btf_custom_path):
 * - each candidate that matches a record is kept with the path the record
 *   walks: accessed members only, at their original bit offsets and
 *   bitfield sizes, in structs and unions of their original sizes, with
 *   member types, their typedef/modifier chains and array element types;
 * - enums whose values a record reads are kept whole, other enums as a
 *   name, size and signedness; a TYPE_MATCHES root is kept whole down to
 *   what is behind pointers; type-based records keep pointer targets;
 * - a pointer to a type that nothing needs points to void;
 * - every record with no matching candidate keeps nothing;
 * - types that become identical are kept once; types appear in the order
 *   the records first reach them (records in order, a record's candidates
 *   in target ID order), so the output depends only on the inputs, and
 *   not on how the target numbers types the records do not reach.
 * Objects without CO-RE records add nothing: with none at all the output
 * holds no type (a valid BTF that libbpf reads, but that the kernel, which
 * wants at least one type, does not load).
 *
 * When the target is split on a base, candidates are searched in the base
 * first and in the split part only when the base has none, as libbpf does
 * with vmlinux and module BTF.  The output is then split on the same base
 * and holds the needed split-side types, or, with opts.standalone, is a
 * standalone table holding what is needed from both (what libbpf's
 * btf_custom_path, which takes no base, can use).
 *
 * Errors: a record libbpf would reject (unparsable access string, anonymous
 * root type, candidates resolving to different results) is reported naming
 * the object, program section, record index and access string; the run
 * then fails with -EINVAL.  Loading prints its own errors naming the file.
 */
#ifndef BTFENC_MINIMIZE_H
#define BTFENC_MINIMIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "btf_table.h"

/* A parsed BPF object: its .BTF table and CO-RE relocation records */
struct minimize_obj;

/* Read @path; prints errors naming it and returns 0 or -errno. */
int minimize__load_obj(const char *path, struct minimize_obj **out);
void minimize__free_obj(struct minimize_obj *obj);
/* Number of CO-RE records in @obj */
unsigned long minimize__obj_nr_relos(const struct minimize_obj *obj);

/*
 * Whether minimizing for @objs gives the same bytes from a kernel's types
 * alone (dwarf_reader_opts.types_only: its types first, as in the whole
 * table, then no FUNC, function prototype, VAR, DATASEC or kfunc
 * DECL_TAG) as from the whole table: true when no record other than
 * TYPE_ID_LOCAL has a root of those kinds.  Candidates are of the root's
 * kind, and from a root that is a type, marking follows only what types
 * refer to, never a function or variable; a prototype it reaches is a
 * type's (a function's comes after every type, so it never starts the
 * class).
 */
bool minimize__types_suffice(struct minimize_obj *const *objs, int nr_objs);

/*
 * The names candidates are looked up by: for each record that looks in the
 * target, its local root type's name without a "___flavor" suffix (name
 * and len; the name points into the object's strings).  The same name may
 * come more than once.  *@out is the caller's to free.  0 or -ENOMEM.
 */
struct minimize_root {
	const char *name;
	size_t len;
};

int minimize__root_names(struct minimize_obj *const *objs, int nr_objs,
			 struct minimize_root **out, size_t *nr);

/*
 * What the records of every object found in one target, for the driver to
 * report: each record counts once, under the first that applies.
 */
struct minimize_summary {
	unsigned long resolved;		/* a matching candidate, or a local ID */
	unsigned long no_cand;		/* no type of the root's name and kind */
	unsigned long poisoned;		/* candidates, none matching: poisoned */
	unsigned long absent;		/* an existence check, none matching: 0 */
	/* what the last three looked for: "type.field" (named accessors of
	 * the path, root name without ___flavor), "type" for type records;
	 * sorted, each once, with how many records */
	struct minimize_missing {
		char *name;
		unsigned long nr_relos;
	} *missing;
	size_t nr_missing;
};

/* Frees what minimize__run put in @s (not @s itself) */
void minimize__summary_free(struct minimize_summary *s);

struct minimize_opts {
	/* per record, with msg__info: what it resolved to, what was kept */
	bool verbose;
	/* with a split target: output standalone instead of split on base */
	bool standalone;
	/* when not NULL, filled in (on success; freed by the caller) */
	struct minimize_summary *summary;
};

/*
 * Build in *@out a new table holding what the records of @objs reach in
 * @target (see above).  @target is not changed; *@out is the caller's to
 * free with btf_table__free(), and is split on @target's base when @target
 * is split and opts->standalone is false.  @opts may be NULL.
 */
int minimize__run(const struct btf_table *target,
		  struct minimize_obj *const *objs, int nr_objs,
		  const struct minimize_opts *opts, struct btf_table **out);

#endif
