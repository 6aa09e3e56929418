# ummisc: a virtual host name, domain name, uname fields and wall clock,
# local to the view; the host is never changed.
. "$E2E_DIR/lib.sh"
need cc hostname

cc_prog clocks
host=$(uname -n)
hostdomain=$(domainname 2>/dev/null)

# hostname as a normal user inside, after um_add_service.
out=$(umview -n sh -c 'um_add_service ummisc && hostname demo && uname -n && hostname' 2>&1); st=$?
expect_eq "hostname demo inside: status" 0 "$st"
expect_eq "uname -n and hostname show the new name inside" "demo
demo" "$out"
expect_eq "the host's name is unchanged after umview" "$host" "$(uname -n)"

# Added after something is mounted: the processes then running already
# have a listener in their filters (a chain holds one), so ummisc's calls
# must reach them by ptrace, and the virtual file stays served.
mkdir -p "$TMPDIR/msrc" "$TMPDIR/mmnt"
out=$(umview -n bash -c "um_add_service unreal && mount -t unreal '$TMPDIR/msrc' '$TMPDIR/mmnt' &&
	um_add_service ummisc && hostname demo && uname -n &&
	echo kept > '$TMPDIR/mmnt/f' && cat '$TMPDIR/mmnt/f' &&
	sh -c 'uname -n; cat $TMPDIR/mmnt/f'" 2>&1); st=$?
expect_eq "ummisc added after a mount: status" 0 "$st"
expect_eq "ummisc added after a mount: no filter error, name and file" "demo
kept
demo
kept" "$out"

# ... and while the view is running, seen from outside.
rm -f "$TMPDIR/ready" "$TMPDIR/done"
umview -n sh -c 'um_add_service ummisc; hostname demo; uname -n > "$TMPDIR/inside"; touch "$TMPDIR/ready"
	i=0; while [ ! -e "$TMPDIR/done" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done' &
view=$!
wait_for 10 test -e "$TMPDIR/ready" || fail "the view did not get ready"
expect_eq "inside, meanwhile" demo "$(cat "$TMPDIR/inside")"
expect_eq "the host's name is unchanged while the view runs" "$host" "$(uname -n)"
touch "$TMPDIR/done"; wait $view

# Without ummisc a normal user cannot set the host name, inside as outside.
same_output "hostname without ummisc fails as outside" hostname demo
expect_eq "a failed hostname changes nothing" "$host" "$(umview -n sh -c 'hostname demo 2>/dev/null; uname -n')"

# A name that is too long is refused and the old one stays.
long=$(printf '%065d' 0)
out=$(umview -n sh -c 'um_add_service ummisc,hostname=short; hostname "$1" 2>/dev/null; echo "$? $(uname -n)"' sh "$long")
expect_eq "a 65-byte host name is refused" "1 short" "$out"
out=$(umview -n sh -c 'um_add_service ummisc; hostname "$1"; uname -n' sh "${long%0}")
expect_eq "a 64-byte host name is accepted" "${long%0}" "$out"

# The domain name.
out=$(umview -n sh -c 'um_add_service ummisc; domainname example.org && domainname' 2>&1)
expect_eq "domainname inside" example.org "$out"
expect_eq "the host's domain name is unchanged" "$hostdomain" "$(domainname 2>/dev/null)"
expect_eq "domainname= option" preset.example "$(umview -n -p ummisc,domainname=preset.example domainname)"

# uname fields from options; the others stay the host's.
out=$(umview -n -p ummisc,release=9.9.9-demo uname -r)
expect_eq "release= sets uname -r" 9.9.9-demo "$out"
out=$(umview -n -p ummisc,sysname=DemoOS,machine=demo64,version=v1,hostname=h1 uname -snmv)
expect_eq "sysname=, machine=, version=, hostname=" "DemoOS h1 v1 demo64" "$out"
expect_eq "other fields unchanged" "$(uname -srm)" "$(umview -n -p ummisc,hostname=x uname -srm)"
expect_eq "python sees it too" "9.9.9-demo" \
	"$(umview -n -p ummisc,release=9.9.9-demo python3 -c 'import os; print(os.uname().release)' 2>&1)"

# conf=FILE: one option per line, comments allowed.
# A value in a file may hold commas; options after conf= come later.
printf '# a test configuration\nhostname=fromconf\n\n  release=1.2.3# a comment\nversion=v1, with a comma\n' > "$TMPDIR/misc.conf"
out=$(umview -n -p "ummisc,conf=$TMPDIR/misc.conf" uname -nrv 2>&1)
expect_eq "conf=FILE" "fromconf 1.2.3 v1, with a comma" "$out"
out=$(umview -n -p "ummisc,conf=$TMPDIR/misc.conf,hostname=later" uname -nr 2>&1)
expect_eq "an option after conf= overrides the file" "later 1.2.3" "$out"

# Bad options: a clear error naming the option, and umview does not start.
bad() { # WHAT OPTIONS PATTERN
	local out st
	out=$(umview -n -p "$2" echo started 2>&1); st=$?
	expect_match "$1: explained" "$3" "$out"
	case $out in *started*) fail "$1: the command ran anyway";; esac
	[ "$st" != 0 ] && pass "$1: umview fails" || fail "$1: umview exits 0"
}
bad "unknown option" ummisc,bogus=1 "*unknown option 'bogus'*"
bad "timeoffset not a number" ummisc,timeoffset=soon "*timeoffset= needs a number of seconds*"
bad "hostname too long" "ummisc,hostname=$long" "*hostname= needs a value of at most 64 bytes*"
bad "release without a value" ummisc,release "*release= needs a value*"
bad "missing conf file" "ummisc,conf=$TMPDIR/nonexistent" "*conf=$TMPDIR/nonexistent: No such file or directory*"
printf 'hostname=ok\nfrobnicate\n' > "$TMPDIR/bad.conf"
bad "bad line in a conf file" "ummisc,conf=$TMPDIR/bad.conf" "*line 2*frobnicate*"
out=$(umview -n sh -c 'um_add_service ummisc,timeoffset=x; echo "status $?"' 2>&1)
expect_match "um_add_service with a bad option fails" "*timeoffset=*status 1" "$out"

# timeoffset: every way of reading the wall clock is shifted, together;
# the monotonic clock is not.
out_before=$(date +%s)
in=$(umview -n -p ummisc,timeoffset=86400 date +%s)
expect_near "date +%s with timeoffset=86400" $((out_before + 86400)) "$in" 5
read -r rt tv t mono <<<"$("$TMPDIR/clocks")"
read -r vrt vtv vt vmono <<<"$(umview -n -p ummisc,timeoffset=86400 "$TMPDIR/clocks")"
echo "outside: $rt $tv $t $mono; inside: $vrt $vtv $vt $vmono"
expect_near "clock_gettime(CLOCK_REALTIME) is shifted" $((rt + 86400)) "$vrt" 5
expect_near "gettimeofday agrees with clock_gettime" "$vrt" "$vtv" 1
expect_near "time() agrees with clock_gettime" "$vrt" "$vt" 1
expect_near "CLOCK_MONOTONIC is not shifted" "$mono" "$vmono" 5
read -r vrt _ _ _ <<<"$(umview -n -p ummisc,timeoffset=-3600.5 "$TMPDIR/clocks")"
expect_near "a negative, fractional offset" $((rt - 3601)) "$vrt" 5
expect_eq "the host clock is not shifted" 1 "$(( $(date +%s) - rt < 60 ))"

# time=@T sets the clock; date -s inside sets it too, for the view only.
expect_near "time=@2000000000" 2000000000 "$(umview -n -p ummisc,time=@2000000000 date +%s)" 5
out=$(umview -n -p ummisc,vtime sh -c 'date -s @2000000000 >/dev/null && date +%s' 2>&1)
expect_near "date -s @2000000000 then date +%s" 2000000000 "$out" 5
out=$(umview -n -p ummisc,vtime sh -c 'date -s @2000000000 >/dev/null; "$1"' sh "$TMPDIR/clocks")
read -r vrt vtv vt _ <<<"$out"
expect_near "after date -s, gettimeofday follows" 2000000000 "$vtv" 5
expect_near "after date -s, time() follows" 2000000000 "$vt" 5
expect_near "date -s inside leaves the host clock alone" "$(date +%s)" "$rt" 60
# Without the time options the clock is the host's and cannot be set.
same_output "date -s without vtime fails as outside" date -s @2000000000
expect_near "ummisc without time options leaves the clock alone" "$(date +%s)" \
	"$(umview -n -p ummisc,hostname=x date +%s)" 5

expect_eq "the host's name is still unchanged at the end" "$host" "$(uname -n)"
finish
