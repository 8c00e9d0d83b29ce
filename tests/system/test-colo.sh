#!/usr/bin/env bash
# up --switch testbed-pmd with the netns guests' adapter co-located in the switch (the
# default): no shim process, guests ping and a sweep point runs, a restart under running
# guests brings traffic back (taps re-attached in their namespaces), simulate grows and
# shrinks it, and down leaves nothing. The guests use the netns-packed profile: status and
# the sweep's results show the packed rings the switch really negotiated, before and after
# the restart.
. "$(dirname "$0")/lib.sh"
require_root
inst=colo
"$TB" down --instance $inst >/dev/null 2>&1
out=$(mktemp -d /tmp/tb-colo-test.XXXXXX)
trap '"$TB" down --instance $inst >/dev/null 2>&1; rm -rf "$out"' EXIT

expect_fail "--adapter colocated with OVS" "--adapter colocated is for --switch testbed-pmd" \
	"$TB" up --numa 0 --adapter colocated --instance $inst
expect_fail "bad --adapter" 'bad --adapter "inline" (allowed: shim, colocated)' \
	"$TB" up --numa 0 --switch testbed-pmd --adapter inline --instance $inst
if ! "$TB" up --numa 0 --switch testbed-pmd --backends vhost-user,bridge --instance $inst \
	--profile netns-packed >/dev/null; then
	fail "up --switch testbed-pmd (co-located adapter)"
	finish
	exit 1
fi
pass "up --switch testbed-pmd"

ping_peer() { # vu0 -> vu1, waiting up to $1 s for the first answers
	ip netns exec tb-$inst-vu0 ping -c 3 -i 0.2 -w "$1" 198.18.1.2 2>&1
}
st=$("$TB" -j status --instance $inst) || fail "status -j"
jq -e '.config.adapter == "colocated" and .plan.shim == -1' <<<"$st" >/dev/null &&
	pass "adapter colocated, no shim core in the plan" ||
	fail "config/plan: $(jq -c '{a: .config.adapter, shim: .plan.shim}' <<<"$st")"
jq -e '[.processes[] | select(.role | startswith("shim"))] | length == 0' <<<"$st" >/dev/null &&
	pass "no shim process" || fail "a shim process runs: $(jq -c .processes <<<"$st")"
"$TB" status --instance $inst | grep -q "^adapter: colocated" || fail "status shows no adapter"
"$TB" doctor | grep -q "co-located in the switch" || fail "doctor does not name the adapter"
if o=$(ping_peer 5); then pass "vu0 -> vu1: $(tail -1 <<<"$o")"; else fail "vu0 cannot ping vu1: $o"; fi

# negotiated, not asked: what the switch's vhost ports and the guests' virtio-user agreed on
rings_ok() { # $1: when
	local r
	r=$("$TB" -j status --instance $inst | jq -r '[.switch_live[] | objects | .ring //
		empty] | unique | join(" ")')
	[ "$r" = "packed+in_order+mrg+q1024" ] && pass "$1: status shows the negotiated ring $r" ||
		fail "$1: negotiated rings \"$r\", expected packed+in_order+mrg+q1024"
}
rings_ok "up --profile netns-packed"
"$TB" status --instance $inst | grep -q "ring packed+in_order+mrg+q1024 (features 0x" ||
	fail "status text shows no negotiated ring"

sweep_ok "sweep tcp_lat 1 B" "$out" tcp_lat --instance $inst --sizes 1:1 --time 1 --repeat 1
run=$(ls -d "$out"/*tcp_lat* | tail -1)
jq -e '.testbed.config.profile.ring == "packed" and ([.testbed.rings_negotiated[].ring] |
	unique) == ["packed+in_order+mrg+q1024"]' "$run/results.json" >/dev/null &&
	pass "results record the asked and the negotiated ring" ||
	fail "results: $(jq -c '{asked: .testbed.config.profile, used: .testbed.rings_negotiated}' \
		"$run/results.json")"

# restart under running guests: the new switch re-attaches the taps, addresses stay
mac0=$(ip -n tb-$inst-vu0 -br link show eth0 | awk '{print $3}')
"$TB" restart --instance $inst >/dev/null || fail "restart"
if o=$(ping_peer 15); then pass "traffic back after restart"; else fail "no traffic after restart: $o"; fi
[ "$(ip -n tb-$inst-vu0 -br link show eth0 | awk '{print $3}')" = "$mac0" ] &&
	pass "guest's eth0 kept its MAC $mac0" || fail "eth0 changed across the restart"
rings_ok "after restart"

# simulate grows it (the switch restarts with two more co-located guests), then shrinks it
simulate_ok "simulate --vms 4" "$out" --vms 4 --backends vhost-user --duration 2 --mtr-cycles 2 \
	--repeat 1 --instance $inst
st=$("$TB" -j status --instance $inst)
jq -e '(.switch.ports | length) == 2' <<<"$st" >/dev/null && ! ip netns list | grep -q "tb-$inst-vu2" &&
	pass "shrunk back to 2 guests' ports" || fail "after simulate: $(jq -c .switch.ports <<<"$st")"
if o=$(ping_peer 15); then pass "vu0 -> vu1 after simulate"; else fail "vu0 -> vu1 after simulate: $o"; fi

"$TB" down --instance $inst >/dev/null || fail "down"
check_clean $inst "after down"
finish
