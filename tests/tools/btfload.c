/*
 * btfload - ask the running kernel's BTF verifier whether it accepts a BTF.
 *
 * Usage: btfload [--base FILE] FILE
 *
 * FILE is raw BTF or an ELF file with a .BTF section.  The kernel takes
 * split BTF only from its own modules, so with --base the two are joined
 * into one standalone BTF first: base types keep their IDs, and split types
 * follow them at the IDs they already had, so nothing is renumbered.
 *
 * Exit status: 0 accepted, 1 rejected (the end of the verifier log goes to
 * stderr) or unreadable, 2 usage, 77 when bpf() itself is refused, so that
 * a test running where BPF is not allowed is skipped, not failed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

/* Big enough for the kernel to describe an error anywhere in a
 * vmlinux-sized BTF without running out of room (ENOSPC). */
#define LOG_SIZE (16u << 20)
#define LOG_TAIL_LINES 20

#define EXIT_SKIP 77

static struct btf *open_btf(const char *path, struct btf *base)
{
	struct btf *btf = base ? btf__parse_split(path, base) : btf__parse(path, NULL);

	if (!btf)
		fprintf(stderr, "btfload: %s: cannot read BTF: %s\n", path,
			strerror(errno));
	return btf;
}

/* Copy base, then each split type verbatim: its type IDs stay valid because
 * the copy of the base occupies exactly the IDs the base had. */
static struct btf *merge_btf(const struct btf *base, const struct btf *split)
{
	__u32 id, cnt = btf__type_cnt(split);
	struct btf *m = btf__new_empty();
	int err;

	if (!m)
		return NULL;
	err = btf__add_btf(m, base);
	for (id = btf__type_cnt(base); id < cnt && err >= 0; id++)
		err = btf__add_type(m, split, btf__type_by_id(split, id));
	if (err < 0) {
		btf__free(m);
		errno = -err;
		return NULL;
	}
	return m;
}

static int is_refused(int err)
{
	return err == -EPERM || err == -EACCES || err == -ENOSYS;
}

static void print_log_tail(const char *log)
{
	const char *p = log + strlen(log);
	int lines = 0;

	while (p > log && lines <= LOG_TAIL_LINES)
		if (*--p == '\n')
			lines++;
	if (*p == '\n')
		p++;
	fprintf(stderr, "%s%s", p, *p && p[strlen(p) - 1] != '\n' ? "\n" : "");
}

/* Load once quietly; only a rejected BTF is loaded again with the log on,
 * since logging slows the verifier down. */
static int load_btf(const void *data, __u32 size, const char *path)
{
	LIBBPF_OPTS(bpf_btf_load_opts, opts);
	char *log;
	int fd;

	fd = bpf_btf_load(data, size, NULL);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (is_refused(-errno))
		return -errno;
	log = calloc(1, LOG_SIZE);
	if (!log)
		return -ENOMEM;
	opts.log_buf = log;
	opts.log_size = LOG_SIZE;
	opts.log_level = 1;
	fd = bpf_btf_load(data, size, &opts);
	if (fd >= 0) {
		fprintf(stderr, "btfload: %s: rejected, then accepted with the log on\n",
			path);
		close(fd);
	} else {
		fprintf(stderr, "btfload: %s: rejected by the kernel: %s\n", path,
			strerror(errno));
		print_log_tail(log);
	}
	free(log);
	return -EINVAL;
}

static int run(const char *base_path, const char *path)
{
	struct btf *base = NULL, *btf = NULL, *merged = NULL;
	const void *data;
	__u32 size;
	int err = -EINVAL;

	if (base_path && !(base = open_btf(base_path, NULL)))
		goto out;
	if (!(btf = open_btf(path, base)))
		goto out;
	if (base && !(merged = merge_btf(base, btf))) {
		fprintf(stderr, "btfload: %s: cannot join with base %s: %s\n",
			path, base_path, strerror(errno));
		goto out;
	}
	data = btf__raw_data(merged ? merged : btf, &size);
	if (!data) {
		fprintf(stderr, "btfload: %s: %s\n", path, strerror(errno));
		goto out;
	}
	err = load_btf(data, size, path);
	if (is_refused(err))
		fprintf(stderr, "btfload: SKIP: bpf(BPF_BTF_LOAD) refused: %s\n",
			strerror(-err));
out:
	btf__free(merged);
	btf__free(btf);
	btf__free(base);
	return err;
}

static void usage(void)
{
	fprintf(stderr, "usage: btfload [--base FILE] FILE\n");
}

int main(int argc, char **argv)
{
	const char *base = NULL;
	int err;

	if (argc == 4 && !strcmp(argv[1], "--base"))
		base = argv[2];
	else if (argc != 2 || argv[1][0] == '-') {
		usage();
		return 2;
	}
	err = run(base, argv[argc - 1]);
	if (is_refused(err))
		return EXIT_SKIP;
	return err ? 1 : 0;
}
