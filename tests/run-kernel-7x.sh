#!/bin/bash
# Linux 7.x as distributions build it now: Debian sid's cloud debug kernel,
# whose .BTF was made by pahole 1.32 with the flags of the kernel's own
# scripts/Makefile.btf and then rewritten (name-sorted, kfunc prototypes)
# by resolve_btfids in scripts/gen-btf.sh.
#
# btfenc, as pahole with those flags, on its vmlinux:
#  - every kind but FUNC equals the shipped .BTF (one check per kind),
#    compared independently of type IDs (tests/tools/btfcanon);
#  - FUNC, which resolve_btfids rewrites and each encoder selects by its
#    own rules, is compared with sid's pahole 1.32 run with the same flags
#    on the same file: the name sets differ by under 0.2% each way.  The
#    names that differ are printed, grouped by what the symbol table has
#    for them.
# On about 20 modules, split on the shipped vmlinux .BTF: each kind's
# count within 1% of the module's shipped .BTF, and the canonical
# differences printed.
#
# Everything comes from sid through tests/testdata.sh (about 550 MB of
# packages, downloaded once and cached by version); without it, a skip.
. "${top_srcdir:-$(dirname "$0")/..}/tests/test-subr.sh"
. "$top_srcdir/tests/testdata.sh"
need_tool btfcanon
need_cmd objcopy readelf make

kdir=$(testdata_kernel7) || skip "no Linux 7.x cloud debug kernel from Debian sid can be had here"
tools=$(testdata_sid_tools) || skip "pahole and bpftool from Debian sid cannot be had here"
vmlinux=$kdir/vmlinux
shipped=$kdir/shipped.btf
SIDPAHOLE=$tools/pahole
echo "kernel: $(cat "$kdir/VERSION"); sid pahole $("$SIDPAHOLE" --version), $("$tools/bpftool" version | head -n 1)"
check "sid pahole runs ($("$SIDPAHOLE" --version 2>&1))" "$SIDPAHOLE" --version >/dev/null || finish

ln -s "$BTFENC" "$tmp/pahole"
PAHOLE=$tmp/pahole
stats=$tmp/steps

# timed WHAT COMMAND...: run it, and print how long it took and its peak RSS
timed()
{
	local what=$1 rc
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e s, %M KB peak RSS' -o "$tmp/time" "$@"
		rc=$?
	else
		local s=$SECONDS
		"$@"
		rc=$?
		echo "$((SECONDS - s)) s" >"$tmp/time"
	fi
	echo "time: $what: $(tail -n 1 "$tmp/time")" | tee -a "$stats"
	return $rc
}

# PAHOLE_FLAGS as the kernel's scripts/Makefile.btf gives them for sid's
# pahole, when linux-source-M.m of that kernel can be had; Debian builds
# reproducibly (KBUILD_BUILD_TIMESTAMP set).
flags=
if src=$(testdata_kernel7_scripts); then
	mkdir -p "$tmp/build/include/config"
	pver=$("$src/scripts/pahole-version.sh" "$SIDPAHOLE")
	{
		echo "CONFIG_PAHOLE_VERSION=$pver"
		echo "CONFIG_DEBUG_INFO_BTF=y"
		awk -v v="$pver" '/^config / { c = $2 }
			/def_bool PAHOLE_VERSION >= / && c != "PAHOLE_HAS_BTF_TAG" && v >= $NF {
				print "CONFIG_" c "=y" }' "$src/lib/Kconfig.debug"
	} >"$tmp/build/include/config/auto.conf"
	cat >"$tmp/flags.mk" <<'MK'
include $(BUILD)/include/config/auto.conf
include $(srctree)/scripts/Kbuild.include
include $(srctree)/scripts/Makefile.btf
all:
	@echo '$(PAHOLE_FLAGS)'
MK
	flags=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		make --no-print-directory -s -j2 -f "$tmp/flags.mk" srctree="$src" \
		BUILD="$tmp/build" KBUILD_BUILD_TIMESTAMP=2026-01-01)
	echo "flags from $(cat "$src/PACKAGE") scripts/Makefile.btf (pahole version $pver)"
fi
if [ -z "$flags" ]; then
	flags="-j2 --btf_features=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func,decl_tag_kfuncs"
	echo "note: no linux-source of this kernel: the flags of 7.2's Makefile.btf without attributes and layout"
fi
echo "PAHOLE_FLAGS: $flags"

# --- vmlinux -------------------------------------------------------------
# shellcheck disable=SC2086
timed "btfenc (pahole mode) on vmlinux" \
	"$PAHOLE" -J $flags --btf_encode_detached="$tmp/btfenc.btf" "$vmlinux"
check "btfenc encodes the 7.x vmlinux with the build's flags" [ -s "$tmp/btfenc.btf" ] || finish
# shellcheck disable=SC2086
timed "sid pahole 1.32 on vmlinux" \
	"$SIDPAHOLE" -J $flags --btf_encode_detached="$tmp/pahole.btf" "$vmlinux"
check "sid pahole 1.32 encodes it" [ -s "$tmp/pahole.btf" ] || finish

for f in shipped btfenc pahole; do
	case $f in shipped) b=$shipped ;; *) b=$tmp/$f.btf ;; esac
	canon "$b" >"$tmp/$f.canon" || fail "btfcanon cannot read the $f BTF"
	awk '{ n[$1]++ } END { for (k in n) print k, n[k] }' "$tmp/$f.canon" | sort >"$tmp/$f.counts"
done
echo "types per kind: shipped, btfenc, pahole 1.32; sizes $(stat -c %s "$shipped"), $(stat -c %s "$tmp/btfenc.btf"), $(stat -c %s "$tmp/pahole.btf") bytes"
join -a1 -a2 -e0 -o0,1.2,2.2 "$tmp/shipped.counts" "$tmp/btfenc.counts" |
	join -a1 -a2 -e0 -o0,1.2,1.3,2.2 - "$tmp/pahole.counts" |
	awk '{ printf "%-12s %7s %7s %7s\n", $1, $2, $3, $4 }'

# by_kind KIND REF OURS: lines of KIND only in REF (<) or only in OURS (>)
by_kind()
{
	diff <(awk -v k="$1" '$1 == k' "$2") <(awk -v k="$1" '$1 == k' "$3") | grep '^[<>]'
}

# A difference from the shipped .BTF that pahole 1.32 has too, on the same
# file with the same flags, is not the encoder's: resolve_btfids rewrote
# the shipped .BTF after pahole (kfunc prototypes), or the debug vmlinux is
# the linked one, not the one pahole read in the build (its .BTF_ids sets
# are sorted by the IDs resolve_btfids patched in, so the symbols of a set8
# no longer name the flags beside them).  Such lines are printed, and only
# the others count.
for k in $(cut -d' ' -f1 "$tmp/shipped.counts" "$tmp/btfenc.counts" | sort -u); do
	[ "$k" = FUNC ] && continue
	by_kind "$k" "$tmp/shipped.canon" "$tmp/btfenc.canon" | sort >"$tmp/$k.diff"
	by_kind "$k" "$tmp/shipped.canon" "$tmp/pahole.canon" | sort >"$tmp/$k.pdiff"
	comm -12 "$tmp/$k.diff" "$tmp/$k.pdiff" >"$tmp/$k.shared"
	comm -23 "$tmp/$k.diff" "$tmp/$k.pdiff" >"$tmp/$k.own"
	a=$(grep -c '^<' "$tmp/$k.own")
	b=$(grep -c '^>' "$tmp/$k.own")
	c=$(wc -l <"$tmp/$k.shared")
	also=
	[ "$c" -gt 0 ] && also="; $c more lines differ so in pahole 1.32's output too"
	check "$k: the shipped .BTF's types ($a only there, $b only in btfenc's$also)" \
		[ ! -s "$tmp/$k.own" ] || {
		grep -m 4 '^<' "$tmp/$k.own" | cut -c 1-200
		grep -m 4 '^>' "$tmp/$k.own" | cut -c 1-200
	}
	[ "$c" -gt 0 ] && { echo "  $k: pahole 1.32 differs from the shipped .BTF as btfenc does:"; head -n 4 "$tmp/$k.shared" | cut -c 1-200 | sed 's/^/    /'; }
done

# FUNC: names against pahole 1.32's, grouped by what the symbol table has
# for them: a function symbol of the name, only compiler copies
# (NAME.constprop.N, NAME.isra.N, NAME.part.N, NAME.cold), or nothing.
readelf -sW "$vmlinux" | awk '$4 == "FUNC" { print $8 }' | sort -u >"$tmp/funcsyms"
func_names()
{
	awk '$1 == "FUNC" { print $2 }' "$1" | sort -u
}
func_names "$tmp/pahole.canon" >"$tmp/pahole.funcs"
func_names "$tmp/btfenc.canon" >"$tmp/btfenc.funcs"
func_names "$tmp/shipped.canon" >"$tmp/shipped.funcs"
comm -23 "$tmp/pahole.funcs" "$tmp/btfenc.funcs" >"$tmp/only-pahole"
comm -13 "$tmp/pahole.funcs" "$tmp/btfenc.funcs" >"$tmp/only-btfenc"
# grouped NAMES: one group per reason, its names folded below it
grouped()
{
	awk 'NR == FNR {
		sym[$1] = 1
		if ((i = index($1, ".")) > 1) copy[substr($1, 1, i - 1)] = copy[substr($1, 1, i - 1)] " " substr($1, i)
		next
	}
	{
		if ($1 in sym) { g = "a function symbol of that name"; w = $1 }
		else if ($1 in copy) {
			c = copy[$1]; g = "only compiler copies"
			if (c ~ /\.constprop\./) g = g " (.constprop)"
			else if (c ~ /\.isra\./) g = g " (.isra)"
			else if (c ~ /\.part\./) g = g " (.part)"
			w = $1 "(" substr(c, 2) ")"
		} else { g = "no function symbol"; w = $1 }
		n[g]++; l[g] = l[g] " " w
	}
	END { for (g in n) printf "  %d with %s:\n%s\n", n[g], g, l[g] }' "$tmp/funcsyms" "$1" |
		fold -s -w 150 | sed '/^  [0-9]/!s/^ */      /'
}
np=$(wc -l <"$tmp/pahole.funcs")
a=$(wc -l <"$tmp/only-pahole")
b=$(wc -l <"$tmp/only-btfenc")
echo "FUNC: pahole 1.32 $np, btfenc $(wc -l <"$tmp/btfenc.funcs"), shipped $(wc -l <"$tmp/shipped.funcs")"
check "FUNC: $a of pahole 1.32's $np names not in btfenc's (under 0.2%)" [ $((a * 1000)) -lt $((np * 2)) ]
[ "$a" -gt 0 ] && grouped "$tmp/only-pahole"
check "FUNC: $b names of btfenc's not in pahole 1.32's (under 0.2%)" [ $((b * 1000)) -lt $((np * 2)) ]
[ "$b" -gt 0 ] && grouped "$tmp/only-btfenc"

# Names in both with another prototype, by how they differ: address_space
# type tags (the attributes feature), parameter names only, or more.
comm -12 "$tmp/pahole.funcs" "$tmp/btfenc.funcs" >"$tmp/both"
by_kind FUNC "$tmp/pahole.canon" "$tmp/btfenc.canon" |
	awk 'NR == FNR { both[$1] = 1; next } ($3 in both)' "$tmp/both" - >"$tmp/proto.diff"
perl -ne '
	chomp; my ($side, undef, $name, $rest) = split / /, $_, 4;
	$l{$name}{$side} = $rest;
	END {
		for my $n (sort keys %l) {
			my ($p, $b) = ($l{$n}{"<"} // "", $l{$n}{">"} // "");
			my $g;
			(my $pt = $p) =~ s/type_tag (?:attr )?\x27address_space\(\d+\)\x27 -> //g;
			(my $pn = $p) =~ s/([(,] ?)[A-Za-z_]\w*:/$1:/g;
			(my $bn = $b) =~ s/([(,] ?)[A-Za-z_]\w*:/$1:/g;
			if ($pt eq $b) { $g = "address_space type tags in pahole 1.32 only (attributes)" }
			elsif ($pn eq $bn) { $g = "parameter names only" }
			else { $g = "more than names" }
			push @{$g{$g}}, $n;
			$ex{$g} //= "pahole: $n $p\nbtfenc: $n $b";
		}
		for my $g (sort keys %g) {
			printf "  %d with %s:\n%s\n  for example\n%s\n", scalar @{$g{$g}}, $g, join(" ", @{$g{$g}}), $ex{$g};
		}
	}' "$tmp/proto.diff" | fold -s -w 150 | sed '/^  [0-9f]/!s/^ */      /' >"$tmp/proto.groups"
echo "FUNC: $(awk '/^  [0-9]/ { n += $1 } END { print n + 0 }' "$tmp/proto.groups") names in both with another prototype than pahole 1.32's:"
cat "$tmp/proto.groups"
# FUNC_PROTOs follow the FUNC set: those only in the shipped .BTF that are
# the prototype of a FUNC only pahole keeps
awk 'NR == FNR { o[$1] = 1; next }
	$1 == "FUNC" && ($2 in o) { print "< FUNC_PROTO " substr($0, index($0, "-> func_proto ") + 14) }' \
	"$tmp/only-pahole" "$tmp/pahole.canon" | sort -u >"$tmp/protos-only-pahole"
[ -f "$tmp/FUNC_PROTO.own" ] &&
	echo "FUNC_PROTO: $(sort -u "$tmp/FUNC_PROTO.own" | comm -12 - "$tmp/protos-only-pahole" | wc -l) of the" \
		"$(grep -c '^<' "$tmp/FUNC_PROTO.own") only in the shipped .BTF are prototypes of the FUNCs only pahole 1.32 keeps"
echo "FUNC against the shipped .BTF (after resolve_btfids, not checked):" \
	"$(comm -23 "$tmp/shipped.funcs" "$tmp/btfenc.funcs" | wc -l) only shipped," \
	"$(comm -13 "$tmp/shipped.funcs" "$tmp/btfenc.funcs" | wc -l) only btfenc;" \
	"pahole 1.32: $(comm -23 "$tmp/shipped.funcs" "$tmp/pahole.funcs" | wc -l) only shipped," \
	"$(comm -13 "$tmp/shipped.funcs" "$tmp/pahole.funcs" | wc -l) only pahole"

# --- modules -------------------------------------------------------------
MODULES7="nf_tables btrfs kvm-intel kvm xfs mlx5_core cifs nfsd sunrpc sctp
	bridge tipc ib_core overlay virtio_net veth nf_conntrack ceph dummy crc-itu-t"
nr=0
for m in $MODULES7; do
	ko=$kdir/modules/$m.ko
	[ -f "$ko" ] || { echo "note: $m.ko is not in this kernel"; continue; }
	# shellcheck disable=SC2086
	timed "btfenc (pahole mode) on $m.ko" \
		"$PAHOLE" -J $flags --btf_base "$shipped" --btf_encode_detached="$tmp/$m.btf" "$ko" ||
		{ fail "$m: btfenc --btf_base fails"; continue; }
	# shellcheck disable=SC2086
	timed "sid pahole 1.32 on $m.ko" \
		"$SIDPAHOLE" -J $flags --btf_base "$shipped" --btf_encode_detached="$tmp/$m.pahole.btf" "$ko"
	canon --base "$shipped" --split-only "$ko" >"$tmp/$m.ref" ||
		{ fail "$m: btfcanon on the module's own .BTF"; continue; }
	canon --base "$shipped" --split-only "$tmp/$m.btf" >"$tmp/$m.ours" ||
		{ fail "$m: libbpf cannot parse btfenc's split BTF"; continue; }
	nr=$((nr + 1))
	if canon --base "$shipped" --split-only "$tmp/$m.pahole.btf" >"$tmp/$m.pahole" 2>/dev/null; then
		echo "$m: pahole 1.32 on it: $(wc -l <"$tmp/$m.pahole") types, $(diff "$tmp/$m.ref" "$tmp/$m.pahole" | grep -c '^[<>]') lines differ from the shipped .BTF"
	fi
	join -a1 -a2 -e0 -o0,1.2,2.2 \
		<(awk '{ n[$1]++ } END { for (k in n) print k, n[k] }' "$tmp/$m.ref" | sort) \
		<(awk '{ n[$1]++ } END { for (k in n) print k, n[k] }' "$tmp/$m.ours" | sort) \
		>"$tmp/$m.counts"
	# within 1%: |ours - shipped| * 100 <= shipped
	off=$(awk '{ d = $3 - $2; if (d < 0) d = -d; if (d * 100 > $2) printf " %s %d/%d", $1, $2, $3 }' "$tmp/$m.counts")
	diff "$tmp/$m.ref" "$tmp/$m.ours" | grep '^[<>]' >"$tmp/$m.diff"
	check "$m: every kind's count within 1% of the shipped .BTF's ($(wc -l <"$tmp/$m.ref") types shipped, $(wc -l <"$tmp/$m.ours") btfenc; $(grep -c '^<' "$tmp/$m.diff") lines only shipped, $(grep -c '^>' "$tmp/$m.diff") only btfenc)${off:+; off (shipped/btfenc):$off}" \
		[ -z "$off" ] || {
		for s in '<' '>'; do
			grep "^$s" "$tmp/$m.diff" | awk '{ n[$2]++ } END { for (k in n) printf " %s %d", k, n[k] }' |
				sed "s/^/    $s by kind:/"
			echo
			grep -m 3 "^$s" "$tmp/$m.diff" | cut -c 1-200 | sed 's/^/    /'
		done
	}
done
check "at least 20 modules compared ($nr)" [ "$nr" -ge 20 ]
echo "times:"
cat "$stats"
finish
