/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Batches (--out-dir): where each input's output goes, and the manifest
 * that lists them (DIR/manifest.json: input, output, types, bytes, sha256).
 */
#ifndef BTFENC_BATCH_H
#define BTFENC_BATCH_H

#include <stdbool.h>
#include <stddef.h>

struct batch;

/* @btfhub: "DISTRO/VERSION" for BTFHub's layout, or NULL for DIR/NAME.btf */
struct batch *batch__new(const char *dir, const char *btfhub, bool gzip);
void batch__free(struct batch *b);

/*
 * The output path for @input (malloc'd): DIR/<input name>.btf, or with
 * BTFHub's layout DIR/DISTRO/VERSION/ARCH/<kernel release>.btf, the release
 * read from the kernel's linux_banner; directories are created.  NULL with
 * a message naming @input when that cannot be done.
 */
char *batch__output_path(struct batch *b, const char *input);

/* Record a result (@sha256 NULL for a failed input). */
int batch__record(struct batch *b, const char *input, const char *output,
		  unsigned long types, size_t bytes, const unsigned char *sha256);

/* Write DIR/manifest.json atomically. */
int batch__write_manifest(struct batch *b);

#endif
