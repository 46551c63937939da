// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <ctype.h>
#include <elf.h>
#include <elfutils/debuginfod.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fetch.h"
#include "encoder/msg.h"

#define NOTES_MAX (64 * 1024)

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* The GNU build-id note in @buf (a sequence of native ELF notes) */
static int notes_build_id(const unsigned char *buf, size_t len, char *hex,
			  size_t size)
{
	size_t at = 0, i;
	Elf32_Nhdr nh;

	while (len - at >= sizeof(nh)) {
		memcpy(&nh, buf + at, sizeof(nh));
		at += sizeof(nh);
		if (align4(nh.n_namesz) > len - at ||
		    align4(nh.n_descsz) > len - at - align4(nh.n_namesz))
			return -EINVAL;
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    !memcmp(buf + at, "GNU", 4) && nh.n_descsz) {
			if (2 * nh.n_descsz + 1 > size)
				return -EINVAL;
			at += 4;
			for (i = 0; i < nh.n_descsz; i++)
				sprintf(hex + 2 * i, "%02x", buf[at + i]);
			return 0;
		}
		at += align4(nh.n_namesz) + align4(nh.n_descsz);
	}
	return -ENOENT;
}

int fetch__running_build_id(const char *notes, char *hex, size_t size)
{
	unsigned char *buf = malloc(NOTES_MAX);
	ssize_t n = -1;
	int fd, err;

	if (!notes)
		notes = "/sys/kernel/notes";
	fd = open(notes, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && buf)
		n = read(fd, buf, NOTES_MAX);
	err = !buf ? -ENOMEM : n < 0 ? -errno : 0;
	if (fd >= 0)
		close(fd);
	else
		err = -errno;
	if (err)
		msg__error("%s: cannot read the running kernel's notes: %s", notes,
			   strerror(-err));
	else if ((err = notes_build_id(buf, n, hex, size)))
		msg__error("%s: %s", notes, err == -ENOENT ?
			   "no GNU build-id note: the running kernel has no build-id" :
			   "malformed notes");
	free(buf);
	return err;
}

static int check_hex(const char *hex, char *out, size_t size)
{
	size_t i, n = strlen(hex);

	if (n < 2 || n % 2 || n >= size)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)hex[i]))
			return -EINVAL;
		out[i] = tolower((unsigned char)hex[i]);
	}
	out[n] = '\0';
	return 0;
}

int fetch__debuginfo(const char *hex, char **path)
{
	const char *urls = getenv("DEBUGINFOD_URLS");
	debuginfod_client *c;
	char id[129];
	int fd;

	if (check_hex(hex, id, sizeof(id))) {
		msg__error("build-id '%s': not a build-id (an even number of hex "
			   "digits, at most 128)", hex);
		return -EINVAL;
	}
	if (!urls || !*urls) {
		msg__error("build-id %s: no debuginfod server to ask: "
			   "DEBUGINFOD_URLS is not set", id);
		return -ENOSYS;
	}
	c = debuginfod_begin();
	if (!c) {
		msg__error("build-id %s: cannot start a debuginfod client: %s", id,
			   strerror(errno));
		return -ENOMEM;
	}
	*path = NULL;
	/* a length of 0: the build-id is given as a hex string */
	fd = debuginfod_find_debuginfo(c, (const unsigned char *)id, 0, path);
	debuginfod_end(c);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (fd == -ENOENT)
		msg__error("build-id %s: debug info not found by debuginfod "
			   "(DEBUGINFOD_URLS=%s)", id, urls);
	else
		msg__error("build-id %s: debuginfod (DEBUGINFOD_URLS=%s): %s", id,
			   urls, strerror(-fd));
	free(*path);
	*path = NULL;
	return fd;
}
