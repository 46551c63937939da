#include "common.h"

struct group {
	struct registry reg;
	struct group *parent;
	union value *values;
	shape_cb cb;
};

struct group root_group;

u64 group_count(const struct group *g)
{
	return g->reg.count + (g->parent ? group_count(g->parent) : 0);
}

int group_each(struct group *g, void *arg)
{
	shape_t *s;
	int n = 0;

	for (s = g->reg.first; s; s = s->parent)
		n += g->cb(s, arg);
	return n;
}
