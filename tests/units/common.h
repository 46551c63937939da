/* Types shared by the units of tests/run-dwz-multifile.sh (dwz moves their
 * DIEs into partial units, with -m into the supplementary file) and of
 * tests/run-lto.sh (ThinLTO refers to them across units). */
#ifndef UNITS_COMMON_H
#define UNITS_COMMON_H

typedef unsigned long long u64;
typedef unsigned int u32;

enum shape_kind { SHAPE_NONE, SHAPE_CIRCLE, SHAPE_RECT = 7, SHAPE_LAST };

struct list_node {
	struct list_node *next, *prev;
};

union value {
	u64 u;
	long s;
	double d;
	const char *str;
	unsigned char bytes[8];
};

struct shape;
typedef int (*shape_cb)(const struct shape *s, void *arg);

struct shape_ops {
	shape_cb area;
	void (*free)(struct shape *s);
	const char *(*name)(enum shape_kind k);
};

struct shape {
	struct list_node link;
	enum shape_kind kind;
	u32 flags : 3, refs : 29;
	union value tag;
	const struct shape_ops *ops;
	struct shape *parent;
	volatile int busy;
	char label[16];
};

typedef struct shape shape_t;

struct registry {
	struct list_node head;
	shape_t *first;
	u64 count;
	int (*visit[4])(shape_t *, union value *);
};

int registry_add(struct registry *r, shape_t *s);
#endif
