# umfuse: unmodified libfuse 3 file systems (Debian's hello.c and
# passthrough.c examples, and prog/umfusetest.c) built at test time as
# submodules against libumfuse, mounted by a normal user inside the view.
. "$E2E_DIR/lib.sh"
need cc pkg-config mount umount stat df

ex=/usr/share/doc/libfuse3-dev/examples
[ -e "$ex/hello.c" ] || [ -e "$ex/hello.c.gz" ] || skip "libfuse3-dev examples are not installed"
pkg-config --exists umfuse || { fail "pkg-config does not find umfuse"; finish; }

d=$TMPDIR/umfuse
mkdir -p "$d/src" "$d/mods" "$d/mnt" || { fail "cannot make $d"; finish; }
# The examples, copied unmodified (Debian may compress them).
for f in hello.c passthrough.c passthrough_fh.c passthrough_helpers.h; do
	if [ -e "$ex/$f" ]; then cp "$ex/$f" "$d/src/$f"
	else gunzip -c "$ex/$f.gz" > "$d/src/$f"; fi || { fail "cannot copy $f"; finish; }
done
cp "$E2E_DIR/prog/umfusetest.c" "$E2E_DIR/prog/umfusever.c" "$d/src/"

# build NAME SOURCE [CC ARGS]: SOURCE into $d/mods/umfuseNAME.so.  The HAVE_*
# macros are what libfuse's own build defines for passthrough.c.
build() {
	local name=$1 src=$2
	shift 2
	# shellcheck disable=SC2046
	cc -shared -fPIC -O1 -Wall -o "$d/mods/umfuse$name.so" "$d/src/$src" "$@" \
		$(pkg-config --cflags --libs umfuse) ||
		{ fail "$src does not build against umfuse"; finish; }
	pass "$src builds unmodified as umfuse$name.so"
}
build hello hello.c
build passthrough passthrough.c -DHAVE_UTIMENSAT -DHAVE_SETXATTR \
	-DHAVE_POSIX_FALLOCATE -DHAVE_COPY_FILE_RANGE
# passthrough_fh keeps open files and directories as handles and moves data
# as fd buffers (read_buf/write_buf).
build passthrough_fh passthrough_fh.c -DHAVE_UTIMENSAT -DHAVE_SETXATTR \
	-DHAVE_POSIX_FALLOCATE -DHAVE_COPY_FILE_RANGE -DHAVE_FSTATAT
build test umfusetest.c
for v in 30 31 32 34 35 312 314; do
	build "v$v" umfusever.c -Werror -DFUSE_USE_VERSION=$v
done

export UMVIEW_MODULE_PATH=$d/mods:$UMVIEW_MODULE_PATH
cd "$d" || finish
mnt=$d/mnt

# inview SCRIPT: bash -c SCRIPT in a view with umfuse loaded, in $d;
# stdout and stderr (umview's too) together.
inview() {
	umview -n bash -c "cd '$d' || exit 99; um_add_service umfuse || exit 98; $1" 2>&1
}

# --- hello ---
out=$(inview 'mount -t umfusehello none mnt && cat mnt/hello && ls mnt')
expect_eq "hello: mount -t umfusehello, cat DIR/hello" "Hello World!
hello" "$out"
out=$(inview 'mount -t umfusehello none mnt && stat -c "%F %a %s %h" mnt mnt/hello')
expect_eq "hello: stat of the root and of the file" "directory 755 0 2
regular file 444 13 1" "$out"
out=$(inview 'mount -t umfusehello none mnt && cat mnt/nothere; echo "st=$?"; echo x > mnt/hello; echo "st=$?"')
expect_eq "hello: ENOENT, and EACCES for a write" "cat: mnt/nothere: No such file or directory
st=1
bash: line 1: mnt/hello: Permission denied
st=1" "$out"
out=$(inview 'mount -t umfusehello none mnt && umount mnt && echo "umount=$?" && ls mnt | wc -l')
expect_eq "hello: umount leaves the real (empty) directory" "umount=0
0" "$out"
expect_eq "hello: nothing outside the view" "" "$(ls "$mnt")"
# The file system's own options reach its fuse_opt_parse.
out=$(inview 'mount -t umfusehello -o --name=greeting,--contents=hi none mnt && cat mnt/greeting')
expect_eq "hello: its own options (--name=, --contents=)" "hi" "$out"

# Two mounts of one submodule: each has its own globals (hello keeps its
# options in a global variable).
out=$(inview 'mkdir -p mnt2 && mount -t umfusehello -o --name=a,--contents=one none mnt &&
	mount -t umfusehello -o --name=b,--contents=two none mnt2 && cat mnt/a mnt2/b &&
	umount mnt2 && cat mnt/a && umount mnt')
expect_eq "two mounts of umfusehello, each with its own options" "onetwoone" "$out"

out=$(inview 'for v in 30 31 32 34 35 312 314; do
	mount -t umfusev$v none mnt && stat -c "$v %F %a" mnt && umount mnt; done')
expect_eq "FUSE_USE_VERSION 30 to 314: each API form mounts" "30 directory 750
31 directory 750
32 directory 750
34 directory 750
35 directory 750
312 directory 750
314 directory 750" "$out"

# --- management ---
out=$(inview 'mount -t umfusehello none mnt; um_del_service umfuse; echo "del=$?"; umount mnt; um_del_service umfuse; echo "del=$?"')
expect_match "um_del_service umfuse while mounted: busy" \
	"*in use*del=1*del=0" "$(echo $out)"
out=$(inview 'mount -t umfusenosuch none mnt; echo "st=$?"')
expect_match "unknown submodule: clear error" \
	"*no file system 'nosuch': umfusenosuch.so is not in*st=32*" "$(echo $out)"
out=$(inview 'mount -t umfusetest -o fail none mnt; echo "st=$?"; ls mnt | wc -l')
expect_match "a submodule whose main() fails: its message and a failed mount" \
	"*umfusetest: failing as asked*exited with status 1*st=32 0" "$(echo $out)"
# The same source built against Debian's libfuse3 is refused by name.
if pkg-config --exists fuse3; then
	# shellcheck disable=SC2046
	cc -shared -fPIC -o "$d/mods/umfusehellofuse3.so" "$d/src/hello.c" \
		$(pkg-config --cflags --libs fuse3) &&
	out=$(inview 'mount -t umfusehellofuse3 none mnt; echo "st=$?"') &&
	expect_match "a submodule linked against libfuse3: refused, with the reason" \
		"*umfusehellofuse3.so is not linked against libumfuse*st=32*" "$(echo $out)"
fi
out=$(UMFUSE_START_TIMEOUT=1 inview 'mount -t umfusetest -o hang none mnt; echo "st=$?"; cat mnt/hello 2>&1; mount -t umfusehello none mnt && cat mnt/hello')
expect_match "a main() that never mounts: the mount is abandoned, the view goes on" \
	"*did not reach fuse_loop()*st=32*No such file*Hello World!" "$(echo $out)"
out=$(inview 'mount -t umfusehello -o nosuchopt none mnt; echo "st=$?"')
expect_match "an unknown option: named, and the mount fails" \
	"*unknown option \`nosuchopt'*st=32*" "$(echo $out)"

# --- the test file system: context, offsets, read_buf/write_buf, destroy ---
# (as in libfuse, the umask is given to the operations that create only)
out=$(inview 'mount -t umfusetest -o mark=$PWD/mark none mnt || exit 1
	umask 027; sh -c "echo uid=\$(id -u) gid=\$(id -g) pid=\$\$ umask=000; exec cat mnt/whoami"')
expect_eq "fuse_get_context: the caller's uid, gid, pid" \
	"$(echo "$out" | head -1)" "$(echo "$out" | tail -1)"
out=$(inview 'mount -t umfusetest none mnt || exit 1
	umask 027; sh -c "echo uid=\$(id -u) gid=\$(id -g) pid=\$\$ umask=027; : > mnt/made; cat mnt/store"')
expect_eq "fuse_get_context in create: the caller's umask too" \
	"$(echo "$out" | head -1)" "$(echo "$out" | tail -1)"
out=$(inview 'mount -t umfusetest none mnt && ls mnt/many | wc -l && ls mnt/many | head -2 && ls mnt/many | tail -1')
expect_eq "readdir with offsets: 1000 entries in order" "1000
e0000
e0001
e0999" "$out"
out=$(inview 'mount -t umfusetest -o mark=$PWD/mark none mnt || exit 1
	printf "0123456789" > mnt/store; printf "AB" | dd of=mnt/store bs=1 seek=3 conv=notrunc status=none
	cat mnt/store; echo; stat -c %s mnt/store; umount mnt; cat mark')
expect_eq "write_buf/read_buf, truncate; destroy at umount" "012AB56789
10
destroyed 10" "$out"
rm -f mark
out=$(inview 'mount -t umfusetest -o mark=$PWD/mark none mnt && echo abc > mnt/store')
expect_eq "destroy when umview ends with the mount in place" "destroyed 4" "$(cat mark 2>&1)"

# --- passthrough: the differential battery ---
mkdir -p t0/sub && echo one > t0/file && printf 'x%.0s' $(seq 1 5000) > t0/big &&
	ln -s file t0/link && echo deep > t0/sub/deep || { fail "cannot make the tree"; finish; }
cp -a t0 a && cp -a t0 b && cp -a t0 c
# battery.sh DIR: operations on DIR, output with DIR written as @.
cat > "$d/battery.sh" <<'EOS'
t=$1
cd "$t" || exit 99
r() { "$@" 2>&1 | sed "s|$t|@|g"; echo "  -> $?"; }
r ls -l --time-style=+ .
r cat file link sub/deep
r wc -c big
r cp big big2
r cmp big big2
r mkdir newdir
r mkdir newdir
r mv big2 newdir/moved
r ls newdir
r ln -s newdir/moved sym
r readlink sym
r cat sym
r ln file hard
r stat -c '%h %s %a' file hard
r chmod 600 file
r stat -c '%a' file
r touch -d '2001-02-03 04:05:06' file
r stat -c '%Y %X' file
echo more >> file
r cat file
r truncate -s 2 file
r cat file
r rmdir newdir
r rm newdir/moved
r rmdir newdir
r rm nothere
r rm sym hard
r fallocate -l 65536 falloc
r stat -c '%s %b' falloc
r mkfifo fifo
r stat -c '%F %a' fifo
r rm fifo falloc
r setfattr -n user.k -v v1 file
r getfattr -n user.k --only-values file
r find . -printf '%p %y %s %m\n'
EOS
real=$(inview "bash '$d/battery.sh' '$d/a'")
through=$(inview "mount -t umfusepassthrough none mnt && bash '$d/battery.sh' '$mnt$d/b'")
expect_eq "passthrough: the battery through DIR/<path> equals the real one" \
	"$real" "$through"
expect_eq "passthrough: the changes reached the real files" \
	"$(cd a && find . -printf '%p %y %s %m\n' | sort)" \
	"$(cd b && find . -printf '%p %y %s %m\n' | sort)"
through=$(inview "mount -t umfusepassthrough_fh none mnt && bash '$d/battery.sh' '$mnt$d/c'")
expect_eq "passthrough_fh: the battery through DIR/<path> equals the real one" \
	"$real" "$through"
out=$(inview "mount -t umfusepassthrough none mnt && df --output=size,itotal '$d' '$mnt$d' | tail -n +2 | uniq | wc -l")
expect_eq "passthrough: df of the path and through the mount agree" 1 "$out"

# A file removed while open stays readable through its fd, under a hidden
# name that goes when it is closed (libfuse's behaviour without hard_remove).
echo kept > b/open-unlinked
out=$(inview "mount -t umfusepassthrough none mnt && cd mnt$d/b && exec 3< open-unlinked &&
	rm open-unlinked && ls -A | grep -c '^.fuse_hidden'; cat <&3; exec 3<&-; ls -A | grep -c '^.fuse_hidden'")
expect_eq "unlink while open: hidden, readable, gone at close" "1
kept
0" "$out"
expect_eq "unlink while open: nothing left in the real directory" "" \
	"$(ls -A b | grep -e open-unlinked -e fuse_hidden)"

# --- mount options ---
out=$(inview "mount -t umfusepassthrough -o ro none mnt && cat mnt$d/b/sub/deep && { echo x > mnt$d/b/sub/new; echo \"st=\$?\"; rm mnt$d/b/sub/deep; echo \"st=\$?\"; }")
expect_match "ro: reads work, writes fail with EROFS" \
	"deep*Read-only file system*st=1*Read-only file system*st=1" "$(echo $out)"
[ -e b/sub/deep ] && [ ! -e b/sub/new ] && pass "ro: nothing changed" || fail "ro: the tree changed"
out=$(inview "mount -t umfusepassthrough -o uid=1234,gid=5678,umask=027 none mnt && stat -c '%u %g %a' mnt$d/b/sub/deep mnt$d/b/sub")
expect_eq "uid=, gid=, umask= in stat" "1234 5678 750
1234 5678 750" "$out"
chmod 644 b/sub/deep
out=$(inview "mount -t umfusepassthrough -o default_permissions,uid=0,umask=077 none mnt && cat mnt$d/b/sub/deep; echo \"st=\$?\"")
expect_match "default_permissions: a root-owned 0700 file is refused" \
	"*Permission denied*st=1" "$(echo $out)"
out=$(inview "mount -t umfusepassthrough -o uid=0,umask=077 none mnt && cat mnt$d/b/sub/deep")
expect_eq "without default_permissions the file system decides" "deep" "$out"

finish
