#!/bin/bash
# --out-dir's layout: directories created, outputs named RELEASE.btf (a
# trailing .btf or .btf.gz of the input dropped), the manifest merged with
# an earlier run's, identical outputs stored once (hard links), a failing
# input among good ones, and --btfhub with raw BTF named after its release.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
need_cmd gcc python3

cat >"$tmp/a.c" <<'C'
struct task_struct { long state; int pid; struct task_struct *parent; };
struct task_struct init_task;
C
cat >"$tmp/b.c" <<'C'
struct file { unsigned int f_flags; void *private_data; };
struct file a_file;
C
gcc -g -c "$tmp/a.c" -o "$tmp/k1.o"
gcc -g -c "$tmp/a.c" -o "$tmp/k2.o"
gcc -g -c "$tmp/b.c" -o "$tmp/k3.o"
"$BTFENC" -o "$tmp/a.btf" "$tmp/k1.o"
"$BTFENC" -o "$tmp/b.btf" "$tmp/k3.o"

inode() { stat -c %i "$1"; }
json_ok() { python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$1"; }
# manifest DIR KEY: the manifest's entries as "output input [same_as]" lines
entries()
{
	python3 - "$1/manifest.json" <<'PY'
import json, sys
for e in json.load(open(sys.argv[1]))["outputs"]:
    print(e.get("output", "ERROR"), e["input"], e.get("same_as", ""))
PY
}

# directories are created, mkdir -p style
out=$tmp/o/p/q
check "--out-dir creates its directories" "$BTFENC" --out-dir "$out" "$tmp/k1.o"
check "--out-dir: output in the new directory" cmp "$tmp/a.btf" "$out/k1.o.btf"
touch "$tmp/file"
"$BTFENC" --out-dir "$tmp/file/sub" "$tmp/k1.o" 2>"$tmp/err"
check "--out-dir under a file: exit 1" [ $? -eq 1 ]
check "--out-dir under a file: message" grep -q "file/sub: cannot create directory: Not a directory" "$tmp/err"

# names: NAME.btf and NAME.btf.gz inputs give NAME.btf (NAME.btf.gz with --gzip)
cp "$tmp/a.btf" "$tmp/5.4.0-42-generic.btf"
gzip -c "$tmp/b.btf" >"$tmp/5.4.0-43-generic.btf.gz"
check "--out-dir with .btf inputs" "$BTFENC" --out-dir "$tmp/n" \
	"$tmp/5.4.0-42-generic.btf" "$tmp/5.4.0-43-generic.btf.gz"
check "NAME.btf gives NAME.btf" cmp "$tmp/a.btf" "$tmp/n/5.4.0-42-generic.btf"
check "NAME.btf.gz gives NAME.btf" cmp "$tmp/b.btf" "$tmp/n/5.4.0-43-generic.btf"
check "no NAME.btf.btf" [ ! -e "$tmp/n/5.4.0-42-generic.btf.btf" ]
check "--gzip: NAME.btf.gz" "$BTFENC" --gzip --out-dir "$tmp/nz" "$tmp/5.4.0-42-generic.btf"
check "--gzip: gzip of the BTF" cmp "$tmp/a.btf" <(gzip -dc "$tmp/nz/5.4.0-42-generic.btf.gz")

# identical outputs of different inputs: one file, every kernel mapped to it
check "batch of identical kernels" "$BTFENC" --out-dir "$tmp/d" "$tmp/k1.o" "$tmp/k2.o" "$tmp/k3.o"
check "identical outputs are one file" [ "$(inode "$tmp/d/k1.o.btf")" = "$(inode "$tmp/d/k2.o.btf")" ]
check "a different output is its own file" [ "$(inode "$tmp/d/k1.o.btf")" != "$(inode "$tmp/d/k3.o.btf")" ]
check "the linked output holds the bytes" cmp "$tmp/a.btf" "$tmp/d/k2.o.btf"
check "manifest: k2 same_as k1" grep -q "\"input\": \"$tmp/k2.o\", .*\"same_as\": \"$tmp/d/k1.o.btf\"" "$tmp/d/manifest.json"
check "manifest: k3 has no same_as" bash -c "! grep \"k3.o.btf\" '$tmp/d/manifest.json' | grep -q same_as"
check "manifest is valid JSON" json_ok "$tmp/d/manifest.json"

# a second run merges: k3 stays listed, k1 is listed once
check "rerun into the same directory" "$BTFENC" --out-dir "$tmp/d" "$tmp/k1.o"
entries "$tmp/d" >"$tmp/e1"
check "merge: three entries" [ "$(wc -l <"$tmp/e1")" -eq 3 ]
check "merge: k3 kept" grep -q "^$tmp/d/k3.o.btf $tmp/k3.o" "$tmp/e1"
check "merge: k1 listed once" [ "$(grep -c "^$tmp/d/k1.o.btf " "$tmp/e1")" -eq 1 ]
check "rerun with the same bytes keeps the link" [ "$(inode "$tmp/d/k1.o.btf")" = "$(inode "$tmp/d/k2.o.btf")" ]
# an input of an earlier run's bytes is linked to that run's file
cp "$tmp/k3.o" "$tmp/k4.o"
check "rerun with new input" "$BTFENC" --out-dir "$tmp/d" "$tmp/k4.o"
check "dedup across runs" [ "$(inode "$tmp/d/k4.o.btf")" = "$(inode "$tmp/d/k3.o.btf")" ]
check "manifest: k4 same_as k3" grep -q "\"input\": \"$tmp/k4.o\", .*\"same_as\": \"$tmp/d/k3.o.btf\"" "$tmp/d/manifest.json"
# replacing a file that others link to leaves them as they were
mkdir "$tmp/new"
cp "$tmp/k3.o" "$tmp/new/k1.o"
check "rerun with changed bytes" "$BTFENC" --out-dir "$tmp/d" "$tmp/new/k1.o"
check "the changed output" cmp "$tmp/b.btf" "$tmp/d/k1.o.btf"
check "its former link keeps the old bytes" cmp "$tmp/a.btf" "$tmp/d/k2.o.btf"
entries "$tmp/d" >"$tmp/e2"
check "manifest: k2 no longer same_as k1" grep -q "^$tmp/d/k2.o.btf $tmp/k2.o \$" "$tmp/e2"
check "manifest: k1 now from new/k1.o" grep -q "^$tmp/d/k1.o.btf $tmp/new/k1.o" "$tmp/e2"
check "k1 now stored with k3" [ "$(inode "$tmp/d/k1.o.btf")" = "$(inode "$tmp/d/k3.o.btf")" ]
check "manifest: k3 same_as k1 (listed first)" grep -q "^$tmp/d/k3.o.btf $tmp/k3.o $tmp/d/k1.o.btf\$" "$tmp/e2"
check "manifest: four entries" [ "$(wc -l <"$tmp/e2")" -eq 4 ]
check "merged manifest is valid JSON" json_ok "$tmp/d/manifest.json"

# a failing kernel among good ones in a BTFHub batch, one that fails only
# when written (its output path is taken by a directory): the others and
# the manifest are written, and a rerun that succeeds drops the error
mkdir -p "$tmp/fi/x86_64" "$tmp/f/u/1/x86_64/5.4.0-2-generic.btf"
cp "$tmp/a.btf" "$tmp/fi/x86_64/5.4.0-1-generic.btf"
cp "$tmp/b.btf" "$tmp/fi/x86_64/5.4.0-2-generic.btf"
cp "$tmp/a.btf" "$tmp/fi/x86_64/5.4.0-3-generic.btf"
"$BTFENC" --out-dir "$tmp/f" --btfhub u/1 "$tmp/fi/x86_64/5.4.0-"{1,2,3}-generic.btf 2>"$tmp/err"
check "a failing kernel: exit 1" [ $? -eq 1 ]
check "a failing kernel: its output named" grep -q "5.4.0-2-generic.btf: cannot write: Is a directory" "$tmp/err"
check "a failing kernel: the others written" [ -s "$tmp/f/u/1/x86_64/5.4.0-1-generic.btf" -a -s "$tmp/f/u/1/x86_64/5.4.0-3-generic.btf" ]
check "a failing kernel: in the manifest" grep -q "\"input\": \"$tmp/fi/x86_64/5.4.0-2-generic.btf\", \"error\": true" "$tmp/f/manifest.json"
rmdir "$tmp/f/u/1/x86_64/5.4.0-2-generic.btf"
check "rerun of the failed kernel" "$BTFENC" --out-dir "$tmp/f" --btfhub u/1 "$tmp/fi/x86_64/5.4.0-2-generic.btf"
check "the error entry is gone" bash -c "! grep -q '\"error\"' '$tmp/f/manifest.json'"
check "three kernels listed" [ "$(entries "$tmp/f" | wc -l)" -eq 3 ]

# a manifest btfenc cannot read is not overwritten
mkdir "$tmp/m"
echo '{ "outputs": [ { "input": 3 } ] }' >"$tmp/m/manifest.json"
cp "$tmp/m/manifest.json" "$tmp/m.want"
"$BTFENC" --out-dir "$tmp/m" "$tmp/k1.o" 2>"$tmp/err"
check "unreadable manifest: exit 1" [ $? -eq 1 ]
check "unreadable manifest: message" grep -q "m/manifest.json: cannot merge with it: not a manifest as btfenc writes" "$tmp/err"
check "unreadable manifest: left as it was" cmp "$tmp/m.want" "$tmp/m/manifest.json"
check "unreadable manifest: nothing written" [ ! -e "$tmp/m/k1.o.btf" ]
# one written by other tools, keys in another order and unknown ones: merged
cat >"$tmp/m/manifest.json" <<J
{"note": {"by": ["hand", 1, true, null]}, "outputs": [
 {"sha256": "$(sha256sum "$tmp/b.btf" | cut -d' ' -f1)", "bytes": $(stat -c %s "$tmp/b.btf"),
  "output": "$tmp/m/old.btf", "input": "old\\u0001\\"x\\"", "types": 3, "extra": [1, {"a": 2}]}]}
J
cp "$tmp/b.btf" "$tmp/m/old.btf"
check "hand-written manifest: merged" "$BTFENC" --out-dir "$tmp/m" "$tmp/k3.o"
check "hand-written manifest: entry kept" grep -q "\"input\": \"old\\\\u0001\\\\\"x\\\\\"\"" "$tmp/m/manifest.json"
check "hand-written manifest: dedup against it" [ "$(inode "$tmp/m/old.btf")" = "$(inode "$tmp/m/k3.o.btf")" ]

# --btfhub with raw BTF: the release from the file name, the architecture
# from its directory or from --btfhub DISTRO/VERSION/ARCH
mkdir -p "$tmp/hub-in/x86_64"
cp "$tmp/a.btf" "$tmp/hub-in/x86_64/5.4.0-42-generic.btf"
gzip -c "$tmp/b.btf" >"$tmp/hub-in/x86_64/5.4.0-43-generic.btf.gz"
check "--btfhub with raw BTF" "$BTFENC" --out-dir "$tmp/h" --btfhub ubuntu/20.04 \
	"$tmp/hub-in/x86_64/5.4.0-42-generic.btf" "$tmp/hub-in/x86_64/5.4.0-43-generic.btf.gz"
check "--btfhub raw: RELEASE.btf" cmp "$tmp/a.btf" "$tmp/h/ubuntu/20.04/x86_64/5.4.0-42-generic.btf"
check "--btfhub raw gzip: RELEASE.btf" cmp "$tmp/b.btf" "$tmp/h/ubuntu/20.04/x86_64/5.4.0-43-generic.btf"
check "--btfhub raw: manifest" grep -q "\"output\": \"$tmp/h/ubuntu/20.04/x86_64/5.4.0-42-generic.btf\"" "$tmp/h/manifest.json"
check "--btfhub DISTRO/VERSION/ARCH" "$BTFENC" --out-dir "$tmp/h" --btfhub ubuntu/20.04/arm64 "$tmp/5.4.0-42-generic.btf"
check "--btfhub ARCH: the path" [ -s "$tmp/h/ubuntu/20.04/arm64/5.4.0-42-generic.btf" ]
check "--btfhub: identical kernels across architectures stored once" \
	[ "$(inode "$tmp/h/ubuntu/20.04/arm64/5.4.0-42-generic.btf")" = "$(inode "$tmp/h/ubuntu/20.04/x86_64/5.4.0-42-generic.btf")" ]
check "--btfhub: merged manifest" [ "$(entries "$tmp/h" | wc -l)" -eq 3 ]
"$BTFENC" --out-dir "$tmp/h2" --btfhub ubuntu/20.04 "$tmp/5.4.0-42-generic.btf" 2>"$tmp/err"
check "--btfhub raw without an architecture: exit 1" [ $? -eq 1 ]
check "--btfhub raw without an architecture: message" grep -q "5.4.0-42-generic.btf: --btfhub: raw BTF does not say its architecture" "$tmp/err"
"$BTFENC" --out-dir "$tmp/h2" --btfhub ubuntu/20.04/x86_64 "$tmp/a.btf" 2>"$tmp/err"
check "--btfhub raw not named after a release: exit 1" [ $? -eq 1 ]
check "--btfhub raw not named after a release: message" grep -q "a.btf: --btfhub: raw BTF has no \"Linux version\" banner, and its file name is not a kernel release" "$tmp/err"
check "--btfhub failures: no output" [ -z "$(find "$tmp/h2" -name '*.btf')" ]

# --btfhub --min on raw BTF, as for BTFHub's archives
if command -v clang >/dev/null && cat >"$tmp/prog.c" <<'C' &&
struct task_struct { int pid; } __attribute__((preserve_access_index));
__attribute__((section("kprobe/a"), used)) int a(struct task_struct *t) { return t->pid; }
C
   clang -target bpf -O2 -g -c "$tmp/prog.c" -o "$tmp/prog.bpf.o" 2>/dev/null; then
	check "--btfhub --min on raw BTF" "$BTFENC" --min "$tmp/prog.bpf.o" --out-dir "$tmp/hm" \
		--btfhub ubuntu/20.04 "$tmp/hub-in/x86_64/5.4.0-42-generic.btf"
	"$BTFENC" --dump "$tmp/hm/ubuntu/20.04/x86_64/5.4.0-42-generic.btf" >"$tmp/hm.dump"
	check "--btfhub --min keeps task_struct.pid" grep -q "STRUCT 'task_struct' size=24 vlen=1" "$tmp/hm.dump"
fi

finish
