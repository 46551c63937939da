/* The program of tests/run-lto.sh: calls into a.c and b.c, which ThinLTO
 * imports and inlines here, so this unit's DWARF refers to DIEs of theirs
 * (DW_FORM_ref_addr). */
#include "common.h"

int rect_visit(struct registry *reg, union value *v);
int chain_last(int n);

struct registry reg;
shape_t shapes[4];

int main(int argc, char **argv)
{
	union value v = { .s = argc };
	int i, n = 0;

	for (i = 0; i < argc && i < 4; i++)
		n += registry_add(&reg, &shapes[i]);
	(void)argv;
	return rect_visit(&reg, &v) + n + chain_last(argc);
}
