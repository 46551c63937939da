#!/bin/bash
# The real Debian kernel: btfenc on its debug vmlinux gives the BTF Debian
# embedded in it (pahole 1.24 at build time), compared independently of
# type IDs: the same STRUCT, UNION, ENUM, ENUM64, TYPEDEF, FWD, INT and
# FLOAT types, and the same count of every kind except the function and
# variable kinds (selected by their own rules); the kernel accepts it.
# With two threads dedup streams along with reading, and must not have to
# start over on a real kernel; on one it runs after: the same bytes.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
need_tool btfcanon
kdir=$(testdata_kernel) || skip "the Debian cloud kernel debug package cannot be had here"
ref=$(testdata_ref_btf) || skip "cannot extract Debian's .BTF from $kdir/vmlinux"
vmlinux=$kdir/vmlinux
out=$tmp/vmlinux.btf

# pahole 1.24 flattened multi-dimensional arrays: --arrays=flat
TIMEFORMAT=%R
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f '%e s, %M KB peak RSS' -o "$tmp/time" \
		"$BTFENC" -j2 --arrays=flat --stats -o "$out" "$vmlinux" 2>"$tmp/stats"
else
	{ time "$BTFENC" -j2 --arrays=flat --stats -o "$out" "$vmlinux" 2>"$tmp/stats"; } 2>"$tmp/time"
fi
check "btfenc encodes the vmlinux" [ -s "$out" ] || finish
echo "encode: $(cat "$tmp/time"); $(stat -c %s "$out") bytes (Debian's: $(stat -c %s "$ref"))"
check "-j2: dedup streamed along with reading, without starting over" \
	grep -q "dedup partly while reading" "$tmp/stats" || cat "$tmp/stats"
"$BTFENC" -j1 --arrays=flat -o "$tmp/j1.btf" "$vmlinux"
check "-j1 (dedup after reading): the same bytes" cmp "$out" "$tmp/j1.btf"

kinds=STRUCT,UNION,ENUM,ENUM64,TYPEDEF,FWD,INT,FLOAT
canon --kinds "$kinds" "$ref" >"$tmp/ref.canon" || fail "btfcanon on Debian's .BTF"
canon --kinds "$kinds" "$out" >"$tmp/ours.canon" || fail "libbpf cannot parse btfenc's output"
diff "$tmp/ref.canon" "$tmp/ours.canon" >"$tmp/diff"
check "same $kinds types as Debian's .BTF ($(grep -c '^[<>]' "$tmp/diff") lines differ)" [ ! -s "$tmp/diff" ]
head -n 20 "$tmp/diff"

canon --counts "$ref" >"$tmp/ref.counts"
canon --counts "$out" >"$tmp/ours.counts"
paste "$tmp/ref.counts" "$tmp/ours.counts"
for k in INT PTR ARRAY STRUCT UNION ENUM FWD TYPEDEF VOLATILE CONST RESTRICT FLOAT ENUM64 DECL_TAG TYPE_TAG; do
	a=$(awk -v k=$k '$1 == k { print $2 }' "$tmp/ref.counts")
	b=$(awk -v k=$k '$1 == k { print $2 }' "$tmp/ours.counts")
	check "$k count: Debian ${a:-0}, btfenc ${b:-0}" [ "${a:-0}" = "${b:-0}" ]
done

if kernel_can_load_btf; then
	check "the running kernel accepts it (BPF_BTF_LOAD)" "$TOOLS/btfload" "$out"
else
	echo "note: bpf() refused here: kernel verifier check not run"
fi
finish
