/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small helpers shared by every stage: overflow-checked array growth. */
#ifndef BTFENC_UTIL_H
#define BTFENC_UTIL_H

#include <stddef.h>

/*
 * Make room for at least @need elements of @elem_sz bytes in *@data, whose
 * capacity (in elements) is *@cap.  Grows geometrically; returns 0 or
 * -ENOMEM (also on size overflow), leaving *@data intact on failure.
 */
int util__grow(void **data, size_t *cap, size_t elem_sz, size_t need);

static inline int util__ensure_cap(void **data, size_t *cap, size_t elem_sz,
				   size_t need)
{
	return need <= *cap ? 0 : util__grow(data, cap, elem_sz, need);
}

#endif
