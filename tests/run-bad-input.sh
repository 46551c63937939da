#!/bin/bash
# Bad input of every kind: a message that names the file and the problem,
# exit status 1, no output file, the input unchanged.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
need_cmd gcc

# bad LABEL REGEX INPUT [BTFENC ARGS...]: btfenc -o OUT ARGS... must fail
bad()
{
	local label=$1 regex=$2 input=$3 sum_before sum_after status
	shift 3
	local out=$tmp/out-$label.btf

	sum_before=$(sha256sum "$input" 2>/dev/null)
	"$BTFENC" -o "$out" "$@" >"$tmp/stdout" 2>"$tmp/err"
	status=$?
	sum_after=$(sha256sum "$input" 2>/dev/null)
	check "$label: exit status 1 (got $status)" [ $status -eq 1 ]
	check "$label: message names the file: $(head -c 200 "$tmp/err")" \
		grep -qF -- "$(basename "$input")" "$tmp/err"
	check "$label: message says what is wrong" grep -qE -- "$regex" "$tmp/err"
	check "$label: no output file" [ ! -e "$out" ]
	check "$label: no temporary left" bash -c "! ls -A '$tmp' | grep -q '^\.out-'"
	check "$label: input unchanged" [ "$sum_before" = "$sum_after" ]
}

printf 'int main(void) { return 0; }\n' >"$tmp/a.c"
gcc -g -c "$tmp/a.c" -o "$tmp/good.o"
gcc -c "$tmp/a.c" -o "$tmp/nodebug.o"

echo "just some text, not ELF" >"$tmp/text.txt"
bad not-elf 'not an ELF file' "$tmp/text.txt" "$tmp/text.txt"

: >"$tmp/empty"
bad empty 'not an ELF file|empty' "$tmp/empty" "$tmp/empty"

head -c 40 "$tmp/good.o" >"$tmp/trunc-hdr.o"
bad truncated-header 'truncated|not an ELF|invalid|corrupt' "$tmp/trunc-hdr.o" "$tmp/trunc-hdr.o"

size=$(stat -c %s "$tmp/good.o")
head -c $((size / 2)) "$tmp/good.o" >"$tmp/trunc-half.o"
bad truncated-half 'truncated|invalid|corrupt|section' "$tmp/trunc-half.o" "$tmp/trunc-half.o"

bad no-dwarf 'no DWARF' "$tmp/nodebug.o" "$tmp/nodebug.o"

mkdir "$tmp/dir.o"
bad directory 'is a directory' "$tmp/dir.o" "$tmp/dir.o"

bad missing 'No such file' "$tmp/missing.o" "$tmp/missing.o"

bad bad-base 'BTF|magic|not' "$tmp/text.txt" --base "$tmp/text.txt" "$tmp/good.o"

# unwritable output: a directory that does not exist
"$BTFENC" -o "$tmp/no/such/dir/out.btf" "$tmp/good.o" 2>"$tmp/err"
check "unwritable output: exit 1" [ $? -eq 1 ]
check "unwritable output: message names the path" grep -qF "$tmp/no/such/dir/out.btf" "$tmp/err"
check "unwritable output: nothing created" [ ! -e "$tmp/no" ]

# as an unprivileged user: an unreadable input, a read-only output directory
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	asuser() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
else
	asuser() { "$@"; }
fi
if [ "$(id -u)" -ne 0 ] || command -v setpriv >/dev/null; then
	chmod 755 "$tmp"
	cp "$tmp/good.o" "$tmp/secret.o" && chmod 000 "$tmp/secret.o"
	mkdir "$tmp/ro" && chmod 555 "$tmp/ro"
	asuser "$BTFENC" -o "$tmp/ro/out.btf" "$tmp/secret.o" 2>"$tmp/err"
	check "unreadable input: exit 1" [ $? -eq 1 ]
	check "unreadable input: message" grep -qE "secret.o: Permission denied" "$tmp/err"
	asuser "$BTFENC" -o "$tmp/ro/out.btf" "$tmp/good.o" 2>"$tmp/err"
	check "read-only output dir: exit 1" [ $? -eq 1 ]
	check "read-only output dir: message" grep -qF "$tmp/ro/out.btf" "$tmp/err"
	check "read-only output dir: nothing created" [ -z "$(ls -A "$tmp/ro")" ]
fi

# --dump of things that are not BTF
printf '\x9f\xeb\x01\x00\x18\x00\x00\x00' >"$tmp/short.btf"
for f in text.txt short.btf nodebug.o; do
	"$BTFENC" --dump "$tmp/$f" >"$tmp/dump" 2>"$tmp/err"
	check "--dump $f: exit 1" [ $? -eq 1 ]
	check "--dump $f: message names it" grep -qF "$f" "$tmp/err"
done
finish
