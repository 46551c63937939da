#!/bin/bash
# References across units, on hand-written DWARF (tests/xref/*.s, assembled
# here; dwarf.inc has the abbreviations), each file a few DIEs:
#  - valid: types that point to each other across units; a partial unit
#    imported by two units and twice by one; a type taken from a
#    supplementary file.  Each must give the BTF of the same types written
#    in C and compiled by gcc (the oracle), with no message.
#  - invalid: a DW_FORM_ref_addr to where no DIE starts or past the
#    section; a typedef/const cycle across units; a DW_FORM_ref_sig8
#    reference; type units (gcc -fdebug-types-section, DWARF 4 and 5); a
#    supplementary file missing or with another build-id.  Each must give
#    exit status 1 (not a hang: 20 s at most), no output file, and a
#    message naming the file and the DIE (or what was looked for).
# Nothing here may be read as void: that is how wrong BTF is written.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
need_cmd as ld gcc readelf
need_tool btfcanon
xref=$top_srcdir/tests/xref
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

# asm NAME OUT [SYMBOL...]: assemble tests/xref/NAME.s, --defsym SYMBOL=1
asm()
{
	local name=$1 out=$2 s args=()

	shift 2
	for s in "$@"; do
		args+=(--defsym "$s=1")
	done
	as -I "$xref" "${args[@]}" -o "$out" "$xref/$name.s"
}

# oracle OUT: the canonical dump of the types of the C on stdin, as gcc
# describes them in one unit and btfenc encodes them (run-fixtures.sh holds
# that encoding to pahole's)
oracle()
{
	local out=$1

	cat >"$out.c" &&
	gcc -g -gdwarf-4 -fno-eliminate-unused-debug-types -c -o "$out.o" "$out.c" &&
	"$BTFENC" -o "$out.btf" "$out.o" &&
	canon "$out.btf" >"$out"
}

# bad LABEL INPUT PATTERN... [-- ARGS...]: `btfenc ARGS -o OUT INPUT` exits
# 1 within 20 s, leaves no OUT, and its error (warnings aside) names INPUT
# and matches each PATTERN (ERE)
bad()
{
	local label=$1 input=$2 out=$tmp/bad.btf st p pats=()

	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		pats+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	rm -f "$out"
	timeout 20 "$BTFENC" "$@" -o "$out" "$input" >/dev/null 2>"$tmp/bad.err"
	st=$?
	[ $st -eq 124 ] && echo "$label: still running after 20 s"
	check "$label: exit status 1 (got $st): $(head -c 300 "$tmp/bad.err")" [ $st -eq 1 ]
	check "$label: no output file" [ ! -e "$out" ]
	# the error, not a warning before it
	grep -v '^btfenc: warning: ' "$tmp/bad.err" >"$tmp/bad.msg"
	check "$label: the message names $(basename "$input")" \
		grep -qF -- "$(basename "$input")" "$tmp/bad.msg"
	for p in "${pats[@]}"; do
		check "$label: the message says /$p/" grep -qE -- "$p" "$tmp/bad.msg"
	done
}

# good LABEL INPUT ORACLE [ARGS...]: btfenc ARGS encodes INPUT silently,
# giving the types of ORACLE (a canonical dump); returns 0 when it encoded
good()
{
	local label=$1 input=$2 ref=$3 out=$tmp/good.btf st

	shift 3
	rm -f "$out"
	timeout 20 "$BTFENC" "$@" -o "$out" "$input" 2>"$tmp/good.err"
	st=$?
	check "$label: encodes (exit $st): $(head -c 300 "$tmp/good.err")" [ $st -eq 0 ] || return 1
	check "$label: no message" [ ! -s "$tmp/good.err" ]
	canon "$out" >"$tmp/good.canon" || { fail "$label: btfcanon cannot read it"; return 1; }
	diff -u "$ref" "$tmp/good.canon" >"$tmp/good.diff"
	check "$label: the types of the C oracle" [ ! -s "$tmp/good.diff" ] ||
		cat "$tmp/good.diff"
	check "$label: nothing of type void" \
		sh -c '! grep -qE "[A-Za-z0-9_]:void\b" "$1"' sh "$tmp/good.canon"
	return 0
}

# (a) a reference to where no DIE starts, or past the section
for v in MID_DIE IN_HEADER AT_END PAST_END; do
	f=$tmp/dangling-$v.o
	asm dangling "$f" $v || { fail "as dangling.s --defsym $v"; continue; }
	bad "ref_addr to no DIE ($v)" "$f" 'DIE 0x[0-9a-f]+'
done

# (b) a supplementary file: found, missing, another build-id
id=5e1f0a17000102030405060708090a0b0c0d0e0f
mkdir -p "$tmp/alt"
if asm alt "$tmp/alt.o" && asm alt-supp "$tmp/alt-supp.o" &&
   ld -shared -o "$tmp/alt/alt.so" "$tmp/alt.o" &&
   ld -shared --build-id=0x$id -o "$tmp/xref-supp.debug" "$tmp/alt-supp.o" &&
   ld -shared --build-id="0xdeadbeef$(printf %032d 0)" -o "$tmp/other-supp.debug" "$tmp/alt-supp.o"; then
	oracle "$tmp/alt.canon" <<-'EOF'
	struct T { int x; };
	struct S { struct T m; };
	EOF
	bad "supplementary file missing" "$tmp/alt/alt.so" supplementary 'xref-supp\.debug'
	cp "$tmp/other-supp.debug" "$tmp/alt/xref-supp.debug"
	bad "supplementary file with another build-id" "$tmp/alt/alt.so" build-id
	bad "--supplementary with another build-id" "$tmp/alt/alt.so" build-id \
		-- --supplementary "$tmp/other-supp.debug"
	cp "$tmp/xref-supp.debug" "$tmp/alt/xref-supp.debug"
	check "oracle: readelf follows the link to struct T" \
		sh -c 'readelf --debug-dump=info "$1" 2>/dev/null | grep -q "DW_AT_name *: T$"' \
		sh "$tmp/alt/alt.so"
	good "supplementary file beside the object" "$tmp/alt/alt.so" "$tmp/alt.canon"
	rm -f "$tmp/alt/xref-supp.debug"
	good "--supplementary" "$tmp/alt/alt.so" "$tmp/alt.canon" \
		--supplementary "$tmp/xref-supp.debug"
else
	fail "cannot assemble and link alt.s, alt-supp.s"
fi

# (c) cycles across units: through structs (valid), through a typedef and
# a const (invalid: no type can be made)
if asm cycle "$tmp/cycle.o"; then
	oracle "$tmp/cycle.canon" <<-'EOF'
	struct B;
	struct A { struct B *b; };
	struct B { struct A *a; struct A inner; };
	EOF
	good "struct cycle across units" "$tmp/cycle.o" "$tmp/cycle.canon"
else
	fail "as cycle.s"
fi
asm badcycle "$tmp/badcycle.o" && bad "typedef/const cycle across units" "$tmp/badcycle.o" 'DIE 0x[0-9a-f]+'
asm badcycle "$tmp/badself.o" SELF && bad "typedef of itself through ref_addr" "$tmp/badself.o" 'DIE 0x[0-9a-f]+'

# (d) a partial unit imported by two units, and twice by one of them
if asm import "$tmp/import.o" && asm import "$tmp/import2.o" TWICE; then
	oracle "$tmp/import.canon" <<-'EOF'
	struct S { int x; };
	struct U1 { struct S s; };
	struct U2 { struct S *p; };
	EOF
	good "partial unit imported by two units" "$tmp/import.o" "$tmp/import.canon" &&
		cp "$tmp/good.btf" "$tmp/import.btf"
	good "partial unit imported twice by one unit" "$tmp/import2.o" "$tmp/import.canon" &&
		check "imported twice: the same bytes as once" cmp "$tmp/import.btf" "$tmp/good.btf"
else
	fail "as import.s"
fi

# (e) type units and their signatures
asm sig8 "$tmp/sig8.o" && bad "ref_sig8 to no type unit" "$tmp/sig8.o" 'DIE 0x[0-9a-f]+'
for ver in 4 5; do
	f=$tmp/type-units-dwarf$ver.so
	gcc -shared -fPIC -g -gdwarf-$ver -fdebug-types-section -I"$top_srcdir/tests/units" \
		-o "$f" "$top_srcdir/tests/units/a.c" || { fail "gcc -fdebug-types-section"; continue; }
	check "oracle: gcc -gdwarf-$ver made DW_FORM_ref_sig8 references" \
		sh -c 'readelf --debug-dump=abbrev "$1" | grep -q DW_FORM_ref_sig8' sh "$f"
	bad "type units, DWARF $ver" "$f" 'DIE 0x[0-9a-f]+'
done
finish
