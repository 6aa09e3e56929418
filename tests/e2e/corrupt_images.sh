# Corrupted images under umview: a few hundred ext2, ext4 and ISO 9660
# images made by flipping bytes of small valid ones, each mounted and
# walked in its own view.  Every one must either fail to mount with a
# message naming it, or mount and answer (EIO where the data is damaged);
# umview must never die by a signal nor hang.
. "$E2E_DIR/lib.sh"
PATH=$PATH:/usr/sbin:/sbin
need mount umount mke2fs xorriso python3 timeout find

d=$TMPDIR/corrupt
mkdir -p "$d/src/dir/sub" "$d/mnt" "$d/img" && cd "$d" || { fail "cannot make $d"; finish; }
for i in $(seq 1 40); do echo "file $i" > "src/dir/f$i"; done
seq 1 3000 > src/numbers
ln -s numbers src/link
ln -s "$(printf 'long/%.0s' $(seq 1 40))x" src/slowlink
echo deep > src/dir/sub/deep
owner="$(id -u):$(id -g)"
mke2fs -q -t ext2 -I 256 -E root_owner=$owner -d src base.ext2 1M >/dev/null &&
mke2fs -q -t ext4 -E root_owner=$owner -d src base.ext4 2M >/dev/null &&
xorriso -as mkisofs -quiet -R -J -o base.iso src 2>/dev/null ||
	{ fail "cannot make the base images"; finish; }

# The intact bases mount and read back: the walk below means something.
out=$(umview -n bash -c "cd '$d' && um_add_service umfuse &&
	for b in base.ext2:umfuseext2 base.ext4:umfuseext2 base.iso:umfuseiso9660; do
		mount -t \${b#*:} \${b%:*} mnt && cat mnt/dir/sub/deep && umount mnt
	done" 2>&1)
expect_eq "the intact base images mount and read" "deep
deep
deep" "$out"

# N corrupted copies of each base: 1 to 8 random bytes changed in the
# part that holds the metadata (superblocks, descriptors, bitmaps, inode
# tables, directories), reproducible from the seed.
N=${CORRUPT_IMAGES_PER_BASE:-100}
python3 - "$N" <<'PY' || { fail "cannot make the corrupted images"; finish; }
import random, sys
n = int(sys.argv[1])
for base, span in (("base.ext2", 96 * 1024), ("base.ext4", 160 * 1024),
                   ("base.iso", 80 * 1024)):
    data = open(base, "rb").read()
    kind = base.split(".")[1]
    for i in range(n):
        r = random.Random("%s-%d" % (kind, i))
        b = bytearray(data)
        for _ in range(r.randint(1, 8)):
            pos = r.randrange(1024 if kind != "iso" else 16 * 2048,
                              min(span, len(b)))
            b[pos] ^= 1 << r.randrange(8)
        open("img/%s-%03d" % (kind, i), "wb").write(bytes(b))
PY

crashed=0 hung=0 silent=0 mounted=0 refused=0 total=0
for img in img/*; do
	kind=${img#img/}; kind=${kind%-*}
	case $kind in iso) type=umfuseiso9660;; *) type=umfuseext2;; esac
	total=$((total + 1))
	out=$(timeout -s KILL 60 umview -n bash -c "cd '$d' || exit 99
		um_add_service umfuse || exit 98
		if mount -t $type $img mnt; then
			echo MOUNTED
			find mnt >/dev/null 2>&1
			find mnt -type f -exec cat {} + >/dev/null 2>&1
			ls -lR mnt >/dev/null 2>&1
			[ $type = umfuseext2 ] && { echo x > mnt/new; mkdir mnt/d; rm -rf mnt/dir; } 2>/dev/null
			umount mnt 2>/dev/null || umount -l mnt
		fi
		echo WALKED" 2>&1)
	st=$?
	if [ $st = 137 ]; then
		hung=$((hung + 1)); echo "hang: $img"
	elif [ $st -ge 128 ] || [ $st = 99 ] || [ $st = 98 ]; then
		crashed=$((crashed + 1)); echo "umview died ($st): $img"
		echo "$out" | tail -5
	elif [[ $out != *WALKED* ]]; then
		crashed=$((crashed + 1)); echo "the walk did not finish ($st): $img"
	elif [[ $out == *MOUNTED* ]]; then
		mounted=$((mounted + 1))
	elif [[ $out == *"$type: "*"$img"* ]]; then
		refused=$((refused + 1))
	else
		silent=$((silent + 1)); echo "refused without a message: $img"
		echo "$out" | tail -3
	fi
done
echo "$total images: $mounted mounted and walked, $refused refused with a message"
expect_eq "corrupted images: umview never died" 0 "$crashed"
expect_eq "corrupted images: umview never hung" 0 "$hung"
expect_eq "corrupted images: every refusal names the image" 0 "$silent"
[ "$total" -ge 300 ] || [ "$N" != 100 ] || fail "only $total images"
finish
