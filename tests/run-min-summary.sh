#!/bin/bash
# btfenc --min -v and --stats end with a summary per kernel: how many CO-RE
# relocations resolved, found no candidate, were poisoned or answered an
# existence check with 0, and each missing type.field once, however many
# records, objects or candidates ask for it.  On Debian's libbpf-tools
# objects against Debian's 6.1 BTF and the running kernel's.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
. "$FIXTURES/bpf/min-subr.sh"
need_tool bpfcarve
min_need_btfenc
dir=$(testdata_bpf_objs "$TOOLS/bpfcarve") || skip "libbpf-tools' objects cannot be had here"
objs=("$dir"/*.bpf.o)
[ -f "${objs[0]}" ] || skip "no object in $dir"

# summary_sum FILE: resolved + without candidate + poisoned + false
summary_sum()
{
	sed -n 's/.*CO-RE relocations: \([0-9]*\) resolved, \([0-9]*\) without candidate, \([0-9]*\) poisoned, \([0-9]*\) existence checks false$/\1 \2 \3 \4/p' "$1" |
		awk '{ print $1 + $2 + $3 + $4 }'
}

# summary_failed FILE: without candidate + poisoned + false
summary_failed()
{
	sed -n 's/.*CO-RE relocations: [0-9]* resolved, \([0-9]*\) without candidate, \([0-9]*\) poisoned, \([0-9]*\) existence checks false$/\1 \2 \3/p' "$1" |
		awk '{ print $1 + $2 + $3 }'
}

# records FILE: the distinct records -v speaks of (object, section, index)
records()
{
	grep -o '^btfenc: [^ ]*: [^ ]*: relo #[0-9]*' "$1" | sort -u | wc -l
}

# missing_total FILE: the records behind the missing names
missing_total()
{
	sed -n 's/.*: missing: .* (\([0-9]*\) relocations*)$/\1/p' "$1" |
		awk '{ n += $1 } END { print n + 0 }'
}

min_args=()
for o in "${objs[@]}"; do
	min_args+=(--min "$o")
done

while read -r tname target; do
	log=$tmp/$tname.v
	check "$tname: btfenc -v --min with ${#objs[@]} objects" \
		"$BTFENC" -v "${min_args[@]}" -o "$tmp/$tname.btf" "$target" 2>"$log" || continue
	grep "CO-RE relocations:\|: missing: " "$log" | sed "s/^/$tname: /"
	check "$tname: one summary line, naming the kernel" \
		[ "$(grep -c "^btfenc: $target: CO-RE relocations: " "$log")" = 1 ]
	check "$tname: the summary comes last" \
		eval "! sed -n '/CO-RE relocations: /,\$p' '$log' | tail -n +2 | grep -qv ': missing: '"
	nrec=$(records "$log")
	check "$tname: the counts add up to the $nrec records" [ "$(summary_sum "$log")" = "$nrec" ]
	nothing=$(grep 'relo #' "$log" | grep ': nothing kept$' | grep -o '^btfenc: [^ ]*: [^ ]*: relo #[0-9]*' |
		sort -u | wc -l)
	check "$tname: the failed count is the $nothing records that kept nothing" \
		[ "$(summary_failed "$log")" = "$nothing" ]
	check "$tname: the missing names cover those records" \
		[ "$(missing_total "$log")" = "$nothing" ]
	check "$tname: each missing name once" \
		[ -z "$(sed -n 's/.*: missing: \(.*\) ([0-9]* relocations*)$/\1/p' "$log" | sort | uniq -d)" ]
	check "$tname: missing names are type.field, without ___flavor" \
		eval "! grep ': missing: ' '$log' | grep -q '___\|@\| offset '"

	# the same objects twice: twice the records, the same names once each
	check "$tname: every object given twice" \
		"$BTFENC" -v "${min_args[@]}" "${min_args[@]}" -o "$tmp/$tname-2.btf" "$target" \
		2>"$log.2"
	check "$tname: twice the records counted" \
		[ "$(summary_sum "$log.2")" = $((2 * nrec)) ]
	check "$tname: the same missing names, each once" \
		diff <(sed -n 's/.*: missing: \(.*\) (.*/\1/p' "$log") \
		     <(sed -n 's/.*: missing: \(.*\) (.*/\1/p' "$log.2")
	check "$tname: identical outputs" cmp "$tmp/$tname.btf" "$tmp/$tname-2.btf"

	# --stats alone prints the summary too; without either, nothing
	"$BTFENC" --stats "${min_args[@]}" -o "$tmp/$tname-s.btf" "$target" 2>"$log.s"
	check "$tname: --stats prints the same summary" \
		diff <(grep 'CO-RE relocations: \|: missing: ' "$log") \
		     <(grep 'CO-RE relocations: \|: missing: ' "$log.s")
	"$BTFENC" "${min_args[@]}" -o "$tmp/$tname-q.btf" "$target" 2>"$log.q"
	check "$tname: no summary without -v or --stats" \
		eval "! grep -q 'CO-RE relocations: ' '$log.q'"
done < <(min_targets)

# A kernel without the types: keep opensnoop's types only, then ask for
# biolatency's: its roots have no candidate there, and are named
ref=$(testdata_ref_btf 2>/dev/null) || ref=/sys/kernel/btf/vmlinux
[ -r "$ref" ] || skip "no target BTF at hand"
open=$dir/opensnoop.bpf.o bio=$dir/biolatency.bpf.o
if [ -f "$open" ] && [ -f "$bio" ]; then
	check "opensnoop's types alone" "$BTFENC" --min "$open" -o "$tmp/open.btf" "$ref"
	check "biolatency against them" \
		"$BTFENC" -v --min "$bio" -o "$tmp/bio.btf" "$tmp/open.btf" 2>"$tmp/bio.v"
	grep "CO-RE relocations:\|: missing: " "$tmp/bio.v"
	nc=$(sed -n 's/.*, \([0-9]*\) without candidate,.*/\1/p' "$tmp/bio.v")
	check "records without candidate are counted" [ "${nc:-0}" -gt 0 ]
	check "the paths of the roots with no candidate are named" \
		grep -q ': missing: request\.[a-z_]* ([0-9]* relocations*)$' "$tmp/bio.v"
fi
finish
