# Ordinary programs in the empty view: bash scripts and coreutils give the
# same output and exit status inside `umview -n` as outside.
. "$E2E_DIR/lib.sh"

d=$TMPDIR/programs
mkdir -p "$d/src/sub/deeper" && cd "$d" || { fail "cannot make $d"; finish; }
printf 'pear\napple\nfig\napple\nbanana\n' > src/fruits
seq 1 2000 > src/numbers
printf 'a b c\nd e\n\nf\n' > src/words
head -c 100000 /bin/ls > src/sub/blob
echo deep > src/sub/deeper/file
ln -s ../fruits src/sub/link
touch -d '2001-02-03 04:05:06' src/fruits src/numbers src/words src/sub/blob \
	src/sub/deeper/file src/sub/deeper src/sub src
touch -h -d '2001-02-03 04:05:06' src/sub/link

# A bash script with functions, loops, pipes, subshells, here-documents,
# arrays, command substitution, traps and a non-zero exit status.
cat > "$d/script.sh" <<'SH'
#!/bin/bash
set -u
count() { local n=0; while read -r _; do n=$((n + 1)); done; echo "$n"; }
fib() { if [ "$1" -lt 2 ]; then echo "$1"; else
	echo $(( $(fib $(($1 - 1))) + $(fib $(($1 - 2))) )); fi; }
trap 'echo "exit trap ran"' EXIT
echo "lines: $(count < src/numbers)"
echo "fib 12: $(fib 12)"
arr=(one two three); echo "${#arr[@]} ${arr[1]} ${arr[*]: -1}"
( cd src/sub && echo "subshell in ${PWD##*/}" ); echo "back in ${PWD##*/}"
cat <<EOF | tr a-z A-Z
here document $((6 * 7))
EOF
for f in src/*; do [ -f "$f" ] && printf '%s %s\n' "${f##*/}" "$(wc -c < "$f")"; done
echo "pipe status: $(false | true; echo "${PIPESTATUS[*]}")"
coproc { read -r x; echo "coproc got $x"; }
echo ping >&"${COPROC[1]}"; read -r reply <&"${COPROC[0]}"; echo "$reply"
wait
exit 5
SH
chmod +x "$d/script.sh"
same_output "bash script" bash "$d/script.sh"
same_output "script run through its #! line" "$d/script.sh"
same_output "sh -c with a failing command" sh -c 'echo before; false; echo $?; exit 3'

same_output "ls -lR" ls -lR --time-style=+%F.%T src
same_output "ls of a missing file" ls /nonexistent/file
same_output "sort -u" sort -u src/fruits
same_output "sort -n -r | head" sh -c 'sort -nr src/numbers | head -3'
same_output "wc" wc src/fruits src/numbers src/words
same_output "sha256sum" sha256sum src/sub/blob src/numbers
same_output "find" sh -c 'find src | sort'
same_output "sed and awk" sh -c "sed -n '/app/p' src/fruits | awk '{ n += length(\$0) } END { print n }'"
same_output "grep with no match" grep -c nomatch src/fruits
same_output "xargs" sh -c 'seq 1 10 | xargs -n 3 echo'
same_output "stat" stat -c '%n %s %Y %F' src/fruits src/sub/link src/sub
same_output "readlink -f" readlink -f src/sub/link
same_output "cut, paste, join" sh -c 'paste -d: src/fruits src/words | cut -d: -f2'
same_output "env has the same variables" sh -c 'env | grep -v ^_= | sort'
same_output "pwd and umask" sh -c 'pwd; umask'

# Programs that write: cp, mv, mkdir, ln, rm and tar inside the view leave
# the same files as outside.
umview -n sh -c 'cp -a src copy_in && mv copy_in/words copy_in/words2 &&
	mkdir -p copy_in/new/dir && ln -s words2 copy_in/lnk && rm copy_in/numbers'
st_in=$?
cp -a src copy_out && mv copy_out/words copy_out/words2 &&
	mkdir -p copy_out/new/dir && ln -s words2 copy_out/lnk && rm copy_out/numbers
expect_eq "cp, mv, mkdir, ln, rm: status" 0 "$st_in"
out=$(diff -r --no-dereference copy_out copy_in 2>&1); st=$?
expect_eq "cp, mv, mkdir, ln, rm: same tree" "0 " "$st $out"
expect_eq "cp -a keeps times" "$(stat -c %Y src/sub/blob)" "$(stat -c %Y copy_in/sub/blob)"

umview -n tar -czf in.tgz src; st_in=$?
expect_eq "tar -czf inside: status" 0 "$st_in"
same_output "tar -tvzf of an archive made inside" tar -tvzf in.tgz
mkdir x_in x_out
umview -n tar -xzf in.tgz -C x_in; st_in=$?
tar -xzf in.tgz -C x_out
expect_eq "tar -x inside: status" 0 "$st_in"
out=$(diff -r --no-dereference src x_in/src 2>&1); st=$?
expect_eq "tar round trip inside gives the tree back" "0 " "$st $out"
same_output "tar of a missing file fails" tar -cf /dev/null /nonexistent

# Standard input and pipes cross the view boundary.
out=$(printf 'b\na\nc\n' | umview -n sort | tr '\n' ' ')
expect_eq "stdin into the view, stdout out of it" "a b c " "$out"
out=$(umview -n sh -c 'echo out; echo err >&2' 2>&1 >/dev/null)
expect_eq "stderr is kept apart from stdout" "err" "$out"

finish
