# The differential battery: the same operations on a real directory X, on
# /unreal/X and on /unreal/unreal/X (the unreal module, served and
# passthrough) give the same transcript once the path prefix is replaced.
. "$E2E_DIR/lib.sh"
need python3 tar find diff cmp dd md5sum
cc_prog fsprobe

X=$TMPDIR/x          # the directory every run works in (reset before each)
F=$TMPDIR/fixture    # a real tree copied in by each run
OUT=$TMPDIR/out      # a real directory outside X, for moves across mounts
T=$TMPDIR/transcripts
mkdir -p "$T"

# The fixture: symlinks (relative, absolute, dangling, chained), hard links,
# a name with spaces, an empty directory, fixed times.
mkdir -p "$F/sub/deeper" "$F/empty dir" && cd "$F" || { fail "cannot make $F"; finish; }
printf 'alpha\nbeta\ngamma\n' > a
seq 1 1000 > nums
echo 'spaced out' > 'with space.txt'
echo deep > sub/deeper/file
ln -s a rel
ln -s "$F/a" abs
ln -s nowhere dangling
ln -s rel chain
ln -s ../a sub/up
ln -s deeper sub/dirlink
echo same > h1
ln h1 h2
chmod 600 nums
chmod 750 sub/deeper
find . -exec touch -h -d '2001-02-03 04:05:06' {} +
head -c 3145728 /dev/urandom > "$TMPDIR/big"
cd "$TMPDIR" || finish

# The battery: bash BATTERY P runs everything inside P (P's parent exists).
cat > "$TMPDIR/battery.sh" <<'SH'
P=$1 F=$2 OUT=$3 BIG=$4 PROBE=$5
run() { printf '$ %s\n' "$*"; "$@" 2>&1; echo "[$?]"; }
# find's view of a tree: symlinks by target, the rest by type, size, mode.
tree() {
	find "$@" \( -type l -printf '%p l -> %l\n' \) -o \
		\( -type d -printf '%p d %m\n' \) -o -printf '%p %y %s %m %n\n' | LC_ALL=C sort
}
cd "$P" || exit 1
echo "== cp -a"
run cp -a "$F" tree
run tree tree
run diff -r --no-dereference "$F" tree
run cat tree/rel tree/abs tree/chain tree/sub/up 'tree/with space.txt'
run cat tree/dangling
run readlink tree/abs tree/chain tree/sub/dirlink
run stat -c '%n %h %Y %a' tree/h1 tree/h2 tree/a tree/sub/deeper 'tree/empty dir'
[ "$(stat -c %i tree/h1)" = "$(stat -c %i tree/h2)" ]; echo "hard link kept: $?"
run cp -a tree tree2
run diff -r --no-dereference tree tree2
run tree tree2
[ "$(stat -c %i tree2/h1)" = "$(stat -c %i tree2/h2)" ]; echo "hard link kept: $?"
run cp -r tree tree3
run tree tree3
run ls -lnR --time-style=+T tree2
echo "== tar"
tar -C tree -cf - . | { mkdir t4 && tar -C t4 -xf -; }; echo "tar pipe: ${PIPESTATUS[*]}"
run diff -r --no-dereference tree t4
run tar -C tree -cf tree.tar .
tar -tvf tree.tar --numeric-owner --full-time | awk '{print $1, $2, $3, $4, $5, $6, $7, $8, $9, $10}' | LC_ALL=C sort
run tar -C tree2 -xf tree.tar
run tree t4
echo "== links"
run ln -s "$P/tree/a" absin
run cat absin
run readlink absin
run ln -s absin c1
run ln -s c1 c2
run ln -s c2 c3
run cat c3
run readlink -f c3
run realpath c3 tree/sub/dirlink tree/sub/up
run realpath -s tree/sub/up
run ln tree/a hard
run stat -c '%h' tree/a hard
run ln -sf tree/nums c1
run tail -n 1 c3
run ln -s loop2 loop1
run ln -s loop1 loop2
run cat loop1
run ln -s x tree/a
echo "== mv"
mkdir -p m1/in m2
run mv tree2/a m1/in/
run mv m1/in m2/
run mv 'tree2/with space.txt' m2/in/
run tree m1 m2
run mv m2/in/a m2/in/nums 2>&1
run mv m2 m1/m2
run mv m1 m1/m2/
run mv tree2/nums "$OUT/"
run mv "$OUT/nums" tree2/back
run cmp tree/nums tree2/back
run mv tree2/sub "$OUT/"
run tree "$OUT"
run mv "$OUT/sub" tree2/subback
run diff -r --no-dereference tree/sub tree2/subback
run mv tree2 "$OUT/t2"
run mv "$OUT/t2" tree2
run tree tree2
echo "== chmod, chown, touch"
run chmod 640 tree/a
run chmod -R g+w tree/sub
run chmod u=rwx,go= tree/nums
run chmod 4755 tree/a
run stat -c '%n %a' tree/a tree/nums tree/sub tree/sub/deeper tree/sub/deeper/file
run chmod 644 tree/nope
run chown "$(id -u):$(id -g)" tree/a
run chown -h "$(id -u)" tree/rel
run chown -R "$(id -u)" tree/sub
run chgrp "$(id -g)" tree/a
run chown 0 tree/a
run stat -c '%n %u %g' tree/a tree/rel
run touch -d '2001-02-03 04:05:06' tree/a
run stat -c '%Y' tree/a
run touch -h -d '2002-02-03 04:05:06' tree/rel
run stat -c '%n %Y' tree/rel tree/a
run touch -m -d '@1000000000' tree/nums
run touch -a -d '@1100000000' tree/nums
run stat -c '%X %Y' tree/nums
run touch -r tree/nums tree/sub
run stat -c '%X %Y' tree/sub
run touch newfile
run test -f newfile
run touch -c nothere
run test -e nothere
echo "== mkdir, rmdir, rm"
run mkdir -p p/q/r/s
run mkdir p
run mkdir -p p/q
run mkdir -m 700 p/m
run stat -c '%n %a' p/m p/q/r/s
run rmdir p/q
run rmdir -p p/q/r/s
run ls p
run touch p/m/f
run rm p/m
run rm -r p
run ls p
run rm -f nothere
run rm nothere
run rm -rf tree3
run ls
echo "== cat, head, tail, wc"
run head -n 3 tree/nums
run tail -n 3 tree/nums
run tail -c 7 tree/nums
run head -c 20 tree/nums
run wc tree/nums tree/a 'tree/with space.txt'
run cat tree/a tree/a
run sort -r tree/a
run grep -c 9 tree/nums
run sed -n '500,502p' tree/nums
run sed -i 's/beta/BETA/' tree/a
run cat tree/a
printf 'line1\nline2\n' > redirected; echo "redirect: $?"
printf 'line3\n' >> redirected; echo "append: $?"
run cat redirected
run md5sum redirected tree/nums
echo "== dd"
run dd if="$BIG" of=big bs=65536 status=none
run cmp "$BIG" big
run dd if=big of=big2 bs=1M status=none
run cmp big big2
run dd if=big of=part bs=4096 skip=100 count=10 status=none
run dd if=part of=big2 bs=4096 seek=3 conv=notrunc status=none
run wc -c big part big2
run md5sum big part
run cmp big big2
run dd if=/dev/zero of=sparse bs=1 count=1 seek=5000000 status=none
run stat -c '%s' sparse
run truncate -s 100 sparse
run truncate -s +50 sparse
run stat -c '%s' sparse
run cp big big3
run cmp big big3
run cat big big > big4
run stat -c '%s' big4
echo "== python"
run python3 - "$P" <<'PY'
import os, sys, stat
P = sys.argv[1]
def rel(p): return p.replace(P, "@")
os.chdir(P)
print(sorted(os.listdir("tree")))
for e in sorted(os.scandir("tree"), key=lambda e: e.name):
    print(e.name, e.is_dir(), e.is_file(), e.is_symlink(), rel(e.path),
          e.is_dir(follow_symlinks=False))
st = os.stat("tree/nums")
print(st.st_size, oct(st.st_mode), st.st_nlink, st.st_mtime)
print(stat.S_ISLNK(os.lstat("tree/rel").st_mode), os.readlink("tree/rel"))
print(rel(os.path.realpath("tree/chain")), rel(os.getcwd()))
os.makedirs("py/a/b", exist_ok=True)
with open("py/a/b/f", "w") as f:
    f.write("0123456789")
with open("py/a/b/f", "r+") as f:
    f.seek(3); print(repr(f.read(4)), f.tell())
    f.seek(0, 2); f.write("END"); print(f.tell())
    f.seek(5); f.truncate(); f.seek(0); print(repr(f.read()))
with open("py/a/b/f", "ab") as f:
    f.write(b"+app")
print(open("py/a/b/f").read())
os.rename("py/a/b/f", "py/a/g")
try:
    os.rename("py/a", "py/a/b/c")
except OSError as e:
    print("rename into itself:", e.errno, e.strerror)
try:
    os.rmdir("py/a")
except OSError as e:
    print("rmdir:", e.errno, e.strerror)
try:
    open("py/missing")
except OSError as e:
    print("open:", e.errno, e.strerror, rel(e.filename))
os.symlink("g", "py/a/lg")
os.link("py/a/g", "py/a/hg")
print(os.stat("py/a/g").st_nlink, os.path.exists("py/a/lg"), os.path.islink("py/a/lg"))
os.utime("py/a/g", (1000000000, 1000000002))
print(os.stat("py/a/g").st_mtime, os.lstat("py/a/lg").st_mtime > 1000000002)
os.chmod("py/a/g", 0o600); print(oct(os.stat("py/a/g").st_mode))
os.truncate("py/a/g", 2); print(os.path.getsize("py/a/g"))
for root, dirs, files in sorted(os.walk("py")):
    print(root, sorted(dirs), sorted(files))
for root, dirs, files in sorted(os.walk(P + "/tree", followlinks=True)):
    print(rel(root), sorted(dirs), sorted(files))
fd = os.open("py/a/g", os.O_RDWR)
os.lseek(fd, 0, os.SEEK_END); os.write(fd, b"xyz")
print(os.pread(fd, 10, 0), os.lseek(fd, 0, os.SEEK_CUR), os.fstat(fd).st_size)
fd2 = os.dup(fd); os.lseek(fd2, 1, 0); print(os.lseek(fd, 0, 1))
os.close(fd); os.close(fd2)
os.chdir("py/a"); print(rel(os.getcwd()), sorted(os.listdir(".")))
os.chdir(".."); os.rmdir("a/b"); print(sorted(os.listdir("a")))
import shutil
shutil.copytree(P + "/tree", "copied", symlinks=True)
print(sorted(os.listdir("copied")))
shutil.rmtree("copied"); shutil.rmtree(P + "/py")
print(os.path.exists(P + "/py"))
import glob
print(sorted(rel(g) for g in glob.glob(P + "/tree/*/*")))
PY
echo "== probe"
run "$PROBE" "$P/probe"
echo "== final state"
run tree .
SH

# One transcript: run the battery on P (inside umview with SERVICE loaded,
# or natively when SERVICE is empty) with X emptied first.
transcript() {
	local name=$1 service=$2 p=$3
	rm -rf "$X" "$OUT" && mkdir -p "$X" "$OUT" || { fail "cannot reset $X"; return; }
	if [ -z "$service" ]; then
		bash "$TMPDIR/battery.sh" "$p" "$F" "$OUT" "$TMPDIR/big" "$TMPDIR/fsprobe"
	else
		umview -n bash -c 'um_add_service "$1" || exit 99; shift; bash "$@"' \
			sh "$service" "$TMPDIR/battery.sh" "$p" "$F" "$OUT" \
			"$TMPDIR/big" "$TMPDIR/fsprobe"
	fi > "$T/$name.raw" 2>&1
	echo "[exit $?]" >> "$T/$name.raw"
	sed "s|$p|@|g" "$T/$name.raw" > "$T/$name"
}

# The reference: the battery on the real X, outside the view.
transcript native "" "$X"
for want in "== probe" "== final state" "hard link kept: 0"; do
	grep -q "^$want" "$T/native" || fail "the native transcript lacks '$want'"
done
if grep -q 'user xattrs not supported' "$T/native"; then
	echo "note: user xattrs not supported on $TMPDIR, that part is skipped"
fi
expect_eq "the native run ends normally" "[exit 0]" "$(tail -1 "$T/native")"

for mode in served passthrough; do
	for p in "$X" "/unreal$X" "/unreal/unreal$X"; do
		name=$mode$(echo "$p" | sed "s|$X|-X|; s|/|-|g")
		transcript "$name" "unreal,mode=$mode" "$p"
		if diff -u "$T/native" "$T/$name" > "$T/$name.diff"; then
			pass "$mode: $p gives the native transcript"
		else
			fail "$mode: $p differs from the native transcript:"
			head -n 60 "$T/$name.diff"
		fi
	done
done

# A real symlink outside any mount that points into one.
rm -rf "$X" && mkdir -p "$X" && echo content > "$X/file" && ln -s "/unreal$X/file" "$TMPDIR/l" &&
	ln -s "/unreal$X" "$TMPDIR/ldir" && ln -s /unreal "$TMPDIR/lroot"
# Attribute changes through an open, unlinked file reach the file.
want=$(python3 "$E2E_DIR/prog/fdattr.py" "$TMPDIR/fdattr-native")
for mode in served passthrough; do
	out=$(umview -n bash -c "um_add_service unreal,mode=$mode &&
		python3 '$E2E_DIR/prog/fdattr.py' '/unreal$TMPDIR/fdattr'" 2>&1)
	expect_eq "$mode: fchmod/fchown/futimens of an unlinked open file" \
		"$want" "$out"
done

for mode in served passthrough; do
	out=$(umview -n bash -c "um_add_service unreal,mode=$mode; cat '$TMPDIR/l'" 2>&1)
	expect_eq "$mode: a real symlink (last component) into the mount" "content" "$out"
	out=$(umview -n bash -c "um_add_service unreal,mode=$mode; cat '$TMPDIR/ldir/file'" 2>&1)
	expect_eq "$mode: a real symlink to a directory in the mount" "content" "$out"
	out=$(umview -n bash -c "um_add_service unreal,mode=$mode; cat '$TMPDIR/lroot$X/file'" 2>&1)
	expect_eq "$mode: a real symlink to the mount point" "content" "$out"
	out=$(umview -n bash -c "um_add_service unreal,mode=$mode; readlink -f '$TMPDIR/l'" 2>&1)
	expect_eq "$mode: readlink -f through the real symlink" "/unreal$X/file" "$out"
done

# /proc/self/fd/N of an fd opened inside the mount: print the link (its
# exact text is a known gap) and read the file through it.
for mode in served passthrough; do
	out=$(umview -n bash -c "um_add_service unreal,mode=$mode
		exec 3<'/unreal$X/file'; readlink /proc/self/fd/3 >&2; cat /proc/self/fd/3
		python3 -c 'import os; print(os.read(os.open(\"/proc/self/fd/3\", os.O_RDONLY), 100).decode(), end=\"\")'
		cat /dev/fd/3" 2>"$TMPDIR/err")
	echo "$mode: readlink /proc/self/fd/3 gives [$(cat "$TMPDIR/err")]"
	expect_eq "$mode: a virtual file read through /proc/self/fd/N" "content
content
content" "$out"
done

finish
