# Threads and the ways of making processes: python threads, 200 pthreads,
# execve from a thread that is not the leader, vfork and posix_spawn,
# clone3.
. "$E2E_DIR/lib.sh"
need cc

cc_prog threads -pthread
cc_prog thread_exec -pthread
cc_prog spawn
cc_prog clone3

# python3's threading module: results computed in threads, with locks, a
# thread pool and a condition variable.
if command -v python3 >/dev/null 2>&1; then
	cat > "$TMPDIR/pythreads.py" <<'PY'
import os, threading, queue
from concurrent.futures import ThreadPoolExecutor

results, lock = {}, threading.Lock()
def work(i):
    s = sum(k * k for k in range(20000 + i))
    st = os.stat("/")
    with lock:
        results[i] = (s, threading.get_native_id(), os.getpid())
threads = [threading.Thread(target=work, args=(i,)) for i in range(40)]
for t in threads: t.start()
for t in threads: t.join()
print("results", len(results), sum(r[0] for r in results.values()) % 1000003)
print("distinct tids", len({r[1] for r in results.values()}) == 40)
print("one pid", {r[2] for r in results.values()} == {os.getpid()})

with ThreadPoolExecutor(max_workers=8) as ex:
    print("pool", sum(ex.map(lambda n: len(os.listdir("/")) * 0 + n * n, range(100))))

q, cond, done = queue.Queue(), threading.Condition(), []
def producer():
    for i in range(1000): q.put(i)
    q.put(None)
def consumer():
    total = 0
    while (i := q.get()) is not None: total += i
    with cond:
        done.append(total); cond.notify()
threading.Thread(target=producer).start()
threading.Thread(target=consumer).start()
with cond:
    cond.wait_for(lambda: done, timeout=30)
print("queue", done)
PY
	same_output "python threads" python3 "$TMPDIR/pythreads.py"
	out=$(umview -n python3 "$TMPDIR/pythreads.py" | sed -n 2,3p | tr '\n' ' ')
	expect_eq "python threads have their own tids and one pid" \
		"distinct tids True one pid True " "$out"
else
	echo "python3 is not installed: python threads not tested"
fi

# 200 pthreads alive at once, each working and making system calls.
same_output "200 pthreads" "$TMPDIR/threads" 200
out=$(umview -n "$TMPDIR/threads" 200 2>&1); st=$?
expect_eq "200 pthreads: every thread saw its pid, its own tid and the pipe" \
	"0 $("$TMPDIR/threads" 200)" "$st $out"
out=$(umview -n sh -c 'for i in 1 2 3; do "$1" 50 & done; wait' sh "$TMPDIR/threads" 2>&1)
one=$("$TMPDIR/threads" 50)
expect_eq "three threaded processes at once" "$one
$one
$one" "$out"

# execve from a non-leader thread: the new program runs with the process's
# pid, and umview exits with its status.
out=$(umview -n "$TMPDIR/thread_exec" /bin/sh -c 'echo "new program $$"; exit 7' 2>&1)
st=$?
pid=$(echo "$out" | sed -n 's/^pid //p')
expect_eq "execve from a thread: the new program runs with the same pid" \
	"pid $pid
new program $pid" "$out"
expect_eq "execve from a thread: umview exits with the new program's status" 7 "$st"
out=$(umview -n sh -c '"$1" /bin/sh -c "exit 5"; echo "parent saw $?"' sh "$TMPDIR/thread_exec" | tail -1)
expect_eq "execve from a thread: the parent reaps the new program" "parent saw 5" "$out"
out=$(umview -n "$TMPDIR/thread_exec" "$TMPDIR/threads" 20 2>&1); st=$?
expect_eq "execve from a thread into a threaded program" \
	"0 $("$TMPDIR/threads" 20)" "$st $(echo "$out" | tail -1)"

# vfork and posix_spawn.
same_output "posix_spawn and vfork" "$TMPDIR/spawn"
expect_eq "posix_spawn and vfork inside" "spawned echo
posix_spawn status 0
vforked sh
vfork+exec status 9
vfork+_exit status 4 touched 1" "$(umview -n "$TMPDIR/spawn" 2>&1)"

# clone3, if the kernel has it.
"$TMPDIR/clone3" >/dev/null 2>&1
if [ $? = 77 ]; then
	echo "clone3 is not available on this kernel: not tested"
else
	same_output "clone3" "$TMPDIR/clone3"
	expect_eq "clone3 inside" "child: getppid matches 1
clone3 fork: status 33 value 1
clone3 CLONE_FILES: fd shared 1
clone3 child exec
clone3 exec: status 6" "$(umview -n "$TMPDIR/clone3" 2>&1)"
fi

finish
