/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to minimize/: the parsed object, the CO-RE rules (core.c), the
 * kept set (keep.c) and the writer of the output (emit.c).
 */
#ifndef BTFENC_MINIMIZE_INT_H
#define BTFENC_MINIMIZE_INT_H

#include <stdint.h>

#include "btf_table.h"
#include "minimize.h"

/* Relocation kinds, as Documentation/bpf/llvm_reloc.rst numbers them */
enum core_kind {
	CORE_FIELD_BYTE_OFFSET = 0,
	CORE_FIELD_BYTE_SIZE = 1,
	CORE_FIELD_EXISTS = 2,
	CORE_FIELD_SIGNED = 3,
	CORE_FIELD_LSHIFT_U64 = 4,
	CORE_FIELD_RSHIFT_U64 = 5,
	CORE_TYPE_ID_LOCAL = 6,
	CORE_TYPE_ID_TARGET = 7,
	CORE_TYPE_EXISTS = 8,
	CORE_TYPE_SIZE = 9,
	CORE_ENUMVAL_EXISTS = 10,
	CORE_ENUMVAL_VALUE = 11,
	CORE_TYPE_MATCHES = 12,
	CORE_KIND_NR,
};

/* One .BTF.ext CO-RE record, native-endian */
struct core_relo {
	uint32_t insn_off;
	uint32_t type_id;
	uint32_t access_str_off;
	uint32_t kind;
};

/* The records of one program section, in file order */
struct core_sec {
	char *name;
	struct core_relo *relos;
	uint32_t nr;
	size_t cap;
};

struct minimize_obj {
	char *path;
	struct btf_table *btf;
	struct core_sec *secs;
	uint32_t nr_secs;
	size_t secs_cap;
	unsigned long nr_relos;
};

/*
 * For tests and for readers other than ELF: an object named @path owning
 * @btf (freed with the object, also on failure), then its records one by
 * one.  add_relo checks the record against the table as the loader does;
 * NULL / -errno, nothing printed.
 */
struct minimize_obj *minimize_obj__new(const char *path, struct btf_table *btf);
int minimize_obj__add_relo(struct minimize_obj *obj, const char *sec,
			   const struct core_relo *r);
/* NULL when the record is fine, else what is wrong with it */
const char *minimize_obj__check_relo(const struct minimize_obj *obj,
				     const struct core_relo *r);

/* ---- core.c: libbpf's CO-RE matching rules, on our tables ---- */

#define CORE_SPEC_MAX 64

/* A named member or an array index along an access path */
struct core_acc {
	uint32_t type_id;	/* the composite (named) or element type */
	uint32_t idx;
	const char *name;	/* NULL for an array index */
};

/*
 * An access path in one table: acc[] holds the points that matter (the
 * root index, named members, array indexes), raw[] every step including
 * anonymous members, as the access string spells it.
 */
struct core_spec {
	const struct btf_table *tab;
	uint32_t root_id;
	unsigned int kind;
	struct core_acc acc[CORE_SPEC_MAX];
	int len;
	uint32_t raw[CORE_SPEC_MAX];
	int raw_len;
	uint32_t bit_off;
};

/* What a relocation patches in, for one side */
struct core_res {
	uint64_t val;
	bool poison;		/* the instruction is made invalid */
};

const char *core__kind_name(unsigned int kind);
bool core__kind_is_field(unsigned int kind);
bool core__kind_is_type(unsigned int kind);
bool core__kind_is_enumval(unsigned int kind);
bool core__kinds_compat(const struct btf_type *a, const struct btf_type *b);
const struct btf_type *core__skip_mods(const struct btf_table *tab,
				       uint32_t id, uint32_t *res_id);
int64_t core__resolve_size(const struct btf_table *tab, uint32_t id);

/* 0, or -EINVAL with *@why saying what does not fit */
int core__parse_spec(const struct btf_table *tab, const struct core_relo *r,
		     const char *access, struct core_spec *spec,
		     const char **why);
/* 1 when @targ_id matches, filling @targ; 0 when not; -errno on bad BTF */
int core__match(const struct core_spec *local, const struct btf_table *targ,
		uint32_t targ_id, struct core_spec *out);
/* The value for one side; @spec NULL: no target found */
int core__calc(const struct core_spec *spec, unsigned int kind,
	       struct core_res *res);
/* "task_struct.mm->..." style text of a spec, for messages */
void core__format_spec(const struct core_spec *spec, char *buf, size_t len);

/* ---- keep.c: the set of target types and members to keep ---- */

struct keep;

struct keep *keep__new(const struct btf_table *target);
void keep__free(struct keep *k);
/* Mark what libbpf reads of @targ (a matching candidate) for its kind */
int keep__spec(struct keep *k, const struct core_spec *targ);
bool keep__type(const struct keep *k, uint32_t id);
/* The kept IDs in the order they were first kept; 0 or -ENOMEM */
int keep__order(const struct keep *k, const uint32_t **order, size_t *nr);
bool keep__member(const struct keep *k, uint32_t id, unsigned int idx);
bool keep__enum_values(const struct keep *k, uint32_t id);

/* ---- emit.c: the output table ---- */

int emit__table(const struct keep *k, const struct btf_table *target,
		bool standalone, struct btf_table **out);

#endif
