#!/bin/bash
# The whole pipeline, as users run it: btfenc --min OBJ... vmlinux, from
# the DWARF of Debian's 6.1 kernel, for the libbpf-tools objects and our
# fixtures.  libbpf relocates every object with that BTF as with Debian's
# own .BTF of the same kernel, and the result holds the same types
# (ID-independent dump) as minimizing Debian's .BTF itself; and the same
# bytes as minimizing btfenc's whole BTF of that kernel, whether --min read
# the DWARF for types alone or whole.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
. "$FIXTURES/bpf/min-subr.sh"
need_cmd clang perl
need_tool bpfcarve corecheck btfcanon
min_need_btfenc
"$TOOLS/corecheck" --load /dev/null /sys/kernel/btf/vmlinux >/dev/null 2>&1
[ $? -eq 77 ] && skip "bpf() is refused here: libbpf cannot relocate"
kdir=$(testdata_kernel) || skip "the Debian cloud kernel debug package cannot be had here"
ref=$(testdata_ref_btf) || skip "cannot extract Debian's .BTF from $kdir/vmlinux"
dir=$(testdata_bpf_objs "$TOOLS/bpfcarve") || skip "libbpf-tools' objects cannot be had here"

tools=("$dir"/*.bpf.o)
objs=("${tools[@]}")
for f in core-fields core-direct core-types core-match core-proto; do
	check "clang builds $f.bpf.c" bpf_cc clang "$BPF_FIXTURES/$f.bpf.c" "$tmp/$f.o" &&
		objs+=("$tmp/$f.o")
done
bpf_ext_patch "$tmp/core-match.o" retype 8 12 >/dev/null
args=()
for o in "${objs[@]}"; do
	args+=(--min "$o")
done

# min_stats OUT STATS ARGS...: btfenc --stats ARGS -o OUT vmlinux, its
# stderr in STATS
min_stats()
{
	local out=$1 stats=$2

	shift 2
	"$BTFENC" --stats "$@" -o "$out" "$kdir/vmlinux" 2>"$stats"
}

check "btfenc --min ${#objs[@]} objects on the vmlinux (DWARF)" \
	min_stats "$tmp/dwarf.btf" "$tmp/dwarf.stats" "${args[@]}" || finish
check "btfenc --min ${#objs[@]} objects on Debian's .BTF" \
	"$BTFENC" "${args[@]}" -o "$tmp/ref.btf" "$ref" || finish
echo "minimized from DWARF: $(stat -c %s "$tmp/dwarf.btf") bytes, from Debian's .BTF: $(stat -c %s "$tmp/ref.btf")"
canon "$tmp/dwarf.btf" >"$tmp/dwarf.canon"
canon "$tmp/ref.btf" >"$tmp/ref.canon"
check "both hold the same types" diff -u "$tmp/ref.canon" "$tmp/dwarf.canon"
for o in "${objs[@]}"; do
	check "$(basename "$o"): relocated as with Debian's .BTF" \
		min_same_relocation "$o" "$ref" "$tmp/dwarf.btf"
done

# --min reads the DWARF for types alone when no record is about a function
# or variable (here none is): the bytes must be those of minimizing
# btfenc's whole BTF of the same kernel, with the functions and variables
# in it, also for what core-proto keeps (a FUNC_PROTO, which the kernel's
# interrupt handlers have too) and core-match (TYPE_MATCHES).
check "the types alone were read" grep -q "reading types only" "$tmp/dwarf.stats"
check "btfenc encodes the whole vmlinux" \
	"$BTFENC" -o "$tmp/full.btf" "$kdir/vmlinux" || finish
check "btfenc --min ${#objs[@]} objects on that BTF" \
	"$BTFENC" "${args[@]}" -o "$tmp/full-min.btf" "$tmp/full.btf"
check "the same bytes as from the types alone" \
	cmp "$tmp/full-min.btf" "$tmp/dwarf.btf"
check "a prototype is kept" \
	grep -q "FUNC_PROTO" <("$BTFENC" --dump "$tmp/dwarf.btf")
"$BTFENC" --dump "$tmp/full.btf" >"$tmp/full.dump"
check "the whole BTF has the functions" grep -q "^\[[0-9]*\] FUNC " "$tmp/full.dump"
check "the whole BTF has the variables" grep -q "^\[[0-9]*\] VAR " "$tmp/full.dump"
tool_args=()
for o in "${tools[@]}"; do
	tool_args+=(--min "$o")
done
check "libbpf-tools objects alone, from the types alone" \
	min_stats "$tmp/tools-dwarf.btf" "$tmp/tools.stats" "${tool_args[@]}"
check "libbpf-tools objects alone: the types alone were read" \
	grep -q "reading types only" "$tmp/tools.stats"
check "libbpf-tools objects alone, from the whole BTF" \
	"$BTFENC" "${tool_args[@]}" -o "$tmp/tools-full.btf" "$tmp/full.btf"
check "libbpf-tools objects alone: the same bytes both ways" \
	cmp "$tmp/tools-full.btf" "$tmp/tools-dwarf.btf"
finish
