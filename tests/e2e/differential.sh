# The differential battery of real programs: cp, tar, find, diff, ln, mv,
# chmod/chown, touch/stat, mkdir/rmdir/rm, gcc with make, python3, git,
# sqlite3 (locks; WAL with two processes sharing a map is pending on served
# files: DIFF_PENDING=1)
# run on a scratch tree X, on /unreal/X and on /unreal/unreal/X, with the
# unreal module served and passthrough.  Every mounted run must print the
# native run's transcript, with one normalisation: the path of X as the run
# sees it becomes "@".  No inode, device or block numbers are printed (the
# runs make different files; unreal itself shows the real ones), and no
# clock time except times the battery sets itself.
#
# Lines starting with "#x#" are where the variants must differ and are
# checked on their own: a rename(2) across the mount boundary is EXDEV on a
# mount (mv then copies) and succeeds natively.
. "$E2E_DIR/lib.sh"
need python3 tar find diff cmp gcc make git sqlite3

X=$TMPDIR/x          # the directory every run works in (reset before each)
F=$TMPDIR/fixture    # a real tree copied in by each run
OUT=$TMPDIR/out      # a real directory outside X: across the mount boundary
T=$TMPDIR/transcripts
mkdir -p "$T"

# The fixture: symlinks (relative, absolute, dangling, chained, to a
# directory), hard links, a fifo, modes from 0400 to 4755, a name with
# spaces, an empty directory, every time fixed.
mkdir -p "$F/src/lib" "$F/empty" "$F/docs" && cd "$F" ||
	{ fail "cannot make $F"; finish; }
printf 'alpha\nbeta\ngamma\n' > a
seq 1 2000 > nums
echo 'spaced out' > 'with space.txt'
echo 'lib' > src/lib/lib.txt
echo 'readme' > docs/README
printf '#!/bin/sh\necho script ran "$@"\n' > src/run.sh
ln -s a rel
ln -s "$F/a" abs
ln -s nowhere dangling
ln -s rel chain
ln -s ../a src/up
ln -s lib src/dirlink
echo same > h1
ln h1 h2
ln h1 docs/h3
mkfifo pipe
chmod 600 nums
chmod 400 docs/README
chmod 755 src/run.sh
chmod 4755 h1
chmod 750 src/lib
chmod 1777 empty
find . -exec touch -h -d '2001-02-03 04:05:06.123456789' {} +
touch -h -d '2003-03-03 03:03:03' docs/README src/lib
cd "$TMPDIR" || finish

# The battery (bash BATTERY P F OUT SHARED): everything happens inside P,
# whose parent exists; SHARED=1 adds sqlite3 in WAL mode with two processes.
# Sections are functions so that a pending one can be left out in one place.
cat > "$TMPDIR/battery.sh" <<'SH'
P=$1 F=$2 OUT=$3 SHARED=$4
run() { printf '$ %s\n' "$*"; "$@" 2>&1; echo "[$?]"; }
# run, with the output sorted (where it follows readdir order).
runs() {
	local st
	printf '$ %s\n' "$*"; "$@" > sorted.out 2>&1; st=$?
	LC_ALL=C sort sorted.out; rm -f sorted.out; echo "[$st]"
}
# find's view of a tree, sorted: type, mode, links, size, target.
tree() {
	find "$@" \( -type l -printf '%p l %l\n' \) -o \
		\( -type d -printf '%p d %m\n' \) -o \
		-printf '%p %y %m %n %s\n' | LC_ALL=C sort
}
# Times of a tree as stat shows them (fixture times only: fixed).
times() {
	find "$@" -printf '%p\n' | LC_ALL=C sort |
		xargs -d '\n' stat -c '%n %Y %y'
}

sec_cp() {
	echo "== cp -a"
	run cp -a "$F" tree
	run tree tree
	run times tree
	run diff -r --no-dereference "$F" tree
	run cat tree/rel tree/abs tree/chain tree/src/up 'tree/with space.txt'
	run cat tree/dangling
	run readlink tree/abs tree/chain tree/src/dirlink
	[ "$(stat -c %i tree/h1)" = "$(stat -c %i tree/h2)" ] &&
		[ "$(stat -c %i tree/h1)" = "$(stat -c %i tree/docs/h3)" ]
	echo "hard links kept: $?"
	run cp -a tree copy
	run diff -r --no-dereference tree copy
	run tree copy
	run times copy
	[ "$(stat -c %i copy/h1)" = "$(stat -c %i copy/docs/h3)" ]
	echo "hard links kept: $?"
	run cp -rL tree/src deref
	run tree deref
	run cp tree/docs/README tree/a copy/docs/
	run cp -n tree/nums copy/a
	run cp -u tree/a copy/a
	run cp tree/empty tree/x
	run cp -a tree/nothere .
	# (an empty directory: what cp copies before it notices depends on the
	# order of inode numbers)
	mkdir self
	run cp -r self self/
	rm -r self
	run ls -ln --time-style=+ copy copy/src
}

sec_tar() {
	echo "== tar"
	run tar --sort=name -C tree -cf t.tar .
	tar -tvf t.tar --numeric-owner --full-time | LC_ALL=C sort -k6
	echo "listing: ${PIPESTATUS[0]}"
	mkdir untar || echo "mkdir untar failed"
	run tar -C untar -xpf t.tar
	run diff -r --no-dereference tree untar
	run tree untar
	run times untar/a untar/docs untar/src/lib
	tar --sort=name -C untar -cf - . | tar -tvf - --numeric-owner --full-time |
		LC_ALL=C sort -k6 > relisted
	tar -tvf t.tar --numeric-owner --full-time | LC_ALL=C sort -k6 |
		diff - relisted
	echo "same listing after a round trip: $?"
	tar -C tree -czf - src docs | { mkdir piped && tar -C piped -xzf -; }
	echo "tar pipe: ${PIPESTATUS[*]}"
	run diff -r --no-dereference tree/src piped/src
	run tar -C tree -cf /dev/null nothere
	run tar -C untar -xf t.tar ./a
	run tar -C untar --keep-old-files -xf t.tar ./nums
	echo corrupt > bad.tar
	run tar -tf bad.tar
}

sec_find() {
	echo "== find"
	touch -d '2002-01-01 00:00:00' ref
	runs find tree -type f -printf '%p %m %s %T@\n'
	runs find tree -type l -printf '%p -> %l [%Y]\n'
	runs find tree -type d -printf '%p %m %d\n'
	runs find tree -type p
	runs find tree -newer ref
	runs find tree ! -newer ref -type f
	runs find tree -perm -4000
	runs find tree -perm /o+w -type d
	runs find tree -perm 600
	runs find tree -name '*.txt' -o -name 'h?'
	runs find -L tree -type f -name up
	runs find tree -maxdepth 1 -empty
	runs find tree -samefile tree/h1
	runs find tree -links 3 -type f
	runs find tree -newermt '2003-01-01' -printf '%p %TY-%Tm-%Td\n'
	runs find tree -size +1k -printf '%p %k\n'
	runs find tree -user "$(id -u)" -type f -printf '%P '
	echo
	runs find tree -uid 0
	runs find tree/nothere
}

sec_diff() {
	echo "== diff -r"
	run diff -r --no-dereference tree copy
	run diff -r tree untar
	echo beta2 > copy/docs/extra
	sed -i 's/beta/BETA/' copy/a
	run diff -r --no-dereference tree copy
	run diff tree/a copy/a
	run diff -q tree/nums untar/nums
	run cmp tree/nums untar/nums
	run diff tree/nothere tree/a
	rm copy/docs/extra
}

sec_ln() {
	echo "== ln -s chains"
	echo outside > "$OUT/file"
	run ln -s "$P/tree/a" abs_in
	run ln -s tree/a rel_in
	run ln -s "$OUT/file" abs_out
	run ln -s ../out/file ./rel_out_maybe
	run ln -s abs_in c1
	run ln -s c1 c2
	run ln -s c2 c3
	run ln -s "$P/c3" c4
	run cat c4 abs_out
	run readlink -f c4 abs_out
	run realpath c3 tree/src/dirlink tree/src/up
	run realpath -s tree/src/up
	# Out of the mount and back into it.
	run ln -s "$P/c3" "$OUT/back_in"
	run ln -s "$OUT/back_in" round
	run cat round
	run readlink -f round
	run ln -s "$OUT" outdir
	run cat outdir/file outdir/back_in
	run ls outdir/
	run ln -s .. tree/src/lib/parent
	run cat tree/src/lib/parent/parent/a
	run rm tree/src/lib/parent
	run ln -sf tree/nums c1
	run tail -n 1 c4
	run ln -s loop2 loop1
	run ln -s loop1 loop2
	run cat loop1
	run ln -s x tree/a
	run ln tree/a hard
	run ln tree/src hardtodir
	run stat -c '%n %h' tree/a hard
	run ln -sr tree/docs/README relr
	run readlink relr
	run cat relr
	run ln -L c1 hardfollow
	run stat -c '%n %h %F' hardfollow tree/nums
	run ln -P c1 hardlink_to_link
	run stat -c '%n %h %F' hardlink_to_link
	rm -f "$OUT/back_in"
}

sec_mv() {
	echo "== mv"
	mkdir -p m1/in m2
	run mv copy/a m1/in/
	run mv m1/in m2/
	run mv 'copy/with space.txt' m2/in/
	run mv m2 m1/m2
	run mv m1 m1/m2/
	run mv m1/m2/in/a m1/m2/in/a
	run mv -n copy/nums m1/m2/in/a
	run mv -T m1/m2/in m1/m2/renamed
	run tree m1
	run mv nothere m1
	# Across the mount boundary: rename(2) fails with EXDEV on a mount and
	# mv copies, keeping modes, times and symlinks.
	run mv copy/nums "$OUT/"
	run stat -c '%n %a %Y' "$OUT/nums"
	run mv "$OUT/nums" copy/back
	run cmp tree/nums copy/back
	run mv copy/src "$OUT/"
	run tree "$OUT/src"
	run mv "$OUT/src" copy/srcback
	run diff -r --no-dereference tree/src copy/srcback
	run times copy/srcback
	run mv copy "$OUT/c"
	run mv "$OUT/c" copy
	run tree copy
	echo x > "$OUT/x"
	echo y > y
	python3 - "$P/y" "$OUT/y" "$OUT/x" "$P/y2" <<'PY'
import os, sys, errno
def t(a, b):
    try:
        os.rename(a, b)
        return "ok"
    except OSError as e:
        return errno.errorcode[e.errno]
print("#x# rename out of X:", t(sys.argv[1], sys.argv[2]))
print("#x# rename into X:", t(sys.argv[3], sys.argv[4]))
PY
	rm -f "$OUT/x" "$OUT/y" y y2
}

sec_chmod() {
	echo "== chmod, chown"
	run chmod 640 tree/a
	run chmod -R g+w tree/src
	run chmod u=rwx,go= tree/nums
	run chmod 2755 tree/docs
	run chmod 0 tree/h2
	run stat -c '%n %a %A' tree/a tree/nums tree/src tree/src/lib \
		tree/src/run.sh tree/docs tree/h1 tree/h2
	run cat tree/h1
	run chmod 644 tree/h2
	run chmod 644 tree/nothere
	run chmod -h 777 tree/rel
	run stat -c '%n %a' tree/a
	run chmod --reference=tree/nums tree/a
	run stat -c '%n %a' tree/a
	for g in $(id -G); do
		chgrp "$g" tree/a && stat -c '%g' tree/a | grep -qx "$g" ||
			echo "chgrp $g failed"
	done
	run chown "$(id -u):$(id -g)" tree/a
	run chown -h "$(id -u)" tree/rel
	run chown -R "$(id -u)" tree/src
	run chown 0 tree/a
	run chgrp 0 tree/a
	run chown -h 0 tree/rel
	run stat -c '%n %u %g' tree/a tree/rel
	run chmod 4755 tree/a
	run chown "$(id -u)" tree/a
	run stat -c '%n %a' tree/a
}

sec_touch() {
	echo "== touch, stat"
	run touch -d '2001-02-03 04:05:06' tree/a
	run stat -c '%n %Y %X' tree/a
	run touch -h -d '2002-02-03 04:05:06' tree/rel
	run stat -c '%n %Y %X' tree/rel tree/a
	run touch -m -d '@1000000000' tree/nums
	run touch -a -d '@1100000000.5' tree/nums
	run stat -c '%n %Y %X %x %y' tree/nums
	run touch -r tree/nums tree/src
	run stat -c '%n %Y %X' tree/src
	run touch -d '1969-12-31 23:59:59 UTC' tree/docs/h3
	run stat -c '%n %Y %X' tree/docs/h3
	run touch -d '2262-01-01 UTC' tree/h2
	run stat -c '%n %Y' tree/h2
	run touch -d 'not a date' tree/a
	run touch newfile
	run test -f newfile
	run touch -c nothere
	run test -e nothere
	run touch tree/nothere/x
	run stat -c '%n %s %F %a %h %u %g' tree/a tree/src tree/rel tree/pipe
	run stat -L -c '%n %s %F' tree/rel tree/chain
	run stat tree/nothere
	run stat -f -c '%l' .
}

sec_mkdir() {
	echo "== mkdir, rmdir, rm"
	run mkdir -p p/q/r/s
	run mkdir p
	run mkdir -p p/q
	run mkdir -m 700 p/m
	run mkdir p/m/
	run mkdir -p p/n/../o
	run stat -c '%n %a' p/m p/q/r/s p/o
	run mkdir nothere/x
	run mkdir tree/a/x
	run rmdir p/q
	run rmdir -p p/q/r/s
	run ls p
	run rmdir tree/a
	run rmdir tree/rel
	run rmdir p/o/
	run touch p/m/f
	run rm p/m
	run rm -d p/m
	run chmod 500 p/m
	run rm -rf p/m
	run chmod 700 p/m
	run rm -r p
	run ls p
	run rm -f nothere
	run rm nothere
	mkdir -p deep/a/b/c/d && ln -s "$P/tree" deep/a/b/link &&
		ln -s .. deep/a/b/c/d/up && touch deep/a/b/c/d/f
	run rm -r deep
	run ls tree/a
	run rm -rf deref untar/src
	run ls
}

sec_gcc() {
	echo "== gcc, make"
	mkdir -p build/include && cd build || return
	cat > include/calc.h <<'C'
int add(int a, int b);
int mul(int a, int b);
extern const char *greeting;
C
	printf '#include "calc.h"\nint add(int a, int b) { return a + b; }\n' > add.c
	printf '#include "calc.h"\nint mul(int a, int b) { return a * b; }\n' > mul.c
	printf '#include "calc.h"\nconst char *greeting = "hello";\n' > greet.c
	cat > main.c <<'C'
#include <stdio.h>
#include <stdlib.h>
#include "calc.h"
int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 6;
	printf("%s %d %d\n", greeting, add(n, 1), mul(n, 7));
	return 0;
}
C
	cat > Makefile <<'MK'
CFLAGS = -O1 -Wall -Werror -Iinclude
OBJS = main.o add.o mul.o libgreet.a
prog: main.o add.o mul.o libgreet.a
	$(CC) -o $@ $^
libgreet.a: greet.o
	$(AR) rcs $@ $^
%.o: %.c include/calc.h
	$(CC) $(CFLAGS) -c -o $@ $<
clean:
	rm -f prog *.o *.a
MK
	run make -s
	run ./prog
	run "$P/build/prog" 12
	run make
	touch -d '2020-01-01' ./*.c include/calc.h ./*.o ./*.a prog
	touch -d '2021-01-01' mul.c
	run make -n
	run make -s
	run ./prog 3
	ls *.o *.a prog | LC_ALL=C sort
	run test -x prog
	# The compiler's own temporary files inside the mount too.
	run env TMPDIR="$P/build" gcc -O1 -Iinclude -o prog2 main.c add.c mul.c greet.c -save-temps
	run ./prog2 2
	ls | LC_ALL=C sort
	echo 'int main(void) { return undefined(); }' > bad.c
	gcc -Werror -c bad.c > /dev/null 2>&1; echo "bad.c: $?"
	run make -s clean
	cd "$P" || exit 1
}

sec_python() {
	echo "== python3"
	run python3 - "$P" <<'PY'
import os, sys, shutil, tempfile, errno
P = sys.argv[1]
def rel(p): return p.replace(P, "@")
os.chdir(P)
for root, dirs, files in sorted(os.walk("tree")):
    print(root, sorted(dirs), sorted(files))
for root, dirs, files in sorted(os.walk(P + "/tree", followlinks=True)):
    print(rel(root), sorted(dirs), sorted(files))
shutil.copytree("tree", "pycopy", symlinks=True, ignore=shutil.ignore_patterns("pipe"))
for root, dirs, files in sorted(os.walk("pycopy")):
    for n in sorted(files):
        p = os.path.join(root, n)
        st = os.lstat(p)
        print(p, oct(st.st_mode), st.st_size, int(st.st_mtime))
shutil.copytree("tree/src", "pycopy2")
print(sorted(os.listdir("pycopy2")), os.path.islink("pycopy2/up"))
try:
    shutil.copytree("tree/src", "pycopy2")
except OSError as e:
    print("copytree onto existing:", errno.errorcode[e.errno])
os.rename("pycopy2", "pycopy/moved")
os.rename("pycopy/a", "pycopy/moved/a")
os.replace("pycopy/nums", "pycopy/moved/a")
try:
    os.rename("pycopy", "pycopy/moved/inside")
except OSError as e:
    print("rename into itself:", errno.errorcode[e.errno])
try:
    os.rename("pycopy/moved", "pycopy/h1")
except OSError as e:
    print("rename dir onto file:", errno.errorcode[e.errno])
print(sorted(os.listdir("pycopy/moved")), os.path.getsize("pycopy/moved/a"))
fd, name = tempfile.mkstemp(dir=P, prefix="tmp-", suffix=".x")
os.write(fd, b"temporary"); os.close(fd)
print(rel(os.path.dirname(name)), os.path.basename(name).startswith("tmp-"),
      oct(os.stat(name).st_mode), open(name).read())
os.unlink(name)
with tempfile.TemporaryDirectory(dir=P) as d:
    open(os.path.join(d, "in"), "w").write("x")
    os.mkdir(os.path.join(d, "sub"))
    print(rel(os.path.dirname(d)), sorted(os.listdir(d)))
print(os.path.exists(d))
with tempfile.NamedTemporaryFile(dir=P, mode="w+") as f:
    f.write("named"); f.flush(); f.seek(0)
    print(f.read(), os.path.exists(f.name))
print(os.path.exists(f.name))
tempfile.tempdir = P
with tempfile.TemporaryFile() as f:
    f.write(b"anon"); f.seek(0); print(f.read())
print(sorted(n for n in os.listdir(".") if n.startswith("tmp")))
shutil.rmtree("pycopy")
print(os.path.exists("pycopy"))
try:
    shutil.rmtree("nothere")
except OSError as e:
    print("rmtree missing:", errno.errorcode[e.errno])
PY
}

# git maps its index and packs (mmap of virtual files).
sec_git() {
	echo "== git"
	export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=Tester
	export GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=Tester
	export GIT_COMMITTER_EMAIL=t@example.org
	export GIT_AUTHOR_DATE='2001-02-03T04:05:06Z' GIT_COMMITTER_DATE='2001-02-03T04:05:06Z'
	mkdir repo && cd repo || return
	run git init -q -b main .
	cp -a "$F/a" "$F/src" "$F/docs" .
	run git add .
	run git status --short
	run git commit -q -m first
	run git log --format='%H %s'
	echo delta >> a
	rm docs/README
	git mv src/run.sh src/start.sh
	run git status --short
	run git diff --stat
	run git commit -q -am second
	run git log --format='%H %s'
	run git ls-files -s
	run git show --stat --format=%s HEAD
	run git checkout -q HEAD~1 -- docs/README
	run cat docs/README
	run git status --short
	run git fsck --no-progress
	run git gc -q
	run git count-objects -v
	cd "$P" || exit 1
}

sec_tools() {
	echo "== more tools"
	run install -m 640 -D tree/a inst/sub/a
	run install -d -m 711 inst/dir
	run stat -c '%n %a' inst/sub/a inst/dir
	d=$(TMPDIR=$P mktemp -d)
	echo "mktemp -d in @: $? $(stat -c %a "$d") ${d%/tmp.*}"
	rm -r "$d"
	run find inst -name a -delete
	run find inst
	seq 20 -1 1 > unsorted
	run sort -n -o unsorted unsorted
	run head -n 3 unsorted
	run split -l 7 unsorted part.
	run ls part.aa part.ab part.ac
	run ln -sfn tree/src dirlink
	run ln -sfn tree/docs dirlink
	run readlink dirlink
	truncate -s 1M sparse_src && printf x >> sparse_src
	run cp --sparse=always sparse_src sparse_dst
	run cmp sparse_src sparse_dst
	run du --apparent-size -k sparse_dst
	run cp --reflink=auto tree/nums reflinked
	run cmp tree/nums reflinked
	rm -f sparse_src sparse_dst reflinked unsorted part.*
	run git clone -q --no-hardlinks repo clone
	run git -C clone log --format='%H %s'
	run git -C clone status --short
	# a local clone out of the mount: hard links fail with EXDEV, git copies
	run git clone -q repo "$OUT/clone"
	run git -C "$OUT/clone" log --format='%H %s'
	rm -rf clone "$OUT/clone"
	run python3 - <<'PY'
import os, shutil
seen = []
for top, dirs, files, fd in os.fwalk("tree"):
    seen.append((top, sorted(dirs), sorted(files),
                 sorted(os.listdir(fd)) == sorted(dirs + files)))
for entry in sorted(seen):
    print(*entry)
shutil.copytree("tree", "fw", symlinks=True,
                ignore=shutil.ignore_patterns("pipe"))
print(shutil.rmtree.avoids_symlink_attacks)
shutil.rmtree("fw")
print(os.path.exists("fw"))
fd = os.open("tree", os.O_RDONLY | os.O_DIRECTORY)
print(sorted(e.name for e in os.scandir(fd)))
print(os.stat("a", dir_fd=fd).st_size, os.readlink("rel", dir_fd=fd))
os.mkdir("newdir", dir_fd=fd); os.rename("newdir", "newdir2", src_dir_fd=fd,
                                         dst_dir_fd=fd)
os.rmdir("newdir2", dir_fd=fd)
os.close(fd)
import zipfile, tarfile
with zipfile.ZipFile("z.zip", "w") as z:
    z.write("tree/a"); z.write("tree/nums")
with zipfile.ZipFile("z.zip") as z:
    print(z.namelist(), z.read("tree/a"))
with tarfile.open("t.tgz", "w:gz") as t:
    t.add("tree/src")
with tarfile.open("t.tgz") as t:
    print(sorted(t.getnames()))
os.unlink("z.zip"); os.unlink("t.tgz")
PY
	rm -rf inst
}

# Extended attributes carried by cp -a and tar --xattrs.
sec_xattr() {
	echo "== xattrs"
	mkdir xa && echo x > xa/f && ln -s f xa/l
	run python3 - <<'PY'
import os
try:
    os.setxattr("xa/f", "user.k", b"v1")
    os.setxattr("xa", "user.d", b"dir")
except OSError as e:
    print("setxattr:", e.errno)
try:
    os.setxattr("xa/l", "user.k", b"v", follow_symlinks=False)
except OSError as e:
    print("setxattr on a symlink:", e.errno)
PY
	run cp -a xa xb
	run tar --xattrs -cf x.tar xa
	mkdir xt
	run tar --xattrs --xattrs-include='user.*' -C xt -xf x.tar
	run python3 - <<'PY'
import os
for p in ("xb/f", "xb", "xt/xa/f"):
    try:
        print(p, sorted(os.listxattr(p)),
              [os.getxattr(p, n) for n in sorted(os.listxattr(p))])
    except OSError as e:
        print(p, e.errno)
print(os.listxattr("xb/l", follow_symlinks=False))
PY
	rm -rf xa xb xt x.tar
}

# sqlite3 takes record locks (without them: "disk I/O error").
sec_sqlite() {
	echo "== sqlite3"
	run sqlite3 rb.db "PRAGMA journal_mode=DELETE;
		CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT);
		INSERT INTO t(v) VALUES ('one'), ('two'), ('three');
		BEGIN; INSERT INTO t(v) VALUES ('gone'); ROLLBACK;
		SELECT k, v FROM t ORDER BY k;"
	run sqlite3 rb.db "UPDATE t SET v = upper(v); SELECT group_concat(v) FROM t;
		PRAGMA integrity_check;"
	run sqlite3 wal.db "PRAGMA journal_mode=WAL;
		CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT);
		INSERT INTO t(v) VALUES ('a'), ('b');"
	run sqlite3 wal.db "INSERT INTO t(v) VALUES ('c');
		SELECT group_concat(v) FROM t; PRAGMA wal_checkpoint(TRUNCATE);"
	run sqlite3 wal.db "PRAGMA integrity_check; SELECT count(*) FROM t;"
	run python3 - "$P/rb.db" <<'PY'
import sqlite3, sys
a = sqlite3.connect(sys.argv[1], timeout=0)
b = sqlite3.connect(sys.argv[1], timeout=0)
a.execute("BEGIN EXCLUSIVE")
try:
    b.execute("INSERT INTO t(v) VALUES ('blocked')")
except sqlite3.OperationalError as e:
    print("second writer:", e)
a.rollback()
b.execute("INSERT INTO t(v) VALUES ('now')"); b.commit()
print(a.execute("SELECT count(*) FROM t").fetchone())
PY
}

# WAL with two processes at once: the writer holds the WAL and the shared
# memory index (-shm, mapped MAP_SHARED by both) while another process
# reads.  Pending on served files (DIFF_PENDING=1): each process's shared
# map of a virtual file is its own copy, so the reader does not see the
# writer's index (SQLITE_PROTOCOL, exit 15).  Passthrough maps real files.
sec_sqlite_shared() {
	echo "== sqlite3 WAL, two processes"
	run sqlite3 wal2.db "PRAGMA journal_mode=WAL;
		CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT);
		INSERT INTO t(v) VALUES ('a'), ('b');"
	# Two connections at once: the writer holds the WAL and the shared
	# memory index (-shm, mapped shared) while another process reads.
	run python3 - "$P/wal2.db" <<'PY'
import sqlite3, sys, os, subprocess
w = sqlite3.connect(sys.argv[1], isolation_level=None)
w.execute("BEGIN")
w.execute("INSERT INTO t(v) VALUES ('uncommitted')")
print(sorted(n for n in os.listdir(os.path.dirname(sys.argv[1]))
             if n.startswith("wal2.db")))
r = subprocess.run(["sqlite3", sys.argv[1], "SELECT count(*) FROM t"],
                   capture_output=True, text=True)
print("reader during write:", r.stdout.strip(), r.returncode, r.stderr.strip())
w.execute("COMMIT")
r = subprocess.run(["sqlite3", sys.argv[1], "SELECT group_concat(v) FROM t"],
                   capture_output=True, text=True)
print("reader after commit:", r.stdout.strip(), r.returncode)
w.execute("PRAGMA wal_checkpoint(TRUNCATE)")
w.close()
PY
	run sqlite3 wal2.db "PRAGMA integrity_check; SELECT count(*) FROM t;"
}

cd "$P" || exit 1
sec_cp
sec_tar
sec_find
sec_diff
sec_ln
sec_mv
sec_chmod
sec_touch
sec_mkdir
sec_gcc
sec_python
sec_git
sec_tools
sec_xattr
sec_sqlite
[ "$SHARED" = 1 ] && sec_sqlite_shared
echo "== final state"
run tree .
SH

# One transcript: the battery on P inside umview with SERVICE loaded, or
# natively when SERVICE is empty, with the shared-map section if SHARED is
# 1; X and OUT are emptied first.
transcript() {
	local name=$1 service=$2 p=$3 shared=$4
	rm -rf "$X" "$OUT" && mkdir -p "$X" "$OUT" || { fail "cannot reset $X"; return; }
	if [ -z "$service" ]; then
		bash "$TMPDIR/battery.sh" "$p" "$F" "$OUT" "$shared"
	else
		umview -n bash -c 'um_add_service "$1" || exit 99; shift; bash "$@"' \
			sh "$service" "$TMPDIR/battery.sh" "$p" "$F" "$OUT" \
			"$shared"
	fi > "$T/$name.raw" 2>&1
	echo "[exit $?]" >> "$T/$name.raw"
	sed "s|$p|@|g" "$T/$name.raw" | grep -av '^#x#' > "$T/$name"
	grep -a '^#x#' "$T/$name.raw" > "$T/$name.cross"
}

transcript native "" "$X" 0
transcript native-shared "" "$X" 1
for want in "== python3" "== git" "== more tools" "== sqlite3" \
	"== final state" "hard links kept: 0" \
	"same listing after a round trip: 0"; do
	grep -q "^$want" "$T/native" || fail "the native transcript lacks '$want'"
done
grep -q "^== sqlite3 WAL, two processes" "$T/native-shared" ||
	fail "the native transcript lacks sqlite3 with two processes"
for name in native native-shared; do
	expect_eq "$name: the run ends normally" "[exit 0]" "$(tail -1 "$T/$name")"
	expect_eq "$name: rename(2) out of and into X" "#x# rename out of X: ok
#x# rename into X: ok" "$(cat "$T/$name.cross")"
done

for mode in served passthrough; do
	shared=0
	[ "$mode" = passthrough ] || [ "${DIFF_PENDING:-0}" = 1 ] && shared=1
	ref=native$([ "$shared" = 0 ] || echo -shared)
	for p in "/unreal$X" "/unreal/unreal$X"; do
		name=$mode$(echo "$p" | sed "s|$X|-X|; s|/|-|g")
		transcript "$name" "unreal,mode=$mode" "$p" "$shared"
		if diff -u "$T/$ref" "$T/$name" > "$T/$name.diff"; then
			pass "$mode: $p gives the native transcript"
		else
			fail "$mode: $p differs from the native transcript ($ref):"
			head -n 80 "$T/$name.diff"
		fi
		expect_eq "$mode: $p: rename(2) across the mount boundary" \
			"#x# rename out of X: EXDEV
#x# rename into X: EXDEV" "$(cat "$T/$name.cross")"
	done
done

finish
