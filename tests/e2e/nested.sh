# Nested calls: module code inside the hypervisor reaches files through the
# view (purelibc), seeing only the mounts older than the one it serves.  The
# nestprobe test module's mount opens, reads, fstats, seeks and readdirs its
# source with libc calls in the hypervisor, and serves what it read; reading
# its /data later preads the source again.  Sources inside /unreal, inside a
# mount -t unreal, and inside an older nestprobe mount exist only in the
# view: without nesting the module could not open them.
. "$E2E_DIR/lib.sh"
need mount umount

d=$TMPDIR/nested
mkdir -p "$d/src/sub" "$d/mnt" "$d/p1" "$d/p2" "$d/p3" && cd "$d" ||
	{ fail "cannot make $d"; finish; }
printf 'first line\nsecond\n' > src/sub/img
echo other > src/sub/other
data=$(cat src/sub/img)
info="size=18
line=first line
entries=2"

# bash -c SCRIPT in a view with unreal (/ at /unreal) and nestprobe loaded.
inview() {
	umview -n bash -c "cd '$d' || exit 99; um_add_service unreal || exit 98;
		um_add_service nestprobe || exit 97; $1" 2>&1
}

out=$(inview 'mount -t nestprobe src/sub/img p1; echo "mount=$?"; cat p1/data;
	cat p1/info')
expect_eq "a real source: read at mount, served after" "mount=0
$data
$info" "$out"

out=$(inview "mount -t nestprobe /unreal$d/src/sub/img p1; echo \"mount=\$?\";
	cat p1/data; cat p1/info")
expect_eq "a source inside /unreal (open, fstat, read, fopen, opendir nested)" \
	"mount=0
$data
$info" "$out"

out=$(inview "mount -t nestprobe /unreal/unreal$d/src/sub/img p1;
	echo \"mount=\$?\"; cat p1/data")
expect_eq "a source inside /unreal/unreal" "mount=0
$data" "$out"

[ ! -e mnt/sub/img ] || fail "mnt/sub/img exists outside the view"
out=$(inview 'mount -t unreal src mnt && mount -t nestprobe mnt/sub/img p1;
	echo "mount=$?"; cat p1/data; cat p1/info')
expect_eq "a source inside mount -t unreal, relative to the caller's cwd" \
	"mount=0
$data
$info" "$out"

out=$(inview 'mount -t unreal src mnt &&
	mount -t nestprobe -o thread mnt/sub/img p1; echo "mount=$?";
	cat p1/data; cat p1/info')
expect_eq "the same from a module's own thread while the mount waits" \
	"mount=0
$data
$info" "$out"

out=$(inview 'mount -t unreal src mnt && cd mnt/sub &&
	mount -t nestprobe img ../../p1; echo "mount=$?"; cat ../../p1/data')
expect_eq "a relative source from a cwd inside a mount" "mount=0
$data" "$out"

out=$(inview 'mount -t unreal src mnt && mount -t nestprobe mnt/sub/img p1 &&
	umount mnt 2>/dev/null; echo "busy=$?"; umount p1 && umount mnt;
	echo "umount=$?"')
expect_eq "the source's mount is busy while the module holds it open" \
	"busy=32
umount=0" "$out"

# Three levels: p2's module reads p1/data, which p1's module preads from
# the source inside mnt, which unreal serves.
out=$(inview 'mount -t unreal src mnt && mount -t nestprobe mnt/sub/img p1 &&
	mount -t nestprobe p1/data p2 && mount -t nestprobe p2/data p3;
	echo "mount=$?"; cat p3/data; cat p2/info')
expect_eq "a source inside a mount of the same module, three deep" "mount=0
$data
size=18
line=first line
entries=2" "$out"

# Epochs: a mount over p1 whose source is p1/data reads the older mount
# under it, never itself.
out=$(inview 'mount -t nestprobe src/sub/img p1 &&
	mount -t nestprobe p1/data p1; echo "mount=$?"; cat p1/data;
	umount p1; cat p1/data')
expect_eq "a mount reading its own mount point sees the older mount" \
	"mount=0
$data
$data" "$out"

# A passthrough mount whose module opens its files through a served mount
# hands the caller the file that mount serves, not the module's placeholder.
out=$(inview "mount -t unreal -o mode=passthrough /unreal$d/src mnt &&
	cat mnt/sub/img && echo written > mnt/sub/w && cat '$d/src/sub/w'")
expect_eq "passthrough over a served mount: the served file" "$data
written" "$out"
rm -f src/sub/w

# Composition with umfuse: an ext4 image stored in an ISO that umfuseiso9660
# serves, and one reached through /unreal/unreal, mount with umfuseext2
# (libext2fs opens and reads them through purelibc).
PATH=$PATH:/usr/sbin:/sbin
if command -v mkfs.ext4 >/dev/null && command -v xorriso >/dev/null &&
	command -v e2fsck >/dev/null && command -v debugfs >/dev/null; then
	mkdir -p tree/dir isosrc iso ext ext2
	echo inner > tree/dir/file
	if mkfs.ext4 -q -d tree disk.img 4M && cp disk.img isosrc/ &&
		xorriso -as mkisofs -quiet -R -J -o outer.iso isosrc 2>/dev/null; then
		out=$(umview -n bash -c "cd '$d' && um_add_service umfuse &&
			mount -t umfuseiso9660 outer.iso iso &&
			mount -t umfuseext2 -o ro iso/disk.img ext &&
			cat ext/dir/file; umount iso 2>/dev/null; echo busy=\$?
			umount ext && umount iso && echo unmounted" 2>&1)
		expect_eq "ext4 image inside an ISO mount: mounts, keeps it busy" \
			"inner
busy=32
unmounted" "$out"
		out=$(umview -n bash -c "cd '$d' && um_add_service umfuse &&
			um_add_service unreal &&
			mount -t umfuseext2 /unreal/unreal$d/disk.img ext2 &&
			cat ext2/dir/file && echo new > ext2/dir/new &&
			umount ext2 && echo unmounted" 2>&1)
		expect_eq "ext4 image through /unreal/unreal, read-write" "inner
unmounted" "$out"
		expect_eq "the write reached the image" "new" \
			"$(debugfs -R 'cat /dir/new' disk.img 2>/dev/null)"
		e2fsck -fn disk.img >/dev/null 2>&1 ||
			fail "e2fsck finds the image unclean after the nested mount"
	else
		fail "cannot make the ext4 image or the ISO"
	fi
else
	echo "note: no e2fsprogs or xorriso: composition with umfuse not checked"
fi

out=$(inview "mount -t nestprobe /unreal$d/src/sub/missing p1; echo \"mount=\$?\"")
expect_match "a missing source: a clear error" \
	"*nestprobe: cannot open /unreal$d/src/sub/missing: No such file*" "$out"

finish
