# `umview CMD` exits with CMD's status: its exit code, 127 for a command
# that does not exist, 128+N when CMD dies of signal N; and it waits for
# descendants that outlive CMD.
. "$E2E_DIR/lib.sh"
need cc

cc_prog segv

expect_status "true" 0 umview -n true
expect_status "false" 1 umview -n false
expect_status "exit 42" 42 umview -n sh -c 'exit 42'
expect_status "exit 255" 255 umview -n sh -c 'exit 255'
expect_status "the last command of a script" 3 umview -n bash -c 'true; (exit 3)'

out=$(umview -n no-such-command-xyz 2>&1); st=$?
expect_eq "a missing command: status" 127 "$st"
expect_match "a missing command: named in the error" "*no-such-command-xyz*" "$out"
out=$(umview -n "$TMPDIR" 2>&1); st=$?
expect_eq "a directory as the command: status" 126 "$st"
expect_status "a missing command run by a shell inside" 127 \
	umview -n sh -c 'no-such-command-xyz 2>/dev/null'

# Killed by a signal: 128+N.
expect_status "killed by SIGTERM" 143 umview -n sh -c 'kill -TERM $$'
expect_status "killed by SIGKILL" 137 umview -n sh -c 'kill -KILL $$'
expect_status "killed by SIGUSR1" 138 umview -n sh -c 'kill -USR1 $$'
(ulimit -c 0; exec umview -n "$TMPDIR/segv" >/dev/null 2>&1); st=$?
expect_eq "killed by SIGSEGV (exit status)" 139 "$st"
expect_status "killed by SIGTERM from outside the view" 143 \
	sh -c 'umview -n sh -c "echo \$\$ > $1; exec sleep 10" & p=$!
	i=0; while [ ! -s "$1" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	kill -TERM $(cat "$1"); wait $p' sh "$TMPDIR/cmdpid"

# A background descendant that outlives CMD: umview waits for it, and
# still exits with CMD's status.
rm -f "$TMPDIR/late"
umview -n sh -c '(sleep 1; echo late > "$TMPDIR/late") & exit 3' >/dev/null; st=$?
expect_eq "CMD exits before its background child: CMD's status" 3 "$st"
expect_eq "the background child finished before umview returned" late \
	"$(cat "$TMPDIR/late" 2>/dev/null)"

# An orphan (its parent gone first) is waited for too.
rm -f "$TMPDIR/orphan"
umview -n sh -c 'sh -c "(sleep 1; echo orphan > \"\$TMPDIR/orphan\") &"; exit 0' >/dev/null
expect_eq "an orphaned grandchild finished before umview returned" orphan \
	"$(cat "$TMPDIR/orphan" 2>/dev/null)"

# Descendants that die of a signal, before or after CMD, do not decide the
# status: the last process to go is not CMD.
expect_status "a child's death by a signal does not decide the status" 5 \
	umview -n sh -c 'sh -c "kill -KILL \$\$"; exit 5' 2>/dev/null
expect_status "a descendant dying of a signal after CMD does not decide it" 6 \
	umview -n sh -c '(sleep 0.3; sh -c "kill -KILL \$\$") 2>/dev/null & exit 6'

# A dead hypervisor takes the view with it: no tracee outlives umview,
# whether it is stopped by a signal (and says so) or killed outright.
gone() { local p; for p; do [ -e "/proc/$p" ] && [ "$(sed 's/.*) //' "/proc/$p/stat" | cut -c1)" != Z ] && return 1; done; return 0; }
for sig in TERM KILL; do
	rm -f "$TMPDIR/pids"
	umview -n sh -c '(exec sleep 30) & echo $! > "$TMPDIR/pids.tmp"; echo $$ >> "$TMPDIR/pids.tmp"
		mv "$TMPDIR/pids.tmp" "$TMPDIR/pids"; exec sleep 30' 2>"$TMPDIR/err.$sig" & u=$!
	wait_for 10 test -e "$TMPDIR/pids" || fail "SIG$sig: the view did not start"
	kill -$sig $u; wait $u 2>/dev/null; st=$?
	expect_eq "umview killed by SIG$sig: status" $((128 + $(kill -l $sig))) "$st"
	# shellcheck disable=SC2046
	if wait_for 5 gone $(cat "$TMPDIR/pids"); then pass "SIG$sig to umview: no tracee survives"
	else fail "SIG$sig to umview: tracees still running"; fi
done
expect_match "SIGTERM to umview is reported" "*umview: stopping on signal 15*" "$(cat "$TMPDIR/err.TERM")"

finish
