#!/bin/bash
# Set up a fresh Debian machine, build btfenc, and run its main jobs on a
# real kernel it fetches itself: the Debian cloud kernel's debug image
# (cached in /var/cache/btfenc-testdata).  Run as root (it uses sudo otherwise).
#   1. the kernel's whole BTF from its DWARF, compared with the .BTF Debian
#      built into that kernel;
#   2. minimal BTF for Debian's libbpf-tools CO-RE programs, straight from
#      the same DWARF.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends $(cat .ci/packages)

autoreconf -fi
./configure
make -j"$(nproc)"
make tests/tools/bpfcarve tests/tools/btfcanon

. tests/testdata.sh
kdir=$(testdata_kernel)
ref=$(testdata_ref_btf)
release=$(basename "$kdir")
out=vmlinux-$release.btf
echo "== encoding $kdir/vmlinux ($(cat "$kdir/VERSION"))"
# --arrays=flat: multi-dimensional arrays as Debian's pahole 1.24 wrote
# them in this kernel's own .BTF, which the counts below compare with
./btfenc --stats --arrays=flat -o "$out" "$kdir/vmlinux"
echo "wrote $out: $(stat -c %s "$out") bytes (Debian's own .BTF: $(stat -c %s "$ref"))"
echo "types per kind, btfenc vs Debian's .BTF:"
paste <(tests/tools/btfcanon --counts "$out") <(tests/tools/btfcanon --counts "$ref") |
	awk '{ printf "  %-10s %7d %7d\n", $1, $2, $4 }'

objs=$(testdata_bpf_objs "$PWD/tests/tools/bpfcarve")
echo "== minimal BTF for the $(ls "$objs"/*.bpf.o | wc -l) libbpf-tools CO-RE objects"
./btfenc --stats --min "$objs"/*.bpf.o -o "libbpf-tools-$release.btf" "$kdir/vmlinux"
echo "wrote libbpf-tools-$release.btf: $(stat -c %s "libbpf-tools-$release.btf") bytes"
