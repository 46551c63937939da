// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the .BTF section of an ELF image (btf_io__read_elf on a
 * copy in memory, as btfenc does for inputs it cannot map), and the same
 * bytes through btf_io__read on a path, as btfenc reads files.
 */
#define _GNU_SOURCE	/* memfd_create, in fuzz_common.h */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "btf_io.h"
#include "btf_io_int.h"
#include "btf_table.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btf_table *tab = NULL;
	void *image;

	/* libelf may write to a memory image (byte order conversion) */
	image = malloc(size ? size : 1);
	if (!image)
		return 0;
	memcpy(image, data, size);
	if (!btf_io__read_elf(-1, image, size, "fuzz", NULL, &tab))
		btf_table__free(tab);
	free(image);
	tab = NULL;
	if (!btf_io__read(fuzz_memfd_path(data, size), NULL, &tab))
		btf_table__free(tab);
	return 0;
}
