// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pahole's BTF options, for kernel builds that call $(PAHOLE): when btfenc
 * runs under the name "pahole", it takes pahole's spellings of what it
 * implements and refuses the rest (pahole's other jobs are not ours).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btfenc.h"
#include "encoder/btf_features.h"
#include "encoder/msg.h"

/* What scripts/pahole-version.sh reads: the pahole whose BTF options and
 * features btfenc implements. */
#define PAHOLE_COMPAT_VERSION "v1.31"

enum {
	P_DETACHED = 0x100,
	P_BASE,
	P_FEATURES,
	P_FEATURES_STRICT,
	P_SUPPORTED,
	P_GEN_FLOATS,
	P_GEN_OPTIMIZED,
	P_GEN_ALL,
	P_SKIP_VARS,
	P_SKIP_DECL_TAG,
	P_SKIP_TYPE_TAG,
	P_SKIP_ENUM64,
	P_SKIP_INCONSISTENT,
	P_LANG_EXCLUDE,
	P_FORCE,
	P_VERSION,
};

static const struct option pahole_opts[] = {
	{ "btf_encode", no_argument, NULL, 'J' },
	{ "btf_encode_detached", required_argument, NULL, P_DETACHED },
	{ "btf_base", required_argument, NULL, P_BASE },
	{ "jobs", optional_argument, NULL, 'j' },
	{ "btf_features", required_argument, NULL, P_FEATURES },
	{ "btf_features_strict", required_argument, NULL, P_FEATURES_STRICT },
	{ "supported_btf_features", no_argument, NULL, P_SUPPORTED },
	{ "btf_gen_floats", no_argument, NULL, P_GEN_FLOATS },
	{ "btf_gen_optimized", no_argument, NULL, P_GEN_OPTIMIZED },
	{ "btf_gen_all", no_argument, NULL, P_GEN_ALL },
	{ "skip_encoding_btf_vars", no_argument, NULL, P_SKIP_VARS },
	{ "skip_encoding_btf_decl_tag", no_argument, NULL, P_SKIP_DECL_TAG },
	{ "skip_encoding_btf_tag", no_argument, NULL, P_SKIP_DECL_TAG },
	{ "skip_encoding_btf_type_tag", no_argument, NULL, P_SKIP_TYPE_TAG },
	{ "skip_encoding_btf_enum64", no_argument, NULL, P_SKIP_ENUM64 },
	{ "skip_encoding_btf_inconsistent_proto", no_argument, NULL, P_SKIP_INCONSISTENT },
	{ "lang_exclude", required_argument, NULL, P_LANG_EXCLUDE },
	{ "btf_encode_force", no_argument, NULL, P_FORCE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'V' },
	{ "version", no_argument, NULL, P_VERSION },
	{ NULL, 0, NULL, 0 },
};

static void print_supported(void)
{
	const struct btf_feature_name *f;

	for (f = btf_feature_names; f->name; f++)
		printf("%s%s", f == btf_feature_names ? "" : ",", f->name);
	putchar('\n');
}

/* pahole without --btf_features: its historical defaults */
static unsigned int pahole_legacy_features(void)
{
	return BTF_FEAT_VAR | BTF_FEAT_DECL_TAG | BTF_FEAT_TYPE_TAG |
	       BTF_FEAT_ENUM64 | BTF_FEAT_ENCODE_FORCE;
}

/* pahole's bare -j: one thread per online CPU */
static int pahole_jobs(const char *arg, int *out)
{
	if (!arg) {
		*out = 0;
		return 0;
	}
	return btfenc__parse_jobs(arg, out);
}

/* One option; returns -1 to go on or an exit status. */
static int pahole_opt(int c, struct btfenc_opts *o, unsigned int *add,
		      unsigned int *del, bool *have_list)
{
	switch (c) {
	case 'J': o->in_place = true; break;
	case P_DETACHED: o->output = optarg; break;
	case P_BASE: o->base = optarg; break;
	case 'j':
		if (pahole_jobs(optarg, &o->nr_threads)) {
			msg__error("-j: '%s' is not a thread count", optarg);
			return EXIT_USAGE;
		}
		break;
	case P_FEATURES: case P_FEATURES_STRICT: {
		unsigned int list;

		if (btfenc__parse_features(optarg, &list, c == P_FEATURES_STRICT))
			return EXIT_USAGE;
		/* as pahole: each list turns features on, the lists add up
		 * (the kernel's Makefile.btf gives one for all and one more
		 * for out-of-tree modules) */
		o->features = *have_list ? o->features | list : list;
		*have_list = true;
		break;
	}
	case P_SUPPORTED: print_supported(); return EXIT_OK;
	case P_GEN_FLOATS: *add |= BTF_FEAT_FLOAT; break;
	case P_GEN_OPTIMIZED: *add |= BTF_FEAT_OPTIMIZED_FUNC; break;
	case P_GEN_ALL: *add |= ~0u & ~BTF_FEAT_GLOBAL_VAR & ~BTF_FEAT_DISTILLED_BASE; break;
	case P_SKIP_VARS: *del |= BTF_FEAT_VAR; break;
	case P_SKIP_DECL_TAG: *del |= BTF_FEAT_DECL_TAG; break;
	case P_SKIP_TYPE_TAG: *del |= BTF_FEAT_TYPE_TAG; break;
	case P_SKIP_ENUM64: *del |= BTF_FEAT_ENUM64; break;
	case P_SKIP_INCONSISTENT: *add |= BTF_FEAT_CONSISTENT_FUNC; break;
	case P_LANG_EXCLUDE: o->lang_exclude = optarg; break;
	case P_FORCE: break;
	case 'q': msg__set_level(MSG_QUIET); break;
	case 'V': msg__set_level(MSG_VERBOSE); break;
	case P_VERSION: puts(PAHOLE_COMPAT_VERSION); return EXIT_OK;
	default:
		msg__error("pahole mode: only pahole's BTF encoding options are "
			   "supported (see btfenc(1), PAHOLE COMPATIBILITY)");
		return EXIT_USAGE;
	}
	return -1;
}

int btfenc__parse_pahole_args(int argc, char **argv, struct btfenc_opts *o)
{
	unsigned int add = 0, del = 0;
	bool have_list = false;
	int c, ret;

	o->features = 0;
	/*
	 * Arrays nest as pahole 1.32 writes them, or as the --btf_base has
	 * them; BTFENC_ARRAYS=flat reproduces the BTF of older pahole
	 */
	if (btfenc__arrays_from_env(&o->arrays))
		return EXIT_USAGE;
	while ((c = getopt_long(argc, argv, "Jj::qV", pahole_opts, NULL)) != -1) {
		ret = pahole_opt(c, o, &add, &del, &have_list);
		if (ret >= 0)
			return ret;
	}
	if (!have_list)
		o->features = pahole_legacy_features();
	o->features = (o->features | add) & ~del;
	if (optind + 1 != argc) {
		msg__error(optind == argc ? "no input file given" : "more than one input file given");
		return EXIT_USAGE;
	}
	o->inputs = calloc(1, sizeof(*o->inputs));
	if (!o->inputs)
		return EXIT_FAIL;
	o->inputs[0] = argv[optind];
	o->nr_inputs = 1;
	if (!o->in_place && !o->output) {
		msg__error("pahole mode: give -J or --btf_encode_detached=FILE");
		return EXIT_USAGE;
	}
	/* -J with a detached file writes the file only, as pahole does */
	if (o->output)
		o->in_place = false;
	return -1;
}
