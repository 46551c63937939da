#!/bin/bash
# Progress: on a terminal, a run longer than a second shows its phase and
# the share of units read on one self-erasing line; nothing with -q, and
# nothing when stderr is not a terminal.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
kdir=$(testdata_kernel) || skip "the Debian cloud kernel debug package cannot be had here"

# ptyrun gives btfenc a terminal and records all that btfenc wrote to it
show_tty()
{
	echo "btfenc on a terminal exited with $1; the terminal got:"
	tail -c 2000 "$2" | cat -v
}
"$TOOLS/ptyrun" "$tmp/tty.log" "$BTFENC" -o "$tmp/a.btf" "$kdir/vmlinux"
rc=$?
check "exit 0 on a terminal" [ $rc -eq 0 ] || show_tty $rc "$tmp/tty.log"
check "output written on a terminal" [ -s "$tmp/a.btf" ]
check "shows the share of units read" grep -aq "reading DWARF: *[0-9]*% ([0-9]* of [0-9]* units)" "$tmp/tty.log"
check "reaches 100%" grep -aq "reading DWARF: 100%" "$tmp/tty.log"
check "shows the dedup phase" grep -aq "deduplicating types" "$tmp/tty.log"
# the last phase's line, then the erasing of it, and nothing after
check "erases its line at the end" bash -c "tail -c 40 '$tmp/tty.log' | grep -aqF \$'deduplicating types\\e[K\\r\\e[K'"

"$TOOLS/ptyrun" "$tmp/quiet.log" "$BTFENC" -q -o "$tmp/b.btf" "$kdir/vmlinux"
rc=$?
check "-q on a terminal: exit 0" [ $rc -eq 0 ] || show_tty $rc "$tmp/quiet.log"
check "-q: nothing on the terminal" [ ! -s "$tmp/quiet.log" ]

"$BTFENC" -o "$tmp/c.btf" "$kdir/vmlinux" 2>"$tmp/err"
check "stderr not a terminal: nothing printed" [ ! -s "$tmp/err" ]
check "the same output either way" cmp "$tmp/a.btf" "$tmp/c.btf"
finish
