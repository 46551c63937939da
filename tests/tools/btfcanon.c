/*
 * btfcanon - print a BTF file as a sorted list of type descriptions that do
 * not depend on type IDs.
 *
 * Two encoders that emit the same types in a different order give different
 * IDs, so neither a byte comparison nor a raw dump can tell whether they
 * agree.  Here every type becomes one line; references to named types are
 * printed as "kind name" (which also stops cycles), anonymous types are
 * expanded in place.  Sorting the lines makes the output a multiset, so
 *
 *	diff <(btfcanon a.btf) <(btfcanon b.btf)
 *
 * is empty exactly when both files describe the same types (up to
 * same-named types that differ only in what is behind their names, which
 * show up on their own lines instead).
 *
 * Usage: btfcanon [--base FILE] [--split-only] [--kinds LIST] [--counts]
 *                 [--repeats] FILE
 *
 * Reading is done by libbpf, an independent reader of what btfenc writes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

/* Deep enough for any real chain of anonymous types, small enough to stop
 * a malformed file that loops through anonymous types only. */
#define MAX_DEPTH 64

#define NR_KINDS (BTF_KIND_ENUM64 + 1)

static const char *const kind_upper[NR_KINDS] = {
	[BTF_KIND_UNKN] = "UNKN",	[BTF_KIND_INT] = "INT",
	[BTF_KIND_PTR] = "PTR",		[BTF_KIND_ARRAY] = "ARRAY",
	[BTF_KIND_STRUCT] = "STRUCT",	[BTF_KIND_UNION] = "UNION",
	[BTF_KIND_ENUM] = "ENUM",	[BTF_KIND_FWD] = "FWD",
	[BTF_KIND_TYPEDEF] = "TYPEDEF",	[BTF_KIND_VOLATILE] = "VOLATILE",
	[BTF_KIND_CONST] = "CONST",	[BTF_KIND_RESTRICT] = "RESTRICT",
	[BTF_KIND_FUNC] = "FUNC",	[BTF_KIND_FUNC_PROTO] = "FUNC_PROTO",
	[BTF_KIND_VAR] = "VAR",		[BTF_KIND_DATASEC] = "DATASEC",
	[BTF_KIND_FLOAT] = "FLOAT",	[BTF_KIND_DECL_TAG] = "DECL_TAG",
	[BTF_KIND_TYPE_TAG] = "TYPE_TAG", [BTF_KIND_ENUM64] = "ENUM64",
};

static const char *const kind_lower[NR_KINDS] = {
	[BTF_KIND_UNKN] = "unkn",	[BTF_KIND_INT] = "int",
	[BTF_KIND_PTR] = "ptr",		[BTF_KIND_ARRAY] = "array",
	[BTF_KIND_STRUCT] = "struct",	[BTF_KIND_UNION] = "union",
	[BTF_KIND_ENUM] = "enum",	[BTF_KIND_FWD] = "fwd",
	[BTF_KIND_TYPEDEF] = "typedef",	[BTF_KIND_VOLATILE] = "volatile",
	[BTF_KIND_CONST] = "const",	[BTF_KIND_RESTRICT] = "restrict",
	[BTF_KIND_FUNC] = "func",	[BTF_KIND_FUNC_PROTO] = "func_proto",
	[BTF_KIND_VAR] = "var",		[BTF_KIND_DATASEC] = "datasec",
	[BTF_KIND_FLOAT] = "float",	[BTF_KIND_DECL_TAG] = "decl_tag",
	[BTF_KIND_TYPE_TAG] = "type_tag", [BTF_KIND_ENUM64] = "enum64",
};

/* A growable string; the first allocation failure sticks in err. */
struct sbuf {
	char *s;
	size_t len;
	size_t cap;
	int err;
};

struct canon {
	const struct btf *btf;
	struct sbuf sb;
};

struct opts {
	const char *base;
	const char *file;
	unsigned int kinds;	/* bit per kind that gets top-level lines */
	bool split_only;
	bool counts;
	bool repeats;		/* only split types whose record is a base one's */
	const bool *repeat;	/* by type ID - the base's count */
};

static int sb_grow(struct sbuf *sb, size_t need)
{
	size_t cap = sb->cap ? sb->cap : 256;
	char *s;

	while (cap < need)
		cap *= 2;
	s = realloc(sb->s, cap);
	if (!s)
		return -ENOMEM;
	sb->s = s;
	sb->cap = cap;
	return 0;
}

static void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb->err)
		return;
	/* no arithmetic on a NULL buffer, even of zero */
	if (!sb->s && (sb->err = sb_grow(sb, 256)))
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->s + sb->len, sb->cap - sb->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->err = -EINVAL;
		return;
	}
	if (sb->len + n >= sb->cap) {
		sb->err = sb_grow(sb, sb->len + n + 1);
		if (sb->err)
			return;
		va_start(ap, fmt);
		vsnprintf(sb->s + sb->len, sb->cap - sb->len, fmt, ap);
		va_end(ap);
	}
	sb->len += n;
}

static int type_kind(const struct btf_type *t)
{
	int kind = btf_kind(t);

	return kind < NR_KINDS ? kind : BTF_KIND_UNKN;
}

/* Kinds whose name identifies them: printed by name when referenced. */
static bool ref_by_name(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF:
	case BTF_KIND_INT: case BTF_KIND_FLOAT: case BTF_KIND_FUNC:
	case BTF_KIND_VAR: case BTF_KIND_DATASEC:
		return t->name_off != 0;
	default:
		return false;
	}
}

/* Base type names hold spaces ("long unsigned int") and tag names are free
 * text, so quote them to keep the line readable. */
static bool quote_name(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_FLOAT:
	case BTF_KIND_DECL_TAG: case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

static const char *str_at(struct canon *c, __u32 off)
{
	const char *s = btf__str_by_offset(c->btf, off);

	return s ? s : "<bad-string>";
}

/* "KIND name" or "kind name"; a FWD also says what it stands for. */
static void put_head(struct canon *c, const struct btf_type *t,
		     const char *const *names)
{
	sb_printf(&c->sb, "%s", names[type_kind(t)]);
	if (btf_is_fwd(t))
		sb_printf(&c->sb, " %s", btf_kflag(t) ? "union" : "struct");
	/* a TYPE_TAG with kind_flag set is an attribute (address_space(1)) */
	if (type_kind(t) == BTF_KIND_TYPE_TAG && btf_kflag(t))
		sb_printf(&c->sb, " attr");
	if (!t->name_off)
		return;
	if (quote_name(t))
		sb_printf(&c->sb, " '%s'", str_at(c, t->name_off));
	else
		sb_printf(&c->sb, " %s", str_at(c, t->name_off));
}

static void put_body(struct canon *c, const struct btf_type *t, int depth);

static void put_ref(struct canon *c, __u32 id, int depth)
{
	const struct btf_type *t;

	if (depth > MAX_DEPTH) {
		sb_printf(&c->sb, "...");
		return;
	}
	if (!id) {
		sb_printf(&c->sb, "void");
		return;
	}
	t = btf__type_by_id(c->btf, id);
	if (!t) {
		sb_printf(&c->sb, "<bad-id>");
		return;
	}
	put_head(c, t, kind_lower);
	if (!ref_by_name(t))
		put_body(c, t, depth + 1);
}

static void put_int(struct canon *c, const struct btf_type *t)
{
	__u8 enc = btf_int_encoding(t);

	sb_printf(&c->sb, " size=%u bits=%u off=%u enc=%s%s%s%s", t->size,
		  btf_int_bits(t), btf_int_offset(t),
		  enc & BTF_INT_SIGNED ? "s" : "", enc & BTF_INT_CHAR ? "c" : "",
		  enc & BTF_INT_BOOL ? "b" : "", enc ? "" : "-");
	if (enc & ~(BTF_INT_SIGNED | BTF_INT_CHAR | BTF_INT_BOOL))
		sb_printf(&c->sb, "(%#x)", enc);
}

static void put_members(struct canon *c, const struct btf_type *t, int depth)
{
	const struct btf_member *m = btf_members(t);
	__u16 i, n = btf_vlen(t);

	sb_printf(&c->sb, " size=%u {", t->size);
	for (i = 0; i < n; i++, m++) {
		sb_printf(&c->sb, "%s%s:", i ? "; " : "", str_at(c, m->name_off));
		put_ref(c, m->type, depth);
		sb_printf(&c->sb, " @%u", btf_member_bit_offset(t, i));
		if (btf_member_bitfield_size(t, i))
			sb_printf(&c->sb, ":%u", btf_member_bitfield_size(t, i));
	}
	sb_printf(&c->sb, "}");
}

/* kind_flag says whether values are signed; print them the way it says. */
static void put_enum(struct canon *c, const struct btf_type *t)
{
	const struct btf_enum *e = btf_enum(t);
	bool sgn = btf_kflag(t);
	__u16 i, n = btf_vlen(t);

	sb_printf(&c->sb, " size=%u %s {", t->size, sgn ? "signed" : "unsigned");
	for (i = 0; i < n; i++, e++) {
		sb_printf(&c->sb, "%s%s=", i ? "; " : "", str_at(c, e->name_off));
		if (sgn)
			sb_printf(&c->sb, "%d", e->val);
		else
			sb_printf(&c->sb, "%u", (__u32)e->val);
	}
	sb_printf(&c->sb, "}");
}

static void put_enum64(struct canon *c, const struct btf_type *t)
{
	const struct btf_enum64 *e = btf_enum64(t);
	bool sgn = btf_kflag(t);
	__u16 i, n = btf_vlen(t);
	__u64 v;

	sb_printf(&c->sb, " size=%u %s {", t->size, sgn ? "signed" : "unsigned");
	for (i = 0; i < n; i++, e++) {
		v = btf_enum64_value(e);
		sb_printf(&c->sb, "%s%s=", i ? "; " : "", str_at(c, e->name_off));
		if (sgn)
			sb_printf(&c->sb, "%lld", (long long)v);
		else
			sb_printf(&c->sb, "%llu", (unsigned long long)v);
	}
	sb_printf(&c->sb, "}");
}

static void put_array(struct canon *c, const struct btf_type *t, int depth)
{
	const struct btf_array *a = btf_array(t);

	sb_printf(&c->sb, " [%u] idx=", a->nelems);
	put_ref(c, a->index_type, depth);
	sb_printf(&c->sb, " -> ");
	put_ref(c, a->type, depth);
}

/* A last parameter with neither name nor type is C's "...". */
static void put_proto(struct canon *c, const struct btf_type *t, int depth)
{
	const struct btf_param *p = btf_params(t);
	__u16 i, n = btf_vlen(t);

	sb_printf(&c->sb, " (");
	for (i = 0; i < n; i++, p++) {
		sb_printf(&c->sb, "%s", i ? ", " : "");
		if (i == n - 1 && !p->name_off && !p->type) {
			sb_printf(&c->sb, "...");
			continue;
		}
		sb_printf(&c->sb, "%s:", str_at(c, p->name_off));
		put_ref(c, p->type, depth);
	}
	sb_printf(&c->sb, ") -> ");
	put_ref(c, t->type, depth);
}

static const char *linkage_str(unsigned int linkage)
{
	switch (linkage) {
	case 0:
		return "static";
	case 1:
		return "global";
	case 2:
		return "extern";
	default:
		return "unknown";
	}
}

static void put_linkage(struct canon *c, unsigned int linkage)
{
	sb_printf(&c->sb, " linkage=%s", linkage_str(linkage));
	if (linkage > 2)
		sb_printf(&c->sb, "(%u)", linkage);
}

static void put_datasec(struct canon *c, const struct btf_type *t, int depth)
{
	const struct btf_var_secinfo *v = btf_var_secinfos(t);
	__u16 i, n = btf_vlen(t);

	sb_printf(&c->sb, " size=%u {", t->size);
	for (i = 0; i < n; i++, v++) {
		sb_printf(&c->sb, "%s", i ? "; " : "");
		put_ref(c, v->type, depth);
		sb_printf(&c->sb, " @%u size=%u", v->offset, v->size);
	}
	sb_printf(&c->sb, "}");
}

static void put_target(struct canon *c, const struct btf_type *t, int depth)
{
	sb_printf(&c->sb, " -> ");
	put_ref(c, t->type, depth);
}

/* Everything about a type except its kind and name, each part led by a
 * space so that a type with nothing more to say ends cleanly. */
static void put_body(struct canon *c, const struct btf_type *t, int depth)
{
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		put_int(c, t);
		break;
	case BTF_KIND_PTR: case BTF_KIND_CONST: case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT: case BTF_KIND_TYPEDEF: case BTF_KIND_TYPE_TAG:
		put_target(c, t, depth);
		break;
	case BTF_KIND_ARRAY:
		put_array(c, t, depth);
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		put_members(c, t, depth);
		break;
	case BTF_KIND_ENUM:
		put_enum(c, t);
		break;
	case BTF_KIND_ENUM64:
		put_enum64(c, t);
		break;
	case BTF_KIND_FWD:
		break;
	case BTF_KIND_FUNC:
		put_linkage(c, btf_vlen(t));
		put_target(c, t, depth);
		break;
	case BTF_KIND_FUNC_PROTO:
		put_proto(c, t, depth);
		break;
	case BTF_KIND_VAR:
		put_linkage(c, btf_var(t)->linkage);
		put_target(c, t, depth);
		break;
	case BTF_KIND_DATASEC:
		put_datasec(c, t, depth);
		break;
	case BTF_KIND_FLOAT:
		sb_printf(&c->sb, " size=%u", t->size);
		break;
	case BTF_KIND_DECL_TAG:
		sb_printf(&c->sb, " idx=%d", btf_decl_tag(t)->component_idx);
		put_target(c, t, depth);
		break;
	default:
		sb_printf(&c->sb, " info=%#x size=%u", t->info, t->size);
		break;
	}
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool wanted(const struct opts *o, const struct btf_type *t)
{
	return o->kinds & (1u << type_kind(t));
}

/* Build the line of every selected type, sort them, print them. */
static int print_lines(const struct btf *btf, __u32 start, const struct opts *o)
{
	struct canon c = { .btf = btf };
	__u32 id, n = 0, cnt = btf__type_cnt(btf);
	char **lines;
	int err = 0;

	lines = calloc(cnt, sizeof(*lines));
	if (!lines)
		return -ENOMEM;
	for (id = start; id < cnt && !err; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!wanted(o, t) ||
		    (o->repeat && (id < start || !o->repeat[id - start])))
			continue;
		c.sb.len = 0;
		put_head(&c, t, kind_upper);
		put_body(&c, t, 0);
		err = c.sb.err;
		if (!err && !(lines[n++] = strndup(c.sb.s, c.sb.len)))
			err = -ENOMEM;
	}
	if (!err) {
		qsort(lines, n, sizeof(*lines), cmp_lines);
		for (id = 0; id < n; id++)
			puts(lines[id]);
	}
	for (id = 0; id < n; id++)
		free(lines[id]);
	free(lines);
	free(c.sb.s);
	return err;
}

static int cmp_kind_names(const void *a, const void *b)
{
	return strcmp(kind_upper[*(const int *)a], kind_upper[*(const int *)b]);
}

/* Kinds in strcmp order of their names, like the lines. */
static int print_counts(const struct btf *btf, __u32 start, const struct opts *o)
{
	__u32 id, cnt = btf__type_cnt(btf), counts[NR_KINDS] = { 0 };
	int k, order[NR_KINDS];

	for (id = start; id < cnt; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (wanted(o, t))
			counts[type_kind(t)]++;
	}
	for (k = 0; k < NR_KINDS; k++)
		order[k] = k;
	qsort(order, NR_KINDS, sizeof(*order), cmp_kind_names);
	for (k = 0; k < NR_KINDS; k++)
		if (counts[order[k]])
			printf("%s %u\n", kind_upper[order[k]], counts[order[k]]);
	return 0;
}

static int parse_kinds(const char *list, unsigned int *mask)
{
	char *dup = strdup(list), *tok, *save = NULL;
	int k, err = 0;

	if (!dup)
		return -ENOMEM;
	*mask = 0;
	for (tok = strtok_r(dup, ",", &save); tok && !err;
	     tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < NR_KINDS; k++)
			if (!strcasecmp(tok, kind_upper[k]))
				break;
		if (k == NR_KINDS) {
			fprintf(stderr, "btfcanon: --kinds: unknown kind '%s'\n", tok);
			err = -EINVAL;
		}
		*mask |= 1u << k;
	}
	free(dup);
	return err;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: btfcanon [--base FILE] [--split-only] [--kinds LIST] [--counts] FILE\n"
		"  Print every type of FILE (raw BTF or ELF with .BTF) as one line,\n"
		"  sorted, without type IDs.\n"
		"  --base FILE   FILE is split BTF on top of this base\n"
		"  --split-only  only the types of the split part\n"
		"  --kinds LIST  only these kinds get lines, e.g. STRUCT,UNION\n"
		"  --counts      print 'KIND count' per kind instead\n"
		"  --repeats     with --base: only the split's types whose record,\n"
		"                names compared as strings, is a base type's\n");
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "kinds", required_argument, NULL, 'k' },
		{ "split-only", no_argument, NULL, 's' },
		{ "counts", no_argument, NULL, 'c' },
		{ "repeats", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	o->kinds = ~0u;
	while ((opt = getopt_long(argc, argv, "b:k:schr", longopts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			o->base = optarg;
			break;
		case 'k':
			if (parse_kinds(optarg, &o->kinds))
				return -EINVAL;
			break;
		case 's':
			o->split_only = true;
			break;
		case 'c':
			o->counts = true;
			break;
		case 'r':
			o->repeats = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return -EINVAL;
		}
	}
	if (optind != argc - 1 || (o->repeats && !o->base))
		return -EINVAL;
	o->file = argv[optind];
	return 0;
}

/*
 * --repeats: a split type repeats a base type when its record is the base
 * record, names compared as strings and its referents mapped: a type
 * found to repeat one stands for it, so what refers to it can repeat
 * another.  Rounds go on until one finds nothing new.
 */
struct rec_key {
	__u64 hash;
	__u32 id;
};

struct repeats {
	const struct btf *btf;
	__u32 start;
	__u32 *to_base;		/* by split ID - start: the base type, or 0 */
};

static __u64 fnv(__u64 h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}

/* Word @i of record @t after its header: 's' a string, 't' a type, or 0 */
static char word_class(const struct btf_type *t, size_t i)
{
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return i % 3 == 0 ? 's' : i % 3 == 1 ? 't' : 0;
	case BTF_KIND_ENUM64:
		return i % 3 == 0 ? 's' : 0;
	case BTF_KIND_ENUM:
		return i % 2 == 0 ? 's' : 0;
	case BTF_KIND_FUNC_PROTO:
		return i % 2 == 0 ? 's' : 't';
	case BTF_KIND_ARRAY:
		return i < 2 ? 't' : 0;
	default:
		return 0;
	}
}

static size_t rec_words(const struct btf_type *t)
{
	__u16 n = btf_vlen(t);

	switch (btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_DECL_TAG:
		return 1;
	case BTF_KIND_ARRAY:
		return 3;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_ENUM64:
		return 3 * n;
	case BTF_KIND_ENUM: case BTF_KIND_FUNC_PROTO:
		return 2 * n;
	default:
		return 0;
	}
}

/* Whether the header's third word is a type (else a size) */
static bool head_is_type(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_FUNC:
	case BTF_KIND_FUNC_PROTO: case BTF_KIND_DECL_TAG: case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

static __u32 map_id(const struct repeats *r, __u32 id)
{
	return id >= r->start && r->to_base[id - r->start] ?
	       r->to_base[id - r->start] : id;
}

/* Word @i of @t as compared: a string's hash, a type mapped, else itself */
static __u64 word_of(const struct repeats *r, const struct btf_type *t,
		     size_t i)
{
	const __u32 *w = (const __u32 *)(t + 1);
	const char *s;

	switch (word_class(t, i)) {
	case 's':
		s = btf__str_by_offset(r->btf, w[i]);
		return fnv(0xcbf29ce484222325ull, s ? s : "", s ? strlen(s) : 0);
	case 't':
		return map_id(r, w[i]);
	default:
		return w[i];
	}
}

static __u64 rec_hash(const struct repeats *r, const struct btf_type *t)
{
	const char *s = btf__str_by_offset(r->btf, t->name_off);
	__u64 h = 0xcbf29ce484222325ull, v;
	size_t i, n = rec_words(t);

	h = fnv(h, &t->info, 4);
	v = head_is_type(t) ? map_id(r, t->type) : t->size;
	h = fnv(h, &v, 8);
	h = fnv(h, s ? s : "", s ? strlen(s) + 1 : 1);
	for (i = 0; i < n; i++) {
		v = word_of(r, t, i);
		h = fnv(h, &v, 8);
	}
	return h;
}

static bool rec_equal(const struct repeats *r, const struct btf_type *a,
		      const struct btf_type *b)
{
	size_t i, n = rec_words(a);

	if (a->info != b->info ||
	    (head_is_type(a) ? map_id(r, a->type) != b->type : a->size != b->size) ||
	    strcmp(btf__name_by_offset(r->btf, a->name_off),
		   btf__name_by_offset(r->btf, b->name_off)))
		return false;
	for (i = 0; i < n; i++)
		if (word_of(r, a, i) != word_of(r, b, i))
			return false;
	return true;
}

static int key_cmp(const void *pa, const void *pb)
{
	const struct rec_key *a = pa, *b = pb;

	return a->hash < b->hash ? -1 : a->hash > b->hash ? 1 :
	       a->id < b->id ? -1 : a->id > b->id;
}

/* The first base type with split type @id's record, or 0 */
static __u32 repeat_of(const struct repeats *r, const struct rec_key *keys,
		       __u32 id)
{
	const struct btf_type *t = btf__type_by_id(r->btf, id);
	struct rec_key k = { rec_hash(r, t), 0 };
	size_t lo = 0, hi = r->start - 1, mid;

	if (btf_is_var(t) || btf_is_datasec(t))
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (key_cmp(&keys[mid], &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < r->start - 1 && keys[lo].hash == k.hash; lo++)
		if (rec_equal(r, t, btf__type_by_id(r->btf, keys[lo].id)))
			return keys[lo].id;
	return 0;
}

/* For each split type, whether it repeats a base type; NULL: no memory */
static bool *find_repeats(const struct btf *btf, __u32 start)
{
	struct repeats r = { btf, start, NULL };
	__u32 id, cnt = btf__type_cnt(btf), found;
	struct rec_key *keys = calloc(start, sizeof(*keys));
	bool *rep = calloc(cnt - start + 1, sizeof(*rep));

	r.to_base = calloc(cnt - start + 1, sizeof(*r.to_base));
	if (!keys || !rep || !r.to_base) {
		free(keys);
		free(rep);
		free(r.to_base);
		return NULL;
	}
	for (id = 1; id < start; id++)
		keys[id - 1] = (struct rec_key){
			rec_hash(&r, btf__type_by_id(btf, id)), id };
	qsort(keys, start - 1, sizeof(*keys), key_cmp);
	do {
		found = 0;
		for (id = start; id < cnt; id++) {
			if (r.to_base[id - start])
				continue;
			r.to_base[id - start] = repeat_of(&r, keys, id);
			found += r.to_base[id - start] != 0;
		}
	} while (found);
	for (id = start; id < cnt; id++)
		rep[id - start] = r.to_base[id - start] != 0;
	free(keys);
	free(r.to_base);
	return rep;
}

static struct btf *open_btf(const char *path, struct btf *base)
{
	struct btf *btf = base ? btf__parse_split(path, base) : btf__parse(path, NULL);

	if (!btf)
		fprintf(stderr, "btfcanon: %s: cannot read BTF: %s\n", path,
			strerror(errno));
	return btf;
}

int main(int argc, char **argv)
{
	struct btf *base = NULL, *btf = NULL;
	struct opts o = { 0 };
	__u32 start = 1;
	int err;

	if (parse_args(argc, argv, &o)) {
		usage(stderr);
		return 2;
	}
	if (o.base && !(base = open_btf(o.base, NULL)))
		return 1;
	btf = open_btf(o.file, base);
	if (!btf) {
		btf__free(base);
		return 1;
	}
	if (o.split_only && base)
		start = btf__type_cnt(base);
	if (o.repeats) {
		start = btf__type_cnt(base);
		o.repeat = find_repeats(btf, start);
		if (!o.repeat) {
			fprintf(stderr, "btfcanon: out of memory\n");
			return 1;
		}
	}
	err = o.counts ? print_counts(btf, start, &o) : print_lines(btf, start, &o);
	if (err)
		fprintf(stderr, "btfcanon: %s: %s\n", o.file, strerror(-err));
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "btfcanon: write error: %s\n", strerror(errno));
		err = -EIO;
	}
	btf__free(btf);
	btf__free(base);
	return err ? 1 : 0;
}
