#!/bin/bash
# bench/run.sh - btfenc against the tools it replaces, on real inputs.
#
# Encoding: pahole 1.24 --btf_gen_floats --btf_encode_detached vs btfenc, at
# -j1 and -j2, on Debian's cloud vmlinux.  Minimizing: pahole -j2 then
# bpftool gen min_core_btf vs btfenc --min, for the CO-RE objects carved out
# of Debian's libbpf-tools.  Scaling: pahole and btfenc at -j1 per MB of
# .debug_info, on the vmlinux and ten modules of varied size (split BTF on
# Debian's vmlinux .BTF).
#
# The two jobs of a pair run alternately (A B A B ...), since these machines
# are noisy; each row is the median of its runs, and its ratio is against
# the anchor measured in the same loop.  Wall time, peak RSS and CPU time
# come from GNU time (/usr/bin/time -f '%e %M %U %S').  btfenc's outputs
# must be byte-identical across runs and across -j1/-j2; the script says
# whether they are and exits 1 (after printing the tables) when they are not.
#
# Inputs come from tests/testdata.sh, as for the tests.  Everything is
# written under one temporary directory, removed on exit.
set -u -o pipefail

prog=bench/run.sh
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
top_builddir=${top_builddir:-$top_srcdir}
BTFENC=${BTFENC:-$top_builddir/btfenc}
PAHOLE=${PAHOLE:-pahole}
BPFTOOL=${BPFTOOL:-bpftool}
GNU_TIME=${GNU_TIME:-/usr/bin/time}
NR_MODULES=10
MIN_JOBS=2

usage()
{
	cat <<EOF
Usage: $prog [-n N] [--quick] [--anchors-only] [-o FILE] [--btfenc PATH]
Time btfenc against pahole 1.24 (encoding) and pahole + bpftool gen
min_core_btf (minimizing) on Debian's cloud kernel, and print the medians
as Markdown.

Pairs, run alternately (A B A B ...), each ratio against the first of its pair:
  pahole -j1 / btfenc -j1, pahole -j2 / btfenc -j2 (--btf_gen_floats
  --btf_encode_detached=F VMLINUX vs -jN -o F VMLINUX);
  pahole -j2 to F then bpftool gen min_core_btf F OUT OBJS... / btfenc -j2
  --min OBJS... -o OUT VMLINUX, OBJS being the libbpf-tools CO-RE objects;
  per input, pahole -j1 / btfenc -j1 on ten modules of varied .debug_info
  size (split BTF on Debian's vmlinux .BTF), with time and RSS per MB.
btfenc's outputs are checked to be byte-identical across runs and -j1/-j2.

  -n N           runs per job (default 5); the jobs of a pair alternate
      --quick    one run each, vmlinux only (no per-module scaling): a smoke test
      --anchors-only  run pahole and bpftool only, not btfenc
  -o FILE        also write the report to FILE (bench/run.sh -o BENCHMARKS.md)
      --btfenc PATH  the btfenc binary (default: \$BTFENC or ./btfenc of the
                 build tree); rows of a missing binary are marked not run
  -h, --help     print this help

Environment: PAHOLE, BPFTOOL, GNU_TIME (default /usr/bin/time), BTFENC,
BTFENC_TESTDATA (the input cache, see tests/testdata.sh), TMPDIR, CC (to
build tests/tools/bpfcarve when the build tree has none).

Exit status: 0 done; 1 a tool or input is missing, a job failed, or
btfenc's output was not the same across runs and thread counts (the report
is printed and written all the same); 2 usage error.
EOF
}

die()
{
	echo "$prog: $*" >&2
	exit 1
}

say()
{
	echo "$prog: $*" >&2
}

nr_runs=5
quick=false
anchors_only=false
report=
while [ $# -gt 0 ]; do
	case $1 in
	-n) [ $# -ge 2 ] || { usage >&2; exit 2; }; nr_runs=$2; shift ;;
	-n*) nr_runs=${1#-n} ;;
	--quick) quick=true ;;
	--anchors-only) anchors_only=true ;;
	-o) [ $# -ge 2 ] || { usage >&2; exit 2; }; report=$2; shift ;;
	--btfenc) [ $# -ge 2 ] || { usage >&2; exit 2; }; BTFENC=$2; shift ;;
	--btfenc=*) BTFENC=${1#--btfenc=} ;;
	-h|--help) usage; exit 0 ;;
	*) echo "$prog: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done
case $nr_runs in
''|*[!0-9]*|0) echo "$prog: -n: '$nr_runs' is not a positive count" >&2; exit 2 ;;
esac
$quick && nr_runs=1

# --- tools -------------------------------------------------------------

need()
{
	command -v "$1" >/dev/null 2>&1 ||
		die "$1 is missing (Debian package: $2); install it with: apt-get install $2"
}

[ -x "$GNU_TIME" ] ||
	die "GNU time ($GNU_TIME) is missing (Debian package: time); install it with: apt-get install time"
need "$PAHOLE" dwarves
need "$BPFTOOL" bpftool
need readelf binutils
need od coreutils
need sha256sum coreutils

work=$(mktemp -d "${TMPDIR:-/tmp}/btfenc-bench.XXXXXX") || die "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# Time a copy of btfenc, so that a rebuild during the runs cannot mix two
# binaries in one row.
have_btfenc=false
btfenc_why=
btfenc_version=
if $anchors_only; then
	btfenc_why="not run: --anchors-only"
elif [ -x "$BTFENC" ] && "$BTFENC" --version >/dev/null 2>&1; then
	btfenc_version="$("$BTFENC" --version 2>&1 | head -n 1), $(cd "$top_srcdir" &&
		git describe --always --dirty 2>/dev/null || echo 'not a git checkout')"
	cp "$BTFENC" "$work/btfenc" || die "cannot copy $BTFENC"
	BTFENC=$work/btfenc
	have_btfenc=true
else
	btfenc_why="not run: btfenc not built"
	say "btfenc was not built ($BTFENC): its rows are not run"
fi
have_min=false
if $have_btfenc; then
	# the whole help first: grep -q stops reading at its match, and the
	# rest of a help longer than a pipe write would fail under pipefail
	if grep -q -e '--min' <<<"$("$BTFENC" --help 2>&1)"; then
		have_min=true
	else
		say "btfenc --help does not list --min: the --min row is not run"
	fi
fi

# --- inputs ------------------------------------------------------------

# shellcheck source=tests/testdata.sh
. "$top_srcdir/tests/testdata.sh"

kdir=$(testdata_kernel) || die "cannot get the Debian cloud kernel (see tests/testdata.sh)"
ref=$(testdata_ref_btf) || die "cannot extract Debian's .BTF from $kdir/vmlinux"
vmlinux=$kdir/vmlinux

bpfcarve=$top_builddir/tests/tools/bpfcarve
if [ ! -x "$bpfcarve" ]; then
	bpfcarve=$work/bpfcarve
	"${CC:-cc}" -O2 -o "$bpfcarve" "$top_srcdir/tests/tools/bpfcarve.c" ||
		die "cannot build tests/tools/bpfcarve (no C compiler? set CC)"
fi
objdir=$(testdata_bpf_objs "$bpfcarve") || die "cannot get the CO-RE objects of libbpf-tools"
objs=("$objdir"/*.bpf.o)
[ -f "${objs[0]}" ] || die "$objdir holds no *.bpf.o"

# debug_info_bytes FILE: size of .debug_info, decompressed if it is
# compressed (SHF_COMPRESSED with an Elf_Chdr, or a legacy .zdebug_info).
debug_info_bytes()
{
	local f=$1 line off size flags class

	line=$(readelf -SW "$f" | sed -n 's/^ *\[ *[0-9]*\] *//p' |
	       awk '$1 == ".debug_info" || $1 == ".zdebug_info" { print; exit }')
	[ -n "$line" ] || return 1
	# NAME TYPE ADDR OFF SIZE ES [FLG] LK INF AL: FLG may be empty
	# shellcheck disable=SC2086
	set -- $line
	off=$((16#$4)) size=$((16#$5)) flags=
	[ $# -eq 10 ] && flags=$7
	if [ "$1" = .zdebug_info ]; then
		# "ZLIB", then the size as 8 big-endian bytes
		od -An -v -t u1 -j $((off + 4)) -N 8 "$f" |
			awk '{ for (i = 1; i <= NF; i++) s = s * 256 + $i } END { printf "%.0f\n", s }'
	elif [[ $flags == *C* ]]; then
		class=$(readelf -h "$f" | awk '$1 == "Class:" { print $2 }')
		if [ "$class" = ELF64 ]; then
			od -An -t u8 -j $((off + 8)) -N 8 "$f" | tr -d ' '
		else
			od -An -t u4 -j $((off + 4)) -N 4 "$f" | tr -d ' '
		fi
	else
		echo "$size"
	fi
}

# MB are 2^20 bytes; small sizes keep two decimals
mb()
{
	awk -v b="$1" 'BEGIN { printf (b < 10485760 ? "%.2f" : "%.1f"), b / 1048576 }'
}

vmlinux_di=$(debug_info_bytes "$vmlinux") || die "$vmlinux has no .debug_info"

# Ten modules spread evenly over the sizes of those in the cache.
modules=()
if ! $quick; then
	sizes=$work/module-sizes
	for ko in "$kdir"/modules/*.ko; do
		[ -f "$ko" ] || continue
		s=$(debug_info_bytes "$ko") || continue
		echo "$s $ko"
	done | sort -n >"$sizes"
	m=$(wc -l <"$sizes")
	[ "$m" -gt 0 ] || die "$kdir/modules holds no module with .debug_info"
	if [ "$m" -le "$NR_MODULES" ]; then
		picks=$(seq 1 "$m")
	else
		picks=$(awk -v m="$m" -v k="$NR_MODULES" \
			'BEGIN { for (i = 0; i < k; i++) printf "%d\n", 1 + int(i * (m - 1) / (k - 1) + 0.5) }')
	fi
	for p in $picks; do
		modules+=("$(sed -n "${p}p" "$sizes" | cut -d' ' -f2-)")
	done
fi

# Read the inputs once so that the first timed run does not pay for the disk.
cat "$vmlinux" "$ref" "${objs[@]}" "${modules[@]}" >/dev/null

# --- measuring ---------------------------------------------------------

declare -A WALLS=() RSSES=() CPUS=() FAILS=() SIZES=() HASHES=()
M_WALL='' M_RSS='' M_CPU=''

# timed LABEL COMMAND...: run COMMAND under GNU time, leaving its wall
# seconds, peak RSS (KB) and CPU seconds (user + system) in M_WALL, M_RSS
# and M_CPU.  CPU time shows what wall time hides when other work shares the
# machine.  A failure is remembered for LABEL's row, with the first line the
# command printed.
timed()
{
	local label=$1 rc user sys
	shift
	"$GNU_TIME" -f '%e %M %U %S' -o "$work/time" "$@" >"$work/log" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		FAILS[$label]="run $cur_run failed (exit $rc): $(grep -v '^Command exited' "$work/log" | head -n 1)"
		say "$label: ${FAILS[$label]}"
		return 1
	fi
	read -r M_WALL M_RSS user sys <"$work/time"
	M_CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
}

# record LABEL WALL RSS CPU OUTPUT: one run's numbers and output's digest
record()
{
	local label=$1 out=$5
	WALLS[$label]+="$2 "
	RSSES[$label]+="$3 "
	CPUS[$label]+="$4 "
	[ -n "${SIZES[$label]:-}" ] || SIZES[$label]=$(stat -c %s "$out")
	HASHES[$label]+="$(sha256sum <"$out" | cut -c1-64) "
	rm -f "$out"
}

# run_job LABEL COMMAND...: COMMAND writes $work/out
run_job()
{
	local label=$1
	shift
	[ -z "${FAILS[$label]:-}" ] || return 1
	rm -f "$work/out"
	timed "$label" "$@" || return 1
	if [ ! -s "$work/out" ]; then
		FAILS[$label]="run $cur_run: exit 0 but no output"
		say "$label: ${FAILS[$label]}"
		return 1
	fi
	record "$label" "$M_WALL" "$M_RSS" "$M_CPU" "$work/out"
}

# The pipeline the --min mode replaces: pahole -j2 to a file, then bpftool
# on all the objects at once.  Its wall time is the sum, its peak RSS the
# larger of the two; bpftool's own share is kept as a row of its own.
run_min_pipeline()
{
	local label=$1 pw pr pc
	[ -z "${FAILS[$label]:-}" ] || return 1
	rm -f "$work/full.btf" "$work/out"
	timed "$label" "$PAHOLE" --btf_gen_floats --btf_encode_detached="$work/full.btf" \
		-j"$MIN_JOBS" "$vmlinux" || return 1
	pw=$M_WALL pr=$M_RSS pc=$M_CPU
	timed "$label" "$BPFTOOL" gen min_core_btf "$work/full.btf" "$work/out" "${objs[@]}" || return 1
	WALLS[bpftool]+="$M_WALL "
	RSSES[bpftool]+="$M_RSS "
	CPUS[bpftool]+="$M_CPU "
	record "$label" "$(awk -v a="$pw" -v b="$M_WALL" 'BEGIN { print a + b }')" \
		"$((pr > M_RSS ? pr : M_RSS))" \
		"$(awk -v a="$pc" -v b="$M_CPU" 'BEGIN { print a + b }')" "$work/out"
	rm -f "$work/full.btf"
}

pahole_enc() { run_job "$1" "$PAHOLE" --btf_gen_floats --btf_encode_detached="$work/out" "-j$2" "$3"; }
btfenc_enc() { run_job "$1" "$BTFENC" "-j$2" -o "$work/out" "$3"; }
pahole_mod() { run_job "$1" "$PAHOLE" --btf_gen_floats --btf_base="$ref" --btf_encode_detached="$work/out" -j1 "$2"; }
btfenc_mod() { run_job "$1" "$BTFENC" -j1 --base "$ref" -o "$work/out" "$2"; }
btfenc_min() { run_job "$1" "$BTFENC" "-j$MIN_JOBS" --min "${objs[@]}" -o "$work/out" "$vmlinux"; }

median()
{
	[ -n "$1" ] || return 0
	# shellcheck disable=SC2086
	printf '%s\n' $1 | sort -g |
		awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# --- the runs ----------------------------------------------------------

loadavg() { cut -d' ' -f1 /proc/loadavg; }
load_start=$(loadavg)
total=$((nr_runs * (${#modules[@]} + 3)))
step=0
progress()
{
	step=$((step + 1))
	say "[$step/$total] $*"
}

for ((r = 1; r <= nr_runs; r++)); do
	cur_run=$r
	progress "run $r: pahole -j1 / btfenc -j1"
	pahole_enc "pahole -j1" 1 "$vmlinux"
	$have_btfenc && btfenc_enc "btfenc -j1" 1 "$vmlinux"
done
for ((r = 1; r <= nr_runs; r++)); do
	cur_run=$r
	progress "run $r: pahole -j2 / btfenc -j2"
	pahole_enc "pahole -j2" 2 "$vmlinux"
	$have_btfenc && btfenc_enc "btfenc -j2" 2 "$vmlinux"
done
for ((r = 1; r <= nr_runs; r++)); do
	cur_run=$r
	progress "run $r: pahole -j$MIN_JOBS + bpftool min_core_btf / btfenc --min"
	run_min_pipeline "pahole+bpftool"
	$have_min && btfenc_min "btfenc --min"
done
for ko in "${modules[@]}"; do
	m=$(basename "$ko" .ko)
	for ((r = 1; r <= nr_runs; r++)); do
		cur_run=$r
		progress "run $r: $m.ko"
		pahole_mod "pahole $m" "$ko"
		$have_btfenc && btfenc_mod "btfenc $m" "$ko"
	done
done

load_end=$(loadavg)

# --- the report --------------------------------------------------------

# cell LABEL: "wall rss" medians, or nothing when the job has no run
medians()
{
	local w r
	w=$(median "${WALLS[$1]:-}")
	r=$(median "${RSSES[$1]:-}")
	[ -n "$w" ] && echo "$w $r"
}

ratio()
{
	[ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

fmt_s() { awk -v v="$1" 'BEGIN { printf "%.2f", v }'; }
fmt_mb() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1024 }'; }

# why_not LABEL: what to print in place of a job's numbers
why_not()
{
	local label=$1
	if [ -n "${FAILS[$label]:-}" ]; then
		echo "${FAILS[$label]//|/\\|}"
	elif [[ $label != btfenc* ]]; then
		echo "not run"
	elif ! $have_btfenc; then
		echo "$btfenc_why"
	elif [ "$label" = "btfenc --min" ] && ! $have_min; then
		echo "not run: btfenc has no --min yet"
	else
		echo "not run"
	fi
}

# range LIST: "min-max" of the numbers in LIST
range()
{
	# shellcheck disable=SC2086
	printf '%s\n' $1 | sort -g | sed -n '1p;$p' | xargs printf '%.2f\n' | paste -sd '-'
}

# row NAME LABEL [ANCHOR_LABEL]
row()
{
	local name=$1 label=$2 anchor=${3:-} m a w r wr rr runs size
	if ! m=$(medians "$label"); then
		echo "| $name | 0 | $(why_not "$label") | | | | | | |"
		return
	fi
	read -r w r <<<"$m"
	runs=$(wc -w <<<"${WALLS[$label]}")
	[ -z "${FAILS[$label]:-}" ] || runs+=", then failed"
	size=${SIZES[$label]:-}
	if [ -z "$anchor" ]; then
		wr=anchor rr=anchor
	elif a=$(medians "$anchor"); then
		wr=$(ratio "$w" "${a% *}") rr=$(ratio "$r" "${a#* }")
	else
		wr=- rr=-
	fi
	[ "$label" = bpftool ] && wr='' rr='' size=''
	echo "| $name | $runs | $(fmt_s "$w") | $(range "${WALLS[$label]}") |" \
		"$(fmt_s "$(median "${CPUS[$label]}")") | $(fmt_mb "$r") | $wr | $rr | ${size:--} |"
}

distinct()
{
	# shellcheck disable=SC2086
	printf '%s\n' $1 | sort -u | wc -l
}

# Every btfenc output of one input must be the same file.
determinism()
{
	local h n d all_ok=true label

	h="${HASHES["btfenc -j1"]:-}${HASHES["btfenc -j2"]:-}"
	if [ -n "$h" ]; then
		n="$(wc -w <<<"${HASHES["btfenc -j1"]:-}") runs at -j1 and $(wc -w <<<"${HASHES["btfenc -j2"]:-}") at -j2"
		d=$(distinct "$h")
		if [ "$d" -eq 1 ]; then
			echo "- btfenc: the vmlinux BTF is byte-identical across its $n (SHA-256 ${h:0:16}...)."
		else
			echo "- **btfenc: NOT deterministic: $d different vmlinux BTF outputs in $n.**"
			all_ok=false
		fi
	fi
	h=${HASHES["btfenc --min"]:-}
	if [ -n "$h" ]; then
		n=$(wc -w <<<"$h")
		d=$(distinct "$h")
		if [ "$d" -eq 1 ]; then
			echo "- btfenc --min: byte-identical across all $n runs."
		else
			echo "- **btfenc --min: NOT deterministic: $d different outputs in $n runs.**"
			all_ok=false
		fi
	fi
	local bad=()
	n=0
	for ko in "${modules[@]}"; do
		label="btfenc $(basename "$ko" .ko)"
		h=${HASHES[$label]:-}
		[ -n "$h" ] || continue
		n=$((n + 1))
		[ "$(distinct "$h")" -eq 1 ] || bad+=("${label#btfenc }")
	done
	if [ "$n" -gt 0 ]; then
		if [ ${#bad[@]} -eq 0 ]; then
			echo "- btfenc: each module's split BTF is byte-identical across its runs ($n modules)."
		else
			echo "- **btfenc: split BTF differs between runs for: ${bad[*]}.**"
			all_ok=false
		fi
	fi
	for label in "pahole -j1" "pahole -j2" "pahole+bpftool"; do
		h=${HASHES[$label]:-}
		[ -n "$h" ] || continue
		echo "- $label (for comparison): $(distinct "$h") distinct output(s) in $(wc -w <<<"$h") runs."
	done
	$all_ok
}

scaling_row()
{
	local name=$1 di=$2 p=$3 b=$4 pm bm pw pr bw br
	pm=$(medians "$p") || pm=
	bm=$(medians "$b") || bm=
	local dimb
	dimb=$(awk -v b="$di" 'BEGIN { print b / 1048576 }')
	printf '| %s | %s ' "$name" "$(mb "$di")"
	if [ -n "$pm" ]; then
		read -r pw pr <<<"$pm"
		printf '| %s | %s ' "$(fmt_s "$pw")" "$(fmt_mb "$pr")"
	else
		printf '| %s | ' "$(why_not "$p")"
	fi
	if [ -n "$bm" ]; then
		read -r bw br <<<"$bm"
		printf '| %s | %s | %s | %s | %s | %s |\n' "$(fmt_s "$bw")" "$(fmt_mb "$br")" \
			"$(awk -v w="$bw" -v d="$dimb" 'BEGIN { printf "%.3f", w / d }')" \
			"$(awk -v r="$br" -v d="$dimb" 'BEGIN { printf "%.2f", r / 1024 / d }')" \
			"$(ratio "$bw" "${pw:-}")" "$(ratio "$br" "${pr:-}")"
	else
		printf '| %s | | | | | |\n' "$(why_not "$b")"
	fi
}

first_line() { "$@" 2>&1 | head -n 1; }

cmdline=$prog
$anchors_only && cmdline+=" --anchors-only"
if $quick; then
	cmdline+=" --quick"
elif [ "$nr_runs" -ne 5 ]; then
	cmdline+=" -n $nr_runs"
fi
[ -n "$report" ] && cmdline+=" -o $(basename "$report")"

deterministic=true
{
	echo "# Benchmarks"
	echo
	echo "Generated by \`$cmdline\`: $nr_runs run(s) per job, the"
	echo "two jobs of a pair alternating, medians of wall time, CPU time (user + system)"
	echo "and peak RSS (GNU time).  Other work on the machine inflates wall time"
	echo "(see the load average and the min-max spread) more than CPU time."
	echo "Ratios are btfenc / the anchor of the same group, measured in the same loop:"
	echo "below 1 is better.  MB are 2^20 bytes.  Regenerate with"
	echo "\`bench/run.sh -o BENCHMARKS.md\`; \`bench/run.sh --help\` says what it measures."
	echo
	echo "## Machine and tools"
	echo
	echo "- CPUs: $(nproc) ($(awk -F': *' '$1 ~ /^model name/ { print $2; exit }' /proc/cpuinfo)), memory $(awk '$1 == "MemTotal:" { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
	echo "- kernel: $(uname -sr), date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- load average (1 min) before / after the runs: $load_start / $load_end"
	if $have_btfenc; then
		echo "- btfenc: $btfenc_version"
	else
		echo "- btfenc: $btfenc_why"
	fi
	echo "- pahole: $(first_line "$PAHOLE" --version)"
	echo "- bpftool: $("$BPFTOOL" version 2>&1 | head -n 2 | paste -sd ',' | sed 's/,/, /')"
	echo "- GNU time: $GNU_TIME"
	echo
	echo "## Inputs"
	echo
	echo "- vmlinux: $(cat "$kdir/VERSION"), .debug_info $(mb "$vmlinux_di") MB"
	echo "- CO-RE objects: ${#objs[@]}, carved from $(basename "$objdir") (tests/tools/bpfcarve)"
	if [ ${#modules[@]} -gt 0 ]; then
		echo "- modules: ${#modules[@]} of $(find "$kdir/modules" -name '*.ko' | wc -l) in the cache, spread over .debug_info sizes; encoded"
		echo "  as split BTF on Debian's vmlinux .BTF (\`--btf_base\`, \`--base\`)"
	fi
	echo
	echo "## vmlinux: encode and minimize"
	echo
	echo "| job | runs | median wall s | wall min-max s | median CPU s | median peak RSS MB | wall ratio | RSS ratio | output bytes |"
	echo "|---|---|---|---|---|---|---|---|---|"
	row "pahole -j1 --btf_gen_floats --btf_encode_detached" "pahole -j1"
	row "btfenc -j1" "btfenc -j1" "pahole -j1"
	row "pahole -j2 --btf_gen_floats --btf_encode_detached" "pahole -j2"
	row "btfenc -j2" "btfenc -j2" "pahole -j2"
	row "pahole -j$MIN_JOBS, then bpftool gen min_core_btf (${#objs[@]} objects)" "pahole+bpftool"
	row "(bpftool gen min_core_btf alone, from that file)" "bpftool"
	row "btfenc -j$MIN_JOBS --min (${#objs[@]} objects)" "btfenc --min" "pahole+bpftool"
	echo
	if ! $have_btfenc; then
		echo "btfenc's rows are filled in by running \`bench/run.sh -o BENCHMARKS.md\` with a"
	echo "built btfenc."
		echo
	fi
	if [ ${#modules[@]} -gt 0 ]; then
		echo "## Scaling with .debug_info (-j1)"
		echo
		echo "Wall time and peak RSS per MB of .debug_info (decompressed size).  Small"
		echo "modules are dominated by fixed costs (loading the base BTF)."
		echo
		echo "| input | .debug_info MB | pahole s | pahole RSS MB | btfenc s | btfenc RSS MB | btfenc s/MB | btfenc RSS MB/MB | wall ratio | RSS ratio |"
		echo "|---|---|---|---|---|---|---|---|---|---|"
		scaling_row "vmlinux (the -j1 rows above)" "$vmlinux_di" "pahole -j1" "btfenc -j1"
		for ko in "${modules[@]}"; do
			m=$(basename "$ko" .ko)
			scaling_row "$m.ko" "$(debug_info_bytes "$ko")" "pahole $m" "btfenc $m"
		done
		echo
	fi
	if [ ${#FAILS[@]} -gt 0 ]; then
		echo "## Failures"
		echo
		for label in "${!FAILS[@]}"; do
			echo "- $label: ${FAILS[$label]}"
		done | sort
		echo
	fi
	echo "## Determinism"
	echo
	determinism >"$work/determinism" || deterministic=false
	cat "$work/determinism"
	$have_btfenc || echo "- btfenc: not checked (${btfenc_why#not run: })."
} >"$work/report.md"

cat "$work/report.md"
if [ -n "$report" ]; then
	if ! cp "$work/report.md" "$report.tmp.$$" || ! mv -f "$report.tmp.$$" "$report"; then
		rm -f "$report.tmp.$$"
		die "cannot write $report"
	fi
	say "wrote $report"
fi
$deterministic || { say "btfenc's output is not deterministic"; exit 1; }
if [ ${#FAILS[@]} -gt 0 ]; then
	say "${#FAILS[@]} job(s) failed: ${!FAILS[*]}"
	exit 1
fi
exit 0
