/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inputs that are archives or packages, read as streams through
 * libarchive, never extracted to disk: BTFHub's RELEASE.btf.tar.xz (and
 * .tar.gz, .tar, ...), Debian .deb and Ubuntu .ddeb debug packages (the
 * data.tar.* member of the ar archive is read as a nested stream), RPM
 * packages.  The member wanted is copied into an anonymous memory file
 * (memfd), which the readers open as /proc/self/fd/N; a compressed member
 * (a module's .ko.xz, .ko.zst, ...) is decompressed on the way.  Memory:
 * that one member.
 *
 * ARCHIVE names its kernel: the first member that is a vmlinux
 * (usr/lib/debug/boot/vmlinux-*, usr/lib/debug/lib/modules/.../vmlinux) or
 * raw BTF (NAME.btf, NAME.btf.gz).  ARCHIVE:MEMBER names another member
 * by its path in the archive or its file name (nf_tables.ko, which also
 * finds nf_tables.ko.xz).
 */
#ifndef BTFENC_INPUT_H
#define BTFENC_INPUT_H

#include <stdbool.h>

struct input {
	const char *name;	/* for messages: the argument, or ARCHIVE:MEMBER */
	const char *path;	/* to open: the argument, or /proc/self/fd/N */
	const char *member;	/* the member's path in the archive, or NULL */
	const char *archive;	/* the archive, or NULL */
	int fd;			/* the memory file, or -1 */
	char *buf_name, *buf_path, *buf_member, *buf_archive;
};

/* Whether @path names an archive input (by its name or magic bytes) */
bool input__is_archive(const char *path);

/*
 * Resolve the command-line argument @arg.  Not an archive: *@in names
 * @arg itself (a missing file is left to the caller to report).  An
 * archive: the member is read into memory.  0, or -errno with a message
 * naming the archive and the member (truncated, corrupt, no such member).
 */
int input__open(const char *arg, struct input *in);
void input__close(struct input *in);

#endif
