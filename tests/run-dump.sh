#!/bin/bash
# --dump prints exactly what `bpftool btf dump file` prints: on the running
# kernel's BTF, on btfenc's own output (raw and -J), on clang objects with
# tags, and on split BTF with --base.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
need_cmd bpftool gcc

same_dump()
{
	local label=$1
	shift
	"$BTFENC" --dump "$@" >"$tmp/ours" 2>"$tmp/err" ||
		{ fail "$label: --dump failed: $(cat "$tmp/err")"; return; }
	if [ "$1" = --base ]; then
		bpftool -B "$2" btf dump file "$3" >"$tmp/theirs"
	else
		bpftool btf dump file "$1" >"$tmp/theirs"
	fi
	check "$label: same as bpftool" diff -u "$tmp/theirs" "$tmp/ours" >/dev/null
}

if [ -r /sys/kernel/btf/vmlinux ]; then
	same_dump "running kernel" /sys/kernel/btf/vmlinux
	for m in /sys/kernel/btf/*; do
		[ "$(basename "$m")" = vmlinux ] && continue
		same_dump "module $(basename "$m") on vmlinux" --base /sys/kernel/btf/vmlinux "$m"
		break
	done
fi

for src in "$FIXTURES"/*.c; do
	name=$(basename "$src" .c)
	cc=gcc
	case $name in clang[-_]*) cc=clang ;; esac
	compile_fixture "$src" "$cc" 5 "$tmp/$name.o" || continue
	"$BTFENC" -o "$tmp/$name.btf" "$tmp/$name.o" || { fail "$name: encode"; continue; }
	same_dump "$name raw" "$tmp/$name.btf"
	cp "$tmp/$name.o" "$tmp/$name.J.o"
	"$BTFENC" -J "$tmp/$name.J.o" && same_dump "$name ELF" "$tmp/$name.J.o"
	# gzip-compressed raw BTF reads the same
	gzip -c "$tmp/$name.btf" >"$tmp/$name.btf.gz"
	"$BTFENC" --dump "$tmp/$name.btf.gz" >"$tmp/gz" 2>/dev/null
	check "$name: gzip input" diff -q "$tmp/ours" "$tmp/gz" >/dev/null
done
finish
