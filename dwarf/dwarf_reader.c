// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dwarf_reader__load: open the file with libdwfl (which applies ET_REL
 * relocations to the debug sections and decompresses them), read the
 * symbol table, then encode the units one by one and append each to the
 * output in unit order.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "btf_features.h"
#include "dwarf_int.h"
#include "msg.h"

/* Only the file's own DWARF: never a separate debug file found elsewhere */
static int file_no_debuginfo(Dwfl_Module *mod, void **userdata,
			     const char *modname, Dwarf_Addr base,
			     const char *file_name, const char *debuglink_file,
			     GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	return -1;
}

static const Dwfl_Callbacks file_callbacks = {
	.find_debuginfo = file_no_debuginfo,
	.section_address = dwfl_offline_section_address,
};

/* A clear message for what is not an ELF file, before libdwfl sees it */
static int file_check_elf(struct dwarf_file *f, const char *path, int fd)
{
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	bool is_elf = elf && elf_kind(elf) == ELF_K_ELF;
	GElf_Ehdr ehdr;

	if (is_elf && gelf_getehdr(elf, &ehdr) && ehdr.e_type == ET_REL)
		pages__note_debug_relocs(f, elf);
	elf_end(elf);
	if (!is_elf) {
		msg__error("%s: not an ELF file", path);
		return -EINVAL;
	}
	return 0;
}

Elf_Scn *file__section(Elf *elf, const char *want)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Shdr shdr;
	const char *name;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &shdr))
			continue;
		name = elf_strptr(elf, shstrndx, shdr.sh_name);
		if (name && !strcmp(name, want))
			return scn;
	}
	return NULL;
}

static bool file_has_debug_info(Elf *elf)
{
	return file__section(elf, ".debug_info") ||
	       file__section(elf, ".zdebug_info");
}

/* The data of section @name as libdw reads it, or NULL */
static Elf_Data *file_section_data(struct dwarf_file *f, const char *sname)
{
	Elf_Scn *scn = file__section(f->elf, sname);

	return scn ? elf_getdata(scn, NULL) : NULL;
}

/*
 * Where libdw's .debug_str data is, so that a name's pointer tells its
 * offset there (see cu__name).  Names are still correct without it, only
 * slower to merge.  And where its .debug_info data is, for the DIE
 * cursor (dwarf_die.c), which checks that it is what libdw reads.
 */
static void file_find_dstr(struct dwarf_file *f)
{
	const char *base = dwarf_getstring(f->dbg, 0, NULL);
	Elf_Data *data = base ? file_section_data(f, ".debug_str") : NULL;

	if (base && data) {
		f->str_base = base;
		f->str_full = data->d_size;
	}
	/* the same buffer libdw reads, else leave the fast path off */
	if (data && data->d_buf == base && data->d_size < NAME_OTHER) {
		f->dstr = base;
		f->dstr_size = data->d_size;
		/* a string cut off by the end of the section is libdw's to
		 * refuse: below dstr_size, every string has its NUL */
		while (f->dstr_size && f->dstr[f->dstr_size - 1])
			f->dstr_size--;
	}
	data = file_section_data(f, ".debug_info");
	if (data && data->d_buf) {
		f->info = data->d_buf;
		f->info_size = data->d_size;
	}
}

/*
 * Where the calling convention passes the first integer arguments, as
 * DWARF register numbers (DW_OP_regN), for the parameter location checks.
 * An architecture not listed gets no check.
 */
static void file_set_abi(struct dwarf_file *f, unsigned int machine)
{
	static const struct {
		unsigned int machine;
		bool agg_two_regs;
		unsigned int nr;
		uint8_t regs[MAX_ARG_REGS];
	} abis[] = {
		/* rdi, rsi, rdx, rcx, r8, r9 */
		{ EM_X86_64, true, 6, { 5, 4, 1, 2, 8, 9 } },
		/* x0-x7 */
		{ EM_AARCH64, true, 8, { 0, 1, 2, 3, 4, 5, 6, 7 } },
		/* r0-r3 */
		{ EM_ARM, true, 4, { 0, 1, 2, 3 } },
		/* r2-r6 */
		{ EM_S390, false, 5, { 2, 3, 4, 5, 6 } },
		/* a0-a7 */
		{ EM_RISCV, true, 8, { 10, 11, 12, 13, 14, 15, 16, 17 } },
		/* r3-r10 */
		{ EM_PPC64, true, 8, { 3, 4, 5, 6, 7, 8, 9, 10 } },
	};
	size_t i;
	unsigned int k;

	for (i = 0; i < sizeof(abis) / sizeof(abis[0]); i++) {
		if (abis[i].machine != machine)
			continue;
		f->agg_two_regs = abis[i].agg_two_regs;
		f->nr_arg_regs = abis[i].nr;
		for (k = 0; k < abis[i].nr; k++)
			f->arg_regs[k] = DW_OP_reg0 + abis[i].regs[k];
		return;
	}
}

static int file_open(struct dwarf_file *f, const char *path,
		     const struct dwarf_reader_opts *opts)
{
	Dwfl_Module *mod;
	Dwarf_Addr bias;
	GElf_Ehdr ehdr;
	int fd, err;

	elf_version(EV_CURRENT);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		msg__error("%s: %s", f->path, strerror(errno));
		return err;
	}
	err = file_check_elf(f, f->path, fd);
	if (err) {
		close(fd);
		return err;
	}
	f->dwfl = dwfl_begin(&file_callbacks);
	if (!f->dwfl) {
		close(fd);
		msg__error("%s: %s", f->path, dwfl_errmsg(-1));
		return -ENOMEM;
	}
	/* libdwfl owns @fd from here on */
	mod = dwfl_report_offline(f->dwfl, path, path, fd);
	if (!mod || dwfl_report_end(f->dwfl, NULL, NULL)) {
		msg__error("%s: %s", f->path, dwfl_errmsg(-1));
		return -EINVAL;
	}
	f->elf = dwfl_module_getelf(mod, &bias);
	if (!f->elf || !gelf_getehdr(f->elf, &ehdr)) {
		msg__error("%s: %s", f->path, dwfl_errmsg(-1));
		return -EINVAL;
	}
	f->dbg = dwfl_module_getdwarf(mod, &bias);
	if (!f->dbg) {
		if (!file_has_debug_info(f->elf))
			msg__error("%s: no DWARF debug info (.debug_info)", f->path);
		else
			msg__error("%s: cannot read DWARF: %s", f->path, dwfl_errmsg(-1));
		return -EINVAL;
	}
	f->is_rel = ehdr.e_type == ET_REL;
	f->big_endian = ehdr.e_ident[EI_DATA] == ELFDATA2MSB;
	pages__drop_debug_relocs(f);
	f->addr_size = ehdr.e_ident[EI_CLASS] == ELFCLASS32 ? 4 : 8;
	file_set_abi(f, ehdr.e_machine);
	file_find_dstr(f);
	return alt__open(f, opts ? opts->supplementary : NULL,
			 opts ? opts->debug_dir : NULL);
}

static void file_close(struct dwarf_file *f)
{
	syms__free(&f->syms);
	free(f->debug_relocs);
	if (f->dwfl)
		dwfl_end(f->dwfl);
	alt__close(f);
}

/*
 * Give the memory freed with libdw and the unit tables back to the system
 * before the next stage: with threads, most of it is in the workers' malloc
 * arenas, which nothing would reuse.
 */
static void release_heap(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/* "rust" -> DW_LANG_Rust, case-insensitively; -1 when unknown */
static int lang_code(const char *name, size_t len)
{
	static const struct {
		const char *name;
		unsigned int code;
	} langs[] = {
#define DWARF_ONE_KNOWN_DW_LANG(NAME, CODE) { #NAME, CODE },
		DWARF_ALL_KNOWN_DW_LANG
#undef DWARF_ONE_KNOWN_DW_LANG
	};
	size_t i;

	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
		if (strlen(langs[i].name) == len &&
		    !strncasecmp(langs[i].name, name, len))
			return langs[i].code;
	return -1;
}

static int file_set_langs(struct dwarf_file *f, const char *list)
{
	const char *p = list;

	while (p && *p) {
		size_t len = strcspn(p, ",");
		int code = lang_code(p, len);

		if (code < 0) {
			msg__error("unknown language to exclude: '%.*s'",
				   (int)len, p);
			return -EINVAL;
		}
		if (f->nr_lang_exclude == MAX_LANG_EXCLUDE) {
			msg__error("more than %d languages to exclude",
				   MAX_LANG_EXCLUDE);
			return -EINVAL;
		}
		f->lang_exclude[f->nr_lang_exclude++] = code;
		p += len + (p[len] == ',');
	}
	return 0;
}

static void file_set_opts(struct dwarf_file *f,
			  const struct dwarf_reader_opts *opts)
{
	unsigned int feat = opts ? opts->features : btf_features_default();

	f->gen_floats = opts ? opts->gen_floats : true;
	f->enum64 = feat & BTF_FEAT_ENUM64;
	f->type_tags = feat & BTF_FEAT_TYPE_TAG;
	f->decl_tags = feat & BTF_FEAT_DECL_TAG;
	f->vars = feat & BTF_FEAT_VAR;
	f->global_vars = feat & BTF_FEAT_GLOBAL_VAR;
	f->clone_funcs = feat & BTF_FEAT_OPTIMIZED_FUNC;
	f->consistent_funcs = feat & BTF_FEAT_CONSISTENT_FUNC;
	f->kfunc_tags = feat & BTF_FEAT_DECL_TAG_KFUNCS;
	f->attributes = feat & BTF_FEAT_ATTRIBUTES;
	f->select_func = funcs__select_symbol;
	f->types_only = opts && opts->types_only;
	f->flat_arrays = opts && opts->flat_arrays;
	if (f->types_only)
		f->vars = f->global_vars = f->kfunc_tags = false;
}

int dwarf_reader__load(const char *path, struct btf_table *tab,
		       const struct dwarf_reader_opts *opts)
{
	struct dwarf_file f = {
		.path = opts && opts->name ? opts->name : path,
		.alt_fd = -1,
	};
	struct merge *m = NULL;
	int err;

	file_set_opts(&f, opts);
	err = file_set_langs(&f, opts ? opts->lang_exclude : NULL);
	if (!err)
		err = file_open(&f, path, opts);
	/* symbols place functions and variables only */
	if (!err && !f.types_only)
		err = syms__load(&f);
	if (!err) {
		m = merge__new(tab, &f);
		if (!m) {
			msg__error("%s: out of memory", f.path);
			err = -ENOMEM;
		}
	}
	if (!err)
		err = units__load(&f, m, opts);
	if (!err)
		err = merge__finish(m);
	merge__free(m);
	file_close(&f);
	release_heap();
	return err;
}
