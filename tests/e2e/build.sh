# A parallel build inside the view: make -j2 runs gcc (cc1, as, collect2,
# ld: many forks, execs, pipes and temporary files) on a small C project.
# The program built inside is byte for byte the one built outside, and
# prints the same.
. "$E2E_DIR/lib.sh"
need make gcc

p=$TMPDIR/project
mkdir -p "$p" && cd "$p" || { fail "cannot make $p"; finish; }
cat > calc.h <<'C'
long fact(int n);
long fib(int n);
unsigned long checksum(const char *s);
void report(const char *what, long v);
C
cat > fact.c <<'C'
#include "calc.h"
long fact(int n) { return n < 2 ? 1 : n * fact(n - 1); }
C
cat > fib.c <<'C'
#include "calc.h"
long fib(int n) { long a = 0, b = 1, t; while (n--) { t = a + b; a = b; b = t; } return a; }
C
cat > checksum.c <<'C'
#include "calc.h"
unsigned long checksum(const char *s)
{
	unsigned long h = 5381;
	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}
C
cat > report.c <<'C'
#include <stdio.h>
#include "calc.h"
void report(const char *what, long v) { printf("%-10s %ld\n", what, v); }
C
cat > main.c <<'C'
#include <stdio.h>
#include "calc.h"
#include "version.h"
int main(int argc, char **argv)
{
	int i;
	report("fact(20)", fact(20));
	report("fib(90)", fib(90));
	report("checksum", (long)checksum(VERSION));
	for (i = 1; i < argc; i++)
		report(argv[i], (long)checksum(argv[i]));
	puts(VERSION);
	return 0;
}
C
# A generated header, a static library, and more jobs than files at once.
cat > Makefile <<'MK'
CFLAGS = -O2 -Wall -Werror
OBJS = fact.o fib.o checksum.o report.o
calc: main.o libcalc.a
	$(CC) -o $@ main.o libcalc.a
main.o: main.c version.h calc.h
$(OBJS): calc.h
libcalc.a: $(OBJS)
	rm -f $@
	$(AR) rcs $@ $(OBJS)
version.h:
	echo '#define VERSION "calc 1.0"' > $@.tmp && mv $@.tmp $@
clean:
	rm -f *.o *.a calc version.h
.PHONY: clean
MK

make -s -j2 CC=gcc >/dev/null 2>"$TMPDIR/native.err" ||
	{ fail "native build failed: $(cat "$TMPDIR/native.err")"; finish; }
cp calc "$TMPDIR/calc.native"
native_out=$(./calc one two)
make -s clean

out=$(umview -n make -j2 CC=gcc 2>&1); st=$?
expect_eq "make -j2 inside: status" 0 "$st"
case $out in *"gcc -O2 -Wall -Werror"*"-c -o fact.o fact.c"*) pass "make ran gcc";;
	*) fail "make output: $out";; esac
if [ -x calc ]; then pass "the program was linked"; else fail "no program after make"; fi
if cmp -s calc "$TMPDIR/calc.native"; then
	pass "the program built inside is the one built outside"
else
	fail "the program built inside differs from the native build"
fi
expect_eq "the program built inside runs" "$native_out" "$(./calc one two)"
expect_eq "the program runs inside too" "$native_out" "$(umview -n ./calc one two)"

# Nothing to do the second time; a touched source rebuilds only its object.
out=$(umview -n make -j2 CC=gcc 2>&1)
expect_eq "make again: up to date" "make: 'calc' is up to date." "$out"
touch -d 2000-01-01 fib.o
out=$(umview -n make -j2 CC=gcc 2>&1 | grep 'gcc.* -c ')
expect_match "an out-of-date object alone is rebuilt" "gcc *-c -o fib.o fib.c" "$out"

# A compile error: make reports it and fails with status 2, as outside.
echo 'int broken(void) { return x; }' > broken.c
same_output "a compile error" make -s CC=gcc broken.o

finish
