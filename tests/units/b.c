#include "common.h"

struct rect {
	shape_t base;
	u32 w, h;
	enum { RECT_PLAIN, RECT_ROUNDED } style;
};

static int rect_area(const struct shape *s, void *arg)
{
	const struct rect *r = (const struct rect *)s;

	*(u64 *)arg = (u64)r->w * r->h;
	return s->kind == SHAPE_RECT;
}

const struct shape_ops rect_ops = { .area = rect_area };
struct rect unit_rect = { .base.kind = SHAPE_RECT, .w = 1, .h = 1 };

int rect_visit(struct registry *reg, union value *v)
{
	return reg->visit[0] ? reg->visit[0](reg->first, v) : 0;
}
