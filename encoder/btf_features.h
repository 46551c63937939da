/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BTF features: which kinds and which selections an encoding uses, so that
 * older readers (libbpf before 1.0, old bpftool, old kernels) get BTF they
 * accept.  The names are pahole's --btf_features names.
 */
#ifndef BTFENC_BTF_FEATURES_H
#define BTFENC_BTF_FEATURES_H

#include <stdbool.h>
#include <string.h>

enum btf_feature {
	BTF_FEAT_ENUM64 = 1u << 0,		/* ENUM64 kind */
	BTF_FEAT_FLOAT = 1u << 1,		/* FLOAT kind */
	BTF_FEAT_DECL_TAG = 1u << 2,		/* DECL_TAG kind */
	BTF_FEAT_TYPE_TAG = 1u << 3,		/* TYPE_TAG kind */
	BTF_FEAT_VAR = 1u << 4,			/* per-CPU VARs + DATASEC */
	BTF_FEAT_GLOBAL_VAR = 1u << 5,		/* every global variable */
	BTF_FEAT_OPTIMIZED_FUNC = 1u << 6,	/* foo.isra.0 counts for foo */
	BTF_FEAT_CONSISTENT_FUNC = 1u << 7,	/* drop disagreeing statics */
	BTF_FEAT_DECL_TAG_KFUNCS = 1u << 8,	/* bpf_kfunc DECL_TAGs */
	BTF_FEAT_DISTILLED_BASE = 1u << 9,	/* .BTF.base for modules */
	BTF_FEAT_REPRODUCIBLE = 1u << 10,	/* always true here: accepted */
	BTF_FEAT_ENCODE_FORCE = 1u << 11,	/* accepted for compatibility */
	BTF_FEAT_ATTRIBUTES = 1u << 12,		/* arena kfuncs: address_space(1) */
	BTF_FEAT_LAYOUT = 1u << 13,		/* accepted; see btfenc(1) */
};

struct btf_feature_name {
	const char *name;
	unsigned int bit;
	bool in_default;
};

static const struct btf_feature_name btf_feature_names[] = {
	{ "encode_force", BTF_FEAT_ENCODE_FORCE, true },
	{ "var", BTF_FEAT_VAR, true },
	{ "float", BTF_FEAT_FLOAT, true },
	{ "decl_tag", BTF_FEAT_DECL_TAG, true },
	{ "type_tag", BTF_FEAT_TYPE_TAG, true },
	{ "enum64", BTF_FEAT_ENUM64, true },
	{ "optimized_func", BTF_FEAT_OPTIMIZED_FUNC, true },
	{ "consistent_func", BTF_FEAT_CONSISTENT_FUNC, true },
	{ "decl_tag_kfuncs", BTF_FEAT_DECL_TAG_KFUNCS, true },
	{ "reproducible_build", BTF_FEAT_REPRODUCIBLE, false },
	{ "distilled_base", BTF_FEAT_DISTILLED_BASE, false },
	{ "global_var", BTF_FEAT_GLOBAL_VAR, false },
	{ "attributes", BTF_FEAT_ATTRIBUTES, false },
	{ "layout", BTF_FEAT_LAYOUT, false },
	{ NULL, 0, false },
};

static inline unsigned int btf_features_default(void)
{
	const struct btf_feature_name *f;
	unsigned int mask = 0;

	for (f = btf_feature_names; f->name; f++)
		if (f->in_default)
			mask |= f->bit;
	return mask;
}

static inline unsigned int btf_feature_bit(const char *name, size_t len)
{
	const struct btf_feature_name *f;

	for (f = btf_feature_names; f->name; f++)
		if (strlen(f->name) == len && !strncmp(f->name, name, len))
			return f->bit;
	return 0;
}

#endif
