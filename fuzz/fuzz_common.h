/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the libFuzzer targets: hand byte buffers to readers that take a
 * path, through one memfd reused for every input.  (The readers' messages
 * go to stderr: fuzz/run.sh passes -close_fd_mask=2, which keeps libFuzzer's
 * and the sanitizers' reports.)
 */
#ifndef BTFENC_FUZZ_COMMON_H
#define BTFENC_FUZZ_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memfd_create */
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* "/proc/self/fd/N" of a memfd holding exactly @data; NULL on failure */
static inline const char *fuzz_memfd_path(const uint8_t *data, size_t size)
{
	static char path[64];
	static int fd = -1;
	size_t done = 0;
	ssize_t n;

	if (fd < 0) {
		fd = memfd_create("btfenc-fuzz", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0))
		abort();
	while (done < size) {
		n = pwrite(fd, data + done, size - done, done);
		if (n <= 0)
			abort();
		done += n;
	}
	return path;
}

#endif
