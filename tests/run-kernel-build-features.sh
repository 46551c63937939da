#!/bin/bash
# btfenc as $(PAHOLE) for the newer kernel build (6.8 and later): the
# scripts of the newest Debian linux-source apt has, in which
# scripts/Makefile.btf computes PAHOLE_FLAGS (-j, --btf_features=...) and,
# for out-of-tree modules, MODULE_PAHOLE_FLAGS (distilled_base), gen_btf of
# scripts/link-vmlinux.sh adds .BTF to the vmlinux and cmd_btf_ko of
# scripts/Makefile.modfinal adds split .BTF (and .BTF.base) to modules.
# They run on the debug vmlinux and modules of the kernel the other tests
# use: only the build steps are newer.  The BTF equals btfenc's own output
# for the same features, has Debian's STRUCT, UNION, ENUM, ENUM64, TYPEDEF,
# FWD, INT and FLOAT types, and libbpf, bpftool and the kernel read it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
need_tool btfcanon
need_cmd objcopy readelf bpftool make perl dd

kdir=$(testdata_kernel) || skip "the Debian cloud kernel debug package cannot be had here"
ref=$(testdata_ref_btf) || skip "cannot extract Debian's .BTF from $kdir/vmlinux"
src=$(testdata_kernel_scripts_btf_features) || skip "no Debian linux-source of 6.8 or later can be had here"
echo "kernel scripts: $(cat "$src/PACKAGE"); kernel: $(cat "$kdir/VERSION")"
check "$src has scripts/Makefile.btf" [ -f "$src/scripts/Makefile.btf" ] || finish

MODULES="xfs virtio_net dummy"

. "$top_srcdir/tests/kernel-build-subr.sh"
mkdir -p "$build/extmod"
kbuild_kconfig || finish

# PAHOLE_FLAGS and MODULE_PAHOLE_FLAGS as the top Makefile gets them: it
# includes scripts/Makefile.btf for CONFIG_DEBUG_INFO_BTF, with the
# comparison macros of scripts/Kbuild.include
check "the top Makefile includes scripts/Makefile.btf for CONFIG_DEBUG_INFO_BTF" \
	grep -q '^include-$(CONFIG_DEBUG_INFO_BTF)[[:space:]]*+=[[:space:]]*scripts/Makefile.btf' \
	"$src/Makefile" || finish
cat >"$tmp/flags.mk" <<'MK'
include $(BUILD)/include/config/auto.conf
include $(srctree)/scripts/Kbuild.include
include $(srctree)/scripts/Makefile.btf
all:
	@echo '$(PAHOLE_FLAGS)|$(MODULE_PAHOLE_FLAGS)'
MK
# flags [VAR=VALUE...]: "PAHOLE_FLAGS|MODULE_PAHOLE_FLAGS"
flags()
{
	kmake -s -f "$tmp/flags.mk" srctree="$src" BUILD="$build" "$@"
}
both=$(flags)
flags=${both%%|*}
both_ext=$(flags KBUILD_EXTMOD=extmod KBUILD_BUILD_TIMESTAMP=2026-01-01)
flags_repro=${both_ext%%|*}
modflags_ext=${both_ext#*|}
echo "PAHOLE_FLAGS: $flags"
echo "PAHOLE_FLAGS (KBUILD_BUILD_TIMESTAMP set): $flags_repro"
echo "MODULE_PAHOLE_FLAGS (KBUILD_EXTMOD set): $modflags_ext"
check "Makefile.btf asks for --btf_features" grep -q -- --btf_features= <<<"$flags"
check "in-tree modules get no MODULE_PAHOLE_FLAGS" [ -z "${both#*|}" ]
check "out-of-tree modules get distilled_base" grep -q -- --btf_features=distilled_base <<<"$modflags_ext"
check "a reproducible build asks for reproducible_build" grep -q -- reproducible_build <<<"$flags_repro"

# btfenc's own spelling of the features the flags ask for: pahole's
# --btf_features lists, the rest taking nothing away from them
features()
{
	local f list=
	for f in "$@"; do
		case $f in
		--btf_features=*) list+=${list:+,}${f#--btf_features=} ;;
		-j | -j[0-9]* | --lang_exclude=*) ;;
		*) fail "flags: this test does not know what '$f' asks for" ;;
		esac
	done
	tr ',' '\n' <<<"$list" | sed 's/^+//' | sort -u | paste -sd, -
}
# shellcheck disable=SC2086
feats=$(features $flags)
echo "btfenc --features=$feats"

# vmlinux: is_enabled, info and gen_btf of link-vmlinux.sh on a copy of
# Debian's debug vmlinux (the .tmp_vmlinux of the build)
sed -n -e '/^is_enabled()/,/^}/p' -e '/^info()/,/^}/p' -e '/^gen_btf()/,/^}/p' \
	"$src/scripts/link-vmlinux.sh" >"$tmp/gen_btf.sh"
check "link-vmlinux.sh has gen_btf running \${PAHOLE} -J \${PAHOLE_FLAGS}" \
	grep -q '{PAHOLE} -J ${PAHOLE_FLAGS}' "$tmp/gen_btf.sh" || finish
cat >>"$tmp/gen_btf.sh" <<'SH'
set -e
cp "${VMLINUX_DEBUG}" .tmp_vmlinux2
gen_btf .tmp_vmlinux2
echo "${btf_vmlinux_bin_o}" >btf_vmlinux_bin_o
SH
SECONDS=0
(cd "$build" && PAHOLE=$PAHOLE PAHOLE_FLAGS=$flags OBJCOPY=objcopy \
	VMLINUX_DEBUG=$kdir/vmlinux sh "$tmp/gen_btf.sh")
check "gen_btf succeeds (${SECONDS} s)" [ $? -eq 0 ] || finish
kbuild_vmlinux "$build/$(cat "$build/btf_vmlinux_bin_o")" "$feats"
mv "$build/.tmp_vmlinux2" "$build/vmlinux"

# Modules: cmd_btf_ko of Makefile.modfinal, in-tree (PAHOLE_FLAGS only)
# and out of tree (with MODULE_PAHOLE_FLAGS: a .BTF.base besides .BTF)
kbuild_btf_ko_mk
check "Makefile.modfinal has cmd_btf_ko running \$(PAHOLE) -J \$(PAHOLE_FLAGS) \$(MODULE_PAHOLE_FLAGS) --btf_base vmlinux" \
	grep -q '$(PAHOLE) -J $(PAHOLE_FLAGS) $(MODULE_PAHOLE_FLAGS) --btf_base vmlinux' "$tmp/btf_ko.mk" || finish
modfeats_ext=$(features $flags $modflags_ext)
for m in $MODULES; do
	kbuild_module "$m" "$flags" "$feats" || continue
	check "$m: no .BTF.base in tree" bash -c "! readelf -SW '$build/modules/$m.ko' | grep -q '\\.BTF\\.base'"

	ext=extmod/$m.ko
	cp "$kdir/modules/$m.ko" "$build/$ext"
	cp "$kdir/modules/$m.ko" "$tmp/$m.ext-own.ko"
	check "$m out of tree: cmd_btf_ko succeeds" kmake -s -C "$build" -f "$tmp/modfinal.mk" \
		BTF_KO_MK="$tmp/btf_ko.mk" PAHOLE="$PAHOLE" PAHOLE_FLAGS="$flags" \
		MODULE_PAHOLE_FLAGS="$modflags_ext" OBJCOPY=objcopy RESOLVE_BTFIDS=: \
		"$ext" || continue
	"$BTFENC" -J --features="$modfeats_ext" --base "$tmp/vmlinux.btf" "$tmp/$m.ext-own.ko"
	for sec in .BTF .BTF.base; do
		objcopy --dump-section "$sec=$tmp/$m.ext$sec" "$build/$ext" /dev/null 2>/dev/null
		objcopy --dump-section "$sec=$tmp/$m.own$sec" "$tmp/$m.ext-own.ko" /dev/null 2>/dev/null
		check "$m out of tree: $sec equals btfenc -J --features=$modfeats_ext" \
			cmp "$tmp/$m.ext$sec" "$tmp/$m.own$sec"
	done
	check "$m out of tree: bpftool reads .BTF on its .BTF.base" \
		bpftool -B "$tmp/$m.ext.BTF.base" btf dump file "$tmp/$m.ext.BTF" >/dev/null
done
finish
