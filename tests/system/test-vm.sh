#!/usr/bin/env bash
# QEMU guests (profile vm-small): boot on all three backends, ping their peers through the
# agent, run a short sweep, show as UP in status; a VM killed mid-sweep fails its points by
# name; nothing is left after down.
. "$(dirname "$0")/lib.sh"
require_root
inst=vmt
if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "SKIP: qemu-system-x86_64 not installed"
	exit 77
fi
"$TB" down --instance $inst >/dev/null 2>&1
out=$(mktemp -d /tmp/tb-vm-test.XXXXXX)
trap '"$TB" down --instance $inst >/dev/null 2>&1; rm -rf "$out"' EXIT

expect_fail "unknown profile" "vm-huge" "$TB" up --numa 0 --profile vm-huge --instance $inst
expect_fail "1 GB pages for 256 MB VMs" "not a whole number of 1048576 kB pages" \
	"$TB" up --numa 0 --profile vm-small --page-size 1G --instance $inst

start=$(date +%s.%N)
if ! "$TB" up --numa 0 --profile vm-small --guests 2 --instance $inst >/dev/null; then
	fail "up --profile vm-small"
	finish
	exit 1
fi
pass "6 VMs up in $(echo "$(date +%s.%N) - $start" | bc) s"

st=$("$TB" -j status --instance $inst) || fail "status -j"
jq -e '[.guests[] | select(.kind == "qemu" and .link == "UP")] | length == 6' <<<"$st" \
	>/dev/null && pass "6 VMs, eth0 UP" || fail "guests: $(jq -c '[.guests[] | {name, kind, link}]' <<<"$st")"
accel=$(jq -r '.config.accel' <<<"$st")
[ "$accel" = tcg ] || [ "$accel" = kvm ] && pass "accelerator: $accel" || fail "no accelerator recorded"
for be in vhost-user bridge masquerade; do
	socks=$(jq -r --arg be "$be" '[.guests[] | select(.backend == $be)][0].agent_sockets[]' <<<"$st")
	dst=$(jq -r --arg be "$be" '[.guests[] | select(.backend == $be)][1].address' <<<"$st")
	args=()
	for s in $socks; do args+=(--socket "$s"); done
	if o=$("$TB" guest-exec "${args[@]}" --timeout 30 -- ping -c 5 -i 0.2 -W 5 "$dst" 2>&1); then
		pass "$be: VM 0 -> $dst: $(tail -1 <<<"$o")"
	else
		fail "$be: VM 0 cannot ping $dst: $o"
	fi
done
expect_fail "guest-exec of a missing program" "" "$TB" guest-exec "${args[@]}" -- no-such-tool

if "$TB" sweep tcp_lat --instance $inst --sizes 1:64 --time 1 --repeat 1 --out "$out" >/dev/null; then
	j=$(ls -d "$out"/*-tcp_lat)/results.json
	jq -e '(.points | length) == 21 and ([.points[] | select(.status != "ok")] | length) == 0' \
		"$j" >/dev/null && pass "sweep tcp_lat on VMs: 21 points ok" ||
		fail "sweep points: $(jq -c '[.points[] | {backend, size, status, reason}]' "$j")"
	jq -e '.testbed.guest_kind == "qemu" and .testbed.config.accel != null' "$j" >/dev/null ||
		fail "results do not say the guests were VMs"
else
	fail "sweep tcp_lat on VMs"
fi

# kill -9 of a VM in the middle of a sweep: its points fail naming it, the others stay whole
"$TB" sweep tcp_lat --instance $inst --sizes 1:1K --time 1 --repeat 1 --out "$out/k" >/dev/null 2>&1 &
sweep=$!
for ((i = 0; i < 300; i++)); do
	j=$(ls "$out"/k/*-tcp_lat/results.json 2>/dev/null | head -1)
	[ -n "$j" ] && [ "$(jq '.points | length' "$j" 2>/dev/null || echo 0)" -ge 3 ] && break
	sleep 0.2
done
victim=$(jq -r '[.guests[] | select(.backend == "vhost-user")][1] | "\(.name) \(.pid)"' <<<"$st")
kill -9 "${victim#* }"
wait $sweep && fail "sweep exit 0 after VM ${victim% *} was killed"
r=$(jq -r '[.points[] | select(.status != "ok") | .reason] | unique | join("; ")' "$j")
[[ "$r" == *"guest ${victim% *} (QEMU pid ${victim#* }) is gone"* ]] &&
	pass "VM ${victim% *} killed mid-sweep: its points fail: $r" || fail "reasons: $r"
jq -e '[.points[] | select(.backend != "vhost-user" and .status != "ok")] | length == 0' "$j" \
	>/dev/null && pass "the other backends' points unaffected" ||
	fail "other backends failed: $(jq -c '[.points[] | select(.status != "ok") | {backend, reason}]' "$j")"

"$TB" down --instance $inst >/dev/null || fail "down"
check_clean $inst "after down"
[ -z "$(pgrep -f "qemu-system-x86_64 -name (vu|br|mq)[0-9]+,")" ] || fail "QEMU processes left"
finish
