#!/bin/bash
# Make the seed corpora of the fuzz targets from real files, into
# DIR/<target>/ (default fuzz/corpus).  Nothing here is committed: seeds are
# rebuilt from the compilers, the CO-RE objects of the test data cache and
# the running kernel's BTF.  Usage: fuzz/seeds.sh [DIR] (btfenc must be built)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/fuzz/corpus}
btfenc=${BTFENC:-$top/btfenc}
fix=$top/tests/fixtures
tools=$(ls -d /var/cache/btfenc-testdata/libbpf-tools-*/ 2>/dev/null | head -1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ASAN_OPTIONS=detect_leaks=0

mkdir -p "$out"/{fuzz_btf_raw,fuzz_btf_elf,fuzz_bpf_obj,fuzz_dwarf}
have() { command -v "$1" >/dev/null 2>&1; }

# DWARF: the C fixtures, gcc and clang, DWARF 4 and 5, -O0/-O1, compressed
for src in "$fix"/*.c; do
	b=$(basename "$src" .c)
	for cc in gcc clang; do
		have $cc || continue
		for v in 4 5; do
			$cc -g -gdwarf-$v -O1 -c "$src" -o "$tmp/$b-$cc-$v.o" 2>/dev/null || continue
			cp "$tmp/$b-$cc-$v.o" "$out/fuzz_dwarf/"
		done
		$cc -g -O0 -gz=zlib -c "$src" -o "$out/fuzz_dwarf/$b-$cc-z.o" 2>/dev/null ||
			rm -f "$out/fuzz_dwarf/$b-$cc-z.o"
	done
done
# another machine and 32-bit, as cross builds make them
have clang && for tgt in aarch64-linux-gnu i386-linux-gnu; do
	clang -target $tgt -g -O1 -c "$fix/structs.c" -o "$out/fuzz_dwarf/structs-$tgt.o" 2>/dev/null ||
		rm -f "$out/fuzz_dwarf/structs-$tgt.o"
done

# raw BTF: btfenc on each DWARF seed (small, real)
for o in "$out"/fuzz_dwarf/*-4.o; do
	"$btfenc" -q -o "$out/fuzz_btf_raw/$(basename "$o" .o).btf" "$o" 2>/dev/null
done

# BPF objects: the CO-RE fixtures (both byte orders) and libbpf-tools
for src in "$fix"/bpf/*.bpf.c; do
	b=$(basename "$src" .bpf.c)
	for t in bpf bpfeb; do
		clang -target $t -O2 -g -I"$fix/bpf" -c "$src" -o "$out/fuzz_bpf_obj/$b-$t.o" 2>/dev/null ||
			rm -f "$out/fuzz_bpf_obj/$b-$t.o"
	done
done
if [ -n "$tools" ]; then
	for o in "$tools"/*.bpf.o; do
		[ "$(stat -c %s "$o")" -le 65536 ] && cp "$o" "$out/fuzz_bpf_obj/"
	done
fi

# ELF with .BTF: the BPF objects, and small objects after btfenc -J
cp "$out"/fuzz_bpf_obj/*.o "$out/fuzz_btf_elf/" 2>/dev/null
for o in "$out"/fuzz_dwarf/*-gcc-4.o; do
	cp "$o" "$tmp/j.o" && "$btfenc" -q -J "$tmp/j.o" 2>/dev/null &&
		cp "$tmp/j.o" "$out/fuzz_btf_elf/J-$(basename "$o")"
done

# raw BTF again: the objects' .BTF sections (both byte orders), and slices
# of the kernel's BTF: what the libbpf-tools objects need of it (--min)
if have llvm-objcopy; then
	for o in "$out"/fuzz_bpf_obj/*.o; do
		llvm-objcopy --dump-section .BTF="$out/fuzz_btf_raw/$(basename "$o" .o).BTF" \
			"$o" "$tmp/x" 2>/dev/null
	done
fi
if [ -r /sys/kernel/btf/vmlinux ] && [ -n "$tools" ]; then
	for o in "$tools"/{execsnoop,opensnoop,runqlat,tcpconnect,biosnoop}.bpf.o; do
		[ -r "$o" ] || continue
		"$btfenc" -q --min "$o" -o "$out/fuzz_btf_raw/min-$(basename "$o" .bpf.o).btf" \
			/sys/kernel/btf/vmlinux 2>/dev/null
	done
fi
for d in "$out"/*/; do
	echo "$(basename "$d"): $(ls "$d" | wc -l) seeds, $(du -sk "$d" | cut -f1) KiB"
done
