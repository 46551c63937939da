#!/bin/bash
# Which functions get a FUNC (btfenc(1), FUNCTIONS): each rule on a fixture
# that shows it, then the Debian cloud kernel against pahole 1.31's BTF of
# it (../shared/reference/), compared independently of type IDs.
#
# The kernel against pahole 1.31 (default features), FUNC names:
# - only in btfenc's output: none.
# - only in pahole's: 13, every one a clone (NAME.constprop.N or
#   NAME.isra.N) that gcc split into hot and cold parts (NAME...cold) and
#   that is not passed every parameter its DWARF declares, e.g.
#   bdev_name.constprop.0, whose 'fmt' is DW_OP_GNU_parameter_ref (a
#   constant of the caller, not an argument).  A split function has
#   DW_AT_ranges instead of DW_AT_low_pc; pahole reads only the latter,
#   takes no address for the code, so never sees that it is the clone, and
#   encodes a prototype with a parameter the code does not take (a pahole
#   bug not copied).  btfenc takes the start of the first range.
# The prototypes of the FUNCs both have, the VARs and the DATASEC are
# identical.  The check below holds each difference to its explanation.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
need_cmd gcc clang
need_tool btfcanon
FUNCS=$FIXTURES/funcs

# names FILE [BTFCANON ARGS]: the FUNC names, one line
names()
{
	canon --kinds FUNC "$@" | awk '{ print $2 }' | sort | tr '\n' ' ' | sed 's/ $//'
}

# proto FILE NAME: the FUNC's canonical line
proto()
{
	canon --kinds FUNC "$1" | awk -v n="$2" '$2 == n'
}

# expect_names LABEL FILE NAMES...: exactly these FUNCs
expect_names()
{
	local label=$1 file=$2 got
	shift 2
	got=$(names "$file")
	check "$label: FUNCs are '$*' (got '$got')" [ "$got" = "$*" ]
}

has_func()
{
	[ -n "$(proto "$1" "$2")" ]
}

# lacks FILE PATTERN: no canonical line of FILE matches PATTERN
lacks()
{
	! canon "$1" | grep -q -- "$2"
}

# holds FILE KINDS PATTERN: a canonical line of these kinds matches
holds()
{
	canon --kinds "$2" "$1" | grep -q -- "$3"
}

# reason LOG NAME TEXT: btfenc -v said NAME was left out because TEXT
reason()
{
	grep -q "function '$2' left out: .*$3" "$1"
}

# ---- hand-written DWARF: the ABI rules, exactly (x86-64) ----
case $(gcc -dumpmachine) in
x86_64-*)
	obj=$tmp/abi.o
	gcc -c "$FUNCS/abi-x86_64.S" -o "$obj" || fail "abi-x86_64.S does not assemble"
	"$BTFENC" -v -o "$tmp/abi.btf" "$obj" 2>"$tmp/abi.log"
	expect_names "abi" "$tmp/abi.btf" good keep kept
	check "abi: swapped registers" reason "$tmp/abi.log" swapped "not in its ABI register"
	check "abi: reordered instance" reason "$tmp/abi.log" reord "another order"
	check "abi: constprop clone without 'mode'" reason "$tmp/abi.log" optout "changed its signature"
	check "abi: clang DW_CC_nocall" reason "$tmp/abi.log" nocall "changed its signature"
	check "abi: amb and amb.constprop.0" reason "$tmp/abi.log" amb "different addresses"
	check "abi: no reason for the kept" bash -c "! grep -qE \"'(good|keep|kept)' left out\" '$tmp/abi.log'"
	check "abi: frag.part.0 does not count for frag" lacks "$tmp/abi.btf" frag
	check "abi: the clone's prototype" [ "$(proto "$tmp/abi.btf" keep)" = \
		"FUNC keep linkage=static -> func_proto (a:int 'int') -> int 'int'" ]
	"$BTFENC" --features=-optimized_func -o "$tmp/abi-noopt.btf" "$obj"
	expect_names "abi -optimized_func" "$tmp/abi-noopt.btf" amb good kept
	# Rust units: skipped by default, as kernel builds ask pahole
	check "abi: the Rust unit is skipped" lacks "$tmp/abi.btf" in_rust
	ln -s "$BTFENC" "$tmp/pahole"
	"$tmp/pahole" --btf_encode_detached="$tmp/abi-pahole.btf" "$obj"
	check "pahole mode reads Rust units unless told" has_func "$tmp/abi-pahole.btf" in_rust
	"$tmp/pahole" --lang_exclude=rust --btf_encode_detached="$tmp/abi-pahole2.btf" "$obj"
	check "pahole mode --lang_exclude=rust" lacks "$tmp/abi-pahole2.btf" in_rust
	;;
*)
	echo "note: not x86-64: the hand-written DWARF fixture is not run"
	;;
esac

# ---- C fixtures, with both compilers ----
for cc in gcc clang; do
	# definitions with named parameters only; varargs as a last void
	# parameter; a function inlined everywhere has no symbol
	compile_fixture "$FIXTURES/funcs.c" $cc 5 "$tmp/f-$cc.o"
	"$BTFENC" -o "$tmp/f-$cc.btf" "$tmp/f-$cc.o"
	check "$cc: varargs: trailing unnamed void parameter" \
		holds "$tmp/f-$cc.btf" FUNC 'FUNC varargs_func .*(fmt:.*, \.\.\.)'
	check "$cc: declaration only: no FUNC" lacks "$tmp/f-$cc.btf" declared_only
	check "$cc: inlined everywhere: no FUNC" lacks "$tmp/f-$cc.btf" inlined_func
	check "$cc: a function with a symbol: FUNC" has_func "$tmp/f-$cc.btf" maybe_inlined
	compile_fixture "$FIXTURES/scopes.c" $cc 5 "$tmp/s-$cc.o" 2>/dev/null
	"$BTFENC" -o "$tmp/s-$cc.btf" "$tmp/s-$cc.o"
	check "$cc: an unnamed parameter: no FUNC" lacks "$tmp/s-$cc.btf" 'FUNC unnamed_param'


	# across units, linked as a kernel is
	$cc -g -O2 -fPIC -c "$FUNCS/unit_a.c" -o "$tmp/ua-$cc.o"
	$cc -g -O2 -fPIC -c "$FUNCS/unit_b.c" -o "$tmp/ub-$cc.o"
	$cc -shared -nostdlib -o "$tmp/u-$cc.so" "$tmp/ua-$cc.o" "$tmp/ub-$cc.o"
	"$BTFENC" -v -o "$tmp/u-$cc.btf" "$tmp/u-$cc.so" 2>"$tmp/u-$cc.log"
	expect_names "$cc units" "$tmp/u-$cc.btf" cmatch lmatch unit_a unit_b
	check "$cc: two static same_name" reason "$tmp/u-$cc.log" same_name "different addresses"
	check "$cc: clash(int) vs clash(long *)" reason "$tmp/u-$cc.log" clash "prototypes disagree"
	check "$cc: cmatch takes the out-of-line prototype" \
		holds "$tmp/u-$cc.btf" FUNC 'FUNC cmatch .*(p:ptr -> struct s)'
	check "$cc: lmatch(long) and lmatch(long long) agree" has_func "$tmp/u-$cc.btf" lmatch
	"$BTFENC" --features=-consistent_func -o "$tmp/u2-$cc.btf" "$tmp/u-$cc.so"
	check "$cc -consistent_func: clash from the code's unit" [ "$(proto "$tmp/u2-$cc.btf" clash)" = \
		"FUNC clash linkage=static -> func_proto (x:int 'int') -> int 'int'" ]
	check "-j1 and -j4 give the same bytes" cmp "$tmp/u-$cc.btf" \
		<("$BTFENC" -j4 -o - "$tmp/u-$cc.so")

	# kfunc sets of .BTF_ids
	$cc -g -O1 -c "$FUNCS/kfuncs.c" -o "$tmp/kf-$cc.o"
	"$BTFENC" -o "$tmp/kf-$cc.btf" "$tmp/kf-$cc.o"
	canon --kinds DECL_TAG "$tmp/kf-$cc.btf" >"$tmp/kf-$cc.tags"
	check "$cc kfuncs: bpf_kfunc on kf_one, kf_two, kf_arena, bpf_fastcall on kf_two" diff -u - "$tmp/kf-$cc.tags" <<'EOF'
DECL_TAG 'bpf_fastcall' idx=-1 -> func kf_two
DECL_TAG 'bpf_kfunc' idx=-1 -> func kf_arena
DECL_TAG 'bpf_kfunc' idx=-1 -> func kf_one
DECL_TAG 'bpf_kfunc' idx=-1 -> func kf_two
EOF
	"$BTFENC" --features=-decl_tag_kfuncs -o "$tmp/kf2-$cc.btf" "$tmp/kf-$cc.o"
	check "$cc kfuncs: -decl_tag_kfuncs" lacks "$tmp/kf2-$cc.btf" "'bpf_fastcall'"
	check "$cc kfuncs: no attributes by default" lacks "$tmp/kf-$cc.btf" "address_space"
	"$BTFENC" --features=+attributes -o "$tmp/kf3-$cc.btf" "$tmp/kf-$cc.o"
	check "$cc kfuncs: attributes: the arena's return value and second argument" \
		[ "$(proto "$tmp/kf3-$cc.btf" kf_arena)" = "FUNC kf_arena linkage=static -> func_proto (map:ptr -> void, addr:ptr -> type_tag attr 'address_space(1)' -> void, n:int 'int') -> ptr -> type_tag attr 'address_space(1)' -> void" ]
	if kernel_can_load_btf; then
		check "$cc kfuncs: the kernel accepts it" "$TOOLS/btfload" "$tmp/kf-$cc.btf"
		check "$cc kfuncs: ... and with attributes" "$TOOLS/btfload" "$tmp/kf3-$cc.btf"
	fi
done

# a packed struct past the six argument registers of x86-64
case $(gcc -dumpmachine) in
x86_64-*)
	for cc in gcc clang; do
		compile_fixture "$FUNCS/stack.c" $cc 5 "$tmp/st-$cc.o"
		"$BTFENC" -v -o "$tmp/st-$cc.btf" "$tmp/st-$cc.o" 2>"$tmp/st-$cc.log"
		expect_names "$cc stack" "$tmp/st-$cc.btf" first_packed seven_plain
		check "$cc: packed struct on the stack" reason "$tmp/st-$cc.log" seven_packed "packed struct"
	done
	;;
esac

# gcc's clones, each checked when gcc made it
gcc -g -O2 -c "$FUNCS/clones.c" -o "$tmp/cl.o"
readelf -sW "$tmp/cl.o" | awk '$4 == "FUNC" { print $8 }' >"$tmp/cl.syms"
"$BTFENC" -v -o "$tmp/cl.btf" "$tmp/cl.o" 2>"$tmp/cl.log"
"$BTFENC" --features=-optimized_func -o "$tmp/cl-noopt.btf" "$tmp/cl.o"
if grep -q '^cp\.constprop\.' "$tmp/cl.syms"; then
	check "cp.constprop: not passed 'mode'" reason "$tmp/cl.log" cp "changed its signature"
fi
if grep -q '^sra\.isra\.' "$tmp/cl.syms"; then
	check "sra.isra: passed p->x, p->y for p" reason "$tmp/cl.log" sra "changed its signature"
fi
if grep -q '^rv\.isra\.' "$tmp/cl.syms"; then
	check "rv.isra: every parameter passed" has_func "$tmp/cl.btf" rv
	check "rv.isra: no FUNC without optimized_func" lacks "$tmp/cl-noopt.btf" 'FUNC rv '

fi

# ---- the Debian kernel against pahole 1.31 ----
ref_ver=6.1.192-2
ref=$top_srcdir/../shared/reference/debian-6.1.0-56-cloud-pahole1.31-default.btf.gz
if ! kdir=$(testdata_kernel); then
	echo "SKIP (part): the Debian cloud kernel debug package cannot be had here"
	finish
fi
read -r _ kver <"$kdir/VERSION"
if [ "$kver" != "$ref_ver" ]; then
	echo "SKIP (part): the cached kernel is $kver; the pahole 1.31 reference describes $ref_ver only"
	finish
fi
if [ ! -r "$ref" ]; then
	echo "SKIP (part): no reference at $ref"
	finish
fi
vmlinux=$kdir/vmlinux
out=$tmp/vmlinux.btf
gzip -dc "$ref" >"$tmp/ref.btf"
check "btfenc encodes the vmlinux" "$BTFENC" -v -o "$out" "$vmlinux" 2>"$tmp/vmlinux.log" || finish
canon --kinds FUNC "$tmp/ref.btf" >"$tmp/ref.funcs"
canon --kinds FUNC "$out" >"$tmp/ours.funcs"
awk '{ print $2 }' "$tmp/ref.funcs" | sort >"$tmp/ref.names"
awk '{ print $2 }' "$tmp/ours.funcs" | sort >"$tmp/ours.names"
nr_ref=$(wc -l <"$tmp/ref.names")
limit=$((nr_ref / 100))
comm -23 "$tmp/ours.names" "$tmp/ref.names" >"$tmp/only-ours"
comm -13 "$tmp/ours.names" "$tmp/ref.names" >"$tmp/only-ref"
echo "FUNCs: pahole 1.31 $nr_ref, btfenc $(wc -l <"$tmp/ours.names");" \
	"only btfenc's $(wc -l <"$tmp/only-ours"), only pahole's $(wc -l <"$tmp/only-ref")"
check "FUNCs only in btfenc's: under 1% ($limit)" [ "$(wc -l <"$tmp/only-ours")" -lt "$limit" ]
check "FUNCs only in pahole's: under 1% ($limit)" [ "$(wc -l <"$tmp/only-ref")" -lt "$limit" ]

# each difference must be one explained at the top of this file
readelf -sW "$vmlinux" | awk '$4 == "FUNC" { print $8 }' >"$tmp/syms"
unexplained=
while read -r f; do
	unexplained="$unexplained $f"
done <"$tmp/only-ours"
while read -r f; do
	if grep -qE "^$f\.(isra|constprop)\.[0-9.a-z]*cold$" "$tmp/syms" &&
	   reason "$tmp/vmlinux.log" "$f" "changed its signature"; then
		continue
	fi
	unexplained="$unexplained $f"
done <"$tmp/only-ref"
check "every FUNC difference explained (unexplained:${unexplained:- none})" [ -z "$unexplained" ]

# prototypes of the FUNCs both have
sort "$tmp/ref.funcs" | awk 'NR == FNR { k[$1]; next } ($2 in k)' "$tmp/ours.names" - >"$tmp/ref.common"
sort "$tmp/ours.funcs" >"$tmp/ours.sorted"
diff "$tmp/ref.common" "$tmp/ours.sorted" | grep '^[<>]' >"$tmp/proto.diff"
check "the FUNCs both have: same prototypes ($(grep -c '^<' "$tmp/proto.diff") differ)" [ ! -s "$tmp/proto.diff" ]
head -n 10 "$tmp/proto.diff"

# per-CPU variables
diff <(canon --kinds VAR,DATASEC "$tmp/ref.btf") <(canon --kinds VAR,DATASEC "$out") >"$tmp/var.diff"
check "VARs and DATASEC as pahole 1.31's ($(canon --counts --kinds VAR "$out") )" [ ! -s "$tmp/var.diff" ]
head -n 10 "$tmp/var.diff"

check "-j1 and -j3 give the same bytes" cmp "$out" <("$BTFENC" -j1 -o - "$vmlinux")
check "... and -j3" cmp "$out" <("$BTFENC" -j3 -o - "$vmlinux")
finish
