#!/bin/bash
# Outputs that are not regular files: a device, a FIFO or /dev/stdout is
# written through, never replaced; a symlink's last target is replaced
# atomically and the link stays; a dangling link gets its target created.
# A write error exits 1 naming the file and leaves no file behind.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
need_cmd gcc

cat >"$tmp/k.c" <<'C'
struct task_struct { long state; int pid; struct task_struct *parent; };
struct task_struct init_task;
C
gcc -g -c "$tmp/k.c" -o "$tmp/k.o"
"$BTFENC" -o "$tmp/ref.btf" "$tmp/k.o"
check "reference output" [ -s "$tmp/ref.btf" ]

# no temporary left in DIR (btfenc's are named .NAME.XXXXXX)
no_temps()
{
	! ls -A "$1" | grep -q '^\..*\.[A-Za-z0-9]\{6\}$'
}

# a character device is written through and stays a device.  As root, a
# private node of /dev/null's numbers is tried first, so that a regression
# cannot replace the system's /dev/null.
if [ "$(id -u)" -eq 0 ] && mknod "$tmp/null" c 1 3 2>/dev/null; then
	check "-o on a char device: exit 0" "$BTFENC" -o "$tmp/null" "$tmp/k.o"
	check "the device is still a char device" [ -c "$tmp/null" ]
	check "no temporary beside the device" no_temps "$tmp"
fi
if [ "$nr_failed" -eq 0 ]; then
	check "-o /dev/null: exit 0" "$BTFENC" -o /dev/null "$tmp/k.o"
	check "/dev/null is still a char device" [ -c /dev/null ]
fi

# /dev/full: written through, so the device's error is the run's
"$BTFENC" -o /dev/full "$tmp/k.o" 2>"$tmp/err"
check "-o /dev/full: exit 1" [ $? -eq 1 ]
check "-o /dev/full: message names it" grep -q "^btfenc: /dev/full: cannot write: No space left on device" "$tmp/err"
check "/dev/full is still a char device" [ -c /dev/full ]

# a FIFO's reader gets the bytes
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/fifo.out" &
reader=$!
check "-o FIFO: exit 0" "$BTFENC" -o "$tmp/fifo" "$tmp/k.o"
wait "$reader"
check "the FIFO's reader got the BTF" cmp "$tmp/ref.btf" "$tmp/fifo.out"
check "the FIFO is still a FIFO" [ -p "$tmp/fifo" ]

# /dev/stdout is the descriptor as the shell opened it (appending too)
"$BTFENC" -o /dev/stdout "$tmp/k.o" >"$tmp/stdout.btf"
check "-o /dev/stdout" cmp "$tmp/ref.btf" "$tmp/stdout.btf"
echo head >"$tmp/append"
"$BTFENC" -o /dev/stdout "$tmp/k.o" >>"$tmp/append"
{ echo head; cat "$tmp/ref.btf"; } >"$tmp/append.want"
check "-o /dev/stdout appends when stdout does" cmp "$tmp/append.want" "$tmp/append"

"$BTFENC" -o - "$tmp/k.o" >"$tmp/dash.btf"
check "-o - is standard output" cmp "$tmp/ref.btf" "$tmp/dash.btf"

# a symlink chain: the last target is replaced, the links stay links
mkdir "$tmp/d" "$tmp/e"
echo old >"$tmp/e/target.btf"
ln -s ../e/target.btf "$tmp/d/link1"
ln -s link1 "$tmp/d/link2"
check "-o through two symlinks: exit 0" "$BTFENC" -o "$tmp/d/link2" "$tmp/k.o"
check "the target got the BTF" cmp "$tmp/ref.btf" "$tmp/e/target.btf"
check "link2 is still a symlink" [ -L "$tmp/d/link2" ]
check "link1 is still a symlink" [ -L "$tmp/d/link1" ]
check "link1 still names its target" [ "$(readlink "$tmp/d/link1")" = ../e/target.btf ]
check "no temporary beside the links" no_temps "$tmp/d"
check "no temporary beside the target" no_temps "$tmp/e"

# a dangling symlink: its target is created, the link kept
ln -s ../e/new.btf "$tmp/d/dangling"
check "-o dangling symlink: exit 0" "$BTFENC" -o "$tmp/d/dangling" "$tmp/k.o"
check "the dangling link's target was created" cmp "$tmp/ref.btf" "$tmp/e/new.btf"
check "the dangling link is still a symlink" [ -L "$tmp/d/dangling" ]
# ... into a directory that does not exist: an error naming both
ln -s ../nodir/x.btf "$tmp/d/nowhere"
"$BTFENC" -o "$tmp/d/nowhere" "$tmp/k.o" 2>"$tmp/err"
check "dangling link into no directory: exit 1" [ $? -eq 1 ]
check "dangling link into no directory: message" grep -q "d/nowhere: cannot write .*nodir/x.btf: No such file or directory" "$tmp/err"
check "dangling link into no directory: link kept" [ -L "$tmp/d/nowhere" ]
# a symlink loop
ln -s loop2 "$tmp/d/loop1"
ln -s loop1 "$tmp/d/loop2"
"$BTFENC" -o "$tmp/d/loop1" "$tmp/k.o" 2>"$tmp/err"
check "symlink loop: exit 1" [ $? -eq 1 ]
check "symlink loop: message" grep -q "loop1: cannot write.*symbolic links" "$tmp/err"

# -J through a symlink: the ELF file it names is rewritten, the link stays
cp "$tmp/k.o" "$tmp/e/j.o"
ln -s ../e/j.o "$tmp/d/j.o"
check "-J through a symlink: exit 0" "$BTFENC" -J "$tmp/d/j.o"
check "-J: the target has .BTF" bash -c "'$BTFENC' --dump '$tmp/e/j.o' | grep -q \"STRUCT 'task_struct'\""
check "-J: the link is still a symlink" [ -L "$tmp/d/j.o" ]

# a directory as the output
mkdir "$tmp/dir.btf"
"$BTFENC" -o "$tmp/dir.btf" "$tmp/k.o" 2>"$tmp/err"
check "-o DIR: exit 1" [ $? -eq 1 ]
check "-o DIR: message" grep -q "dir.btf: cannot write: Is a directory" "$tmp/err"

# a full file system: exit 1, the file named, no output and no temporary
if [ "$(id -u)" -eq 0 ] && mkdir "$tmp/mnt" &&
   mount -t tmpfs -o size=64k tmpfs "$tmp/mnt" 2>/dev/null; then
	trap 'umount "$tmp/mnt" 2>/dev/null; rm -rf "$tmp"' EXIT
	head -c 60000 /dev/zero >"$tmp/mnt/fill" 2>/dev/null
	# about 20 KB of BTF where one 4 KB page is left
	for i in $(seq 300); do
		echo "struct big_$i { int member_a_$i; long member_b_$i; } v_$i;"
	done >"$tmp/big.c"
	gcc -g -c "$tmp/big.c" -o "$tmp/big.o"
	"$BTFENC" -o "$tmp/mnt/big.btf" "$tmp/big.o" 2>"$tmp/err"
	check "full file system: exit 1" [ $? -eq 1 ]
	check "full file system: message" grep -q "mnt/big.btf: cannot write: No space left on device" "$tmp/err"
	check "full file system: no output" [ ! -e "$tmp/mnt/big.btf" ]
	check "full file system: no temporary" no_temps "$tmp/mnt"
	umount "$tmp/mnt"
fi

finish
