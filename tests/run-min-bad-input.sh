#!/bin/bash
# btfenc --min on bad objects: each is refused with a message naming the
# file and the place, exit status 1, and no output file.  Covers files that
# are not BPF objects, a missing .BTF, corrupt .BTF.ext records, and a
# relocation libbpf itself rejects (two candidates resolving differently).
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$FIXTURES/bpf/min-subr.sh"
need_cmd clang perl llvm-objcopy
min_need_btfenc
target=/sys/kernel/btf/vmlinux
[ -r "$target" ] || skip "no /sys/kernel/btf/vmlinux to minimize"

# refused OBJ TARGET MESSAGE: btfenc --min fails, says MESSAGE, writes nothing
refused()
{
	local obj=$1 tgt=$2 msg=$3 out=$tmp/out.btf st

	rm -f "$out"
	"$BTFENC" --min "$obj" -o "$out" "$tgt" 2>"$tmp/err"
	st=$?
	check "$(basename "$obj"): exit status 1 (got $st)" [ "$st" = 1 ]
	check "$(basename "$obj"): says '$msg'" grep -qF -- "$msg" "$tmp/err" ||
		cat "$tmp/err"
	check "$(basename "$obj"): no output file" [ ! -e "$out" ]
}

echo "not an object" >"$tmp/text.o"
refused "$tmp/text.o" "$target" "$tmp/text.o: not an ELF file"

printf 'int main(void) { return 0; }\n' >"$tmp/host.c"
clang -c "$tmp/host.c" -o "$tmp/host.o"
refused "$tmp/host.o" "$target" "$tmp/host.o: not a BPF object (ELF machine 62, BPF is 247)"

printf 'int f(void) { return 0; }\n' >"$tmp/nobtf.c"
clang -target bpf -O2 -c "$tmp/nobtf.c" -o "$tmp/nobtf.o"
refused "$tmp/nobtf.o" "$target" "$tmp/nobtf.o: no .BTF section"

good=$tmp/good.o
bpf_cc clang "$BPF_FIXTURES/core-fields.bpf.c" "$good"
# bad_ext NAME WHAT ARG MESSAGE: a copy of the good object, patched
bad_ext()
{
	cp "$good" "$tmp/$1.o"
	check "$1: patched" [ "$(bpf_ext_patch "$tmp/$1.o" "$2" "$3")" = 1 ]
	refused "$tmp/$1.o" "$target" "$4"
}
bad_ext recsize recsize 8 "$tmp/recsize.o: .BTF.ext: CO-RE record size 8 is not valid"
# the index is that of the first record past the end: the compiler's count
bad_ext count count 100000 "$tmp/count.o: .BTF.ext: CO-RE record"
check "count.o: names the section, says the record is past its end" \
	grep -qF "(section 'kprobe/do_nanosleep') points past the section end" "$tmp/err"
bad_ext access access 268435455 "$tmp/access.o: .BTF.ext: CO-RE record 0 (section 'kprobe/do_nanosleep', relocation #0): access string offset out of range"
bad_ext kind kind 99 "$tmp/kind.o: .BTF.ext: CO-RE record 0 (section 'kprobe/do_nanosleep', relocation #0): unknown relocation kind"
bad_ext corelen corelen 2147483647 "$tmp/corelen.o: .BTF.ext: CO-RE relocations (offset"
check "corelen.o: says the section is past the end" \
	grep -qF "2147483647 bytes) points past the section end" "$tmp/err"

# Two flavors of one struct, with the field at different offsets: libbpf
# stops on the relocation, so does btfenc
cat >"$tmp/amb-target.c" <<'XEOF'
struct amb { int a; int x; } amb1;
struct amb___2 { int x; } amb2;
XEOF
cat >"$tmp/amb.bpf.c" <<'XEOF'
#include "core-common.h"
struct amb { int a; int x; } __pai;
SEC("kprobe/amb") int amb(struct amb *p) { return p->x; }
XEOF
clang -target bpf -g -c "$tmp/amb-target.c" -o "$tmp/amb-target.o"
llvm-objcopy --dump-section .BTF="$tmp/amb-target.btf" "$tmp/amb-target.o" /dev/null
bpf_cc clang "$tmp/amb.bpf.c" "$tmp/amb.o"
refused "$tmp/amb.o" "$tmp/amb-target.btf" \
	"$tmp/amb.o: kprobe/amb: CO-RE relocation #0 (byte_off, access '0:1', STRUCT amb.x @ offset 4): candidates [STRUCT amb.x @ offset 4] and [STRUCT amb___2.x @ offset 0] resolve differently (bit offset 32 vs 0); libbpf rejects this object"
if [ -x "$TOOLS/corecheck" ]; then
	"$TOOLS/corecheck" "$tmp/amb.o" "$tmp/amb-target.btf" >"$tmp/amb.cc" 2>&1
	[ $? = 77 ] || check "libbpf agrees: field offset ambiguity" \
		grep -q "relo #0: field offset ambiguity" "$tmp/amb.cc"
fi
finish
