#!/bin/bash
# The real Debian kernel: btfenc on its debug vmlinux gives the BTF Debian
# embedded in it (pahole 1.24 at build time), compared independently of
# type IDs: the same STRUCT, UNION, ENUM, ENUM64, TYPEDEF, FWD, INT and
# FLOAT types, and the same count of every kind except the function and
# variable kinds (selected by their own rules); the kernel accepts it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
need_tool btfcanon
kdir=$(testdata_kernel) || skip "the Debian cloud kernel debug package cannot be had here"
ref=$(testdata_ref_btf) || skip "cannot extract Debian's .BTF from $kdir/vmlinux"
vmlinux=$kdir/vmlinux
out=$tmp/vmlinux.btf

TIMEFORMAT=%R
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f '%e s, %M KB peak RSS' -o "$tmp/time" "$BTFENC" -o "$out" "$vmlinux"
else
	{ time "$BTFENC" -o "$out" "$vmlinux"; } 2>"$tmp/time"
fi
check "btfenc encodes the vmlinux" [ -s "$out" ] || finish
echo "encode: $(cat "$tmp/time"); $(stat -c %s "$out") bytes (Debian's: $(stat -c %s "$ref"))"

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
