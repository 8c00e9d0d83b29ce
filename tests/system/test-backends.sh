#!/usr/bin/env bash
# The backends of related studies on netns guests: tap and macvtap through the testbed relay
# (really started: a userspace copy between the guest's tap and a tap on the bridge or a
# macvtap's queue), next to the kernel bridge. Those this host cannot run are refused with
# the reason and leave nothing; `--backends all` leaves them out. Traffic over both (ping,
# qperf sweep, bench net both directions), simulate grows them (a relay per batch) and
# shrinks back, a dead relay fails its points with the reason, down leaves nothing.
. "$(dirname "$0")/lib.sh"
require_root
inst=bk
out=$(mktemp -d /tmp/tb-backends-test.XXXXXX)
trap '"$TB" down --instance $inst >/dev/null 2>&1; rm -rf "$out"' EXIT
"$TB" down --instance $inst >/dev/null 2>&1

# refused backends: the reason, exit 1, nothing made
if [ -e /dev/vhost-net ]; then
	echo "(vhost-net present here: its refusal is not checked)"
else
	expect_fail "vhost-net without the module" \
		"backend vhost-net does not run here: /dev/vhost-net: No such file or directory" \
		"$TB" up --numa 0 --backends bridge,vhost-net --instance $inst
fi
expect_fail "user on netns guests" \
	"backend user does not run here: QEMU user-mode networking (slirp) lives inside QEMU" \
	"$TB" up --numa 0 --backends user --instance $inst
check_clean $inst "after refused backends"
"$TB" doctor >"$out/doctor" 2>&1 || fail "doctor"
for be in tap macvtap vhost-net user; do
	grep -qE "^  $be +netns guests: (yes|no), " "$out/doctor" && pass "doctor lists $be" ||
		fail "doctor does not list $be: $(grep -A1 verdict "$out/doctor")"
done

# every backend this host runs
if ! "$TB" up --numa 0 --backends all --instance $inst >"$out/up" 2>&1; then
	fail "up --backends all: $(tail -3 "$out/up")"
	finish
	exit 1
fi
grep -q "backend user left out: " "$out/up" && pass "--backends all: user left out with the reason" ||
	fail "--backends all did not say why user is left out"
st=/run/testbed/$inst/state.json
jq -e '.config.backends | index("tap") and index("macvtap") and index("bridge") and
	(index("user") | not)' "$st" >/dev/null && pass "tap and macvtap up" ||
	fail "backends up: $(jq -c .config.backends "$st")"
for r in relay-tp0 relay-mv0; do
	pid=$(jq -r --arg r $r '.objects[] | select(.role == $r) | .pid' "$st")
	[ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = testbed ] && pass "$r running (pid $pid)" ||
		fail "$r not running"
done
ip netns exec tb-$inst-tp0 ping -c 3 -i 0.2 -W 2 198.18.4.2 >/dev/null && pass "tap: guest to guest ping" ||
	fail "tap: no ping between the guests"
ip netns exec tb-$inst-mv0 ping -c 3 -i 0.2 -W 2 198.18.5.2 >/dev/null && pass "macvtap: guest to guest ping" ||
	fail "macvtap: no ping between the guests"
# the guest NIC carries the macvtap's MAC (else the macvtap drops what is sent to the guest)
mac=$(ip -n tb-$inst-host -j link show tb$inst-v1 | jq -r '.[0].address')
[ "$(ip -n tb-$inst-mv1 -j link show eth0 | jq -r '.[0].address')" = "$mac" ] &&
	pass "macvtap guest MAC = its macvtap's ($mac)" || fail "macvtap guest MAC differs from $mac"

if "$TB" sweep tcp_bw --backends tap,macvtap,bridge --sizes 64K:64K --time 2 --repeat 1 --instance $inst \
	--out "$out/sw" >/dev/null 2>"$out/sw.err"; then
	j=$(ls -d "$out"/sw/*/ | head -1)results.json
	jq -e '[.points[] | select(.status == "ok" and .bw_mbps.median > 100)] | length == 3' "$j" >/dev/null &&
		pass "sweep tcp_bw 64K over tap, macvtap, bridge: $(jq -c '[.points[] | [.backend, (.bw_mbps.median | floor)]]' "$j") Mb/s" ||
		fail "sweep points: $(jq -c '[.points[] | [.backend, .status, .bw_mbps.median, .reason]]' "$j")"
else
	fail "sweep tcp_bw: $(tail -3 "$out/sw.err")"
fi

if "$TB" bench net --backends tap,macvtap --tests throughput,rr --time 1 --instance $inst \
	--out "$out/bn" >/dev/null 2>"$out/bn.err"; then
	j=$(ls -d "$out"/bn/*/ | head -1)results.json
	jq -e '([.points[] | select(.status != "ok")] | length == 0) and
		([.points[] | select(.direction == "host_to_guest")] | length == 14)' "$j" >/dev/null &&
		pass "bench net over tap and macvtap, both directions: every point ok" ||
		fail "bench net: $(jq -c '[.points[] | select(.status != "ok") | [.backend, .direction, .case, .reason]]' "$j")"
else
	fail "bench net: $(tail -3 "$out/bn.err")"
fi

# simulate adds guests 2-3 of each (a second relay per backend), then removes them
if "$TB" simulate --vms 4 --backends tap,macvtap --duration 3 --mtr-cycles 3 --repeat 1 --instance $inst \
	--out "$out/sim" >/dev/null 2>"$out/sim.err"; then
	j=$(ls -d "$out"/sim/*/ | head -1)results.json
	jq -e '[.points[] | select(.status == "ok")] | length == 2' "$j" >/dev/null &&
		pass "simulate --vms 4 on tap and macvtap" ||
		fail "simulate points: $(jq -c '[.points[] | [.backend, .status, .reason]]' "$j")"
else
	fail "simulate: $(tail -3 "$out/sim.err")"
fi
jq -e '[.objects[] | select(.role == "relay-tp2" or .role == "relay-mv2")] | length == 0' "$st" >/dev/null &&
	! pgrep -f "testbed relay --port tb$inst-pg2" >/dev/null && pass "simulate: grown relays gone" ||
	fail "simulate left its relays"
[ "$(jq '[.guests[] | select(.backend == "tap")] | length' "$st")" = 2 ] || fail "tap guests not back to 2"

# a dead relay: the guests' path is down, the point fails and says why
kill "$(jq -r '.objects[] | select(.role == "relay-tp0") | .pid' "$st")"
sleep 0.5
"$TB" sweep tcp_lat --backends tap --sizes 1:1 --time 1 --repeat 1 --instance $inst --out "$out/dead" \
	>/dev/null 2>&1
j=$(ls -d "$out"/dead/*/ | head -1)results.json
jq -e '.points[0].status == "failed" and (.points[0].reason | test("relay-tp0 .* is gone"))' "$j" >/dev/null &&
	pass "dead relay: $(jq -r '.points[0].reason' "$j")" ||
	fail "dead relay: $(jq -c '.points[0] | [.status, .reason]' "$j")"

"$TB" down --instance $inst >/dev/null || fail "down"
"$TB" down --instance $inst >/dev/null || fail "down again"
check_clean $inst "after down"
finish
