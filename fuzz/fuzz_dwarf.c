// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the DWARF reader on small ELF files (dwarf_reader__load on a
 * memfd path, one thread), then the written form of what it produced.
 */
#define _GNU_SOURCE	/* memfd_create, in fuzz_common.h */
#include <stdint.h>
#include <stdlib.h>

#include "btf_io.h"
#include "btf_table.h"
#include "dwarf/dwarf_reader.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dwarf_reader_opts opts = {
		.nr_threads = 1,
		.gen_floats = true,
		.features = ~0u,
	};
	struct btf_table *tab = btf_table__new();
	void *blob;
	size_t len;

	if (!tab)
		return 0;
	if (!dwarf_reader__load(fuzz_memfd_path(data, size), tab, &opts) &&
	    !btf_io__raw_data(tab, &blob, &len))
		free(blob);
	btf_table__free(tab);
	return 0;
}
