# Job control on a real pseudo-terminal: an interactive bash inside the
# view, driven through tmux, stops a job with Ctrl-Z, resumes it with bg
# and fg, and kills it with Ctrl-C; bash goes on.
. "$E2E_DIR/lib.sh"
need tmux bash pgrep

sock=$TMPDIR/tmux.sock
tm() { tmux -S "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null' EXIT
# The pane runs a launcher that records umview's exit status in a file:
# tmux itself may be slow to reap a dead pane on a busy machine.
status_file=$TMPDIR/jc.status
cat > "$TMPDIR/jc-launch" <<LAUNCH
#!/bin/sh
PS1='umv\$ ' HISTFILE=/dev/null umview -n bash --norc -i
echo \$? > "$status_file"
LAUNCH
chmod +x "$TMPDIR/jc-launch"
tm -f /dev/null new-session -d -s jc -x 100 -y 30 "$TMPDIR/jc-launch" ||
	{ fail "cannot start tmux"; finish; }
session=$(tm display-message -p -t jc '#{pane_pid}')

screen() { tm capture-pane -p -t jc; }
on_screen() { screen | grep -q -- "$1"; }
# step WHAT SECONDS COMMAND...: wait for COMMAND; on a timeout, show the
# screen and stop (the next steps would only fail the same way).
step() {
	local what=$1 secs=$2
	shift 2
	if wait_for "$secs" "$@"; then pass "$what"; else
		fail "$what (screen and processes below)"
		screen | sed 's/^/    | /'
		ps -s "$session" -o pid,ppid,pgid,stat,wchan:24,args | sed 's/^/    # /'
		finish
	fi
}
sleeper() { pgrep -s "$session" -x sleep; }
field() { sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f"$2"; } # 1 = state
in_foreground() { # sleep's process group owns the terminal
	local p
	p=$(sleeper) || return 1
	[ "$(field "$p" 3)" = "$(field "$p" 6)" ]
}
is_stopped() { local p; p=$(sleeper) && [[ $(field "$p" 1) == [Tt] ]]; }
is_running() { local p; p=$(sleeper) && [[ $(field "$p" 1) == [RS] ]]; }
sleep_gone() { ! sleeper >/dev/null; }

step "bash starts inside the view and prompts" 10 on_screen 'umv\$'
tm send-keys -t jc 'sleep 100' Enter
step "sleep runs in the foreground" 10 in_foreground
tracer=$(awk '/^TracerPid:/ { print $2 }' "/proc/$(sleeper)/status")
expect_eq "sleep is traced by umview" umview "$(cat "/proc/$tracer/comm" 2>/dev/null)"

tm send-keys -t jc C-z
step "Ctrl-Z: bash reports the job Stopped" 10 on_screen 'Stopped.*sleep 100'
step "Ctrl-Z: sleep is stopped" 10 is_stopped
stopped_pid=$(sleeper)

tm send-keys -t jc 'bg' Enter
step "bg: bash puts the job in the background" 10 on_screen '^\[1\]+ sleep 100 &'
step "bg: sleep runs again" 10 is_running
tm send-keys -t jc 'jobs' Enter
step "jobs shows it Running" 10 on_screen 'Running.*sleep 100'
expect_eq "it is the same process" "$stopped_pid" "$(sleeper)"

tm send-keys -t jc 'fg' Enter
step "fg: sleep is in the foreground again" 10 in_foreground
tm send-keys -t jc C-c
step "Ctrl-C kills sleep" 10 sleep_gone

tm send-keys -t jc 'echo marker-$((6 * 7))' Enter
step "bash survives Ctrl-C and runs the next command" 10 on_screen '^marker-42'
tm send-keys -t jc 'jobs; echo jobs-listed' Enter
step "no job is left" 10 on_screen '^jobs-listed'
case $(screen | sed -n '/^umv\$ jobs; echo jobs-listed/,$p') in
	*sleep*) fail "a sleep job is still listed";;
	*) pass "the job list is empty";;
esac

# Stop a pipeline and resume it in the foreground: every process of the job.
tm send-keys -t jc 'sleep 100 | cat' Enter
step "a pipeline runs in the foreground" 10 in_foreground
tm send-keys -t jc C-z
step "Ctrl-Z stops the pipeline" 10 on_screen 'Stopped.*sleep 100 | cat'
tm send-keys -t jc 'fg' Enter
step "fg: the pipeline runs in the foreground again" 10 in_foreground
step "fg: sleep runs" 10 is_running
tm send-keys -t jc C-c
step "Ctrl-C ends the whole pipeline" 10 sleep_gone
tm send-keys -t jc 'jobs; echo after-pipeline' Enter
step "bash runs the next command" 10 on_screen '^after-pipeline'
case $(screen | sed -n '/^umv\$ jobs; echo after-pipeline/,$p') in
	*Stopped*|*Running*) fail "the pipeline is still listed as a job";;
	*) pass "no job is left";;
esac
# (Not "kill %1" on the stopped pipeline: bash itself can then lose track
# of the job and leave zombies, natively too.)

tm send-keys -t jc 'exit 7' Enter
dead() { [ -s "$status_file" ]; }
step "exit leaves bash and umview" 10 dead
expect_eq "umview exits with bash's status" 7 "$(cat "$status_file")"

finish
