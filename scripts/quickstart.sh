#!/bin/bash
# Set up a fresh Debian machine, build btfenc, and encode a real kernel's
# BTF from its DWARF: the Debian cloud kernel's debug image, fetched with
# apt and cached in /var/cache/btfenc-testdata.  Run as root (or with sudo).
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

. tests/testdata.sh
kdir=$(testdata_kernel)
version=$(cat "$kdir/VERSION")
out=vmlinux-$(basename "$kdir").btf
echo "encoding $kdir/vmlinux ($version)"
time ./btfenc -o "$out" "$kdir/vmlinux"
echo "wrote $out: $(stat -c %s "$out") bytes"
./btfenc --dump "$out" | awk '{ n[$2]++ } END { for (k in n) printf "  %-10s %d\n", k, n[k] }' | sort
