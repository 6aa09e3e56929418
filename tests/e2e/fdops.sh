# fd operations on virtual files (served by unreal, mode=served): record,
# OFD and flock locks between processes, copy_file_range/sendfile/splice
# between real and virtual fds, fallocate, SEEK_DATA/SEEK_HOLE, ioctl and
# the rest of the fd family.  prog/fdops.c prints a transcript with no
# pids or times: the run inside a mount must match the run on the real
# directory, line by line.
. "$E2E_DIR/lib.sh"
need flock cp cmp diff
cc_prog fdops

D=$TMPDIR/d        # the real directory behind the mount
M=$TMPDIR/m        # the mount point
R=$TMPDIR/r        # a real directory, for the real side of copies
N=$TMPDIR/native   # the same probe on a real directory
mkdir -p "$D" "$M" "$R" "$N"

# inview SCRIPT: bash SCRIPT inside umview, with $D mounted at $M.
inview() {
	umview -n bash -c 'um_add_service unreal || exit 99
mount -t unreal "$1" "$2" || exit 98
shift 2; eval "$1"' inview "$D" "$M" "$1"
}

for part in locks copies space; do
	rm -rf "${D:?}"/* "${N:?}"/* "${R:?}"/*
	"$TMPDIR/fdops" "$N" "$R" $part > "$TMPDIR/native.$part" 2>&1
	rm -rf "${R:?}"/*
	inview "'$TMPDIR/fdops' '$M' '$R' $part" > "$TMPDIR/view.$part" \
		2> "$TMPDIR/view.$part.err"
	echo "inview status: $?" >> "$TMPDIR/view.$part"
	echo "inview status: 0" >> "$TMPDIR/native.$part"
	if diff -u "$TMPDIR/native.$part" "$TMPDIR/view.$part"; then
		pass "$part: the transcript in the mount equals the real one"
	else
		fail "$part: the transcript in the mount differs (above)"
		cat "$TMPDIR/view.$part.err"
	fi
done
# the transcripts carry their own verdicts too (same as outside)
expect_eq "locks: a blocked F_SETLKW is woken by the unlock" \
	"posix: waiting child got the lock: yes" \
	"$(grep 'waiting child got' "$TMPDIR/view.locks")"
expect_eq "locks: F_GETLK names the holder" \
	"posix child: F_GETLK type=W start=0 len=5 pid=parent" \
	"$(grep 'F_GETLK type' "$TMPDIR/view.locks")"
expect_eq "locks: a signal interrupts F_SETLKW with EINTR" \
	"eintr: F_SETLKW interrupted by a signal (no SA_RESTART): EINTR" \
	"$(grep 'no SA_RESTART' "$TMPDIR/view.locks")"
expect_eq "locks: locks on one virtual file leave another alone" \
	"distinct child: write lock on another file: 0
distinct child: flock on another file: 0" \
	"$(grep 'distinct child' "$TMPDIR/view.locks")"
expect_eq "copies: a blocking splice waits on a real pipe, a signal ends it" \
	"splice waits on an empty pipe until data comes: yes
splice on an empty pipe interrupted: EINTR
splice waits on a full pipe until there is room: yes" \
	"$(grep 'splice waits\|splice on an empty pipe interrupted' "$TMPDIR/view.copies")"
expect_eq "copies: nothing differs byte for byte" "" \
	"$(grep -i different "$TMPDIR/view.copies")"

# The served file must be what the locks are on: a lock taken inside the
# view is not seen by a process outside (the real file is not locked),
# and a lock inside conflicts with another process inside.
rm -rf "${D:?}"/*
echo data > "$D/f"
out=$(inview "flock -x '$M/f' -c \"flock -n '$M/f' -c true; echo inner=\\\$?; flock -n '$D/f' -c true; echo real=\\\$?\"")
expect_eq "flock(1): exclusive inside conflicts inside, not on the real file" \
	"inner=1
real=0" "$out"
out=$(inview "flock -s '$M/f' -c \"flock -s -n '$M/f' -c true; echo shared=\\\$?; flock -x -n '$M/f' -c true; echo excl=\\\$?\"")
expect_eq "flock(1): shared locks share, an exclusive one waits" \
	"shared=0
excl=1" "$out"
out=$(inview "flock -x '$M/f' true; flock -x -n '$M/f' -c true; echo after=\$?")
expect_eq "flock(1): released when the holder exits" "after=0" "$out"

# cp (coreutils 9 uses copy_file_range) a virtual file out and back in.
head -c 2000000 /dev/urandom > "$D/big"
out=$(inview "cp '$M/big' '$R/big' && cp '$R/big' '$M/big2' && cmp '$M/big' '$R/big' && cmp '$R/big' '$M/big2' && echo same")
expect_eq "cp from the mount to a real dir and back: same bytes" "same" "$out"
cmp "$D/big" "$D/big2" && pass "the copy back reached the real file" ||
	fail "the copy back differs in the real directory"
finish
