#!/bin/bash
# btfenc as the kernel build's $(PAHOLE), driven by the kernel's own scripts
# from Debian's source of the cloud kernel: Kconfig's PAHOLE_VERSION tests
# hold, scripts/pahole-flags.sh computes PAHOLE_FLAGS, gen_btf of
# scripts/link-vmlinux.sh makes .btf.vmlinux.bin.o from the debug vmlinux
# (standing in for .tmp_vmlinux.btf) and cmd_btf_ko of
# scripts/Makefile.modfinal adds split .BTF to modules.  The BTF equals
# btfenc's own output for the same features, has Debian's STRUCT, UNION,
# ENUM, ENUM64, TYPEDEF, FWD, INT and FLOAT types, and libbpf, bpftool and
# the running kernel read it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
need_tool btfcanon
need_cmd objcopy readelf bpftool make perl

kdir=$(testdata_kernel) || skip "the Debian cloud kernel debug package cannot be had here"
ref=$(testdata_ref_btf) || skip "cannot extract Debian's .BTF from $kdir/vmlinux"
src=$(testdata_kernel_scripts) || skip "Debian's linux-source of the cloud kernel cannot be had here"
echo "kernel scripts: $(cat "$src/PACKAGE"); kernel: $(cat "$kdir/VERSION")"
if [ ! -f "$src/scripts/pahole-flags.sh" ]; then
	# 6.8 moved the flags into scripts/Makefile.btf (CONFIG_* and --btf_features)
	fail "$src has scripts/Makefile.btf, not scripts/pahole-flags.sh: teach this test that layout"
	finish
fi

# Debian's modules: big, a driver, a module on another module, tiny
MODULES="xfs kvm-intel virtio_net overlay dummy"

. "$top_srcdir/tests/kernel-build-subr.sh"
kbuild_kconfig || finish

# PAHOLE_FLAGS exactly as the top Makefile defines it
grep '^PAHOLE_FLAGS[[:space:]]*[:]*=' "$src/Makefile" >"$tmp/flags.mk"
check "the top Makefile defines PAHOLE_FLAGS" [ -s "$tmp/flags.mk" ] || finish
printf 'all:\n\t@echo $(PAHOLE_FLAGS)\n' >>"$tmp/flags.mk"
flags=$(kmake -s -f "$tmp/flags.mk" srctree="$src" PAHOLE="$PAHOLE")
echo "PAHOLE_FLAGS: $flags"
check "scripts/pahole-flags.sh asks for FLOAT (--btf_gen_floats)" grep -qw -- --btf_gen_floats <<<"$flags"

# The same encoding in btfenc's own options
feats=$(pahole_flags_features "$flags") ||
	fail "PAHOLE_FLAGS '$flags': a flag this test does not know"

# vmlinux: is_enabled, info and gen_btf as link-vmlinux.sh defines them,
# run by /bin/sh as that script is.  Only the link is ours: it copies
# Debian's debug vmlinux, the .tmp_vmlinux.btf of its build.
sed -n -e '/^is_enabled()/,/^}/p' -e '/^info()/,/^}/p' -e '/^gen_btf()/,/^}/p' \
	"$src/scripts/link-vmlinux.sh" >"$tmp/gen_btf.sh"
check "link-vmlinux.sh has gen_btf running \${PAHOLE} -J \${PAHOLE_FLAGS}" \
	grep -q '{PAHOLE} -J ${PAHOLE_FLAGS}' "$tmp/gen_btf.sh" || finish
cat >>"$tmp/gen_btf.sh" <<'SH'
vmlinux_link()
{
	info LD "${1}"
	cp "${VMLINUX_DEBUG}" "${1}"
}
set -e
gen_btf .tmp_vmlinux.btf .btf.vmlinux.bin.o
SH
SECONDS=0
(cd "$build" && PAHOLE=$PAHOLE PAHOLE_FLAGS=$flags OBJCOPY=objcopy \
	VMLINUX_DEBUG=$kdir/vmlinux sh "$tmp/gen_btf.sh")
check "gen_btf succeeds (${SECONDS} s)" [ $? -eq 0 ] || finish
kbuild_vmlinux "$build/.btf.vmlinux.bin.o" "$feats"
mv "$build/.tmp_vmlinux.btf" "$build/vmlinux"

# Modules: cmd_btf_ko as Makefile.modfinal defines it, in the directory
# holding the vmlinux made above
kbuild_btf_ko_mk
check "Makefile.modfinal has cmd_btf_ko running \$(PAHOLE) -J \$(PAHOLE_FLAGS) --btf_base vmlinux" \
	grep -q '$(PAHOLE) -J $(PAHOLE_FLAGS) --btf_base vmlinux' "$tmp/btf_ko.mk" || finish
for m in $MODULES; do
	kbuild_module "$m" "$flags" "$feats"
done
finish
