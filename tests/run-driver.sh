#!/bin/bash
# The command's own behaviours: --min with objects given either way, batches
# with --out-dir (objects read once, one bad input does not stop the rest),
# --stats, -v and -q, and -j giving the same bytes at every thread count.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
need_cmd gcc clang

cat >"$tmp/kernel.c" <<'C'
struct task_struct { long state; int pid; int tgid; struct task_struct *parent; long other[4]; };
struct file { unsigned int f_flags; void *private_data; };
int use(struct task_struct *t, struct file *f) { return t->pid + (int)f->f_flags; }
C
cat >"$tmp/prog.c" <<'C'
struct task_struct { int pid; } __attribute__((preserve_access_index));
struct file { unsigned int f_flags; } __attribute__((preserve_access_index));
__attribute__((section("kprobe/a"), used)) int a(struct task_struct *t) { return t->pid; }
C
cat >"$tmp/prog2.c" <<'C'
struct file { unsigned int f_flags; } __attribute__((preserve_access_index));
__attribute__((section("kprobe/b"), used)) int b(struct file *f) { return f->f_flags; }
C
gcc -g -c "$tmp/kernel.c" -o "$tmp/k1.o"
gcc -g -O2 -c "$tmp/kernel.c" -o "$tmp/k2.o"
clang -target bpf -O2 -g -c "$tmp/prog.c" -o "$tmp/prog.bpf.o" ||
	skip "clang cannot build BPF objects here"
clang -target bpf -O2 -g -c "$tmp/prog2.c" -o "$tmp/prog2.bpf.o"

# --min OBJ INPUT keeps task_struct with pid only, at its real offset
check "--min" "$BTFENC" --min "$tmp/prog.bpf.o" -o "$tmp/m.btf" "$tmp/k1.o"
"$BTFENC" --dump "$tmp/m.btf" >"$tmp/m.dump"
check "--min keeps task_struct" grep -q "STRUCT 'task_struct' size=56 vlen=1" "$tmp/m.dump"
check "--min keeps pid at bit 64" grep -q "'pid' type_id=[0-9]* bits_offset=64" "$tmp/m.dump"
check "--min drops what no relocation reaches" bash -c "! grep -q \"'file'\" '$tmp/m.dump'"

# objects listed after --min, or --min repeated: the same result
"$BTFENC" --min "$tmp/prog.bpf.o" "$tmp/prog2.bpf.o" -o "$tmp/both1.btf" "$tmp/k1.o"
"$BTFENC" --min "$tmp/prog.bpf.o" --min "$tmp/prog2.bpf.o" -o "$tmp/both2.btf" "$tmp/k1.o"
check "--min a b == --min a --min b" cmp "$tmp/both1.btf" "$tmp/both2.btf"
check "two objects keep both roots" bash -c "'$BTFENC' --dump '$tmp/both1.btf' | grep -q \"STRUCT 'file'\""

# --out-dir: one file per input, named after it
mkdir "$tmp/out"
check "--out-dir" "$BTFENC" --min "$tmp/prog.bpf.o" --out-dir "$tmp/out" "$tmp/k1.o" "$tmp/k2.o"
check "--out-dir wrote k1.o.btf" cmp "$tmp/out/k1.o.btf" "$tmp/m.btf"
check "--out-dir wrote k2.o.btf" [ -s "$tmp/out/k2.o.btf" ]
# a bad input in a batch: exit 1, the others still written
mkdir "$tmp/out2"
echo "not ELF" >"$tmp/bad.o"
"$BTFENC" --out-dir "$tmp/out2" "$tmp/k1.o" "$tmp/bad.o" "$tmp/k2.o" 2>"$tmp/err"
check "batch with a bad input: exit 1" [ $? -eq 1 ]
check "batch: bad input named" grep -q "bad.o" "$tmp/err"
check "batch: good inputs written" [ -s "$tmp/out2/k1.o.btf" -a -s "$tmp/out2/k2.o.btf" ]
check "batch: nothing for the bad input" [ ! -e "$tmp/out2/bad.o.btf" ]
"$BTFENC" -o "$tmp/x.btf" "$tmp/k1.o" "$tmp/k2.o" 2>"$tmp/err"
check "two INPUTs without --out-dir: exit 2" [ $? -eq 2 ]

# the manifest of a batch: input, output, types, bytes, sha256
check "--out-dir writes manifest.json" [ -s "$tmp/out/manifest.json" ]
sum=$(sha256sum "$tmp/out/k1.o.btf" | cut -d' ' -f1)
check "manifest: k1.o's checksum" grep -q "\"input\": \"$tmp/k1.o\", \"output\": \"$tmp/out/k1.o.btf\", \"types\": [0-9]*, \"bytes\": $(stat -c %s "$tmp/out/k1.o.btf"), \"sha256\": \"$sum\"" "$tmp/out/manifest.json"
check "manifest: the bad input marked" grep -q "\"input\": \"$tmp/bad.o\", \"error\": true" "$tmp/out2/manifest.json"
if command -v python3 >/dev/null; then
	check "manifest is valid JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/out2/manifest.json"
fi

# gzip output: --gzip, or implied by -o NAME.gz; deterministic
"$BTFENC" -o "$tmp/s0.btf" "$tmp/k1.o"
"$BTFENC" -o "$tmp/k1.btf.gz" "$tmp/k1.o"
"$BTFENC" --gzip -o "$tmp/k1b.gz" "$tmp/k1.o"
check "-o NAME.gz is gzip" bash -c "gzip -dc '$tmp/k1.btf.gz' | cmp - '$tmp/s0.btf'"
check "--gzip gives the same bytes" cmp "$tmp/k1.btf.gz" "$tmp/k1b.gz"
check "--dump reads gzip" bash -c "'$BTFENC' --dump '$tmp/k1.btf.gz' | grep -q task_struct"

# BTFHub's layout: DIR/DISTRO/VERSION/ARCH/RELEASE.btf, the release read
# from the kernel's banner
cat >"$tmp/banner.c" <<'C'
const char linux_banner[] = "Linux version 6.99.0-7-test (builder@host) (gcc) #1 SMP\n";
struct task_struct { int pid; };
int f(struct task_struct *t) { return t->pid + linux_banner[0]; }
C
gcc -g -c "$tmp/banner.c" -o "$tmp/vmlinux-x"
check "--btfhub" "$BTFENC" --min "$tmp/prog.bpf.o" --out-dir "$tmp/hub" --btfhub ubuntu/20.04 --gzip "$tmp/vmlinux-x"
check "--btfhub path" [ -s "$tmp/hub/ubuntu/20.04/x86_64/6.99.0-7-test.btf.gz" ]
check "--btfhub manifest" grep -q "ubuntu/20.04/x86_64/6.99.0-7-test.btf.gz" "$tmp/hub/manifest.json"
"$BTFENC" --out-dir "$tmp/hub2" --btfhub ubuntu/20.04 "$tmp/k1.o" 2>"$tmp/err"
check "--btfhub without a banner: exit 1" [ $? -eq 1 ]
check "--btfhub without a banner: message" grep -q "k1.o: --btfhub: no kernel release found" "$tmp/err"
"$BTFENC" --btfhub ubuntu/20.04 -o "$tmp/x" "$tmp/k1.o" 2>/dev/null
check "--btfhub without --out-dir: exit 2" [ $? -eq 2 ]

# --stats
"$BTFENC" --stats -o "$tmp/s.btf" "$tmp/k1.o" 2>"$tmp/stats"
check "--stats: read phase" grep -q "stats: .*k1.o: read .* s, peak RSS" "$tmp/stats"
check "--stats: dedup phase" grep -q "stats: .*k1.o: dedup" "$tmp/stats"
check "--stats: kinds after dedup" grep -q "types after dedup: .*STRUCT 2" "$tmp/stats"
# dedup streams along with reading on more than one thread only
"$BTFENC" -j1 --stats -o "$tmp/s1.btf" "$tmp/k1.o" 2>"$tmp/stats1"
check "--stats -j1: dedup after reading" grep -q "k1.o: dedup after reading" "$tmp/stats1"
"$BTFENC" -j2 --stats -o "$tmp/s2.btf" "$tmp/k1.o" 2>"$tmp/stats2"
check "--stats -j2: dedup while reading" grep -q "k1.o: dedup partly while reading" "$tmp/stats2"
check "--stats: the same bytes streamed or not" cmp "$tmp/s1.btf" "$tmp/s2.btf"

# -v says what each relocation resolved to; -q prints nothing on success
"$BTFENC" -v --min "$tmp/prog.bpf.o" -o "$tmp/v.btf" "$tmp/k1.o" 2>"$tmp/v"
check "-v reports relocations" grep -qi "relo\|task_struct" "$tmp/v"
"$BTFENC" -q --min "$tmp/prog.bpf.o" -o "$tmp/q.btf" "$tmp/k1.o" 2>"$tmp/q"
check "-q is silent" [ ! -s "$tmp/q" ]

# -j: the same bytes at every thread count
for j in 1 2 3 8; do
	"$BTFENC" -j $j -o "$tmp/j$j.btf" "$tmp/k2.o"
done
check "-j1 == -j2 == -j3 == -j8" bash -c "cmp '$tmp/j1.btf' '$tmp/j2.btf' && cmp '$tmp/j1.btf' '$tmp/j3.btf' && cmp '$tmp/j1.btf' '$tmp/j8.btf'"
finish
