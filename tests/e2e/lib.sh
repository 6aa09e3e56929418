# Helpers for end-to-end test scripts (sourced; see driver).
# A script prints what it checks and exits 0 (pass), 77 (skip) or 1 (fail).
set -u

fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }
skip() { echo "SKIP: $*"; exit 77; }

# The test must not run as root (the driver drops privileges).
[ "$(id -u)" != 0 ] || { echo "FAIL: e2e tests must not run as root"; exit 1; }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else
		fail "$1: expected [$2], got [$3]"; fi
}

# expect_status WHAT EXPECTED_STATUS COMMAND...
expect_status() {
	local what=$1 want=$2 got
	shift 2
	"$@"; got=$?
	expect_eq "$what (exit status)" "$want" "$got"
}

# same_output WHAT COMMAND...: COMMAND's stdout and status inside umview
# (no rc file, no module) equal those outside.
same_output() {
	local what=$1 out_in out_out st_in st_out
	shift
	out_out=$("$@" 2>&1); st_out=$?
	out_in=$(umview -n "$@" 2>&1); st_in=$?
	expect_eq "$what: output" "$out_out" "$out_in"
	expect_eq "$what: status" "$st_out" "$st_in"
}

need() {
	local c
	for c; do command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"; done
}

# Call at the end of every script.
finish() {
	if [ "$fails" -gt 0 ]; then echo "$fails check(s) failed"; exit 1; fi
	exit 0
}
