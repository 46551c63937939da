#!/bin/bash
# Debian's module debug files (ET_REL, relocations applied) as split BTF on
# the vmlinux BTF: libbpf parses the result on that base, and its types
# other than functions and variables equal the module's own .BTF, compared
# independently of type IDs.
#
# Which split struct a module keeps when it meets a base FWD depends on the
# order of its compilation units, and Debian built its modules with pahole's
# multi-threaded -j, whose unit order is not reproducible.  Where Debian's
# .BTF differs from ours, the same comparison must hold against pahole
# 1.24 run serially on the same file (the same libbpf dedup, in unit
# order); at most 3 of the modules may need that.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
need_tool btfcanon
kdir=$(testdata_kernel) || skip "the Debian cloud kernel debug package cannot be had here"
ref=$(testdata_ref_btf) || skip "cannot extract Debian's .BTF from $kdir/vmlinux"
kinds=INT,PTR,ARRAY,STRUCT,UNION,ENUM,ENUM64,FWD,TYPEDEF,VOLATILE,CONST,RESTRICT,FLOAT

# Debian's module BTF (libbpf's dedup) leaves a few base types repeated in
# a split (their records are base records, names and all: btfcanon
# --repeats); btfenc repeats none.  Those are left out of the comparison,
# and named.
nr=0
nr_serial=0
for ko in "$kdir"/modules/*.ko; do
	m=$(basename "$ko" .ko)
	out=$tmp/$m.btf
	check "$m: btfenc --base" "$BTFENC" --base "$ref" -o "$out" "$ko" || continue
	canon --base "$ref" --split-only --kinds "$kinds" "$ko" >"$tmp/$m.all" ||
		{ fail "$m: btfcanon on the module's own .BTF"; continue; }
	canon --base "$ref" --repeats --kinds "$kinds" "$ko" >"$tmp/$m.repeats"
	[ -s "$tmp/$m.repeats" ] &&
		echo "$m: Debian's split BTF repeats $(wc -l <"$tmp/$m.repeats") base type(s): $(cut -c 1-100 "$tmp/$m.repeats" | head -n 3)"
	grep -vFxf "$tmp/$m.repeats" "$tmp/$m.all" >"$tmp/$m.ref"
	canon --base "$ref" --split-only --kinds "$kinds" "$out" >"$tmp/$m.ours" ||
		{ fail "$m: libbpf cannot parse btfenc's split BTF"; continue; }
	check "$m: btfenc's split BTF repeats no base type" \
		[ -z "$(canon --base "$ref" --repeats "$out")" ]
	diff "$tmp/$m.ref" "$tmp/$m.ours" >"$tmp/$m.diff"
	nr=$((nr + 1))
	if [ ! -s "$tmp/$m.diff" ]; then
		ok
		continue
	fi
	echo "$m: $(grep -c '^[<>]' "$tmp/$m.diff") lines differ from Debian's .BTF; comparing with serial pahole 1.24"
	nr_serial=$((nr_serial + 1))
	if ! command -v pahole >/dev/null; then
		fail "$m: differs from its own .BTF and pahole is not here to tell why"
		continue
	fi
	pahole --btf_gen_floats --btf_base="$ref" --btf_encode_detached="$tmp/$m.pahole.btf" "$ko" 2>/dev/null
	canon --base "$ref" --repeats --kinds "$kinds" "$tmp/$m.pahole.btf" \
		>"$tmp/$m.pahole.repeats"
	canon --base "$ref" --split-only --kinds "$kinds" "$tmp/$m.pahole.btf" |
		grep -vFxf "$tmp/$m.pahole.repeats" >"$tmp/$m.pahole"
	check "$m: same types as serial pahole 1.24 on it" diff "$tmp/$m.pahole" "$tmp/$m.ours" ||
		head -n 10 "$tmp/$m.diff"
done
# The base's arrays are flat (pahole 1.24): a module on it follows, or
# every base type holding a multi-dimensional array would come again in
# the module's split BTF.
ko=$kdir/modules/nf_tables.ko
if [ -e "$ko" ]; then
	"$BTFENC" -v --base "$ref" -o "$tmp/auto.btf" "$ko" 2>"$tmp/auto.err"
	check "nf_tables: flat arrays taken from the base, and said so" \
		grep -q "arrays are flat" "$tmp/auto.err"
	"$BTFENC" --arrays=nested --base "$ref" -o "$tmp/nested.btf" "$ko"
	a=$(canon --base "$ref" --split-only "$tmp/auto.btf" | wc -l)
	n=$(canon --base "$ref" --split-only "$tmp/nested.btf" | wc -l)
	check "nf_tables: --arrays=nested on that base repeats base types ($a, $n own)" \
		[ "$n" -gt "$a" ]
fi
check "at least 20 modules compared ($nr)" [ "$nr" -ge 20 ]
check "at most 3 modules differ from Debian's own .BTF ($nr_serial)" [ "$nr_serial" -le 3 ]
finish
