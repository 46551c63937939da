# Sourced by tests/run-kernel-build*.sh, after test-subr.sh and
# testdata.sh, with $kdir (the Debian kernel), $ref (its .BTF) and $src
# (the kernel build scripts) set: what the kernel's BTF build steps share
# from one layout of the scripts to the next.  Sets PAHOLE (btfenc under
# pahole's name), build (the build directory), KINDS and pver.

KINDS=STRUCT,UNION,ENUM,ENUM64,TYPEDEF,FWD,INT,FLOAT
# The BTF compared with is Debian's, from pahole 1.24, which flattened
# multi-dimensional arrays: the build is asked for that, as a packager
# reproducing it would (btfenc under pahole's name nests them by default)
export BTFENC_ARRAYS=flat
ln -s "$BTFENC" "$tmp/pahole"
PAHOLE=$tmp/pahole
build=$tmp/build
mkdir -p "$build/include/config" "$build/modules"

# The kernel's makefiles run in a make of their own, not as a sub-make of
# the one running this test (which would add its flags and messages)
kmake()
{
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES make --no-print-directory "$@"
}

# Kconfig: PAHOLE_VERSION (pver) is what scripts/pahole-version.sh prints,
# and every "PAHOLE_VERSION >= N" of init/Kconfig and lib/Kconfig.debug
# holds.  The include/config/auto.conf the steps read, for Debian's cloud
# config: link-vmlinux.sh runs gen_btf for DEBUG_INFO_BTF and patches
# e_type by CPU_BIG_ENDIAN (x86-64: not set); Makefile.modfinal runs
# cmd_btf_ko for DEBUG_INFO_BTF_MODULES, which needs PAHOLE_HAS_SPLIT_BTF.
# Debian's gcc build leaves PAHOLE_HAS_BTF_TAG off (it depends on
# CC_IS_CLANG).  Non-zero when pahole-version.sh gives no number.
kbuild_kconfig()
{
	local need c

	pver=$("$src/scripts/pahole-version.sh" "$PAHOLE")
	check "pahole-version.sh reads '$("$PAHOLE" --version)' as a number ($pver)" \
		grep -Eqx '[0-9]+' <<<"$pver" || return 1
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
		check "Kconfig gives CONFIG_$c=y, as in Debian's build" \
			grep -q "^CONFIG_$c=y" "$build/include/config/auto.conf"
	done
	echo "auto.conf: $(tr '\n' ' ' <"$build/include/config/auto.conf")"
}

# same_types WHAT REF OURS [REPEATS]: the same types, whatever the IDs;
# but for the lines of REPEATS: the base types Debian's module BTF repeats
# (libbpf's dedup leaves a few in a split, btfcanon --repeats finds them,
# btfenc repeats none).  Where they
# differ, say how many lines on each side, and whether only by the shape of
# multi-dimensional arrays: nested ARRAYs as in DWARF here, one flat ARRAY
# in pahole 1.24's output.
same_types()
{
	local what=$1 ref=$2 ours=$3 repeats=${4:-} flatten why=
	flatten='1 while s/array \[(\d+)\] (idx=[^;>]*?) -> array \[(\d+)\] idx=[^;>]*? -> /"array [".($1*$3)."] $2 -> "/e'

	diff "$ref" "$ours" >"$ours.diff"
	if [ -s "$ours.diff" ] && [ -s "$repeats" ]; then
		echo "$what: Debian's split BTF repeats $(wc -l <"$repeats") base type(s): $(cut -c 1-100 "$repeats" | head -n 3)"
		grep -vFxf "$repeats" "$ref" >"$ref.own"
		diff "$ref.own" "$ours" >"$ours.diff"
	fi
	if [ -s "$ours.diff" ]; then
		why=": $(grep -c '^<' "$ours.diff") lines only in Debian's, $(grep -c '^>' "$ours.diff") only here"
		cmp -s <(perl -pe "$flatten" "$ref" | sort) <(perl -pe "$flatten" "$ours" | sort) &&
			why+=", all in how multi-dimensional arrays are nested"
	fi
	check "$what: same $KINDS types as Debian's$why" [ ! -s "$ours.diff" ] ||
		head -n 6 "$ours.diff" | cut -c 1-240
}

# kbuild_vmlinux BIN FEATURES: the object gen_btf made, whose .BTF (left in
# $tmp/vmlinux.btf) must equal btfenc's own output for FEATURES and have
# Debian's types; the kernel must accept it.  Sets loadable when bpf()
# can be asked.
kbuild_vmlinux()
{
	local bin=$1 feats=$2 name

	name=$(basename "$bin")
	check "$name is ET_REL, as gen_btf patches it" \
		bash -c "readelf -h '$bin' | grep -q 'Type:[[:space:]]*REL '"
	check "$name has an allocated .BTF" \
		bash -c "readelf -SW '$bin' | grep -Eq '\\.BTF +PROGBITS .* A '"
	objcopy --dump-section .BTF="$tmp/vmlinux.btf" "$bin" /dev/null
	# pahole mode writes arrays as the pahole version it reports (1.31)
	"$BTFENC" --arrays=flat --features="$feats" -o "$tmp/own.btf" "$kdir/vmlinux"
	check "the .BTF of $name equals 'btfenc --features=$feats' byte for byte" \
		cmp "$tmp/vmlinux.btf" "$tmp/own.btf"
	canon --kinds "$KINDS" "$ref" >"$tmp/vmlinux.ref" || fail "btfcanon on Debian's .BTF"
	canon --kinds "$KINDS" "$tmp/vmlinux.btf" >"$tmp/vmlinux.ours" ||
		fail "libbpf cannot parse the vmlinux .BTF"
	same_types vmlinux "$tmp/vmlinux.ref" "$tmp/vmlinux.ours"
	loadable=
	if kernel_can_load_btf; then
		loadable=y
		check "the running kernel accepts the vmlinux BTF" "$TOOLS/btfload" "$tmp/vmlinux.btf"
	else
		echo "note: bpf() refused here: kernel verifier checks not run"
	fi
}

# kbuild_btf_ko_mk: $tmp/btf_ko.mk, the cmd_btf_ko of Makefile.modfinal,
# and $tmp/modfinal.mk, which runs it on a module under its own
# CONFIG_DEBUG_INFO_BTF_MODULES condition
kbuild_btf_ko_mk()
{
	sed -n '/^[[:space:]]*cmd_btf_ko[[:space:]]*=/,/[^\\]$/p' \
		"$src/scripts/Makefile.modfinal" >"$tmp/btf_ko.mk"
	cat >"$tmp/modfinal.mk" <<'MK'
include include/config/auto.conf
include $(BTF_KO_MK)
%.ko: FORCE
ifdef CONFIG_DEBUG_INFO_BTF_MODULES
	$(cmd_btf_ko)
endif
FORCE:
MK
}

# kbuild_module M FLAGS FEATURES: cmd_btf_ko on Debian's module M in the
# build directory (which holds the vmlinux made by gen_btf), with
# PAHOLE_FLAGS FLAGS; its .BTF equals btfenc's own split output for
# FEATURES, libbpf, bpftool and the kernel read it and it has the module's
# own types.  resolve_btfids (it patches .BTF_ids after the encoder) is a
# kernel-tree tool: not run here.  Non-zero only when cmd_btf_ko failed.
kbuild_module()
{
	local m=$1 flags=$2 feats=$3 ko=modules/$1.ko

	cp "$kdir/$ko" "$build/$ko"
	check "$m: cmd_btf_ko succeeds" kmake -s -C "$build" -f "$tmp/modfinal.mk" \
		BTF_KO_MK="$tmp/btf_ko.mk" PAHOLE="$PAHOLE" PAHOLE_FLAGS="$flags" \
		MODULE_PAHOLE_FLAGS= OBJCOPY=objcopy RESOLVE_BTFIDS=: "$ko" || return 1
	objcopy --dump-section .BTF="$tmp/$m.btf" "$build/$ko" /dev/null
	"$BTFENC" --features="$feats" --base "$tmp/vmlinux.btf" -o "$tmp/$m.own" "$kdir/$ko"
	check "$m: .BTF equals btfenc's own split output" cmp "$tmp/$m.btf" "$tmp/$m.own"
	check "$m: libbpf parses it on the vmlinux" \
		canon --base "$build/vmlinux" --split-only --kinds "$KINDS" "$build/$ko" >"$tmp/$m.ours"
	check "$m: bpftool -B vmlinux reads it" \
		bpftool -B "$build/vmlinux" btf dump file "$build/$ko" >/dev/null
	canon --base "$ref" --split-only --kinds "$KINDS" "$kdir/$ko" >"$tmp/$m.ref" ||
		fail "$m: btfcanon on the module's own .BTF"
	canon --base "$ref" --repeats --kinds "$KINDS" "$kdir/$ko" >"$tmp/$m.repeats"
	same_types "$m" "$tmp/$m.ref" "$tmp/$m.ours" "$tmp/$m.repeats"
	[ -z "$loadable" ] ||
		check "$m: the running kernel accepts it joined to the vmlinux BTF" \
			"$TOOLS/btfload" --base "$tmp/vmlinux.btf" "$tmp/$m.btf"
	return 0
}
