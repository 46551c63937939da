/*
 * btfparse - does libbpf's btf__parse accept a BTF?
 *
 * Usage: btfparse [--base FILE] FILE
 *
 * FILE is raw BTF or an ELF file with a .BTF section, split on FILE of
 * --base when given.  Exit status: 0 accepted, 1 refused (libbpf's error
 * on stderr), 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_DEBUG ? 0 : vfprintf(stderr, fmt, ap);
}

int main(int argc, char **argv)
{
	struct btf *base = NULL, *btf;
	const char *path;

	if (argc == 4 && !strcmp(argv[1], "--base")) {
		path = argv[3];
	} else if (argc == 2) {
		path = argv[1];
	} else {
		fputs("usage: btfparse [--base FILE] FILE\n", stderr);
		return 2;
	}
	libbpf_set_print(print_libbpf);
	if (argc == 4) {
		base = btf__parse(argv[2], NULL);
		if (!base) {
			fprintf(stderr, "btfparse: %s: refused: %s\n", argv[2], strerror(errno));
			return 1;
		}
	}
	btf = base ? btf__parse_split(path, base) : btf__parse(path, NULL);
	if (!btf) {
		fprintf(stderr, "btfparse: %s: refused: %s\n", path, strerror(errno));
		btf__free(base);
		return 1;
	}
	btf__free(btf);
	btf__free(base);
	return 0;
}
