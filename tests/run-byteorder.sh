#!/bin/bash
# Raw BTF comes out in the byte order of the input's target, as the kernel
# that loads it reads it: an s390x or big-endian ppc64 object gives
# big-endian BTF with -o, in pahole mode's --btf_encode_detached and from
# a batch, the same types as the .BTF that -J adds to a copy of it.  A
# little-endian input keeps little-endian output.  libbpf reads either
# order (btfcanon), so the types are compared through it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
need_cmd clang
need_tool btfcanon

# magic FILE: the first two bytes in hex ("eb9f": big-endian, "9feb": little)
magic()
{
	od -An -tx1 -N2 "$1" | tr -d ' \n'
}

n=0
for target in s390x-linux-gnu powerpc64-linux-gnu; do
	obj=$tmp/$target.o
	clang --target="$target" -g -O1 -c -o "$obj" "$FIXTURES/structs.c" 2>/dev/null ||
		continue
	n=$((n + 1))
	check "$target: btfenc -o" "$BTFENC" -o "$tmp/$target.btf" "$obj" || continue
	check "$target: -o output is big-endian ($(magic "$tmp/$target.btf"))" \
		[ "$(magic "$tmp/$target.btf")" = eb9f ]
	cp "$obj" "$tmp/$target-J.o"
	check "$target: btfenc -J" "$BTFENC" -J "$tmp/$target-J.o"
	canon "$tmp/$target.btf" >"$tmp/$target.canon" ||
		fail "$target: libbpf cannot parse the -o output"
	canon "$tmp/$target-J.o" >"$tmp/$target-J.canon"
	check "$target: -o and -J give the same types" \
		diff -u "$tmp/$target-J.canon" "$tmp/$target.canon"
	ln -sf "$BTFENC" "$tmp/pahole"
	"$tmp/pahole" --btf_encode_detached="$tmp/$target.detached" "$obj"
	check "$target: pahole mode's detached BTF is big-endian" \
		[ "$(magic "$tmp/$target.detached")" = eb9f ]
	mkdir -p "$tmp/batch-$target"
	"$BTFENC" --out-dir "$tmp/batch-$target" "$obj" 2>/dev/null
	out=$(ls "$tmp/batch-$target"/*.btf 2>/dev/null | head -n 1)
	check "$target: a batch output is big-endian" \
		[ -n "$out" ] && [ "$(magic "$out")" = eb9f ]
	"$BTFENC" -o "$tmp/$target.again.btf" "$tmp/$target.btf"
	check "$target: big-endian raw BTF read back and written again: the same bytes" \
		cmp "$tmp/$target.btf" "$tmp/$target.again.btf"
done
[ "$n" -gt 0 ] || skip "clang cannot compile for s390x or ppc64 here"

gcc -g -c -o "$tmp/le.o" "$FIXTURES/structs.c"
"$BTFENC" -o "$tmp/le.btf" "$tmp/le.o"
check "x86-64: -o output stays little-endian ($(magic "$tmp/le.btf"))" \
	[ "$(magic "$tmp/le.btf")" = 9feb ]
finish
