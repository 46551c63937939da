#!/bin/bash
# The BTFHub-style batch of run-btfhub.sh (Debian's .BTF, btfenc's BTF and
# old-pahole-style BTF as RELEASE.btf.tar.xz, and the dbg .deb), checked
# with libbpf itself: for every output and every libbpf-tools object,
# libbpf's CO-RE relocation against the minimized BTF is the one against
# the kernel's full BTF (tests/tools/corecheck).  Needs bpf().
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/btfhub-subr.sh"
. "$FIXTURES/bpf/min-subr.sh"
need_tool corecheck
hub_setup
"$TOOLS/corecheck" --load /dev/null /sys/kernel/btf/vmlinux >/dev/null 2>&1
[ $? -eq 77 ] && skip "bpf() is refused here: libbpf cannot relocate"

check "btfenc -o of the vmlinux" "$BTFENC" -o "$tmp/btfenc.btf" "$kdir/vmlinux"
check "old-pahole-style BTF" hub_old_style "$ref" "$tmp/old.btf"
check "archive: Debian's .BTF" hub_add "$rel" "$ref"
check "archive: btfenc's BTF" hub_add "$rel+btfenc" "$tmp/btfenc.btf"
check "archive: old-style BTF" hub_add "$rel+oldpahole" "$tmp/old.btf"
out=$tmp/out
check "the tree: one command" hub_min "$out" --btfhub "$HUB_DISTRO" "$hub_dir"/*.btf.tar.xz
check "the packages: one command" hub_min "$out" --btfhub debian-dbg/12 "$tmp/pkgs"/*.deb
check "four kernels in the manifest, none failed" \
	[ "$(hub_entries "$out" | grep -vc ' error$')" -eq 4 ]

hub_corecheck "$out"

finish
