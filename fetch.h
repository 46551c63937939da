/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The debug vmlinux of a build-id, fetched through elfutils' libdebuginfod
 * (the servers of DEBUGINFOD_URLS, its cache under DEBUGINFOD_CACHE_PATH
 * or ~/.cache/debuginfod_client), and the running kernel's build-id.
 * These functions print their errors, naming the build-id.
 */
#ifndef BTFENC_FETCH_H
#define BTFENC_FETCH_H

#include <stddef.h>

/*
 * The running kernel's build-id, from the NT_GNU_BUILD_ID note of @notes
 * (NULL: /sys/kernel/notes), as lowercase hex into @hex (@size bytes).
 */
int fetch__running_build_id(const char *notes, char *hex, size_t size);

/*
 * The path of the debug file of build-id @hex (hexadecimal, any case) in
 * debuginfod's cache, downloading it when it is not there; *@path is
 * malloc'd.  -ENOENT when no server has it.
 */
int fetch__debuginfo(const char *hex, char **path);

#endif
