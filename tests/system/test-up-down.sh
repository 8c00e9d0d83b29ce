#!/usr/bin/env bash
# up on node 0 with all three backends, guests ping each other on each, down leaves nothing.
. "$(dirname "$0")/lib.sh"
require_root
"$TB" down >/dev/null 2>&1
before=$(nr_hugepages)

start=$(date +%s.%N)
if ! "$TB" up --numa 0; then
	fail "up --numa 0"
	"$TB" down
	finish
	exit 1
fi
pass "up in $(echo "$(date +%s.%N) - $start" | bc) s"

status=$("$TB" -j status) || fail "status -j"
for be in vhost-user bridge masquerade; do
	src=$(jq -r --arg be "$be" '[.guests[] | select(.backend == $be)][0].netns' <<<"$status")
	dst=$(jq -r --arg be "$be" '[.guests[] | select(.backend == $be)][1].address' <<<"$status")
	if out=$(ip netns exec "$src" ping -c 5 -i 0.2 -W 2 "$dst" 2>&1); then
		pass "$be: $src -> $dst: $(tail -1 <<<"$out")"
	else
		fail "$be: $src cannot ping $dst: $out"
	fi
done
jq -e '[.processes[] | select(.running | not)] | length == 0' <<<"$status" >/dev/null ||
	fail "a process of the testbed is not running"
jq -e '[.switch_live.ports[] | select(.link_state != "up")] | length == 0' <<<"$status" >/dev/null ||
	fail "an OVS vhost-user port is not up: $(jq -c .switch_live.ports <<<"$status")"
jq -e '.guests | length == 6' <<<"$status" >/dev/null || fail "expected 6 guests"
"$TB" status >/dev/null || fail "status (text)"

start=$(date +%s.%N)
"$TB" down || fail "down"
pass "down in $(echo "$(date +%s.%N) - $start" | bc) s"
check_clean main "after down"
[ "$(nr_hugepages)" = "$before" ] || fail "hugepages not restored: $before -> $(nr_hugepages)"
"$TB" down >/dev/null || fail "second down (must be idempotent)"
check_clean main "after a second down"
finish
