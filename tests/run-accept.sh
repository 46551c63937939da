#!/bin/bash
# Accept what the kernel accepts: for every file of tests/hostile/ and for
# raw BTF made by mutating real BTF (anonymous INTs as old pahole versions
# wrote them, an ARRAY's index type, names, vlen and kind_flag where the
# kernel checks them), btfenc --dump accepts exactly when libbpf's
# btf__parse accepts and the kernel's verifier loads it.  Where bpf() is
# refused, the verdict the kernel gave when the case was written stands
# in.  Then --min of libbpf-tools objects against Debian's 6.1 BTF turned
# into such old-style BTF (every ARRAY indexed by an anonymous INT).
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
need_cmd gcc python3
need_tool btfparse btfload

kernel=no
kernel_can_load_btf && kernel=yes
echo "the kernel's verifier is asked: $kernel"

cat >"$tmp/mutate.py" <<'PY'
import struct, sys, os
# Raw BTF mutations: mutate.py IN.btf OUTDIR writes OUTDIR/CASE.btf and
# prints "CASE load|refuse", what the kernel does with it (little-endian)
src = open(sys.argv[1], 'rb').read()
out = sys.argv[2]
KINDS = dict(INT=1, PTR=2, ARRAY=3, STRUCT=4, UNION=5, ENUM=6, FWD=7, TYPEDEF=8,
             VOLATILE=9, CONST=10, RESTRICT=11, FUNC=12, FUNC_PROTO=13, VAR=14,
             DATASEC=15, FLOAT=16, DECL_TAG=17, TYPE_TAG=18, ENUM64=19)

def parse(b):
    hdr_len, toff, tlen, soff, slen = struct.unpack_from('<IIIII', b, 4)
    base = hdr_len + toff
    types, pos = [None], base
    while pos < base + tlen:
        name, info, sz = struct.unpack_from('<III', b, pos)
        kind, vlen = (info >> 24) & 0x1f, info & 0xffff
        extra = {1: 4, 3: 12, 4: 12 * vlen, 5: 12 * vlen, 6: 8 * vlen, 13: 8 * vlen,
                 14: 4, 15: 12 * vlen, 17: 4, 19: 12 * vlen}.get(kind, 0)
        types.append((kind, pos))
        pos += 12 + extra
    return types

def first(b, kind):
    for i, t in enumerate(parse(b)[1:], 1):
        if t[0] == KINDS[kind]:
            return i, t[1]
    return None, None

def set32(b, off, v):
    struct.pack_into('<I', b, off, v)

def append_type(b, rec):
    hdr_len, toff, tlen, soff, slen = struct.unpack_from('<IIIII', b, 4)
    at = hdr_len + toff + tlen
    b[at:at] = rec
    struct.pack_into('<II', b, 12, tlen + len(rec), soff + (len(rec) if soff >= toff + tlen else 0))
    return len(parse(b)) - 1

def info(kind, vlen=0, kflag=0):
    return (kflag << 31) | (KINDS[kind] << 24) | vlen

# each case with what the kernel's verifier says of it (True: loads)
cases = {}
def case(name, kernel_loads):
    def reg(f):
        cases[name] = (f, kernel_loads)
        return f
    return reg

@case('anon-int', True)
def _(b):
    _, off = first(b, 'INT'); set32(b, off, 0)
@case('anon-array-index', True)
def _(b):
    # old pahole: every ARRAY's index type an anonymous 4-byte INT
    iid = append_type(b, struct.pack('<IIII', 0, info('INT'), 4, 32))
    for k, off in parse(b)[1:]:
        if k == KINDS['ARRAY']:
            set32(b, off + 16, iid)
@case('anon-float', True)
def _(b):
    _, off = first(b, 'FLOAT'); set32(b, off, 0)
@case('anon-typedef', False)
def _(b):
    _, off = first(b, 'TYPEDEF'); set32(b, off, 0)
@case('anon-func', False)
def _(b):
    _, off = first(b, 'FUNC'); set32(b, off, 0)
@case('anon-fwd', False)
def _(b):
    append_type(b, struct.pack('<III', 0, info('FWD'), 0))
@case('named-ptr', False)
def _(b):
    _, off = first(b, 'PTR'); set32(b, off, struct.unpack_from('<I', b, first(b, 'STRUCT')[1])[0])
@case('named-array', False)
def _(b):
    _, off = first(b, 'ARRAY'); set32(b, off, struct.unpack_from('<I', b, first(b, 'STRUCT')[1])[0])
@case('float-size-3', False)
def _(b):
    _, off = first(b, 'FLOAT'); set32(b, off + 8, 3)
@case('anon-struct-member', True)
def _(b):
    _, off = first(b, 'STRUCT'); set32(b, off + 12, 0)
@case('int-size-3-named', True)
def _(b):
    append_type(b, struct.pack('<IIII', struct.unpack_from('<I', b, first(b, 'INT')[1])[0], info('INT'), 3, 24))
@case('func-proto-kflag', False)
def _(b):
    _, off = first(b, 'FUNC_PROTO'); v = struct.unpack_from('<I', b, off + 4)[0]; set32(b, off + 4, v | (1 << 31))
@case('array-index-char', True)
def _(b):
    for i, (k, o) in enumerate(parse(b)[1:], 1):
        if k == 1 and struct.unpack_from('<I', b, o + 8)[0] == 1:
            _, off = first(b, 'ARRAY'); set32(b, off + 16, i); return
    raise TypeError
# an ARRAY's index type set to another type: (case, loads, the type's ID)
def set_index(b, iid):
    if iid is None:
        raise TypeError
    _, off = first(b, 'ARRAY')
    set32(b, off + 16, iid)
def new_int(b, size, data):
    return append_type(b, struct.pack('<IIII', 0, info('INT'), size, data))
for name, loads, target in [
    ('array-index-struct', False, lambda b: first(b, 'STRUCT')[0]),
    ('array-index-typedef', True, lambda b: first(b, 'TYPEDEF')[0]),
    ('array-index-bitfield-int', False, lambda b: new_int(b, 4, 3)),
    ('array-index-offset-int', False, lambda b: new_int(b, 4, (8 << 16) | 8)),
    ('array-index-size-3', False, lambda b: new_int(b, 3, 24)),
    ('array-index-ptr', False, lambda b: first(b, 'PTR')[0]),
    ('array-index-float', False, lambda b: first(b, 'FLOAT')[0]),
    ('array-index-void', False, lambda b: 0),
    ('array-index-const-int', True, lambda b: append_type(
        b, struct.pack('<III', 0, info('CONST'), first(b, 'INT')[0]))),
]:
    case(name, loads)(lambda b, target=target: set_index(b, target(b)))
# an anonymous INT appended: (case, kernel loads, size, int data)
for name, loads, size, data in [
    ('anon-int-bool', True, 1, (4 << 24) | 8),
    ('int-size-3', True, 3, 24),
    ('int-bits-0', True, 4, 0),
    ('int-two-encodings', False, 4, (3 << 24) | 32),
    ('int-bits-over-size', False, 1, 16),
    ('int-size-32', True, 32, 32),
    ('int-encoding-8', False, 4, (8 << 24) | 32),
    ('int-offset-bits', True, 4, (4 << 16) | 28),
    ('int-offset-over-size', False, 4, (8 << 16) | 32),
    ('int-bits-129', False, 32, 129),
]:
    case(name, loads)(lambda b, size=size, data=data:
                      append_type(b, struct.pack('<IIII', 0, info('INT'), size, data)))
# the first type of a kind given a vlen or kind_flag: (case, loads, kind, vlen, kflag)
for name, loads, kind, vlen, kflag in [
    ('int-kflag', False, 'INT', 0, 1),
    ('int-vlen', False, 'INT', 1, 0),
    ('ptr-kflag', False, 'PTR', 0, 1),
    ('array-kflag', False, 'ARRAY', 0, 1),
    ('array-vlen', False, 'ARRAY', 1, 0),
    ('typedef-kflag', False, 'TYPEDEF', 0, 1),
    ('float-kflag', False, 'FLOAT', 0, 1),
    ('float-vlen', False, 'FLOAT', 1, 0),
]:
    def set_info(b, kind=kind, vlen=vlen, kflag=kflag):
        _, off = first(b, kind)
        set32(b, off + 4, info(kind, vlen, kflag))
    case(name, loads)(set_info)
@case('unchanged', True)
def _(b):
    pass

os.makedirs(out, exist_ok=True)
for name, (f, kernel_loads) in cases.items():
    b = bytearray(src)
    try:
        f(b)
    except TypeError:
        continue	# the input lacks the kind this case needs
    open(os.path.join(out, name + '.btf'), 'wb').write(b)
    print(name, 'load' if kernel_loads else 'refuse')
PY

cat >"$tmp/k.c" <<'C'
typedef unsigned int u32;
struct s { int a; char name[16]; float f; struct s *next; u32 x; _Bool b; };
struct s v;
int fn(struct s *p) { return p->a + p->name[1]; }
C
gcc -g -c "$tmp/k.c" -o "$tmp/k.o"
"$BTFENC" -o "$tmp/k.btf" "$tmp/k.o"
python3 "$tmp/mutate.py" "$tmp/k.btf" "$tmp/m" >"$tmp/cases"
check "mutations written" [ "$(wc -l <"$tmp/cases")" -ge 30 ]

# verdict FILE: "accepted" or "refused" by btfenc, libbpf and the kernel
enc_verdict() { "$BTFENC" --dump "$1" >/dev/null 2>"$tmp/enc.err" && echo accepted || echo refused; }
lib_verdict() { "$TOOLS/btfparse" "$1" 2>/dev/null && echo accepted || echo refused; }
kern_verdict() { "$TOOLS/btfload" "$1" >/dev/null 2>"$tmp/kern.err" && echo accepted || echo refused; }

# compare FILE KERNEL_WRITTEN: btfenc agrees with libbpf and the kernel
compare()
{
	local f=$1 written=$2 name enc lib kern want
	name=$(basename "$f")
	enc=$(enc_verdict "$f")
	lib=$(lib_verdict "$f")
	kern=$written
	if [ "$kernel" = yes ] && [ "$lib" = accepted ]; then
		kern=$(kern_verdict "$f")
		[ -n "$written" ] && [ "$kern" != "$written" ] &&
			echo "note: $name: the kernel now says $kern (it said $written)"
	fi
	want=$lib
	[ "$lib" = accepted ] && [ -n "$kern" ] && want=$kern
	[ "$lib" = accepted ] && [ "$kern" = refused ] &&
		echo "libbpf accepts, the kernel refuses: $name ($(tail -n 1 "$tmp/kern.err" 2>/dev/null))"
	if [ "$enc" != "$want" ]; then
		echo "$name: btfenc $enc it, libbpf $lib, kernel ${kern:-not asked}"
		[ "$enc" = refused ] && cat "$tmp/enc.err"
		return 1
	fi
	# a refusal names the file and a type or place
	[ "$enc" = accepted ] || grep -q "^btfenc: $f: " "$tmp/enc.err"
}

for f in "$top_srcdir"/tests/hostile/*; do
	check "hostile $(basename "$f"): btfenc agrees" compare "$f" ""
done
while read -r name loads; do
	[ "$loads" = load ] && written=accepted || written=refused
	check "$name: btfenc agrees" compare "$tmp/m/$name.btf" "$written"
done <"$tmp/cases"

# The fuzz targets' raw BTF seeds (fuzz/seeds.sh): btfenc's BTF of every
# fixture, and slices of the running kernel's BTF.  Not the BTF of BPF
# objects among them: the kernel never loads that as it is (libbpf fixes
# its DATASEC sizes and offsets first), so the kernel is no judge of it.
if BTFENC="$BTFENC" bash "$top_srcdir/fuzz/seeds.sh" "$tmp/seeds" >/dev/null 2>&1; then
	n=0
	for f in "$tmp/seeds/fuzz_btf_raw"/*.btf; do
		[ -e "$f" ] || continue
		n=$((n + 1))
		check "fuzz seed $(basename "$f"): btfenc agrees" compare "$f" ""
	done
	check "fuzz seeds compared ($n)" [ "$n" -ge 10 ]
else
	fail "fuzz/seeds.sh failed"
fi

# the anonymous INT is printed as bpftool prints it, and written back
"$BTFENC" --dump "$tmp/m/anon-array-index.btf" >"$tmp/anon.dump"
check "--dump: INT '(anon)'" grep -q "^\[[0-9]*\] INT '(anon)' size=4 bits_offset=0 nr_bits=32 encoding=(none)$" "$tmp/anon.dump"
if command -v bpftool >/dev/null; then
	bpftool btf dump file "$tmp/m/anon-array-index.btf" >"$tmp/anon.bpftool"
	check "--dump: as bpftool's" diff -u "$tmp/anon.bpftool" "$tmp/anon.dump"
fi
check "anonymous INTs: rewritten" "$BTFENC" -o "$tmp/anon.btf" "$tmp/m/anon-array-index.btf"
check "anonymous INTs: libbpf reads the output" "$TOOLS/btfparse" "$tmp/anon.btf"
[ "$kernel" = yes ] &&
	check "anonymous INTs: the kernel loads the output" "$TOOLS/btfload" "$tmp/anon.btf"

# --min of libbpf-tools objects against old-style BTF: Debian's 6.1 BTF
# with every ARRAY indexed by an anonymous INT, as in BTFHub's Kylin 4.19
. "$top_srcdir/tests/testdata.sh"
. "$FIXTURES/bpf/min-subr.sh"
if [ ! -x "$TOOLS/corecheck" ] || [ ! -x "$TOOLS/bpfcarve" ]; then
	echo "note: corecheck or bpfcarve not built: no --min against old-style BTF"
elif ! ref=$(testdata_ref_btf 2>/dev/null); then
	echo "note: Debian's 6.1 BTF cannot be had here: no --min against old-style BTF"
elif ! dir=$(testdata_bpf_objs "$TOOLS/bpfcarve" 2>/dev/null); then
	echo "note: libbpf-tools' objects cannot be had here: no --min against old-style BTF"
else
	"$TOOLS/corecheck" --load /dev/null /sys/kernel/btf/vmlinux >/dev/null 2>&1
	relocate=$?
	"$top_srcdir/tests/tools/old-style-btf" "$ref" "$tmp/old.btf"
	check "old-style BTF: libbpf reads it" "$TOOLS/btfparse" "$tmp/old.btf"
	check "old-style BTF: btfenc reads it" bash -c "'$BTFENC' --dump '$tmp/old.btf' >/dev/null"
	nr=0
	for o in "$dir"/*.bpf.o; do
		b=$(basename "$o" .bpf.o)
		check "old-style BTF: --min $b" "$BTFENC" --min "$o" -o "$tmp/old-$b.btf" "$tmp/old.btf" || continue
		check "old-style BTF: libbpf reads $b's" "$TOOLS/btfparse" "$tmp/old-$b.btf"
		[ "$relocate" -ne 77 ] &&
			check "old-style BTF: $b relocates the same" min_same_relocation "$o" "$tmp/old.btf" "$tmp/old-$b.btf"
		nr=$((nr + 1))
		[ "$nr" -ge 8 ] && break
	done
fi

finish
