# The ordinary mount tools (util-linux mount, umount, findmnt, df) as a
# normal user inside the view, on the unreal test module's file system type.
. "$E2E_DIR/lib.sh"
need mount umount findmnt df

d=$TMPDIR/mount
mkdir -p "$d/src/sub" "$d/src2" "$d/mnt" "$d/ro" && cd "$d" || { fail "cannot make $d"; finish; }
echo hello > src/file
echo deep > src/sub/deep
echo second > src2/only2
echo underneath > mnt/under
echo rofile > ro/file
: > regular
src=$d/src mnt=$d/mnt

# Runs bash -c SCRIPT inside a view where unreal is loaded but mounts nothing;
# the script sees src, mnt... in its cwd and $d.
inview() {
	umview -n bash -c "cd '$d' || exit 99; um_add_service unreal,nomount || exit 98; $1" 2>&1
}

out=$(inview 'mount -t unreal src mnt; echo "mount=$?"; cat mnt/file; ls mnt')
expect_eq "mount -t unreal SRC DIR shows SRC at DIR" "mount=0
hello
file
sub" "$out"

out=$(inview 'mount -t unreal src mnt && findmnt -n -o TARGET,SOURCE,FSTYPE mnt')
expect_eq "findmnt DIR: target, source, type" "$mnt $src unreal" \
	"$(echo "$out" | tr -s ' ')"
out=$(inview 'mount -t unreal src mnt && findmnt -n -o OPTIONS mnt')
expect_match "findmnt shows rw" "rw*" "$out"
out=$(inview 'mount -t unreal src mnt && findmnt -n -o TARGET -t unreal')
expect_eq "findmnt -t unreal lists it" "$mnt" "$out"

out=$(inview "mount -t unreal src mnt && grep ' $mnt ' /proc/self/mountinfo")
expect_match "/proc/self/mountinfo has the mount" \
	"* / $mnt rw* - unreal $src rw*" "$out"
out=$(inview "mount -t unreal src mnt && grep ' $mnt ' /proc/mounts")
expect_match "/proc/mounts has the mount" "$src $mnt unreal rw* 0 0" "$out"
out=$(inview "mount -t unreal src mnt && grep -c ' $mnt ' /proc/self/mounts")
expect_eq "/proc/self/mounts has it once" 1 "$out"
out=$(inview "mount -t unreal src mnt && sh -c 'grep -c \" $mnt \" /proc/\$\$/mountinfo'")
expect_eq "/proc/PID/mountinfo of a child has it" 1 "$out"

out=$(inview 'mount -t unreal src mnt && df -P mnt | tail -n +2')
expect_match "df DIR shows the mount" "$src *[0-9]* *[0-9]* *[0-9]* *[0-9]*% $mnt" "$out"
# Without -a, df drops it as a duplicate: unreal reports the source's st_dev.
out=$(inview 'mount -t unreal src mnt && df -aP | grep -c "^$PWD/src .* $PWD/mnt\$"')
expect_eq "df -a lists the mount" 1 "$out"

out=$(inview 'mount -t unreal src mnt && mount | grep " on $PWD/mnt "')
expect_match "mount with no arguments lists it" "$src on $mnt type unreal (rw*)" "$out"

out=$(inview 'mount -t unreal src mnt; umount mnt; echo "umount=$?"; ls mnt
	findmnt mnt >/dev/null; echo "findmnt=$?"
	grep -c " $PWD/mnt " /proc/self/mountinfo')
expect_eq "umount DIR: the real directory is back" "umount=0
under
findmnt=1
0" "$out"

out=$(inview 'mount -t unreal src mnt; umount src2 2>&1 | sed "s|$PWD/||"; echo "st=${PIPESTATUS[0]}"; cat mnt/file')
expect_match "umount of a directory that is not a mount point fails" "*not mounted*st=[1-9]*hello" "$out"

# A busy mount: an open file keeps it; closing it lets umount go.
out=$(inview 'mount -t unreal src mnt; exec 3<mnt/file
	umount mnt; echo "busy=$?"; cat mnt/file
	exec 3<&-; umount mnt; echo "closed=$?"; ls mnt')
expect_match "umount with an open file: target is busy" "*target is busy*" "$out"
expect_match "busy umount fails with 32, the mount stays, umount after close" \
	"*busy=32*hello*closed=0*under" "$out"
out=$(inview 'mount -t unreal src mnt; cd mnt; umount ../mnt; echo "cwd=$?"; cd ..; umount mnt; echo "after=$?"')
expect_match "a cwd inside keeps the mount busy" "*busy*cwd=32*after=0" "$out"
out=$(inview 'mount -t unreal src mnt; sleep 30 <mnt/file & p=$!
	umount mnt; echo "child=$?"; kill $p; wait $p 2>/dev/null; umount mnt; echo "after=$?"')
expect_match "a child's open file keeps the mount busy" "*busy*child=32*after=0" "$out"

# Lazy umount: the mount vanishes at once; the open file still reads.
out=$(inview 'mount -t unreal src mnt; exec 3<mnt/sub/deep
	umount -l mnt; echo "lazy=$?"
	findmnt mnt >/dev/null; echo "findmnt=$?"; ls mnt; cat <&3; exec 3<&-')
expect_eq "umount -l with an open file" "lazy=0
findmnt=1
under
deep" "$out"
out=$(inview 'mount -t unreal src mnt; exec 3<mnt/file; umount -l mnt; exec 3<&-;
	um_del_service unreal; echo "del=$?"')
expect_eq "after a lazy umount and close, the service is free" "del=0" "$out"

# Mount point errors.
out=$(inview 'mount -t unreal src missing; echo "st=$?"')
expect_match "mount on a missing directory: ENOENT" "*mount point does not exist*st=32" "$out"
out=$(inview 'mount -t unreal src regular; echo "st=$?"')
expect_match "mount on a regular file: ENOTDIR" "*not a directory*st=32" "$out"
out=$(inview 'mount -t unreal nosuchsrc mnt; echo "st=$?"; ls mnt')
expect_match "mount of a missing source fails" "*nosuchsrc*st=32*under" "$out"
out=$(inview 'mount -t unreal src mnt/under; echo "st=$?"')
expect_match "mount on a file inside a mount point's real dir: ENOTDIR" "*not a directory*st=32" "$out"
out=$(inview 'mount -t unreal src mnt && mount -t unreal src2 mnt/sub; echo "st=$?"; cat mnt/sub/only2
	umount mnt/sub; cat mnt/sub/deep; umount mnt; ls mnt')
expect_eq "a mount on a directory inside a mount" "st=0
second
deep
under" "$out"

# Stacking: a second mount hides the first; umount reveals it.
out=$(inview 'mount -t unreal src mnt; mount -t unreal src2 mnt; echo "st=$?"; ls mnt
	findmnt -n -o SOURCE mnt | sed "s|$PWD/||"
	umount mnt; ls mnt; umount mnt; ls mnt')
expect_eq "stacked mounts" "st=0
only2
src
src2
file
sub
under" "$out"

# The service cannot go while one of its mounts is there.
out=$(inview 'mount -t unreal src mnt; um_del_service unreal; echo "del=$?"; cat mnt/file
	umount mnt; um_del_service unreal; echo "del=$?"; um_ls_service; ls mnt')
expect_match "um_del_service with a mount: in use" "*in use*del=1*hello*del=0*under" "$out"
out=$(inview 'mount -t unreal src mnt; umount mnt; um_del_service unreal
	mount -t unreal src mnt 2>/dev/null; echo "st=$?"; ls mnt')
expect_eq "no mount of the type once the service is gone" "st=32
under" "$out"

# Read-only mounts.
out=$(inview 'mount -t unreal -o ro ro mnt; echo "st=$?"; findmnt -n -o OPTIONS mnt | cut -d, -f1
	cat mnt/file
	echo x > mnt/file; echo "write=$?"
	echo x >> mnt/file; echo "append=$?"
	touch mnt/new; echo "touch=$?"
	mkdir mnt/d; echo "mkdir=$?"
	rm mnt/file; echo "rm=$?"
	mv mnt/file mnt/other; echo "mv=$?"
	chmod 600 mnt/file; echo "chmod=$?"
	ln -s x mnt/l; echo "ln=$?"
	truncate -s 0 mnt/file; echo "truncate=$?"
	touch -d 2001-01-01 mnt/file; echo "touch-d=$?"
	test -w mnt/file; echo "test-w=$?"
	cat mnt/file; umount mnt')
expect_match "ro mount: mounted ro, readable" "st=0*ro*rofile*" "$out"
for op in write append touch mkdir rm mv chmod ln truncate touch-d test-w; do
	expect_match "ro mount: $op fails" "*$op=1*" "$out"
done
n=$(echo "$out" | grep -c 'Read-only file system')
expect_eq "ro mount: 'Read-only file system' for each writing tool" 10 "$n"
expect_match "ro mount: the file is unchanged" "*rofile" "$out"
out=$(inview 'mount -t unreal -r ro mnt && findmnt -n -o OPTIONS mnt | cut -d, -f1; touch mnt/file; echo "touch=$?"')
expect_match "mount -r is read-only too" "ro*Read-only file system*touch=1" "$out"
out=$(inview 'mount -t unreal -o mode=passthrough,ro ro mnt && echo x > mnt/file; echo "write=$?"
	exec 3<mnt/file; cat <&3')
expect_match "passthrough ro mount refuses writes, reads" "*Read-only file system*write=1*rofile" "$out"

# Options.
out=$(inview 'mount -t unreal -o frobnicate src mnt; echo "st=$?"; ls mnt')
expect_match "unknown -o option: the module names it" "*unknown option 'frobnicate'*" "$out"
expect_match "unknown -o option: mount fails, nothing mounted" "*st=32*under" "$out"
out=$(inview 'mount -t unreal -o mode=passthrough src mnt && cat mnt/file && findmnt -n -o FSTYPE mnt')
expect_eq "-o mode=passthrough" "hello
unreal" "$out"
out=$(inview 'mount -t unreal -o remount src mnt; echo "st=$?"; ls mnt')
expect_match "mount -o remount of something that is not mounted fails" "*st=32*under" "$out"
out=$(inview 'mount -t nosuchfs src mnt; echo "st=$?"; ls mnt')
expect_match "an unknown file system type still goes to the kernel" "*st=32*under" "$out"
out=$(umview -n bash -c "cd '$d' && mount -t unreal src mnt; echo \"st=\$?\"; ls mnt" 2>&1)
expect_match "without the service the type is unknown" "*st=32*under" "$out"

# Writes through the mount reach the source; outside the view nothing is
# mounted and only those writes show.
out=$(inview 'mount -t unreal src mnt && echo written >mnt/new && mkdir mnt/newdir &&
	rm mnt/sub/deep && echo "ok"')
expect_eq "writes through the mount" "ok" "$out"
expect_eq "outside: the mount point is untouched" "under" "$(ls mnt)"
expect_eq "outside: the writes reached the source" "file
new
newdir
sub" "$(ls src)"
expect_eq "outside: written content" "written" "$(cat src/new)"
expect_eq "outside: the removed file is gone" "" "$(ls src/sub)"
expect_eq "outside: nothing unreal is mounted" "0" "$(grep -c unreal /proc/self/mountinfo)"
expect_eq "outside: the ro source is unchanged" "rofile" "$(cat ro/file)"
expect_eq "outside: the source file is unchanged" "hello" "$(cat src/file)"

finish
