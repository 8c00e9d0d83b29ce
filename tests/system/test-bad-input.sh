#!/usr/bin/env bash
# Bad input: clear one-line errors, non-zero exit, nothing left behind.
. "$(dirname "$0")/lib.sh"
require_root
"$TB" down >/dev/null 2>&1
before=$(nr_hugepages)

expect_fail "no such NUMA node" "NUMA node 7 does not exist (this host has node" "$TB" up --numa 7
expect_fail "unknown backend" 'unknown backend "frob" (valid: vhost-user, bridge, masquerade, tap, macvtap, vhost-net, user)' \
	"$TB" up --numa 0 --backends bridge,frob
expect_fail "missing --numa" "--numa N is required" "$TB" up
expect_fail "bad guest count" 'bad --guests "0"' "$TB" up --numa 0 --guests 0
expect_fail "bad instance" 'bad instance name "Bad_1"' "$TB" up --numa 0 --instance Bad_1
expect_fail "unknown command" 'unknown command "upp"' "$TB" upp
expect_fail "instance name too long" 'bad instance name "abcdefghi" (allowed: 1-8' \
	"$TB" up --numa 0 --instance abcdefghi
ncores=$(lscpu -p=CORE,NODE | grep -v '^#' | awk -F, '$2 == 0' | sort -u | wc -l)
[ "$ncores" -le 16 ] && expect_fail "more PMD cores than the node has" "bad --pmd-cores 16: node 0 has" \
	"$TB" up --numa 0 --pmd-cores 16
printf '[guest]\nkind = qemu\nvcpus = 0\n' >/tmp/tb-bad-profile.ini
expect_fail "bad profile file" '/tmp/tb-bad-profile.ini:3: key "vcpus": bad value "0" (allowed: 1-64)' \
	"$TB" up --numa 0 --profile /tmp/tb-bad-profile.ini
rm -f /tmp/tb-bad-profile.ini
expect_fail "unknown profile" 'profile "nosuch" not found' "$TB" up --numa 0 --profile nosuch
expect_fail "not root" "needs root" setpriv --reuid=65534 --regid=65534 --clear-groups "$TB" up --numa 0
expect_fail "hugepage shortage" "MB free and no more could be reserved" \
	"$TB" up --numa 0 --backends vhost-user --switch-mem 1000000
expect_fail "empty --out (sweep)" 'bad --out ""' "$TB" sweep tcp_lat --out ""
expect_fail "empty --out (simulate)" 'bad --out ""' "$TB" simulate --vms 2 --out ""
expect_fail "empty --out (bench)" 'bad --out ""' "$TB" bench switch --out ""
expect_fail "sizes clipped to nothing" 'bad --sizes 65536:1048576 for udp_lat' \
	"$TB" sweep udp_lat --sizes 64K:1M
# a busy instance: a second command waits ~5 s, then names the holder, and touches nothing
mkdir -p -m 0700 /run/testbed/tbbusy
printf '%d sweep tcp_lat --instance tbbusy\n' $$ >/run/testbed/tbbusy/lock
exec 9<>/run/testbed/tbbusy/lock
flock 9
expect_fail "busy instance" "instance tbbusy is busy: sweep tcp_lat --instance tbbusy (pid $$)" \
	"$TB" down --instance tbbusy
[ -f /run/testbed/tbbusy/lock ] || fail "the refused down removed the busy instance's lock"
# bad input is refused at once (exit 2), busy instance or not: options are read before the lock
t0=$(date +%s.%N)
"$TB" sweep tcp_lat --instance tbbusy --repeat 0 >/dev/null 2>&1
rc=$?
t=$(echo "$(date +%s.%N) - $t0" | bc)
[ $rc -eq 2 ] && [ "$(echo "$t < 2" | bc)" = 1 ] && pass "bad input on a busy instance: exit 2 in $t s" ||
	fail "bad input on a busy instance: exit $rc after $t s (want 2, at once)"
exec 9>&-
out=$("$TB" down --instance tbbusy 2>&1) && [ ! -e /run/testbed/tbbusy ] &&
	pass "down once it is free: $out" || fail "down once free: $out"
# a half-built state, and one copied from another instance
mkdir -p -m 0700 /run/testbed/tbx
printf '{"schema": 1, "instance": "tbx", "objects": []}' >/run/testbed/tbx/state.json
expect_fail "state without phase" "instance tbx is not ready (phase none)" "$TB" sweep tcp_lat --instance tbx
printf '{"schema": 1, "instance": "tby", "phase": "up", "objects": []}' >/run/testbed/tbx/state.json
expect_fail "state of another instance" "instance tbx: its state file names another instance" \
	"$TB" restart --instance tbx
"$TB" down --instance tbx >/dev/null 2>&1 && [ ! -e /run/testbed/tbx ] || fail "down --instance tbx"
# a run dir that is a symlink is refused, and what it points to is untouched
ln -s /tmp /run/testbed/tblink
expect_fail "symlinked run dir" "run dir /run/testbed/tblink is not a directory of its own" \
	"$TB" down --instance tblink
rm -f /run/testbed/tblink
[ "$(nr_hugepages)" = "$before" ] || fail "hugepages changed by a refused up: $before -> $(nr_hugepages)"
check_clean "" "after refused ups"

# up twice: the second refuses and leaves the first intact
"$TB" up --numa 0 --backends bridge >/dev/null 2>&1 || fail "up --backends bridge"
expect_fail "already up" "instance main is already up" "$TB" up --numa 0 --backends bridge
ip netns exec tb-main-br0 ping -c 2 -i 0.2 -W 2 198.18.2.2 >/dev/null || fail "first instance broken by the refused up"
ln -sfn /tmp /tmp/tb-out-link
expect_fail "symlinked --out" "/tmp/tb-out-link is not a directory of its own" \
	"$TB" sweep tcp_lat --backends bridge --time 1 --sizes 1:1 --out /tmp/tb-out-link
rm -f /tmp/tb-out-link
"$TB" down >/dev/null || fail "down"
check_clean "" "after down"
out=$("$TB" down 2>&1) && grep -q "not up" <<<"$out" && pass "down when not up: $out" || fail "down when not up: $out"
finish
