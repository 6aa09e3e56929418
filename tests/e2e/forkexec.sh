# Many processes: 1000 sequential fork+exec, and a tree of processes.
. "$E2E_DIR/lib.sh"
need cc

cc_prog forktree

# 1000 times fork+exec of /bin/true from a shell loop; every one succeeds.
out=$(umview -n sh -c 'n=0; while [ $n -lt 1000 ]; do /bin/true || exit 1;
	n=$((n + 1)); done; echo $n'); st=$?
expect_eq "1000 sequential fork+exec of /bin/true" "0 1000" "$st $out"

# Every exec runs and its output arrives, in order.
out=$(umview -n sh -c 'i=0; while [ $i -lt 1000 ]; do /bin/echo $i; i=$((i + 1)); done' |
	awk 'NR - 1 != $1 { bad = 1 } END { print NR, bad + 0 }')
expect_eq "1000 execs of /bin/echo, all lines in order" "1000 0" "$out"

# The statuses of the children reach the shell.
out=$(umview -n sh -c 'f=0; for i in $(seq 1 200); do sh -c "exit $((i % 3))";
	[ $? = $((i % 3)) ] || f=$((f + 1)); done; echo "$f wrong"')
expect_eq "200 child statuses seen by the shell" "0 wrong" "$out"

# A tree: 127 processes, each waited for by its parent.
same_output "fork tree of depth 6" "$TMPDIR/forktree" 6
expect_eq "fork tree of depth 6 inside" "nodes 127" "$(umview -n "$TMPDIR/forktree" 6)"

# A tree made by the shell: background jobs that start background jobs.
tree='t() { if [ "$1" -gt 0 ]; then t $(($1 - 1)) & t $(($1 - 1)) & wait;
	else echo leaf; fi; }; t 5'
out=$(umview -n bash -c "$tree" | wc -l)
expect_eq "shell fork tree: 32 leaves" 32 "$out"

finish
