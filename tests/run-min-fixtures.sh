#!/bin/bash
# btfenc --min on our own CO-RE programs (tests/fixtures/bpf), built with
# clang and bpf-gcc, covering every relocation kind: for each object and
# for all of them together, against the running kernel's BTF and Debian's
# 6.1 BTF, libbpf relocates the object the same way with the minimized
# BTF as with the whole one; programs that load keep loading; the kernel
# accepts every non-empty minimized BTF.  Also: an object without CO-RE
# relocations gives an empty but valid BTF; a big-endian object gives the
# same BTF as the little-endian one; -v says what each relocation kept.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
. "$FIXTURES/bpf/min-subr.sh"
need_cmd clang perl bpftool
need_tool corecheck btfload
min_need_btfenc
"$TOOLS/corecheck" --load /dev/null /sys/kernel/btf/vmlinux >/dev/null 2>&1
[ $? -eq 77 ] && skip "bpf() is refused here: libbpf cannot relocate"
read -r vname vtarget < <(min_targets)
[ -n "$vtarget" ] || skip "no target BTF: no /sys/kernel/btf/vmlinux, no Debian kernel"

objs=()
for f in core-fields core-direct core-types core-match; do
	check "clang builds $f.bpf.c" bpf_cc clang "$BPF_FIXTURES/$f.bpf.c" "$tmp/$f-clang.o" &&
		objs+=("$tmp/$f-clang.o")
done
# clang 14 has no TYPE_MATCHES builtin: existence checks become matches
check "core-match: 6 records retyped to TYPE_MATCHES" \
	[ "$(bpf_ext_patch "$tmp/core-match-clang.o" retype 8 12)" = 6 ]
if command -v bpf-gcc >/dev/null; then
	check "bpf-gcc builds core-direct.bpf.c" \
		bpf_cc gcc "$BPF_FIXTURES/core-direct.bpf.c" "$tmp/core-direct-gcc.o" &&
		objs+=("$tmp/core-direct-gcc.o")
else
	echo "note: bpf-gcc is not installed: gcc objects not tested"
fi

while read -r tname target; do
	mins=()
	for o in "${objs[@]}"; do
		b=$(basename "$o" .o)
		min=$tmp/$tname-$b.btf
		check "$tname: btfenc --min $b" "$BTFENC" --min "$o" -o "$min" "$target" ||
			continue
		check "$tname: $b relocates the same with the minimized BTF" \
			min_same_relocation "$o" "$target" "$min"
		check "$tname: $b programs that load still load" \
			min_loads_kept "$o" "$target" "$min"
		check "$tname: $b: btfenc -v computes the values libbpf patches in" \
			min_values_agree "$o" "$target"
		check "$tname: the kernel accepts $b's minimized BTF" "$TOOLS/btfload" "$min"
		bpftool gen min_core_btf "$target" "$tmp/$tname-$b.bpftool" "$o" >/dev/null 2>&1 &&
			check "$tname: $b: no larger than bpftool's ($(stat -c %s "$min") <= $(stat -c %s "$tmp/$tname-$b.bpftool"))" \
				[ "$(stat -c %s "$min")" -le "$(stat -c %s "$tmp/$tname-$b.bpftool")" ]
		mins+=(--min "$o")
	done
	all=$tmp/$tname-all.btf
	check "$tname: btfenc with every fixture object" "$BTFENC" "${mins[@]}" -o "$all" "$target" || continue
	check "$tname: the kernel accepts the joint minimized BTF" "$TOOLS/btfload" "$all"
	for o in "${objs[@]}"; do
		check "$tname: $(basename "$o" .o) relocates the same with the joint BTF" \
			min_same_relocation "$o" "$target" "$all"
	done
done < <(min_targets)

# What -v says each relocation kept (against the first target)
types=$tmp/core-types-clang.o
"$BTFENC" -v --min "$types" -o "$tmp/v.btf" "$vtarget" 2>"$tmp/v.err"
check "-v: a type nobody has keeps nothing" \
	grep -q "relo #3 target_type_id STRUCT no_such_kernel_type: no candidate, value 0: nothing kept" "$tmp/v.err"
check "-v: a local type ID needs nothing" \
	grep -q "relo #0 local_type_id STRUCT task_struct: local type ID: needs no target type" "$tmp/v.err"
check "-v: an enum64 value is kept" \
	grep -q "enumval_value ENUM perf_callchain_context::PERF_CONTEXT_KERNEL: ENUM64 perf_callchain_context::PERF_CONTEXT_KERNEL, value 18446744073709551488: kept" "$tmp/v.err"
check "-v: a missing field keeps nothing" \
	grep -q "field_exists STRUCT task_struct.mm_exe_file_never @ offset 64: no matching candidate, value 0: nothing kept" \
	<("$BTFENC" -v --min "$tmp/core-fields-clang.o" -o "$tmp/v2.btf" "$vtarget" 2>&1)
match=$tmp/$vname-core-match-clang.btf
check "TYPE_MATCHES keeps a matched struct whole: netns_mpls" \
	grep -q "STRUCT 'netns_mpls' size=[0-9]* vlen=[5-9]" <(bpftool btf dump file "$match")
check "TYPE_MATCHES keeps a forward declaration behind a pointer" \
	grep -q "FWD 'mpls_route' fwd_kind=struct" <(bpftool btf dump file "$match")

check "an enum-typed member keeps its enum as a name and a size only" \
	grep -q "ENUM 'bpf_prog_type' encoding=UNSIGNED size=4 vlen=0" \
	<(bpftool btf dump file "$tmp/$vname-core-fields-clang.btf")
"$BTFENC" "${mins[@]}" -o "$tmp/again.btf" "$vtarget"
check "the same inputs give the same bytes" cmp -s "$tmp/again.btf" "$tmp/$vname-all.btf"

# No CO-RE relocation at all: a BTF without types, which libbpf reads
printf '#include "core-common.h"\nSEC("kprobe/x") int none(void *ctx) { return 0; }\n' >"$tmp/none.bpf.c"
bpf_cc clang "$tmp/none.bpf.c" "$tmp/none.o"
check "an object without CO-RE relocations" "$BTFENC" --min "$tmp/none.o" -o "$tmp/none.btf" "$vtarget"
check "gives a BTF that libbpf reads" bpftool btf dump file "$tmp/none.btf" >"$tmp/none.dump"
check "with no type" [ ! -s "$tmp/none.dump" ]
check "a header and an empty string section: 25 bytes" \
	[ "$(stat -c %s "$tmp/none.btf")" = 25 ]

# Big-endian objects are read as well: same result as little-endian
if bpf_cc clang-eb "$BPF_FIXTURES/core-fields.bpf.c" "$tmp/core-fields-eb.o"; then
	check "a big-endian object is minimized" \
		"$BTFENC" --min "$tmp/core-fields-eb.o" -o "$tmp/eb.btf" "$vtarget"
	"$BTFENC" --min "$tmp/core-fields-clang.o" -o "$tmp/el.btf" "$vtarget"
	check "to the same BTF as the little-endian one" cmp -s "$tmp/eb.btf" "$tmp/el.btf"
fi

# A module's types: candidates from vmlinux first, then from the module
if kdir=$(testdata_kernel 2>/dev/null) && ref=$(testdata_ref_btf 2>/dev/null); then
	mod=$tmp/core-module.o
	bpf_cc clang "$BPF_FIXTURES/core-module.bpf.c" "$mod"
	check "btfenc --min on a module's split BTF" \
		"$BTFENC" --min "$mod" --base "$ref" -o "$tmp/mod.btf" "$kdir/modules/nf_tables.ko"
	# standalone, as libbpf's btf_custom_path needs: module and vmlinux
	# types in one file without a base
	bpftool btf dump file "$tmp/mod.btf" >"$tmp/mod.dump"
	check "keeps the module's struct nft_table" \
		grep -q "STRUCT 'nft_table' size=408 vlen=4" "$tmp/mod.dump"
	check "and vmlinux's task_struct, in one standalone file" \
		grep -q "STRUCT 'task_struct' size=9728 vlen=1" "$tmp/mod.dump"
	if kernel_can_load_btf; then
		check "which the kernel accepts" "$TOOLS/btfload" "$tmp/mod.btf"
	fi
fi
finish
