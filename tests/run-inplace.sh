#!/bin/bash
# -J: the .BTF section is added (or replaced) in the input itself, equal to
# the detached output, readable by bpftool; a failing -J leaves the input
# untouched; a linked program still runs afterwards.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
need_cmd gcc bpftool objcopy

cat >"$tmp/prog.c" <<'C'
#include <stdio.h>
struct point { int x, y; struct point *next; };
int sum(struct point *p) { int s = 0; for (; p; p = p->next) s += p->x + p->y; return s; }
int main(void) { struct point a = { 1, 2, 0 }; printf("%d\n", sum(&a)); return 0; }
C
gcc -g -c "$tmp/prog.c" -o "$tmp/prog.o"
gcc -g "$tmp/prog.c" -o "$tmp/prog"

for f in prog.o prog; do
	check "$f: detached output" "$BTFENC" -o "$tmp/$f.btf" "$tmp/$f"
	cp -p "$tmp/$f" "$tmp/$f.orig"
	check "$f: -J succeeds" "$BTFENC" -J "$tmp/$f"
	check "$f: bpftool reads the rewritten ELF" bpftool btf dump file "$tmp/$f" >"$tmp/$f.dump"
	objcopy --dump-section .BTF="$tmp/$f.sec" "$tmp/$f" /dev/null
	check "$f: .BTF equals the detached output" cmp "$tmp/$f.btf" "$tmp/$f.sec"
	check "$f: mode kept" [ "$(stat -c %a "$tmp/$f")" = "$(stat -c %a "$tmp/$f.orig")" ]
	# replacing an existing .BTF gives the same file
	cp -p "$tmp/$f" "$tmp/$f.once"
	check "$f: -J again" "$BTFENC" -J "$tmp/$f"
	check "$f: replacing .BTF is stable" cmp "$tmp/$f.once" "$tmp/$f"
	check "$f: no temporary left" bash -c "[ -z \"\$(ls -A '$tmp' | grep '^\\.')\" ]"
done
check "the program still runs after -J" bash -c "[ \"\$('$tmp/prog')\" = 3 ]"
# other sections are unchanged
objcopy --remove-section .BTF "$tmp/prog.o" "$tmp/stripped.o"
objcopy --remove-section .BTF "$tmp/prog.o.orig" "$tmp/stripped.orig.o" 2>/dev/null
check "object: everything but .BTF unchanged" cmp "$tmp/stripped.o" "$tmp/stripped.orig.o"

# failing -J leaves the file as it was
gcc -c "$tmp/prog.c" -o "$tmp/nodebug.o"
cp "$tmp/nodebug.o" "$tmp/nodebug.orig"
"$BTFENC" -J "$tmp/nodebug.o" 2>"$tmp/err"
check "-J without DWARF: exit 1" [ $? -eq 1 ]
check "-J without DWARF: input unchanged" cmp "$tmp/nodebug.o" "$tmp/nodebug.orig"
finish
