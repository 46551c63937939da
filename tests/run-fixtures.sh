#!/bin/bash
# Every fixture, compiled with gcc and clang at DWARF 4 and 5 (and with
# compressed debug sections): btfenc's BTF parses with libbpf, dumps with
# bpftool, is accepted by the running kernel's BTF verifier (where bpf() is
# allowed), and holds the same types as pahole's for the same object,
# compared independently of type IDs.  Fixtures named clang_*.c use clang
# extensions and are built with clang only.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
need_cmd gcc clang pahole bpftool
need_tool btfcanon

compilers()
{
	case $(basename "$1") in
	clang[-_]*) echo clang ;;
	gcc[-_]*) echo gcc ;;
	*) echo gcc clang ;;
	esac
}

# one_object OBJ LABEL [EXPECTED]: the per-object checks.  A fixture where
# btfenc differs from pahole on purpose has an expected canonical dump.
# The pahole here (1.24) flattens multi-dimensional arrays: so does
# --arrays=flat (the default nesting is checked on its own below).
one_object()
{
	local obj=$1 label=$2 expected=${3:-} out=$tmp/$2.btf ref=$tmp/$2.pahole.btf

	check "$label: btfenc succeeds" "$BTFENC" --arrays=flat -o "$out" "$obj" || return
	check "$label: bpftool reads it" bpftool btf dump file "$out" >/dev/null || return
	if [ "$can_load" = yes ]; then
		check "$label: the kernel's BTF verifier accepts it" "$TOOLS/btfload" "$out"
	fi
	if [ -n "$expected" ]; then
		canon "$out" >"$tmp/$label.canon" ||
			{ fail "$label: libbpf cannot parse btfenc's output"; return; }
		check "$label: as tests/expected/$(basename "$expected")" \
			diff -u "$expected" "$tmp/$label.canon"
		return
	fi
	pahole --btf_gen_floats --btf_encode_detached="$ref" "$obj" 2>/dev/null ||
		{ fail "$label: pahole failed on the fixture"; return; }
	canon "$out" >"$tmp/$label.canon" || { fail "$label: libbpf cannot parse btfenc's output"; return; }
	canon "$ref" >"$tmp/$label.pahole.canon"
	check "$label: same types as pahole" \
		diff -u "$tmp/$label.pahole.canon" "$tmp/$label.canon"
}

can_load=no
if kernel_can_load_btf; then
	can_load=yes
else
	echo "note: bpf() is refused here: the kernel verifier checks are not run"
fi

nr=0
for src in "$FIXTURES"/*.c; do
	name=$(basename "$src" .c)
	expected=$top_srcdir/tests/expected/$name.canon
	[ -e "$expected" ] || expected=
	for cc in $(compilers "$src"); do
		for ver in 4 5; do
			label=$name-$cc-dw$ver
			compile_fixture "$src" "$cc" "$ver" "$tmp/$label.o" ||
				{ fail "$label: does not compile"; continue; }
			one_object "$tmp/$label.o" "$label" "$expected"
			nr=$((nr + 1))
		done
		# compressed debug sections
		label=$name-$cc-gz
		if compile_fixture "$src" "$cc" 5 "$tmp/$label.o" -gz=zlib 2>/dev/null; then
			one_object "$tmp/$label.o" "$label" "$expected"
		fi
	done
done
[ "$nr" -gt 0 ] || fail "no fixture found in $FIXTURES"

# A linked shared object (ET_DYN) too
if gcc -g -shared -fPIC -o "$tmp/lib.so" "$FIXTURES"/funcs.c 2>/dev/null; then
	one_object "$tmp/lib.so" lib-so
fi

# --features=-float: FLOAT becomes INT of the same size, as pahole without
# --btf_gen_floats
if [ -e "$FIXTURES/base_types.c" ]; then
	compile_fixture "$FIXTURES/base_types.c" gcc 5 "$tmp/bt.o"
	check "--features=-float" "$BTFENC" --features=-float -o "$tmp/nf.btf" "$tmp/bt.o"
	pahole --btf_encode_detached="$tmp/nf.pahole.btf" "$tmp/bt.o"
	check "-float: same types as pahole without --btf_gen_floats" \
		diff -u <(canon "$tmp/nf.pahole.btf") <(canon "$tmp/nf.btf")
	check "-float: no FLOAT left" bash -c "! bpftool btf dump file '$tmp/nf.btf' | grep -q ' FLOAT '"
fi
# By default multi-dimensional arrays nest, as pahole 1.32 writes them:
# int two[2][3] is an ARRAY(2) of ARRAY(3) of int, and a flexible array's
# inner dimension stays (a flat u8[6][0] is one ARRAY(0)).
gcc -g -c -o "$tmp/nest.o" "$FIXTURES/arrays.c"
cat >"$tmp/flex2.c" <<'EOF2'
struct mac_table { int n; unsigned char addr[6][0]; } mac_table_g;
EOF2
gcc -g -c -o "$tmp/flex2.o" "$tmp/flex2.c"
"$BTFENC" -o "$tmp/nest.btf" "$tmp/nest.o" && "$BTFENC" -o "$tmp/flex2.btf" "$tmp/flex2.o"
canon "$tmp/nest.btf" >"$tmp/nest.canon"
canon "$tmp/flex2.btf" >"$tmp/flex2.canon"
check "nested by default: int two[2][3]" \
	grep -qF "two:array [2] idx=int 'int' -> array [3] idx=int 'int' -> int 'int' @128" "$tmp/nest.canon"
check "nested by default: char three[2][3][4]" \
	grep -qF "three:array [2] idx=int 'int' -> array [3] idx=int 'int' -> array [4] idx=int 'int' -> int 'char' @320" "$tmp/nest.canon"
check "nested by default: a flexible array keeps its dimensions" \
	grep -qE "addr:array \[6\] idx=.* -> array \[0\] idx=.* -> int 'unsigned char'" "$tmp/flex2.canon"
"$BTFENC" --arrays=flat -o "$tmp/flat.btf" "$tmp/nest.o"
check "--arrays=flat: int two[2][3] is one ARRAY(6)" \
	grep -qF "two:array [6] idx=int 'int' -> int 'int' @128" <(canon "$tmp/flat.btf")
check "--arrays=nested is the default" cmp "$tmp/nest.btf" <("$BTFENC" --arrays=nested -o - "$tmp/nest.o")
BTFENC_ARRAYS=flat "$BTFENC" -o "$tmp/envflat.btf" "$tmp/nest.o"
check "BTFENC_ARRAYS=flat flattens" cmp "$tmp/flat.btf" "$tmp/envflat.btf"
BTFENC_ARRAYS=flat "$BTFENC" --arrays=nested -o "$tmp/envnest.btf" "$tmp/nest.o"
check "--arrays overrides BTFENC_ARRAYS" cmp "$tmp/nest.btf" "$tmp/envnest.btf"
ln -sf "$BTFENC" "$tmp/pahole"
"$tmp/pahole" --btf_encode_detached="$tmp/pm.btf" "$tmp/nest.o"
BTFENC_ARRAYS=flat "$tmp/pahole" --btf_encode_detached="$tmp/pmflat.btf" "$tmp/nest.o"
check "pahole mode nests as pahole 1.32" \
	grep -qF "two:array [2] idx=int 'int' -> array [3]" <(canon "$tmp/pm.btf")
check "pahole mode with BTFENC_ARRAYS=flat flattens" \
	grep -qF "two:array [6] idx=int 'int' -> int 'int' @128" <(canon "$tmp/pmflat.btf")
BTFENC_ARRAYS=diagonal "$BTFENC" -o "$tmp/bad.btf" "$tmp/nest.o" 2>"$tmp/bad.err"
check "BTFENC_ARRAYS=diagonal: usage error (exit 2), no output" \
	[ $? -eq 2 ] && [ ! -e "$tmp/bad.btf" ] && grep -q "BTFENC_ARRAYS" "$tmp/bad.err"
"$BTFENC" --arrays=sideways -o "$tmp/bad.btf" "$tmp/nest.o" 2>"$tmp/bad.err"
check "--arrays=sideways: usage error (exit 2), no output" \
	[ $? -eq 2 ] && [ ! -e "$tmp/bad.btf" ] && grep -q -- "--arrays" "$tmp/bad.err"
finish
