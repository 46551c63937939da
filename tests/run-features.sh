#!/bin/bash
# --features for older and newer consumers: with each default feature off
# alone, each other feature on alone, all off and all on, the output of a
# fixture and of the Debian kernel is still accepted by libbpf
# (tests/tools/btfcanon), bpftool and the kernel's verifier (BPF_BTF_LOAD),
# and shows what the feature switches.  distilled_base: the .BTF and
# .BTF.base a module gets with -J, checked for shape.  libbpf's own
# btf__relocate (libbpf 1.5) is newer than this system's libbpf, so the
# relocation is checked the way it matches: each distilled base type has a
# type of its kind, name and size in the full base.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
need_cmd gcc clang bpftool objcopy readelf
need_tool btfcanon btfload
FEAT=$FIXTURES/features
FUNCS=$FIXTURES/funcs

if kernel_can_load_btf; then
	can_load=true
else
	can_load=false
	echo "note: bpf() refused here: kernel verifier checks not run"
fi

# the combinations: "label features"
combos="
default default
-enum64 -enum64
-float -float
-decl_tag -decl_tag
-type_tag -type_tag
-var -var
-optimized_func -optimized_func
-consistent_func -consistent_func
-decl_tag_kfuncs -decl_tag_kfuncs
+global_var +global_var
all-off -enum64,-float,-decl_tag,-type_tag,-var,-optimized_func,-consistent_func,-decl_tag_kfuncs
all-on all
"

count()
{
	awk -v k="$2" '$1 == k { n = $2 } END { print n + 0 }' "$1"
}

# kinds_has FILE KINDS PATTERN: a canonical line of these kinds matches
kinds_has()
{
	canon --kinds "$2" "$1" | grep -qE -- "$3"
}

kinds_lacks()
{
	! kinds_has "$@"
}

# split_has SPLIT BASE KINDS PATTERN: the same for split BTF's own types
split_has()
{
	canon --base "$2" --split-only --kinds "$3" "$1" | grep -qE -- "$4"
}

# only_distilled_kinds DUMP: bpftool's dump of a distilled base holds
# ints, floats, forwards and named structs, unions, enums without members
only_distilled_kinds()
{
	! grep -E '^\[' "$1" |
		grep -vE "^\[[0-9]+\] (INT|FLOAT|FWD) |^\[[0-9]+\] (STRUCT|UNION|ENUM) '[^(]" &&
	! grep -qE 'vlen=[1-9]' "$1"
}

# type_keys DUMP: "KIND 'name' size=N" of each type of a bpftool dump
type_keys()
{
	grep -E '^\[' "$1" |
		sed -E "s/^\[[0-9]+\] ([A-Z0-9_]+) ('[^']*').*( size=[0-9]+).*/\1 \2\3/; t
			s/^\[[0-9]+\] ([A-Z0-9_]+) ('[^']*').*/\1 \2/" |
		sed 's/^ENUM64 /ENUM /' | sort -u
}

# nothing_new A B: every line of sorted A is in sorted B
nothing_new()
{
	[ -z "$(comm -23 "$1" "$2")" ]
}

# accepted LABEL FILE [--base BASE]: the readers take it
accepted()
{
	local label=$1 file=$2
	shift 2
	check "$label: libbpf parses it" canon "$@" --counts "$file" >"$file.counts" || return
	if [ $# -gt 0 ]; then
		check "$label: bpftool dumps it" bpftool -B "$2" btf dump file "$file" >/dev/null
	else
		check "$label: bpftool dumps it" bpftool btf dump file "$file" >/dev/null
	fi
	if $can_load; then
		check "$label: the kernel accepts it" "$TOOLS/btfload" "$@" "$file"
	fi
}

# effects LABEL FILE DEFAULT_COUNTS FEATURES: what the features switch
effects()
{
	local label=$1 c=$2.counts d=$3 f=$4 k
	case $f in
	all) f=+global_var ;;
	-enum64,*) f="-enum64 -float -decl_tag -type_tag -var" ;;
	esac
	for k in $f; do
		case $k in
		-enum64) check "$label: no ENUM64" [ "$(count "$c" ENUM64)" = 0 ] ;;
		-float) check "$label: no FLOAT" [ "$(count "$c" FLOAT)" = 0 ] ;;
		-decl_tag) check "$label: no DECL_TAG" [ "$(count "$c" DECL_TAG)" = 0 ] ;;
		-type_tag) check "$label: no TYPE_TAG" [ "$(count "$c" TYPE_TAG)" = 0 ] ;;
		-var) check "$label: no VAR, DATASEC" [ "$(count "$c" VAR)$(count "$c" DATASEC)" = 00 ] ;;
		-optimized_func) check "$label: no more FUNCs" [ "$(count "$c" FUNC)" -le "$(count "$d" FUNC)" ] ;;
		-consistent_func) check "$label: more FUNCs" [ "$(count "$c" FUNC)" -gt "$(count "$d" FUNC)" ] ;;
		+global_var) check "$label: more VARs, DATASECs" \
			[ "$(count "$c" VAR)" -gt "$(count "$d" VAR)" -a "$(count "$c" DATASEC)" -gt "$(count "$d" DATASEC)" ] ;;
		esac
	done
}

# every combination on INPUT; LABEL names it
all_combos()
{
	local input=$1 label=$2 name feats out
	while read -r name feats; do
		[ -n "$name" ] || continue
		out=$tmp/$label.$name.btf
		check "$label $name: btfenc succeeds" "$BTFENC" --features="$feats" -o "$out" "$input" ||
			continue
		accepted "$label $name" "$out"
		[ "$name" = default ] || effects "$label $name" "$out" "$tmp/$label.default.btf.counts" "$feats"
	done <<<"$combos"
}

# ---- a fixture with every kind a feature switches ----
for cc in gcc clang; do
	obj=$tmp/feat-$cc.o
	$cc -g -O2 -r -nostdlib -o "$obj" "$FEAT/kinds.c" "$FUNCS/kfuncs.c" \
		"$FUNCS/clones.c" "$FUNCS/unit_a.c" "$FUNCS/unit_b.c" ||
		{ fail "$cc: the fixture does not build"; continue; }
	all_combos "$obj" "$cc"
	check "$cc default: per-CPU variables" kinds_has "$tmp/$cc.default.btf" DATASEC '^DATASEC .data..percpu '
	for sec in data bss rodata; do
		check "$cc +global_var: DATASEC .$sec" kinds_has "$tmp/$cc.+global_var.btf" DATASEC "^DATASEC \\.$sec "
	done
	check "$cc +global_var: g_counter in .data" \
		kinds_has "$tmp/$cc.+global_var.btf" DATASEC '^DATASEC .data .*var g_counter @'
	check "$cc default: kfunc tags" kinds_has "$tmp/$cc.default.btf" DECL_TAG "'bpf_fastcall'"
	check "$cc -decl_tag_kfuncs: none" kinds_lacks "$tmp/$cc.-decl_tag_kfuncs.btf" DECL_TAG "'bpf_fastcall'"
	check "$cc -consistent_func: clash" kinds_has "$tmp/$cc.-consistent_func.btf" FUNC '^FUNC clash '
	check "$cc default: no clash" kinds_lacks "$tmp/$cc.default.btf" FUNC '^FUNC clash '
done
if readelf -sW "$tmp/feat-gcc.o" | grep -q ' rv\.isra\.'; then
	check "gcc default: rv (from rv.isra.N)" kinds_has "$tmp/gcc.default.btf" FUNC '^FUNC rv '
	check "gcc -optimized_func: no rv" kinds_lacks "$tmp/gcc.-optimized_func.btf" FUNC '^FUNC rv '
fi
check "clang default: TYPE_TAG" [ "$(count "$tmp/clang.default.btf.counts" TYPE_TAG)" -gt 0 ]
check "default: ENUM64, FLOAT" [ "$(count "$tmp/gcc.default.btf.counts" ENUM64)" -gt 0 -a \
	"$(count "$tmp/gcc.default.btf.counts" FLOAT)" -gt 0 ]

# ---- the per-CPU variable at offset 0, defined after its declaration ----
for cc in gcc clang; do
	$cc -g -O1 -c "$FEAT/percpu0.c" -o "$tmp/p0-$cc.o" &&
		$cc -nostdlib -static -Wl,-T,"$FEAT/percpu0.lds" -Wl,-e,use \
			-o "$tmp/p0-$cc" "$tmp/p0-$cc.o" ||
		{ fail "$cc: percpu0.c does not build"; continue; }
	"$BTFENC" -o "$tmp/p0-$cc.btf" "$tmp/p0-$cc"
	check "$cc: per-CPU variable at offset 0, named by its declaration" \
		kinds_has "$tmp/p0-$cc.btf" DATASEC '^DATASEC .data..percpu .*var first_pcpu @0 size=48'
done

# ---- distilled_base: a module on the fixture as its base ----
# dshape LABEL MODULE FULL_BASE: .BTF and .BTF.base as a loader wants them
dshape()
{
	local label=$1 mod=$2 base=$3 db=$tmp/$1.dbase.btf ds=$tmp/$1.dsplit.btf
	check "$label: .BTF and .BTF.base written" \
		objcopy --dump-section .BTF.base="$db" --dump-section .BTF="$ds" "$mod" "$tmp/$label.junk" ||
		return
	accepted "$label: .BTF.base" "$db"
	accepted "$label: .BTF on .BTF.base" "$ds" --base "$db"
	bpftool btf dump file "$db" >"$tmp/$label.db.dump"
	check "$label: .BTF.base holds ints, floats, forwards, named types without members" \
		only_distilled_kinds "$tmp/$label.db.dump"
	# each distilled type is matched by kind, name and size in the base
	bpftool btf dump file "$base" >"$tmp/$label.base.dump"
	type_keys "$tmp/$label.base.dump" >"$tmp/$label.base.keys"
	type_keys "$tmp/$label.db.dump" >"$tmp/$label.db.keys"
	check "$label: each distilled type is in the full base" \
		nothing_new "$tmp/$label.db.keys" "$tmp/$label.base.keys"
}

"$BTFENC" -o "$tmp/fbase.btf" "$tmp/feat-gcc.o"
gcc -g -O2 -c "$FEAT/module.c" -o "$tmp/mod.o"
cp "$tmp/mod.o" "$tmp/mod-d.o"
check "distilled: -J --base writes the module" \
	"$BTFENC" --base "$tmp/fbase.btf" -J --features=+distilled_base "$tmp/mod-d.o"
dshape fixture "$tmp/mod-d.o" "$tmp/fbase.btf"
check "distilled: named base types go to .BTF.base" \
	grep -qE "STRUCT 'measure' size=[0-9]+ vlen=0" "$tmp/fixture.db.dump"
check "distilled: base pointers move into .BTF" \
	split_has "$tmp/fixture.dsplit.btf" "$tmp/fixture.dbase.btf" PTR "^PTR -> int 'int'"
"$BTFENC" --base "$tmp/fbase.btf" -J --features=all "$tmp/mod-d.o"
dshape fixture-all "$tmp/mod-d.o" "$tmp/fbase.btf"
"$BTFENC" --base "$tmp/fbase.btf" -J "$tmp/mod-d.o"
check "distilled: plain -J again removes .BTF.base" \
	bash -c "! readelf -SW '$tmp/mod-d.o' | grep -q BTF.base"
check "... and the module is still whole" readelf -hSs "$tmp/mod-d.o" >/dev/null
check "... its .BTF continues the full base" canon --base "$tmp/fbase.btf" "$tmp/mod-d.o" >/dev/null
"$BTFENC" --base "$tmp/fbase.btf" -o "$tmp/no.btf" --features=+distilled_base "$tmp/mod.o" 2>"$tmp/err"
check "distilled with -o: usage error" [ $? -eq 2 ]
check "... saying why" grep -q 'use -J' "$tmp/err"
check "... and no output" [ ! -e "$tmp/no.btf" ]

# ---- the Debian kernel ----
if ! kdir=$(testdata_kernel); then
	echo "SKIP (part): the Debian cloud kernel debug package cannot be had here"
	finish
fi
all_combos "$kdir/vmlinux" vmlinux
vbase=$tmp/vmlinux.default.btf
for m in veth nf_tables; do
	ko=$kdir/modules/$m.ko
	[ -f "$ko" ] || continue
	cp "$ko" "$tmp/$m.ko"
	check "$m: -J distilled on the vmlinux" \
		"$BTFENC" --base "$vbase" -J --features=+distilled_base "$tmp/$m.ko"
	dshape "$m" "$tmp/$m.ko" "$vbase"
done
finish
