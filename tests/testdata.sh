# tests/testdata.sh - real inputs for tests and CI, cached outside the checkout.
#
# Source it from bash.  Each function prints one path on stdout and returns
# 0, or says why on stderr and returns non-zero, so that a test can skip:
#
#	. "$srcdir/tests/testdata.sh"
#	kdir=$(testdata_kernel) || exit 77
#
# The cache lives in $BTFENC_TESTDATA (default /var/cache/btfenc-testdata)
# and is keyed by package version, so CI on one machine downloads a kernel
# once and a new Debian kernel gets its own directory.  Everything is built
# in a temporary directory and renamed into place, so a directory under its
# final name is always complete; a lock file keeps parallel tests from
# doing the same work twice.
#
# Layout:
#	<version>/vmlinux		kernel with DWARF and Debian's .BTF
#	<version>/modules/<name>.ko	the modules of TESTDATA_MODULES
#	<version>/VERSION		package name and version
#	<version>/debian.btf		Debian's .BTF (testdata_ref_btf)
#	<version>/vmlinux.dwz		vmlinux through dwz (testdata_dwz_vmlinux)
#	lto-<version>/			clang ThinLTO kernel (testdata_lto_kernel)
#	libbpf-tools-<version>/*.bpf.o	CO-RE objects (testdata_bpf_objs)

TESTDATA_KERNEL_META=linux-image-cloud-amd64-dbg

# The 24 modules with the most debug info in the 6.1 cloud package, then
# kvm-intel and a few common cloud drivers, then tiny ones that have almost
# nothing of their own over the vmlinux base.  Names must be unique in the
# package: they are matched as "*/<name>.ko".
TESTDATA_MODULES="
	mlx5_core xfs btrfs cifs kvm mlx5_ib nfsv4 nfsd sctp sunrpc ib_core
	nfs tipc nf_tables bridge ib_uverbs ksmbd ceph smc mlx4_core
	nf_conntrack rpcrdma libceph drbd
	kvm-intel virtio_net veth overlay
	dummy crc7 cordic crc-itu-t
"

testdata_dir()
{
	printf '%s\n' "${BTFENC_TESTDATA:-/var/cache/btfenc-testdata}"
}

testdata_err()
{
	echo "testdata: $*" >&2
	return 1
}

# A readable work directory beside <final>, hidden from the globs that look
# for complete results.
testdata_tmpdir()
{
	local final=$1 tmp

	tmp=$(mktemp -d "${final%/*}/.tmp-${final##*/}.XXXXXX") || return 1
	chmod 755 "$tmp" && printf '%s\n' "$tmp"
}

# Run "$@" with an exclusive lock on $1 (a file in the cache dir).
testdata_locked()
{
	local lock=$1 fd

	shift
	exec {fd}>"$lock" || return 1
	flock "$fd" || return 1
	"$@"
	local rc=$?
	exec {fd}>&-
	return $rc
}

# apt-cache takes about a second; its answer only changes when the package
# lists do, so remember it next to the lists' timestamp.
testdata_apt_stamp()
{
	stat -c '%Y' /var/lib/apt/lists 2>/dev/null
}

# Prints "<package> <version>" of the package the meta package depends on.
testdata_resolve_kernel()
{
	local dir memo stamp line pkg ver tmp

	dir=$(testdata_dir)
	memo=$dir/.resolved-$TESTDATA_KERNEL_META
	stamp=$(testdata_apt_stamp)
	if [ -n "$stamp" ] && [ -r "$memo" ] && read -r line <"$memo" &&
	   [ "${line%% *}" = "$stamp" ]; then
		printf '%s\n' "${line#* }"
		return 0
	fi
	pkg=$(apt-cache depends "$TESTDATA_KERNEL_META" 2>/dev/null |
	      awk '$1 == "Depends:" { print $2; exit }')
	[ -n "$pkg" ] || return 1
	ver=$(apt-cache policy "$pkg" 2>/dev/null |
	      awk '$1 == "Candidate:" { print $2; exit }')
	[ -n "$ver" ] && [ "$ver" != "(none)" ] || return 1
	if [ -n "$stamp" ] && tmp=$(mktemp "$memo.XXXXXX" 2>/dev/null); then
		if ! printf '%s %s %s\n' "$stamp" "$pkg" "$ver" >"$tmp" ||
		   ! chmod 644 "$tmp" ||
		   ! mv -f "$tmp" "$memo"; then
			rm -f "$tmp"
		fi
	fi
	printf '%s %s\n' "$pkg" "$ver"
}

# Without apt's answer (no network, no lists), the newest complete kernel
# already in the cache is still good test data.
testdata_cached_kernel()
{
	local dir=$1 v

	# Only Debian's kernels: lto-<version>/ has a VERSION too.
	v=$(printf '%s\n' "$dir"/[0-9]*/VERSION | sort -V | tail -n 1)
	[ -f "$v" ] && dirname "$v"
}

# The .deb in the cache for <pkg> <version>, downloading it if needed.
testdata_fetch_deb()
{
	local dir=$1 pkg=$2 ver=$3 f tmp log

	for f in "$dir/${pkg}_"*.deb; do
		[ -f "$f" ] || continue
		if [ "$(dpkg-deb -f "$f" Version 2>/dev/null)" = "$ver" ]; then
			printf '%s\n' "$f"
			return 0
		fi
	done
	echo "testdata: downloading $pkg $ver (about 300 MB)" >&2
	tmp=$(mktemp -d "$dir/.download.XXXXXX") || return 1
	log=$tmp/apt.log
	# As root, apt warns that its _apt sandbox cannot write here: harmless.
	if ! (cd "$tmp" && apt-get download "$pkg=$ver") >"$log" 2>&1; then
		cat "$log" >&2
		rm -rf "$tmp"
		testdata_err "apt-get download $pkg=$ver failed"
		return 1
	fi
	for f in "$tmp"/*.deb; do
		mv -f "$f" "$dir/" && printf '%s\n' "$dir/${f##*/}"
	done
	rm -rf "$tmp"
}

# Extract vmlinux and TESTDATA_MODULES of <deb> into the new dir <out>.
testdata_extract_kernel()
(
	local deb=$1 out=$2 pkg=$3 ver=$4 tmp m pats=()

	set -o pipefail
	tmp=$(testdata_tmpdir "$out") || exit 1
	trap 'rm -rf "$tmp"' EXIT
	for m in $TESTDATA_MODULES; do
		pats+=("./usr/lib/debug/lib/modules/*/$m.ko")
	done
	echo "testdata: extracting vmlinux and ${#pats[@]} modules from ${deb##*/}" >&2
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$tmp" --wildcards './usr/lib/debug/boot/vmlinux-*' "${pats[@]}" ||
		{ testdata_err "$deb: cannot extract (truncated? delete it to download again)"; exit 1; }
	mkdir "$tmp/modules" || exit 1
	mv "$tmp"/usr/lib/debug/boot/vmlinux-* "$tmp/vmlinux" || exit 1
	find "$tmp/usr" -name '*.ko' -exec mv -t "$tmp/modules" {} + || exit 1
	for m in $TESTDATA_MODULES; do
		[ -f "$tmp/modules/$m.ko" ] || { testdata_err "$deb: no $m.ko"; exit 1; }
	done
	rm -rf "${tmp:?}/usr"
	printf '%s %s\n' "$pkg" "$ver" >"$tmp/VERSION" || exit 1
	# A leftover without VERSION is debris from an older layout: replace it.
	rm -rf "$out"
	mv -T "$tmp" "$out" || exit 1
	trap - EXIT
)

# testdata_make_kernel DIR PKG VER [EXTRACT]: DIR/VER from the package,
# unpacked by EXTRACT (default testdata_extract_kernel)
testdata_make_kernel()
{
	local dir=$1 pkg=$2 ver=$3 extract=${4:-testdata_extract_kernel} deb

	[ -f "$dir/$ver/VERSION" ] && return 0
	# Under the lock, leftovers of an interrupted run are nobody's work.
	rm -rf "$dir/.tmp-$ver".* "$dir"/.download.*
	deb=$(testdata_fetch_deb "$dir" "$pkg" "$ver") || return 1
	"$extract" "$deb" "$dir/$ver" "$pkg" "$ver"
}

# Prints the directory holding vmlinux and modules/ of Debian's cloud kernel.
testdata_kernel()
{
	local dir pkg ver res cached

	dir=$(testdata_dir)
	mkdir -p "$dir" 2>/dev/null
	if ! res=$(testdata_resolve_kernel); then
		if cached=$(testdata_cached_kernel "$dir"); then
			echo "testdata: apt cannot resolve $TESTDATA_KERNEL_META, using $cached" >&2
			printf '%s\n' "$cached"
			return 0
		fi
		testdata_err "apt cannot resolve $TESTDATA_KERNEL_META (no network or package lists?)"
		return 1
	fi
	pkg=${res% *}
	ver=${res#* }
	if [ -f "$dir/$ver/VERSION" ]; then
		printf '%s\n' "$dir/$ver"
		return 0
	fi
	[ -w "$dir" ] || { testdata_err "cannot write to $dir"; return 1; }
	testdata_locked "$dir/.lock-kernel" testdata_make_kernel "$dir" "$pkg" "$ver" ||
		return 1
	printf '%s\n' "$dir/$ver"
}

testdata_make_ref_btf()
{
	local kdir=$1 tmp

	[ -s "$kdir/debian.btf" ] && return 0
	tmp=$(mktemp "$kdir/.debian.btf.XXXXXX") || return 1
	if ! objcopy --dump-section .BTF="$tmp" "$kdir/vmlinux" /dev/null ||
	   ! [ -s "$tmp" ]; then
		rm -f "$tmp"
		testdata_err "$kdir/vmlinux: cannot extract .BTF"
		return 1
	fi
	chmod 644 "$tmp" && mv -f "$tmp" "$kdir/debian.btf"
}

# Prints the path of Debian's own .BTF of that vmlinux: the reference.
testdata_ref_btf()
{
	local kdir

	kdir=$(testdata_kernel) || return 1
	if [ ! -s "$kdir/debian.btf" ]; then
		testdata_locked "$kdir/.lock-btf" testdata_make_ref_btf "$kdir" ||
			return 1
	fi
	printf '%s\n' "$kdir/debian.btf"
}

# dwz rewrites the DWARF into partial units imported where they are used
# (DW_TAG_partial_unit, DW_TAG_imported_unit), the shape SUSE and the
# Fedora/RHEL family ship.  The 6.1 vmlinux has 14 million DIEs: above
# dwz's default limits (10 million for the fast mode, 50 million to give
# up), so both are raised; that takes about 40 s and 2 GB.  dwz exits 0
# without writing anything when it finds nothing to share, so the output
# must exist and differ from the input.
testdata_make_dwz_vmlinux()
{
	local kdir=$1 tmp

	[ -s "$kdir/vmlinux.dwz" ] && return 0
	rm -f "$kdir"/.vmlinux.dwz.*
	tmp=$(mktemp "$kdir/.vmlinux.dwz.XXXXXX") || return 1
	echo "testdata: dwz on $kdir/vmlinux (about 40 s, 2 GB)" >&2
	if ! dwz -L 100000000 -l 100000000 -o "$tmp" "$kdir/vmlinux" >&2 ||
	   ! [ -s "$tmp" ] || cmp -s "$tmp" "$kdir/vmlinux"; then
		rm -f "$tmp"
		testdata_err "dwz -o ... $kdir/vmlinux failed or changed nothing"
		return 1
	fi
	chmod 644 "$tmp" && mv -f "$tmp" "$kdir/vmlinux.dwz"
}

# Prints the path of the cloud vmlinux compressed by dwz (single file:
# partial units and imports, no supplementary file).
testdata_dwz_vmlinux()
{
	local kdir

	command -v dwz >/dev/null 2>&1 || { testdata_err "dwz is not installed"; return 1; }
	kdir=$(testdata_kernel) || return 1
	if [ ! -s "$kdir/vmlinux.dwz" ]; then
		[ -w "$kdir" ] || { testdata_err "cannot write to $kdir"; return 1; }
		testdata_locked "$kdir/.lock-dwz" testdata_make_dwz_vmlinux "$kdir" ||
			return 1
	fi
	printf '%s\n' "$kdir/vmlinux.dwz"
}

testdata_libbpf_tools_version()
{
	dpkg-query -W -f='${Status} ${Version}\n' libbpf-tools 2>/dev/null |
		awk '$3 == "installed" { print $4 }'
}

testdata_install_libbpf_tools()
{
	local log

	[ -n "$(testdata_libbpf_tools_version)" ] && return 0
	[ "$(id -u)" = 0 ] ||
		{ testdata_err "libbpf-tools is not installed and we are not root"; return 1; }
	echo "testdata: installing libbpf-tools" >&2
	log=$(mktemp) || return 1
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y libbpf-tools >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		testdata_err "apt-get install libbpf-tools failed"
		return 1
	fi
	rm -f "$log"
}

# The tools are regular files in /usr/sbin; the symlinks among them
# (ext4dist -> fsdist, ...) would only repeat the same objects.
testdata_carve()
(
	local bpfcarve=$1 out=$2 tmp f files=()

	tmp=$(testdata_tmpdir "$out") || exit 1
	trap 'rm -rf "$tmp"' EXIT
	while read -r f; do
		[ -f "$f" ] && [ ! -L "$f" ] && files+=("$f")
	done < <(dpkg -L libbpf-tools | grep '^/usr/sbin/.')
	[ ${#files[@]} -gt 0 ] || { testdata_err "libbpf-tools has no tools in /usr/sbin"; exit 1; }
	"$bpfcarve" "$tmp" "${files[@]}" >"$tmp/COUNT" || exit 1
	[ "$(cat "$tmp/COUNT")" -gt 0 ] ||
		{ testdata_err "no BPF object found in libbpf-tools"; exit 1; }
	rm -rf "$out" && mv -T "$tmp" "$out" || exit 1
	trap - EXIT
)

testdata_make_bpf_objs()
{
	local bpfcarve=$1 dir=$2 ver

	testdata_install_libbpf_tools || return 1
	ver=$(testdata_libbpf_tools_version)
	[ -f "$dir/libbpf-tools-$ver/COUNT" ] && return 0
	rm -rf "$dir/.tmp-libbpf-tools-$ver".*
	testdata_carve "$bpfcarve" "$dir/libbpf-tools-$ver"
}

# testdata_bpf_objs BPFCARVE: prints a directory of the CO-RE objects carved
# out of Debian's libbpf-tools, with COUNT holding their number.
testdata_bpf_objs()
{
	local bpfcarve=$1 dir ver out

	[ -x "$bpfcarve" ] || { testdata_err "bpfcarve '$bpfcarve' is not executable"; return 1; }
	dir=$(testdata_dir)
	ver=$(testdata_libbpf_tools_version)
	if [ -z "$ver" ] || [ ! -f "$dir/libbpf-tools-$ver/COUNT" ]; then
		mkdir -p "$dir" || { testdata_err "cannot create $dir"; return 1; }
		testdata_locked "$dir/.lock-bpf" testdata_make_bpf_objs "$bpfcarve" "$dir" ||
			return 1
		ver=$(testdata_libbpf_tools_version)
	fi
	out=$dir/libbpf-tools-$ver
	printf '%s\n' "$out"
}

# The files of Debian's kernel source that run pahole in a kernel build:
# how $(PAHOLE_FLAGS) is computed (scripts/pahole-flags.sh up to 6.7,
# scripts/Makefile.btf since), the version test and the Kconfig symbols
# built on it, the vmlinux step (gen_btf in scripts/link-vmlinux.sh) and the
# module step (scripts/Makefile.modfinal).  Only these, never the tree.
TESTDATA_KERNEL_SCRIPTS="
	Makefile init/Kconfig lib/Kconfig.debug
	scripts/pahole-version.sh scripts/pahole-flags.sh scripts/Makefile.btf
	scripts/link-vmlinux.sh scripts/Makefile.modfinal scripts/Kbuild.include
"

# Prints "<package> <version>": linux-source-<major.minor> of the cloud
# kernel's upstream version, at the kernel package's own version when apt
# has it (both come from Debian's "linux" source package).
testdata_resolve_kernel_source()
{
	local res kver pkg ver

	res=$(testdata_resolve_kernel) || return 1
	kver=${res#* }
	pkg=linux-source-$(printf '%s\n' "$kver" | cut -d. -f1-2)
	if apt-cache show "$pkg=$kver" >/dev/null 2>&1; then
		ver=$kver
	else
		ver=$(apt-cache policy "$pkg" 2>/dev/null |
		      awk '$1 == "Candidate:" { print $2; exit }')
		[ -n "$ver" ] && [ "$ver" != "(none)" ] || return 1
		case $ver in
		"${kver%%-*}"-*) ;;
		*) echo "testdata: $pkg $ver is not the kernel's ${kver%%-*}" >&2 ;;
		esac
	fi
	printf '%s %s\n' "$pkg" "$ver"
}

# Extract TESTDATA_KERNEL_SCRIPTS from the source tarball inside <deb> into
# the new dir <out>.  Members missing from this tree (pahole-flags.sh or
# Makefile.btf) are not an error; a broken stream is.
testdata_extract_kernel_scripts()
(
	local deb=$1 out=$2 pkg=$3 ver=$4 tmp src f members=()

	set -o pipefail
	tmp=$(testdata_tmpdir "$out") || exit 1
	trap 'rm -rf "$tmp"' EXIT
	src=${pkg}.tar.xz
	for f in $TESTDATA_KERNEL_SCRIPTS; do
		members+=("$pkg/$f")
	done
	echo "testdata: extracting the pahole steps of the kernel build from ${deb##*/}" >&2
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$src" |
		tar -xJ -C "$tmp" "${members[@]}" 2>"$tmp/tar.err"
	if [ $? -ne 0 ] &&
	   grep -v -e 'Not found in archive' -e 'Exiting with failure status' "$tmp/tar.err" >&2; then
		testdata_err "$deb: cannot extract $src (truncated? delete it to download again)"
		exit 1
	fi
	for f in scripts/pahole-version.sh scripts/link-vmlinux.sh scripts/Makefile.modfinal; do
		[ -f "$tmp/$pkg/$f" ] || { testdata_err "$deb: $src has no $f"; exit 1; }
	done
	[ -f "$tmp/$pkg/scripts/pahole-flags.sh" ] || [ -f "$tmp/$pkg/scripts/Makefile.btf" ] ||
		{ testdata_err "$deb: $src has neither scripts/pahole-flags.sh nor scripts/Makefile.btf"; exit 1; }
	mv "$tmp/$pkg"/* "$tmp/" && rmdir "$tmp/$pkg" && rm -f "$tmp/tar.err" || exit 1
	printf '%s %s\n' "$pkg" "$ver" >"$tmp/PACKAGE" || exit 1
	rm -rf "$out"
	mv -T "$tmp" "$out" || exit 1
	trap - EXIT
)

testdata_make_kernel_scripts()
{
	local dir=$1 pkg=$2 ver=$3 out=$1/$2-$3 deb

	[ -f "$out/PACKAGE" ] && return 0
	rm -rf "$dir/.tmp-${out##*/}".* "$dir"/.download.*
	deb=$(testdata_fetch_deb "$dir" "$pkg" "$ver") || return 1
	testdata_extract_kernel_scripts "$deb" "$out" "$pkg" "$ver"
}

# Prints a directory holding the TESTDATA_KERNEL_SCRIPTS of Debian's source
# of the cloud kernel: <dir>/linux-source-<M.m>-<version>/ in the kernel
# tree's layout, with PACKAGE holding package and version (not VERSION,
# which marks a kernel directory for testdata_cached_kernel).
testdata_kernel_scripts()
{
	local dir res pkg ver v

	dir=$(testdata_dir)
	mkdir -p "$dir" 2>/dev/null
	if ! res=$(testdata_resolve_kernel_source); then
		# the cached source of the cached kernel's version, not another's
		v=$(testdata_kernel 2>/dev/null) &&
			v=$(cut -d' ' -f2 "$v/VERSION" | cut -d. -f1-2)
		v=$(printf '%s\n' "$dir"/linux-source-"${v:-none}"-*/PACKAGE | sort -V | tail -n 1)
		if [ -f "$v" ]; then
			echo "testdata: apt cannot resolve linux-source, using ${v%/PACKAGE}" >&2
			printf '%s\n' "${v%/PACKAGE}"
			return 0
		fi
		testdata_err "apt cannot resolve linux-source of $TESTDATA_KERNEL_META (no network or package lists?)"
		return 1
	fi
	pkg=${res% *}
	ver=${res#* }
	if [ ! -f "$dir/$pkg-$ver/PACKAGE" ]; then
		[ -w "$dir" ] || { testdata_err "cannot write to $dir"; return 1; }
		testdata_locked "$dir/.lock-kernel" testdata_make_kernel_scripts "$dir" "$pkg" "$ver" ||
			return 1
	fi
	printf '%s\n' "$dir/$pkg-$ver"
}


# Prints a directory holding the TESTDATA_KERNEL_SCRIPTS of the newest
# linux-source-6.<m> apt has whose kernel computes pahole's flags in
# scripts/Makefile.btf (6.8 and later, --btf_features), whatever kernel
# the tests encode: the layout of newer 6.x kernel builds.  7.x moved the
# BTF steps to scripts/gen-btf.sh; where apt also has sid's 7.x sources,
# they are for the tests of 7.x kernels, not for this one.
testdata_kernel_scripts_btf_features()
{
	local dir pkg ver v

	dir=$(testdata_dir)
	mkdir -p "$dir" 2>/dev/null
	pkg=$(apt-cache pkgnames linux-source- 2>/dev/null |
	      grep -E '^linux-source-6\.[0-9]+$' | sort -V | tail -n 1)
	case ${pkg#linux-source-} in
	6.[0-7]) pkg= ;;
	esac
	if [ -n "$pkg" ]; then
		ver=$(apt-cache policy "$pkg" 2>/dev/null |
		      awk '$1 == "Candidate:" { print $2; exit }')
		[ "$ver" = "(none)" ] && ver=
	fi
	if [ -z "$pkg" ] || [ -z "$ver" ]; then
		v=$(printf '%s\n' "$dir"/linux-source-6.*/scripts/Makefile.btf | sort -V | tail -n 1)
		if [ -f "$v" ] && [ -f "${v%/scripts/Makefile.btf}/PACKAGE" ]; then
			printf '%s\n' "${v%/scripts/Makefile.btf}"
			return 0
		fi
		testdata_err "apt has no linux-source of 6.8 or later"
		return 1
	fi
	if [ ! -f "$dir/$pkg-$ver/PACKAGE" ]; then
		[ -w "$dir" ] || { testdata_err "cannot write to $dir"; return 1; }
		testdata_locked "$dir/.lock-kernel" testdata_make_kernel_scripts "$dir" "$pkg" "$ver" ||
			return 1
	fi
	printf '%s\n' "$dir/$pkg-$ver"
}

# ---------------------------------------------------------------------------
# Debian sid: Linux 7.x kernels encoded by pahole 1.32, and the tools of
# that build.  Sid is an apt source at priority 50, below every installed
# package, so nothing is ever installed from it: its packages are only
# fetched with "apt-get download NAME/sid" and unpacked with dpkg -x.
#
# Layout:
#	7/<version>/vmlinux, modules/*.ko, VERSION, shipped.btf
#	sid-tools/<pahole version>/pahole, bpftool	wrappers running the
#		unpacked binaries on the unpacked sid libraries
#	7/linux-source-M.m-<version>/scripts/...	BTF steps of that kernel's
#		source (testdata_kernel7_scripts), with PACKAGE

TESTDATA_SID_SOURCES=/etc/apt/sources.list.d/sid.sources
TESTDATA_SID_PREFS=/etc/apt/preferences.d/sid-low

# The URI of bookworm's main Debian source: the mirror sid is taken from.
testdata_sid_mirror()
{
	local uri

	uri=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
	      awk '$2 == "bookworm" { print $1; exit }')
	printf '%s\n' "${uri:-http://deb.debian.org/debian/}"
}

# sid's package lists are there (apt keeps them only once their signature
# checked out)
testdata_sid_lists_ok()
{
	compgen -G '/var/lib/apt/lists/*_dists_sid_main_binary-*_Packages*' >/dev/null
}

# testdata_sid_memo NAME COMMAND...: the one-line answer of COMMAND (an
# apt-cache query, a second or more each), remembered until the package
# lists change
testdata_sid_memo()
{
	local memo stamp line out tmp

	memo=$(testdata_dir)/.resolved-sid-$1
	shift
	stamp=$(testdata_apt_stamp)
	if [ -n "$stamp" ] && [ -r "$memo" ] && read -r line <"$memo" &&
	   [ "${line%% *}" = "$stamp" ]; then
		printf '%s\n' "${line#* }"
		return 0
	fi
	out=$("$@") && [ -n "$out" ] || return 1
	if [ -n "$stamp" ] && tmp=$(mktemp "$memo.XXXXXX" 2>/dev/null); then
		if ! printf '%s %s\n' "$stamp" "$out" >"$tmp" ||
		   ! chmod 644 "$tmp" ||
		   ! mv -f "$tmp" "$memo"; then
			rm -f "$tmp"
		fi
	fi
	printf '%s\n' "$out"
}

testdata_make_sid_setup()
{
	local mirror log want_src want_pref tmp changed=

	mirror=$(testdata_sid_mirror)
	want_src="Types: deb
URIs: ${mirror%/}
Suites: sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
	want_pref="Package: *
Pin: release n=sid
Pin-Priority: 50"
	if [ "$(cat "$TESTDATA_SID_PREFS" 2>/dev/null)" != "$want_pref" ]; then
		tmp=$(mktemp "$TESTDATA_SID_PREFS.XXXXXX") || return 1
		printf '%s\n' "$want_pref" >"$tmp" && chmod 644 "$tmp" &&
			mv -f "$tmp" "$TESTDATA_SID_PREFS" || { rm -f "$tmp"; return 1; }
		changed=1
	fi
	# The pin is in place before the source: never a moment where sid
	# could win over bookworm.
	if [ "$(cat "$TESTDATA_SID_SOURCES" 2>/dev/null)" != "$want_src" ]; then
		tmp=$(mktemp "$TESTDATA_SID_SOURCES.XXXXXX") || return 1
		printf '%s\n' "$want_src" >"$tmp" && chmod 644 "$tmp" &&
			mv -f "$tmp" "$TESTDATA_SID_SOURCES" || { rm -f "$tmp"; return 1; }
		changed=1
	fi
	[ -z "$changed" ] && testdata_sid_lists_ok && return 0
	echo "testdata: apt-get update with sid added at priority 50" >&2
	log=$(mktemp) || return 1
	if ! apt-get update >"$log" 2>&1 || ! testdata_sid_lists_ok; then
		cat "$log" >&2
		rm -f "$log"
		testdata_err "apt-get update with sid failed"
		return 1
	fi
	rm -f "$log"
}

# Adds sid as a low-priority apt source (idempotent) and prints the
# sources file.  Needs root the first time.
testdata_sid_setup()
{
	local dir

	if [ -f "$TESTDATA_SID_SOURCES" ] && [ -f "$TESTDATA_SID_PREFS" ] &&
	   testdata_sid_lists_ok; then
		printf '%s\n' "$TESTDATA_SID_SOURCES"
		return 0
	fi
	[ "$(id -u)" = 0 ] || { testdata_err "sid is not an apt source and we are not root"; return 1; }
	dir=$(testdata_dir)
	mkdir -p "$dir" || { testdata_err "cannot create $dir"; return 1; }
	testdata_locked "$dir/.lock-sid" testdata_make_sid_setup || return 1
	printf '%s\n' "$TESTDATA_SID_SOURCES"
}

# Prints the version of NAME in sid, or fails.
testdata_sid_version()
{
	testdata_sid_memo "version-$1" testdata_sid_version_now "$1"
}

testdata_sid_version_now()
{
	local v

	v=$(apt-cache show --no-all-versions "$1/sid" 2>/dev/null |
	    awk '$1 == "Version:" { print $2; exit }')
	[ -n "$v" ] && printf '%s\n' "$v"
}

# Prints "<package> <version>" of the newest versioned cloud debug kernel
# in sid (linux-image-7.2.13+deb14-cloud-amd64-dbg, ...).
testdata_resolve_kernel7()
{
	testdata_sid_memo kernel7 testdata_resolve_kernel7_now
}

testdata_resolve_kernel7_now()
{
	local pkg ver

	for pkg in $(apt-cache pkgnames linux-image- 2>/dev/null |
		     grep -E '^linux-image-[0-9][^-]*-cloud-amd64-dbg$' | sort -rV); do
		ver=$(testdata_sid_version_now "$pkg") || continue
		printf '%s %s\n' "$pkg" "$ver"
		return 0
	done
	return 1
}

# Modules that must be in a 7.x test kernel; the others of TESTDATA_MODULES
# are taken where the package still has them.
TESTDATA_KERNEL7_MODULES_NEEDED="nf_tables btrfs kvm-intel kvm xfs mlx5_core"

# Extract vmlinux and the modules of <deb> into the new dir <out>, with the
# vmlinux's own .BTF as shipped.btf.
testdata_extract_kernel7()
(
	local deb=$1 out=$2 pkg=$3 ver=$4 tmp m pats=() n

	set -o pipefail
	tmp=$(testdata_tmpdir "$out") || exit 1
	trap 'rm -rf "$tmp"' EXIT
	for m in $TESTDATA_MODULES; do
		pats+=("./usr/lib/debug/lib/modules/*/$m.ko")
	done
	echo "testdata: extracting vmlinux and up to ${#pats[@]} modules from ${deb##*/}" >&2
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$tmp" --wildcards './usr/lib/debug/boot/vmlinux-*' \
		'./usr/lib/debug/lib/modules/*/vmlinux' "${pats[@]}" 2>"$tmp/tar.err"
	if [ $? -ne 0 ] &&
	   grep -v -e 'Not found in archive' -e 'Exiting with failure status' "$tmp/tar.err" >&2; then
		testdata_err "$deb: cannot extract (truncated? delete it to download again)"
		exit 1
	fi
	rm -f "$tmp/tar.err"
	mkdir "$tmp/modules" || exit 1
	# Since 7.x boot/vmlinux-* is a symlink to lib/modules/*/vmlinux.
	for m in "$tmp"/usr/lib/debug/lib/modules/*/vmlinux "$tmp"/usr/lib/debug/boot/vmlinux-*; do
		[ -f "$m" ] && [ ! -L "$m" ] && mv "$m" "$tmp/vmlinux" && break
	done
	[ -f "$tmp/vmlinux" ] ||
		{ testdata_err "$deb: no usr/lib/debug/boot/vmlinux-*"; exit 1; }
	find "$tmp/usr" -name '*.ko' -exec mv -t "$tmp/modules" {} + || exit 1
	for m in $TESTDATA_KERNEL7_MODULES_NEEDED; do
		[ -f "$tmp/modules/$m.ko" ] || { testdata_err "$deb: no $m.ko"; exit 1; }
	done
	n=$(find "$tmp/modules" -name '*.ko' | wc -l)
	echo "testdata: $n modules of TESTDATA_MODULES in ${deb##*/}" >&2
	rm -rf "${tmp:?}/usr"
	objcopy --dump-section .BTF="$tmp/shipped.btf" "$tmp/vmlinux" /dev/null &&
		[ -s "$tmp/shipped.btf" ] ||
		{ testdata_err "$deb: its vmlinux has no .BTF"; exit 1; }
	chmod 644 "$tmp/shipped.btf" || exit 1
	printf '%s %s\n' "$pkg" "$ver" >"$tmp/VERSION" || exit 1
	rm -rf "$out"
	mv -T "$tmp" "$out" || exit 1
	trap - EXIT
)

# Prints the directory holding vmlinux, modules/, shipped.btf and VERSION of
# the newest 7.x (or later) cloud kernel in sid: $(testdata_dir)/7/<version>.
testdata_kernel7()
{
	local dir res pkg ver v

	dir=$(testdata_dir)/7
	mkdir -p "$dir" 2>/dev/null
	if ! testdata_sid_setup >/dev/null || ! res=$(testdata_resolve_kernel7); then
		v=$(printf '%s\n' "$dir"/*/VERSION | sort -V | tail -n 1)
		if [ -f "$v" ]; then
			echo "testdata: apt cannot resolve a sid cloud kernel, using ${v%/VERSION}" >&2
			printf '%s\n' "${v%/VERSION}"
			return 0
		fi
		testdata_err "no linux-image-*-cloud-amd64-dbg in sid (no network, or sid not an apt source?)"
		return 1
	fi
	pkg=${res% *}
	ver=${res#* }
	if [ ! -f "$dir/$ver/VERSION" ]; then
		[ -w "$dir" ] || { testdata_err "cannot write to $dir"; return 1; }
		testdata_locked "$dir/.lock-kernel7" testdata_make_kernel "$dir" "$pkg" "$ver" \
			testdata_extract_kernel7 ||
			return 1
	fi
	printf '%s\n' "$dir/$ver"
}

# pahole and bpftool from sid with the libraries they need, unpacked
# together: sid's binaries need sid's glibc.
TESTDATA_SID_TOOLS_DEBS="
	pahole libdwarves1 bpftool libbpf1 libc6 libgcc-s1 libdw1t64 libelf1t64
	zlib1g libzstd1 liblzma5 libbz2-1.0 libcap2 libssl3t64
"

testdata_sid_wrapper()
{
	local out=$1 bin=$2

	cat >"$out/${bin##*/}" <<WRAP || return 1
#!/bin/sh
# $bin from Debian sid, on the sid libraries unpacked beside it.
d=\$(dirname "\$(readlink -f "\$0")")/root
lib=\$d/usr/lib/x86_64-linux-gnu
exec "\$lib/ld-linux-x86-64.so.2" --library-path "\$lib:\$d/lib/x86_64-linux-gnu" "\$d$bin" "\$@"
WRAP
	chmod 755 "$out/${bin##*/}"
}

testdata_unpack_sid_tools()
(
	local out=$1 tmp p f missing log

	tmp=$(testdata_tmpdir "$out") || exit 1
	trap 'rm -rf "$tmp"' EXIT
	mkdir "$tmp/debs" "$tmp/root" || exit 1
	log=$tmp/apt.log
	for p in $TESTDATA_SID_TOOLS_DEBS; do
		(cd "$tmp/debs" && apt-get download "$p/sid") >"$log" 2>&1 ||
			{ cat "$log" >&2; testdata_err "apt-get download $p/sid failed"; exit 1; }
	done
	for f in "$tmp"/debs/*.deb; do
		dpkg -x "$f" "$tmp/root" || { testdata_err "dpkg -x $f failed"; exit 1; }
		printf '%s %s\n' "$(dpkg-deb -f "$f" Package)" "$(dpkg-deb -f "$f" Version)" >>"$tmp/VERSIONS"
	done
	rm -rf "$tmp/debs" "$log"
	[ -x "$tmp/root/usr/bin/pahole" ] && testdata_sid_wrapper "$tmp" /usr/bin/pahole
	testdata_sid_wrapper "$tmp" /usr/sbin/bpftool || exit 1
	for f in "$tmp/root/usr/bin/pahole" "$tmp/root/usr/sbin/bpftool"; do
		[ -x "$f" ] || { testdata_err "no $f in the sid packages"; exit 1; }
		missing=$("$tmp/root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" --list \
			--library-path "$tmp/root/usr/lib/x86_64-linux-gnu:$tmp/root/lib/x86_64-linux-gnu" \
			"$f" 2>&1 | grep 'not found')
		[ -z "$missing" ] ||
			{ testdata_err "${f##*/} from sid still misses: $missing"; exit 1; }
	done
	"$tmp/pahole" --version >"$tmp/PAHOLE_VERSION" 2>&1 ||
		{ testdata_err "sid pahole does not run: $(cat "$tmp/PAHOLE_VERSION")"; exit 1; }
	"$tmp/bpftool" version >/dev/null 2>&1 ||
		{ testdata_err "sid bpftool does not run"; exit 1; }
	rm -rf "$out"
	mv -T "$tmp" "$out" || exit 1
	trap - EXIT
)

testdata_make_sid_tools()
{
	local dir=$1 ver=$2

	[ -f "$dir/$ver/VERSIONS" ] && return 0
	rm -rf "$dir/.tmp-$ver".*
	testdata_unpack_sid_tools "$dir/$ver"
}

# Prints a directory with "pahole" and "bpftool": sid's, run on sid's
# libraries unpacked there ($(testdata_dir)/sid-tools/<pahole version>).
testdata_sid_tools()
{
	local dir ver v

	dir=$(testdata_dir)/sid-tools
	mkdir -p "$dir" 2>/dev/null
	if ! testdata_sid_setup >/dev/null || ! ver=$(testdata_sid_version pahole); then
		v=$(printf '%s\n' "$dir"/*/VERSIONS | sort -V | tail -n 1)
		if [ -f "$v" ]; then
			echo "testdata: apt cannot resolve pahole in sid, using ${v%/VERSIONS}" >&2
			printf '%s\n' "${v%/VERSIONS}"
			return 0
		fi
		testdata_err "no pahole in sid (no network, or sid not an apt source?)"
		return 1
	fi
	if [ ! -f "$dir/$ver/VERSIONS" ]; then
		[ -w "$dir" ] || { testdata_err "cannot write to $dir"; return 1; }
		testdata_locked "$dir/.lock" testdata_make_sid_tools "$dir" "$ver" || return 1
	fi
	printf '%s\n' "$dir/$ver"
}

# Prints a directory holding the BTF steps of the sid kernel's own source
# (linux-source-M.m of testdata_kernel7): TESTDATA_KERNEL_SCRIPTS and
# scripts/gen-btf.sh, in $(testdata_dir)/7/linux-source-M.m-<version>.
testdata_kernel7_scripts()
{
	local dir kdir kver pkg ver v

	dir=$(testdata_dir)/7
	kdir=$(testdata_kernel7) || return 1
	kver=$(cut -d' ' -f2 "$kdir/VERSION")
	pkg=linux-source-$(printf '%s\n' "$kver" | cut -d. -f1-2)
	if ! ver=$(testdata_sid_version "$pkg"); then
		v=$(printf '%s\n' "$dir/$pkg"-*/PACKAGE | sort -V | tail -n 1)
		if [ -f "$v" ]; then
			printf '%s\n' "${v%/PACKAGE}"
			return 0
		fi
		testdata_err "no $pkg in sid"
		return 1
	fi
	if [ ! -f "$dir/$pkg-$ver/PACKAGE" ]; then
		[ -w "$dir" ] || { testdata_err "cannot write to $dir"; return 1; }
		TESTDATA_KERNEL_SCRIPTS="$TESTDATA_KERNEL_SCRIPTS scripts/gen-btf.sh" \
			testdata_locked "$dir/.lock-kernel7" testdata_make_kernel_scripts \
			"$dir" "$pkg" "$ver" || return 1
	fi
	printf '%s\n' "$dir/$pkg-$ver"
}

# Prints the path of the cached .deb the kernel of testdata_kernel came from
testdata_kernel_deb()
{
	local kdir pkg ver

	kdir=$(testdata_kernel) || return 1
	read -r pkg ver <"$kdir/VERSION" || return 1
	testdata_fetch_deb "$(testdata_dir)" "$pkg" "$ver"
}

# A clang ThinLTO kernel, built here from Debian's linux-source-6.1: its
# DWARF refers across units (DW_FORM_ref_addr) throughout, the shape of
# Android GKI, ChromeOS and other LTO kernels, and pahole 1.24 gave it its
# own .BTF at build time, vmlinux and modules.  tinyconfig keeps the build
# to about 10-15 minutes on 2 cores; the modules are small ones with types
# of their own, and ipv6, which is bigger and shares much with the base.
TESTDATA_LTO_SOURCE=linux-source-6.1
TESTDATA_LTO_CONFIG="
	--enable 64BIT
	--enable NET --enable INET
	--enable MODULES --enable MODULE_UNLOAD
	--enable BPF --enable BPF_SYSCALL
	--enable DEBUG_KERNEL --enable DEBUG_INFO
	--disable DEBUG_INFO_NONE --disable DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT
	--disable DEBUG_INFO_DWARF4 --enable DEBUG_INFO_DWARF5
	--disable DEBUG_INFO_REDUCED --disable DEBUG_INFO_SPLIT
	--enable DEBUG_INFO_BTF --enable DEBUG_INFO_BTF_MODULES
	--disable LTO_NONE --disable LTO_CLANG_FULL --enable LTO_CLANG_THIN
	--disable GCOV_KERNEL --disable KASAN --disable FTRACE
	--enable NETDEVICES --enable NET_CORE
	--module DUMMY --module VETH --module TUN --module IPV6
	--module CRC7 --module CRC_ITU_T
"
# Checked in the final .config: what the test is about.
TESTDATA_LTO_REQUIRED="
	CONFIG_64BIT=y CONFIG_LTO_CLANG_THIN=y CONFIG_DEBUG_INFO_DWARF5=y
	CONFIG_DEBUG_INFO_BTF=y CONFIG_DEBUG_INFO_BTF_MODULES=y CONFIG_MODULES=y
	CONFIG_DUMMY=m CONFIG_VETH=m CONFIG_TUN=m CONFIG_IPV6=m
"

testdata_lto_cmds()
{
	local c

	for c in clang ld.lld llvm-ar llvm-nm llvm-objcopy flex bison bc pahole make xz; do
		command -v "$c" >/dev/null 2>&1 || { testdata_err "$c is not installed"; return 1; }
	done
	[ -f /usr/include/openssl/ssl.h ] || { testdata_err "libssl-dev is not installed"; return 1; }
	[ -f /usr/include/gelf.h ] || { testdata_err "libelf-dev is not installed"; return 1; }
}

# make in the kernel tree <src>, with nothing of the caller's make (a
# jobserver of "make check") or kbuild variables leaking in.
testdata_lto_make()
{
	local src=$1

	shift
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u ARCH -u CROSS_COMPILE \
	    -u O -u KBUILD_OUTPUT -u LLVM -u CC -u LD \
		make -C "$src" LLVM=1 "$@"
}

# Build the kernel of <deb> into the new dir <out>: vmlinux, modules/*.ko,
# .config and VERSION; the tree itself is thrown away.
testdata_build_lto_kernel()
(
	local deb=$1 out=$2 pkg=$3 ver=$4 tmp src log opt ko start

	set -o pipefail
	tmp=$(testdata_tmpdir "$out") || exit 1
	trap 'rm -rf "$tmp"' EXIT
	log=$tmp/build.log
	src=$tmp/$pkg
	start=$(date +%s)
	echo "testdata: building a clang ThinLTO tinyconfig kernel from ${deb##*/} (10-15 minutes on 2 cores)" >&2
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$pkg.tar.xz" | tar -xJ -C "$tmp" ||
		{ testdata_err "$deb: cannot extract $pkg.tar.xz (truncated? delete it to download again)"; exit 1; }
	[ -f "$src/Makefile" ] || { testdata_err "$deb: $pkg.tar.xz has no $pkg/Makefile"; exit 1; }
	if ! testdata_lto_make "$src" tinyconfig >"$log" 2>&1 ||
	   ! "$src/scripts/config" --file "$src/.config" $TESTDATA_LTO_CONFIG >>"$log" 2>&1 ||
	   ! testdata_lto_make "$src" olddefconfig >>"$log" 2>&1; then
		tail -n 30 "$log" >&2
		testdata_err "$pkg: configuring the kernel failed"
		exit 1
	fi
	for opt in $TESTDATA_LTO_REQUIRED; do
		grep -qx "$opt" "$src/.config" ||
			{ testdata_err "$pkg: the configured kernel lacks $opt (has: $(grep "^${opt%%=*}=" "$src/.config" || echo 'not set'))"; exit 1; }
	done
	if ! testdata_lto_make "$src" -j"$(nproc)" vmlinux modules >>"$log" 2>&1; then
		tail -n 40 "$log" >&2
		testdata_err "$pkg: building vmlinux and modules with clang ThinLTO failed"
		exit 1
	fi
	mkdir "$tmp/modules" && mv "$src/vmlinux" "$src/.config" "$tmp/" || exit 1
	while read -r ko; do
		[ ! -e "$tmp/modules/${ko##*/}" ] ||
			{ testdata_err "$pkg: two modules named ${ko##*/}"; exit 1; }
		mv "$ko" "$tmp/modules/" || exit 1
	done < <(find "$src" -name '*.ko' -type f)
	[ -n "$(ls "$tmp/modules")" ] || { testdata_err "$pkg: the build made no module"; exit 1; }
	rm -rf "$src" "$log"
	printf '%s %s\n' "$pkg" "$ver" >"$tmp/VERSION" || exit 1
	echo "testdata: the ThinLTO kernel took $(( $(date +%s) - start )) s" >&2
	rm -rf "$out"
	mv -T "$tmp" "$out" || exit 1
	trap - EXIT
)

testdata_fetch_lto_source()
{
	local dir=$1 pkg=$2 ver=$3

	rm -rf "$dir"/.download.*
	testdata_fetch_deb "$dir" "$pkg" "$ver"
}

testdata_make_lto_kernel()
{
	local dir=$1 pkg=$2 ver=$3 deb

	[ -f "$dir/lto-$ver/VERSION" ] && return 0
	rm -rf "$dir/.tmp-lto-$ver".*
	# The .deb is shared with testdata_kernel_scripts: fetch it under theirs.
	deb=$(testdata_locked "$dir/.lock-kernel" testdata_fetch_lto_source "$dir" "$pkg" "$ver") ||
		return 1
	testdata_build_lto_kernel "$deb" "$dir/lto-$ver" "$pkg" "$ver"
}

# Prints a directory holding vmlinux (with the .BTF pahole gave it),
# modules/*.ko (each with its split .BTF), .config and VERSION of a clang
# ThinLTO kernel built from TESTDATA_LTO_SOURCE: <dir>/lto-<version>/.
testdata_lto_kernel()
{
	local dir pkg=$TESTDATA_LTO_SOURCE ver v

	dir=$(testdata_dir)
	mkdir -p "$dir" 2>/dev/null
	ver=$(apt-cache policy "$pkg" 2>/dev/null |
	      awk '$1 == "Candidate:" { print $2; exit }')
	[ "$ver" = "(none)" ] && ver=
	if [ -z "$ver" ]; then
		v=$(printf '%s\n' "$dir"/lto-*/VERSION | sort -V | tail -n 1)
		if [ -f "$v" ]; then
			echo "testdata: apt cannot resolve $pkg, using ${v%/VERSION}" >&2
			printf '%s\n' "${v%/VERSION}"
			return 0
		fi
		testdata_err "apt cannot resolve $pkg (no network or package lists?)"
		return 1
	fi
	if [ ! -f "$dir/lto-$ver/VERSION" ]; then
		[ -w "$dir" ] || { testdata_err "cannot write to $dir"; return 1; }
		testdata_lto_cmds || return 1
		testdata_locked "$dir/.lock-lto" testdata_make_lto_kernel "$dir" "$pkg" "$ver" ||
			return 1
	fi
	printf '%s\n' "$dir/lto-$ver"
}

# testdata_lto_kernel_scripts KDIR: prints the TESTDATA_KERNEL_SCRIPTS
# directory (as testdata_kernel_scripts) of the very source the kernel in
# KDIR (from testdata_lto_kernel) was built from: how its build ran pahole.
testdata_lto_kernel_scripts()
{
	local kdir=$1 dir pkg ver

	dir=$(testdata_dir)
	read -r pkg ver <"$kdir/VERSION" && [ -n "$ver" ] ||
		{ testdata_err "$kdir/VERSION: no package and version"; return 1; }
	if [ ! -f "$dir/$pkg-$ver/PACKAGE" ]; then
		[ -w "$dir" ] || { testdata_err "cannot write to $dir"; return 1; }
		testdata_locked "$dir/.lock-kernel" testdata_make_kernel_scripts "$dir" "$pkg" "$ver" ||
			return 1
	fi
	printf '%s\n' "$dir/$pkg-$ver"
}
