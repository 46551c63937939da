# Sourced by every tests/run-*.sh.  Sets BTFENC, a private temp dir (removed
# on exit), and helpers.  Exit 77 means SKIP and always says why.
set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
BTFENC=$top_builddir/btfenc
TOOLS=$top_builddir/tests/tools
FIXTURES=$top_srcdir/tests/fixtures
test_name=$(basename "$0" .sh)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/btfenc-$test_name.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

nr_checks=0
nr_failed=0

skip()
{
	echo "SKIP: $test_name: $*"
	exit 77
}

fail()
{
	echo "FAIL: $test_name: $*"
	nr_failed=$((nr_failed + 1))
}

ok()
{
	nr_checks=$((nr_checks + 1))
}

# check DESCRIPTION COMMAND...: run COMMAND, count a failure if it fails
check()
{
	local what=$1
	shift
	nr_checks=$((nr_checks + 1))
	if ! "$@"; then
		fail "$what"
		return 1
	fi
	return 0
}

# Called last: the test's verdict
finish()
{
	if [ "$nr_failed" -ne 0 ]; then
		echo "$test_name: $nr_failed of $nr_checks checks failed"
		exit 1
	fi
	if [ "$nr_checks" -eq 0 ]; then
		echo "$test_name: no check ran"
		exit 1
	fi
	echo "$test_name: all $nr_checks checks passed"
	exit 0
}

need_cmd()
{
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"
	done
}

need_tool()
{
	local t
	for t in "$@"; do
		[ -x "$TOOLS/$t" ] || skip "tests/tools/$t was not built (libbpf-dev missing at configure time)"
	done
}

# The kernel's BTF verifier: usable when bpf() is allowed
kernel_can_load_btf()
{
	[ -x "$TOOLS/btfload" ] && [ -r /sys/kernel/btf/vmlinux ] &&
		"$TOOLS/btfload" /sys/kernel/btf/vmlinux >/dev/null 2>&1
}

# compile_fixture SRC CC DWARF_VERSION OUT [EXTRA_FLAGS...]
compile_fixture()
{
	local src=$1 cc=$2 ver=$3 out=$4
	shift 4
	"$cc" -g -gdwarf-"$ver" -O1 -c "$src" -o "$out" "$@"
}

# canon FILE [--base B]: ID-independent canonical dump
canon()
{
	"$TOOLS/btfcanon" "$@"
}

# pahole_flags_features FLAGS: the btfenc --features list that encodes as
# pahole does with FLAGS, the PAHOLE_FLAGS of a kernel's
# scripts/pahole-flags.sh (btfenc(1), PAHOLE COMPATIBILITY): pahole's
# defaults, then what each flag changes.  Fails, naming the flag on
# stderr, on one it does not know.
pahole_flags_features()
{
	local feats=var,decl_tag,type_tag,enum64,encode_force f

	for f in $1; do
		case $f in
		--btf_gen_floats) feats+=,float ;;
		--btf_gen_optimized) feats+=,optimized_func ;;
		--skip_encoding_btf_inconsistent_proto) feats+=,consistent_func ;;
		--skip_encoding_btf_vars) feats+=,-var ;;
		# the same output at every -j; these kernels have no Rust CU
		-j | -j[0-9]* | --lang_exclude=*) ;;
		*)
			echo "PAHOLE_FLAGS: '$f' asks for what the tests do not know" >&2
			return 1 ;;
		esac
	done
	printf '%s\n' "$feats"
}
