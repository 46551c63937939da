/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A string set: every distinct string is stored once in one buffer and named
 * by its byte offset there, exactly as a BTF string section names it.
 * A base table's set starts with the empty string at offset 0; a split
 * table's set starts empty (its "" is the base's).  Silent: returns offsets
 * or -errno.
 */
#ifndef BTFENC_STRTAB_H
#define BTFENC_STRTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strtab;

struct strtab *strtab__new(bool with_empty);
/*
 * A set holding a copy of a string section as it is (offsets preserved).
 * @data must end with '\0' unless empty; -EINVAL otherwise.
 */
struct strtab *strtab__from_data(const char *data, size_t len);
void strtab__free(struct strtab *s);

/* Offset of @str, added if missing: >= 0, or -ENOMEM / -E2BIG */
long strtab__add(struct strtab *s, const char *str);
/* Offset of @str, or -ENOENT */
long strtab__find(const struct strtab *s, const char *str);
/* The string at @off, or NULL when @off is past the end */
const char *strtab__str(const struct strtab *s, uint32_t off);
const char *strtab__data(const struct strtab *s, size_t *len);
size_t strtab__count(const struct strtab *s);

#endif
