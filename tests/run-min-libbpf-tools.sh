#!/bin/bash
# btfenc --min on the CO-RE objects of Debian's libbpf-tools, against the
# running kernel's BTF and Debian's 6.1 BTF: for every object, with a BTF
# minimized for it alone and with one minimized for all objects together,
# libbpf computes the same relocations and patches the same instructions
# as with the whole BTF, and the programs that load keep loading; the
# kernel accepts every non-empty minimized BTF; the per-object files
# together are no larger than those of bpftool gen min_core_btf.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
. "$FIXTURES/bpf/min-subr.sh"
need_cmd bpftool
need_tool bpfcarve corecheck btfload
min_need_btfenc
"$TOOLS/corecheck" --load /dev/null /sys/kernel/btf/vmlinux >/dev/null 2>&1
[ $? -eq 77 ] && skip "bpf() is refused here: libbpf cannot relocate"
dir=$(testdata_bpf_objs "$TOOLS/bpfcarve") || skip "libbpf-tools' objects cannot be had here"
objs=("$dir"/*.bpf.o)
[ -f "${objs[0]}" ] || skip "no object in $dir"
echo "${#objs[@]} objects from $dir"

while read -r tname target; do
	ours=0 theirs=0 relocs=0 loaded=0 all_args=()
	for o in "${objs[@]}"; do
		b=$(basename "$o" .bpf.o)
		min=$tmp/$tname-$b.btf
		all_args+=(--min "$o")
		check "$tname: btfenc --min $b" "$BTFENC" --min "$o" -o "$min" "$target" ||
			continue
		check "$tname: $b relocates the same" min_same_relocation "$o" "$target" "$min"
		relocs=$((relocs + $(min_nr_relocs "$tmp/$tname-$b-$b.bpf.full")))
		check "$tname: $b: programs that load still load" min_loads_kept "$o" "$target" "$min"
		check "$tname: $b: btfenc -v computes the values libbpf patches in" \
			min_values_agree "$o" "$target"
		loaded=$((loaded + $(grep -c ': loaded$' "$tmp/$tname-$b-$b.bpf.ldmin")))
		[ -n "$(bpftool btf dump file "$min")" ] &&
			check "$tname: the kernel accepts $b's minimized BTF" "$TOOLS/btfload" "$min"
		if bpftool gen min_core_btf "$target" "$tmp/$b.bpftool" "$o" >/dev/null 2>&1; then
			ours=$((ours + $(stat -c %s "$min")))
			theirs=$((theirs + $(stat -c %s "$tmp/$b.bpftool")))
		fi
	done
	echo "$tname: $relocs CO-RE relocations compared, $loaded programs loaded"
	echo "$tname: per-object minimized BTF: $ours bytes in all, bpftool's: $theirs"
	check "$tname: per-object files no larger than bpftool's ($ours <= $theirs bytes)" \
		[ "$ours" -le "$theirs" ]
	all=$tmp/$tname-all.btf
	check "$tname: btfenc --min with all ${#objs[@]} objects" \
		"$BTFENC" "${all_args[@]}" -o "$all" "$target" || continue
	check "$tname: the kernel accepts the joint minimized BTF" "$TOOLS/btfload" "$all"
	bpftool gen min_core_btf "$target" "$tmp/all.bpftool" "${objs[@]}" >/dev/null 2>&1 &&
		echo "$tname: all objects: $(stat -c %s "$all") bytes, bpftool's $(stat -c %s "$tmp/all.bpftool")"
	for o in "${objs[@]}"; do
		b=$(basename "$o" .bpf.o)
		check "$tname: $b relocates the same with the joint BTF" \
			min_same_relocation "$o" "$target" "$all"
		check "$tname: $b: programs that load still load with the joint BTF" \
			min_loads_kept "$o" "$target" "$all"
	done
done < <(min_targets)
finish
