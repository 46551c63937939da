#!/bin/bash
# --build-id and --running-kernel fetch the debug vmlinux through
# libdebuginfod from a real debuginfod server, started here on 127.0.0.1
# in a private network namespace (so it listens on nothing else), serving
# a directory that holds Debian's 6.1 dbg .deb; the result is the same as
# from the vmlinux itself.  The running kernel's build-id is read from
# /sys/kernel/notes, and asked for: not found there, a clear error naming
# it, exit 1, no output.
if [ -z "${BTFENC_NETNS:-}" ]; then
	# debuginfod binds every interface: only loopback exists in here
	if command -v unshare >/dev/null && command -v ip >/dev/null &&
	   unshare -n true 2>/dev/null; then
		exec unshare -n env BTFENC_NETNS=1 bash "$0" "$@"
	fi
	echo "SKIP: run-debuginfod: no private network namespace (unshare -n):" \
	     "a debuginfod server would listen on every interface"
	exit 77
fi
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
need_cmd debuginfod curl readelf
need_tool bpfcarve
ip link set lo up || skip "cannot bring up loopback in the namespace"
kdir=$(testdata_kernel) || skip "Debian's cloud kernel cannot be had here"
deb=$(testdata_kernel_deb) || skip "the kernel's .deb cannot be had here"
odir=$(testdata_bpf_objs "$TOOLS/bpfcarve") || skip "libbpf-tools' objects cannot be had here"
objs=()
for b in opensnoop biolatency; do
	[ -f "$odir/$b.bpf.o" ] && objs+=(--min "$odir/$b.bpf.o")
done
[ ${#objs[@]} -gt 0 ] || skip "no libbpf-tools object in $odir"
bid=$(readelf -n "$kdir/vmlinux" | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p' | head -n 1)
[ -n "$bid" ] || skip "$kdir/vmlinux has no build-id"

port=8002
mkdir "$tmp/debs" "$tmp/cache"
ln -s "$deb" "$tmp/debs/"
debuginfod -p "$port" -d "$tmp/db.sqlite" -L -Z '.deb=dpkg-deb --fsys-tarfile' \
	-t 86400 -g 86400 -c 1 "$tmp/debs" \
	>"$tmp/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
export DEBUGINFOD_URLS=http://127.0.0.1:$port DEBUGINFOD_CACHE_PATH=$tmp/cache
unset DEBUGINFOD_PROGRESS

# the scan of the .deb is done: scanned, no scan pending or running
metric()
{
	curl -s "$DEBUGINFOD_URLS/metrics" | sed -n "s/^$1 //p"
}
scanned=
for i in $(seq 600); do
	kill -0 "$server" 2>/dev/null || break
	if [ "$(metric 'scanned_files_total{source=".deb archive"}')" -ge 1 ] 2>/dev/null &&
	   [ "$(metric 'thread_work_pending{role="scan"}')" = 0 ] &&
	   [ "$(metric 'thread_busy{role="scan"}')" = 0 ]; then
		scanned=1
		break
	fi
	sleep 1
done
if [ -z "$scanned" ]; then
	cat "$tmp/server.log"
	skip "debuginfod did not come up or did not scan ${deb##*/} in 10 minutes"
fi

"$BTFENC" "${objs[@]}" -o "$tmp/vmlinux.min" "$kdir/vmlinux"
check "--build-id $bid --min" "$BTFENC" "${objs[@]}" -o "$tmp/fetched.min" --build-id "$bid"
check "the bytes of --min of the vmlinux" cmp "$tmp/vmlinux.min" "$tmp/fetched.min"
check "cached by libdebuginfod under DEBUGINFOD_CACHE_PATH" \
	[ -s "$tmp/cache/$bid/debuginfo" ]
# a build-id the server does not have
rm -f "$tmp/x.btf"
"$BTFENC" --build-id 0123456789abcdef0123456789abcdef01234567 -o "$tmp/x.btf" 2>"$tmp/err"
check "unknown build-id: exit 1" [ $? -eq 1 ]
check "unknown build-id: not found, named" \
	grep -q 'build-id 0123456789abcdef0123456789abcdef01234567: debug info not found' "$tmp/err"
check "unknown build-id: no output" [ ! -e "$tmp/x.btf" ]
"$BTFENC" --build-id xyz -o "$tmp/x.btf" 2>"$tmp/err"
check "not a build-id: exit 1" [ $? -eq 1 ]
check "not a build-id: said" grep -q "'xyz': not a build-id" "$tmp/err"
DEBUGINFOD_URLS= "$BTFENC" --build-id "$bid" -o "$tmp/x.btf" 2>"$tmp/err"
check "no DEBUGINFOD_URLS: exit 1" [ $? -eq 1 ]
check "no DEBUGINFOD_URLS: said" grep -q 'DEBUGINFOD_URLS is not set' "$tmp/err"
check "usage: --build-id with INPUT: exit 2" \
	[ "$("$BTFENC" --build-id "$bid" -o "$tmp/x.btf" "$kdir/vmlinux" 2>/dev/null; echo $?)" = 2 ]

# --running-kernel: the build-id of /sys/kernel/notes is the one asked for
if [ -r /sys/kernel/notes ]; then
	read -r -a b <<<"$(od -An -v -tx1 /sys/kernel/notes | tr '\n' ' ')"
	running=
	le32() { echo $((16#${b[$1+3]}${b[$1+2]}${b[$1+1]}${b[$1]})); }
	for ((i = 0; i + 12 <= ${#b[@]}; )); do
		nsz=$(le32 $i) dsz=$(le32 $((i + 4))) t=$(le32 $((i + 8)))
		name=$((i + 12)) desc=$((i + 12 + (nsz + 3) / 4 * 4))
		if [ "$t" = 3 ] && [ "$nsz" = 4 ] && [ "${b[name]}${b[name+1]}${b[name+2]}" = 474e55 ]; then
			running=$(printf '%s' "${b[@]:desc:dsz}")
			break
		fi
		i=$((desc + (dsz + 3) / 4 * 4))
	done
	"$BTFENC" "${objs[@]}" -o "$tmp/rk.btf" --running-kernel 2>"$tmp/err"
	check "--running-kernel, not on the server: exit 1" [ $? -eq 1 ]
	cat "$tmp/err"
	check "--running-kernel: /sys/kernel/notes has a build-id" [ -n "$running" ]
	check "--running-kernel asks for the build-id of /sys/kernel/notes" \
		grep -q "build-id $running: debug info not found" "$tmp/err"
	check "--running-kernel: no output" [ ! -e "$tmp/rk.btf" ]
fi
# a second time from the cache, with the server gone; upper-case hex too
kill "$server"
wait "$server" 2>/dev/null
check "--build-id from the cache" \
	"$BTFENC" "${objs[@]}" -o "$tmp/cached.min" --build-id "${bid^^}"
check "the same bytes from the cache" cmp "$tmp/vmlinux.min" "$tmp/cached.min"

finish
