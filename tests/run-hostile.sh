#!/bin/bash
# Hostile input: corrupt raw BTF, .BTF sections, .BTF.ext records, ELF files
# cut at every section boundary, DWARF with references out of their unit or
# in a loop.  Each is made here from a real file by a small, documented byte
# patch, and must give: a message naming the file and what is wrong (exit
# status 1), no output file and no temporary, the input unchanged.  Objects
# of other machines, byte orders and classes are encoded (cross builds are
# legitimate).  Then the regression inputs of tests/hostile/ (found by the
# fuzzers, fuzz/) are replayed: an error or a result, never a crash, and
# interrupted or failing writes (SIGTERM, SIGINT, a full disk) leave nothing.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
need_cmd gcc
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

# bad LABEL REGEX INPUT [BTFENC ARGS...]: `btfenc -o OUT ARGS...` must fail
# on INPUT, saying REGEX (an ERE) and naming INPUT
bad()
{
	local label=$1 regex=$2 input=$3 sum_before sum_after status
	shift 3
	local out=$tmp/out/$label.btf

	rm -rf "$tmp/out" && mkdir -p "$tmp/out"
	sum_before=$(sha256sum <"$input")
	timeout 60 "$BTFENC" -o "$out" "$@" >"$tmp/stdout" 2>"$tmp/err"
	status=$?
	sum_after=$(sha256sum <"$input")
	check "$label: exit status 1 (got $status): $(head -c 300 "$tmp/err")" [ $status -eq 1 ]
	check "$label: message names $(basename "$input"): $(head -c 300 "$tmp/err")" \
		grep -qF -- "$(basename "$input")" "$tmp/err"
	check "$label: message says /$regex/: $(head -c 300 "$tmp/err")" \
		grep -qE -- "$regex" "$tmp/err"
	check "$label: no output file" [ ! -e "$out" ]
	check "$label: no temporary left" [ -z "$(ls -A "$tmp/out")" ]
	check "$label: input unchanged" [ "$sum_before" = "$sum_after" ]
}

# good LABEL ARGS...: btfenc -o OUT ARGS... succeeds, OUT reads back
good()
{
	local label=$1 out=$tmp/good.btf
	shift
	rm -f "$out"
	check "$label: encodes: $("$BTFENC" -o "$out" "$@" 2>&1 | head -c 300)" [ -s "$out" ] &&
		check "$label: output reads back" dump_ok "$out"
}

dump_ok()
{
	"$BTFENC" --dump "$1" >/dev/null 2>&1
}

# Byte surgery, in C: exact and with no dependency
cat >"$tmp/bytes.c" <<'EOF'
/* Byte surgery for tests/run-hostile.sh: poke, peek, find, ELF sections, raw BTF */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *buf;
static long len;

static void load(const char *path)
{
	FILE *f = fopen(path, "rb");

	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0)
		exit(2);
	rewind(f);
	buf = malloc(len + 1);
	if (!buf || fread(buf, 1, len, f) != (size_t)len)
		exit(2);
	fclose(f);
}

static void save(const char *path)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != (size_t)len || fclose(f))
		exit(2);
}

static uint64_t get(long off, int n)
{
	uint64_t v = 0;

	if (off < 0 || off + n > len)
		exit(3);
	while (n--)
		v = v << 8 | buf[off + n];
	return v;
}

static void put(long off, int n, uint64_t v)
{
	int i;

	if (off < 0 || off + n > len)
		exit(3);
	for (i = 0; i < n; i++, v >>= 8)
		buf[off + i] = v;
}

/* ELF64 little-endian section headers: index -> offset, size, name */
static uint64_t sh(int i, int field)
{
	uint64_t shoff = get(0x28, 8), es = get(0x3a, 2);

	return field == 0 ? get(shoff + i * es, 4) :
		get(shoff + i * es + (field == 4 ? 0x18 : 0x20), 8);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 2 ? argv[1] : "";
	int i, n;

	if (argc < 3)
		return 1;
	if (!strcmp(cmd, "mkbtf")) {	/* OUT STRINGS WORD...: raw LE BTF */
		size_t sl = strlen(argv[3]) + 1, tl = (argc - 4) * 4;
		char *s = strdup(argv[3]);

		for (i = 0; s[i]; i++)
			s[i] = s[i] == '|' ? 0 : s[i];
		len = 24 + tl + sl - 1;	/* the strings' own NUL is not written */
		buf = calloc(1, len + 1);
		put(0, 2, 0xeb9f);
		put(2, 1, 1);
		put(4, 4, 24);
		put(12, 4, tl);
		put(16, 4, tl);
		put(20, 4, sl - 1);
		for (i = 4; i < argc; i++)
			put(24 + (i - 4) * 4, 4, strtoul(argv[i], 0, 0));
		memcpy(buf + 24 + tl, s, sl - 1);
		save(argv[2]);
		return 0;
	}
	if (!strcmp(cmd, "chain") && argc == 5) {	/* OUT N KIND: [1] int, KIND -> prev */
		long n = atol(argv[3]), k;

		len = 24 + 16 + n * 12 + 5;
		buf = calloc(1, len);
		put(0, 2, 0xeb9f);
		put(2, 1, 1);
		put(4, 4, 24);
		put(12, 4, 16 + n * 12);
		put(16, 4, 16 + n * 12);
		put(20, 4, 5);
		put(24, 4, 1);
		put(28, 4, 0x01000000);
		put(32, 4, 4);
		put(36, 4, 0x01000020);
		for (k = 0; k < n; k++) {
			put(40 + k * 12 + 4, 4, (uint32_t)atoi(argv[4]) << 24);
			put(40 + k * 12 + 8, 4, k + 1);
		}
		memcpy(buf + 40 + n * 12, "\0int", 5);
		save(argv[2]);
		return 0;
	}
	load(argv[2]);
	if (!strcmp(cmd, "poke") && argc == 6) {	/* FILE OFF BYTES VALUE */
		put(strtol(argv[3], 0, 0), atoi(argv[4]), strtoull(argv[5], 0, 0));
		save(argv[2]);
	} else if (!strcmp(cmd, "peek") && argc == 5) {	/* FILE OFF BYTES */
		printf("%llu\n", (unsigned long long)get(strtol(argv[3], 0, 0), atoi(argv[4])));
	} else if (!strcmp(cmd, "scn") && argc == 4) {	/* FILE NAME: "OFF SIZE" */
		n = get(0x3c, 2);
		for (i = 0; i < n; i++) {
			uint64_t no = sh(get(0x3e, 2), 4) + sh(i, 0);
			if (no < (uint64_t)len && !strcmp((char *)buf + no, argv[3])) {
				printf("%llu %llu\n", (unsigned long long)sh(i, 4),
				       (unsigned long long)sh(i, 5));
				return 0;
			}
		}
		return 1;
	} else if (!strcmp(cmd, "cuts")) {	/* FILE: section offsets inside it */
		n = get(0x3c, 2);
		for (i = 1; i < n; i++)
			if (sh(i, 4) > 0 && sh(i, 4) < (uint64_t)len)
				printf("%llu\n", (unsigned long long)sh(i, 4));
		printf("%llu\n", (unsigned long long)get(0x28, 8));
	} else if (!strcmp(cmd, "find") && argc == 5) {	/* FILE FROM STRING */
		long from = strtol(argv[3], 0, 0), l = strlen(argv[4]) + 1;
		for (; from + l <= len; from++)
			if (!memcmp(buf + from, argv[4], l)) {
				printf("%ld\n", from);
				return 0;
			}
		return 1;
	} else {
		return 1;
	}
	return 0;
}
EOF
gcc -O1 -o "$tmp/bytes" "$tmp/bytes.c" || skip "cannot build the byte patch helper"

# poke FILE OFFSET PACK VALUE: overwrite the field at OFFSET (PACK: V u32,
# v u16, C byte, all little-endian)
poke()
{
	local n
	case $3 in V) n=4 ;; v) n=2 ;; C) n=1 ;; esac
	"$tmp/bytes" poke "$1" "$2" $n "$4"
}
# peek FILE OFFSET PACK: the value there
peek()
{
	local n
	case $3 in V) n=4 ;; v) n=2 ;; C) n=1 ;; esac
	"$tmp/bytes" peek "$1" "$2" $n
}
# scn FILE NAME: "OFFSET SIZE" of the section NAME of a 64-bit LE ELF file
scn() { "$tmp/bytes" scn "$@"; }
# mkbtf OUT STRINGS WORD...: raw BTF (LE) from 32-bit words; '|' is NUL
mkbtf() { "$tmp/bytes" mkbtf "$@"; }

# --- the real files the bad ones are made from -------------------------
cat >"$tmp/src.c" <<'EOF'
typedef unsigned long ulong_t;
struct node { int val; ulong_t key; struct node *next; const char *name; };
struct node head;
int count(const struct node *n) { int i = 0; for (; n; n = n->next) i++; return i; }
EOF
gcc -g -gdwarf-4 -O0 -c "$tmp/src.c" -o "$tmp/good.o"
"$BTFENC" -o "$tmp/good.btf" "$tmp/good.o" ||
	skip "btfenc cannot encode a small gcc object"

# helpers for raw BTF: the header fields and the first type's offset
TYPES=24
types_len=$(peek "$tmp/good.btf" 12 V)
str_off=$(peek "$tmp/good.btf" 16 V)
size=$(stat -c %s "$tmp/good.btf")

# patched NAME OFFSET PACK VALUE: a copy of good.btf with one field changed
patched()
{
	cp "$tmp/good.btf" "$tmp/$1.btf"
	poke "$tmp/$1.btf" "$2" "$3" "$4"
	echo "$tmp/$1.btf"
}

# --- raw BTF: the header ----------------------------------------------
f=$(patched magic 0 v 0x1234)
bad raw-magic 'not an ELF file, raw BTF or gzip' "$f" "$f"
bad raw-magic-dump 'not BTF \(magic 0x1234\)' "$f" --base "$f" "$tmp/good.o"
f=$(patched version 2 C 7)
bad raw-version 'unsupported BTF version 7' "$f" "$f"
f=$(patched flags 3 C 1)
bad raw-flags 'unsupported BTF header flags' "$f" "$f"
f=$(patched hdrlen-short 4 V 8)
bad raw-hdr-len-short 'bad BTF header length 8' "$f" "$f"
f=$(patched hdrlen-long 4 V 0x7fffffff)
bad raw-hdr-len-long 'bad BTF header length 2147483647' "$f" "$f"
# a 28-byte header whose extra word (the first type's name) is non-zero
f=$(patched hdrlen-extra 4 V 28)
poke "$f" 24 C 0x55
bad raw-hdr-unknown-field 'byte offset 24: unknown non-zero BTF header field' "$f" "$f"
# a header claiming a 4 GB type section
f=$(patched types-4g 12 V 0xfffffff0)
bad raw-types-4g 'type section \(offset 0, 4294967280 bytes\) runs past the end' "$f" "$f"
f=$(patched strs-4g 20 V 0xffffffff)
bad raw-strings-4g 'string section .* runs past the end' "$f" "$f"
f=$(patched types-unaligned 8 V 2)
poke "$f" 12 V $((types_len - 4))
bad raw-types-unaligned 'type section offset 2 is not 4-byte aligned' "$f" "$f"
f=$(patched overlap 16 V 0)
bad raw-sections-overlap 'the type and string sections overlap' "$f" "$f"
head -c 20 "$tmp/good.btf" >"$tmp/short.btf"
bad raw-short-header '20 bytes are too few for a BTF header' "$tmp/short.btf" "$tmp/short.btf"
# --- raw BTF: strings ---------------------------------------------------
f=$(patched unterminated $((size - 1)) C 0x41)
bad raw-strings-unterminated "byte offset $((size - 1)): string section does not end with NUL" "$f" "$f"
f=$(patched strs-no-nul $((TYPES + str_off)) C 0x41)
bad raw-strings-first-not-nul 'string section does not start with NUL' "$f" "$f"
f=$(patched strs-empty 20 V 0)
bad raw-strings-empty 'empty string section' "$f" "$f"
# the first type's name offset far past the strings
f=$(patched name-off $TYPES V 0x00ffffff)
bad raw-name-offset 'type \[1\] .*string offset out of range' "$f" "$f"
# --- raw BTF: records ----------------------------------------------------
# kind 31 in the first record's info word
f=$(patched kind $((TYPES + 4)) V 0x1f000000)
bad raw-unknown-kind 'type \[1\] at byte offset 24: unknown kind 31' "$f" "$f"
f=$(patched truncated-rec 12 V 4)
bad raw-truncated-record 'type \[1\] at byte offset 24: truncated record' "$f" "$f"
# handmade: [1] int, [2] STRUCT with vlen 65535 and no member data
mkbtf "$tmp/vlen.btf" '|int|s|' 1 0x01000000 4 0x01000020 5 0x0400ffff 8
bad raw-huge-vlen 'type \[2\] at byte offset 40: STRUCT record of 786432 bytes runs past the end' "$tmp/vlen.btf" "$tmp/vlen.btf"
# [1] int, [2] PTR to [99]
mkbtf "$tmp/dangling.btf" '|int|' 1 0x01000000 4 0x01000020 0 0x02000000 99
bad raw-type-id-out-of-range 'type \[2\] PTR: type ID out of range' "$tmp/dangling.btf" "$tmp/dangling.btf"
# loops the kernel rejects: PTR -> CONST -> PTR; a typedef loop; a struct
# holding itself by value (a struct pointing to itself is fine: last)
mkbtf "$tmp/ptr-loop.btf" '|int|' 1 0x01000000 4 0x01000020 \
	0 0x02000000 3 0 0x0a000000 2
bad raw-ptr-const-loop 'type \[2\] PTR: loop of pointer, typedef and modifier references' \
	"$tmp/ptr-loop.btf" "$tmp/ptr-loop.btf"
mkbtf "$tmp/td-loop.btf" '|int|t|u|' 1 0x01000000 4 0x01000020 \
	5 0x08000000 3 7 0x08000000 2
bad raw-typedef-loop 'type \[2\] TYPEDEF: loop of pointer, typedef and modifier references' \
	"$tmp/td-loop.btf" "$tmp/td-loop.btf"
mkbtf "$tmp/self.btf" '|int|s|x|' 1 0x01000000 4 0x01000020 5 0x04000001 4 7 2 0
bad raw-struct-contains-itself 'type \[2\] STRUCT: contains itself' "$tmp/self.btf" "$tmp/self.btf"
mkbtf "$tmp/arr-loop.btf" '|int|s|x|' 1 0x01000000 4 0x01000020 \
	5 0x04000001 8 7 3 0 0 0x03000000 0 2 1 2
bad raw-array-of-itself 'type \[[23]\] (STRUCT|ARRAY): contains itself' "$tmp/arr-loop.btf" "$tmp/arr-loop.btf"
mkbtf "$tmp/list.btf" '|int|s|x|' 1 0x01000000 4 0x01000020 5 0x04000001 8 7 3 0 0 0x02000000 2
good raw-self-pointer "$tmp/list.btf"
# no recursion on input depth: a chain of 200000 pointers and one of
# 200000 consts (valid BTF, if far deeper than any real) read, dump, write
for kind in 2 10; do
	"$tmp/bytes" chain "$tmp/chain-$kind.btf" 200000 $kind
	good "chain of 200000 kind $kind" "$tmp/chain-$kind.btf"
done
# gzip-compressed, cut short
if command -v gzip >/dev/null; then
	gzip -c "$tmp/good.btf" | head -c 40 >"$tmp/cut.btf.gz"
	bad raw-gzip-truncated 'cannot decompress: truncated gzip data' "$tmp/cut.btf.gz" "$tmp/cut.btf.gz"
fi
# the same checks read a split file on a base
# the same reader takes --base
f=$(patched base-magic 0 v 0x4242)
bad raw-base-magic 'base-magic.btf: not BTF \(magic 0x4242\)' "$f" --base "$f" "$tmp/good.o"

# --- ELF -------------------------------------------------------------------
echo "plain text, not an object" >"$tmp/text.o"
bad elf-not-elf 'not an ELF file' "$tmp/text.o" "$tmp/text.o"
# truncated at every section boundary of a real object
cuts=$("$tmp/bytes" cuts "$tmp/good.o" | sort -n -u)
nr_cuts=0
for c in $cuts; do
	head -c "$c" "$tmp/good.o" >"$tmp/cut-$c.o"
	bad "elf-cut-at-$c" 'truncated|corrupt|not an ELF|invalid' "$tmp/cut-$c.o" "$tmp/cut-$c.o"
	nr_cuts=$((nr_cuts + 1))
done
check "cut the object at several section boundaries ($nr_cuts)" [ "$nr_cuts" -ge 5 ]
# an ELF file whose only types are a .BTF section (btfenc -J, no DWARF)
cp "$tmp/good.o" "$tmp/btf.o"
"$BTFENC" -J "$tmp/btf.o" && objcopy --strip-debug "$tmp/btf.o" "$tmp/btfonly.o"
if [ -s "$tmp/btfonly.o" ] && read -r boff blen < <(scn "$tmp/btfonly.o" .BTF); then
	good elf-btf-only "$tmp/btfonly.o"
	cp "$tmp/btfonly.o" "$tmp/elf-btf-magic.o"
	poke "$tmp/elf-btf-magic.o" "$boff" v 0x4242
	bad elf-btf-magic 'elf-btf-magic.o: .BTF: not BTF \(magic 0x4242\)' "$tmp/elf-btf-magic.o" "$tmp/elf-btf-magic.o"
	cp "$tmp/btfonly.o" "$tmp/elf-btf-strs.o"
	poke "$tmp/elf-btf-strs.o" $((boff + blen - 1)) C 0x41
	bad elf-btf-unterminated 'elf-btf-strs.o: .BTF: byte offset [0-9]+: string section does not end with NUL' \
		"$tmp/elf-btf-strs.o" "$tmp/elf-btf-strs.o"
	cp "$tmp/btfonly.o" "$tmp/elf-btf-name.o"
	poke "$tmp/elf-btf-name.o" $((boff + 24)) V 0x00ffffff
	bad elf-btf-name-offset 'elf-btf-name.o: .BTF: type \[1\] .*: string offset out of range' \
		"$tmp/elf-btf-name.o" "$tmp/elf-btf-name.o"
	# -J on an ELF without DWARF refuses, and leaves the file alone
	sum=$(sha256sum <"$tmp/btfonly.o")
	"$BTFENC" -J "$tmp/btfonly.o" 2>"$tmp/err"
	check "-J without DWARF: exit 1" [ $? -eq 1 ]
	check "-J without DWARF: file unchanged" [ "$sum" = "$(sha256sum <"$tmp/btfonly.o")" ]
	check "-J without DWARF: no temporary" [ -z "$(ls -A "$tmp" | grep '^\.btfonly')" ]
else
	fail "could not make an ELF file with only .BTF (btfenc -J, objcopy)"
fi

# --- DWARF ------------------------------------------------------------------
# dwarf_ref FILE ATTR TAG: section offset of the first ATTR (a ref4) in a DIE
# of TAG, and that DIE's offset, from readelf's dump
dwarf_ref()
{
	readelf --debug-dump=info "$1" 2>/dev/null | awk -v tag="$3" -v attr="$2" '
		/^ *<[0-9]+><[0-9a-f]+>:/ { split($0, a, "[<>]"); die = a[4]; in_tag = index($0, "(" tag ")") > 0 }
		in_tag && $2 == attr && $1 ~ /^<[0-9a-f]+>$/ { gsub(/[<>]/, "", $1); print $1, die; exit }' |
		while read -r a d; do echo $((16#$a)) $((16#$d)); done
}
if command -v readelf >/dev/null && read -r dinfo _ < <(scn "$tmp/good.o" .debug_info) &&
   read -r at die < <(dwarf_ref "$tmp/good.o" DW_AT_type DW_TAG_typedef) &&
   [ "$(peek "$tmp/good.o" $((dinfo + 10)) C)" = 8 ]; then
	# DWARF 4 unit header: length, version, abbrev offset, address size (8)
	# a reference past the end of .debug_info: refused, naming the DIE
	# (never read as void, never followed)
	cp "$tmp/good.o" "$tmp/dw-outside.o"
	poke "$tmp/dw-outside.o" $((dinfo + at)) V 0x7ffffff0
	bad dwarf-ref-outside-unit "DIE $(printf '%#x' "$die").*reference" \
		"$tmp/dw-outside.o" "$tmp/dw-outside.o"
	# the typedef's type is the typedef itself
	cp "$tmp/good.o" "$tmp/dw-loop.o"
	poke "$tmp/dw-loop.o" $((dinfo + at)) V "$die"
	bad dwarf-typedef-loop 'loop|Too many levels' "$tmp/dw-loop.o" "$tmp/dw-loop.o"
else
	fail "could not locate a typedef's DW_AT_type in $tmp/good.o (readelf)"
fi

# --- other machines, byte orders, classes: encoded, not refused -----------
if command -v clang >/dev/null; then
	for t in aarch64-linux-gnu i386-linux-gnu s390x-linux-gnu bpfeb bpfel; do
		clang -target $t -g -O1 -c "$tmp/src.c" -o "$tmp/x-$t.o" 2>/dev/null || continue
		good "encode $t object" "$tmp/x-$t.o"
		cp "$tmp/x-$t.o" "$tmp/j-$t.o"
		# clang's own .BTF of a BPF object has relocations: -J refuses it
		case $t in bpf*) llvm-objcopy -R .BTF -R .rel.BTF -R .BTF.ext -R .rel.BTF.ext \
			"$tmp/x-$t.o" "$tmp/j-$t.o" 2>/dev/null || continue ;; esac
		check "-J on $t object" "$BTFENC" -J "$tmp/j-$t.o"
		check "-J on $t object reads back" dump_ok "$tmp/j-$t.o"
	done
fi

# --- BPF objects for --min ---------------------------------------------------
if command -v clang >/dev/null && command -v llvm-objcopy >/dev/null; then
	. "$FIXTURES/bpf/min-subr.sh"
	# the target: the object's own types are enough to resolve against
	bpf_cc clang "$FIXTURES/bpf/core-fields.bpf.c" "$tmp/core.o"
	llvm-objcopy --dump-section .BTF="$tmp/core.btf" "$tmp/core.o" /dev/null
	tgt=$tmp/core.btf
	bad min-not-bpf 'not a BPF object \(ELF machine 62, BPF is 247\)' "$tmp/good.o" --min "$tmp/good.o" "$tgt"
	bad min-not-elf 'not an ELF file' "$tmp/text.o" --min "$tmp/text.o" "$tgt"
	# ext_off FILE: offset of .BTF.ext's CO-RE part (after its 4-byte record size)
	read -r xoff xlen < <(scn "$tmp/core.o" .BTF.ext)
	xhdr=$(peek "$tmp/core.o" $((xoff + 4)) V)
	xcore=$((xoff + xhdr + $(peek "$tmp/core.o" $((xoff + 24)) V)))
	# ext NAME OFFSET PACK VALUE: a copy of core.o with .BTF.ext patched
	ext()
	{
		cp "$tmp/core.o" "$tmp/$1.o"
		poke "$tmp/$1.o" "$2" "$3" "$4"
		echo "$tmp/$1.o"
	}
	f=$(ext x-magic "$xoff" v 0x1234)
	bad ext-magic '\.BTF\.ext: bad magic' "$f" --min "$f" "$tgt"
	f=$(ext x-hdrlen $((xoff + 4)) V 0xfff0)
	bad ext-header-length '\.BTF\.ext: header length 65520 does not fit' "$f" --min "$f" "$tgt"
	f=$(ext x-recsize "$xcore" V 12)
	bad ext-record-size '\.BTF\.ext: CO-RE record size 12 is not valid' "$f" --min "$f" "$tgt"
	f=$(ext x-recsize-huge "$xcore" V 0xfffffff0)
	bad ext-record-size-huge '\.BTF\.ext: CO-RE record [0-9]+ .*points past the section end' "$f" --min "$f" "$tgt"
	f=$(ext x-count $((xcore + 8)) V 0xffffffff)
	bad ext-record-count '\.BTF\.ext: CO-RE record [0-9]+ .*points past the section end' "$f" --min "$f" "$tgt"
	f=$(ext x-secname $((xcore + 4)) V 0x0fffffff)
	bad ext-section-name '\.BTF\.ext: CO-RE section name offset 268435455' "$f" --min "$f" "$tgt"
	# the first record: {insn_off, type_id, access_str_off, kind}
	f=$(ext x-access $((xcore + 12 + 8)) V 0x0fffffff)
	bad ext-access-string 'CO-RE record 0 .*relocation #0\): access string offset out of range' "$f" --min "$f" "$tgt"
	f=$(ext x-typeid $((xcore + 12 + 4)) V 0x00ffffff)
	bad ext-type-id 'CO-RE record 0 .*relocation #0\): type ID out of range' "$f" --min "$f" "$tgt"
	f=$(ext x-insn $((xcore + 12)) V 3)
	bad ext-insn-offset 'CO-RE record 0 .*instruction offset is not a multiple of 8' "$f" --min "$f" "$tgt"
	f=$(ext x-corelen $((xoff + 28)) V 0x7ffffff0)
	bad ext-core-length 'CO-RE relocations \(offset [0-9]+, 2147483632 bytes\) points past the section end' \
		"$f" --min "$f" "$tgt"
	# the object's own .BTF corrupt
	read -r boff blen < <(scn "$tmp/core.o" .BTF)
	f=$(ext x-btf "$boff" v 0x1234)
	bad min-btf-magic 'x-btf.o: .BTF: not BTF' "$f" --min "$f" "$tgt"
	# an access string that is not numbers: "0:0" -> "0x0" in .BTF's strings
	if at=$("$tmp/bytes" find "$tmp/core.o" "$boff" "0:0"); then
		f=$(ext x-accstr $((at + 1)) C 0x78)
		bad ext-access-malformed 'CO-RE relocation #[0-9]+ .*access .0x0.*malformed access string' \
			"$f" --min "$f" "$tgt"
	fi
	# a target whose struct is 512 MiB: element 1 is past 32 bits of offset
	cat >"$tmp/big.bpf.c" <<'EOF'
#include "core-common.h"
struct big { int x; } __pai;
SEC("kprobe/big") int big(struct big *p) { return p[1].x; }
EOF
	bpf_cc clang "$tmp/big.bpf.c" "$tmp/big.o" &&
	mkbtf "$tmp/big-target.btf" '|int|big|x|' 1 0x01000000 4 0x01000020 \
		5 0x04000001 0x20000000 9 1 0 &&
	bad min-offset-overflow 'big.o: kprobe/big: CO-RE relocation #0 .*cannot be matched' \
		"$tmp/big.o" --min "$tmp/big.o" "$tmp/big-target.btf"
	# both byte orders are read
	bpf_cc clang-eb "$FIXTURES/bpf/core-fields.bpf.c" "$tmp/core-eb.o" &&
		good "--min with a big-endian object" --min "$tmp/core-eb.o" "$tgt"
fi

# --- regression inputs found by the fuzzers ----------------------------------
# Each one, as an input to encode, a base, a file to dump and an object to
# minimize: exit 0 or 1 (never a signal), a message naming it on failure,
# no output left on failure, the file unchanged.
replay()
{
	local f=$1 label=$2 out=$tmp/out/replay.btf status
	shift 2
	rm -rf "$tmp/out" && mkdir -p "$tmp/out"
	sum=$(sha256sum <"$f")
	timeout 120 "$BTFENC" "$@" >"$tmp/stdout" 2>"$tmp/err"
	status=$?
	check "$label: exit 0 or 1 (got $status): $(head -c 300 "$tmp/err")" [ $status -le 1 ]
	[ $status -eq 1 ] && check "$label: message names the file" grep -qF "$(basename "$f")" "$tmp/err"
	[ $status -eq 1 ] && check "$label: no output file" [ ! -e "$out" ]
	check "$label: no temporary left" [ -z "$(ls -A "$tmp/out" | grep -v '^replay.btf$')" ]
	check "$label: unchanged" [ "$sum" = "$(sha256sum <"$f")" ]
}
for f in "$top_srcdir"/tests/hostile/*; do
	[ -f "$f" ] || continue
	b=$(basename "$f")
	replay "$f" "$b (encode)" -o "$tmp/out/replay.btf" "$f"
	replay "$f" "$b (dump)" --dump "$f"
	replay "$f" "$b (base)" -o "$tmp/out/replay.btf" --base "$f" "$tmp/good.o"
	[ -n "${tgt:-}" ] && replay "$f" "$b (min)" -o "$tmp/out/replay.btf" --min "$f" "$tgt"
done

# --- interrupted and failing writes ----------------------------------------
# kill_during SIGNAL DELAY ARGS...: btfenc -o OUT ARGS killed after DELAY
# seconds leaves neither OUT nor its temporary (unless it finished first)
kill_during()
{
	local sig=$1 delay=$2 out=$tmp/kill/out.btf
	shift 2
	rm -rf "$tmp/kill" && mkdir -p "$tmp/kill"
	"$BTFENC" -o "$out" "$@" 2>/dev/null &
	local pid=$!
	sleep "$delay"
	kill -s "$sig" $pid 2>/dev/null
	wait $pid
	local st=$?
	if [ $st -eq 0 ]; then
		check "SIG$sig after ${delay}s: finished first, output complete" dump_ok "$out"
	else
		check "SIG$sig after ${delay}s: no output (exit $st)" [ ! -e "$out" ]
	fi
	check "SIG$sig after ${delay}s: no temporary left: $(ls -A "$tmp/kill")" \
		[ -z "$(ls -A "$tmp/kill" | grep -v '^out.btf$')" ]
}
vmlinux=/var/cache/btfenc-testdata/6.1.192-2/vmlinux
if [ -r "$vmlinux" ]; then
	for d in 0.5 2 5 9; do
		kill_during TERM $d -j 2 "$vmlinux"
	done
	kill_during INT 3 -j 2 "$vmlinux"
	# -J on a copy: the copy is untouched or complete, never cut short
	if [ "$(df -Pk "$tmp" | awk 'NR == 2 { print $4 }')" -gt $((3 * $(stat -c %s "$vmlinux") / 1024)) ]; then
		mkdir -p "$tmp/j" && cp "$vmlinux" "$tmp/j/vmlinux"
		sum=$(sha256sum <"$tmp/j/vmlinux")
		"$BTFENC" -j 2 -J "$tmp/j/vmlinux" 2>/dev/null &
		pid=$!
		# strike while the new file is being written: once its temporary
		# (.vmlinux.XXXXXX) exists
		for i in $(seq 600); do
			ls -A "$tmp/j" | grep -q '^\.vmlinux\.' && break
			kill -0 $pid 2>/dev/null || break
			sleep 0.1
		done
		check "-J: the temporary was seen before the end" [ "$i" -lt 600 ]
		kill -TERM $pid 2>/dev/null
		wait $pid
		st=$?
		check "-J SIGTERM: no temporary left" [ -z "$(ls -A "$tmp/j" | grep -v '^vmlinux$')" ]
		if [ $st -ne 0 ]; then
			check "-J SIGTERM: original untouched" [ "$sum" = "$(sha256sum <"$tmp/j/vmlinux")" ]
		else
			check "-J finished first: a complete ELF with .BTF" dump_ok "$tmp/j/vmlinux"
		fi
		rm -rf "$tmp/j"
	fi
else
	echo "note: $vmlinux not cached (tests/testdata.sh): signal tests skipped"
fi

# a full disk: a 64 KiB tmpfs, filled up
mkdir -p "$tmp/full"
if mount -t tmpfs -o size=64k tmpfs "$tmp/full" 2>/dev/null; then
	trap 'umount "$tmp/full" 2>/dev/null; rm -rf "$tmp"' EXIT
	cp "$tmp/good.o" "$tmp/full/j.o"
	sum=$(sha256sum <"$tmp/full/j.o")
	dd if=/dev/zero of="$tmp/full/fill" bs=1k count=64 2>/dev/null
	"$BTFENC" -o "$tmp/full/out.btf" "$tmp/good.o" 2>"$tmp/err"
	st=$?
	check "full disk: exit 1 (got $st)" [ $st -eq 1 ]
	check "full disk: says so: $(cat "$tmp/err")" grep -q "No space left on device" "$tmp/err"
	check "full disk: message names the output" grep -qF "$tmp/full/out.btf" "$tmp/err"
	check "full disk: no output, no temporary" [ -z "$(ls -A "$tmp/full" | grep -vx 'j.o\|fill')" ]
	"$BTFENC" -J "$tmp/full/j.o" 2>"$tmp/err"
	st=$?
	check "full disk -J: exit 1 (got $st)" [ $st -eq 1 ]
	check "full disk -J: says so: $(cat "$tmp/err")" grep -q "No space left on device" "$tmp/err"
	check "full disk -J: file unchanged" [ "$sum" = "$(sha256sum <"$tmp/full/j.o")" ]
	check "full disk -J: no temporary" [ -z "$(ls -A "$tmp/full" | grep -vx 'j.o\|fill')" ]
	umount "$tmp/full"
else
	echo "note: cannot mount a tmpfs (not root, or no permission): full-disk test skipped"
fi
finish
