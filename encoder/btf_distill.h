/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Distilled base: make a module's split BTF relocatable onto a kernel whose
 * BTF is not the exact one it was encoded against (same kABI, another
 * build), as libbpf's btf__distill_base() does for pahole.
 *
 * Input: @split, a split table on its base (the vmlinux BTF).  Output:
 * - *@dist_base, a standalone table holding only what the split types
 *   refer to in the base and what a relocation matches by: INT, FLOAT and
 *   FWD as they are; named STRUCTs and UNIONs without members, with their
 *   sizes; named ENUMs and ENUM64s as ENUMs of their size without values;
 * - *@new_split, the split types on top of *@dist_base: first every type of
 *   @split, in order, then the base types the split ones refer to that are
 *   not matched by name (anonymous STRUCT, UNION, ENUM, ENUM64 in full;
 *   ARRAY, TYPEDEF, PTR, CONST, VOLATILE, RESTRICT, FUNC_PROTO, TYPE_TAG),
 *   in base order.
 * A named struct or union of the base is the boundary: what lies behind
 * its members is not carried.  The loader (libbpf's btf__relocate, the
 * kernel's module loader) maps each distilled base type to the running
 * kernel's type of the same kind, name and size.
 * Both tables own their strings; the caller frees both.  Returns 0, or
 * -EINVAL when @split has no base or refers to a base type of a kind that
 * cannot be relocated (FUNC, VAR, DATASEC, DECL_TAG), -ENOMEM.  Silent.
 */
#ifndef BTFENC_BTF_DISTILL_H
#define BTFENC_BTF_DISTILL_H

#include "btf_table.h"

int btf_distill__split(const struct btf_table *split,
		       struct btf_table **dist_base,
		       struct btf_table **new_split);

#endif
