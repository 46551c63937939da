/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Batches (--out-dir): where each input's output goes, and the manifest
 * that lists them (DIR/manifest.json: input, output, types, bytes, sha256).
 *
 * A batch creates the directories it writes to.  Outputs are named
 * DIR/NAME.btf, or with BTFHub's layout DIR/DISTRO/VERSION/ARCH/RELEASE.btf.
 * An output whose bytes equal those of another kernel's output, of this
 * run or of an earlier one listed in the manifest, is a hard link to that
 * file: stored once, every kernel still at its own path.  The manifest of
 * an earlier run is merged: an entry is replaced by the new one for the
 * same output (an error entry by the one for the same input), the others
 * kept.  These functions print their errors, naming the file.
 */
#ifndef BTFENC_BATCH_H
#define BTFENC_BATCH_H

#include <stdbool.h>
#include <stddef.h>

struct batch;

/*
 * @btfhub: "DISTRO/VERSION" (or "DISTRO/VERSION/ARCH", the architecture of
 * raw BTF inputs) for BTFHub's layout, or NULL for DIR/NAME.btf.
 * @hub_root: BTFHub's layout taken from where each input is: an input at
 * HUB_ROOT/DISTRO/VERSION/ARCH/FILE goes to DIR/DISTRO/VERSION/ARCH/, the
 * architecture of an ELF kernel checked against ARCH; or NULL.
 * @ext: the outputs' suffix, ".btf", ".btf.gz" or ".btf.tar.xz" (a
 * string that outlives the batch).  Creates
 * @dir and reads DIR/manifest.json when it exists; NULL with errno set
 * (reported) when either fails.
 */
struct batch *batch__new(const char *dir, const char *btfhub,
			  const char *hub_root, const char *ext);
void batch__free(struct batch *b);

/*
 * The output path for @input (malloc'd): DIR/NAME.btf, NAME being the
 * input's file name without a trailing .btf, .btf.gz, .btf.tar.xz or
 * archive suffix, or with BTFHub's layout DIR/DISTRO/VERSION/ARCH/RELEASE.btf,
 * the release read from the kernel's linux_banner or, for raw BTF, from
 * the file name (5.4.0-42-generic.btf): @member's (an archive's member),
 * else @input's; directories are created.  @path is where the input is
 * read (an archive's member in memory; NULL: @input).  NULL with a message
 * naming @input when that cannot be done.
 */
char *batch__output_path(struct batch *b, const char *input, const char *path,
			 const char *member);

/* Write @data as @input's output at @path (or link it) and record it. */
int batch__write(struct batch *b, const char *input, const char *path,
		 const void *data, size_t len, unsigned long types);

/* Record that @input failed. */
int batch__fail(struct batch *b, const char *input);

/* Write DIR/manifest.json atomically. */
int batch__write_manifest(struct batch *b);

#endif
