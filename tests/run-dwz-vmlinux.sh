#!/bin/bash
# Debian's 6.1 cloud vmlinux through dwz (single file: the shared DIEs move
# into DW_TAG_partial_unit units that the compile units pull in with
# DW_TAG_imported_unit, and references into them become DW_FORM_ref_addr),
# as SUSE and the Fedora/RHEL family ship kernel debug info.  dwz changes
# how the DWARF is laid out, not what it says: btfenc must give the same
# types as from the original file, the same bytes at -j1 and -j2, and --min
# of the libbpf-tools objects must give the same bytes from either file.
# A reader that skips the partial units, or reads a reference into them as
# void, gives several times more types instead.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
need_cmd dwz
need_tool btfcanon bpfcarve
kdir=$(testdata_kernel) || skip "the Debian cloud kernel debug package cannot be had here"
dwz=$(testdata_dwz_vmlinux) || skip "dwz cannot compress $kdir/vmlinux here"
vmlinux=$kdir/vmlinux

# enc NAME INPUT ARGS...: btfenc ARGS -o $tmp/NAME.btf INPUT, its stderr in
# $tmp/NAME.err (shown when not empty: today's warnings say what is skipped)
enc()
{
	local name=$1 input=$2 rc

	shift 2
	"$BTFENC" "$@" -o "$tmp/$name.btf" "$input" 2>"$tmp/$name.err"
	rc=$?
	[ -s "$tmp/$name.err" ] && { echo "$name: stderr:"; head -n 5 "$tmp/$name.err"; }
	return $rc
}

check "btfenc -j1 on the vmlinux" enc orig-j1 "$vmlinux" -j1 || finish
check "btfenc -j2 on the vmlinux" enc orig-j2 "$vmlinux" -j2
check "the vmlinux: the same bytes at -j1 and -j2" cmp "$tmp/orig-j1.btf" "$tmp/orig-j2.btf"
check "btfenc -j1 on the dwz vmlinux" enc dwz-j1 "$dwz" -j1
check "btfenc -j2 on the dwz vmlinux" enc dwz-j2 "$dwz" -j2
check "the dwz vmlinux: no message (nothing skipped)" \
	[ ! -s "$tmp/dwz-j1.err" ] && [ ! -s "$tmp/dwz-j2.err" ]

if [ -s "$tmp/dwz-j1.btf" ]; then
	canon --counts "$tmp/orig-j1.btf" >"$tmp/orig.counts"
	canon --counts "$tmp/dwz-j1.btf" >"$tmp/dwz.counts"
	paste "$tmp/orig.counts" "$tmp/dwz.counts"
	check "the same number of types of every kind" \
		diff -u "$tmp/orig.counts" "$tmp/dwz.counts"
	canon "$tmp/orig-j1.btf" >"$tmp/orig.canon"
	canon "$tmp/dwz-j1.btf" >"$tmp/dwz.canon"
	diff "$tmp/orig.canon" "$tmp/dwz.canon" >"$tmp/canon.diff"
	check "the same types ($(grep -c '^[<>]' "$tmp/canon.diff") lines differ)" \
		[ ! -s "$tmp/canon.diff" ]
	head -n 20 "$tmp/canon.diff"
	# "name:void" is a member, parameter or variable of type void
	# (a reference read as void); "-> void" is a real one
	a=$(grep -oE '[A-Za-z0-9_]:void\b' "$tmp/orig.canon" | wc -l)
	b=$(grep -oE '[A-Za-z0-9_]:void\b' "$tmp/dwz.canon" | wc -l)
	check "no more members or parameters of type void than the original's ($b, $a)" \
		[ "$b" -le "$a" ]
fi
if [ -s "$tmp/dwz-j1.btf" ] && [ -s "$tmp/dwz-j2.btf" ]; then
	check "the dwz vmlinux: the same bytes at -j1 and -j2" \
		cmp "$tmp/dwz-j1.btf" "$tmp/dwz-j2.btf"
fi
# The full BTF's bytes are not compared with the original's: type IDs follow
# the order of the units and of the DIEs in them, and dwz moves the shared
# DIEs into partial units imported at the top of each unit, so the order in
# which a unit meets its types is not the original's (nothing in the dwz
# file says where a moved DIE stood).  What the types are is compared above,
# and --min, whose output does not depend on type IDs, byte for byte below.

# --min of the libbpf-tools objects, from the DWARF of either file (the
# subset scan reads a few units: with dwz, the partial units they import)
if dir=$(testdata_bpf_objs "$TOOLS/bpfcarve"); then
	args=()
	for o in "$dir"/*.bpf.o; do
		args+=(--min "$o")
	done
	check "--min $(( ${#args[@]} / 2 )) objects on the vmlinux" enc min-orig "$vmlinux" "${args[@]}"
	check "--min on the dwz vmlinux" enc min-dwz "$dwz" "${args[@]}"
	if [ -s "$tmp/min-orig.btf" ] && [ -s "$tmp/min-dwz.btf" ]; then
		canon "$tmp/min-orig.btf" >"$tmp/min-orig.canon"
		canon "$tmp/min-dwz.btf" >"$tmp/min-dwz.canon"
		diff "$tmp/min-orig.canon" "$tmp/min-dwz.canon" >"$tmp/min.diff"
		check "--min: the same types ($(grep -c '^[<>]' "$tmp/min.diff") lines differ)" \
			[ ! -s "$tmp/min.diff" ]
		head -n 20 "$tmp/min.diff"
	fi
	check "--min: the same bytes from either file" \
		cmp "$tmp/min-orig.btf" "$tmp/min-dwz.btf"
else
	echo "note: libbpf-tools' objects cannot be had here: --min not compared"
fi
finish
