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

# The kernel's makefiles run in a make of their own, not as a sub-make of
# the one running this test (which would add its flags and messages)
kmake()
{
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES make --no-print-directory "$@"
}
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
KINDS=STRUCT,UNION,ENUM,ENUM64,TYPEDEF,FWD,INT,FLOAT

ln -s "$BTFENC" "$tmp/pahole"
PAHOLE=$tmp/pahole
build=$tmp/build
mkdir -p "$build/include/config" "$build/modules"

# Kconfig: PAHOLE_VERSION is what scripts/pahole-version.sh prints, and
# every "PAHOLE_VERSION >= N" of init/Kconfig and lib/Kconfig.debug holds.
pver=$("$src/scripts/pahole-version.sh" "$PAHOLE")
check "pahole-version.sh reads '$("$PAHOLE" --version)' as a number ($pver)" \
	grep -Eqx '[0-9]+' <<<"$pver" || finish
need=$(grep -ho 'PAHOLE_VERSION >= [0-9]*' "$src/init/Kconfig" "$src/lib/Kconfig.debug" |
       awk '$3 > n { n = $3 } END { print n + 0 }')
check "CONFIG_PAHOLE_VERSION=$pver meets every PAHOLE_VERSION >= N in Kconfig (highest N: $need)" \
	[ "$pver" -ge "$need" ]
# The include/config/auto.conf the steps read, for Debian's cloud config:
# link-vmlinux.sh runs gen_btf for DEBUG_INFO_BTF and patches e_type by
# CPU_BIG_ENDIAN (x86-64: not set); Makefile.modfinal runs cmd_btf_ko for
# DEBUG_INFO_BTF_MODULES, which needs PAHOLE_HAS_SPLIT_BTF.  Debian's gcc
# build leaves PAHOLE_HAS_BTF_TAG off (it depends on CC_IS_CLANG).
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
	check "Kconfig gives CONFIG_$c=y, as in Debian's build" \
		grep -q "^CONFIG_$c=y" "$build/include/config/auto.conf"
done
echo "auto.conf: $(tr '\n' ' ' <"$build/include/config/auto.conf")"

# PAHOLE_FLAGS exactly as the top Makefile defines it
grep '^PAHOLE_FLAGS[[:space:]]*[:]*=' "$src/Makefile" >"$tmp/flags.mk"
check "the top Makefile defines PAHOLE_FLAGS" [ -s "$tmp/flags.mk" ] || finish
printf 'all:\n\t@echo $(PAHOLE_FLAGS)\n' >>"$tmp/flags.mk"
flags=$(kmake -s -f "$tmp/flags.mk" srctree="$src" PAHOLE="$PAHOLE")
echo "PAHOLE_FLAGS: $flags"
check "scripts/pahole-flags.sh asks for FLOAT (--btf_gen_floats)" grep -qw -- --btf_gen_floats <<<"$flags"

# The same encoding in btfenc's own options (btfenc(1), PAHOLE
# COMPATIBILITY): pahole's defaults, then what each flag changes.
feats=var,decl_tag,type_tag,enum64,encode_force
for f in $flags; do
	case $f in
	--btf_gen_floats) feats+=,float ;;
	--btf_gen_optimized) feats+=,optimized_func ;;
	--skip_encoding_btf_inconsistent_proto) feats+=,consistent_func ;;
	--skip_encoding_btf_vars) feats+=,-var ;;
	# the same output at every -j; Debian's 6.1 has no Rust CU
	-j | -j[0-9]* | --lang_exclude=*) ;;
	*) fail "PAHOLE_FLAGS: this test does not know what '$f' asks for" ;;
	esac
done

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
bin=$build/.btf.vmlinux.bin.o
check ".btf.vmlinux.bin.o is ET_REL, as gen_btf patches it" \
	bash -c "readelf -h '$bin' | grep -q 'Type:[[:space:]]*REL '"
check ".btf.vmlinux.bin.o has an allocated .BTF" \
	bash -c "readelf -SW '$bin' | grep -Eq '\\.BTF +PROGBITS .* A '"
objcopy --dump-section .BTF="$tmp/vmlinux.btf" "$bin" /dev/null
mv "$build/.tmp_vmlinux.btf" "$build/vmlinux"

"$BTFENC" --features="$feats" -o "$tmp/own.btf" "$kdir/vmlinux"
check "the .BTF of .btf.vmlinux.bin.o equals 'btfenc --features=$feats' byte for byte" \
	cmp "$tmp/vmlinux.btf" "$tmp/own.btf"

# same_types WHAT REF OURS: the same types, whatever the IDs.  Where they
# differ, say how many lines on each side, and whether only by the shape of
# multi-dimensional arrays: nested ARRAYs as in DWARF here, one flat ARRAY
# in pahole 1.24's output.
same_types()
{
	local what=$1 ref=$2 ours=$3 flatten why=
	flatten='1 while s/array \[(\d+)\] (idx=[^;>]*?) -> array \[(\d+)\] idx=[^;>]*? -> /"array [".($1*$3)."] $2 -> "/e'

	diff "$ref" "$ours" >"$ours.diff"
	if [ -s "$ours.diff" ]; then
		why=": $(grep -c '^<' "$ours.diff") lines only in Debian's, $(grep -c '^>' "$ours.diff") only here"
		cmp -s <(perl -pe "$flatten" "$ref" | sort) <(perl -pe "$flatten" "$ours" | sort) &&
			why+=", all in how multi-dimensional arrays are nested"
	fi
	check "$what: same $KINDS types as Debian's$why" [ ! -s "$ours.diff" ] ||
		head -n 6 "$ours.diff" | cut -c 1-240
}

canon --kinds "$KINDS" "$ref" >"$tmp/vmlinux.ref" || fail "btfcanon on Debian's .BTF"
canon --kinds "$KINDS" "$tmp/vmlinux.btf" >"$tmp/vmlinux.ours" || fail "libbpf cannot parse the vmlinux .BTF"
same_types vmlinux "$tmp/vmlinux.ref" "$tmp/vmlinux.ours"

loadable=
if kernel_can_load_btf; then
	loadable=y
	check "the running kernel accepts the vmlinux BTF" "$TOOLS/btfload" "$tmp/vmlinux.btf"
else
	echo "note: bpf() refused here: kernel verifier checks not run"
fi

# Modules: cmd_btf_ko as Makefile.modfinal defines it, under its own
# CONFIG_DEBUG_INFO_BTF_MODULES condition, in the directory holding the
# vmlinux made above.  resolve_btfids (it patches .BTF_ids after the
# encoder) is a kernel-tree tool: not run here.
sed -n '/^[[:space:]]*cmd_btf_ko[[:space:]]*=/,/[^\\]$/p' "$src/scripts/Makefile.modfinal" >"$tmp/btf_ko.mk"
check "Makefile.modfinal has cmd_btf_ko running \$(PAHOLE) -J \$(PAHOLE_FLAGS) --btf_base vmlinux" \
	grep -q '$(PAHOLE) -J $(PAHOLE_FLAGS) --btf_base vmlinux' "$tmp/btf_ko.mk" || finish
cat >"$tmp/modfinal.mk" <<'MK'
include include/config/auto.conf
include $(BTF_KO_MK)
%.ko: FORCE
ifdef CONFIG_DEBUG_INFO_BTF_MODULES
	$(cmd_btf_ko)
endif
FORCE:
MK
for m in $MODULES; do
	ko=modules/$m.ko
	cp "$kdir/$ko" "$build/$ko"
	check "$m: cmd_btf_ko succeeds" kmake -s -C "$build" -f "$tmp/modfinal.mk" \
		BTF_KO_MK="$tmp/btf_ko.mk" PAHOLE="$PAHOLE" PAHOLE_FLAGS="$flags" \
		OBJCOPY=objcopy RESOLVE_BTFIDS=: "$ko" || continue
	objcopy --dump-section .BTF="$tmp/$m.btf" "$build/$ko" /dev/null
	"$BTFENC" --features="$feats" --base "$tmp/vmlinux.btf" -o "$tmp/$m.own" "$kdir/$ko"
	check "$m: .BTF equals btfenc's own split output" cmp "$tmp/$m.btf" "$tmp/$m.own"
	check "$m: libbpf parses it on the vmlinux" \
		canon --base "$build/vmlinux" --split-only --kinds "$KINDS" "$build/$ko" >"$tmp/$m.ours"
	check "$m: bpftool -B vmlinux reads it" \
		bpftool -B "$build/vmlinux" btf dump file "$build/$ko" >/dev/null
	canon --base "$ref" --split-only --kinds "$KINDS" "$kdir/$ko" >"$tmp/$m.ref" ||
		fail "$m: btfcanon on the module's own .BTF"
	same_types "$m" "$tmp/$m.ref" "$tmp/$m.ours"
	[ -n "$loadable" ] &&
		check "$m: the running kernel accepts it joined to the vmlinux BTF" \
			"$TOOLS/btfload" --base "$tmp/vmlinux.btf" "$tmp/$m.btf"
done
finish
