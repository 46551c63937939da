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

# same_obj NAME OBJ: --min OBJ at -j1 and -j2 gives the bytes of
# minimizing the whole BTF; the -j2 run's --stats in $tmp/NAME.stats
same_obj()
{
	local name=$1 obj=$tmp/$2 j

	"$BTFENC" -o "$tmp/$name-full.btf" "$tmp/$name.so" || return 1
	"$BTFENC" --min "$obj" -o "$tmp/$name-ref.btf" \
		"$tmp/$name-full.btf" || return 1
	for j in 1 2; do
		"$BTFENC" -j$j --stats --min "$obj" \
			-o "$tmp/$name-j$j.btf" "$tmp/$name.so" \
			2>"$tmp/$name.stats" || return 1
		cmp "$tmp/$name-ref.btf" "$tmp/$name-j$j.btf" || return 1
	done
	[ -s "$tmp/$name-ref.btf" ]
}

same()
{
	same_obj "$1" shapes.o
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

check "builds a flavor of 'other'" \
	input rival "" "-DRIVAL" "-DLONELY" || finish
check "'other' and 'other___v2', candidates of one record: the same bytes" \
	same rival
check "... from every unit" \
	grep -q "every unit to read ('other' and 'other___v2' could be candidates of one record)" \
	"$tmp/rival.stats"

# A member whose name follows 260 bytes of other values, in a struct of
# two shapes: the scan must read it whole to tell
check "clang builds long-values.bpf.c" \
	bpf_cc clang "$src/long-values.bpf.c" "$tmp/long-values.o" || finish
check "assembles long-values.s" \
	eval 'gcc -c "$src/long-values.s" -o "$tmp/lv.o" &&
	      gcc -shared -nostdlib -o "$tmp/lv.so" "$tmp/lv.o"' || finish
check "'hs' with long values: the same bytes" same_obj lv long-values.o
check "... from every unit" \
	grep -q "every unit to read (struct/union 'hs' has definitions of more than one shape)" \
	"$tmp/lv.stats"

# A type nested in a type (C++): read with it, or where it is at the top
if command -v g++ >/dev/null; then
	# cxx NAME SRC...: a shared object of the C++ units SRC (in $src)
	cxx()
	{
		local name=$1 f objs=()

		shift
		for f in "$@"; do
			g++ -g -O0 -fPIC -c "$src/$f.cc" -o "$tmp/$name-$f.o" || return 1
			objs+=("$tmp/$name-$f.o")
		done
		g++ -shared -nostdlib -o "$tmp/$name.so" "${objs[@]}"
	}
	check "clang builds nested.bpf.c" \
		bpf_cc clang "$src/nested.bpf.c" "$tmp/nested.o" || finish
	check "g++ builds 'K' only inside 'S'" cxx nest nested_a nested_b || finish
	check "'K' only inside 'S': the same bytes" same_obj nest nested.o
	check "... from every unit" \
		grep -q "every unit to read (struct/union 'K' has definitions only inside other types)" \
		"$tmp/nest.stats"
	check "g++ builds 'K' inside 'S' and at the top" \
		cxx top nested_a nested_b nested_c || finish
	check "'K' also at the top: the same bytes" same_obj top nested.o
	check "... from some units" grep -q "scan .*: [12] of 3 units to read" \
		"$tmp/top.stats"
	check "... with 'K'" grep -q "STRUCT 'K'" <("$BTFENC" --dump "$tmp/top-j2.btf")
else
	echo "note: g++ is not installed: types nested in types not tested"
fi

# Bad DWARF: --min fails where encoding the whole input fails, whatever it
# reads, and writes nothing; else it gives the bytes of minimizing that
for f in "$top_srcdir"/tests/hostile/dwarf-*.o; do
	b=$(basename "$f" .o)
	rm -f "$tmp/h-full.btf" "$tmp/h-min.btf"
	"$BTFENC" -o "$tmp/h-full.btf" "$f" 2>/dev/null
	full=$?
	"$BTFENC" --min "$tmp/shapes.o" -o "$tmp/h-min.btf" "$f" 2>"$tmp/h.err"
	min=$?
	if [ $full -ne 0 ]; then
		check "$b: refused ($(head -c 120 "$tmp/h.err"))" \
			[ $min -ne 0 ] && [ ! -e "$tmp/h-min.btf" ] && [ -s "$tmp/h.err" ]
	else
		"$BTFENC" --min "$tmp/shapes.o" -o "$tmp/h-ref.btf" "$tmp/h-full.btf"
		check "$b: read, the bytes of minimizing its whole BTF" \
			cmp "$tmp/h-ref.btf" "$tmp/h-min.btf"
	fi
done
finish
