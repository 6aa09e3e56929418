# umfuseext2 under umview: ext2, ext3 and ext4 images made at test time,
# mounted by a normal user with util-linux mount, used by real programs,
# then checked from outside with e2fsck and debugfs.
. "$E2E_DIR/lib.sh"
PATH=$PATH:/usr/sbin:/sbin
need mount umount mkfs.ext4 mke2fs e2fsck debugfs cp tar diff find

d=$TMPDIR/ext2
mkdir -p "$d/src/sub/deep" "$d/mnt" && cd "$d" || { fail "cannot make $d"; finish; }
echo hello > src/hello
seq 1 20000 > src/sub/numbers
ln -s hello src/fastlink
ln -s "$(printf 'long/%.0s' $(seq 1 30))target" src/slowlink
ln src/hello src/hardlink
echo deep > src/sub/deep/file
for i in $(seq 1 300); do echo "$i" > "src/sub/f$i"; done
touch -d '2001-02-03 04:05:06.123456789' src/hello

# inview SCRIPT: bash -c SCRIPT in $d inside a view with umfuse loaded.
inview() {
	umview -n bash -c "cd '$d' || exit 99; um_add_service umfuse || exit 98; $1" 2>&1
}

fsck_clean() {	# fsck_clean WHAT IMAGE
	local out
	out=$(e2fsck -fn "$2" 2>&1)
	expect_eq "$1: e2fsck -fn is clean" 0 "$?"
	[ "$?" = 0 ] || echo "$out" | head -20
}

for t in ext2 ext3 ext4; do
	img=$d/$t.img
	rm -f "$img"
	# The root directory belongs to the user, as a kernel mkfs would
	# leave it for them; 256-byte inodes hold nanosecond times.
	mke2fs -q -t $t -I 256 -E root_owner="$(id -u):$(id -g)" -d src \
		"$img" 32M >/dev/null || { fail "$t: cannot make the image"; continue; }

	out=$(inview "mount -t umfuseext2 $img mnt || exit 1
		diff -r --no-dereference -x lost+found src mnt >/dev/null && echo same
		stat -c '%Y %s' mnt/hello; readlink mnt/fastlink
		[ \"\$(readlink mnt/slowlink)\" = \"\$(readlink src/slowlink)\" ] && echo slow
		stat -c '%h %i' mnt/hello | sed 's/ .*//'
		[ \$(stat -c %i mnt/hello) = \$(stat -c %i mnt/hardlink) ] && echo sameino
		umount mnt && echo unmounted")
	expect_eq "$t: contents, times, symlinks, hard links" "same
981173106 6
hello
slow
2
sameino
unmounted" "$out"

	out=$(inview "mount -t umfuseext2 $img mnt || exit 1
		cp -a /usr/include/linux mnt/linux && echo copied
		diff -r /usr/include/linux mnt/linux && echo same
		mkdir -p mnt/a/b/c && mv mnt/linux mnt/a/b/c/ && echo moved
		(cd mnt/a/b/c && tar cf - linux) | tar tf - | wc -l
		ln mnt/hello mnt/a/h2 && rm mnt/hardlink && stat -c %h mnt/hello
		rm -r mnt/sub && echo removed
		touch -d '1999-12-31 23:59:59.5' mnt/a/h2; stat -c %y mnt/hello
		chmod 741 mnt/hello; stat -c %a mnt/hello
		dd if=/dev/zero of=mnt/sparse bs=1 count=1 seek=50000000 2>/dev/null
		stat -c %s mnt/sparse
		printf abc > mnt/trunc; truncate -s 1 mnt/trunc; cat mnt/trunc; echo
		umount mnt && echo unmounted")
	nh=$(find /usr/include/linux | wc -l)
	expect_eq "$t: cp -a, diff -r, mv, tar, ln, rm -r, touch -d, chmod, truncate" "copied
same
moved
$nh
2
removed
1999-12-31 23:59:59.500000000 +0000
741
50000001
a
unmounted" "$out"
	fsck_clean "$t after the workload" "$img"
	out=$(debugfs -R 'cat /a/h2' "$img" 2>/dev/null)
	expect_eq "$t: data read back from the image by debugfs" hello "$out"
	out=$(debugfs -R 'stat /sub' "$img" 2>&1 | grep -c 'File not found')
	expect_eq "$t: the removed tree is gone from the image" 1 "$out"
done

# Inline data: small files and directories kept inside their inodes.
img=$d/inline.img
mke2fs -q -t ext4 -O inline_data -E root_owner="$(id -u):$(id -g)" -d src \
	"$img" 32M >/dev/null || fail "cannot make the inline_data image"
out=$(inview "mount -t umfuseext2 $img mnt || exit 1
	diff -r --no-dereference -x lost+found src mnt >/dev/null && echo same
	echo more >> mnt/hello; cat mnt/hello; truncate -s 2 mnt/sub/deep/file
	cat mnt/sub/deep/file; echo
	for i in \$(seq 1 40); do : > mnt/sub/deep/n\$i; done; ls mnt/sub/deep | wc -l
	umount mnt")
expect_eq "inline data: read, append, truncate, a directory outgrowing its inode" \
	"same
hello
more
de
41" "$out"
fsck_clean "inline data" "$img"

img=$d/ext4.img
# Many names in one directory (the directory grows past one block, and
# the htree index must stay valid).
out=$(inview "mount -t umfuseext2 $img mnt || exit 1
	mkdir mnt/many && for i in \$(seq 1 2000); do : > mnt/many/file-with-a-long-name-\$i; done
	ls mnt/many | wc -l; rm mnt/many/*1*; ls mnt/many | wc -l
	umount mnt")
expect_eq "2000 files in a directory, then some removed" "2000
729" "$out"
fsck_clean "big directory" "$img"
# e2fsck -D indexes it (htree); names added and removed through the mount
# must leave a valid index.
e2fsck -fyD "$img" >/dev/null 2>&1
out=$(inview "mount -t umfuseext2 $img mnt || exit 1
	for i in \$(seq 1 1500); do : > mnt/many/added-\$i; done
	rm mnt/many/added-1*; mv mnt/many/added-999 mnt/many/moved
	ls mnt/many | wc -l; ls mnt/many/moved mnt/many/added-998 2>&1
	umount mnt")
expect_eq "an htree directory: names added, removed, renamed" "1617
mnt/many/added-998
mnt/many/moved" "$out"
fsck_clean "htree directory" "$img"
out=$(debugfs -R 'htree /many' "$img" 2>&1 | grep -c 'Root node dump')
expect_eq "the directory is still indexed" 1 "$out"

# xattrs
if command -v setfattr >/dev/null && command -v getfattr >/dev/null; then
	out=$(inview "mount -t umfuseext2 $img mnt || exit 1
		setfattr -n user.colour -v blue mnt/hello &&
		getfattr -n user.colour --only-values mnt/hello; echo
		setfattr -x user.colour mnt/hello; getfattr -n user.colour mnt/hello 2>&1 | grep -c 'No such attribute'
		umount mnt")
	expect_eq "xattrs set, read, removed" "blue
1" "$out"
	fsck_clean "xattrs" "$img"
fi

# Read-only mounts.
out=$(inview "mount -t umfuseext2 -o ro $img mnt || exit 1
	touch mnt/new 2>&1 | grep -c 'Read-only file system'; cat mnt/a/h2 2>&1
	umount mnt")
expect_eq "-o ro: writes fail with EROFS" "1
hello" "$out"

# Dirty data reaches the image when umview is told to stop.
rm -f ready
umview -n bash -c "cd '$d' && um_add_service umfuse && mount -t umfuseext2 $img mnt &&
	seq 1 5000 > mnt/onterm && echo ready > ready && exec sleep 1000" >/dev/null 2>&1 &
pid=$!
if wait_for 20 test -s ready; then
	kill -TERM $pid
	wait $pid
	st=$?
	expect_eq "umview ends on SIGTERM (128+15)" 143 "$st"
	out=$(debugfs -R 'cat /onterm' "$img" 2>/dev/null | tail -1)
	expect_eq "data written before SIGTERM is in the image" 5000 "$out"
	fsck_clean "after SIGTERM" "$img"
else
	fail "the SIGTERM workload did not start"
	kill -KILL $pid 2>/dev/null
fi

# No kernel FUSE: the hypervisor, where umfuse and its submodule run, never
# opens /dev/fuse and never calls mount(2) while an image is mounted, read,
# written and unmounted (strace of the umview process alone; the tracees
# are umview's).  LeakSanitizer cannot run under a tracer: off for this run
# of the ASan build.
if command -v strace >/dev/null 2>&1; then
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -o "$d/hyp.trace" -e trace=open,openat,openat2,mount \
		umview -n bash -c "cd '$d' && um_add_service umfuse &&
			mount -t umfuseext2 $img mnt && cat mnt/hello >/dev/null &&
			echo x > mnt/nofuse && umount mnt" >/dev/null 2>&1
	expect_eq "the image is mounted, used and unmounted under strace" 0 "$?"
	expect_eq "umview opens no /dev/fuse and calls no mount(2)" "" \
		"$(grep -E '/dev/fuse|^mount\(' "$d/hyp.trace")"
	if grep -q 'umfuseext2\.so' "$d/hyp.trace"; then
		pass "the trace watched the process that loads the submodule"
	else
		fail "the trace shows no umfuseext2.so loaded"
	fi
else
	fail "strace is not installed (scripts/deps.sh installs it)"
fi

# fchmod, fchown and futimens of an open file that was unlinked act on the
# file (through its handle), as natively.
want=$(python3 "$E2E_DIR/prog/fdattr.py" "$d/fdattr-native")
out=$(inview "mount -t umfuseext2 $img mnt || exit 1
	python3 '$E2E_DIR/prog/fdattr.py' mnt/fdattr; umount mnt")
expect_eq "fchmod/fchown/futimens of an unlinked open file" "$want" "$out"
fsck_clean "after the unlinked file's changes" "$img"

# Reads at any offset and length give the file's bytes: files with holes,
# an unwritten (fallocated) range, sizes that end inside a block, on block
# maps (ext2, ext3) and extents (ext4), 1 KiB and 4 KiB blocks.
mkdir -p rsrc
python3 - rsrc <<'PY' || fail "cannot make the read sources"
import os, random, sys
random.seed(7)
os.chdir(sys.argv[1])
rnd = lambda n: bytes(random.getrandbits(8) for _ in range(n))
open("small", "wb").write(rnd(100))
with open("sparse", "wb") as f:
    f.write(rnd(5000)); f.seek(300000); f.write(rnd(7000))
    f.seek(2000000); f.write(b"end")
open("mid", "wb").write(rnd(1234567))
PY
cat > readcheck.py <<'PY'
import os, random, sys
random.seed(11)
src, dst = sys.argv[1], sys.argv[2]
bad = 0
for name in sorted(os.listdir(src)):
    want = open(os.path.join(src, name), "rb").read()
    fd = os.open(os.path.join(dst, name), os.O_RDONLY)
    for _ in range(200):
        off = random.randrange(0, len(want) + 3000)
        n = random.choice([1, 7, 1023, 1024, 1025, 4095, 4096, 4097,
                           65536, 131072, random.randrange(1, 300000)])
        if os.pread(fd, n, off) != want[off:off + n]:
            print("differs:", name, off, n); bad += 1; break
    os.close(fd)
fd = os.open(os.path.join(dst, "fallocated"), os.O_RDWR | os.O_CREAT, 0o644)
os.posix_fallocate(fd, 0, 200000)
os.pwrite(fd, b"x" * 10, 150000)
if os.pread(fd, 200000, 0) != bytes(150000) + b"x" * 10 + bytes(49990):
    print("differs: fallocated"); bad += 1
os.close(fd)
print("reads ok" if bad == 0 else "reads differ")
PY
for t in "ext2 1024" "ext3 4096" "ext4 1024" "ext4 4096"; do
	set -- $t
	rm -f r.img
	mke2fs -q -t "$1" -b "$2" -E root_owner="$(id -u):$(id -g)" -d rsrc \
		r.img 16M >/dev/null || { fail "$t: cannot make the image"; continue; }
	out=$(inview "mount -t umfuseext2 r.img mnt || exit 1
		python3 readcheck.py rsrc mnt; umount mnt")
	expect_eq "$1, $2-byte blocks: reads at random offsets and lengths" \
		"reads ok" "$out"
	fsck_clean "$1, $2-byte blocks: after the reads" r.img
done

# Bad input: clear errors, no crash, the view goes on.
mkdir -p adir; : > empty; head -c 1000000 "$img" > truncated
printf 'not a file system at all\n%.0s' $(seq 1 5000) > garbage
cp "$img" secret.img; chmod 000 secret.img
for bad in missing.img adir empty truncated garbage secret.img; do
	out=$(inview "mount -t umfuseext2 $bad mnt; echo \"mount=\$?\"; ls mnt | wc -l")
	expect_match "bad image $bad: mount fails with a message" \
		"*umfuseext2*$bad*mount=[1-9]*0" "$out"
done

cp "$img" journal.img
debugfs -w -R 'feature needs_recovery' journal.img >/dev/null 2>&1
out=$(inview "mount -t umfuseext2 journal.img mnt; echo \"rw=\$?\"
	mount -t umfuseext2 -o ro journal.img mnt && cat mnt/a/h2 && umount mnt")
expect_match "a journal needing recovery: rw refused, ro works" \
	"*journal needs recovery*rw=[1-9]*hello" "$out"
# Ownership and modes as stored on disk.
debugfs -w -R 'set_inode_field /hello uid 0' "$img" >/dev/null 2>&1
debugfs -w -R 'set_inode_field /hello mode 0100600' "$img" >/dev/null 2>&1
debugfs -w -R 'set_inode_field /a/b uid 0' "$img" >/dev/null 2>&1
debugfs -w -R 'set_inode_field /a/b mode 040700' "$img" >/dev/null 2>&1
out=$(inview "mount -t umfuseext2 $img mnt || exit 1
	stat -c '%u %a' mnt/hello; cat mnt/hello 2>&1 | grep -c 'Permission denied'
	ls mnt/a/b/c/linux/types.h 2>&1 | grep -c 'Permission denied'
	touch mnt/a/b/new 2>&1 | grep -c 'Permission denied'
	umount mnt")
expect_eq "a root-owned 0600 file and 0700 directory keep the user out" "0 600
1
1
1" "$out"

finish
