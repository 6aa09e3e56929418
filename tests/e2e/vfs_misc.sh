# File-system odds and ends on files served by a module (unreal mounts the
# real / at /unreal): the caller's umask on created files, poll/select/
# epoll on a mix of real and virtual fds, SCM_RIGHTS of a virtual fd,
# pidfd_getfd, O_TMPFILE named by linkat, and chroot into a virtual
# directory.
. "$E2E_DIR/lib.sh"
need cc stat mkfifo
CHROOT=$(PATH=$PATH:/usr/sbin:/sbin command -v chroot) || skip "chroot is not installed"
cc_prog vfsprobe
V=$TMPDIR/vfsprobe
d=$TMPDIR/v
mkdir -p "$d/um" "$d/umreal" "$d/t" "$d/treal" "$d/root/sub"
echo hello > "$d/file"
echo "the marker" > "$d/root/marker"

# inview MODE CMD...: CMD inside a view where unreal serves / at /unreal.
inview() {
	local mode=$1
	shift
	umview -n bash -c 'um_add_service "unreal,mode=$0" || exit 99; "$@"' \
		"$mode" "$@" 2>&1
}

# --- umask ---
mk='umask 027; touch "$1/f"; mkdir "$1/d"; mkfifo "$1/p"; (umask 077; touch "$1/g");
bash -c "touch \"\$1/h\"" sh "$1"; cd "$1" && stat -c "%a %n" f d p g h'
want=$(bash -c "$mk" sh "$d/umreal")
for mode in served passthrough; do
	rm -rf "$d/um"; mkdir "$d/um"
	out=$(inview $mode bash -c "$mk" sh "/unreal$d/um")
	expect_eq "umask 027 then touch/mkdir/mkfifo in the mount ($mode)" "$want" "$out"
	expect_eq "the real files' modes ($mode)" "$want" \
		"$(cd "$d/um" && stat -c '%a %n' f d p g h)"
done
# umask set before anything was mounted (umask(2) was not stopped then),
# then changed twice by the same process once it was
rm -rf "$d/um"; mkdir "$d/um"
out=$(umview -n bash -c 'umask 027; um_add_service unreal || exit 99
touch "$1/a"; umask 077; touch "$1/b"; umask 002; mkdir "$1/c"
cd "$1" && stat -c "%a %n" a b c' sh "/unreal$d/um" 2>&1)
expect_eq "umask before the mount, then changed after it" "640 a
600 b
775 c" "$out"
expect_eq "the modes themselves" "640 f
750 d
640 p
600 g
640 h" "$want"

# --- poll, select, epoll ---
want=$("$V" poll "$d/file")
for mode in served passthrough; do
	out=$(inview $mode "$V" poll "/unreal$d/file")
	expect_eq "poll/ppoll/select/pselect/epoll on a pipe and a file ($mode)" "$want" "$out"
done

# --- SCM_RIGHTS ---
out=$("$V" scm "$d/file")
ok_scm="child: read 6: hello
parent: sendmsg: ok"
expect_eq "SCM_RIGHTS outside" "$ok_scm" "$out"
out=$(inview served "$V" scm "/unreal$d/file")
expect_eq "SCM_RIGHTS of a virtual fd: refused, nothing handed over" \
"child: nothing received
parent: sendmsg: Operation not supported" "$(grep -v '^umview:' <<<"$out")"
expect_match "SCM_RIGHTS refusal is explained" \
	"*is a virtual file: it cannot be passed over a socket*" "$out"
out=$(inview passthrough "$V" scm "/unreal$d/file")
expect_eq "SCM_RIGHTS of a passthrough (real) fd works" "$ok_scm" "$out"
out=$(inview served bash -c "exec 3</unreal$d/file; $V scm $d/file")
expect_eq "SCM_RIGHTS of a real fd while a virtual one is open" \
	"$ok_scm" "$out"

# --- pidfd_getfd ---
out=$("$V" getfd "$d/file")
expect_eq "pidfd_getfd of a child's fd outside" "pidfd_getfd: ok
read 6: hello" "$out"
out=$(inview served "$V" getfd "/unreal$d/file")
expect_eq "pidfd_getfd of a virtual fd: refused" \
	"pidfd_getfd: Operation not supported" "$(grep -v '^umview:' <<<"$out")"
out=$(inview passthrough "$V" getfd "/unreal$d/file")
expect_eq "pidfd_getfd of a passthrough (real) fd works" "pidfd_getfd: ok
read 6: hello" "$out"

# --- O_TMPFILE ---
want=$("$V" tmpfile "$d/treal" n)
out=$(inview served "$V" tmpfile "/unreal$d/t" n)
expect_eq "O_TMPFILE, then linkat AT_EMPTY_PATH (served)" "$want" "$out"
expect_eq "the named file on disk (served)" "temporary" "$(cat "$d/t/n" 2>&1)"
# Passthrough: the module hands back a real file the core does not follow,
# so a name for it in the mount is a link across mounts.
rm -rf "$d/t"; mkdir "$d/t"
out=$(inview passthrough "$V" tmpfile "/unreal$d/t" n)
expect_eq "O_TMPFILE in passthrough mode: linkat says EXDEV" "write: 10
fstat: regular 1, links 0, mode 640
readlink: elsewhere/#INODE (deleted)
linkat AT_EMPTY_PATH: Invalid cross-device link
linkat /proc/self/fd: Invalid cross-device link
the name again: Invalid cross-device link
named: No such file or directory" "$out"

# --- chroot ---
out=$("$V" chroot "$d/root" | head -n1)
expect_eq "chroot outside as a normal user" "chroot: Operation not permitted" "$out"
out=$(inview served "$V" chroot "/unreal$d/root")
expect_eq "chroot into a virtual directory, then look around" \
"chroot: ok
chdir /: ok
getcwd: /
/../../marker: the marker
ls /: marker sub
/.. is /: 1
chdir sub: ok
getcwd: /sub
readlink up: /" "$out"
out=$(inview served "$V" chroot "$d/root" | head -n1)
expect_eq "chroot into a real directory: the kernel's answer" \
	"chroot: Operation not permitted" "$out"
out=$(inview served "$CHROOT" "/unreal" cat "$d/root/marker")
expect_eq "chroot(1) into /unreal runs cat from the mount" "the marker" "$out"
out=$(inview served "$CHROOT" "/unreal" bash -c "cd $d/root && pwd && ls")
expect_eq "a shell inside the virtual root: cd, pwd, ls" "$d/root
marker
sub" "$out"

finish
