// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Variables: which DWARF definitions become VAR records, in which section.
 *
 * Per-CPU variables (feature var), the ones the kernel's BTF describes: a
 * DW_TAG_variable with a DW_OP_addr location inside .data..percpu, where
 * the symbol table has an object at that offset, becomes a VAR named
 * after the symbol (a static local gets the compiler's "name.N").
 *
 * Every global variable (feature global_var): a variable of the unit's
 * top level with a DW_OP_addr location inside an allocated data section
 * of the file becomes a VAR under its DWARF name, of the size of its type.
 * Left out: names the kernel generates for bookkeeping only (see
 * var_name_skipped), names BTF cannot hold, and a variable DWARF places at
 * the very start of a section without an object symbol of its name there
 * (where DWARF also puts variables the linker dropped).
 *
 * The merge gathers the variables of every unit into one DATASEC per
 * section.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "dwarf_int.h"
#include "util.h"

/* The longest name the kernel's symbol tables hold */
#define VAR_NAME_MAX 128

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
 * Whether a variable may be global, from the abbreviation and one
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

/* The subprogram or variable a concrete instance stands for, if any */
static bool var_origin(struct cu_enc *e, struct die_attrs *da,
		       struct die_attrs *oda)
{
	Dwarf_Die origin;

	return cu__ref_die(e, da, AS_ABSTRACT_ORIGIN, &origin) &&
	       !attrs__read(&origin, oda);
}

/* A variable definition, and the DIE its name, type and tags live on */
struct var_def {
	Dwarf_Die *die;
	struct die_attrs da;
	Dwarf_Die decl_die;	/* the declaration, when there is one */
	Dwarf_Die *decl;
	struct die_attrs oda;
	struct die_attrs *tda;
	uint64_t addr;
};

/* Read the definition; false when it is none or has no address */
static bool var_read(struct cu_enc *e, Dwarf_Die *die, struct var_def *v)
{
	bool has_spec;

	v->die = die;
	v->decl = die;
	v->tda = &v->da;
	if (attrs__read(die, &v->da))
		return false;
	has_spec = cu__ref_die(e, &v->da, AS_SPECIFICATION, &v->decl_die);
	if (attrs__has(&v->da, AS_DECLARATION) ||
	    !attrs__has(&v->da, AS_LOCATION) ||
	    !var_address(&v->da.a[AS_LOCATION], &v->addr))
		return false;
	if (has_spec) {
		if (attrs__read(&v->decl_die, &v->oda))
			return false;
		v->tda = &v->oda;
		v->decl = &v->decl_die;
	} else if (!attrs__has(&v->da, AS_TYPE) && var_origin(e, &v->da, &v->oda)) {
		v->tda = &v->oda;
	}
	return true;
}

static const char *var_name(struct cu_enc *e, struct var_def *v)
{
	const char *name = cu__str(e, v->tda, AS_NAME);

	return name ? name : cu__str(e, &v->da, AS_NAME);
}

/* The per-CPU symbol a variable definition lives at, or NULL */
static const struct obj_sym *var_percpu_symbol(struct cu_enc *e,
					       struct var_def *v)
{
	const struct dwarf_syms *s = &e->file->syms;
	const struct sec_info *si = &s->secs[s->percpu_sec];
	const struct obj_sym *sym;
	const char *name;

	if (v->addr < si->addr || v->addr - si->addr >= si->size)
		return NULL;
	/*
	 * The symbol of the variable's own name, where several stand at its
	 * address (Linux 7.x adds hidden aliases: __pi_gdt_page beside
	 * gdt_page).  The name is the declaration's when the definition
	 * refers to one.  Address 0 is also where DWARF puts variables the
	 * linker dropped (and the first per-CPU variable of vmlinux): there
	 * the names must agree.
	 */
	name = var_name(e, v);
	sym = name ? syms__obj_at(s, s->percpu_sec, v->addr - si->addr, name) :
	      NULL;
	if (!sym && v->addr)
		sym = syms__obj_at(s, s->percpu_sec, v->addr - si->addr, NULL);
	return sym;
}

static int var_emit(struct cu_enc *e, struct var_def *v, const char *name,
		    Dwarf_Off type, size_t sec, uint64_t off, uint32_t size)
{
	struct btf_var bv = {
		attrs__has(v->tda, AS_EXTERNAL) ? BTF_LINKAGE_GLOBAL :
		BTF_LINKAGE_STATIC
	};
	struct cu_out *o = e->out;
	size_t from = e->nr_tags;
	uint32_t handle;
	int id, err;

	err = cu__name(e, name, &handle);
	if (err)
		return err;
	rec__start(e, BTF_KIND_VAR, handle, 0);
	err = rec__append(e, &bv, sizeof(bv), false);
	if (err)
		return err;
	id = rec__finish(e);
	if (id < 0)
		return id;
	err = cu__ref(e, id, offsetof(struct btf_type, type), type);
	if (!err)
		err = cu__push_child_tags(e, v->decl, -1);
	if (!err)
		err = cu__flush_tags(e, from, id);
	if (!err)
		err = util__ensure_cap((void **)&o->vars, &o->vars_cap,
				       sizeof(*o->vars), o->nr_vars + 1);
	if (err)
		return err;
	o->vars[o->nr_vars].id = id;
	o->vars[o->nr_vars].sec = sec;
	o->vars[o->nr_vars].off = off;
	o->vars[o->nr_vars++].size = size;
	return 0;
}

/* Names of kernel bookkeeping that are not variables anyone reads */
static bool var_name_skipped(const char *name)
{
	static const char *const prefixes[] = {
		"__UNIQUE_ID", "__tpstrtab_", "__exitcall_",
		"__gendwarfksyms_ptr_", "__func_stack_frame_non_standard_",
		NULL,
	};
	const char *const *p;

	for (p = prefixes; *name == '_' && *p; p++)
		if (!strncmp(name, *p, strlen(*p)))
			return true;
	return false;
}

/* What the kernel's BTF takes as a variable name */
static bool var_name_valid(const char *name)
{
	size_t i;

	if (!isalpha((unsigned char)name[0]) && name[0] != '_' && name[0] != '.')
		return false;
	for (i = 1; name[i] && i < VAR_NAME_MAX; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' &&
		    name[i] != '.')
			return false;
	return !name[i];
}

/* The type DIE and its size, false when it has none to describe */
static bool var_type(struct cu_enc *e, struct var_def *v, Dwarf_Die *type,
		     uint32_t *size)
{
	Dwarf_Word sz;

	if (!cu__ref_die(e, v->tda, AS_TYPE, type)) {
		cu__warn(e, WARN_VOID_VAR, dwarf_dieoffset(v->die));
		return false;
	}
	if (alt__aggregate_size(e->file, type, &sz) || !sz || sz > UINT32_MAX)
		return false;
	*size = sz;
	return true;
}

static int var_percpu(struct cu_enc *e, struct var_def *v)
{
	const struct obj_sym *sym = var_percpu_symbol(e, v);
	Dwarf_Die type;
	uint32_t size;

	if (!sym || !var_type(e, v, &type, &size))
		return 0;
	return var_emit(e, v, sym->name, key_of_die(e->file, &type),
			e->file->syms.percpu_sec, sym->off, sym->size);
}

static int var_global(struct cu_enc *e, struct var_def *v, size_t sec)
{
	const struct dwarf_syms *s = &e->file->syms;
	uint64_t off = v->addr - s->secs[sec].addr;
	const char *name = var_name(e, v);
	Dwarf_Die type;
	uint32_t size;

	if (!name || var_name_skipped(name) || !var_name_valid(name) ||
	    off > UINT32_MAX)
		return 0;
	if (!off && !syms__obj_at(s, sec, 0, name))
		return 0;
	if (!var_type(e, v, &type, &size))
		return 0;
	return var_emit(e, v, name, key_of_die(e->file, &type), sec, off, size);
}

int vars__variable(struct cu_enc *e, Dwarf_Die *die, bool top)
{
	const struct dwarf_file *f = e->file;
	struct var_def v;
	size_t sec;
	int err;

	if ((!f->vars && !f->global_vars) || !var_maybe_global(die))
		return 0;
	if (!var_read(e, die, &v))
		return 0;
	sec = syms__sec_at(&f->syms, v.addr);
	if (!sec)
		return 0;
	if (sec == f->syms.percpu_sec)
		err = var_percpu(e, &v);
	else if (f->global_vars && top)
		err = var_global(e, &v, sec);
	else
		return 0;
	if (err < 0 && !e->out->errmsg)
		cu__error(e, die, err, "cannot add the variable: %s",
			  strerror(-err));
	return err;
}
