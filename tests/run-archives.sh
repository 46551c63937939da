#!/bin/bash
# Archives and packages as inputs, read as streams, nothing extracted to
# disk: BTFHub's RELEASE.btf.tar.xz (and .tar.gz, .tar), Debian's dbg .deb
# itself (its vmlinux, and a module for --base work), an RPM.  Every --min,
# --dump, --base and batch result is byte for byte the one of the unpacked
# file; bad archives exit 1 naming the archive and the member, with no
# output.  Built from Debian's 6.1 cloud kernel (tests/testdata.sh).
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
need_cmd objcopy tar xz gzip
need_tool bpfcarve
kdir=$(testdata_kernel) || skip "Debian's cloud kernel cannot be had here"
deb=$(testdata_kernel_deb) || skip "the kernel's .deb cannot be had here"
ref=$(testdata_ref_btf) || skip "no .BTF in $kdir/vmlinux"
odir=$(testdata_bpf_objs "$TOOLS/bpfcarve") || skip "libbpf-tools' objects cannot be had here"
objs=()
for b in opensnoop biolatency runqlat tcpconnect execsnoop; do
	[ -f "$odir/$b.bpf.o" ] && objs+=(--min "$odir/$b.bpf.o")
done
[ ${#objs[@]} -gt 0 ] || skip "no libbpf-tools object in $odir"
rel=$(strings -n 20 "$kdir/vmlinux" | sed -n 's/^Linux version \([^ ]*\) .*/\1/p' | head -n 1)
[ -n "$rel" ] || skip "no banner in $kdir/vmlinux"
mod=cordic

# bad ARGS...: exit 1, a message with every NEEDLE, no output
bad()
{
	local what=$1 out=$tmp/bad.out
	shift 1
	local needles=()
	while [ "$1" != -- ]; do needles+=("$1"); shift; done
	shift
	rm -f "$out"
	"$BTFENC" "$@" -o "$out" >/dev/null 2>"$tmp/bad.err"
	check "$what: exit 1" [ $? -eq 1 ]
	for n in "${needles[@]}"; do
		check "$what: the message names '$n'" grep -qF -- "$n" "$tmp/bad.err"
	done
	check "$what: no output" [ ! -e "$out" ]
	cat "$tmp/bad.err"
}

# --- a BTFHub-like tree: Debian's .BTF and btfenc's own, archived ---
hub=$tmp/hub
mkdir -p "$hub/debian/12/x86_64" "$hub/btfenc/12/x86_64" "$tmp/raw"
cp "$ref" "$tmp/raw/debian.btf"
check "btfenc -o of the vmlinux" "$BTFENC" -o "$tmp/raw/btfenc.btf" "$kdir/vmlinux"
for src in debian btfenc; do
	cp "$tmp/raw/$src.btf" "$tmp/raw/$rel.btf"
	(cd "$tmp/raw" && tar -cJf "$hub/$src/12/x86_64/$rel.btf.tar.xz" "$rel.btf" &&
	 tar -czf "$tmp/$src.tar.gz" "$rel.btf" && tar -cf "$tmp/$src.tar" "$rel.btf")
	"$BTFENC" "${objs[@]}" -o "$tmp/$src.min" "$tmp/raw/$src.btf"
	"$BTFENC" --dump "$tmp/raw/$src.btf" >"$tmp/$src.dump"
	"$BTFENC" --base "$tmp/raw/$src.btf" -o "$tmp/$src-$mod.btf" "$kdir/modules/$mod.ko"
	for a in "$hub/$src/12/x86_64/$rel.btf.tar.xz" "$tmp/$src.tar.gz" "$tmp/$src.tar"; do
		n=$src:${a##*/}
		check "$n: --min" "$BTFENC" "${objs[@]}" -o "$tmp/a.min" "$a" &&
			check "$n: --min gives the bytes of the unpacked BTF" \
				cmp "$tmp/$src.min" "$tmp/a.min"
		check "$n: --dump as the unpacked BTF" \
			cmp "$tmp/$src.dump" <("$BTFENC" --dump "$a")
		check "$n: --base" "$BTFENC" --base "$a" -o "$tmp/a-$mod.btf" "$kdir/modules/$mod.ko" &&
			check "$n: a module on it as on the unpacked BTF" \
				cmp "$tmp/$src-$mod.btf" "$tmp/a-$mod.btf"
	done
done
rm -f "$tmp/raw/$rel.btf"

# a batch over the tree: RELEASE.btf from the member's name, ARCH from the
# directory, the same bytes
check "--out-dir --btfhub over the archives" \
	"$BTFENC" "${objs[@]}" --out-dir "$tmp/out" --btfhub debian/12 \
	"$hub/debian/12/x86_64/$rel.btf.tar.xz"
check "batch: DIR/debian/12/x86_64/$rel.btf as from the unpacked BTF" \
	cmp "$tmp/debian.min" "$tmp/out/debian/12/x86_64/$rel.btf"
check "batch: the manifest names the archive" \
	grep -qF "\"input\": \"$hub/debian/12/x86_64/$rel.btf.tar.xz\"" "$tmp/out/manifest.json"
check "batch without --btfhub: NAME.btf without .btf.tar.xz" \
	"$BTFENC" "${objs[@]}" --out-dir "$tmp/out2" "$hub/btfenc/12/x86_64/$rel.btf.tar.xz"
check "batch: $rel.btf is the unpacked BTF's minimized" cmp "$tmp/btfenc.min" "$tmp/out2/$rel.btf"

# --- the Debian dbg .deb itself: the vmlinux read from the stream ---
"$BTFENC" "${objs[@]}" -o "$tmp/vmlinux.min" "$kdir/vmlinux"
mkdir -p "$tmp/empty-tmp" "$tmp/work"
trace=()
# LeakSanitizer cannot run under ptrace: leaks are checked in the other runs
command -v strace >/dev/null &&
	trace=(env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	       strace -f -qq -o "$tmp/strace" -e trace=open,openat,creat,mkdir,memfd_create)
check "${deb##*/}: --min of its vmlinux" \
	env -C "$tmp/work" TMPDIR="$tmp/empty-tmp" "${trace[@]}" "$BTFENC" "${objs[@]}" -o deb.min "$deb"
check "${deb##*/}: the bytes of the extracted vmlinux's --min" cmp "$tmp/vmlinux.min" "$tmp/work/deb.min"
check "TMPDIR stays empty" [ -z "$(ls -A "$tmp/empty-tmp")" ]
check "nothing but the output in the working directory" [ "$(ls -A "$tmp/work")" = deb.min ]
if [ ${#trace[@]} -gt 0 ]; then
	created=$(grep -E 'O_CREAT|creat\(|mkdir\(' "$tmp/strace" | grep -v '= -1' | grep -v 'deb\.min')
	check "strace: no file created but the output (and its temporary)" [ -z "$created" ]
	[ -n "$created" ] && echo "$created"
	check "strace: the member went to a memory file" grep -q 'memfd_create("vmlinux-' "$tmp/strace"
fi
check "${deb##*/} in a batch: BTFHub layout from the banner" \
	"$BTFENC" "${objs[@]}" --out-dir "$tmp/out" --btfhub debian/12 "$deb"
check "batch: DIR/debian/12/x86_64/$rel.btf from the .deb" \
	cmp "$tmp/vmlinux.min" "$tmp/out/debian/12/x86_64/$rel.btf"
# a module of the package on the package's vmlinux
"$BTFENC" --base "$ref" -o "$tmp/$mod.ref" "$kdir/modules/$mod.ko"
check "${deb##*/}: --base DEB DEB:$mod.ko" \
	"$BTFENC" --base "$deb" -o "$tmp/$mod.deb" "$deb:$mod.ko" &&
	check "${deb##*/}: $mod.ko as the extracted one" cmp "$tmp/$mod.ref" "$tmp/$mod.deb"

# --- an RPM holding the raw BTF and the module ---
if command -v rpmbuild >/dev/null; then
	r=$tmp/rpm
	mkdir -p "$r/root/usr/lib/debug/lib/modules/$rel/kernel/lib/math" "$r/root/usr/lib/debug/btf"
	cp "$kdir/modules/$mod.ko" "$r/root/usr/lib/debug/lib/modules/$rel/kernel/lib/math/"
	cp "$ref" "$r/root/usr/lib/debug/btf/$rel.btf"
	cat >"$r/k.spec" <<'SPEC'
Name: kernel-debuginfo-btfenc-test
Version: 6.1.0
Release: 1
Summary: btfenc test
License: GPL-2.0
BuildArch: x86_64
%description
btfenc test
%install
cp -a %{_rootdir}/. %{buildroot}/
%files
/usr/lib/debug
SPEC
	rpmbuild -bb --define "_topdir $r/top" --define "_rootdir $r/root" \
		--define "_binary_payload w1.gzdio" --define "_build_id_links none" \
		--define "__os_install_post %{nil}" --define "debug_package %{nil}" \
		--nodeps "$r/k.spec" >"$r/log" 2>&1
	rpm=$(find "$r/top/RPMS" -name '*.rpm' 2>/dev/null | head -n 1)
	if check "rpmbuild makes an RPM" [ -n "$rpm" ]; then
		check "RPM: --min of its raw BTF" "$BTFENC" "${objs[@]}" -o "$tmp/rpm.min" "$rpm" &&
			check "RPM: as the unpacked BTF" cmp "$tmp/debian.min" "$tmp/rpm.min"
		check "RPM: --base RPM RPM:$mod.ko" \
			"$BTFENC" --base "$rpm" -o "$tmp/$mod.rpm" "$rpm:$mod.ko" &&
			check "RPM: $mod.ko as the extracted one" cmp "$tmp/$mod.ref" "$tmp/$mod.rpm"
	fi
else
	echo "rpmbuild is not installed: no RPM case"
fi

# --- bad archives ---
a=$hub/debian/12/x86_64/$rel.btf.tar.xz
head -c 100000 "$a" >"$tmp/trunc.btf.tar.xz"
bad "truncated .btf.tar.xz" "trunc.btf.tar.xz" "$rel.btf" "truncated or corrupt" -- "$tmp/trunc.btf.tar.xz"
cp "$tmp/debian.tar.gz" "$tmp/corrupt.tar.gz"
printf 'garbage!garbage!' | dd of="$tmp/corrupt.tar.gz" bs=1 seek=200000 conv=notrunc 2>/dev/null
bad "corrupt .tar.gz" "corrupt.tar.gz" "$rel.btf" -- "$tmp/corrupt.tar.gz"
echo "not an archive" >"$tmp/garbage.tar"
bad "not an archive" "garbage.tar" "not a readable archive" -- "$tmp/garbage.tar"
(cd "$tmp" && tar -cJf nothing.tar.xz garbage.tar)
bad "no usable member" "nothing.tar.xz" "no vmlinux and no raw BTF" -- "$tmp/nothing.tar.xz"
bad "no such member" "nothing.tar.xz" "no member nosuch.ko" -- "$tmp/nothing.tar.xz:nosuch.ko"
head -c 30000000 "$deb" >"$tmp/trunc.deb"
bad "truncated .deb" "trunc.deb" "usr/lib/debug/boot/vmlinux-$rel" "truncated or corrupt" -- "$tmp/trunc.deb"
tar -cf "$tmp/bad-member.tar" -C "$tmp" garbage.tar --transform "s/garbage.tar/$rel.btf/"
bad "a member that is not BTF" "bad-member.tar:$rel.btf" -- "$tmp/bad-member.tar"
check "-J on an archive: exit 1" [ "$("$BTFENC" -J "$tmp/debian.tar" 2>"$tmp/j.err"; echo $?)" = 1 ]
check "-J on an archive: said" grep -q 'cannot write into an archive' "$tmp/j.err"
finish
