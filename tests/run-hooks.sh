#!/bin/bash
# The distro hooks in contrib/ against a fake root: Debian's
# /etc/kernel/post{inst,rm}.d/btfenc and the kernel-install plugin write a
# kernel's BTF to /boot/vmlinux-KVER only when the kernel lacks
# CONFIG_DEBUG_INFO_BTF and has a debug vmlinux, libbpf reads what they
# write, they remove it again, leave other files alone, never fail the
# package on a btfenc problem and leave no partial file behind.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"

need_cmd gcc gzip od
need_tool btfcanon
[ -x "$BTFENC" ] || skip "btfenc was not built"

gen=$top_builddir/contrib/gen
kernel_btf=$gen/kernel-btf
postinst=$gen/postinst.d/btfenc
postrm=$gen/postrm.d/btfenc
kinstall=$gen/90-btfenc.install
for f in "$kernel_btf" "$postinst" "$postrm" "$kinstall"; do
	[ -x "$f" ] || skip "$f was not built (run make first)"
done

root=$tmp/root
export BTFENC_ROOT=$root BTFENC_KERNEL_BTF=$kernel_btf BTFENC
unset DEB_MAINT_PARAMS KERNEL_INSTALL_VERBOSE BTFENC_VERBOSE

# A debug vmlinux: any ELF with DWARF will do, the hooks hand it to btfenc
cat >"$tmp/vmlinux.c" <<'EOF'
struct hooks_task {
	int pid;
	struct hooks_task *parent;
	const char *comm;
	unsigned long flags[4];
};
struct hooks_task hooks_init_task;
int main(void) { return hooks_init_task.pid; }
EOF
gcc -g -O1 -o "$tmp/vmlinux" "$tmp/vmlinux.c" || skip "gcc cannot build a program"

# new_kernel KVER yes|no|none: /boot/config-KVER with or without BTF (none:
# no config at all), the image, the modules directory, the debug vmlinux
new_kernel()
{
	local kver=$1 btf=$2

	mkdir -p "$root/boot" "$root/lib/modules/$kver" "$root/usr/lib/debug/boot"
	: >"$root/boot/vmlinuz-$kver"
	case $btf in
	yes) printf 'CONFIG_BPF=y\nCONFIG_DEBUG_INFO_BTF=y\n' >"$root/boot/config-$kver" ;;
	no) printf 'CONFIG_BPF=y\n# CONFIG_DEBUG_INFO_BTF is not set\n' >"$root/boot/config-$kver" ;;
	esac
	cp "$tmp/vmlinux" "$root/usr/lib/debug/boot/vmlinux-$kver"
}

listing()
{
	(cd "$root" && find . | LC_ALL=C sort)
}

# run_hook NAME HOOK ARGS...: run HOOK with stdout and stderr apart
run_hook()
{
	local name=$1
	shift
	"$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
}

rc_is()
{
	[ "$(cat "$tmp/$1.rc")" = "$2" ] || {
		echo "$1: exit $(cat "$tmp/$1.rc"), expected $2; stderr:"
		cat "$tmp/$1.err"
		return 1
	}
}

says()
{
	grep -q -- "$2" "$tmp/$1.err" || {
		echo "$1: no message matching '$2'; stderr:"
		cat "$tmp/$1.err"
		return 1
	}
}

quiet_stdout()
{
	[ ! -s "$tmp/$1.out" ] || {
		echo "$1 wrote to stdout (debconf owns it):"
		cat "$tmp/$1.out"
		return 1
	}
}

# libbpf's btf__parse reads it, and it holds the vmlinux's types
btf_ok()
{
	local f=$1

	[ -f "$f" ] || { echo "$f: missing"; return 1; }
	"$TOOLS/btfcanon" "$f" >"$tmp/canon" || { echo "$f: libbpf cannot read it"; return 1; }
	grep -q 'hooks_task' "$tmp/canon" || { echo "$f: no struct hooks_task in it"; return 1; }
}

absent()
{
	[ ! -e "$1" ] || { echo "$1: should not exist"; return 1; }
}

same_listing()
{
	listing >"$tmp/after"
	diff -u "$tmp/$1" "$tmp/after"
}

no_placeholders()
{
	! grep -n '@[a-z]*dir@' "$@"
}

check "installed hooks have their paths filled in" \
	no_placeholders "$kernel_btf" "$postinst" "$postrm" "$kinstall"

nobtf=6.1.0-90-hooks-nobtf
withbtf=6.1.0-91-hooks-btf
nodebug=6.1.0-92-hooks-nodebug
ppc=6.1.0-93-hooks-image-is-vmlinux
noconfig=6.1.0-94-hooks-noconfig
new_kernel $nobtf no
new_kernel $withbtf yes
new_kernel $nodebug no
rm "$root/usr/lib/debug/boot/vmlinux-$nodebug"
new_kernel $ppc no
new_kernel $noconfig none
# Where the image itself is /boot/vmlinux-KVER (Debian ppc64el)
cp "$tmp/vmlinux" "$root/boot/vmlinux-$ppc"
mkdir -p "$root/etc/kernel"

## Debian: postinst.d and postrm.d

(umask 077 && run_hook deb-add env DEB_MAINT_PARAMS="configure ''" "$postinst" $nobtf "/boot/vmlinuz-$nobtf")
check "postinst: exits 0" rc_is deb-add 0
check "postinst: stdout left to debconf" quiet_stdout deb-add
check "postinst: says what it encodes" says deb-add "btfenc: kernel $nobtf: encoding BTF from $root/usr/lib/debug/boot/vmlinux-$nobtf into $root/boot/vmlinux-$nobtf"
check "postinst: /boot/vmlinux-KVER is BTF that libbpf reads" btf_ok "$root/boot/vmlinux-$nobtf"
check "postinst: readable by all, even under umask 077" \
	test "$(stat -c %a "$root/boot/vmlinux-$nobtf")" = 644
"$BTFENC" -o "$tmp/direct.btf" "$tmp/vmlinux"
check "postinst: the same as btfenc writes" cmp "$tmp/direct.btf" "$root/boot/vmlinux-$nobtf"

listing >"$tmp/before"
run_hook deb-btf env DEB_MAINT_PARAMS="configure ''" "$postinst" $withbtf
check "postinst, BTF built in: exits 0" rc_is deb-btf 0
check "postinst, BTF built in: writes nothing" same_listing before
check "postinst, BTF built in: silent" test ! -s "$tmp/deb-btf.err"

run_hook deb-btf-v env BTFENC_VERBOSE=1 "$postinst" $withbtf
check "postinst, BTF built in, verbose: says why" says deb-btf-v "kernel $withbtf: BTF built in ($root/boot/config-$withbtf)"

# A BTF from an earlier build of the same version must not outlive it
cp "$root/boot/vmlinux-$nobtf" "$root/boot/vmlinux-$nodebug"
run_hook deb-nodebug "$postinst" $nodebug
check "postinst, no debug vmlinux: exits 0" rc_is deb-nodebug 0
check "postinst, no debug vmlinux: says so" says deb-nodebug "btfenc: kernel $nodebug: no debug vmlinux (looked for $root/usr/lib/debug/boot/vmlinux-$nodebug, .*); BTF not written"
check "postinst, no debug vmlinux: says what to install" says deb-nodebug "linux-image-$nodebug-dbg"
check "postinst, no debug vmlinux: stale BTF removed" absent "$root/boot/vmlinux-$nodebug"

# The running kernel's config may only be in /proc
running=$(uname -r)
mkdir -p "$root/proc" "$root/lib/modules/$running" "$root/usr/lib/debug/lib/modules/$running"
cp "$tmp/vmlinux" "$root/usr/lib/debug/lib/modules/$running/vmlinux"
printf 'CONFIG_DEBUG_INFO_BTF=y\n' | gzip >"$root/proc/config.gz"
listing >"$tmp/before"
run_hook deb-proc "$postinst" "$running"
check "postinst, running kernel, BTF in /proc/config.gz: exits 0" rc_is deb-proc 0
check "postinst, running kernel, BTF in /proc/config.gz: writes nothing" same_listing before
printf '# CONFIG_DEBUG_INFO_BTF is not set\n' | gzip >"$root/proc/config.gz"
run_hook deb-proc-nobtf "$postinst" "$running"
check "postinst, running kernel, no BTF in /proc/config.gz: BTF written from /usr/lib/debug/lib/modules" \
	btf_ok "$root/boot/vmlinux-$running"
run_hook deb-proc-rm "$postrm" "$running"
check "postrm, running kernel: BTF removed" absent "$root/boot/vmlinux-$running"

run_hook deb-noconfig "$postinst" $noconfig
check "postinst, no config: exits 0" rc_is deb-noconfig 0
check "postinst, no config: says so" says deb-noconfig "kernel $noconfig: no config found (looked for $root/boot/config-$noconfig, "
check "postinst, no config: encodes anyway" btf_ok "$root/boot/vmlinux-$noconfig"

# /boot/vmlinux-KVER is the kernel image: libbpf skips it, so do we
cp "$root/boot/vmlinux-$ppc" "$tmp/image"
run_hook deb-ppc "$postinst" $ppc
check "postinst, image is /boot/vmlinux-KVER: exits 0" rc_is deb-ppc 0
check "postinst, image is /boot/vmlinux-KVER: image untouched" cmp "$tmp/image" "$root/boot/vmlinux-$ppc"
check "postinst, image is /boot/vmlinux-KVER: BTF in /lib/modules/KVER/vmlinux-KVER" \
	btf_ok "$root/lib/modules/$ppc/vmlinux-$ppc"
run_hook deb-ppc-rm "$postrm" $ppc
check "postrm, image is /boot/vmlinux-KVER: exits 0" rc_is deb-ppc-rm 0
check "postrm, image is /boot/vmlinux-KVER: BTF removed" absent "$root/lib/modules/$ppc/vmlinux-$ppc"
check "postrm, image is /boot/vmlinux-KVER: image kept" cmp "$tmp/image" "$root/boot/vmlinux-$ppc"

# btfenc fails after writing half a file: the hook still exits 0, and
# neither the half file nor the BTF from before is left
cat >"$tmp/failing-btfenc" <<'EOF'
#!/bin/sh
# usage: failing-btfenc -o OUT VMLINUX
printf 'half a BTF' >"$2"
echo "btfenc: $3: stand-in failure" >&2
exit 1
EOF
chmod +x "$tmp/failing-btfenc"
listing >"$tmp/before"
run_hook deb-fail env BTFENC="$tmp/failing-btfenc" "$postinst" $nobtf
check "postinst, btfenc fails: exits 0" rc_is deb-fail 0
check "postinst, btfenc fails: btfenc's message passed on" says deb-fail "stand-in failure"
check "postinst, btfenc fails: says BTF not written" says deb-fail "btfenc: kernel $nobtf: .*failed (exit 1); BTF not written"
check "postinst, btfenc fails: no file left" absent "$root/boot/vmlinux-$nobtf"
grep -vx "./boot/vmlinux-$nobtf" "$tmp/before" >"$tmp/before-fail"
check "postinst, btfenc fails: nothing else written" same_listing before-fail

# The real btfenc on a truncated vmlinux
head -c 100 "$tmp/vmlinux" >"$root/usr/lib/debug/boot/vmlinux-$nobtf"
listing >"$tmp/before"
run_hook deb-bad "$postinst" $nobtf
check "postinst, bad vmlinux: exits 0" rc_is deb-bad 0
check "postinst, bad vmlinux: btfenc names the file" says deb-bad "btfenc: $root/usr/lib/debug/boot/vmlinux-$nobtf: "
check "postinst, bad vmlinux: no file, no temporary" same_listing before
cp "$tmp/vmlinux" "$root/usr/lib/debug/boot/vmlinux-$nobtf"

run_hook deb-again "$postinst" $nobtf
check "postinst again: BTF written" btf_ok "$root/boot/vmlinux-$nobtf"
run_hook deb-rm env DEB_MAINT_PARAMS="remove" "$postrm" $nobtf "/boot/vmlinuz-$nobtf"
check "postrm: exits 0" rc_is deb-rm 0
check "postrm: stdout left to debconf" quiet_stdout deb-rm
check "postrm: BTF removed" absent "$root/boot/vmlinux-$nobtf"
check "postrm: says so" says deb-rm "btfenc: removed $root/boot/vmlinux-$nobtf"
check "postrm: image untouched" test -e "$root/boot/vmlinuz-$nobtf"
listing >"$tmp/before"
run_hook deb-purge env DEB_MAINT_PARAMS="purge" "$postrm" $nobtf
check "postrm again (purge): exits 0" rc_is deb-purge 0
check "postrm again (purge): silent" test ! -s "$tmp/deb-purge.err"
check "postrm again (purge): touches nothing" same_listing before

run_hook deb-gone env BTFENC_KERNEL_BTF="$tmp/uninstalled" "$postinst" $nobtf
check "postinst left behind by an uninstalled btfenc: exits 0, silent" \
	test "$(cat "$tmp/deb-gone.rc")" = 0 -a ! -s "$tmp/deb-gone.err"

run_hook bad-kver "$kernel_btf" add ../../etc
check "kernel-btf: rejects a version with a slash" rc_is bad-kver 2
check "kernel-btf: says so" says bad-kver "'../../etc': not a kernel version"
run_hook usage "$kernel_btf" frobnicate $nobtf
check "kernel-btf: usage error exits 2" rc_is usage 2

# A real kernel, where tests/testdata.sh has one: the Debian cloud kernel's
# debug vmlinux, as its -dbg package installs it, taken for one built
# without BTF
. "$top_srcdir/tests/testdata.sh"
if kdir=$(testdata_kernel); then
	real=6.1.0-99-hooks-real
	new_kernel $real no
	ln -sf "$kdir/vmlinux" "$root/usr/lib/debug/boot/vmlinux-$real"
	run_hook deb-real "$postinst" $real "/boot/vmlinuz-$real"
	check "postinst, real kernel: exits 0" rc_is deb-real 0
	check "postinst, real kernel: libbpf reads its BTF" \
		"$TOOLS/btfcanon" --counts "$root/boot/vmlinux-$real" >/dev/null
	check "postinst, real kernel: struct task_struct is in it" \
		grep -q '^STRUCT task_struct ' <("$TOOLS/btfcanon" "$root/boot/vmlinux-$real")
	run_hook deb-real-rm "$postrm" $real "/boot/vmlinuz-$real"
	check "postrm, real kernel: BTF removed" absent "$root/boot/vmlinux-$real"
else
	echo "run-hooks: no real kernel (see above), fake vmlinux only"
fi

## kernel-install plugin

entry=$root/efi/0123456789abcdef/$nobtf
run_hook ki-add "$kinstall" add $nobtf "$entry" "$root/boot/vmlinuz-$nobtf"
check "kernel-install add: exits 0" rc_is ki-add 0
check "kernel-install add: BTF written" btf_ok "$root/boot/vmlinux-$nobtf"
check "kernel-install add: nothing in the entry directory" absent "$root/efi"

listing >"$tmp/before"
run_hook ki-btf "$kinstall" add $withbtf "$root/efi/x/$withbtf" "$root/boot/vmlinuz-$withbtf"
check "kernel-install add, BTF built in: exits 0" rc_is ki-btf 0
check "kernel-install add, BTF built in: writes nothing" same_listing before
run_hook ki-btf-v env KERNEL_INSTALL_VERBOSE=1 "$kinstall" add $withbtf "$root/efi/x/$withbtf" "$root/boot/vmlinuz-$withbtf"
check "kernel-install add, BTF built in, verbose: says why" says ki-btf-v "kernel $withbtf: BTF built in"

run_hook ki-nodebug "$kinstall" add $nodebug "$root/efi/x/$nodebug" "$root/boot/vmlinuz-$nodebug"
check "kernel-install add, no debug vmlinux: exits 0" rc_is ki-nodebug 0
check "kernel-install add, no debug vmlinux: says so" says ki-nodebug "kernel $nodebug: no debug vmlinux"
check "kernel-install add, no debug vmlinux: nothing written" absent "$root/boot/vmlinux-$nodebug"

run_hook ki-fail env BTFENC="$tmp/failing-btfenc" "$kinstall" add $nobtf "$entry" "$root/boot/vmlinuz-$nobtf"
check "kernel-install add, btfenc fails: exits 0" rc_is ki-fail 0
check "kernel-install add, btfenc fails: says BTF not written" says ki-fail "BTF not written"
check "kernel-install add, btfenc fails: no file left (not even the old one)" absent "$root/boot/vmlinux-$nobtf"

run_hook ki-add2 "$kinstall" add $nobtf "$entry" "$root/boot/vmlinuz-$nobtf"
run_hook ki-rm "$kinstall" remove $nobtf "$entry"
check "kernel-install remove: exits 0" rc_is ki-rm 0
check "kernel-install remove: BTF removed" absent "$root/boot/vmlinux-$nobtf"

listing >"$tmp/before"
run_hook ki-other "$kinstall" inspect $nobtf
check "kernel-install, other command: exits 0" rc_is ki-other 0
check "kernel-install, other command: does nothing" same_listing before

# Under a Debian kernel package, postinst.d/btfenc has done the work already
mkdir -p "$root/etc/kernel/postinst.d"
cp "$postinst" "$root/etc/kernel/postinst.d/btfenc"
listing >"$tmp/before"
run_hook ki-deb env DEB_MAINT_PARAMS="configure ''" "$kinstall" add $nobtf "$entry" "$root/boot/vmlinuz-$nobtf"
check "kernel-install run from a Debian kernel package: exits 0" rc_is ki-deb 0
check "kernel-install run from a Debian kernel package: leaves it to postinst.d" same_listing before

finish
