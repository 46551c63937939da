#!/bin/bash
# The whole pipeline, as users run it: btfenc --min OBJ... vmlinux, from
# the DWARF of Debian's 6.1 kernel, for the libbpf-tools objects and our
# fixtures.  libbpf relocates every object with that BTF as with Debian's
# own .BTF of the same kernel, and the result holds the same types
# (ID-independent dump) as minimizing Debian's .BTF itself.
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

objs=("$dir"/*.bpf.o)
for f in core-fields core-direct core-types core-match; do
	bpf_cc clang "$BPF_FIXTURES/$f.bpf.c" "$tmp/$f.o" && objs+=("$tmp/$f.o")
done
bpf_ext_patch "$tmp/core-match.o" retype 8 12 >/dev/null
args=()
for o in "${objs[@]}"; do
	args+=(--min "$o")
done

check "btfenc --min ${#objs[@]} objects on the vmlinux (DWARF)" \
	"$BTFENC" "${args[@]}" -o "$tmp/dwarf.btf" "$kdir/vmlinux" || finish
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
finish
