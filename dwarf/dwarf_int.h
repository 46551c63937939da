/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to dwarf/: the file being read, the per-CU encoder and the merge.
 *
 * Loading runs in two steps.  Each compilation unit is encoded on its own
 * into a small table whose type IDs are local to the CU (cu__encode, with
 * dwarf_types.c and dwarf_funcs.c).  A CU encoder reads only the shared
 * struct dwarf_file, which nobody writes while CUs are encoded, and its
 * struct unit_plan, and writes only its struct cu_out and its struct
 * cu_scratch: CUs can be encoded in any order, on any thread
 * (dwarf_units.c).  Then the CU tables are
 * appended to the output table in CU order (dwarf_merge.c), which is where
 * every choice that spans CUs is made: which FUNC a name gets, if any
 * (dwarf_fsel.c), a DATASEC per section, one warning per unsupported tag.
 * The output depends on the input file alone.
 *
 * A CU table is not a table anyone else may read: its records' string
 * fields are name handles (see NAME_OTHER), not offsets in its string set.
 * Hashing every name twice, into the unit and then into the output, was
 * most of the cost of loading a kernel.
 *
 * The bytes of a unit's DIEs are read through the cursor of dwarf_die.h;
 * the --min subset scan, which runs on each unit in place of its
 * encoding, has dwarf_shape.h.
 */
#ifndef BTFENC_DWARF_INT_H
#define BTFENC_DWARF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <elfutils/known-dwarf.h>
#include <gelf.h>

#include "btf_table.h"
#include "dwarf_die.h"
#include "dwarf_reader.h"
#include "dwarf_shape.h"

#ifndef DW_TAG_LLVM_annotation
#define DW_TAG_LLVM_annotation 0x6000
#endif

/* ---- the input file (dwarf_reader.c, dwarf_elf.c) ---- */

/*
 * An object symbol of a section whose variables are encoded.  Per-CPU
 * variables are named after theirs; a variable DWARF places at offset 0
 * of a section (where it also puts variables the linker dropped) must
 * have one of its name there.
 */
struct obj_sym {
	uint32_t sec;		/* ELF section index */
	uint64_t off;		/* offset inside the section */
	uint32_t size;
	const char *name;	/* in the ELF string table */
};

/* One function symbol, for the address checks */
struct func_sym {
	uint64_t addr;		/* as DWARF addresses see it */
	bool clone;		/* NAME.isra.N, NAME.constprop.N */
};

/*
 * The function symbols a DWARF function name stands for: NAME itself and,
 * with optimized_func, the compiler's clones NAME.SUFFIX (never the
 * fragments NAME.cold, NAME.part.N, which hold part of a function).
 */
struct func_syms {
	const char *name;	/* NAME: the string table's, or owned */
	uint32_t first;		/* first of them in dwarf_syms.fsyms */
	uint32_t nr;
	bool ambiguous;		/* they are not all at one address */
	bool kfunc;		/* NAME is in a kfunc set of .BTF_ids */
	uint32_t kfunc_flags;	/* its flags there (KF_*) */
};

/* An allocated section of the file, for variables */
struct sec_info {
	const char *name;
	uint64_t addr;		/* as DWARF addresses see it */
	uint64_t size;
	bool data;		/* PROGBITS or NOBITS: may hold variables */
};

struct dwarf_syms {
	struct hmap *funcs;	/* NAME -> index in groups */
	struct func_syms *groups;
	size_t nr_groups;
	struct func_sym *fsyms;	/* by group, by address inside a group */
	size_t nr_fsyms;
	char **owned;		/* the NAMEs cut out of clone symbol names */
	size_t nr_owned;
	size_t owned_cap;
	struct sec_info *secs;	/* by ELF section index; 0 is unused */
	size_t nr_secs;
	size_t percpu_sec;	/* index of .data..percpu, 0 if none */
	struct obj_sym *objs;	/* sorted by section, offset, name */
	size_t nr_objs;
};

/* Bytes of the input file: where a section is, as its header says */
struct file_range {
	uint64_t off;
	uint64_t size;
};

struct cu_enc;
struct func_cand;
struct dwarf_file;
struct merge;

/*
 * Decides whether a function definition may get a FUNC record: the
 * symbols of its name, or NULL.  Called from CU encoders, possibly at the
 * same time: it must only read @f.
 */
typedef const struct func_syms *(*func_select_fn)(const struct dwarf_file *f,
						  const struct func_cand *fc);

#define MAX_LANG_EXCLUDE 16

/* DWARF register numbers of the first integer arguments, by ABI */
#define MAX_ARG_REGS 8

struct dwarf_file {
	const char *path;
	bool gen_floats;
	bool enum64;		/* ENUM64 for enums wider than 4 bytes */
	bool type_tags;		/* TYPE_TAG from btf_type_tag annotations */
	bool decl_tags;		/* DECL_TAG from btf_decl_tag annotations */
	bool vars;		/* per-CPU VARs and their DATASEC */
	bool global_vars;	/* every global variable, a DATASEC per section */
	bool clone_funcs;	/* optimized_func: NAME.isra.N counts for NAME */
	bool consistent_funcs;	/* leave out NAMEs whose prototypes disagree */
	bool kfunc_tags;	/* bpf_kfunc DECL_TAGs */
	bool attributes;	/* arena kfuncs' pointers in address_space(1) */
	bool types_only;	/* no FUNC, nor anything only functions need */
	bool flat_arrays;	/* int a[2][3] as ARRAY(6), as pahole < 1.32 */
	unsigned int nr_lang_exclude;
	unsigned int lang_exclude[MAX_LANG_EXCLUDE];	/* DW_LANG_* */
	bool is_rel;		/* ET_REL: symbol values are section-relative */
	bool big_endian;	/* DWARF 4 bitfield offsets count from the MSB */
	unsigned int addr_size;	/* 4 or 8 */
	unsigned int nr_arg_regs;	/* 0: parameter locations not checked */
	int arg_regs[MAX_ARG_REGS];	/* DW_OP_regN of argument N */
	bool agg_two_regs;	/* aggregates up to two words go in registers */
	Dwfl *dwfl;
	Dwarf *dbg;
	Elf *elf;		/* the module's ELF, as libdwfl laid it out */
	const char *dstr;	/* libdw's .debug_str data, or NULL */
	size_t dstr_size;	/* up to its last NUL */
	const char *str_base;	/* libdw's .debug_str, for bounds checks */
	size_t str_full;	/* its whole size */
	const unsigned char *info;	/* libdw's .debug_info, or NULL */
	size_t info_size;
	struct dwarf_syms syms;
	struct file_range *debug_relocs;	/* see pages__drop_debug_relocs */
	size_t nr_debug_relocs;
	func_select_fn select_func;
	/* dwz's supplementary file (dwarf_alt.c), or NULL */
	Dwarf *alt;
	int alt_fd;
	char *alt_path;
	bool has_partial;	/* partial units: read through their imports */
};

/*
 * A DIE's key: its offset in .debug_info, with DIE_KEY_ALT for a DIE of
 * the supplementary file, whose offsets overlap the file's own.  Every
 * reference, map slot and fixup is keyed so.
 */
#define DIE_KEY_ALT (1ull << 63)

static inline Dwarf_Off key_of_die(const struct dwarf_file *f, Dwarf_Die *die)
{
	Dwarf_Off off = dwarf_dieoffset(die);

	if (f->alt && die->cu && dwarf_cu_getdwarf(die->cu) == f->alt)
		off |= DIE_KEY_ALT;
	return off;
}

/* The DIE of @key; false when no DIE is there */
static inline bool die_of_key(const struct dwarf_file *f, Dwarf_Off key,
			  Dwarf_Die *out)
{
	Dwarf *dbg = key & DIE_KEY_ALT ? f->alt : f->dbg;

	return dbg && dwarf_offdie(dbg, key & ~DIE_KEY_ALT, out);
}

/*
 * dwarf_alt.c: find, check and attach the supplementary file that
 * .gnu_debugaltlink or .debug_sup names, if any; prints its errors.
 */
int alt__open(struct dwarf_file *f, const char *named, const char *debug_dir);
void alt__close(struct dwarf_file *f);
/*
 * dwarf_formref_die, but for DWARF 5's references into the supplementary
 * file (DW_FORM_ref_sup4/8), which libdw reads as offsets in the file's
 * own .debug_info; false for a type unit's (DW_FORM_ref_sig8), never read
 */
bool alt__follow(const struct dwarf_file *f, Dwarf_Attribute *a,
		 Dwarf_Die *out);
/* dwarf_aggregate_size, following references with alt__follow (arrays in
 * partial units and references into a supplementary file) */
int alt__aggregate_size(const struct dwarf_file *f, Dwarf_Die *type,
			Dwarf_Word *size);

/* The section of @elf named @want, or NULL */
Elf_Scn *file__section(Elf *elf, const char *want);

/* @s, a string from libdw, ends inside its section */
bool file__str_ok(const struct dwarf_file *f, const char *s);

int syms__load(struct dwarf_file *f);
void syms__free(struct dwarf_syms *s);
/* The symbols function name @name stands for, or NULL */
const struct func_syms *syms__func(const struct dwarf_syms *s,
				   const char *name);
/* Whether one of @g's symbols is at @addr; *@clone: that one is a clone */
bool syms__func_at(const struct dwarf_syms *s, const struct func_syms *g,
		   uint64_t addr, bool *clone);
/* The section holding address @addr (a variable's), 0 if none */
size_t syms__sec_at(const struct dwarf_syms *s, uint64_t addr);
/*
 * The first object symbol at @off of section @sec, or NULL; with @name,
 * the first of that name there.
 */
const struct obj_sym *syms__obj_at(const struct dwarf_syms *s, size_t sec,
				   uint64_t off, const char *name);

/*
 * The file-mapped pages of a debug section that the units already encoded
 * are done with (dwarf_pages.c).
 */
struct sec_pages {
	const char *base;	/* NULL: not releasable */
	size_t size;
	long page;
	uintptr_t start;	/* the first whole page */
	uintptr_t released;	/* the pages below this are released */
};

/* What pages__release needs to release pages of section @name, if allowed */
void pages__init(const struct dwarf_file *f, const char *name,
		 struct sec_pages *pg);
/* Release the whole pages of the section below offset @off */
void pages__release(struct sec_pages *pg, size_t off);
/*
 * ET_REL: note where the relocation sections of the debug sections are,
 * from @elf, a handle on the file opened before libdwfl's (which empties
 * their headers once it has applied them); none when out of memory.
 */
void pages__note_debug_relocs(struct dwarf_file *f, Elf *elf);
/* Once libdwfl has applied them: release their pages, forget them */
void pages__drop_debug_relocs(struct dwarf_file *f);

/* ---- attributes of one DIE, read in one pass by libdw (dwarf_attrs.c) ---- */

int attrs__read(Dwarf_Die *die, struct die_attrs *da);

static inline bool attrs__has(const struct die_attrs *da, enum attr_slot s)
{
	return da->mask & (1u << s);
}

/* NULL when absent or not a string */
const char *attrs__str(struct die_attrs *da, enum attr_slot s);
/* The value as libdw's dwarf_formudata gives it; @def when absent or bad */
uint64_t attrs__udata(struct die_attrs *da, enum attr_slot s, uint64_t def);

/* ---- one CU's encoding (dwarf_cu.c and below) ---- */

/* A variable of the CU, for the DATASEC of its section */
struct cu_var {
	uint32_t id;		/* VAR record, local ID */
	uint32_t sec;		/* ELF section index */
	uint32_t off;
	uint32_t size;
};

/*
 * A parameter of a function the unit proposes, as its location says it is
 * passed.  A concrete instance's parameters tell their abstract origin's
 * where they are (the origin has no location of its own).
 */
struct cu_param {
	Dwarf_Off die;
	Dwarf_Off origin;	/* the abstract origin's parameter, or 0 */
	uint32_t size;		/* bytes of its type, 0 if unknown */
	int16_t reg;		/* DW_OP_regN it is in at entry, -1 if unknown */
	uint16_t idx;		/* its position in its function */
	uint8_t flags;		/* enum param_flags */
};

enum param_flags {
	PARAM_HAS_LOC = 1 << 0,		/* a location (own, or an instance's) */
	PARAM_HAS_CONST = 1 << 1,	/* a constant value instead */
	PARAM_STRUCT = 1 << 2,		/* a struct, maybe behind typedef/const */
	PARAM_PACKED_STACK = 1 << 3,	/* a packed struct past the registers */
};

/* A FUNC the unit proposes, and what the merge needs to judge it */
struct cu_func {
	uint32_t id;		/* FUNC record, local ID */
	uint64_t addr;		/* entry address, 0 for an abstract instance */
	uint32_t params;	/* first in cu_out.params */
	uint32_t nr_params;
	uint8_t flags;		/* enum fn_flags */
};

enum fn_flags {
	FN_NOCALL = 1 << 0,		/* clang's DW_CC_nocall: signature changed */
	FN_UNEXPECTED_REG = 1 << 1,	/* a parameter is not in its ABI register */
	FN_OPTIMIZED_PARMS = 1 << 2,	/* a parameter has no place at entry */
	FN_REORDERED = 1 << 3,		/* parameters not in their origin's order */
	FN_PACKED_STACK = 1 << 4,	/* a packed struct passed on the stack */
};

/* First DIE of the CU that raised a warning of this kind */
struct cu_warn {
	unsigned int key;	/* a DWARF tag, or one of enum cu_warn_key */
	Dwarf_Off die;
};

enum cu_warn_key {
	WARN_VOID_VAR = 0x10000,	/* a per-CPU variable without a type */
	WARN_NR_KEYS,
};

/*
 * Name handles: 0 for no name, .debug_str offset + 1 for a name libdw
 * found there (the common case, translated through one array), else
 * NAME_OTHER | index into cu_out.names.
 */
#define NAME_OTHER	0x80000000u

/* What encoding one CU leaves for the merge; owned by the caller */
struct cu_out {
	struct btf_table *tab;	/* local IDs from 1; NULL after an error */
	const char **names;	/* names outside .debug_str */
	size_t nr_names;
	size_t names_cap;
	struct cu_func *funcs;	/* FUNC records in emission order */
	size_t nr_funcs;
	size_t funcs_cap;
	struct cu_param *params;	/* of the funcs */
	size_t nr_params;
	size_t params_cap;
	struct cu_var *vars;
	size_t nr_vars;
	size_t vars_cap;
	struct cu_warn *warns;
	size_t nr_warns;
	size_t warns_cap;
	uint64_t loclists_end;	/* where the last location list read is */
	struct shape_unit shape;	/* when the unit was scanned instead */
	int err;		/* 0, or why encoding failed ... */
	char *errmsg;		/* ... in words */
};

void cu_out__reset(struct cu_out *out);
void cu_out__free(struct cu_out *out);

/* Scratch memory one worker reuses from CU to CU */
struct cu_scratch {
	uint32_t *map;		/* DIE offset - unit offset -> MAP_* value */
	size_t map_cap;
	struct cu_fixup *fixups;
	size_t fixups_cap;
	struct fn_param *params;	/* stack shared by nested functions */
	size_t params_cap;
	struct decl_tag *tags;		/* stack of pending DECL_TAGs */
	size_t tags_cap;
	struct member *members;		/* of the struct being read */
	size_t members_cap;
	char *rec;			/* the record being built */
	size_t rec_cap;
	struct scan_item *scan;		/* cu__scan_body's DIEs */
	size_t nr_scan;
	size_t scan_cap;
	uint32_t *touched;		/* map slots to clear after the unit */
	size_t nr_touched;
	size_t touched_cap;
	size_t map_zeroed;		/* map slots known to be 0 */
	/* map values of DIEs outside the unit, by key (0: a free slot) */
	uint64_t *xkeys;
	uint32_t *xvals;
	size_t xcap;			/* a power of two, or 0 */
	size_t nr_x;
	uint64_t *aliases;		/* MAP_ALIAS | i stands for aliases[i] */
	size_t nr_aliases;
	size_t aliases_cap;
	uint64_t *imports;		/* partial units the unit imported */
	size_t nr_imports;
	size_t imports_cap;
	struct abbrev_cache abbrevs;
	struct shape_scratch *shape;	/* for shape__scan */
};

void cu_scratch__free(struct cu_scratch *s);
/* The map ready for a unit of @len bytes, every slot 0; 0 or -ENOMEM */
int cu_scratch__map_size(struct cu_scratch *s, size_t len);
/*
 * Slot @idx of the map, noted to be cleared after the unit if it was 0
 * (the map spans the whole unit, most of it never set); NULL when out of
 * memory
 */
uint32_t *cu_scratch__map_slot(struct cu_scratch *s, size_t idx);
/* Every slot set since the last call back to 0 */
void cu_scratch__map_clear(struct cu_scratch *s);
/* Whether the unit of @cudie is clang's */
bool cu__is_clang(Dwarf_Die *cudie);

/* A DIE cu__scan_body found, to visit: where it is, its depth below the body */
struct scan_item {
	const void *addr;
	unsigned int depth;
};

/* What is done with one unit (dwarf_units.c decides) */
enum unit_job {
	UNIT_ENCODE,		/* encode it: walk it whole */
	UNIT_ENCODE_DIES,	/* encode some of it, for a --min subset */
	UNIT_SCAN,		/* scan it for a --min subset (shape__scan) */
};

struct unit_plan {
	enum unit_job job;
	/*
	 * UNIT_ENCODE_DIES: instead of walking the unit, visit the DIEs at
	 * dies (offsets in the unit, in order), then encode what they refer
	 * to, as the walk would with shape__wanted, which reads want: the
	 * type names the roots reach and the unit read for each
	 */
	const struct shape_dies *dies;
	const struct shapes *want;
};

/*
 * Encode the unit whose header is at @off and whose successor's header is
 * at @next_off, as @plan says (UNIT_ENCODE or UNIT_ENCODE_DIES).  Returns
 * 0 or -errno; on error out->errmsg says why.
 */
int cu__encode(const struct dwarf_file *f, const struct unit_plan *plan,
	       Dwarf_Off off, Dwarf_Off next_off, Dwarf_Die *cudie,
	       struct cu_scratch *s, struct cu_out *out);

/* ---- inside one CU's encoding ---- */

/*
 * Map values: 0 for a DIE not yet seen, MAP_ALIAS | i for a DIE that
 * stands for the type of the DIE whose key is cu_scratch.aliases[i]
 * (DW_TAG_atomic_type), else the local type ID + 1 (so 1 is void).
 */
#define MAP_ALIAS	0x80000000u
#define MAP_ID(id)	((uint32_t)(id) + 1)

/* A reference to store once the DIE it names has an ID */
struct cu_fixup {
	uint32_t id;		/* record holding the reference */
	uint32_t field;		/* byte offset of the u32 in the record */
	Dwarf_Off target;	/* DIE offset, or FIXUP_INDEX_TYPE */
};

#define FIXUP_INDEX_TYPE ((Dwarf_Off)-1)

struct fn_param {
	uint32_t name;		/* handle */
	Dwarf_Off type;		/* 0: void */
	struct cu_param at;	/* a function's: where it is passed */
};

struct member {
	uint32_t name;		/* handle */
	uint32_t bit_off;
	uint32_t bitfield_size;
	Dwarf_Off type;		/* 0: void */
};

struct decl_tag {
	const char *value;
	int component_idx;
};

struct cu_enc {
	const struct dwarf_file *file;
	const struct unit_plan *plan;
	struct cu_out *out;
	struct btf_table *tab;
	struct cu_scratch *s;
	Dwarf_Off start;	/* unit header offset */
	Dwarf_Off end;		/* next unit's header offset */
	size_t nr_fixups;
	size_t rec_len;
	size_t nr_params;
	size_t nr_tags;
	int int_id;		/* the unit's 'int' base type, 0 if none yet */
	unsigned int depth;	/* scopes around the DIE visited; 1: top level */
	uint64_t visits;	/* cu__visit calls, against DIE trees that loop */
	uint64_t budget;	/* ... and how many there may be */
	int failed;		/* a reference could not be followed: -errno */
	bool clang;		/* produced by clang */
	struct die_cursor cur;	/* over the unit's bytes */
};

/* Any DIE in a scope that may hold types, functions or variables */
int cu__visit(struct cu_enc *e, Dwarf_Die *die);
/* cu__visit on every child of @die */
int cu__visit_children(struct cu_enc *e, Dwarf_Die *die);
/*
 * The DIEs of function @die's body that the walk has something to do with
 * (types, nested functions, variables when they are encoded, unknown tags;
 * among its own children also the parameters and decl tags when @params,
 * and unspecified parameters), found by reading the body here rather than
 * walking it with libdw.  0: they are e->s->scan[*@first ..
 * e->s->nr_scan - 1] with their depths (1: a child of @die), for the
 * caller to visit in order and then pop (nr_scan = *@first); 1: the body
 * cannot be read so (walk it with libdw); -errno.
 */
int cu__scan_body(struct cu_enc *e, Dwarf_Die *die, bool params,
		  size_t *first);
/* Record that @die stands for local type @id (0: void) */
void cu__map(struct cu_enc *e, Dwarf_Die *die, uint32_t id);
void cu__map_alias(struct cu_enc *e, Dwarf_Die *die, Dwarf_Off target);
/* Store the ID of DIE @target at @field of record @id, now or later */
int cu__ref(struct cu_enc *e, uint32_t id, size_t field, Dwarf_Off target);
/*
 * The key of the DIE reference attribute @s names; 0 (void) when it is
 * absent.  One that cannot be followed is an error: recorded (e->failed),
 * so that the unit fails, and 0.
 */
Dwarf_Off cu__target(struct cu_enc *e, struct die_attrs *da, enum attr_slot s);
/* dwarf_formref_die, but a reference that cannot be followed is an error */
bool cu__ref_die(struct cu_enc *e, struct die_attrs *da, enum attr_slot s,
		 Dwarf_Die *out);
/* attrs__str, but a string that is there and cannot be read is an error */
const char *cu__str(struct cu_enc *e, struct die_attrs *da, enum attr_slot s);
/* Record an error naming the DIE of key @die; returns @err */
int cu__error_at(struct cu_enc *e, Dwarf_Off die, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* cu__ref for the DIE that attribute @s of @da names; nothing if void */
int cu__ref_attr(struct cu_enc *e, uint32_t id, size_t field,
		 struct die_attrs *da, enum attr_slot s);
/* Note warning @key for the merge, unless the unit has one already */
int cu__warn(struct cu_enc *e, unsigned int key, Dwarf_Off die);
/* Record an error naming @die; returns @err */
int cu__error(struct cu_enc *e, Dwarf_Die *die, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* dwarf_rec.c: the handle for name @s (NULL or "": 0); 0 or -ENOMEM */
int cu__name(struct cu_enc *e, const char *s, uint32_t *handle);
/*
 * Records are built whole, then added: rec__start, rec__append for the
 * kind's data and each vlen item (@item: counts in vlen), rec__finish.
 */
struct btf_type *rec__start(struct cu_enc *e, unsigned int kind,
			    uint32_t name, uint32_t size_or_type);
int rec__append(struct cu_enc *e, const void *data, size_t size, bool item);
static inline struct btf_type *rec__hdr(struct cu_enc *e)
{
	return (struct btf_type *)e->s->rec;
}
/* Add the record: its local ID, or -errno */
int rec__finish(struct cu_enc *e);
/* A record without kind data, in one call */
int rec__simple(struct cu_enc *e, unsigned int kind, uint32_t name,
		uint32_t size_or_type);
/* Push a string for a record to come (a TYPE_TAG or DECL_TAG value) */
int cu__push_tag(struct cu_enc *e, const char *value, int component_idx);
/* cu__push_tag for a btf_decl_tag, unless DECL_TAGs are off */
int cu__push_decl_tag(struct cu_enc *e, const char *value, int component_idx);
/* Add the DECL_TAGs pushed since @from for type @id, then pop them */
int cu__flush_tags(struct cu_enc *e, size_t from, uint32_t id);
/* Push the btf_decl_tag annotations among @die's children */
int cu__push_child_tags(struct cu_enc *e, Dwarf_Die *die, int component_idx);
/* Value of a DW_TAG_LLVM_annotation named @kind, else NULL */
const char *cu__annotation(Dwarf_Die *die, const char *kind);

/* dwarf_types.c: a type DIE; returns 0 or -errno */
bool types__is_type_tag(int tag);
int types__encode(struct cu_enc *e, Dwarf_Die *die, int tag);
/*
 * A FUNC_PROTO returning DIE @ret (0: void) with the parameters pushed on
 * the stack since @from, which it pops; the ID or -errno.
 */
int types__add_proto(struct cu_enc *e, Dwarf_Off ret, size_t from,
		     bool varargs);

/* dwarf_funcs.c */
int funcs__subprogram(struct cu_enc *e, Dwarf_Die *die);
/* After the walk: where the parameters of the unit's FUNCs are passed */
int funcs__finish_unit(struct cu_enc *e);

/* dwarf_vars.c: @top: at the unit's top level */
int vars__variable(struct cu_enc *e, Dwarf_Die *die, bool top);

/*
 * The candidate a func_select_fn judges: a function definition.  Whatever
 * the policy, a function with an unnamed parameter gets no FUNC.
 */
struct func_cand {
	Dwarf_Die *die;
	const char *name;	/* own, or from the abstract origin/spec */
	bool external;
};

const struct func_syms *funcs__select_symbol(const struct dwarf_file *f,
					     const struct func_cand *fc);

/*
 * dwarf_units.c: encode every unit (on opts->nr_threads workers; 0: one
 * per CPU) and merge each into @m in unit order, reporting progress to
 * opts->progress.  Prints its errors.
 */
int units__load(struct dwarf_file *f, struct merge *m,
		const struct dwarf_reader_opts *opts);
/*
 * Every unit of @dbg known to libdw, with its abbreviations, so that
 * threads only read libdw's state; prints its errors (naming @path)
 */
int units__preload(Dwarf *dbg, const char *path);

/* ---- choosing FUNCs across units (dwarf_fsel.c) ---- */

struct fsel;

/* A DECL_TAG of a proposed FUNC, in output string offsets */
struct fsel_tag {
	uint32_t value;
	int32_t component_idx;
};

struct fsel *fsel__new(const struct dwarf_file *f, struct btf_table *tab);
void fsel__free(struct fsel *fs);
/*
 * A unit's proposal @fn for the FUNC named @name (an offset in the output
 * table), with its FUNC_PROTO @proto and DECL_TAGs, already in the output
 * table's type IDs and string offsets; the proposals of a name come in
 * unit order.
 */
int fsel__add(struct fsel *fs, uint32_t name, const struct btf_type *proto,
	      const struct cu_func *fn, const struct fsel_tag *tags,
	      size_t nr_tags);
/* Choose, and append the FUNCs chosen with their prototypes and tags */
int fsel__finish(struct fsel *fs);

/* ---- the merge (dwarf_merge.c) ---- */

struct merge *merge__new(struct btf_table *tab, const struct dwarf_file *f);
void merge__free(struct merge *m);
/* Append one CU's table; prints its new warnings */
int merge__cu(struct merge *m, const struct cu_out *out);
/* Print a warning unless one of its kind was printed */
void merge__warn(struct merge *m, unsigned int key, Dwarf_Off die);
/* Add the FUNCs chosen, then a DATASEC per section with variables */
int merge__finish(struct merge *m);

/* "DW_TAG_member", or NULL for a tag libdw does not know */
const char *dw_tag_name(unsigned int tag);

#endif
