/*
 * corecheck - print what libbpf's CO-RE relocation makes of a BPF object
 * against a given target BTF, in a form that does not depend on the
 * target's type IDs, so that two target BTFs can be compared: the whole
 * kernel BTF and a minimized one must give the same output.
 *
 * Usage: corecheck [--base BASE] OBJ BTF          relocation outcomes
 *        corecheck --load [--base BASE] OBJ BTF   which programs load
 *
 * With --base, BTF is split BTF on BASE (a module on its vmlinux): the two
 * are joined into one standalone BTF (base types keep their IDs, split
 * types follow at the IDs they have) in a temporary file, since libbpf
 * takes no split BTF as btf_custom_path.
 *
 * The first form opens OBJ with bpf_object_open_opts.btf_custom_path = BTF,
 * marks every program for loading (relocations of programs that are not
 * loaded are skipped by libbpf) and calls bpf_object__load().  libbpf
 * relocates every program before it loads any, and keeps the relocated
 * instructions when a program is then rejected, so the result does not
 * depend on the verifier; it needs bpf() only because maps are created
 * first.  Printed, in libbpf's order:
 *   - libbpf's debug lines about CO-RE: the local spec of each relocation,
 *     each matching candidate, "no matching targets", the patched or
 *     poisoned instructions, and any warning naming a relocation.  Target
 *     type IDs are replaced by "[]", candidate numbers and the target's
 *     raw access indexes dropped, and a target type ID patched into an
 *     instruction (TYPE_ID_TARGET) printed as the kind and name of the type
 *     it names in BTF; lines listing candidates found and non-matching
 *     candidates are left out, since a minimized BTF has fewer;
 *   - "load: ok" or "load: failed";
 *   - every instruction of every program after relocation, with map file
 *     descriptors blanked and TYPE_ID_TARGET immediates (at the
 *     instructions the log names) shown as above.
 * The second form loads one program at a time (only it marked for
 * loading) and prints "PROG: loaded" or "PROG: rejected".
 *
 * Exit status: 0 done, 1 OBJ or BTF unreadable, 2 usage, 77 when bpf() is
 * refused (tests are skipped, not failed, where BPF is not allowed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define EXIT_SKIP 77
#define MAX_IDS 4096

/* The captured debug output, one line at a time */
static char *log_buf;
static size_t log_len, log_cap;

/* Instructions where TYPE_ID_TARGET relocations patched a type ID in */
struct patched_id {
	char prog[128];
	int insn;
	unsigned long long id;
};
static struct patched_id patched[MAX_IDS];
static int nr_patched;

/* Each program's own instruction count, before subprograms are added */
struct prog_size {
	char name[128];
	size_t cnt;
};
static struct prog_size sizes[MAX_IDS];
static int nr_sizes;

static const struct btf *target_btf;

static const char *const kind_names[] = {
	"UNKN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD",
	"TYPEDEF", "VOLATILE", "CONST", "RESTRICT", "FUNC", "FUNC_PROTO", "VAR",
	"DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64",
};

static int capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *line;
	int n;

	n = vasprintf(&line, fmt, ap);
	if (n < 0)
		return 0;
	if (log_len + n + 1 > log_cap) {
		size_t cap = (log_len + n + 1) * 2;
		char *p = realloc(log_buf, cap);

		if (!p) {
			free(line);
			return 0;
		}
		log_buf = p;
		log_cap = cap;
	}
	memcpy(log_buf + log_len, line, n + 1);
	log_len += n;
	free(line);
	return 0;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static const char *type_text(unsigned long long id, char *buf, size_t len)
{
	const struct btf_type *t = id <= 0xffffffffull ?
		btf__type_by_id(target_btf, id) : NULL;
	const char *name;

	if (!t) {
		snprintf(buf, len, "<no type %llu>", id);
		return buf;
	}
	name = btf__name_by_offset(target_btf, t->name_off);
	snprintf(buf, len, "%s %s",
		 btf_kind(t) < sizeof(kind_names) / sizeof(kind_names[0]) ?
		 kind_names[btf_kind(t)] : "UNKN", name && *name ? name : "(anon)");
	return buf;
}

/* "prog 'P': relo #N: patched insn #K (...) ... -> 1234": name the type */
static void print_patched_target(const char *line)
{
	const char *arrow = strstr(line, " -> ");
	const char *insn = strstr(line, "patched insn #");
	struct patched_id *p = &patched[nr_patched];
	unsigned long long id;
	char buf[256];

	if (!arrow || !insn || sscanf(arrow + 4, "%llu", &id) != 1 ||
	    sscanf(insn, "patched insn #%d", &p->insn) != 1 ||
	    sscanf(line, "prog '%127[^']'", p->prog) != 1) {
		printf("%s\n", line);
		return;
	}
	p->id = id;
	if (nr_patched < MAX_IDS - 1)
		nr_patched++;
	printf("%.*s -> typeid(%s)\n", (int)(arrow - line), line,
	       type_text(id, buf, sizeof(buf)));
}

/* "[1234] " right after "<kind> ": the target's ID, which differs */
static void strip_first_id(char *s)
{
	char *p = strstr(s, "> [");
	char *q;

	if (!p)
		return;
	p += 3;
	q = p;
	while (*q >= '0' && *q <= '9')
		q++;
	if (*q == ']')
		memmove(p, q, strlen(q) + 1);
}

/* " (0:12:3 @ offset 8)" -> " (@ offset 8)": raw indexes differ */
static void strip_raw_spec(char *s)
{
	char *p = strrchr(s, '(');
	char *at;

	if (!p || !(at = strstr(p, " @ ")))
		return;
	memmove(p + 1, at + 1, strlen(at + 1) + 1);
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static char prev_cand[4096];

/* One line of the debug output: print it normalized, or drop it */
static void filter_line(char *line, bool *is_target_id)
{
	char *relo, *rest;

	if (starts(line, "libbpf: "))
		line += strlen("libbpf: ");
	relo = strstr(line, "relo #");

	if (strstr(line, "CO-RE relocating") || strstr(line, "non-matching candidate"))
		return;
	if (starts(line, "sec '") && strstr(line, "CO-RE relocations")) {
		printf("%s\n", line);
		return;
	}
	if (!relo)
		return;
	rest = strchr(relo, ':');
	if (!rest)
		return;
	rest += 2;
	if (starts(rest, "matching candidate #")) {
		char *sp = strchr(rest + strlen("matching candidate #"), ' ');

		if (!sp)
			return;
		memmove(rest + strlen("matching candidate"), sp, strlen(sp) + 1);
		strip_first_id(line);
		strip_raw_spec(line);
		if (!strcmp(line, prev_cand))
			return;	/* equal candidates, folded in a minimized BTF */
		snprintf(prev_cand, sizeof(prev_cand), "%s", line);
		printf("%s\n", line);
		return;
	}
	prev_cand[0] = 0;
	if (rest[0] == '<') {
		/* the local spec: starts the handling of a relocation */
		*is_target_id = starts(rest, "<target_type_id>");
		printf("%s\n", line);
		return;
	}
	if (*is_target_id && starts(rest, "patched insn")) {
		print_patched_target(line);
		return;
	}
	strip_first_id(line);
	printf("%s\n", line);
}

static void print_log(void)
{
	bool is_target_id = false;
	char *line = log_buf, *nl;

	if (!log_buf)
		return;
	while (*line) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		filter_line(line, &is_target_id);
		if (!nl)
			break;
		line = nl + 1;
	}
}

static size_t own_size(const char *prog)
{
	int i;

	for (i = 0; i < nr_sizes; i++)
		if (!strcmp(sizes[i].name, prog))
			return sizes[i].cnt;
	return 0;
}

/*
 * Did a TYPE_ID_TARGET relocation patch instruction @i of @prog?  In the
 * program's own code the log names the instruction; past it (appended
 * subprograms, which the log names by their own names and offsets) the
 * patched value is what tells.
 */
static bool is_patched_id(const char *prog, size_t i, unsigned long long v)
{
	bool own = i < own_size(prog);
	int k;

	for (k = 0; k < nr_patched; k++) {
		if (own && !strcmp(patched[k].prog, prog) &&
		    (size_t)patched[k].insn == i)
			return true;
		if (!own && own_size(patched[k].prog) == 0 && patched[k].id == v)
			return true;
	}
	return false;
}

static void print_insns(const struct bpf_program *prog)
{
	const struct bpf_insn *in = bpf_program__insns(prog);
	size_t i, n = bpf_program__insn_cnt(prog);
	char buf[256];

	printf("prog %s (%s): %zu insns\n", bpf_program__name(prog),
	       bpf_program__section_name(prog), n);
	for (i = 0; i < n; i++) {
		struct bpf_insn x = in[i];

		if (x.code == (BPF_LD | BPF_IMM | BPF_DW) && i + 1 < n) {
			unsigned long long v = (unsigned int)x.imm |
				(unsigned long long)(unsigned int)in[i + 1].imm << 32;

			if (x.src_reg == BPF_PSEUDO_MAP_FD ||
			    x.src_reg == BPF_PSEUDO_MAP_VALUE)
				x.imm = 0;
			else if (!x.src_reg &&
				 is_patched_id(bpf_program__name(prog), i, v)) {
				printf("%5zu: ldimm64 r%u typeid(%s)\n", i, x.dst_reg,
				       type_text(v, buf, sizeof(buf)));
				i++;
				continue;
			}
		}
		if ((BPF_CLASS(x.code) == BPF_ALU || BPF_CLASS(x.code) == BPF_ALU64) &&
		    BPF_SRC(x.code) == BPF_K &&
		    is_patched_id(bpf_program__name(prog), i, (unsigned int)x.imm)) {
			printf("%5zu: %02x r%u typeid(%s)\n", i, x.code, x.dst_reg,
			       type_text((unsigned int)x.imm, buf, sizeof(buf)));
			continue;
		}
		printf("%5zu: %02x %u %u %d %d\n", i, x.code, x.dst_reg,
		       x.src_reg, x.off, x.imm);
	}
}

static bool is_refused(int err)
{
	return err == -EPERM || err == -EACCES || err == -ENOSYS;
}

static struct bpf_object *open_obj(const char *obj_path, const char *btf_path)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf_path);
	struct bpf_object *obj = bpf_object__open_file(obj_path, &opts);

	if (!obj)
		fprintf(stderr, "corecheck: %s: cannot open: %s\n", obj_path,
			strerror(errno));
	return obj;
}

/* Map creation comes before relocation: without bpf() there is nothing */
static int probe_bpf(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);

	if (fd < 0 && is_refused(-errno)) {
		fprintf(stderr, "corecheck: SKIP: bpf() refused: %s\n",
			strerror(errno));
		return EXIT_SKIP;
	}
	if (fd >= 0)
		close(fd);
	return 0;
}

/*
 * Maps come first in bpf_object__load(); some need sizes that their tool
 * sets at run time.  Give those one entry (and stack maps room for 127
 * frames, as the tools use); with @create false, create no
 * map at all (map references are then poisoned, CO-RE relocation is not
 * affected).
 */
static void setup_maps(struct bpf_object *obj, bool create)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		if (!bpf_map__max_entries(map))
			bpf_map__set_max_entries(map, 1);
		if (bpf_map__type(map) == BPF_MAP_TYPE_STACK_TRACE &&
		    !bpf_map__value_size(map))
			bpf_map__set_value_size(map, 127 * sizeof(__u64));
		if (!create)
			bpf_map__set_autocreate(map, false);
	}
}

/* Load with every program marked; the log and the result stay captured */
static int try_load(const char *obj_path, const char *btf_path, bool maps,
		    struct bpf_object **out)
{
	struct bpf_object *obj = open_obj(obj_path, btf_path);
	struct bpf_program *prog;
	int err;

	if (!obj)
		return -EINVAL;
	nr_sizes = 0;
	nr_patched = 0;
	bpf_object__for_each_program(prog, obj) {
		bpf_program__set_autoload(prog, true);
		if (nr_sizes < MAX_IDS) {
			snprintf(sizes[nr_sizes].name, sizeof(sizes[0].name), "%s",
				 bpf_program__name(prog));
			sizes[nr_sizes++].cnt = bpf_program__insn_cnt(prog);
		}
	}
	setup_maps(obj, maps);
	log_len = 0;
	if (log_buf)
		log_buf[0] = 0;
	libbpf_set_print(capture);
	err = bpf_object__load(obj);
	libbpf_set_print(quiet);
	*out = obj;
	return err;
}

static bool relocation_ran(void)
{
	return log_buf && (strstr(log_buf, "CO-RE relocations") ||
			   strstr(log_buf, "patched insn"));
}

static int relocations(const char *obj_path, const char *btf_path)
{
	struct bpf_object *obj = NULL;
	struct bpf_program *prog;
	bool maps = true;
	int err;

	err = probe_bpf();
	if (err)
		return err;
	err = try_load(obj_path, btf_path, true, &obj);
	if (err == -EINVAL && !obj)
		return 1;
	if (err && !relocation_ran()) {
		bpf_object__close(obj);
		maps = false;
		err = try_load(obj_path, btf_path, false, &obj);
		if (err == -EINVAL && !obj)
			return 1;
	}
	print_log();
	printf("maps: %s\nload: %s\n", maps ? "created" : "not created",
	       err ? "failed" : "ok");
	bpf_object__for_each_program(prog, obj)
		print_insns(prog);
	bpf_object__close(obj);
	return 0;
}

/* Load @only alone; true when the kernel accepted it */
static int load_one(const char *obj_path, const char *btf_path,
		    const char *only)
{
	struct bpf_object *obj = open_obj(obj_path, btf_path);
	struct bpf_program *prog;
	int err;

	if (!obj)
		return -EINVAL;
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, !strcmp(bpf_program__name(prog), only));
	setup_maps(obj, true);
	err = bpf_object__load(obj);
	bpf_object__close(obj);
	return err;
}

static int loads(const char *obj_path, const char *btf_path)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	int err = probe_bpf();

	if (err)
		return err;
	obj = open_obj(obj_path, btf_path);
	if (!obj)
		return 1;
	bpf_object__for_each_program(prog, obj) {
		/* the verifier answers EACCES too: only probe_bpf() tells
		 * that bpf() itself is refused */
		err = load_one(obj_path, btf_path, bpf_program__name(prog));
		printf("%s: %s\n", bpf_program__name(prog),
		       err ? "rejected" : "loaded");
	}
	bpf_object__close(obj);
	return 0;
}

/* Base and split joined, written to a temporary file named in @path */
static int join_split(const char *base_path, const char *split_path,
		      char *path, size_t len)
{
	struct btf *base = btf__parse(base_path, NULL), *split = NULL, *m = NULL;
	const void *data;
	__u32 id, size;
	int fd = -1, err = -EINVAL;

	if (base)
		split = btf__parse_split(split_path, base);
	if (split)
		m = btf__new_empty();
	if (m)
		err = btf__add_btf(m, base);
	for (id = btf__type_cnt(base); m && err >= 0 && id < btf__type_cnt(split); id++)
		err = btf__add_type(m, split, btf__type_by_id(split, id));
	data = err >= 0 && m ? btf__raw_data(m, &size) : NULL;
	snprintf(path, len, "%s/corecheck.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (data && (fd = mkstemp(path)) >= 0 &&
	    write(fd, data, size) == (ssize_t)size)
		err = 0;
	else
		err = -EINVAL;
	if (fd >= 0)
		close(fd);
	if (err && fd >= 0)
		unlink(path);
	if (err)
		fprintf(stderr, "corecheck: %s on %s: cannot join split BTF\n",
			split_path, base_path);
	btf__free(m);
	btf__free(split);
	btf__free(base);
	return err;
}

static void usage(void)
{
	fprintf(stderr, "usage: corecheck [--load] [--base BASE] OBJ BTF\n");
}

int main(int argc, char **argv)
{
	const char *base = NULL, *obj, *btf_path;
	char joined[4096] = "";
	bool load = false;
	struct btf *btf;
	int i = 1, err;

	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--load")) {
			load = true;
		} else if (!strcmp(argv[i], "--base") && i + 1 < argc) {
			base = argv[++i];
		} else {
			usage();
			return 2;
		}
	}
	if (argc - i != 2) {
		usage();
		return 2;
	}
	obj = argv[i];
	btf_path = argv[i + 1];
	libbpf_set_print(quiet);
	if (base && join_split(base, btf_path, joined, sizeof(joined)))
		return 1;
	if (base)
		btf_path = joined;
	btf = btf__parse(btf_path, NULL);
	if (!btf) {
		fprintf(stderr, "corecheck: %s: cannot read BTF: %s\n", btf_path,
			strerror(errno));
		err = 1;
		goto out;
	}
	target_btf = btf;
	err = load ? loads(obj, btf_path) : relocations(obj, btf_path);
	btf__free(btf);
out:
	if (base)
		unlink(joined);
	return err;
}
