#!/bin/bash
# clang ThinLTO (-flto=thin -fuse-ld=lld): the functions a backend imports
# from other modules bring their compile units along, and the DWARF of one
# unit then refers to types and abstract origins in another with
# DW_FORM_ref_addr, as throughout an LTO kernel.  The program of
# tests/units/ (a.c, b.c, c.c, main.c) plus a chain of generated units, each
# calling the previous one, is built with and without LTO, same flags
# otherwise, DWARF 4 and 5.  btfenc must give the same types from both
# (ID-independent dumps), never a member or parameter of type void where
# the source has none, and the same bytes at every -j on every run.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
need_cmd clang ld.lld llvm-dwarfdump nm
need_tool btfcanon
src=$top_srcdir/tests/units
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

# The chain: unit i has its own struct pointing at unit i-1's (the first at
# the last's, a declaration there) and calls unit i-1's function, which LTO
# imports and inlines.
nr_chain=8
for i in $(seq 1 $nr_chain); do
	p=$((i > 1 ? i - 1 : nr_chain))
	{
		echo '#include "common.h"'
		echo "struct own_$i { shape_t base; struct own_$p *prev; union value v; enum shape_kind k; u32 n$i; };"
		echo "struct own_$i own_$i;"
		[ $i -gt 1 ] && echo "int chain_$p(int n);"
		echo "int chain_$i(int n)"
		echo "{"
		echo "	own_$i.n$i += n;"
		if [ $i -gt 1 ]; then
			echo "	return registry_add((struct registry *)&own_$i.v, &own_$i.base) + chain_$p(n - 1);"
		else
			echo "	return registry_add((struct registry *)&own_$i.v, &own_$i.base);"
		fi
		echo "}"
	} >"$tmp/u$i.c"
done
echo "int chain_last(int n) { int chain_$nr_chain(int); return chain_$nr_chain(n); }" >>"$tmp/u$nr_chain.c"
srcs=("$src/a.c" "$src/b.c" "$src/c.c" "$src/main.c")
for i in $(seq 1 $nr_chain); do
	srcs+=("$tmp/u$i.c")
done

# Every global function stays (--export-dynamic), so that both builds have
# the same functions: LTO would otherwise drop those main does not reach,
# a legitimate difference in FUNC records.
cflags=(-g -O2 -fuse-ld=lld -Wl,--export-dynamic -I"$src")

# void_members CANON: members, parameters and variables of type void
# ("name:void"; "-> void" is a real void)
void_members()
{
	grep -oE '[A-Za-z0-9_]:void\b' "$1" | wc -l
}

tested=0
for ver in 4 5; do
	d=$tmp/dwarf$ver
	mkdir -p "$d"
	clang "${cflags[@]}" -gdwarf-$ver -o "$d/plain" "${srcs[@]}" ||
		{ fail "dwarf$ver: clang without LTO"; continue; }
	clang "${cflags[@]}" -gdwarf-$ver -flto=thin -o "$d/lto" "${srcs[@]}" ||
		{ fail "dwarf$ver: clang -flto=thin"; continue; }
	llvm-dwarfdump -v --debug-info "$d/lto" >"$d/lto.dwarf" 2>/dev/null
	nr_ref=$(grep -c 'DW_FORM_ref_addr' "$d/lto.dwarf")
	nr_type=$(grep -c 'DW_AT_type \[DW_FORM_ref_addr\]' "$d/lto.dwarf")
	echo "dwarf$ver: $nr_ref DW_FORM_ref_addr references, $nr_type of them DW_AT_type"
	if [ "$nr_type" -eq 0 ]; then
		echo "note: dwarf$ver: clang made no cross-unit type reference: nothing to test"
		continue
	fi
	tested=$((tested + 1))
	nm "$d/plain" | awk '$2 ~ /^[tT]$/ { print $3 }' | sort >"$d/plain.syms"
	nm "$d/lto" | awk '$2 ~ /^[tT]$/ { print $3 }' | sort >"$d/lto.syms"
	check "dwarf$ver: both builds have the same functions" cmp -s "$d/plain.syms" "$d/lto.syms" ||
		diff "$d/plain.syms" "$d/lto.syms"

	check "dwarf$ver: btfenc without LTO" "$BTFENC" -o "$d/plain.btf" "$d/plain" || continue
	"$BTFENC" -o "$d/lto.btf" "$d/lto" 2>"$d/lto.err"
	rc=$?
	[ -s "$d/lto.err" ] && head -n 3 "$d/lto.err"
	check "dwarf$ver: btfenc with LTO (exit $rc)" [ $rc -eq 0 ] || continue
	check "dwarf$ver: no message" [ ! -s "$d/lto.err" ]
	canon "$d/plain.btf" >"$d/plain.canon"
	canon "$d/lto.btf" >"$d/lto.canon"
	kinds=STRUCT,UNION,ENUM,ENUM64,TYPEDEF,FWD,INT,FLOAT
	diff <(canon --kinds $kinds "$d/plain.btf") <(canon --kinds $kinds "$d/lto.btf") >"$d/named.diff"
	check "dwarf$ver: the same named types ($(grep -c '^[<>]' "$d/named.diff") lines differ)" \
		[ ! -s "$d/named.diff" ] || head -n 10 "$d/named.diff"
	diff "$d/plain.canon" "$d/lto.canon" >"$d/all.diff"
	check "dwarf$ver: the same types of every kind ($(grep -c '^[<>]' "$d/all.diff") lines differ)" \
		[ ! -s "$d/all.diff" ] || head -n 10 "$d/all.diff"
	check "dwarf$ver: without LTO, nothing of type void (oracle)" \
		[ "$(void_members "$d/plain.canon")" -eq 0 ]
	check "dwarf$ver: with LTO, nothing of type void ($(void_members "$d/lto.canon") found)" \
		[ "$(void_members "$d/lto.canon")" -eq 0 ]
	check "dwarf$ver: one struct shape ($(grep -c '^STRUCT shape ' "$d/lto.canon") found)" \
		[ "$(grep -c '^STRUCT shape ' "$d/lto.canon")" -eq 1 ]
	check "dwarf$ver: struct shape's members typed" \
		grep -q "^STRUCT shape size=72 {link:struct list_node @0; kind:enum shape_kind @128;" \
		"$d/lto.canon"

	# The same bytes at every -j, on every run
	differ=0
	for run in $(seq 1 20); do
		case $((run % 3)) in
		0) j=1 ;;
		1) j=2 ;;
		2) j=8 ;;
		esac
		rm -f "$d/run.btf"
		if ! "$BTFENC" -j$j -o "$d/run.btf" "$d/lto" 2>/dev/null ||
		   ! cmp -s "$d/lto.btf" "$d/run.btf"; then
			differ=$((differ + 1))
			echo "dwarf$ver: run $run at -j$j: failed or other bytes"
		fi
	done
	check "dwarf$ver: the same bytes in 20 runs at -j1, -j2, -j8 ($differ differ)" [ $differ -eq 0 ]
done
[ $tested -gt 0 ] || skip "clang made no cross-unit DW_FORM_ref_addr type reference"
finish
