/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Feature downgrade: rewrite a table so that it uses only the BTF kinds in
 * a feature mask (encoder/btf_features.h), for older readers.
 *
 * Input: any table (own types only are rewritten).  Output: the same table
 * where, for each feature missing from the mask:
 * - float: FLOAT becomes INT of the same name and size, no encoding;
 * - decl_tag: DECL_TAGs are removed;
 * - type_tag: TYPE_TAGs are removed, their referrers point past them;
 * - var: VARs and DATASECs are removed;
 * - enum64: an ENUM64 becomes an ENUM of the same name, size and signedness;
 *   each value that fits 32 bits (as the enum's signedness reads it) is
 *   kept as it is, and each that does not becomes two enumerators,
 *   NAME__lo32 and NAME__hi32, holding its halves: every value stays
 *   readable, and no enumerator carries a truncated value under its own
 *   name (a CO-RE lookup of NAME finds nothing rather than a wrong value).
 * Type IDs are renumbered densely in the original order.
 */
#ifndef BTFENC_BTF_COMPAT_H
#define BTFENC_BTF_COMPAT_H

#include "btf_table.h"

int btf_compat__apply(struct btf_table *tab, unsigned int features);
/* Whether btf_compat__apply would change @tab */
bool btf_compat__needed(const struct btf_table *tab, unsigned int features);

#endif
