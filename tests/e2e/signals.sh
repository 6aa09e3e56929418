# Signals between processes in the view: handlers, stop and continue,
# SA_RESTART against EINTR, kill between tracees, death by a signal.
. "$E2E_DIR/lib.sh"
need cc

cc_prog catcher
cc_prog sigrestart
cc_prog stopwait
cc_prog segv

# SIGINT to a child with a handler: the child reports it, and who sent it.
cat > "$TMPDIR/sigint.sh" <<'SH'
rm -f "$1.ready"
"$2" "$1.ready" & pid=$!
i=0; while [ ! -e "$1.ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -INT $pid
wait $pid
echo "status $? sender $$"
SH
out=$(umview -n sh "$TMPDIR/sigint.sh" "$TMPDIR/int" "$TMPDIR/catcher")
sender=${out##*sender }
expect_eq "SIGINT caught by a child's handler, from the shell in the view" \
	"caught SIGINT from $sender
status 0 sender $sender" "$out"

# kill between two tracees that are not parent and child: a sibling sends
# SIGUSR1.
cat > "$TMPDIR/sibling.sh" <<'SH'
rm -f "$1.ready"
"$2" "$1.ready" > "$1.out" & pid=$!
sh -c 'i=0; while [ ! -e "$1.ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	echo "sender $$"; kill -USR1 $2' sh "$1" $pid
wait $pid
cat "$1.out"
SH
out=$(umview -n sh "$TMPDIR/sibling.sh" "$TMPDIR/usr1" "$TMPDIR/catcher")
sender=$(echo "$out" | sed -n 's/^sender //p')
expect_eq "SIGUSR1 from a sibling tracee" "sender $sender
caught SIGUSR1 from $sender" "$out"

# SIGSTOP and SIGCONT of a child: it shows as stopped in /proc/PID/stat,
# makes no progress, then resumes and finishes.  Outside the state letter is
# T; a ptraced process in a group-stop is "t" (tracing stop) to the kernel,
# which a tracer cannot change: both mean stopped to a user.
cat > "$TMPDIR/stopcont.sh" <<'SH'
rm -f "$1.go"
( while [ ! -e "$1.go" ]; do sleep 0.02; done; echo finished ) & pid=$!
state() { sed 's/.*) //' /proc/$pid/stat | cut -c1; }
stopped() { case $(state) in [Tt]) echo stopped;; *) echo "not stopped: $(state)";; esac; }
kill -STOP $pid
i=0; while [ "$(stopped)" != stopped ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
echo "after SIGSTOP: $(stopped)"
touch "$1.go"; sleep 0.3
echo "after 0.3 s: $(stopped)"
echo "state letter: $(state)" >&2
kill -CONT $pid
wait $pid
echo "status $?"
SH
expected="after SIGSTOP: stopped
after 0.3 s: stopped
finished
status 0"
expect_eq "SIGSTOP/SIGCONT outside (reference)" "$expected" "$(sh "$TMPDIR/stopcont.sh" "$TMPDIR/out")"
expect_eq "SIGSTOP/SIGCONT of a child inside" "$expected" "$(umview -n sh "$TMPDIR/stopcont.sh" "$TMPDIR/in")"

# The parent's waitpid sees the stop, the continuation and the death.
same_output "waitpid sees stopped, continued, killed" "$TMPDIR/stopwait"
expect_eq "waitpid sees stopped, continued, killed (inside)" "stopped by 19
continued
killed by 15" "$(umview -n "$TMPDIR/stopwait")"

# A blocking read interrupted by a signal from another tracee.
out=$(umview -n "$TMPDIR/sigrestart" restart 2>&1)
expect_eq "SA_RESTART: the read goes on and returns data written later" \
	"handler ran 1, read 9, late data" "$out"
out=$(umview -n "$TMPDIR/sigrestart" eintr 2>&1)
expect_eq "no SA_RESTART: the read fails with EINTR" \
	"handler ran 1, read -1, EINTR" "$out"
echo "outside, for reference: $("$TMPDIR/sigrestart" restart) / $("$TMPDIR/sigrestart" eintr)"

# Death by a signal: the parent shell sees 128+N.
# (the shell's own "User defined signal 1" report depends on when it reaps
# the job, natively too: its stderr is left out)
same_output "sleep killed by SIGUSR1" sh -c 'exec 2>/dev/null; sleep 10 & kill -USR1 $!; wait $!; echo $?'
same_output "sleep killed by SIGKILL" sh -c 'sleep 10 & kill -KILL $!; wait $!; echo $?'
same_output "a shell that kills itself with SIGTERM" \
	bash -c 'sh -c "kill -TERM \$\$; echo not reached"; echo $?'
same_output "SIGSEGV" bash -c 'exec 2>/dev/null; ulimit -c 0; "$1"; echo "status $?"' sh "$TMPDIR/segv"
same_output "SIGPIPE kills the writer of a pipeline" \
	bash -c 'yes | head -n 2; echo "${PIPESTATUS[*]}"'
same_output "signal ignored by the parent, default in the child after exec" \
	bash -c 'trap "" USR1; sh -c "kill -USR1 \$\$; echo survived"; echo $?'
same_output "a trap in a shell runs" \
	bash -c 'trap "echo trapped; exit 4" USR2; kill -USR2 $$; echo not reached'

finish
