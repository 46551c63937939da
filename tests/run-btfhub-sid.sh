#!/bin/bash
# run-btfhub.sh's BTFHub-style tree with pahole 1.32's BTF of the same
# kernel added, with old flags (--btf_gen_floats) and new ones
# (--btf_features=default), as Debian sid's pahole writes it: one btfenc
# command minimizes the tree; every output is the unpacked BTF's minimized
# bytes, listed in the manifest, stored once per bytes, relocates as its
# full BTF with libbpf, and is at or below bpftool gen min_core_btf of
# both bpftool 7.1 (installed) and sid's 7.8.  Skipped, saying why, when
# sid's tools cannot be had or bpf() is refused.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/btfhub-subr.sh"
. "$FIXTURES/bpf/min-subr.sh"
need_cmd bpftool
need_tool corecheck
hub_setup
sid=$(testdata_sid_tools) || skip "Debian sid's pahole 1.32 and bpftool 7.8 cannot be had here"
"$TOOLS/corecheck" --load /dev/null /sys/kernel/btf/vmlinux >/dev/null 2>&1
[ $? -eq 77 ] && skip "bpf() is refused here: libbpf cannot relocate"
echo "sid's $("$sid/pahole" --version) and bpftool $("$sid/bpftool" version | sed -n 's/^bpftool v//p')"

check "btfenc -o of the vmlinux" "$BTFENC" -o "$tmp/btfenc.btf" "$kdir/vmlinux"
check "old-pahole-style BTF" hub_old_style "$ref" "$tmp/old.btf"
check "pahole 1.32 --btf_gen_floats" "$sid/pahole" -j --btf_gen_floats \
	--btf_encode_detached="$tmp/p132.btf" "$kdir/vmlinux"
check "pahole 1.32 --btf_features=default" "$sid/pahole" -j --btf_features=default \
	--btf_encode_detached="$tmp/p132f.btf" "$kdir/vmlinux"
check "archive: Debian's .BTF" hub_add "$rel" "$ref"
check "archive: btfenc's BTF" hub_add "$rel+btfenc" "$tmp/btfenc.btf"
check "archive: old-style BTF" hub_add "$rel+oldpahole" "$tmp/old.btf"
check "archive: pahole 1.32's BTF, old flags" hub_add "$rel+pahole1.32" "$tmp/p132.btf"
check "archive: pahole 1.32's BTF, --btf_features" hub_add "$rel+pahole1.32-features" "$tmp/p132f.btf"
releases=("$rel" "$rel+btfenc" "$rel+oldpahole" "$rel+pahole1.32" "$rel+pahole1.32-features")
out=$tmp/out

check "the tree: one btfenc --min --out-dir --btfhub command" \
	hub_min "$out" --btfhub "$HUB_DISTRO" "$hub_dir"/*.btf.tar.xz
check "the tree: nothing extracted to disk" hub_nothing_extracted
hub_check_outputs "$out" "${releases[@]}"
check "manifest: one entry per kernel, none failed" \
	[ "$(hub_entries "$out" | grep -vc ' error$')" -eq ${#releases[@]} ]
check "equal bytes stored once, mapped by same_as" hub_dedup_ok "$out"
echo "the tree: $(find "$out" -name '*.btf' -links 1 | wc -l) files stored alone," \
	"$(find "$out" -name '*.btf' -links +1 | wc -l) sharing their bytes"
find "$out" -type f -printf '%P %i %s %T@\n' | sort | grep -v '^manifest.json ' >"$tmp/before"
check "rerun into the same directory" \
	hub_min "$out" --btfhub "$HUB_DISTRO" "$hub_dir"/*.btf.tar.xz
check "rerun: every output left as it was" \
	diff -u "$tmp/before" <(find "$out" -type f -printf '%P %i %s %T@\n' | sort | grep -v '^manifest.json ')
check "rerun: still one entry per kernel" [ "$(hub_entries "$out" | wc -l)" -eq ${#releases[@]} ]

hub_corecheck "$out"
hub_sizes "$out" bpftool "bpftool $(bpftool version | sed -n 's/^bpftool v//p')"
hub_sizes "$out" "$sid/bpftool" "sid's bpftool $("$sid/bpftool" version | sed -n 's/^bpftool v//p')"

finish
