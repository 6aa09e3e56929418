# umfuseiso9660 under umview: ISO 9660 images made at test time with
# xorriso (Rock Ridge + Joliet, Joliet only, plain), mounted by a normal
# user, read by real programs; every write fails with EROFS.
. "$E2E_DIR/lib.sh"
need mount umount xorriso diff find cmp

d=$TMPDIR/iso
mkdir -p "$d/src" "$d/mnt" && cd "$d" || { fail "cannot make $d"; finish; }
deep=src/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/l11/l12
mkdir -p "$deep"
echo bottom > "$deep/file"
echo long > "src/A rather long file name, with Spaces and MixedCase.text"
head -c 3000000 /dev/urandom > src/random.bin
: > src/empty
ln -s random.bin src/rel-link
ln -s /nowhere/at/all src/dangling
mkdir src/private && echo secret > src/private/s && chmod 750 src/private
chmod 4755 src/random.bin
touch -d '2003-04-05 06:07:08' src/empty src/l1
xorriso -as mkisofs -quiet -R -J -o rrj.iso src 2>/dev/null &&
xorriso -as mkisofs -quiet --norock -J -o joliet.iso src 2>/dev/null &&
xorriso -as mkisofs -quiet --norock -o plain.iso src 2>/dev/null ||
	{ fail "xorriso cannot make the images"; finish; }

inview() {
	umview -n bash -c "cd '$d' || exit 99; um_add_service umfuse || exit 98; $1" 2>&1
}

out=$(inview "mount -t umfuseiso9660 rrj.iso mnt || exit 1
	diff -r --no-dereference src mnt && echo same
	cat mnt/${deep#src/}/file
	stat -c '%a %U %Y' mnt/random.bin mnt/private mnt/empty mnt/l1
	readlink mnt/rel-link mnt/dangling; cmp mnt/rel-link src/random.bin && echo link-ok
	[ \$(find mnt | wc -l) = \$(find src | wc -l) ] && echo count-ok
	umount mnt && echo unmounted")
me=$(id -un)
expect_eq "Rock Ridge: names, contents, modes, owners, times, symlinks, deep dirs" "same
bottom
4755 $me $(stat -c %Y src/random.bin)
750 $me $(stat -c %Y src/private)
644 $me $(TZ=UTC0 date -d '2003-04-05 06:07:08 UTC' +%s)
755 $me $(TZ=UTC0 date -d '2003-04-05 06:07:08 UTC' +%s)
random.bin
/nowhere/at/all
link-ok
count-ok
unmounted" "$out"

out=$(inview "mount -t umfuseiso9660 rrj.iso mnt || exit 1
	touch mnt/new 2>&1; mkdir mnt/d 2>&1; rm mnt/empty 2>&1
	mv mnt/empty mnt/e2 2>&1; chmod 600 mnt/empty 2>&1
	echo x >> mnt/empty; ln -s a mnt/sl 2>&1
	umount mnt" | grep -c 'Read-only file system')
expect_eq "every write fails with EROFS" 7 "$out"

out=$(inview "mount -t umfuseiso9660 joliet.iso mnt || exit 1
	ls mnt | grep -c 'A rather long file name, with Spaces and MixedCase.text'
	cmp mnt/random.bin src/random.bin && echo same
	cat mnt/${deep#src/}/file
	umount mnt")
expect_eq "Joliet: long mixed-case names, contents, deep dirs" "1
same
bottom" "$out"

out=$(inview "mount -t umfuseiso9660 plain.iso mnt || exit 1
	ls mnt | grep -c '^random.bin\$'
	cmp mnt/random.bin src/random.bin && echo same
	umount mnt")
expect_eq "plain ISO 9660: names, contents" "1
same" "$out"

# A file over 4 GiB is recorded in several sections (multi-extent).  The
# image takes 4.2 GB of disk for the time of the check.
free_kb=$(df -Pk "$d" | awk 'NR == 2 { print $4 }')
if [ "${free_kb:-0}" -gt $((10 * 1024 * 1024)) ]; then
	mkdir -p large
	python3 -c '
import sys
with open("large/big", "wb") as f:
    for off in (0, 4294965238, 4294965253, 4399999900):
        f.seek(off); f.write(b"MARK%d" % off)
    f.truncate(4400000000)' &&
	xorriso -as mkisofs -quiet -R -J -iso-level 3 -o large.iso large \
		2>/dev/null || fail "xorriso cannot make the multi-extent image"
	rm -rf large
	out=$(inview "mount -t umfuseiso9660 large.iso mnt || exit 1
		ls mnt; stat -c %s mnt/big
		for off in 0 4294965238 4294965253 4399999900; do
			dd if=mnt/big bs=1 skip=\$off count=14 2>/dev/null |
				tr -cd A-Z0-9; echo; done
		umount mnt")
	expect_eq "a 4.4 GB file in three sections: one name, its size, its data" \
		"big
4400000000
MARK0
MARK4294965238
MARK4294965253
MARK4399999900" "$out"
	rm -f large.iso
else
	echo "note: multi-extent check not run: it needs 10 GB free in $d"
fi

# Bad input: clear errors, no crash, the view goes on.
mkdir -p adir; : > empty.iso
printf 'not an image\n%.0s' $(seq 1 5000) > garbage.iso
cp rrj.iso secret.iso; chmod 000 secret.iso
for bad in missing.iso adir empty.iso garbage.iso secret.iso; do
	out=$(inview "mount -t umfuseiso9660 $bad mnt; echo \"mount=\$?\"; ls mnt | wc -l")
	expect_match "bad image $bad: mount fails with a message" \
		"*umfuseiso9660*$bad*mount=[1-9]*0" "$out"
done
# Cut after the volume descriptors.
head -c 40000 rrj.iso > cut.iso
out=$(inview "mount -t umfuseiso9660 cut.iso mnt; echo \"mount=\$?\"")
expect_match "a truncated image is refused with a message" \
	"*cut.iso: the image is truncated*mount=[1-9]*" "$out"
finish
