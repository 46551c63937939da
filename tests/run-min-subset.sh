#!/bin/bash
# btfenc --min from DWARF reads only the units that define the types the
# records reach, when each of those names has one shape in the whole input
# (dwarf/dwarf_shape.c): on a many-unit input built from
# tests/fixtures/shapes, the output must be the bytes of minimizing
# btfenc's whole BTF of the same input, at -j1 and -j2, whether a subset
# was read (shapes agree, or disagree only on a type nothing reaches) or
# every unit (a reached type has two shapes).  The Debian kernel's case is
# in run-min-vmlinux.sh.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$FIXTURES/bpf/min-subr.sh"
need_cmd gcc clang
min_need_btfenc
src=$FIXTURES/shapes

check "clang builds shapes.bpf.c" bpf_cc clang "$src/shapes.bpf.c" "$tmp/shapes.o" ||
	finish

# input NAME UNIT-FLAGS...: a shared object of one unit per argument (its
# -D flags, comma-separated), in $tmp/NAME.so
input()
{
	local name=$1 n=0 flags objs=()

	shift
	for flags in "$@"; do
		n=$((n + 1))
		# shellcheck disable=SC2046
		gcc -g -O0 -fPIC -c -DUNIT=$n $(tr ',' ' ' <<<"$flags") \
			"$src/unit.c" -o "$tmp/$name-$n.o" || return 1
		objs+=("$tmp/$name-$n.o")
	done
	gcc -shared -nostdlib -o "$tmp/$name.so" "${objs[@]}"
}

# same NAME: --min at -j1 and -j2 gives the bytes of minimizing the whole
# BTF; the -j2 run's --stats in $tmp/NAME.stats
same()
{
	local name=$1 j

	"$BTFENC" -o "$tmp/$name-full.btf" "$tmp/$name.so" || return 1
	"$BTFENC" --min "$tmp/shapes.o" -o "$tmp/$name-ref.btf" \
		"$tmp/$name-full.btf" || return 1
	for j in 1 2; do
		"$BTFENC" -j$j --stats --min "$tmp/shapes.o" \
			-o "$tmp/$name-j$j.btf" "$tmp/$name.so" \
			2>"$tmp/$name.stats" || return 1
		cmp "$tmp/$name-ref.btf" "$tmp/$name-j$j.btf" || return 1
	done
	[ -s "$tmp/$name-ref.btf" ]
}

# read_units NAME N M: the stats say N of M units were read
read_units()
{
	grep -q "scan .*: $2 of $3 units to read" "$tmp/$1.stats"
}

check "builds one shape of each type" \
	input alike "" "" "" "-DLONELY" "-DLONELY,-DODD_LONELY" || finish
check "one shape of each type reached: the bytes of minimizing the whole BTF" \
	same alike
check "... from one unit of five ('lonely' has two shapes, but nothing reaches it)" \
	read_units alike 1 5
check "the minimized BTF holds what the records reach" \
	grep -q "STRUCT 'sub'" <("$BTFENC" --dump "$tmp/alike-j2.btf")

check "builds 'a_only' and 'b_only' in two units" \
	input split "-DHAS_A" "-DLONELY" "-DHAS_B" || finish
check "'a_only' and 'b_only' defined apart: the same bytes" same split
check "... from two units of three" read_units split 2 3
check "... which hold what the records reach" \
	grep -q "STRUCT 'b_only'" <("$BTFENC" --dump "$tmp/split-j2.btf")

check "builds two shapes of 'other'" \
	input other "" "-DODD_OTHER" "" "-DLONELY" || finish
check "two shapes of 'other', which a record reaches: the same bytes" same other
check "... from every unit, and the stats say why" \
	grep -q "every unit to read (struct/union 'other' has definitions of more than one shape)" \
	"$tmp/other.stats"

check "builds two shapes of 'sub'" \
	input sub "" "" "-DODD_SUB" "-DLONELY" || finish
check "two shapes of 'sub', reached through a pointer: the same bytes" same sub
check "... from every unit" \
	grep -q "every unit to read (struct/union 'sub' has definitions of more than one shape)" \
	"$tmp/sub.stats"

check "builds 'other' of another shape in a unit without 'root'" \
	input lonely "" "" "-DLONELY" "-DLONELY,-DODD_OTHER" || finish
check "'other' of two shapes, one in a unit no record looks at: the same bytes" \
	same lonely
check "... from every unit" \
	grep -q "every unit to read (struct/union 'other'" "$tmp/lonely.stats"
finish
check "one shape: the bytes of minimizing the whole BTF" same alike
check "one shape: one unit of five read" read_units alike 1 5
check "the minimized BTF holds what the records reach" \
	grep -q "STRUCT 'sub'" <("$BTFENC" --dump "$tmp/alike-j2.btf")

check "builds two shapes of a type nothing reaches" \
	input other "" "-DODD_OTHER" "" "-DLONELY" || finish
check "two shapes of 'other', which a record reaches: every unit read" \
	same other
check "... and the stats say why" \
	grep -q "every unit to read (struct/union 'other' has definitions of more than one shape)" \
	"$tmp/other.stats"

check "builds two shapes of 'sub'" \
	input sub "" "" "-DODD_SUB" "-DLONELY" || finish
check "two shapes of 'sub', reached through a pointer: the same bytes" same sub
check "... every unit read" \
	grep -q "every unit to read (struct/union 'sub' has definitions of more than one shape)" \
	"$tmp/sub.stats"

check "builds 'other' of two shapes only in units nothing reads it from" \
	input lonely "" "" "-DLONELY" "-DLONELY,-DODD_OTHER" || finish
check "'other' of two shapes, reached: every unit read, the same bytes" \
	same lonely
finish
