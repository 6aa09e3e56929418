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

# cc_prog NAME [CC ARGS...]: build $E2E_DIR/prog/NAME.c into $TMPDIR/NAME.
# A helper that does not build is a failure of the test, not a skip.
cc_prog() {
	local name=$1
	shift
	cc -std=gnu11 -O1 -Wall -o "$TMPDIR/$name" "$E2E_DIR/prog/$name.c" "$@" ||
		{ fail "cannot build prog/$name.c"; finish; }
}

# wait_for SECONDS COMMAND...: run COMMAND every 50 ms until it succeeds;
# returns 1 if it has not succeeded after SECONDS.
wait_for() {
	local tries=$(($1 * 20))
	shift
	while ! "$@"; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.05
	done
}

# expect_match WHAT GLOB ACTUAL: ACTUAL matches the shell pattern GLOB.
expect_match() {
	# shellcheck disable=SC2053
	if [[ $3 == $2 ]]; then pass "$1"; else
		fail "$1: expected to match [$2], got [$3]"; fi
}

# expect_near WHAT EXPECTED ACTUAL SLACK: integers within SLACK of each other.
expect_near() {
	local d
	if ! [[ $2 =~ ^-?[0-9]+$ && $3 =~ ^-?[0-9]+$ ]]; then
		fail "$1: expected a number near [$2], got [$3]"; return; fi
	d=$(($3 - $2))
	if [ "${d#-}" -le "$4" ]; then pass "$1"; else
		fail "$1: expected [$2] +/- $4, got [$3]"; fi
}

# Call at the end of every script.
finish() {
	if [ "$fails" -gt 0 ]; then echo "$fails check(s) failed"; exit 1; fi
	exit 0
}
