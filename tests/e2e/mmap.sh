# mmap of files served by a module (unreal, served mode, mounted at
# /unreal): private and shared mappings see the file's data, shared
# writable ones are written back on munmap, msync, mremap, exit and in a
# forked child; a shared library in a served directory is loaded by the
# dynamic linker; python3's mmap module.
. "$E2E_DIR/lib.sh"
need python3 cc
cc_prog mapprobe -pthread

d=$TMPDIR/m
mkdir -p "$d"
P=$TMPDIR/mapprobe

# inview CMD...: run CMD inside a view where / is served at /unreal.
inview() {
	umview -n bash -c 'um_add_service unreal,mode=served || exit 99; "$@"' \
		sh "$@" 2>&1
}

fresh() { printf 'original line\nsecond line\n' > "$d/f"; }

fresh
out=$(inview "$P" private "/unreal$d/f")
expect_eq "MAP_PRIVATE shows the data; the copy changes, not the file" \
"map: original line
copy: XXXXinal line
file: original line" "$out"
expect_eq "file untouched after a private map" "original line" "$(head -n1 "$d/f")"

fresh
out=$(inview "$P" shared "/unreal$d/f" CHANGED)
expect_eq "MAP_SHARED write, munmap, read(2)" "after munmap: CHANGEDl line" "$out"
expect_eq "the change reached the real file" "CHANGEDl line" "$(head -n1 "$d/f")"

fresh
out=$(inview "$P" msync "/unreal$d/f" SYNCED)
expect_eq "msync MS_SYNC then MS_ASYNC after close" \
"after msync: SYNCEDal line
after close and MS_ASYNC: lateEDal line" "$out"
expect_eq "msync'ed data on disk" "lateEDal line" "$(head -n1 "$d/f")"

fresh
out=$(inview "$P" exit "/unreal$d/f" EXITED)
expect_eq "exit without munmap: no output" "" "$out"
expect_eq "exit without munmap: data written back" "EXITEDal line" "$(head -n1 "$d/f")"
fresh
out=$(inview bash -c '"$1" exit "$2" GONE; head -n1 "$2"' sh "$P" "/unreal$d/f")
expect_eq "exit without munmap: the parent reads it back at once" "GONEinal line" "$out"

fresh
out=$(inview bash -c '"$1" exec "$2" EXECED; head -n1 "$2"' sh "$P" "/unreal$d/f")
expect_eq "execve drops a shared map: written back, seen inside" "EXECEDal line" "$out"
expect_eq "execve drops a shared map: on disk" "EXECEDal line" "$(head -n1 "$d/f")"

fresh
out=$(inview "$P" fork "/unreal$d/f" CHILD)
expect_eq "a forked child writes through the inherited map" \
"parent sees: CHILDnal line
after munmap: CHILDnal line" "$out"
expect_eq "the child's write on disk" "CHILDnal line" "$(head -n1 "$d/f")"

fresh
out=$(inview "$P" remap "/unreal$d/f" MOVED)
expect_eq "mremap of a shared map, then munmap" \
	"after mremap and munmap: MOVEDnal line" "$out"

fresh
want=$("$P" coherent "$d/f")
fresh
out=$(inview "$P" coherent "/unreal$d/f")
expect_eq "read(2) and write(2) agree with a shared map, as outside" "$want" "$out"
expect_eq "... which says" "read(2) sees the map: MAPPED
the map sees write(2): WRITTEN
after munmap: MAPPEDal line
second line: WRITTENline" "$out"

head -c 12288 /dev/zero > "$d/z"
out=$(inview "$P" split "/unreal$d/z")
expect_eq "a shared map split by munmap: both ends written back" \
"third page after msync: third
first page after munmap: fIRST" "$out"
expect_eq "the split map's pages on disk" "fIRST third" \
	"$(dd if="$d/z" bs=1 count=5 2>/dev/null) $(dd if="$d/z" bs=1 skip=8192 count=5 2>/dev/null)"

fresh
out=$(inview "$P" thread "/unreal$d/f" THREAD)
expect_eq "munmap by a thread that was running before the map" \
	"after munmap in another thread: THREADal line" "$out"

fresh
chmod 644 "$d/f"
out=$(inview "$P" rdonly "/unreal$d/f")
expect_eq "read-only open: shared writable refused, mprotect refused" \
"shared rw: Permission denied
shared ro: original line
mprotect write: Permission denied" "$out"
expect_eq "the same outside the view" "$("$P" rdonly "$d/f")" "$out"

# Passthrough: the module hands back the real file, the kernel maps it.
fresh
out=$(umview -n bash -c 'um_add_service unreal,mode=passthrough || exit 99
"$@"' sh "$P" shared "/unreal$d/f" REAL 2>&1)
expect_eq "MAP_SHARED of a passthrough file" "after munmap: REALinal line" "$out"
expect_eq "passthrough shared map on disk" "REALinal line" "$(head -n1 "$d/f")"

# The dynamic linker maps a library that lives in a served directory.
mkdir -p "$d/lib"
printf 'int umt_answer(void) { return 42; }\n' > "$d/lib/umt.c"
printf '#include <stdio.h>\nint umt_answer(void);\nint main(void) { printf("answer %%d\\n", umt_answer()); return 0; }\n' > "$d/main.c"
cc -shared -fPIC -o "$d/lib/libumt.so" "$d/lib/umt.c" &&
	cc -o "$d/usel" "$d/main.c" -L"$d/lib" -lumt ||
	{ fail "cannot build the library test"; finish; }
out=$(inview env LD_LIBRARY_PATH="/unreal$d/lib" "$d/usel")
expect_eq "a program runs with its library in a served directory" "answer 42" "$out"

# python3's mmap module (fstat, dup, shared map, flush, close)
fresh
out=$(inview python3 -c '
import mmap, sys
with open(sys.argv[1], "r+b") as f:
    m = mmap.mmap(f.fileno(), 0)
    print(m[:8].decode())
    m[0:6] = b"PYTHON"
    m.flush()
    m.close()
with open(sys.argv[1], "rb") as f:
    print(f.readline().decode().strip())
' "/unreal$d/f")
expect_eq "python3 mmap: read, write, flush" "original
PYTHONal line" "$out"
expect_eq "python3 mmap: on disk" "PYTHONal line" "$(head -n1 "$d/f")"

# A shared map of a file in an ext4 image served by umfuseext2.
PATH=$PATH:/usr/sbin:/sbin
if command -v mke2fs >/dev/null && command -v debugfs >/dev/null; then
	mkdir -p "$d/e4/src" "$d/e4/mnt"
	printf 'original line\nsecond line\n' > "$d/e4/src/f"
	mke2fs -q -t ext4 -I 256 -E root_owner="$(id -u):$(id -g)" \
		-d "$d/e4/src" "$d/e4/img" 8M >/dev/null ||
		fail "cannot make the ext4 image"
	out=$(umview -n bash -c 'cd "$1" && um_add_service umfuse || exit 98
	mount -t umfuseext2 img mnt || exit 97
	"$2" shared mnt/f IMAGE; umount mnt && echo unmounted' \
		sh "$d/e4" "$P" 2>&1)
	expect_eq "MAP_SHARED in an ext4 image (umfuseext2)" \
		"after munmap: IMAGEnal line
unmounted" "$out"
	expect_eq "the image holds the change" "IMAGEnal line" \
		"$(debugfs -R 'cat /f' "$d/e4/img" 2>/dev/null | head -n1)"
else
	echo "not checked: mke2fs or debugfs missing (e2fsprogs)"
fi

finish
