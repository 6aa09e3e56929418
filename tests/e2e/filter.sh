# The filter refuses what would carry calls past the view: io_uring, and
# calls from another ABI (i386 int $0x80, x32 numbers) fail with ENOSYS
# inside instead of running unexamined.  What they do outside depends on
# the kernel; it is printed for information.
. "$E2E_DIR/lib.sh"
need cc

cc_prog abi
probes="io_uring_setup int80_getpid int80_uname x32_getpid x32_uname"

# shellcheck disable=SC2086
echo "outside, for information:"; "$TMPDIR/abi" $probes | sed 's/^/    /'

# shellcheck disable=SC2086
out=$(umview -n "$TMPDIR/abi" $probes 2>&1); st=$?
expect_eq "empty view: every probe fails with ENOSYS and the program goes on" \
	"0 io_uring_setup: -ENOSYS
int80_getpid: -ENOSYS
int80_uname: -ENOSYS
x32_getpid: -ENOSYS
x32_uname: -ENOSYS
alive" "$st $out"

# With a module that claims uname, the other ABIs must not reach the real
# uname either (they would show the host's name).
# shellcheck disable=SC2086
out=$(umview -n -p ummisc,hostname=virtual "$TMPDIR/abi" $probes 2>&1)
expect_eq "with ummisc loaded: still ENOSYS, no host name leaks" \
	"io_uring_setup: -ENOSYS
int80_getpid: -ENOSYS
int80_uname: -ENOSYS
x32_getpid: -ENOSYS
x32_uname: -ENOSYS
alive" "$out"

# Where the kernel runs them outside, inside behaves differently.
outside=$("$TMPDIR/abi" int80_getpid io_uring_setup)
case $outside in *"int80_getpid: pid"*)
	pass "int \$0x80 getpid works outside (the refusal inside is the view's)";;
	*) echo "int \$0x80 does not work outside on this kernel: $outside";; esac

# The refusal is in every process of the view, also after fork and exec.
out=$(umview -n sh -c '"$1" io_uring_setup | (cat; "$1" int80_getpid)' sh "$TMPDIR/abi" 2>&1)
expect_eq "refused in descendants too" "io_uring_setup: -ENOSYS
alive
int80_getpid: -ENOSYS
alive" "$out"

# The calls of the native ABI around them are not affected.
same_output "ordinary I/O is unaffected" sh -c 'seq 1 1000 > "$TMPDIR/f"; cat "$TMPDIR/f" | wc -l'

finish
