// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the DWARF reader on small ELF files (dwarf_reader__load on a
 * memfd path, one thread), then the written form of what it produced, and
 * dedup two ways: streamed along with reading and after it.  The two must
 * agree, on the result or on the error; a difference aborts.  The types
 * alone (dwarf_reader_opts.types_only, as --min reads) are read too, and
 * again for a few root names, which scans the units' shapes first and may
 * read some of them only (dwarf/dwarf_shape.c).
 */
#define _GNU_SOURCE	/* memfd_create, in fuzz_common.h */
#include <stdint.h>
#include <stdlib.h>


#include "btf_io.h"
#include "btf_table.h"
#include "dedup/dedup.h"
#include "dwarf/dwarf_reader.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Names the fixtures' types have: roots for the shape scan */
static const struct dwarf_type_name roots[] = {
	{ "s", 1 }, { "t", 1 }, { "u", 1 }, { "a", 1 }, { "list_head", 9 },
	{ "task_struct", 11 },
};

static void stream_unit(void *ctx)
{
	dedup__stream_add(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dwarf_reader_opts opts = {
		.nr_threads = 1,
		.gen_floats = true,
		.features = ~0u,
	};
	struct dedup_opts dopts = { .strs_from_table = true };
	struct btf_table *tab = btf_table__new(), *streamed = btf_table__new();
	struct btf_table *types = btf_table__new();
	struct dedup_stream *s = streamed ? dedup__stream_new(streamed) : NULL;
	const char *path = fuzz_memfd_path(data, size);
	int err, serr;
	void *blob;
	size_t len;

	if (!tab || !s || !types)
		goto out;
	opts.types_only = true;
	dwarf_reader__load(path, types, &opts);
	btf_table__free(types);
	types = btf_table__new();
	opts.min_roots = roots;
	opts.nr_min_roots = sizeof(roots) / sizeof(roots[0]);
	if (types)
		dwarf_reader__load(path, types, &opts);
	opts.min_roots = NULL;
	opts.nr_min_roots = 0;
	opts.types_only = false;
	err = dwarf_reader__load(path, tab, &opts);
	if (!err && !btf_io__raw_data(tab, &blob, &len))
		free(blob);
	if (err)
		goto out;
	opts.unit_merged = stream_unit;
	opts.unit_merged_ctx = s;
	if (dwarf_reader__load(path, streamed, &opts))
		abort();	/* the same input read the same way */
	err = dedup__run(tab, &dopts);
	serr = dedup__stream_finish(s);
	if (err != serr || (!err && !btf_table__same_bytes(tab, streamed)))
		abort();
out:
	dedup__stream_free(s);
	btf_table__free(streamed);
	btf_table__free(tab);
	btf_table__free(types);
	return 0;
}
