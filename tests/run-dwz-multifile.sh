#!/bin/bash
# dwz over shared objects built here from tests/units/*.c (dwz refuses ET_REL
# files), in the shapes distributions ship:
#  - multifile (-m): the DIEs the objects share move into a supplementary
#    file, which each object names in .gnu_debugaltlink (name and build-id)
#    and reaches with DW_FORM_GNU_ref_alt / DW_FORM_GNU_strp_alt; with -5,
#    in .debug_sup with DW_FORM_ref_sup4 / DW_FORM_strp_sup;
#  - single file: partial units imported (DW_TAG_imported_unit) by the
#    compile units of one object, reached with DW_FORM_ref_addr.
# Each object's BTF must be that of its copy without dwz, in types and in
# bytes; the supplementary file must be found beside the object (the link
# is relative to it), through --debug-dir (DIR/.build-id/XX/YYYY.debug and
# DIR/.dwz/NAME) and through --supplementary; a missing one and one with
# another build-id are errors (exit 1, no output) that name the object and
# what was looked for.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
need_cmd gcc dwz readelf objcopy od
need_tool btfcanon
src=$top_srcdir/tests/units
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

# build DIR DWARF_VERSION [CFLAGS...]: a.so, b.so and c.so in DIR, one per
# source, and their copies in DIR/orig/
build()
{
	local dir=$1 ver=$2 s

	shift 2
	mkdir -p "$dir/orig" || return 1
	for s in a b c; do
		gcc -shared -fPIC -g -gdwarf-"$ver" -O1 "$@" -I"$src" \
			-o "$dir/$s.so" "$src/$s.c" || return 1
		cp "$dir/$s.so" "$dir/orig/" || return 1
	done
}

# link_build_id FILE: the build-id by which FILE names its supplementary
# file, in hex.  .gnu_debugaltlink: the file name, a NUL, the build-id.
# .debug_sup (DWARF 5): version (2 bytes), is_supplementary (1), the file
# name, a NUL, the ULEB128 length of the checksum (the build-id), its
# bytes.  The checksum of a supplementary file's own .debug_sup is its id.
link_build_id()
{
	local f=$1 sec=$2

	objcopy --dump-section "$sec=$tmp/link.bin" "$f" "$tmp/link.tmp" || return 1
	rm -f "$tmp/link.tmp"
	od -An -v -tx1 "$tmp/link.bin" | tr -s ' \n' '\n\n' | grep . |
		awk -v sup="$([ "$sec" = .debug_sup ] && echo 1 || echo 0)" '
			sup && NR <= 3 { next }
			!named { if ($1 == "00") named = 1; next }
			sup && !len { len = 1; next }
			{ printf "%s", $1 }
			END { print "" }'
}

# enc OUT INPUT [ARGS...]: btfenc ARGS -o OUT INPUT; stderr in OUT.err
enc()
{
	local out=$1 input=$2

	shift 2
	timeout 60 "$BTFENC" "$@" -o "$out" "$input" 2>"$out.err"
	local rc=$?
	[ -s "$out.err" ] && head -n 3 "$out.err"
	return $rc
}

# same LABEL BTF REF_BTF: the same types, then the same bytes (two checks)
same()
{
	local label=$1 btf=$2 ref=$3

	[ -s "$btf" ] || { fail "$label: no BTF written"; return 1; }
	canon "$ref" >"$ref.canon" && canon "$btf" >"$btf.canon" ||
		{ fail "$label: btfcanon cannot read it"; return 1; }
	diff "$ref.canon" "$btf.canon" >"$btf.diff"
	check "$label: the same types as without dwz ($(grep -c '^[<>]' "$btf.diff") lines differ)" \
		[ ! -s "$btf.diff" ] || head -n 6 "$btf.diff"
	check "$label: the same bytes as without dwz" cmp -s "$ref" "$btf"
}

# refused LABEL INPUT "WORDS" [ARGS...]: btfenc ARGS -o OUT INPUT exits 1,
# writes no OUT, and its error (warnings aside) says INPUT's file name and
# each of WORDS
refused()
{
	local label=$1 input=$2 words=$3 out=$tmp/refused.btf rc w

	shift 3
	rm -f "$out"
	timeout 60 "$BTFENC" "$@" -o "$out" "$input" >/dev/null 2>"$tmp/refused.err"
	rc=$?
	check "$label: exit status 1 (got $rc)" [ $rc -eq 1 ]
	check "$label: no output file" [ ! -e "$out" ]
	# the error, not a warning before it
	grep -v '^btfenc: warning: ' "$tmp/refused.err" >"$tmp/refused.msg"
	for w in "$(basename "$input")" $words; do
		check "$label: the message says '$w': $(head -c 300 "$tmp/refused.msg")" \
			grep -qF -- "$w" "$tmp/refused.msg"
	done
}

# The reference: each object's BTF before dwz
encode_orig()
{
	local dir=$1 s

	for s in a b c; do
		enc "$dir/orig/$s.btf" "$dir/orig/$s.so" ||
			{ fail "${dir##*/}: btfenc on $s.so without dwz"; return 1; }
	done
}

# multifile NAME DWARF_VERSION SECTION FORM [DWZ_FLAGS...]
multifile()
{
	local name=$1 ver=$2 sec=$3 form=$4 dir=$tmp/$1 s id sid dd

	shift 4
	build "$dir" "$ver" || { fail "$name: gcc -gdwarf-$ver -shared"; return; }
	encode_orig "$dir" || return
	check "$name: dwz $* -m common.dwz -M common.dwz a.so b.so c.so" \
		sh -c 'cd "$1" && shift && dwz "$@" -m common.dwz -M common.dwz a.so b.so c.so' \
		sh "$dir" "$@" || return
	check "$name: dwz wrote the supplementary file" [ -s "$dir/common.dwz" ] || return
	for s in a b c; do
		check "$name: $s.so has $sec" \
			sh -c 'readelf -S -W "$1" | grep -qF " $2 "' sh "$dir/$s.so" "$sec"
		check "$name: $s.so refers into the supplementary file ($form)" \
			sh -c 'readelf --debug-dump=abbrev "$1" | grep -qw "$2"' sh "$dir/$s.so" "$form"
	done
	id=$(link_build_id "$dir/a.so" "$sec")
	check "$name: $sec names a build-id ($id)" [ ${#id} -ge 16 ] || return
	if [ "$sec" = .debug_sup ]; then
		# dwz -5 writes no build-id note into the supplementary file: its
		# own .debug_sup holds the same checksum
		sid=$(link_build_id "$dir/common.dwz" .debug_sup)
	else
		sid=$(readelf -n "$dir/common.dwz" | awk '/Build ID:/ { print $3 }')
	fi
	check "$name: it is the supplementary file's ($sid)" [ "$id" = "$sid" ]

	# Beside the object, as the link says
	for s in a b c; do
		enc "$dir/$s.btf" "$dir/$s.so"
		same "$name: $s.so" "$dir/$s.btf" "$dir/orig/$s.btf"
	done
	check "$name: no message" [ ! -s "$dir/a.btf.err" ]

	# Moved away: found through --debug-dir or named, else an error
	mkdir -p "$dir/away" && mv "$dir/common.dwz" "$dir/away/common.dwz"
	refused "$name: supplementary file missing" "$dir/b.so" "supplementary common.dwz"
	dd=$dir/debug-build-id
	mkdir -p "$dd/.build-id/${id:0:2}" &&
		cp "$dir/away/common.dwz" "$dd/.build-id/${id:0:2}/${id:2}.debug"
	enc "$dir/b-build-id.btf" "$dir/b.so" --debug-dir "$dd"
	same "$name: found as --debug-dir DIR/.build-id/${id:0:2}/${id:2}.debug" \
		"$dir/b-build-id.btf" "$dir/orig/b.btf"
	dd=$dir/debug-dwz
	mkdir -p "$dd/.dwz" && cp "$dir/away/common.dwz" "$dd/.dwz/common.dwz"
	enc "$dir/b-dwz.btf" "$dir/b.so" --debug-dir "$dd"
	same "$name: found as --debug-dir DIR/.dwz/common.dwz" \
		"$dir/b-dwz.btf" "$dir/orig/b.btf"
	enc "$dir/c-named.btf" "$dir/c.so" --supplementary "$dir/away/common.dwz"
	same "$name: named with --supplementary" "$dir/c-named.btf" "$dir/orig/c.btf"
	# The supplementary file of other objects, under the name the link
	# gives and named: another build-id
	mkdir -p "$dir/other" && cp "$dir/orig/a.so" "$dir/orig/b.so" "$dir/other/" &&
		(cd "$dir/other" && dwz "$@" -m other.dwz -M common.dwz a.so b.so) ||
		{ fail "$name: dwz on other copies"; return; }
	cp "$dir/other/other.dwz" "$dir/common.dwz"
	[ -n "$(cmp "$dir/common.dwz" "$dir/away/common.dwz" 2>&1)" ] ||
		{ fail "$name: the other supplementary file is the same"; return; }
	refused "$name: a supplementary file with another build-id" "$dir/a.so" "build-id"
	refused "$name: --supplementary with another build-id" "$dir/a.so" "build-id" \
		--supplementary "$dir/other/other.dwz"
}

multifile gnu-dwarf4 4 .gnu_debugaltlink DW_FORM_GNU_ref_alt
multifile gnu-dwarf5 5 .gnu_debugaltlink DW_FORM_GNU_ref_alt
if dwz --help 2>&1 | grep -q -- '--dwarf-5'; then
	multifile sup-dwarf5 5 .debug_sup DW_FORM_ref_sup4 -5
else
	echo "note: this dwz has no -5 (.debug_sup): not tested"
fi

# Single file: the units of one object share partial units
for ver in 4 5; do
	dir=$tmp/single-dwarf$ver
	mkdir -p "$dir"
	gcc -shared -fPIC -g -gdwarf-$ver -O1 -I"$src" -o "$dir/all.so" "$src"/[abc].c ||
		{ fail "gcc -gdwarf-$ver: all.so"; continue; }
	cp "$dir/all.so" "$dir/all-orig.so"
	enc "$dir/orig.btf" "$dir/all-orig.so" || { fail "btfenc on all.so without dwz"; continue; }
	check "dwarf$ver: dwz all.so" dwz "$dir/all.so" || continue
	check "dwarf$ver: dwz made partial units" \
		sh -c 'readelf --debug-dump=info "$1" | grep -q DW_TAG_partial_unit' sh "$dir/all.so"
	check "dwarf$ver: imported with DW_TAG_imported_unit" \
		sh -c 'readelf --debug-dump=info "$1" | grep -q DW_TAG_imported_unit' sh "$dir/all.so"
	for j in 1 2; do
		enc "$dir/dwz-j$j.btf" "$dir/all.so" -j$j
		same "dwarf$ver: all.so after dwz, -j$j" "$dir/dwz-j$j.btf" "$dir/orig.btf"
	done
	check "dwarf$ver: no message" [ ! -s "$dir/dwz-j1.btf.err" ]
done
finish
