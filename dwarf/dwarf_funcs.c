// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Functions and variables: which DWARF definitions become FUNC and VAR
 * records, and the records themselves.
 *
 * Functions: a DW_TAG_subprogram that is not a declaration, that the
 * file's func_select_fn accepts and whose parameters all have names gets a
 * FUNC_PROTO (with parameter names) and a FUNC.  A concrete out-of-line
 * instance takes what it lacks (name, return and parameter types,
 * parameter names) from its DW_AT_abstract_origin.  Keeping one FUNC per
 * name across units is the merge's job.
 *
 * Variables: only per-CPU variables, the ones the kernel's BTF describes.
 * A DW_TAG_variable with a DW_OP_addr location inside .data..percpu, where
 * the symbol table has an object at that offset, becomes a VAR named after
 * the symbol (a static local gets the compiler's "name.N").
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "dwarf_int.h"
#include "util.h"

/*
 * pahole 1.24's rule: a function gets a FUNC when the symbol table has a
 * function symbol of its name (the linker kept code for it); a file
 * without function symbols falls back to the external functions.
 * Kernel-specific rules (the ftrace list) plug in here.
 */
bool funcs__select_pahole(const struct dwarf_file *f,
			  const struct func_cand *fc)
{
	if (!fc->name)
		return false;
	if (f->syms.nr_funcs)
		return syms__has_func(&f->syms, fc->name);
	return fc->external;
}

/* The subprogram or parameter a concrete instance stands for, if any */
static bool fn_origin(struct die_attrs *da, struct die_attrs *oda)
{
	Dwarf_Die origin;

	return attrs__ref(da, AS_ABSTRACT_ORIGIN, &origin) &&
	       !attrs__read(&origin, oda);
}

static int fn_push_param(struct cu_enc *e, Dwarf_Die *die, int idx,
			 bool *unnamed)
{
	struct die_attrs da, oda;
	struct fn_param *p;
	const char *name;
	int err;

	if (attrs__read(die, &da))
		return cu__error(e, die, -EINVAL, "cannot read attributes: %s",
				 dwarf_errmsg(-1));
	err = util__ensure_cap((void **)&e->s->params, &e->s->params_cap,
			       sizeof(*p), e->nr_params + 1);
	if (err)
		return err;
	p = &e->s->params[e->nr_params++];
	name = attrs__str(&da, AS_NAME);
	p->type = cu__target(e, &da, AS_TYPE);
	if (!attrs__has(&da, AS_TYPE) && fn_origin(&da, &oda)) {
		name = attrs__str(&oda, AS_NAME);
		p->type = cu__target(e, &oda, AS_TYPE);
	}
	*unnamed |= !name;
	err = cu__name(e, name, &p->name);
	return err ? err : cu__push_child_tags(e, die, idx);
}

/* Everything the FUNC needs besides what the children give */
struct fn_info {
	const char *name;
	Dwarf_Off ret;
	bool external;
	bool wanted;		/* the selection policy accepts it */
	bool varargs;
	bool unnamed;		/* a parameter has no name */
	size_t params;		/* first parameter on the scratch stack */
	size_t tags;		/* first decl tag on the scratch stack */
};

static void fn_read(struct cu_enc *e, struct die_attrs *da,
		    struct fn_info *fi)
{
	struct die_attrs oda;
	Dwarf_Die spec;
	bool has_origin = fn_origin(da, &oda);

	fi->name = attrs__str(da, AS_NAME);
	fi->ret = cu__target(e, da, AS_TYPE);
	fi->external = attrs__has(da, AS_EXTERNAL);
	if (!fi->name && has_origin)
		fi->name = attrs__str(&oda, AS_NAME);
	if (!fi->name && attrs__ref(da, AS_SPECIFICATION, &spec)) {
		struct die_attrs sda;

		if (!attrs__read(&spec, &sda))
			fi->name = attrs__str(&sda, AS_NAME);
	}
	if (!attrs__has(da, AS_TYPE) && has_origin)
		fi->ret = cu__target(e, &oda, AS_TYPE);
}

/*
 * Parameters (only of a function that may get a FUNC: they are a third of
 * the kernel's DIEs) and decl tags onto the stacks; everything else is a
 * scope that may define types, variables and nested functions.
 */
static int fn_children(struct cu_enc *e, Dwarf_Die *die, struct fn_info *fi)
{
	Dwarf_Die child;
	const char *value;
	int idx = 0, err = 0, tag;

	if (!dwarf_haschildren(die) || dwarf_child(die, &child))
		return 0;
	do {
		tag = dwarf_tag(&child);
		if (tag == DW_TAG_formal_parameter) {
			if (fi->wanted)
				err = fn_push_param(e, &child, idx++, &fi->unnamed);
		} else if (tag == DW_TAG_unspecified_parameters) {
			fi->varargs = true;
		} else if (tag == DW_TAG_LLVM_annotation) {
			value = fi->wanted ? cu__annotation(&child, "btf_decl_tag") :
				NULL;
			if (value)
				err = cu__push_decl_tag(e, value, -1);
		} else {
			err = cu__visit(e, &child);
		}
	} while (!err && dwarf_siblingof(&child, &child) == 0);
	return err;
}

static int fn_emit(struct cu_enc *e, struct fn_info *fi)
{
	struct cu_out *o = e->out;
	uint32_t name;
	int proto, id, err;

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
	err = cu__flush_tags(e, fi->tags, id);
	if (!err)
		err = util__ensure_cap((void **)&o->funcs, &o->funcs_cap,
				       sizeof(*o->funcs), o->nr_funcs + 1);
	if (!err)
		o->funcs[o->nr_funcs++] = id;
	return err;
}

int funcs__subprogram(struct cu_enc *e, Dwarf_Die *die)
{
	struct fn_info fi = { .params = e->nr_params, .tags = e->nr_tags };
	struct func_cand fc = { .die = die };
	struct die_attrs da;
	int err;

	if (attrs__read(die, &da))
		return cu__error(e, die, -EINVAL, "cannot read attributes: %s",
				 dwarf_errmsg(-1));
	/* a declaration holds only parameters: no code, no types */
	if (attrs__has(&da, AS_DECLARATION))
		return 0;
	fn_read(e, &da, &fi);
	fc.name = fi.name;
	fc.external = fi.external;
	fi.wanted = e->file->select_func(e->file, &fc);
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

/* A location that is a plain address: what a global variable has */
static bool var_address(Dwarf_Attribute *a, uint64_t *addr)
{
	Dwarf_Attribute aa;
	Dwarf_Block b;
	Dwarf_Op *ops;
	size_t n;

	if (dwarf_formblock(a, &b) || !b.length)
		return false;
	if (b.data[0] != DW_OP_addr && b.data[0] != DW_OP_addrx &&
	    b.data[0] != DW_OP_GNU_addr_index)
		return false;
	if (dwarf_getlocation(a, &ops, &n) || !n)
		return false;
	if (ops[0].atom == DW_OP_addr) {
		*addr = ops[0].number;
		return true;
	}
	return !dwarf_getlocation_attr(a, &ops[0], &aa) &&
	       !dwarf_formaddr(&aa, addr);
}

/*
 * Whether a variable may be per-CPU, from the abbreviation and one
 * attribute: most variables are locals, and reading all their attributes
 * was a measurable part of loading a kernel.
 */
static bool var_maybe_global(Dwarf_Die *die)
{
	Dwarf_Attribute a;
	uint64_t addr;

	if (dwarf_hasattr(die, DW_AT_specification))
		return true;
	return dwarf_attr(die, DW_AT_location, &a) && var_address(&a, &addr);
}

/* The per-CPU symbol a variable definition lives at, or NULL */
static const struct percpu_sym *var_symbol(struct cu_enc *e,
					   struct die_attrs *da, bool has_spec)
{
	const struct dwarf_syms *s = &e->file->syms;
	const struct percpu_sym *sym;
	struct die_attrs oda;
	const char *name;
	uint64_t addr = 0;
	bool global = false;

	if (!attrs__has(da, AS_DECLARATION) && attrs__has(da, AS_LOCATION))
		global = var_address(&da->a[AS_LOCATION], &addr);
	if (!global && !has_spec)
		return NULL;
	if (addr < s->percpu_addr || addr - s->percpu_addr >= s->percpu_size)
		return NULL;
	sym = syms__percpu_at(s, addr - s->percpu_addr);
	/*
	 * Address 0 is also where DWARF puts variables the linker dropped
	 * (and the first per-CPU variable of vmlinux): there the names must
	 * agree too.
	 */
	if (sym && !addr) {
		name = attrs__str(da, AS_NAME);
		if (!name && fn_origin(da, &oda))
			name = attrs__str(&oda, AS_NAME);
		if (!name || strcmp(name, sym->name))
			return NULL;
	}
	return sym;
}

static int var_emit(struct cu_enc *e, Dwarf_Die *decl, struct die_attrs *da,
		    Dwarf_Off type, const struct percpu_sym *sym)
{
	struct btf_var v = {
		attrs__has(da, AS_EXTERNAL) ? BTF_LINKAGE_GLOBAL :
		BTF_LINKAGE_STATIC
	};
	struct cu_out *o = e->out;
	size_t from = e->nr_tags;
	uint32_t name;
	int id, err;

	err = cu__name(e, sym->name, &name);
	if (err)
		return err;
	rec__start(e, BTF_KIND_VAR, name, 0);
	err = rec__append(e, &v, sizeof(v), false);
	if (err)
		return err;
	id = rec__finish(e);
	if (id < 0)
		return id;
	err = cu__ref(e, id, offsetof(struct btf_type, type), type);
	if (!err)
		err = cu__push_child_tags(e, decl, -1);
	if (!err)
		err = cu__flush_tags(e, from, id);
	if (!err)
		err = util__ensure_cap((void **)&o->vars, &o->vars_cap,
				       sizeof(*o->vars), o->nr_vars + 1);
	if (err)
		return err;
	o->vars[o->nr_vars].id = id;
	o->vars[o->nr_vars].off = sym->off;
	o->vars[o->nr_vars++].size = sym->size;
	return 0;
}

int funcs__variable(struct cu_enc *e, Dwarf_Die *die)
{
	const struct percpu_sym *sym;
	struct die_attrs da, oda, *tda;
	Dwarf_Die spec, type, *decl = die;
	bool has_spec;
	Dwarf_Word size;
	int err;

	if (!e->file->vars || !e->file->syms.nr_percpu ||
	    !var_maybe_global(die))
		return 0;
	if (attrs__read(die, &da))
		return cu__error(e, die, -EINVAL, "cannot read attributes: %s",
				 dwarf_errmsg(-1));
	has_spec = attrs__ref(&da, AS_SPECIFICATION, &spec);
	if (attrs__has(&da, AS_DECLARATION) && !has_spec)
		return 0;
	sym = var_symbol(e, &da, has_spec);
	if (!sym)
		return 0;
	/* name, type, linkage and tags live on the declaration, if any */
	tda = &da;
	if (has_spec) {
		if (attrs__read(&spec, &oda))
			return 0;
		tda = &oda;
		decl = &spec;
	} else if (!attrs__has(&da, AS_TYPE) && fn_origin(&da, &oda)) {
		tda = &oda;
	}
	if (!attrs__ref(tda, AS_TYPE, &type))
		return cu__warn(e, WARN_VOID_VAR, dwarf_dieoffset(die));
	if (dwarf_aggregate_size(&type, &size) || !size)
		return 0;	/* nothing to describe */
	err = var_emit(e, decl, tda, dwarf_dieoffset(&type), sym);
	if (err < 0 && !e->out->errmsg)
		cu__error(e, die, err, "cannot add the variable: %s",
			  strerror(-err));
	return err;
}
