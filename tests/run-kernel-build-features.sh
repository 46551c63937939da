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
need_cmd objcopy readelf bpftool make dd

kmake()
{
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES make --no-print-directory "$@"
}
kdir=$(testdata_kernel) || skip "the Debian cloud kernel debug package cannot be had here"
ref=$(testdata_ref_btf) || skip "cannot extract Debian's .BTF from $kdir/vmlinux"
src=$(testdata_kernel_scripts_btf_features) || skip "no Debian linux-source of 6.8 or later can be had here"
echo "kernel scripts: $(cat "$src/PACKAGE"); kernel: $(cat "$kdir/VERSION")"
check "$src has scripts/Makefile.btf" [ -f "$src/scripts/Makefile.btf" ] || finish

MODULES="xfs virtio_net dummy"
KINDS=STRUCT,UNION,ENUM,ENUM64,TYPEDEF,FWD,INT,FLOAT

ln -s "$BTFENC" "$tmp/pahole"
PAHOLE=$tmp/pahole
build=$tmp/build
mkdir -p "$build/include/config" "$build/modules" "$build/extmod"

# Kconfig, as for 6.1 (tests/run-kernel-build.sh)
pver=$("$src/scripts/pahole-version.sh" "$PAHOLE")
check "pahole-version.sh reads '$("$PAHOLE" --version)' as a number ($pver)" \
	grep -Eqx '[0-9]+' <<<"$pver" || finish
need=$(grep -ho 'PAHOLE_VERSION >= [0-9]*' "$src/init/Kconfig" "$src/lib/Kconfig.debug" |
       awk '$3 > n { n = $3 } END { print n + 0 }')
check "CONFIG_PAHOLE_VERSION=$pver meets every PAHOLE_VERSION >= N in Kconfig (highest N: $need)" \
	[ "$pver" -ge "$need" ]
{
	echo "CONFIG_PAHOLE_VERSION=$pver"
	echo "CONFIG_DEBUG_INFO_BTF=y"
	awk -v v="$pver" '/^config / { c = $2 }
		/def_bool PAHOLE_VERSION >= / && c != "PAHOLE_HAS_BTF_TAG" && v >= $NF {
			print "CONFIG_" c "=y" }' "$src/lib/Kconfig.debug"
} >"$build/include/config/auto.conf"
grep -q '^CONFIG_PAHOLE_HAS_SPLIT_BTF=y' "$build/include/config/auto.conf" &&
	echo "CONFIG_DEBUG_INFO_BTF_MODULES=y" >>"$build/include/config/auto.conf"
for c in PAHOLE_HAS_SPLIT_BTF PAHOLE_HAS_LANG_EXCLUDE DEBUG_INFO_BTF_MODULES; do
	check "Kconfig gives CONFIG_$c=y" grep -q "^CONFIG_$c=y" "$build/include/config/auto.conf"
done
echo "auto.conf: $(tr '\n' ' ' <"$build/include/config/auto.conf")"

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
bin=$build/$(cat "$build/btf_vmlinux_bin_o")
check "$(basename "$bin") is ET_REL, as gen_btf patches it" \
	bash -c "readelf -h '$bin' | grep -q 'Type:[[:space:]]*REL '"
check "$(basename "$bin") has an allocated .BTF" \
	bash -c "readelf -SW '$bin' | grep -Eq '\\.BTF +PROGBITS .* A '"
objcopy --dump-section .BTF="$tmp/vmlinux.btf" "$bin" /dev/null
mv "$build/.tmp_vmlinux2" "$build/vmlinux"

"$BTFENC" --features="$feats" -o "$tmp/own.btf" "$kdir/vmlinux"
check "the vmlinux .BTF equals 'btfenc --features=$feats' byte for byte" \
	cmp "$tmp/vmlinux.btf" "$tmp/own.btf"
canon --kinds "$KINDS" "$ref" >"$tmp/vmlinux.ref" || fail "btfcanon on Debian's .BTF"
canon --kinds "$KINDS" "$tmp/vmlinux.btf" >"$tmp/vmlinux.ours" || fail "libbpf cannot parse the vmlinux .BTF"
check "vmlinux: same $KINDS types as Debian's" cmp -s "$tmp/vmlinux.ref" "$tmp/vmlinux.ours"
loadable=
if kernel_can_load_btf; then
	loadable=y
	check "the running kernel accepts the vmlinux BTF" "$TOOLS/btfload" "$tmp/vmlinux.btf"
fi

# Modules: cmd_btf_ko of Makefile.modfinal, in-tree (PAHOLE_FLAGS only)
# and out of tree (with MODULE_PAHOLE_FLAGS: a .BTF.base besides .BTF)
sed -n '/^[[:space:]]*cmd_btf_ko[[:space:]]*=/,/[^\\]$/p' "$src/scripts/Makefile.modfinal" >"$tmp/btf_ko.mk"
check "Makefile.modfinal has cmd_btf_ko running \$(PAHOLE) -J \$(PAHOLE_FLAGS) \$(MODULE_PAHOLE_FLAGS) --btf_base vmlinux" \
	grep -q '$(PAHOLE) -J $(PAHOLE_FLAGS) $(MODULE_PAHOLE_FLAGS) --btf_base vmlinux' "$tmp/btf_ko.mk" || finish
cat >"$tmp/modfinal.mk" <<'MK'
include include/config/auto.conf
include $(BTF_KO_MK)
%.ko: FORCE
ifdef CONFIG_DEBUG_INFO_BTF_MODULES
	$(cmd_btf_ko)
endif
FORCE:
MK
modfeats_ext=$(features $flags $modflags_ext)
for m in $MODULES; do
	ko=modules/$m.ko
	cp "$kdir/$ko" "$build/$ko"
	check "$m: cmd_btf_ko succeeds" kmake -s -C "$build" -f "$tmp/modfinal.mk" \
		BTF_KO_MK="$tmp/btf_ko.mk" PAHOLE="$PAHOLE" PAHOLE_FLAGS="$flags" \
		MODULE_PAHOLE_FLAGS= OBJCOPY=objcopy RESOLVE_BTFIDS=: "$ko" || continue
	objcopy --dump-section .BTF="$tmp/$m.btf" "$build/$ko" /dev/null
	"$BTFENC" --features="$feats" --base "$tmp/vmlinux.btf" -o "$tmp/$m.own" "$kdir/$ko"
	check "$m: .BTF equals btfenc's own split output" cmp "$tmp/$m.btf" "$tmp/$m.own"
	check "$m: no .BTF.base in tree" bash -c "! readelf -SW '$build/$ko' | grep -q '\\.BTF\\.base'"
	check "$m: libbpf parses it on the vmlinux" \
		canon --base "$build/vmlinux" --split-only --kinds "$KINDS" "$build/$ko" >"$tmp/$m.ours"
	check "$m: bpftool -B vmlinux reads it" \
		bpftool -B "$build/vmlinux" btf dump file "$build/$ko" >/dev/null
	canon --base "$ref" --split-only --kinds "$KINDS" "$kdir/$ko" >"$tmp/$m.ref" ||
		fail "$m: btfcanon on the module's own .BTF"
	check "$m: same $KINDS types as Debian's" cmp -s "$tmp/$m.ref" "$tmp/$m.ours"
	[ -n "$loadable" ] &&
		check "$m: the running kernel accepts it joined to the vmlinux BTF" \
			"$TOOLS/btfload" --base "$tmp/vmlinux.btf" "$tmp/$m.btf"

	ext=extmod/$m.ko
	cp "$kdir/$ko" "$build/$ext"
	cp "$kdir/$ko" "$tmp/$m.ext-own.ko"
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
