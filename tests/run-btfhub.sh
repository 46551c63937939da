#!/bin/bash
# The BTFHub workflow end to end: one btfenc command turns a BTFHub-style
# tree of RELEASE.btf.tar.xz archives (Debian's .BTF by pahole 1.24,
# btfenc's own BTF, old-pahole-style BTF with anonymous INT array indexes),
# and another the dbg .deb itself, into the tree of BTF minimized for all
# libbpf-tools objects.  Checked: nothing extracted to disk, the layout
# DIR/DISTRO/VERSION/ARCH/RELEASE.btf, each output the bytes of the
# unpacked BTF's minimized, the manifest (every kernel mapped, equal bytes
# stored once), reruns into the same directory, sizes at or below those of
# bpftool gen min_core_btf, and a file system that fills up mid-batch.
# libbpf's relocations against the outputs: run-btfhub-corecheck.sh;
# pahole 1.32's BTF and bpftool 7.8: run-btfhub-sid.sh.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/btfhub-subr.sh"
need_cmd bpftool
need_tool btfcanon
hub_setup
echo "${#objs[@]} objects; kernel $rel"

check "btfenc -o of the vmlinux" "$BTFENC" -o "$tmp/btfenc.btf" "$kdir/vmlinux"
check "old-pahole-style BTF" hub_old_style "$ref" "$tmp/old.btf"
check "libbpf reads the old-style BTF" "$TOOLS/btfparse" "$tmp/old.btf"
check "archive: Debian's .BTF" hub_add "$rel" "$ref"
check "archive: btfenc's BTF" hub_add "$rel+btfenc" "$tmp/btfenc.btf"
check "archive: old-style BTF" hub_add "$rel+oldpahole" "$tmp/old.btf"
releases=("$rel" "$rel+btfenc" "$rel+oldpahole")
out=$tmp/out
od=$out/$HUB_DISTRO/$HUB_ARCH

# --- the tree: one command ---
check "the tree: one btfenc --min --out-dir --btfhub command" \
	hub_min "$out" --btfhub "$HUB_DISTRO" "$hub_dir"/*.btf.tar.xz
check "the tree: nothing extracted to disk" hub_nothing_extracted
hub_check_outputs "$out" "${releases[@]}"
want_files=("$out/manifest.json")
for r in "${releases[@]}"; do want_files+=("$od/$r.btf"); done
check "no other file in the output tree" \
	diff -u <(printf '%s\n' "${want_files[@]}" | sort) <(find "$out" -type f | sort)
check "manifest: one entry per kernel" [ "$(hub_entries "$out" | wc -l)" -eq 3 ]
check "manifest: no error" bash -c "! grep -q '\"error\"' '$out/manifest.json'"
check "equal bytes stored once, mapped by same_as" hub_dedup_ok "$out"
echo "the tree: $(find "$out" -name '*.btf' -links 1 | wc -l) files stored alone," \
	"$(find "$out" -name '*.btf' -links +1 | wc -l) sharing their bytes"

# --- the whole tree by where each archive is: --btfhub-tree ---
# a second distribution beside the first, with the same archives: one
# command for every DISTRO/VERSION/ARCH of the tree
mkdir -p "$hub/other/1.0/$HUB_ARCH"
ln "$hub_dir"/*.btf.tar.xz "$hub/other/1.0/$HUB_ARCH/"
tout=$tmp/tree-out
check "--btfhub-tree: one command for the whole tree" \
	hub_min "$tout" --btfhub-tree "$hub" "$hub"/*/*/*/*.btf.tar.xz
for d in "$HUB_DISTRO" other/1.0; do
	for r in "${releases[@]}"; do
		check "--btfhub-tree: $d/$HUB_ARCH/$r.btf, the --btfhub output's bytes" \
			cmp "$od/$r.btf" "$tout/$d/$HUB_ARCH/$r.btf"
	done
done
check "--btfhub-tree: one manifest entry per archive" \
	[ "$(hub_entries "$tout" | wc -l)" -eq 6 ]
mkdir -p "$tmp/flat"
ln "$hub_dir/$rel.btf.tar.xz" "$tmp/flat/"
"$BTFENC" --min "${objs[0]}" --out-dir "$tmp/tree-bad" --btfhub-tree "$tmp" \
	"$tmp/flat/$rel.btf.tar.xz" 2>"$tmp/tree-bad.err"
check "--btfhub-tree: an input not at ROOT/DISTRO/VERSION/ARCH/FILE: exit 1, named" \
	[ $? -eq 1 ] && grep -q "flat/$rel.btf.tar.xz: --btfhub-tree: not at" "$tmp/tree-bad.err"
"$BTFENC" --min "${objs[0]}" --out-dir "$tmp/tree-bad2" --btfhub-tree "$hub" \
	--btfhub "$HUB_DISTRO" "$hub_dir/$rel.btf.tar.xz" 2>/dev/null
check "--btfhub-tree with --btfhub: usage error" [ $? -eq 2 ]

# --- BTFHub's own format as the output: --tar-xz ---
xout=$tmp/xz-out
check "--tar-xz: one command for the whole tree" \
	hub_min "$xout" --tar-xz --btfhub-tree "$hub" "$hub"/*/*/*/*.btf.tar.xz
for r in "${releases[@]}"; do
	x=$xout/$HUB_DISTRO/$HUB_ARCH/$r.btf.tar.xz
	check "--tar-xz: $r.btf.tar.xz holds $r.btf alone" \
		[ "$(tar -tJf "$x" 2>/dev/null)" = "$r.btf" ]
	check "--tar-xz: ... the bytes of the .btf output" \
		cmp "$od/$r.btf" <(tar -xJOf "$x" "$r.btf")
	check "--tar-xz: ... read back as an input by btfenc" \
		cmp <("$BTFENC" --dump "$od/$r.btf") <("$BTFENC" --dump "$x")
	check "--tar-xz: the same bytes in both distributions (stored once)" \
		[ "$(stat -c %i "$x")" = "$(stat -c %i "$xout/other/1.0/$HUB_ARCH/$r.btf.tar.xz")" ]
done
"$BTFENC" --min "${objs[0]}" -o "$tmp/one.btf.tar.xz" "$tmp/full/$rel.btf"
mkdir -p "$tmp/again"
"$BTFENC" --min "${objs[0]}" -j1 -o "$tmp/again/one.btf.tar.xz" "$tmp/full/$rel.btf"
check "-o NAME.btf.tar.xz: the same bytes every time" cmp "$tmp/one.btf.tar.xz" "$tmp/again/one.btf.tar.xz"
check "-o NAME.btf.tar.xz: NAME.btf inside" [ "$(tar -tJf "$tmp/one.btf.tar.xz")" = one.btf ]
"$BTFENC" --tar-xz --gzip -o "$tmp/both" "$tmp/full/$rel.btf" 2>/dev/null
check "--tar-xz with --gzip: usage error, no output" [ $? -eq 2 ] && [ ! -e "$tmp/both" ]

# --- the package directory: one command, into the same directory ---
check "the packages: one btfenc --min --out-dir --btfhub command" \
	hub_min "$out" --btfhub debian-dbg/12 "$tmp/pkgs"/*.deb
check "the packages: nothing extracted to disk" hub_nothing_extracted
dbg=$out/debian-dbg/12/$HUB_ARCH/$rel.btf
check "layout from the .deb's banner: debian-dbg/12/$HUB_ARCH/$rel.btf" [ -f "$dbg" ]
check "the .deb's output: btfenc's BTF's minimized bytes" cmp "$tmp/want-$rel+btfenc.btf" "$dbg"
check "the .deb's output stored once with $rel+btfenc.btf" \
	[ "$(stat -c %i "$dbg")" = "$(stat -c %i "$od/$rel+btfenc.btf")" ]
check "manifest merged: four kernels" [ "$(hub_entries "$out" | wc -l)" -eq 4 ]
check "manifest: the .deb mapped" \
	grep -qxF "$dbg $tmp/pkgs/${deb##*/}" <(hub_entries "$out" | cut -d' ' -f1-2)
check "equal bytes stored once across runs" hub_dedup_ok "$out"

# --- a rerun of the tree: nothing changes ---
find "$out" -type f -printf '%P %i %s %T@\n' | sort >"$tmp/before"
hub_entries "$out" | sort >"$tmp/entries-before"
check "rerun of the tree into the same directory" \
	hub_min "$out" --btfhub "$HUB_DISTRO" "$hub_dir"/*.btf.tar.xz
find "$out" -type f -printf '%P %i %s %T@\n' | sort | grep -v '^manifest.json ' >"$tmp/after"
check "rerun: every output left as it was (inode, size, time)" \
	diff -u <(grep -v '^manifest.json ' "$tmp/before") "$tmp/after"
check "rerun: the manifest maps the same kernels to the same files" \
	diff -u "$tmp/entries-before" <(hub_entries "$out" | sort)

# --- sizes ---
hub_sizes "$out" bpftool "bpftool $(bpftool version | sed -n 's/^bpftool v//p')"

# --- a file system that fills up mid-batch ---
# Debian's kernel's output fits, the old-style one does not (it needs two
# pages where one is left), btfenc's has the bytes of Debian's: a link.
fs=$tmp/fs
a=$tmp/want-$rel.btf b=$tmp/want-$rel+oldpahole.btf
pages() { echo $(( ($(stat -c %s "$1") + 4095) / 4096 )); }
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIPPED PART: full file system: not root, cannot mount a tmpfs"
elif ! mkdir "$fs" || ! mount -t tmpfs -o size=64k tmpfs "$fs" 2>"$tmp/mount.err"; then
	echo "SKIPPED PART: full file system: mount -t tmpfs failed: $(cat "$tmp/mount.err")"
else
	trap 'umount "$fs" 2>/dev/null; rm -rf "$tmp"' EXIT
	check "full fs: the first output needs at most 2 pages" [ "$(pages "$a")" -le 2 ]
	check "full fs: the second output needs 2 pages" [ "$(pages "$b")" -eq 2 ]
	mkdir -p "$fs/out/$HUB_DISTRO/$HUB_ARCH"
	free=$(stat -f -c %a "$fs")
	head -c $(( (free - $(pages "$a") - 1) * 4096 )) /dev/zero >"$fs/fill"
	echo "full fs: $(stat -f -c %a "$fs") pages free of $(stat -f -c %b "$fs")"
	"$BTFENC" --min "${objs[@]}" --out-dir "$fs/out" --btfhub "$HUB_DISTRO" \
		"$hub_dir/$rel.btf.tar.xz" "$hub_dir/$rel+oldpahole.btf.tar.xz" \
		"$hub_dir/$rel+btfenc.btf.tar.xz" 2>"$tmp/full.err"
	rc=$?
	cat "$tmp/full.err"
	fo=$fs/out/$HUB_DISTRO/$HUB_ARCH
	check "full fs: exit 1" [ $rc -eq 1 ]
	check "full fs: names the file it could not write" \
		grep -qF "$fo/$rel+oldpahole.btf: cannot write: No space left on device" "$tmp/full.err"
	check "full fs: no partial output" [ ! -e "$fo/$rel+oldpahole.btf" ]
	check "full fs: no temporary" [ -z "$(find "$fs/out" -name '.*')" ]
	check "full fs: the output that fit is complete" cmp "$a" "$fo/$rel.btf"
	check "full fs: libbpf reads it" "$TOOLS/btfparse" "$fo/$rel.btf"
	check "full fs: btfcanon reads it" canon "$fo/$rel.btf" >/dev/null
	check "full fs: the kernel after the failure still written" cmp "$a" "$fo/$rel+btfenc.btf"
	check "full fs: and stored once" [ "$(stat -c %i "$fo/$rel.btf")" = "$(stat -c %i "$fo/$rel+btfenc.btf")" ]
	hub_entries "$fs/out" >"$tmp/full.entries"
	check "full fs: manifest lists what fit" \
		grep -qxF "$fo/$rel.btf $hub_dir/$rel.btf.tar.xz - -" "$tmp/full.entries"
	check "full fs: manifest lists the link" \
		grep -qxF "$fo/$rel+btfenc.btf $hub_dir/$rel+btfenc.btf.tar.xz $fo/$rel.btf -" "$tmp/full.entries"
	check "full fs: manifest marks the failed kernel" \
		grep -qxF -- "- $hub_dir/$rel+oldpahole.btf.tar.xz - error" "$tmp/full.entries"
	check "full fs: manifest's sizes and hashes" hub_dedup_ok "$fs/out"
	umount "$fs"
	trap 'rm -rf "$tmp"' EXIT
fi

finish
