// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "util.h"

/* util__ensure_cap's slow path: out of line, so the check is inlined */
int util__grow(void **data, size_t *cap, size_t elem_sz, size_t need)
{
	size_t new_cap;
	void *p;

	if (need <= *cap)
		return 0;
	new_cap = *cap < 16 ? 16 : *cap;
	while (new_cap < need) {
		if (new_cap > SIZE_MAX / 2)
			return -ENOMEM;
		new_cap += new_cap / 2 + 16;
	}
	if (elem_sz && new_cap > SIZE_MAX / elem_sz)
		return -ENOMEM;
	p = realloc(*data, new_cap * elem_sz);
	if (!p)
		return -ENOMEM;
	*data = p;
	*cap = new_cap;
	return 0;
}
