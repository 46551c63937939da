#!/bin/bash
# Progress: on a terminal, a run longer than a second shows its phase and
# the share of units read on one self-erasing line; nothing with -q, and
# nothing when stderr is not a terminal.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
need_cmd script
kdir=$(testdata_kernel) || skip "the Debian cloud kernel debug package cannot be had here"

# script(1) gives btfenc a terminal; its output is what that terminal got
# (the shell stays a second after btfenc ends, so script reads all of it)
script -qec "'$BTFENC' -o '$tmp/a.btf' '$kdir/vmlinux'; sleep 1" "$tmp/tty.log" >/dev/null 2>&1
check "exit 0 on a terminal" [ -s "$tmp/a.btf" ]
check "shows the share of units read" grep -aq "reading DWARF: *[0-9]*% ([0-9]* of [0-9]* units)" "$tmp/tty.log"
check "reaches 100%" grep -aq "reading DWARF: 100%" "$tmp/tty.log"
check "shows the dedup phase" grep -aq "deduplicating types" "$tmp/tty.log"
# the last phase's line, then the erasing of it
check "erases its line at the end" grep -aqF $'deduplicating types\e[K\r\e[K' "$tmp/tty.log"

script -qec "'$BTFENC' -q -o '$tmp/b.btf' '$kdir/vmlinux'; sleep 1" "$tmp/quiet.log" >/dev/null 2>&1
check "-q: no progress" bash -c "! grep -aq 'reading DWARF' '$tmp/quiet.log'"

"$BTFENC" -o "$tmp/c.btf" "$kdir/vmlinux" 2>"$tmp/err"
check "stderr not a terminal: nothing printed" [ ! -s "$tmp/err" ]
check "the same output either way" cmp "$tmp/a.btf" "$tmp/c.btf"
finish
