#!/bin/bash
# Run every fuzz target that was built (./configure --enable-fuzzing
# CC=clang && make) for SECONDS each; builds nothing.  Corpus:
# fuzz/corpus/<target>/ (made by fuzz/seeds.sh when empty; grown in place), crashes
# saved to fuzz/artifacts/<target>/.  Prints one verdict line per target
# ("PASS: TARGET ..." or "FAIL: TARGET ...");
# exits 1 when a target crashed, leaked, hung or could not run.
# Usage: fuzz/run.sh SECONDS [TARGET...]   (FUZZ_BUILDDIR: where they were built)
set -u
secs=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
case $secs in ''|*[!0-9]*) echo "fuzz/run.sh: SECONDS must be a number" >&2; exit 2 ;; esac
top=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILDDIR:-$top}
targets=${*:-fuzz_btf_raw fuzz_btf_elf fuzz_bpf_obj fuzz_dwarf}
logdir=$build/fuzz/logs
status=0 ran=0
# btfenc's own messages on stderr are noise here (BTFENC_FUZZ_VERBOSE=1: keep)
mask=2
[ -n "${BTFENC_FUZZ_VERBOSE:-}" ] && mask=0

for t in $targets; do
	bin=$build/fuzz/$t
	if [ ! -x "$bin" ]; then
		echo "FAIL: $t not built (configure --enable-fuzzing CC=clang; make fuzz-targets)"
		status=1
		continue
	fi
	corpus=$top/fuzz/corpus/$t art=$build/fuzz/artifacts/$t
	# no seeds yet: make them (compiles test fixtures, runs the built btfenc)
	if [ -z "$(ls -A "$corpus" 2>/dev/null)" ]; then
		BTFENC=$build/btfenc "$top/fuzz/seeds.sh" "$top/fuzz/corpus" >/dev/null 2>&1
	fi
	mkdir -p "$corpus" "$art" "$logdir"
	log=$logdir/$t.log
	# leaks are failures; a hang is an input taking over 25 s
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	timeout -k 10 $((secs + 120)) "$bin" -max_total_time="$secs" -timeout=25 \
		-rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 \
		-close_fd_mask="$mask" \
		-artifact_prefix="$art/" "$corpus" >"$log" 2>&1
	rc=$?
	ran=$((ran + 1))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
	crash=$(grep -oE "Test unit written to [^ ]+" "$log" | tail -1 | cut -d' ' -f5)
	if [ $rc -eq 0 ] && [ -z "$crash" ]; then
		echo "PASS: $t ${secs} s, ${execs:-?} execs, ${cov:-no coverage line}, corpus $(ls "$corpus" | wc -l)"
	else
		status=1
		what=$(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer): [a-zA-Z-]+|runtime error: .*|ALARM: .*' "$log")
		echo "FAIL: $t (exit $rc): ${what:-see log}; input ${crash:-none saved}; log $log"
	fi
done
[ $ran -gt 0 ] || { echo "fuzz/run.sh: no fuzz target was built"; exit 1; }
exit $status
