#!/usr/bin/env bash
# up --switch testbed-pmd: guests ping through our switch, it learns their MACs, a restart
# under running guests (they reconnect, traffic resumes), sweep and simulate work
# unchanged, and down leaves nothing.
. "$(dirname "$0")/lib.sh"
require_root
inst=pmdsw
"$TB" down --instance $inst >/dev/null 2>&1
out=$(mktemp -d /tmp/tb-pmd-switch-test.XXXXXX)
trap '"$TB" down --instance $inst >/dev/null 2>&1; rm -rf "$out"' EXIT

expect_fail "unknown switch" 'bad --switch "vpp" (allowed: ovs, testbed-pmd)' \
	"$TB" up --numa 0 --switch vpp --instance $inst
expect_fail "--switch-idle with OVS" "--switch-idle is for --switch testbed-pmd" \
	"$TB" up --numa 0 --switch-idle busy --instance $inst
if ! "$TB" up --numa 0 --switch testbed-pmd --backends vhost-user --instance $inst >/dev/null; then
	fail "up --switch testbed-pmd"
	finish
	exit 1
fi
pass "up --switch testbed-pmd"

ping_peer() { # what: vu0 -> vu1, waiting up to $1 s for the first answers
	ip netns exec tb-$inst-vu0 ping -c 3 -i 0.2 -w "$1" 198.18.1.2 2>&1
}
if o=$(ping_peer 5); then pass "vu0 -> vu1: $(tail -1 <<<"$o")"; else fail "vu0 cannot ping vu1: $o"; fi

st=$("$TB" -j status --instance $inst) || fail "status -j"
jq -e '.switch.kind == "testbed-pmd"' <<<"$st" >/dev/null || fail "switch kind: $(jq -c .switch.kind <<<"$st")"
jq -e '[.switch_live | to_entries[] | select(.key | startswith("net_vhost")) | select(.value.attached == 1)] | length == 2' \
	<<<"$st" >/dev/null && pass "both vhost-user ports attached" ||
	fail "ports not attached: $(jq -c .switch_live <<<"$st")"
jq -e '.switch_live.mac_entries == 2' <<<"$st" >/dev/null && pass "2 MACs learned" ||
	fail "MAC table: $(jq -c .switch_live.mac_entries <<<"$st")"
jq -e '.switch_live.net_vhost0.tx > 0 and .switch_live.net_vhost1.tx > 0' <<<"$st" >/dev/null ||
	fail "no packets counted"
jq -e '[.processes[] | select(.running | not)] | length == 0' <<<"$st" >/dev/null ||
	fail "a process of the testbed is not running"
"$TB" status --instance $inst | grep -q "switch: testbed-pmd" || fail "status (text) shows no switch"
pid0=$(jq '.switch.pid' <<<"$st")

# restart under running guests: a new process, the guests reconnect, pings resume
start=$(date +%s.%N)
"$TB" restart --instance $inst >/dev/null || fail "restart"
if o=$(ping_peer 15); then
	pass "traffic resumed $(echo "$(date +%s.%N) - $start" | bc) s after restart began"
else
	fail "no traffic after restart: $o"
fi
st=$("$TB" -j status --instance $inst)
pid1=$(jq '.switch.pid' <<<"$st")
gone() { [ ! -e "/proc/$1/stat" ] || grep -q ') Z ' "/proc/$1/stat"; } # a zombie is gone too
[ "$pid1" != "$pid0" ] && ! gone "$pid1" && gone "$pid0" &&
	pass "new switch process $pid1 (was $pid0)" || fail "switch pid $pid0 -> $pid1"

sweep_ok "sweep tcp_lat through testbed-pmd" "$out" tcp_lat --instance $inst --sizes 1:64K \
	--time 1 --repeat 1

# simulate grows the instance: the switch restarts with the new guests' ports
simulate_ok "simulate --vms 4" "$out" --vms 4 --duration 3 --mtr-cycles 3 --repeat 1 --instance $inst
if o=$(ping_peer 15); then pass "vu0 -> vu1 after simulate"; else fail "vu0 -> vu1 after simulate: $o"; fi

"$TB" down --instance $inst >/dev/null || fail "down"
check_clean $inst "after down"
finish
