#!/bin/bash
# The command line: --help, --version, usage errors (exit 2), and every
# option documented in both --help and the man page.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"

help=$("$BTFENC" --help)
check "--help exits 0" [ $? -eq 0 ]
check "--help shows usage" grep -q '^Usage: btfenc' <<<"$help"
check "--version" bash -c "'$BTFENC' --version | grep -Eq '^btfenc [0-9]+\.[0-9]+'"

usage_status()
{
	"$BTFENC" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	echo $?
}

check "no INPUT: exit 2" [ "$(usage_status -o "$tmp/x")" -eq 2 ]
check "no INPUT: message" grep -q 'no INPUT given' "$tmp/err"
check "two INPUTs: exit 2" [ "$(usage_status -o "$tmp/x" a b)" -eq 2 ]
check "unknown option: exit 2" [ "$(usage_status --no-such-option x)" -eq 2 ]
check "bad -j: exit 2" [ "$(usage_status -j many -o "$tmp/x" x)" -eq 2 ]
check "bad -j: message" grep -q "'many' is not a thread count" "$tmp/err"
check "-J with -o: exit 2" [ "$(usage_status -J -o "$tmp/x" x)" -eq 2 ]
check "--dump with INPUT: exit 2" [ "$(usage_status --dump a b)" -eq 2 ]
check "no output file after usage errors" [ ! -e "$tmp/x" ]

# A terminal on stdout is refused: exit 2, the reason, nothing written
"$TOOLS/ptyrun" "$tmp/tty" "$BTFENC" /bin/true
check "terminal stdout: exit 2 (a usage error)" [ $? -eq 2 ]
check "terminal stdout refused" grep -q 'refusing to write binary BTF to a terminal' "$tmp/tty"
check "terminal stdout: no BTF written" bash -c "! LC_ALL=C grep -aq \$'\\x9f\\xeb' '$tmp/tty'"

# Every long option in --help is in the man page, and the reverse
man=$top_srcdir/man/btfenc.1
opts_help=$(grep -oE -- '--[a-z][a-z0-9-]+' <<<"$help" | sort -u)
# the OPTIONS section of the man page (pahole's spellings are documented
# in their own section)
opts_man=$(sed -n '/^\.SH OPTIONS/,/^\.SH [^O]/p' "$man" | sed 's/\\-/-/g' |
	grep -oE -- '--[a-z][a-z0-9-]+' | sort -u)
for o in $opts_help; do
	check "man page documents $o" grep -qx -- "$o" <<<"$opts_man"
done
for o in $opts_man; do
	check "--help documents $o" grep -qx -- "$o" <<<"$opts_help"
done
for o in $(grep -oE '^  -[a-zA-Z]' <<<"$help" | tr -d ' '); do
	check "man page documents $o" grep -q -- "^\.BR* \\\\$o\|^\.B \\\\$o\|^\.BR \\\\$o" "$man"
done
finish
