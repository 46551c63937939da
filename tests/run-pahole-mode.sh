#!/bin/bash
# Invoked as "pahole", btfenc takes pahole's BTF options: the results equal
# btfenc's own for the same features, --version satisfies the kernel's
# pahole-version.sh, and other pahole options are refused.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
need_cmd gcc bpftool objcopy

ln -s "$BTFENC" "$tmp/pahole"
P=$tmp/pahole
cat >"$tmp/a.c" <<'C'
struct s { int a; double d; struct s *next; };
enum big { B = 1ull << 40 };
int f(struct s *p, enum big b) { return p->a + (int)b; }
C
gcc -g -c "$tmp/a.c" -o "$tmp/a.o"

v=$("$P" --version)
check "--version is vMAJOR.MINOR ($v)" grep -Eqx 'v[0-9]+\.[0-9]+' <<<"$v"
# what scripts/pahole-version.sh computes from it
ver=$(sed -E 's/v([0-9]+)\.([0-9]+)/\1\2/' <<<"$v")
check "pahole-version.sh reads it as >= 124" [ "$ver" -ge 124 ]
check "--supported_btf_features" bash -c "'$P' --supported_btf_features | grep -q 'enum64'"

check "--btf_encode_detached" "$P" --btf_gen_floats --btf_encode_detached="$tmp/p.btf" "$tmp/a.o"
check "same as btfenc --features=default" bash -c \
	"'$BTFENC' --features=float,var,decl_tag,type_tag,enum64,encode_force -o '$tmp/b.btf' '$tmp/a.o' && cmp '$tmp/p.btf' '$tmp/b.btf'"
check "-j and --lang_exclude accepted" "$P" -j --lang_exclude=rust --btf_gen_floats --btf_encode_detached="$tmp/j.btf" "$tmp/a.o"
check "-j4 accepted" "$P" -j4 --btf_encode_detached="$tmp/j4.btf" "$tmp/a.o"

# no FLOAT without --btf_gen_floats (pahole's historical default)
"$P" --btf_encode_detached="$tmp/nf.btf" "$tmp/a.o"
check "no FLOAT without --btf_gen_floats" bash -c "! bpftool btf dump file '$tmp/nf.btf' | grep -q ' FLOAT '"
"$P" --btf_features=default --btf_encode_detached="$tmp/df.btf" "$tmp/a.o"
check "--btf_features=default has FLOAT" bash -c "bpftool btf dump file '$tmp/df.btf' | grep -q ' FLOAT '"
"$P" --btf_gen_floats --skip_encoding_btf_enum64 --btf_encode_detached="$tmp/ne.btf" "$tmp/a.o"
check "--skip_encoding_btf_enum64: no ENUM64" bash -c "! bpftool btf dump file '$tmp/ne.btf' | grep -q ' ENUM64 '"
# several lists add up, as in pahole (6.8+'s Makefile.btf gives two)
"$P" --btf_features=var,enum64 --btf_features=float --btf_encode_detached="$tmp/two.btf" "$tmp/a.o"
check "two --btf_features lists add up (FLOAT from the second)" bash -c \
	"bpftool btf dump file '$tmp/two.btf' | grep -q ' FLOAT '"
check "two --btf_features lists: the same as btfenc --features=var,enum64,float" bash -c \
	"'$BTFENC' --features=var,enum64,float -o '$tmp/two-own.btf' '$tmp/a.o' && cmp '$tmp/two.btf' '$tmp/two-own.btf'"
"$P" --btf_features=default,no_such_feature --btf_encode_detached="$tmp/u.btf" "$tmp/a.o"
check "--btf_features ignores unknown names" [ $? -eq 0 ]
"$P" --btf_features_strict=no_such_feature --btf_encode_detached="$tmp/u2.btf" "$tmp/a.o" 2>"$tmp/err"
check "--btf_features_strict refuses unknown names" [ $? -eq 2 ]

# -J as the kernel's link step uses it, and --btf_base for a module
cp "$tmp/a.o" "$tmp/J.o"
check "-J" "$P" -J --btf_gen_floats "$tmp/J.o"
objcopy --dump-section .BTF="$tmp/J.btf" "$tmp/J.o" /dev/null
check "-J wrote the same BTF" cmp "$tmp/J.btf" "$tmp/p.btf"
printf 'struct s { int a; double d; struct s *next; };\nstruct m { struct s *s; };\nint g(struct m *m) { return m->s->a; }\n' >"$tmp/m.c"
gcc -g -c "$tmp/m.c" -o "$tmp/m.o"
check "--btf_base FILE (separate argument)" "$P" --btf_gen_floats --btf_base "$tmp/p.btf" --btf_encode_detached="$tmp/m.btf" "$tmp/m.o"
check "split output reads on its base" bpftool -B "$tmp/p.btf" btf dump file "$tmp/m.btf" >/dev/null

"$P" --show_reuse "$tmp/a.o" >/dev/null 2>"$tmp/err"
check "a non-BTF pahole option exits 2" [ $? -eq 2 ]
check "... saying why" grep -q 'only pahole.s BTF encoding options' "$tmp/err"
finish
