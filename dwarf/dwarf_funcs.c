// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Functions: which DWARF definitions a unit proposes as FUNCs, their
 * records, and where their parameters are passed.
 *
 * A DW_TAG_subprogram that is not a declaration, whose name has function
 * symbols (the file's func_select_fn) and whose parameters all have names
 * gets a FUNC_PROTO (with parameter names) and a FUNC.  A concrete
 * out-of-line instance takes what it lacks (name, return and parameter
 * types, parameter names) from its DW_AT_abstract_origin.
 *
 * The unit only proposes: a name may have definitions in many units (an
 * inline function of a header, the out-of-line copy somewhere, a clone),
 * and whether it gets a FUNC, with which of them as its prototype, is
 * decided across units by the merge (dwarf_fsel.c).  What the merge needs
 * from here is each proposal's entry address and whether its parameters
 * are where the calling convention puts them:
 * - a parameter whose location at entry is a register other than the one
 *   its position gets by the ABI (the compiler moved, dropped or split
 *   parameters; a struct parameter may take two registers or the stack,
 *   which this simple walk cannot follow, so functions with one are not
 *   judged);
 * - a parameter without a location at entry (optimized out): harmless in
 *   a function whose signature the compiler kept, a lie in a clone that
 *   is not passed it;
 * - a concrete instance whose parameters are not in its origin's order;
 * - a packed struct passed on the stack (past the argument registers):
 *   where it lies there is not what the kernel's trampolines assume.
 * The location of an abstract instance's parameter is the one its concrete
 * instances give, so the unit is judged once its walk is over.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "dwarf_int.h"
#include "util.h"

/* How deep a parameter's type may hide behind typedefs and qualifiers */
#define MAX_TYPE_HOPS 32

/*
 * The symbols of the function's name, when it has some; a file without
 * function symbols falls back to its external functions.
 */
const struct func_syms *funcs__select_symbol(const struct dwarf_file *f,
					     const struct func_cand *fc)
{
	static const struct func_syms no_symbols = { .name = "" };

	if (!fc->name)
		return NULL;
	if (f->syms.nr_groups)
		return syms__func(&f->syms, fc->name);
	return fc->external ? &no_symbols : NULL;
}

/* The subprogram or parameter a concrete instance stands for, if any */
static bool fn_origin(struct cu_enc *e, struct die_attrs *da,
		      struct die_attrs *oda)
{
	Dwarf_Die origin;

	return cu__ref_die(e, da, AS_ABSTRACT_ORIGIN, &origin) &&
	       !attrs__read(&origin, oda);
}

/*
 * The bytes of a parameter's type (a pointer's when it is one, else the
 * first byte size behind typedefs and qualifiers), and whether it is a
 * struct behind typedefs and const.
 */
static void param_type(const struct dwarf_file *f, Dwarf_Die *type,
		       struct cu_param *p)
{
	bool in_chain = true;
	Dwarf_Attribute a;
	Dwarf_Word size;
	int hops, tag;

	for (hops = 0; hops < MAX_TYPE_HOPS; hops++) {
		tag = dwarf_tag(type);
		if (in_chain && tag == DW_TAG_structure_type)
			p->flags |= PARAM_STRUCT;
		in_chain &= tag == DW_TAG_typedef || tag == DW_TAG_const_type;
		if (!p->size && tag == DW_TAG_pointer_type)
			p->size = f->addr_size;
		if (!p->size && dwarf_attr(type, DW_AT_byte_size, &a) &&
		    !dwarf_formudata(&a, &size))
			p->size = size;
		if ((p->size && !in_chain) ||
		    !dwarf_attr(type, DW_AT_type, &a) ||
		    !alt__follow(f, &a, type))
			return;
	}
}

static bool op_is_reg(unsigned int atom)
{
	return atom >= DW_OP_reg0 && atom <= DW_OP_reg31;
}

static bool op_is_breg(unsigned int atom)
{
	return atom >= DW_OP_breg0 && atom <= DW_OP_breg31;
}

static bool ops_have(const Dwarf_Op *ops, size_t n, unsigned int atom)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (ops[i].atom == atom)
			return true;
	return false;
}

/* The register an entry value expression names, or -1 */
static int loc_entry_value(Dwarf_Attribute *a, Dwarf_Op *op)
{
	Dwarf_Attribute ea;
	Dwarf_Op *ops;
	size_t n;

	if (dwarf_getlocation_attr(a, op, &ea) || dwarf_getlocation(&ea, &ops, &n) ||
	    n != 1 || !op_is_reg(ops[0].atom))
		return -1;
	return ops[0].atom;
}

/*
 * What one location list entry says of the register the parameter is in.
 * The first entry (@first) is the function's entry: a register there, or
 * a register's value; any entry may say it is the value the parameter
 * had at entry in some register (DW_OP_entry_value), and the pieces of an
 * aggregate in registers may show up in any entry.
 */
static int loc_entry_reg(const struct dwarf_file *f, Dwarf_Attribute *a,
			 Dwarf_Op *ops, size_t n, bool first, uint32_t size)
{
	bool stack_value = n && ops[n - 1].atom == DW_OP_stack_value;
	size_t i;

	if (n == 2 && stack_value)
		n = 1;
	if (n == 1) {
		if (op_is_reg(ops[0].atom))
			return first ? (int)ops[0].atom : -1;
		if (op_is_breg(ops[0].atom))
			return first && stack_value ?
			       (int)(ops[0].atom - DW_OP_breg0 + DW_OP_reg0) : -1;
		if (ops[0].atom == DW_OP_entry_value ||
		    ops[0].atom == DW_OP_GNU_entry_value)
			return loc_entry_value(a, &ops[0]);
		return -1;
	}
	if (size <= f->addr_size || !f->agg_two_regs) {
		if (first && op_is_reg(ops[0].atom))
			return ops[0].atom;
		if (first && op_is_breg(ops[0].atom) &&
		    ops_have(ops, n, DW_OP_stack_value))
			return ops[0].atom - DW_OP_breg0 + DW_OP_reg0;
		return -1;
	}
	for (i = 0; i < n; i++)
		if (op_is_reg(ops[i].atom))
			return ops[i].atom;
	return -1;
}

static int16_t param_reg(const struct dwarf_file *f, Dwarf_Attribute *a,
			 uint32_t size)
{
	Dwarf_Addr base, start, end;
	ptrdiff_t off = 0;
	Dwarf_Op *ops;
	size_t n;
	bool first = true;
	int reg;

	while ((off = dwarf_getlocations(a, off, &base, &start, &end, &ops,
					 &n)) > 0) {
		reg = n ? loc_entry_reg(f, a, ops, n, first, size) : -1;
		if (reg >= 0)
			return reg;
		first = false;
	}
	return -1;
}

/* How far into .debug_loclists the unit's lists go, for dwarf_pages.c */
static void param_note_list(struct cu_enc *e, Dwarf_Attribute *a)
{
	Dwarf_Word off;

	if (a->form == DW_FORM_sec_offset && !dwarf_formudata(a, &off) &&
	    off > e->out->loclists_end)
		e->out->loclists_end = off;
}

static unsigned int type_align(const struct dwarf_file *f, Dwarf_Die *type,
			       int depth);

/*
 * Whether a struct is laid out packed: a member off its natural alignment,
 * or a size that is not a multiple of its members' largest alignment.
 * Bitfields say nothing either way.
 */
static bool struct_packed(const struct dwarf_file *f, Dwarf_Die *st,
			  unsigned int *align, int depth)
{
	Dwarf_Attribute a;
	Dwarf_Word size, off;
	Dwarf_Die m, mt;
	unsigned int ma, max = 1;
	bool packed = false;

	if (!dwarf_attr(st, DW_AT_byte_size, &a) || dwarf_formudata(&a, &size))
		return false;
	if (dwarf_child(st, &m) == 0) {
		do {
			if (dwarf_tag(&m) != DW_TAG_member ||
			    dwarf_hasattr(&m, DW_AT_bit_size) ||
			    !dwarf_attr(&m, DW_AT_type, &a) ||
			    !alt__follow(f, &a, &mt))
				continue;
			ma = type_align(f, &mt, depth + 1);
			if (ma > max)
				max = ma;
			if (dwarf_attr(&m, DW_AT_data_member_location, &a) &&
			    !dwarf_formudata(&a, &off) && off % ma)
				packed = true;
		} while (dwarf_siblingof(&m, &m) == 0);
	}
	if (dwarf_attr(st, DW_AT_alignment, &a) && !dwarf_formudata(&a, &off))
		max = off;
	*align = max;
	return packed || size % max;
}

/* The natural alignment of a type, as C lays it out */
static unsigned int type_align(const struct dwarf_file *f, Dwarf_Die *type,
			       int depth)
{
	Dwarf_Attribute a;
	Dwarf_Word v;
	unsigned int align = 1;

	if (depth > MAX_TYPE_HOPS)
		return 1;
	if (dwarf_attr(type, DW_AT_alignment, &a) && !dwarf_formudata(&a, &v))
		return v ? v : 1;
	switch (dwarf_tag(type)) {
	case DW_TAG_pointer_type:
		return f->addr_size;
	case DW_TAG_structure_type: case DW_TAG_union_type:
		struct_packed(f, type, &align, depth);
		return align;
	case DW_TAG_base_type: case DW_TAG_enumeration_type:
		if (dwarf_attr(type, DW_AT_byte_size, &a) &&
		    !dwarf_formudata(&a, &v) && v)
			return v > 16 ? 16 : v;
		return 1;
	default:
		if (dwarf_attr(type, DW_AT_type, &a) && alt__follow(f, &a, type))
			return type_align(f, type, depth + 1);
		return 1;
	}
}

/* A named struct passed past the argument registers, laid out packed */
static bool param_packed_stack(const struct dwarf_file *f, Dwarf_Die *type,
			       int idx)
{
	unsigned int align;

	return f->nr_arg_regs && (unsigned int)idx >= f->nr_arg_regs &&
	       dwarf_tag(type) == DW_TAG_structure_type && dwarf_diename(type) &&
	       struct_packed(f, type, &align, 0);
}

/* Where a parameter of a function that may get a FUNC is passed */
static void param_at(struct cu_enc *e, Dwarf_Die *die, struct die_attrs *da,
		     struct die_attrs *tda, int idx, struct cu_param *p)
{
	Dwarf_Die type;

	memset(p, 0, sizeof(*p));
	p->die = key_of_die(e->file, die);
	p->idx = idx;
	p->reg = -1;
	if (attrs__has(da, AS_ABSTRACT_ORIGIN)) {
		Dwarf_Die origin;

		if (cu__ref_die(e, da, AS_ABSTRACT_ORIGIN, &origin))
			p->origin = key_of_die(e->file, &origin);
	}
	if (cu__ref_die(e, tda, AS_TYPE, &type)) {
		if (param_packed_stack(e->file, &type, idx))
			p->flags |= PARAM_PACKED_STACK;
		param_type(e->file, &type, p);
	}
	if (attrs__has(da, AS_CONST_VALUE))
		p->flags |= PARAM_HAS_CONST;
	if (attrs__has(da, AS_LOCATION)) {
		p->flags |= PARAM_HAS_LOC;
		if (e->file->nr_arg_regs) {
			p->reg = param_reg(e->file, &da->a[AS_LOCATION], p->size);
			param_note_list(e, &da->a[AS_LOCATION]);
		}
	}
}

static int fn_push_param(struct cu_enc *e, Dwarf_Die *die, int idx,
			 bool *unnamed)
{
	struct die_attrs da, oda, *tda = &da;
	struct fn_param *p;
	const char *name;
	int err;

	if (die__attrs(&e->cur, die, &da))
		return cu__error(e, die, -EINVAL, "cannot read attributes: %s",
				 dwarf_errmsg(-1));
	err = util__ensure_cap((void **)&e->s->params, &e->s->params_cap,
			       sizeof(*p), e->nr_params + 1);
	if (err)
		return err;
	p = &e->s->params[e->nr_params++];
	name = cu__str(e, &da, AS_NAME);
	p->type = cu__target(e, &da, AS_TYPE);
	if (!attrs__has(&da, AS_TYPE) && fn_origin(e, &da, &oda)) {
		name = cu__str(e, &oda, AS_NAME);
		p->type = cu__target(e, &oda, AS_TYPE);
		tda = &oda;
	}
	param_at(e, die, &da, tda, idx, &p->at);
	*unnamed |= !name;
	err = cu__name(e, name, &p->name);
	return err ? err : cu__push_child_tags(e, die, idx);
}

/* Everything the FUNC needs besides what the children give */
struct fn_info {
	const char *name;
	Dwarf_Off ret;
	uint64_t addr;
	bool external;
	bool nocall;
	bool wanted;		/* the selection policy accepts it */
	bool varargs;
	bool unnamed;		/* a parameter has no name */
	size_t params;		/* first parameter on the scratch stack */
	size_t tags;		/* first decl tag on the scratch stack */
};

/*
 * The address the function's code starts at: its low address or entry
 * point, or, when the compiler split it into ranges (a .cold part), the
 * start of the range a symbol of its name is at (else of the first).
 */
static uint64_t fn_entry(const struct dwarf_file *f, Dwarf_Die *die,
			 const struct func_syms *g)
{
	Dwarf_Addr lo, base, start, end, first = 0;
	ptrdiff_t off = 0;

	if (!dwarf_lowpc(die, &lo) || !dwarf_entrypc(die, &lo))
		return lo;
	while ((off = dwarf_ranges(die, off, &base, &start, &end)) > 0) {
		if (g && syms__func_at(&f->syms, g, start, NULL))
			return start;
		if (!first)
			first = start;
	}
	return first;
}

/* clang marks a function whose signature it changed DW_CC_nocall */
static bool fn_nocall(struct die_attrs *da, struct die_attrs *oda,
		      bool has_origin)
{
	struct die_attrs *cc = has_origin ? oda : da;

	if (attrs__udata(da, AS_INLINE, DW_INL_not_inlined) != DW_INL_not_inlined)
		return false;
	return attrs__udata(cc, AS_CALLING_CONVENTION, DW_CC_normal) ==
	       DW_CC_nocall;
}

static void fn_read(struct cu_enc *e, Dwarf_Die *die, struct die_attrs *da,
		    struct fn_info *fi)
{
	struct die_attrs oda;
	Dwarf_Die spec;
	bool has_origin = fn_origin(e, da, &oda);

	fi->name = cu__str(e, da, AS_NAME);
	fi->ret = cu__target(e, da, AS_TYPE);
	fi->external = attrs__has(da, AS_EXTERNAL);
	if (!fi->name && has_origin)
		fi->name = cu__str(e, &oda, AS_NAME);
	if (!fi->name && cu__ref_die(e, da, AS_SPECIFICATION, &spec)) {
		struct die_attrs sda;

		if (!attrs__read(&spec, &sda))
			fi->name = cu__str(e, &sda, AS_NAME);
	}
	if (!attrs__has(da, AS_TYPE) && has_origin)
		fi->ret = cu__target(e, &oda, AS_TYPE);
	fi->nocall = e->clang && fn_nocall(da, &oda, has_origin);
}

/*
 * One child of the function: parameters (only of a function that may get
 * a FUNC: they are a third of the kernel's DIEs) and decl tags onto the
 * stacks; everything else is a scope that may define types, variables and
 * nested functions.  cu_scan_act (dwarf_cu.c) says which children come
 * here.
 */
static int fn_child(struct cu_enc *e, Dwarf_Die *child, struct fn_info *fi,
		    int *idx)
{
	const char *value;
	int tag = die__tag(&e->cur, child);

	if (tag == DW_TAG_formal_parameter) {
		if (fi->wanted)
			return fn_push_param(e, child, (*idx)++, &fi->unnamed);
	} else if (tag == DW_TAG_unspecified_parameters) {
		fi->varargs = true;
	} else if (tag == DW_TAG_LLVM_annotation) {
		value = fi->wanted ? cu__annotation(child, "btf_decl_tag") : NULL;
		if (value)
			return cu__push_decl_tag(e, value, -1);
	} else {
		return cu__visit(e, child);
	}
	return 0;
}

/* The children walked with libdw */
static int fn_walk_children(struct cu_enc *e, Dwarf_Die *die,
			    struct fn_info *fi)
{
	Dwarf_Die child;
	int idx = 0, err = 0;

	if (!die__has_children(&e->cur, die) || die__child(&e->cur, die, &child))
		return 0;
	e->depth++;
	do
		err = fn_child(e, &child, fi, &idx);
	while (!err && die__sibling(&e->cur, &child, &child) == 0);
	e->depth--;
	return err;
}

/*
 * The DIEs of the body that have something to do (cu__scan_body), in
 * order: the function's own children as above, deeper ones visited.
 */
static int fn_children(struct cu_enc *e, Dwarf_Die *die, struct fn_info *fi)
{
	struct cu_scratch *s = e->s;
	unsigned int top = e->depth;
	size_t first, i;
	int idx = 0, err;
	Dwarf_Die d;

	err = cu__scan_body(e, die, fi->wanted, &first);
	if (err)
		return err == 1 ? fn_walk_children(e, die, fi) : err;
	for (i = first; i < s->nr_scan && !err; i++) {
		die__at(&e->cur, s->scan[i].addr, &d);
		e->depth = top + s->scan[i].depth;
		err = s->scan[i].depth == 1 ? fn_child(e, &d, fi, &idx) :
		      cu__visit(e, &d);
	}
	e->depth = top;
	s->nr_scan = first;
	return err;
}

/*
 * The proposal, for the merge: where its parameters are passed (from the
 * stack, before the prototype pops them); its FUNC's ID comes later.
 */
static int fn_propose(struct cu_enc *e, struct fn_info *fi)
{
	struct cu_out *o = e->out;
	size_t i, n = e->nr_params - fi->params;
	struct cu_func *fn;
	int err;

	err = util__ensure_cap((void **)&o->params, &o->params_cap,
			       sizeof(*o->params), o->nr_params + n);
	if (!err)
		err = util__ensure_cap((void **)&o->funcs, &o->funcs_cap,
				       sizeof(*o->funcs), o->nr_funcs + 1);
	if (err)
		return err;
	fn = &o->funcs[o->nr_funcs++];
	fn->id = 0;
	fn->addr = fi->addr;
	fn->params = o->nr_params;
	fn->nr_params = n;
	fn->flags = fi->nocall ? FN_NOCALL : 0;
	for (i = 0; i < n; i++)
		o->params[o->nr_params++] = e->s->params[fi->params + i].at;
	return 0;
}

static int fn_emit(struct cu_enc *e, struct fn_info *fi)
{
	uint32_t name;
	int proto, id, err;

	err = fn_propose(e, fi);
	if (err)
		return err;
	proto = types__add_proto(e, fi->ret, fi->params, fi->varargs);
	if (proto < 0)
		return proto;
	err = cu__name(e, fi->name, &name);
	if (err)
		return err;
	/* the reference encoder marks every function static */
	rec__start(e, BTF_KIND_FUNC, name, proto)->info =
		btf_info(BTF_KIND_FUNC, BTF_LINKAGE_STATIC, false);
	id = rec__finish(e);
	if (id < 0)
		return id;
	e->out->funcs[e->out->nr_funcs - 1].id = id;
	return cu__flush_tags(e, fi->tags, id);
}

int funcs__subprogram(struct cu_enc *e, Dwarf_Die *die)
{
	struct fn_info fi = { .params = e->nr_params, .tags = e->nr_tags };
	struct func_cand fc = { .die = die };
	const struct func_syms *syms;
	struct die_attrs da;
	int err;

	if (die__attrs(&e->cur, die, &da))
		return cu__error(e, die, -EINVAL, "cannot read attributes: %s",
				 dwarf_errmsg(-1));
	/* a declaration holds only parameters: no code, no types */
	if (attrs__has(&da, AS_DECLARATION))
		return 0;
	/* types alone: only the types the body defines */
	if (e->file->types_only)
		return fn_children(e, die, &fi);
	fn_read(e, die, &da, &fi);
	fc.name = fi.name;
	fc.external = fi.external;
	syms = e->file->select_func(e->file, &fc);
	fi.wanted = syms != NULL;
	if (fi.wanted)
		fi.addr = fn_entry(e->file, die, syms);
	err = fn_children(e, die, &fi);
	/* the reference leaves out functions with an unnamed parameter */
	if (!err && fi.wanted && !fi.unnamed)
		err = fn_emit(e, &fi);
	e->nr_params = fi.params;
	e->nr_tags = fi.tags;
	if (err < 0 && !e->out->errmsg)
		cu__error(e, die, err, "cannot add the function: %s",
			  strerror(-err));
	return err;
}

/* Parameters by DIE offset, to find an instance's origin */
struct param_ref {
	Dwarf_Off die;
	uint32_t idx;		/* in cu_out.params */
};

static int param_ref_cmp(const void *pa, const void *pb)
{
	const struct param_ref *a = pa, *b = pb;

	return a->die < b->die ? -1 : a->die > b->die;
}

static struct cu_param *param_find(struct cu_out *o, struct param_ref *refs,
				   Dwarf_Off die)
{
	struct param_ref key = { die, 0 }, *r;

	r = bsearch(&key, refs, o->nr_params, sizeof(*refs), param_ref_cmp);
	return r ? &o->params[r->idx] : NULL;
}

/*
 * What a concrete instance's parameters say of where they are, their
 * abstract origin's say too (the last instance's register, if several).
 */
static void fn_tell_origin(struct cu_out *o, struct param_ref *refs,
			   struct cu_func *fn)
{
	uint32_t i;

	for (i = 0; i < fn->nr_params; i++) {
		struct cu_param *p = &o->params[fn->params + i], *op;

		if (!p->origin || !(op = param_find(o, refs, p->origin)))
			continue;
		if (op->idx != p->idx)
			fn->flags |= FN_REORDERED;
		op->flags |= p->flags & (PARAM_HAS_LOC | PARAM_HAS_CONST);
		if (p->reg >= 0)
			op->reg = p->reg;
		if (p->size)
			op->size = p->size;
	}
}

static unsigned int param_slots(const struct dwarf_file *f,
				const struct cu_param *p)
{
	if (!f->agg_two_regs || p->size <= f->addr_size)
		return 1;
	return (p->size + f->addr_size - 1) / f->addr_size;
}

static bool param_in_memory(const struct dwarf_file *f,
			    const struct cu_param *p)
{
	return p->size > (f->agg_two_regs ? 2 : 1) * f->addr_size;
}

/*
 * gcc, and clang when it changed the signature: each parameter takes the
 * next argument registers; one found elsewhere at entry is unexpected, one
 * with a location that is no register there is optimized out.
 */
static bool fn_check_regs(const struct dwarf_file *f, bool clang,
			  const struct cu_param *ps, uint32_t n, bool *optimized)
{
	unsigned int reg_idx = 0;
	bool unexpected = false;
	uint32_t i;

	for (i = 0; i < n; i++) {
		const struct cu_param *p = &ps[i];
		bool avail = reg_idx < f->nr_arg_regs;
		unsigned int slots = param_in_memory(f, p) ? 1 : param_slots(f, p);

		if (p->flags & PARAM_HAS_LOC) {
			if (!avail)
				continue;
			if (p->reg < 0)
				*optimized = true;
			else if (p->reg != f->arg_regs[reg_idx])
				unexpected = true;
		} else if ((p->flags & PARAM_HAS_CONST) && !clang) {
			*optimized = true;
		}
		reg_idx += slots;
	}
	return unexpected;
}

/*
 * clang with the signature intact: a parameter in registers must be in
 * one of those its position gets.
 */
static bool fn_check_regs_kept(const struct dwarf_file *f,
			       const struct cu_param *ps, uint32_t n)
{
	unsigned int reg_idx = 0, slots, k;
	uint32_t i;
	bool found;

	for (i = 0; i < n && reg_idx < f->nr_arg_regs; i++) {
		if (param_in_memory(f, &ps[i]))
			continue;
		slots = param_slots(f, &ps[i]);
		found = ps[i].reg < 0;
		for (k = reg_idx; k < reg_idx + slots && k < f->nr_arg_regs; k++)
			found |= ps[i].reg == f->arg_regs[k];
		if (!found)
			return true;
		reg_idx += slots;
	}
	return false;
}

static void fn_judge(const struct cu_enc *e, const struct cu_out *o,
		     struct cu_func *fn)
{
	/* no parameters at all: no array to point into */
	const struct cu_param *ps = o->params ? &o->params[fn->params] : NULL;
	bool optimized = false, unexpected, has_struct = false;
	uint32_t i;

	if (!e->clang || (fn->flags & FN_NOCALL))
		unexpected = fn_check_regs(e->file, e->clang, ps,
					   fn->nr_params, &optimized);
	else
		unexpected = fn_check_regs_kept(e->file, ps, fn->nr_params);
	for (i = 0; i < fn->nr_params; i++) {
		optimized |= !(ps[i].flags & PARAM_HAS_LOC);
		has_struct |= ps[i].flags & PARAM_STRUCT;
		if (ps[i].flags & PARAM_PACKED_STACK)
			fn->flags |= FN_PACKED_STACK;
	}
	if (optimized)
		fn->flags |= FN_OPTIMIZED_PARMS;
	if (unexpected && !has_struct)
		fn->flags |= FN_UNEXPECTED_REG;
}

int funcs__finish_unit(struct cu_enc *e)
{
	struct cu_out *o = e->out;
	struct param_ref *refs;
	size_t i;

	if (!o->nr_funcs)
		return 0;
	refs = calloc(o->nr_params ? o->nr_params : 1, sizeof(*refs));
	if (!refs)
		return -ENOMEM;
	for (i = 0; i < o->nr_params; i++) {
		refs[i].die = o->params[i].die;
		refs[i].idx = i;
	}
	qsort(refs, o->nr_params, sizeof(*refs), param_ref_cmp);
	for (i = 0; i < o->nr_funcs; i++)
		fn_tell_origin(o, refs, &o->funcs[i]);
	for (i = 0; i < o->nr_funcs; i++)
		fn_judge(e, o, &o->funcs[i]);
	free(refs);
	return 0;
}
