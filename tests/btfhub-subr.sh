# Sourced by tests/run-btfhub*.sh after tests/test-subr.sh: a BTFHub-like
# tree built from Debian's 6.1 cloud kernel (tests/testdata.sh), laid out
# DISTRO/VERSION/ARCH/RELEASE.btf.tar.xz, each archive holding RELEASE.btf,
# and the libbpf-tools objects it is minimized for.
. "$top_srcdir/tests/testdata.sh"

HUB_DISTRO=debian/12
HUB_ARCH=x86_64

# hub_setup: kdir, deb, ref, rel and objs (the CO-RE objects), or skip
hub_setup()
{
	local odir

	need_cmd tar xz python3 strace
	need_tool bpfcarve btfparse
	kdir=$(testdata_kernel) || skip "Debian's cloud kernel cannot be had here"
	deb=$(testdata_kernel_deb) || skip "the kernel's .deb cannot be had here"
	ref=$(testdata_ref_btf) || skip "no .BTF in $kdir/vmlinux"
	odir=$(testdata_bpf_objs "$TOOLS/bpfcarve") || skip "libbpf-tools' objects cannot be had here"
	objs=("$odir"/*.bpf.o)
	[ -f "${objs[0]}" ] || skip "no object in $odir"
	rel=$(strings -n 20 "$kdir/vmlinux" | sed -n 's/^Linux version \([^ ]*\) .*/\1/p' | head -n 1)
	[ -n "$rel" ] || skip "no banner in $kdir/vmlinux"
	hub=$tmp/hub
	hub_dir=$hub/$HUB_DISTRO/$HUB_ARCH
	mkdir -p "$hub_dir" "$tmp/full" "$tmp/pkgs"
	# the package directory: the dbg .deb itself, as downloaded
	ln -s "$deb" "$tmp/pkgs/${deb##*/}"
}

# hub_add RELEASE FULL: the raw BTF FULL as $hub_dir/RELEASE.btf.tar.xz;
# $tmp/full/RELEASE.btf keeps FULL to check the outputs against
hub_add()
{
	local r=$1 full=$2 d

	cp "$full" "$tmp/full/$r.btf" || return 1
	d=$(mktemp -d "$tmp/pack.XXXXXX") || return 1
	cp "$full" "$d/$r.btf" &&
		tar -C "$d" -cf - "$r.btf" | xz -T1 -3 >"$hub_dir/$r.btf.tar.xz"
	local rc=$?
	rm -rf "$d"
	return $rc
}

# hub_old_style IN OUT: IN with every ARRAY indexed by one anonymous INT
# appended at the end, as older pahole versions wrote it (BTFHub's Kylin
# V10 4.19 files); little-endian raw BTF only
hub_old_style()
{
	"$top_srcdir/tests/tools/old-style-btf" "$1" "$2"
}

# hub_min OUT --btfhub D/V INPUTS...: the one command of a batch, under
# strace, with TMPDIR and the working directory watched; $tmp/created.LOG
# lists every file or directory created outside OUT
hub_min()
{
	local out=$1 log rc

	shift
	log=$(mktemp "$tmp/strace.XXXXXX")
	rm -rf "$tmp/watch-tmp" "$tmp/watch-cwd"
	mkdir "$tmp/watch-tmp" "$tmp/watch-cwd"
	# LeakSanitizer cannot run under ptrace: leaks are checked elsewhere
	env -C "$tmp/watch-cwd" TMPDIR="$tmp/watch-tmp" \
		"ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -o "$log" -e trace=open,openat,creat,mkdir,mkdirat,memfd_create \
		"$BTFENC" --min "${objs[@]}" --out-dir "$out" "$@"
	rc=$?
	grep -E 'O_CREAT|creat\(|mkdir(at)?\(' "$log" | grep -v '= -1' |
		grep -vF "\"$out/" | grep -vF "\"$out\"" >"$log.created"
	grep -c 'memfd_create(' "$log" >"$log.memfd"
	[ -z "$(find "$tmp/watch-tmp" "$tmp/watch-cwd" -mindepth 1)" ] || echo "left in TMPDIR or cwd" >>"$log.created"
	hub_last_log=$log
	return $rc
}

# hub_nothing_extracted: the last hub_min created nothing outside OUT and
# read the members into memory files
hub_nothing_extracted()
{
	[ -s "$hub_last_log.created" ] && { cat "$hub_last_log.created"; return 1; }
	[ "$(cat "$hub_last_log.memfd")" -gt 0 ]
}

# hub_check_outputs OUT RELEASE...: each RELEASE of the tree has its output
# at OUT/DISTRO/VERSION/ARCH/RELEASE.btf, the minimized bytes of its
# unpacked BTF ($tmp/full/RELEASE.btf), libbpf reads it, and the manifest
# maps its archive to it
hub_check_outputs()
{
	local out=$1 od=$1/$HUB_DISTRO/$HUB_ARCH r

	shift
	for r in "$@"; do
		check "layout: $HUB_DISTRO/$HUB_ARCH/$r.btf" [ -f "$od/$r.btf" ] || continue
		"$BTFENC" --min "${objs[@]}" -o "$tmp/want-$r.btf" "$tmp/full/$r.btf"
		check "$r.btf: the unpacked BTF's minimized bytes" cmp "$tmp/want-$r.btf" "$od/$r.btf"
		check "$r.btf: libbpf reads it" "$TOOLS/btfparse" "$od/$r.btf"
		check "manifest: $r.btf.tar.xz mapped to $r.btf" \
			grep -qxF "$od/$r.btf $hub_dir/$r.btf.tar.xz" <(hub_entries "$out" | cut -d' ' -f1-2)
	done
}

# hub_entries OUT: "output input same_as error" lines of OUT's manifest
hub_entries()
{
	python3 - "$1/manifest.json" <<'PY'
import json, sys
for e in json.load(open(sys.argv[1]))["outputs"]:
    print(e.get("output", "-"), e["input"], e.get("same_as", "-"),
          "error" if e.get("error") else "-")
PY
}

# hub_dedup_ok OUT: outputs of equal bytes are one file, and each entry
# but the first of those says same_as the first; different bytes are
# different files
hub_dedup_ok()
{
	python3 - "$1/manifest.json" <<'PY'
import json, os, sys, hashlib
first, ok = {}, True
for e in json.load(open(sys.argv[1]))["outputs"]:
    if "output" not in e:
        continue
    data = open(e["output"], 'rb').read()
    h = hashlib.sha256(data).hexdigest()
    if h != e["sha256"] or len(data) != e["bytes"]:
        print("%s: manifest's sha256 or bytes wrong" % e["output"]); ok = False
    st = os.stat(e["output"])
    if h not in first:
        first[h] = (e["output"], st.st_ino)
        if "same_as" in e:
            print("%s: same_as but the first of its bytes" % e["output"]); ok = False
        continue
    f, ino = first[h]
    if st.st_ino != ino:
        print("%s: same bytes as %s, another file" % (e["output"], f)); ok = False
    if e.get("same_as") != f:
        print("%s: same_as %s, not %s" % (e["output"], e.get("same_as"), f)); ok = False
inos = {}
for h, (f, ino) in first.items():
    if ino in inos:
        print("%s and %s: different bytes, one file" % (f, inos[ino])); ok = False
    inos[ino] = f
sys.exit(0 if ok else 1)
PY
}

# hub_full_of OUTPUT: the full BTF OUTPUT was minimized from
hub_full_of()
{
	local r

	r=$(basename "$1" .btf)
	case $1 in
	*/debian-dbg/*) r=$r+btfenc ;;	# the .deb's vmlinux: btfenc's BTF of it
	esac
	printf '%s\n' "$tmp/full/$r.btf"
}

# hub_sizes OUT BPFTOOL NAME: each output of OUT at or below what
# BPFTOOL gen min_core_btf makes of its full BTF; prints both sizes
hub_sizes()
{
	local out=$1 bpftool=$2 name=$3 o full ours theirs b

	while read -r o _; do
		[ "$o" = - ] && continue
		full=$(hub_full_of "$o")
		b=$tmp/bpftool-$name-$(basename "$o")
		check "$name gen min_core_btf on $(basename "$full")" \
			"$bpftool" gen min_core_btf "$full" "$b" "${objs[@]}" >/dev/null 2>&1 || continue
		ours=$(stat -c %s "$o")
		theirs=$(stat -c %s "$b")
		echo "${o#"$out"/}: $ours bytes, $name gen min_core_btf: $theirs"
		check "${o#"$out"/}: no larger than $name's ($ours <= $theirs bytes)" \
			[ "$ours" -le "$theirs" ]
	done < <(hub_entries "$out")
}

# hub_corecheck OUT: for every output of OUT's manifest and every object,
# libbpf relocates the same against it as against its full BTF (needs
# tests/fixtures/bpf/min-subr.sh); prints the counts
hub_corecheck()
{
	local out=$1 o full n m obj b total=0 bad=0

	while read -r o _; do
		[ "$o" = - ] && continue
		full=$(hub_full_of "$o")
		n=0 m=0
		for obj in "${objs[@]}"; do
			b=$(basename "$obj" .bpf.o)
			if min_same_relocation "$obj" "$full" "$o" >"$tmp/diff.out"; then
				n=$((n + $(min_nr_relocs "$tmp/$(basename "$o" .btf)-$b.bpf.full")))
			else
				m=$((m + 1))
				fail "${o#"$out"/} against $(basename "$full"): $b relocates differently"
				cat "$tmp/diff.out"
			fi
			ok
		done
		echo "${o#"$out"/}: ${#objs[@]} objects, $n CO-RE relocations as with $(basename "$full"), $m objects differ"
		check "${o#"$out"/}: CO-RE relocations compared" [ "$n" -gt 0 ]
		total=$((total + n)) bad=$((bad + m))
	done < <(hub_entries "$out")
	echo "in all: $total CO-RE relocations compared, $bad mismatches"
}
