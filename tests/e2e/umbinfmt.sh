# umbinfmt: binfmt_misc inside the view.  Foreign-architecture programs run
# through qemu-user once registered inside the view, and only there; the
# register/status/rule files behave as Linux's; #! chains, env, PATH
# lookups and direct execve calls all go through the rules.
. "$E2E_DIR/lib.sh"
need python3 mount umount qemu-aarch64 aarch64-linux-gnu-gcc

B=/proc/sys/fs/binfmt_misc
D=$TMPDIR/binfmt
mkdir -p "$D/bin" "$D/src" "$D/mnt" "$D/b2" && cd "$D" || { fail "cannot make $D"; finish; }

aarch64-linux-gnu-gcc -static -O1 -o "$D/bin/hello-static" "$E2E_DIR/prog/archhello.c" &&
aarch64-linux-gnu-gcc -O1 -o "$D/bin/hello-dyn" "$E2E_DIR/prog/archhello.c" ||
	{ fail "cannot build the aarch64 programs"; finish; }

# qemu's own rule for aarch64 (qemu-binfmt-conf.sh): ELF64, little endian,
# any OS ABI, executable or shared object, machine 0xb7.
MAGIC='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
MASK='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
QEMU=$(command -v qemu-aarch64)

# An interpreter for dynamic programs: qemu with the aarch64 libraries.
cat > "$D/bin/qemu-aarch64-libs" <<SH
#!/bin/sh
QEMU_LD_PREFIX=/usr/aarch64-linux-gnu exec $QEMU "\$@"
SH
# An interpreter that shows the argv it receives.
cat > "$D/bin/showargs" <<'SH'
#!/bin/sh
for a; do echo "[$a]"; done
SH
# A script interpreter for a made-up file type: upper-cases the file.
cat > "$D/bin/shout" <<'SH'
#!/bin/sh
echo "shout: $1"
tr a-z A-Z < "$1"
SH
printf 'quiet words\n' > "$D/bin/note.whisper"
printf 'data\n' > "$D/bin/data.args"
# A script whose interpreter is the aarch64 program itself.
printf '#!%s\n' "$D/bin/hello-static" > "$D/bin/chained"
# A script run through env, which finds the aarch64 program in PATH.
printf '#!/usr/bin/env hello-static\n' > "$D/bin/envchained"
chmod +x "$D"/bin/*

# The host's binfmt_misc, to compare with at the end.
host_before=$(ls -a "$B" 2>&1; grep -c binfmt_misc /proc/self/mountinfo)

# Outside the view: the kernel refuses them.
out=$("$D/bin/hello-static" 2>&1); st=$?
expect_eq "outside: static aarch64 program does not run (bash status)" 126 "$st"
expect_match "outside: Exec format error" "*xec format error*" "$out"
out=$(python3 -c 'import os,sys
try: os.execv(sys.argv[1], [sys.argv[1]])
except OSError as e: print(e.errno)' "$D/bin/hello-static")
expect_eq "outside: execve says ENOEXEC" 8 "$out"

# inview SCRIPT: bash -c SCRIPT inside a view with umbinfmt mounted on
# /proc/sys/fs/binfmt_misc (nothing registered).
inview() {
	umview -n bash -c "cd '$D' || exit 99
		um_add_service umbinfmt || exit 98
		mount -t umbinfmt none $B || exit 97
		$1" 2>&1
}
# EXECV FILE ARGV...: execve(FILE, ARGV) from a program, no shell between.
EXECV="python3 -c 'import os,sys; os.execv(sys.argv[1], sys.argv[2:])'"
REG_QEMU="echo ':qemu-aarch64:M::$MAGIC:$MASK:$QEMU:' > $B/register"

out=$(inview "$REG_QEMU; echo reg=\$?; bin/hello-static; echo status=\$?")
expect_eq "inside: a static aarch64 program runs through qemu" "reg=0
hello from aarch64, argc=1
argv[0]=bin/hello-static
status=3" "$out"

out=$(inview "$REG_QEMU; bin/hello-static one 'two words'")
expect_eq "without P argv[0] is the file name, the arguments follow" \
"hello from aarch64, argc=3
argv[0]=bin/hello-static
argv[1]=one
argv[2]=two words" "$out"

out=$(inview "$REG_QEMU; PATH=$D/bin:\$PATH; cd /; hello-static x | head -2")
expect_eq "through a PATH lookup by the shell" "hello from aarch64, argc=2
argv[0]=$D/bin/hello-static" "$out"

out=$(inview "$REG_QEMU; env $D/bin/hello-static | head -1; env PATH=$D/bin hello-static | head -1")
expect_eq "through env (a direct execve, and env's own PATH search)" \
"hello from aarch64, argc=1
hello from aarch64, argc=1" "$out"

out=$(inview "$REG_QEMU; $EXECV bin/hello-static zero a; echo status=\$?")
expect_eq "a direct execve from a program (python os.execv)" \
"hello from aarch64, argc=2
argv[0]=bin/hello-static
argv[1]=a
status=3" "$out"

# fexecve: execveat(fd, "", AT_EMPTY_PATH).  The file's name is
# /dev/fd/N; with a close-on-exec fd no interpreter could open it, and
# Linux says ENOENT.
FEXEC="python3 -c 'import os,sys; fd = os.open(sys.argv[1], os.O_RDONLY); os.set_inheritable(fd, sys.argv[2] == \"keep\")
try: os.execve(fd, [\"zero\", \"f\"], {})
except OSError as e: print(e.errno)'"
out=$(inview "$REG_QEMU; $FEXEC bin/hello-static keep; $FEXEC bin/hello-static cloexec" |
	sed 's|^argv\[0\]=/dev/fd/[0-9][0-9]*$|argv[0]=/dev/fd/N|')
expect_eq "fexecve: the file as /dev/fd/N; ENOENT with close-on-exec" \
"hello from aarch64, argc=2
argv[0]=/dev/fd/N
argv[1]=f
2" "$out"

out=$(inview "$REG_QEMU; bin/chained arg")
expect_eq "a #! script whose interpreter is an aarch64 program" \
"hello from aarch64, argc=3
argv[0]=$D/bin/hello-static
argv[1]=bin/chained
argv[2]=arg" "$out"

out=$(inview "$REG_QEMU; PATH=$D/bin:\$PATH bin/envchained e")
expect_eq "a #!/usr/bin/env script whose program is an aarch64 one" \
"hello from aarch64, argc=3
argv[0]=$D/bin/hello-static
argv[1]=bin/envchained
argv[2]=e" "$out"

out=$(inview "echo ':aarch64-dyn:M::$MAGIC:$MASK:$D/bin/qemu-aarch64-libs:' > $B/register
	bin/hello-dyn dyn; echo status=\$?")
expect_eq "a dynamic aarch64 program with its libraries (interpreter script, QEMU_LD_PREFIX)" \
"hello from aarch64, argc=2
argv[0]=bin/hello-dyn
argv[1]=dyn
status=3" "$out"
out=$("$D/bin/hello-dyn" 2>&1); st=$?
expect_eq "outside: the dynamic one does not run either" 126 "$st"

# F: the interpreter is opened at registration; it may go away after.
out=$(inview "cp $QEMU $D/q-copy && echo ':qf:M::$MAGIC:$MASK:$D/q-copy:F' > $B/register
	rm $D/q-copy; bin/hello-static | head -1; sed -n 3p $B/qf")
expect_eq "F: runs after the interpreter's file is removed" \
"hello from aarch64, argc=1
flags: F" "$out"

# qemu itself understands O (it loads from AT_EXECFD) and P (AT_FLAGS).
out=$(inview "echo ':qemu-aarch64:M::$MAGIC:$MASK:$QEMU:OP' > $B/register
	$EXECV bin/hello-static myzero a")
expect_eq "qemu with OP: the program sees its own argv[0]" \
"hello from aarch64, argc=2
argv[0]=myzero
argv[1]=a" "$out"

# E: a made-up file type run by a script interpreter.
out=$(inview "echo ':whisper:E::whisper::$D/bin/shout:' > $B/register
	bin/note.whisper; cat $B/whisper")
expect_eq "E: files of a made-up type through a script interpreter" \
"shout: bin/note.whisper
QUIET WORDS
enabled
interpreter $D/bin/shout
flags: 
extension .whisper" "$out"

# P keeps argv[0]: interpreter, file name, then the original argv.
out=$(inview "echo ':args:E::args::$D/bin/showargs:' > $B/register
	$EXECV bin/data.args zero a b; echo -1 > $B/args
	echo ':args:E::args::$D/bin/showargs:P' > $B/register
	$EXECV bin/data.args zero a b")
expect_eq "P: argv[0] kept after the file name; without P it is replaced" \
"[bin/data.args]
[a]
[b]
[bin/data.args]
[zero]
[a]
[b]" "$out"

# O: the interpreter gets the binary open, named by AT_EXECFD in its
# auxiliary vector; P also sets AT_FLAGS_PRESERVE_ARGV0 in AT_FLAGS.
cat > "$D/bin/auxv" <<'PY'
#!/usr/bin/python3
import ctypes, os, sys
libc = ctypes.CDLL(None)
libc.getauxval.restype = ctypes.c_ulong
libc.getauxval.argtypes = [ctypes.c_ulong]
fd, flags = libc.getauxval(2), libc.getauxval(8)
print("argv", sys.argv[1:])
print("AT_FLAGS preserve-argv0", flags & 1)
if fd:
    print("AT_EXECFD reads", os.pread(fd, 100, 0).decode().strip())
else:
    print("no AT_EXECFD")
PY
chmod +x "$D/bin/auxv"
printf 'secret payload\n' > "$D/bin/pay.load"
chmod 711 "$D/bin/pay.load"
out=$(inview "echo ':load:E::load::$D/bin/auxv:' > $B/register; $EXECV bin/pay.load zero 1
	echo -1 > $B/load; echo ':load:E::load::$D/bin/auxv:OP' > $B/register; $EXECV bin/pay.load zero 2
	echo -1 > $B/load; echo ':load:E::load::$D/bin/auxv:C' > $B/register; $EXECV bin/pay.load zero 3")
expect_eq "O and C: AT_EXECFD names the open binary; P: AT_FLAGS says so" \
"argv ['bin/pay.load', '1']
AT_FLAGS preserve-argv0 0
no AT_EXECFD
argv ['bin/pay.load', 'zero', '2']
AT_FLAGS preserve-argv0 1
AT_EXECFD reads secret payload
argv ['bin/pay.load', '3']
AT_FLAGS preserve-argv0 0
AT_EXECFD reads secret payload" "$out"

# A magic rule's file, as Linux prints it.
out=$(inview "$REG_QEMU; cat $B/qemu-aarch64")
expect_eq "reading a magic rule" "enabled
interpreter $QEMU
flags: 
offset 0
magic 7f454c460201010000000000000000000200b700
mask ffffffffffffff00fffffffffffffffffeffffff" "$out"
out=$(inview "echo ':off:M:2:ab\x00c::/bin/true:POC' > $B/register; cat $B/off")
expect_eq "offset, an escaped NUL, no mask, flags (C implies O)" "enabled
interpreter /bin/true
flags: POC
offset 2
magic 61620063" "$out"

# Errors: the errno Linux gives for each malformed line.
cat > "$D/wr.py" <<'PY'
import errno, os, sys
for line in sys.argv[2:]:
    fd = os.open(sys.argv[1], os.O_WRONLY)
    try:
        os.write(fd, line.encode('latin-1'))
        print('ok')
    except OSError as e:
        print(errno.errorcode[e.errno])
    os.close(fd)
PY
out=$(inview "python3 wr.py $B/register ':a:M::x::/bin/true:' ':a:M::x::/bin/true:' \
	':b:X::x::/bin/true:' ':c:M::x::/bin/true' ':d/e:M::x::/bin/true:' \
	':.:E::x::/bin/true:' '::E::xx::/bin/true:' ':f:M::\x4::/bin/true:' \
	':g:M::ab:\xff::/bin/true:' ':h:M::::/bin/true:' ':i:M:z:ab::/bin/true:' \
	':j:E::x:::' ':k:E::x::/bin/true:Q' ':short:' ':m:M:250:abcdefg::/bin/true:' \
	'|n|E||a/b||/bin/true|' ':status:E::st::/bin/true:' '|o|E||oo||/bin/true|P
'")
expect_eq "malformed lines, bad names, duplicates: Linux's errnos" "ok
EEXIST
EINVAL
EINVAL
EINVAL
EINVAL
EINVAL
EINVAL
EINVAL
EINVAL
EINVAL
EINVAL
EINVAL
EINVAL
EINVAL
EINVAL
EEXIST
ok" "$out"
out=$(inview "python3 wr.py $B/status 2 1x; python3 wr.py $B/register ':z:E::z::/bin/true:'; python3 wr.py $B/z 01")
expect_eq "status and rules take only 1, 0, -1" "EINVAL
EINVAL
ok
EINVAL" "$out"

# status: 0 disables every rule, 1 enables, -1 removes them all.
out=$(inview "$REG_QEMU; echo 0 > $B/status; cat $B/status; bin/hello-static; echo st=\$?
	echo 1 > $B/status; cat $B/status; bin/hello-static >/dev/null; echo st=\$?
	echo -1 > $B/status; ls $B; bin/hello-static; echo st=\$?")
expect_match "status 0/1/-1" "disabled
*xec format error*
st=126
enabled
st=3
register
status
*xec format error*
st=126" "$out"
# A rule: 0 disables it, 1 enables it, -1 removes it.
out=$(inview "$REG_QEMU; echo 0 > $B/qemu-aarch64; head -1 $B/qemu-aarch64; bin/hello-static; echo st=\$?
	echo 1 > $B/qemu-aarch64; head -1 $B/qemu-aarch64; bin/hello-static > /dev/null; echo st=\$?
	echo -1 > $B/qemu-aarch64; ls $B; bin/hello-static; echo st=\$?")
expect_match "rule 0/1/-1" "disabled
*xec format error*
st=126
enabled
st=3
register
status
*xec format error*
st=126" "$out"

# Newest rule first, as Linux searches its list.
out=$(inview "echo ':one:E::args::$D/bin/showargs:' > $B/register
	echo ':two:E::args::/bin/echo:' > $B/register; bin/data.args x")
expect_eq "the newest matching rule wins" "bin/data.args x" "$out"

# Every mount shows the one registry; the service stays while mounted.
out=$(inview "mount -t umbinfmt x $D/b2 && $REG_QEMU && ls $D/b2 && echo 0 > $D/b2/qemu-aarch64 && head -1 $B/qemu-aarch64
	findmnt -n -o FSTYPE $B
	um_del_service umbinfmt; echo del=\$?; umount $B $D/b2; um_del_service umbinfmt; echo del=\$?")
expect_match "mounts share the registry; um_del_service is EBUSY while mounted" "qemu-aarch64
register
status
disabled
umbinfmt
*
del=1
del=0" "$out"

# A #! script inside a virtual mount runs with its own name as $0.
printf '#!/bin/sh\necho "zero=$0 args=$*"\n' > "$D/src/s.sh"
chmod +x "$D/src/s.sh"
out=$(umview -n bash -c "cd '$D' && um_add_service unreal,nomount && mount -t unreal $D/src $D/mnt && $D/mnt/s.sh a b && cd mnt && ./s.sh c" 2>&1)
expect_eq "a script in a virtual mount: \$0 is its name as given" \
"zero=$D/mnt/s.sh args=a b
zero=./s.sh args=c" "$out"

# A program in a mount whose ELF interpreter (PT_INTERP) is in the mount
# too: the loader is found through the view, not on the real disk.
LDSO=$(readlink -f /lib64/ld-linux-x86-64.so.2)
printf '#include <stdio.h>\nint main(void) { puts("loaded"); return 0; }\n' > "$D/ldtest.c"
if cc -o "$D/src/ldprog" "$D/ldtest.c" -Wl,--dynamic-linker="$D/mnt/ld.so"; then
	cp "$LDSO" "$D/src/ld.so"
	out=$("$D/src/ldprog" 2>&1); st=$?
	expect_eq "outside: the program's loader is not there" 127 "$st"
	out=$(umview -n bash -c "um_add_service unreal,nomount && mount -t unreal $D/src $D/mnt && $D/mnt/ldprog" 2>&1)
	expect_eq "PT_INTERP of a program in a mount resolved through the view" loaded "$out"
else
	fail "cannot build a program with its own loader"
fi

# Inside the view only: the host saw nothing.
out=$("$D/bin/hello-static" 2>&1); st=$?
expect_eq "outside after all this: still not runnable" 126 "$st"
host_after=$(ls -a "$B" 2>&1; grep -c binfmt_misc /proc/self/mountinfo)
expect_eq "the host's binfmt_misc is untouched and not mounted" "$host_before" "$host_after"
finish
