// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "strtab.h"
#include "util.h"

/* BTF string offsets are u32; keep well inside that. */
#define STRTAB_MAX_LEN (1ul << 31)

struct strtab {
	char *data;
	size_t len;
	size_t cap;
	struct hmap *index;	/* offset -> offset */
};

/*
 * Index keys are offsets (>= 0).  A lookup of a string that is not in the
 * buffer uses the negated pointer as its key, so lookups never write.
 */
static const char *strtab_key_str(const struct strtab *s, long key)
{
	return key >= 0 ? s->data + key : (const char *)(uintptr_t)-key;
}

static uint32_t strtab_hash(long key, void *ctx)
{
	return hmap_hash_str(strtab_key_str(ctx, key));
}

static bool strtab_equal(long a, long b, void *ctx)
{
	return !strcmp(strtab_key_str(ctx, a), strtab_key_str(ctx, b));
}

static struct strtab *strtab_alloc(void)
{
	struct strtab *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->index = hmap__new(strtab_hash, strtab_equal, s);
	if (!s->index) {
		free(s);
		return NULL;
	}
	return s;
}

struct strtab *strtab__new(bool with_empty)
{
	struct strtab *s = strtab_alloc();

	if (!s)
		goto err;
	if (util__ensure_cap((void **)&s->data, &s->cap, 1, 4096))
		goto err;
	if (with_empty && strtab__add(s, "") != 0)
		goto err;
	return s;
err:
	strtab__free(s);
	errno = ENOMEM;
	return NULL;
}

static int strtab_index_all(struct strtab *s)
{
	size_t off = 0;
	int err;

	while (off < s->len) {
		err = hmap__insert(s->index, off, off, HMAP_ADD, NULL);
		if (err && err != -EEXIST)
			return err;
		off += strlen(s->data + off) + 1;
	}
	return 0;
}

struct strtab *strtab__from_data(const char *data, size_t len)
{
	struct strtab *s;
	int err = -EINVAL;

	if ((len && data[len - 1]) || len >= STRTAB_MAX_LEN) {
		errno = EINVAL;
		return NULL;
	}
	s = strtab_alloc();
	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	err = util__ensure_cap((void **)&s->data, &s->cap, 1, len ? len : 1);
	if (!err) {
		memcpy(s->data, data, len);
		s->len = len;
		err = strtab_index_all(s);
	}
	if (err) {
		strtab__free(s);
		errno = -err;
		return NULL;
	}
	return s;
}

void strtab__free(struct strtab *s)
{
	if (!s)
		return;
	hmap__free(s->index);
	free(s->data);
	free(s);
}

long strtab__find(const struct strtab *s, const char *str)
{
	long off;

	if (hmap__find(s->index, -(long)(uintptr_t)str, &off))
		return -ENOENT;
	return off;
}

long strtab__add(struct strtab *s, const char *str)
{
	size_t n = strlen(str) + 1;
	long off = strtab__find(s, str);
	int err;

	if (off >= 0)
		return off;
	if (s->len + n >= STRTAB_MAX_LEN)
		return -E2BIG;
	err = util__ensure_cap((void **)&s->data, &s->cap, 1, s->len + n);
	if (err)
		return err;
	memcpy(s->data + s->len, str, n);
	off = s->len;
	err = hmap__insert(s->index, off, off, HMAP_ADD, NULL);
	if (err)
		return err;
	s->len += n;
	return off;
}

const char *strtab__str(const struct strtab *s, uint32_t off)
{
	return off < s->len ? s->data + off : NULL;
}

const char *strtab__data(const struct strtab *s, size_t *len)
{
	*len = s->len;
	return s->data;
}

size_t strtab__count(const struct strtab *s)
{
	return hmap__size(s->index);
}
