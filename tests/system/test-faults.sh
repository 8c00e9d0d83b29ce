#!/usr/bin/env bash
# Faults: the switch killed during a sweep, switch restarts under traffic (5 in a row, both
# switches), a guest's side killed, two instances side by side. Each ends with down, an
# empty leftovers check and, where the instance is reused, a fresh up that works.
. "$(dirname "$0")/lib.sh"
require_root
out=$(mktemp -d /tmp/tb-faults-test.XXXXXX)
trap 'for i in flt fa fb; do "$TB" down --instance $i >/dev/null 2>&1; done; rm -rf "$out"' EXIT
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc | xargs printf '%.1f'; }
role_pid() { "$TB" -j status --instance "$1" | jq -r --arg r "$2" '.processes[] | select(.role == $r) | .pid'; }
# waits up to $3 s until guest netns $1 pings $2; prints the seconds since $4, fails if never
ping_back() {
	local t0=$4 i
	for ((i = 0; i < $3 * 5; i++)); do
		if ip netns exec "$1" ping -c 1 -W 0.2 "$2" >/dev/null 2>&1; then
			since "$t0"
			return 0
		fi
	done
	return 1
}

# 1. kill -9 the switch during a sweep: completed points stay, the rest fail with the cause
"$TB" up --numa 0 --backends vhost-user,bridge --instance flt >/dev/null || { fail "up"; finish; exit 1; }
"$TB" sweep tcp_lat --instance flt --sizes 1:1K --time 1 --repeat 1 --out "$out" >"$out/sweep.log" 2>&1 &
sweep=$!
for ((i = 0; i < 300; i++)); do
	j=$(ls "$out"/*-tcp_lat/results.json 2>/dev/null | head -1)
	[ -n "$j" ] && [ "$(jq '.points | length' "$j" 2>/dev/null || echo 0)" -ge 6 ] && break
	sleep 0.2
done
vsd=$(role_pid flt ovs-vswitchd)
kill -9 "$vsd"
t0=$(now)
wait $sweep
rc=$?
[ $rc -ne 0 ] && pass "sweep exit $rc after ovs-vswitchd (pid $vsd) was killed ($(since "$t0") s to finish)" ||
	fail "sweep exit 0 after the switch was killed"
jq -e '[.points[] | select(.backend == "vhost-user" and .status == "ok")] | length >= 3' "$j" >/dev/null &&
	pass "vhost-user points measured before the kill kept" || fail "points before the kill lost"
reasons=$(jq -r '[.points[] | select(.status == "failed") | .reason] | unique | join("; ")' "$j")
[[ "$reasons" == *"ovs-vswitchd (pid $vsd) is gone"* ]] && pass "failed points name the cause: $reasons" ||
	fail "failed points' reasons: $reasons"
jq -e '[.points[] | select(.backend == "bridge" and .status != "ok")] | length == 0' "$j" >/dev/null &&
	pass "bridge points unaffected" || fail "bridge points failed too"
"$TB" down --instance flt >/dev/null || fail "down after the kill"
check_clean flt "after the switch was killed"

# 2. five restarts in a row under running guests, each switch; traffic must come back
for sw in testbed-pmd ovs; do
	"$TB" up --numa 0 --backends vhost-user --switch $sw --instance flt >/dev/null || { fail "up --switch $sw"; continue; }
	times=()
	for k in 1 2 3 4 5; do
		t0=$(now)
		"$TB" restart --instance flt >/dev/null 2>&1 || fail "$sw restart $k"
		if t=$(ping_back tb-flt-vu0 198.18.1.2 20 "$t0"); then times+=("$t"); else fail "$sw restart $k: no traffic within 20 s"; fi
	done
	pass "$sw: 5 restarts in a row, traffic back ${times[*]} s after each restart began"
	[ "$sw" = testbed-pmd ] || break
	# kill -9 our switch: a sweep fails at once naming it; restart brings traffic back
	swp=$(role_pid flt switch)
	kill -9 "$swp"
	t0=$(now)
	"$TB" sweep tcp_lat --instance flt --sizes 1:2 --time 1 --repeat 1 --out "$out/s1" >/dev/null 2>&1 &&
		fail "sweep exit 0 with testbed-pmd killed"
	r=$(jq -r '[.points[] | .reason] | unique | join("; ")' "$out"/s1/*-tcp_lat/results.json)
	[[ "$r" == *"switch switch (pid $swp) is gone"* ]] &&
		pass "testbed-pmd killed: sweep failed in $(since "$t0") s: $r" || fail "reasons: $r"
	t0=$(now)
	"$TB" restart --instance flt >/dev/null 2>&1 || fail "restart after kill -9"
	t=$(ping_back tb-flt-vu0 198.18.1.2 20 "$t0") && pass "restart after kill -9: traffic back in $t s" ||
		fail "no traffic after restarting a killed testbed-pmd"
	"$TB" down --instance flt >/dev/null
done
# 3. kill -9 the guests' side (the shim) with OVS up: the switch stays, its ports go down
shim=$(role_pid flt shim)
kill -9 "$shim"
sleep 2
st=$("$TB" -j status --instance flt)
jq -e '.processes[] | select(.role == "ovs-vswitchd") | .running' <<<"$st" >/dev/null &&
	pass "ovs-vswitchd survives the shim's kill -9" || fail "switch died with the shim"
jq -e '[.switch_live.ports[] | select(.link_state == "down")] | length == 2' <<<"$st" >/dev/null &&
	pass "both vhost-user ports show down" || fail "ports: $(jq -c .switch_live.ports <<<"$st")"
if "$TB" sweep tcp_lat --instance flt --sizes 1:2 --time 1 --repeat 1 --out "$out/s2" >/dev/null 2>&1; then
	fail "sweep exit 0 with the guests' side gone"
else
	r=$(jq -r '[.points[] | .reason] | unique | join("; ")' "$out"/s2/*-tcp_lat/results.json)
	[[ "$r" == *"shim (pid $shim) is gone"* ]] && pass "sweep fails those points: $r" || fail "reasons: $r"
fi
"$TB" down --instance flt >/dev/null || fail "down after the shim was killed"
check_clean flt "after the shim was killed"
if "$TB" up --numa 0 --backends bridge --instance flt >/dev/null; then
	pass "a fresh up works after the faults"
	"$TB" down --instance flt >/dev/null
else
	fail "fresh up after the faults"
fi

# 8. two instances at once: both work, removing one leaves the other whole
"$TB" up --numa 0 --backends vhost-user,bridge --instance fa >/dev/null || fail "up fa"
"$TB" up --numa 0 --backends vhost-user,bridge --switch testbed-pmd --instance fb >/dev/null || fail "up fb"
for i in fa fb; do
	for g in vu br; do
		be=$([ $g = vu ] && echo 1 || echo 2)
		ip netns exec tb-$i-${g}0 ping -c 2 -i 0.2 -W 2 198.18.$be.2 >/dev/null 2>&1 ||
			fail "$i: ${g}0 cannot ping its peer"
	done
done
pass "instances fa (OVS) and fb (testbed-pmd) up side by side, guests ping"
"$TB" down --instance fa >/dev/null || fail "down fa"
ip netns exec tb-fb-vu0 ping -c 2 -i 0.2 -W 2 198.18.1.2 >/dev/null 2>&1 &&
	ip netns exec tb-fb-br0 ping -c 2 -i 0.2 -W 2 198.18.2.2 >/dev/null 2>&1 &&
	pass "fb still works after fa went down" || fail "fb broken by down of fa"
"$TB" down --instance fb >/dev/null || fail "down fb"
check_clean fb "after both instances went down"
finish
