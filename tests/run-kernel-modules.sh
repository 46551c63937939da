#!/bin/bash
# Debian's module debug files (ET_REL, relocations applied) as split BTF on
# the vmlinux BTF: libbpf parses the result on that base, and its types
# other than functions and variables equal the module's own .BTF, compared
# independently of type IDs.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
need_tool btfcanon
kdir=$(testdata_kernel) || skip "the Debian cloud kernel debug package cannot be had here"
ref=$(testdata_ref_btf) || skip "cannot extract Debian's .BTF from $kdir/vmlinux"
kinds=INT,PTR,ARRAY,STRUCT,UNION,ENUM,ENUM64,FWD,TYPEDEF,VOLATILE,CONST,RESTRICT,FLOAT

nr=0
for ko in "$kdir"/modules/*.ko; do
	m=$(basename "$ko" .ko)
	out=$tmp/$m.btf
	check "$m: btfenc --base" "$BTFENC" --base "$ref" -o "$out" "$ko" || continue
	canon --base "$ref" --split-only --kinds "$kinds" "$ko" >"$tmp/$m.ref" ||
		{ fail "$m: btfcanon on the module's own .BTF"; continue; }
	canon --base "$ref" --split-only --kinds "$kinds" "$out" >"$tmp/$m.ours" ||
		{ fail "$m: libbpf cannot parse btfenc's split BTF"; continue; }
	diff "$tmp/$m.ref" "$tmp/$m.ours" >"$tmp/$m.diff"
	check "$m: same types as its own .BTF ($(grep -c '^[<>]' "$tmp/$m.diff") lines differ, $(wc -l <"$tmp/$m.ref") types)" [ ! -s "$tmp/$m.diff" ] ||
		head -n 10 "$tmp/$m.diff"
	nr=$((nr + 1))
done
check "at least 20 modules compared ($nr)" [ "$nr" -ge 20 ]
finish
