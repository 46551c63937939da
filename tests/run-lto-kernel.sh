#!/bin/bash
# A clang ThinLTO kernel (tests/testdata.sh: testdata_lto_kernel), whose
# DWARF refers across units with DW_FORM_ref_addr throughout, against the
# BTF pahole gave it in its own build.  With the features its build asked
# pahole for, btfenc gives the vmlinux's .BTF, and each module's split BTF
# on it, with the same types of every kind but FUNC, compared independently
# of type IDs.  Which functions get a FUNC is chosen by rules of their own
# (btfenc(1), FUNCTIONS), which pahole 1.24 did not have: the counts are
# printed, and FUNC_PROTO may differ only by the prototypes of functions
# one side left out.  A split BTF never repeats a type of its base; where
# the module's own .BTF does, that type is left out of the comparison.
# And the same bytes on every run, at every -j.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
need_tool btfcanon
need_cmd objcopy llvm-dwarfdump

kdir=$(testdata_lto_kernel) || skip "a clang ThinLTO kernel cannot be built here (see above)"
vmlinux=$kdir/vmlinux
echo "kernel: $(cat "$kdir/VERSION"), $(grep -c . <(ls "$kdir"/modules/*.ko)) modules"

nr_xref=$(llvm-dwarfdump -v --debug-info "$vmlinux" | grep -c DW_FORM_ref_addr)
[ "${nr_xref:-0}" -gt 0 ] ||
	skip "$vmlinux has no DW_FORM_ref_addr reference: not the DWARF of an LTO link"
echo "DW_FORM_ref_addr attributes in the vmlinux: $nr_xref"

ref=$tmp/ref.btf
objcopy --dump-section .BTF="$ref" "$vmlinux" /dev/null 2>/dev/null && [ -s "$ref" ] ||
	skip "$vmlinux has no .BTF (the build's pahole did not run?)"

# The features of that build's pahole: PAHOLE_FLAGS from the kernel's own
# scripts/pahole-flags.sh, for the pahole version the build saw
# (CONFIG_PAHOLE_VERSION), read as run-kernel-build.sh reads them.
pver=$(sed -n 's/^CONFIG_PAHOLE_VERSION=//p' "$kdir/.config")
[ -n "$pver" ] && [ "$pver" -gt 0 ] || skip "$kdir/.config has no CONFIG_PAHOLE_VERSION"
src=$(testdata_lto_kernel_scripts "$kdir") || skip "the scripts of $(cat "$kdir/VERSION") cannot be had"
[ -f "$src/scripts/pahole-flags.sh" ] || skip "$src has no scripts/pahole-flags.sh"
printf '#!/bin/sh\necho v%s.%s\n' "${pver%??}" "${pver#"${pver%??}"}" >"$tmp/pahole"
chmod +x "$tmp/pahole"
flags=$(PAHOLE=$tmp/pahole sh "$src/scripts/pahole-flags.sh")
echo "pahole $("$tmp/pahole") in the build: PAHOLE_FLAGS '$flags' ($(cat "$src/PACKAGE"))"
feats=$(pahole_flags_features "$flags") ||
	fail "PAHOLE_FLAGS '$flags': a flag this test does not know"
echo "btfenc --features $feats"

# Every kind but FUNC and FUNC_PROTO line by line; FUNC_PROTO may differ
# only by the prototypes of functions one side has and the other not.
kinds=INT,PTR,ARRAY,STRUCT,UNION,ENUM,FWD,TYPEDEF,VOLATILE,CONST,RESTRICT
kinds+=,VAR,DATASEC,FLOAT,DECL_TAG,TYPE_TAG,ENUM64
# Kinds whose line says all of a type: one equal to a line of the base is
# the base's type again.
whole=STRUCT,UNION,ENUM,ENUM64,TYPEDEF,FWD,INT,FLOAT
canon --kinds "$whole" "$ref" | sort -u >"$tmp/base.whole"

# The FUNC_PROTO line of each FUNC line
protos_of()
{
	sed -n 's/^FUNC [^ ]* linkage=[a-z]* -> func_proto /FUNC_PROTO /p' "$1" | sort -u
}

# compare NAME REF OURS [--base BASE --split-only]
compare()
{
	local name=$1 r=$2 o=$3 p=$tmp/$1 n
	shift 3

	canon "$@" --kinds "$kinds" "$r" >"$p.ref" || { fail "$name: btfcanon on its own .BTF"; return; }
	canon "$@" --kinds "$kinds" "$o" >"$p.ours" || { fail "$name: libbpf cannot parse btfenc's BTF"; return; }
	if [ $# -gt 0 ]; then
		# A module's split BTF must not repeat a type of the base; where
		# pahole's does (libbpf's dedup left it), that is not asked of
		# btfenc.
		canon "$@" --kinds "$whole" "$o" | sort | comm -12 - "$tmp/base.whole" >"$p.repeat"
		check "$name: no type of the base repeated in the split BTF ($(grep -c . "$p.repeat"))" \
			[ ! -s "$p.repeat" ] || head -n 5 "$p.repeat"
		canon "$@" --kinds "$whole" "$r" | sort | comm -12 - "$tmp/base.whole" >"$p.ref-repeat"
		if [ -s "$p.ref-repeat" ]; then
			echo "$name: its own .BTF repeats $(grep -c . "$p.ref-repeat") type(s) of the base, left out of the comparison:"
			head -n 5 "$p.ref-repeat"
			sort "$p.ref" | comm -23 - <(sort -u "$p.ref-repeat") >"$p.ref.kept"
			mv "$p.ref.kept" "$p.ref"
		fi
	fi
	diff <(sort "$p.ref") <(sort "$p.ours") >"$p.diff"
	check "$name: the same $kinds types as its .BTF ($(grep -c '^[<>]' "$p.diff") lines differ)" \
		[ ! -s "$p.diff" ] || head -n 20 "$p.diff"

	canon "$@" --kinds FUNC "$r" >"$p.rf"
	canon "$@" --kinds FUNC "$o" >"$p.of"
	canon "$@" --kinds FUNC_PROTO "$r" >"$p.rp"
	canon "$@" --kinds FUNC_PROTO "$o" >"$p.op"
	comm -23 "$p.rf" "$p.of" >"$p.rf-only"
	comm -13 "$p.rf" "$p.of" >"$p.of-only"
	comm -23 "$p.rp" "$p.op" | comm -23 - <(protos_of "$p.rf-only") >"$p.rp-odd"
	comm -13 "$p.rp" "$p.op" | comm -23 - <(protos_of "$p.of-only") >"$p.op-odd"
	sed 's/^/< /' "$p.rp-odd" >"$p.p-odd"
	sed 's/^/> /' "$p.op-odd" >>"$p.p-odd"
	n=$(comm -3 "$p.rp" "$p.op" | grep -c .)
	check "$name: FUNC_PROTO differs only by prototypes of functions one side left out ($n lines differ)" \
		[ ! -s "$p.p-odd" ] || head -n 10 "$p.p-odd"
	echo "$name: FUNC: pahole $(grep -c . "$p.rf"), btfenc $(grep -c . "$p.of");" \
		"only pahole's $(grep -c . "$p.rf-only"), only btfenc's $(grep -c . "$p.of-only");" \
		"FUNC_PROTO: pahole $(grep -c . "$p.rp"), btfenc $(grep -c . "$p.op")"
}

out=$tmp/vmlinux.btf
# its .BTF is pahole 1.24's, which flattened multi-dimensional arrays
check "btfenc encodes the vmlinux" \
	"$BTFENC" -q -j2 --arrays=flat --features "$feats" -o "$out" "$vmlinux" || finish
compare vmlinux "$ref" "$out"

# Modules: split BTF on the vmlinux's own .BTF, as the build made theirs
nr=0
for ko in "$kdir"/modules/*.ko; do
	m=$(basename "$ko" .ko)
	check "$m: btfenc --base" \
		"$BTFENC" -q --features "$feats" --base "$ref" -o "$tmp/$m.btf" "$ko" || continue
	compare "$m" "$ko" "$tmp/$m.btf" --base "$ref" --split-only
	nr=$((nr + 1))
done
check "at least 3 modules compared ($nr)" [ "$nr" -ge 3 ]

# The same bytes on every run: cross-unit references resolved in whatever
# order the threads reach them
first=
for i in $(seq 1 20); do
	case $((i % 3)) in 1) j=1 ;; 2) j=2 ;; 0) j=8 ;; esac
	"$BTFENC" -q -j"$j" --arrays=flat --features "$feats" -o "$tmp/run.btf" "$vmlinux" ||
		{ fail "run $i (-j$j) failed"; continue; }
	if [ -z "$first" ]; then
		first=$tmp/first.btf
		mv "$tmp/run.btf" "$first"
		continue
	fi
	cmp -s "$first" "$tmp/run.btf" || fail "run $i (-j$j) differs from run 1 (-j1)"
done
check "20 runs at -j1, -j2 and -j8 give the same bytes" [ -n "$first" ]
check "... and those of the first encoding (-j2)" cmp "$first" "$out"
finish
