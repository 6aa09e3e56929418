# Management commands: um_add_service, um_del_service, um_ls_service,
# -p preloads, the rc file and every error a user can make.
. "$E2E_DIR/lib.sh"

out=$(um_ls_service 2>&1); st=$?
expect_eq "um_ls_service outside umview says so" \
	"um_ls_service: not running inside umview" "$out"
expect_eq "um_ls_service outside umview fails" 1 "$st"
out=$(um_add_service ummisc 2>&1); st=$?
expect_eq "um_add_service outside umview fails" 1 "$st"

out=$(umview -n sh -c 'um_ls_service; um_add_service ummisc && um_ls_service | cut -f1')
expect_eq "add then list" "ummisc" "$out"

out=$(umview -n sh -c 'um_add_service nosuchmodule' 2>&1); st=$?
case $out in *"unknown module 'nosuchmodule'"*) pass "unknown module named";;
	*) fail "unknown module message: $out";; esac
expect_eq "unknown module fails" 1 "$st"

out=$(umview -n sh -c 'um_add_service nosuchmodule 2>/dev/null; uname -n; echo alive')
expect_eq "the view goes on after a failed add" "$(uname -n)
alive" "$out"

out=$(umview -n sh -c 'um_add_service ummisc,frobnicate=1' 2>&1); st=$?
case $out in *"failed to start"*"frobnicate"*) pass "failing init explained";;
	*) fail "failing init message: $out";; esac
expect_eq "failing init fails" 1 "$st"

out=$(umview -n sh -c 'um_add_service ummisc,frobnicate=1 2>/dev/null; um_ls_service')
expect_eq "a module whose init failed is not listed" "" "$out"

out=$(umview -n sh -c 'um_add_service ummisc; um_add_service ummisc' 2>&1)
case $out in *"already loaded"*) pass "double add refused";;
	*) fail "double add: $out";; esac

out=$(umview -n sh -c 'um_del_service ummisc' 2>&1); st=$?
case $out in *"not loaded"*) pass "del of unloaded service explained";;
	*) fail "del unloaded: $out";; esac
expect_eq "del of unloaded service fails" 1 "$st"

out=$(umview -n sh -c 'um_add_service ummisc,hostname=inside; uname -n;
	um_del_service ummisc; uname -n; um_ls_service')
expect_eq "del restores the real view" "inside
$(uname -n)" "$out"

out=$(umview -n sh -c 'um_add_service "../etc/passwd"' 2>&1)
case $out in *"invalid module name"*) pass "path as module name refused";;
	*) fail "module name with a slash: $out";; esac

# A wrong API version: a module built against another version.
cat > "$TMPDIR/oldapi.c" <<'C'
#include <umview/module.h>
UM_MODULE_EXPORT struct um_module um_module = {
	.api_version = UM_MODULE_API_VERSION + 41,
	.size = sizeof(struct um_module), .name = "oldapi",
};
C
inc=$E2E_DIR/../include
if cc -shared -fPIC -I"$inc" -o "$TMPDIR/oldapi.so" "$TMPDIR/oldapi.c" 2>/dev/null; then
	out=$(UMVIEW_MODULE_PATH=$TMPDIR:$UMVIEW_MODULE_PATH umview -n sh -c 'um_add_service oldapi' 2>&1)
	case $out in *"API version 42"*"rebuild"*) pass "wrong API version explained";;
		*) fail "wrong API version: $out";; esac
else
	fail "cannot build the old-API test module (headers at $inc?)"
fi

# -p preloads, repeatable, and its errors stop umview before the command.
out=$(umview -n -p ummisc,hostname=pre sh -c 'uname -n')
expect_eq "-p preloads" "pre" "$out"
out=$(umview -n -p nosuchmodule true 2>&1); st=$?
expect_eq "-p with an unknown module fails" 1 "$st"
case $out in *"-p nosuchmodule"*) pass "-p error names the option";;
	*) fail "-p error: $out";; esac

# A preloaded module that mounts at start: the first process's own calls
# already go through the view (this once deadlocked at start).
expect_eq "-p unreal: the first command sees /unreal" "$(cat /etc/hostname)" \
	"$(timeout 20 umview -n -p unreal cat /unreal/etc/hostname)"

# The rc file: ~/.umviewrc by default, -f FILE, -n for none.
echo 'um_add_service ummisc,hostname=fromrc' > "$HOME/.umviewrc"
expect_eq "~/.umviewrc runs at start" "fromrc" "$(umview uname -n)"
expect_eq "-n skips the rc file" "$(uname -n)" "$(umview -n uname -n)"
echo 'um_add_service ummisc,hostname=fromf' > "$TMPDIR/rc"
expect_eq "-f FILE" "fromf" "$(umview -f "$TMPDIR/rc" uname -n)"
out=$(umview -f "$TMPDIR/missing" true 2>&1); st=$?
expect_eq "-f with a missing file fails" 1 "$st"
rm -f "$HOME/.umviewrc"

finish
