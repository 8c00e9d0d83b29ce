#!/usr/bin/env bash
# up --hosts 2: two host namespaces, each with its own switch (OVS-DPDK, then testbed-pmd),
# joined by veth wires the switches drive through af_xdp/af_packet; guests split evenly.
# Guests ping across the wire on every backend; an across-hosts sweep measures both scopes
# and the baseline; simulate --across-hosts runs; the reports show both scopes side by
# side; down leaves nothing.
. "$(dirname "$0")/lib.sh"
require_root
inst=hosts
"$TB" down --instance $inst >/dev/null 2>&1
out=$(mktemp -d /tmp/tb-hosts-test.XXXXXX)
trap '"$TB" down --instance $inst >/dev/null 2>&1; rm -rf "$out"' EXIT

expect_fail "--hosts 3" 'bad --hosts "3" (allowed: 1-2)' "$TB" up --numa 0 --hosts 3 --instance $inst
expect_fail "odd guests on 2 hosts" "bad --guests 3 with --hosts 2" \
	"$TB" up --numa 0 --hosts 2 --guests 3 --instance $inst
expect_fail "--wire-pmd without hosts" "--wire-pmd is for --hosts 2" \
	"$TB" up --numa 0 --wire-pmd af_xdp --instance $inst
expect_fail "bad --wire-pmd" 'bad --wire-pmd "vfio" (allowed: auto, af_xdp, af_packet)' \
	"$TB" up --numa 0 --hosts 2 --wire-pmd vfio --instance $inst
check_clean $inst "after refused ups"

# ping from guest idx 0 of a backend to the guest on the other host (idx 1)
ping_across() { # ns addr
	ip netns exec "$1" ping -c 3 -i 0.2 -w 10 "$2" 2>&1
}
check_pings() { # label
	local be ns addr o
	for be in vu:1 br:2 mq:3; do
		ns=tb-$inst-${be%%:*}0
		addr=198.18.${be##*:}.2
		if o=$(ping_across "$ns" "$addr"); then pass "$1: ${be%%:*}0 -> $addr across the wire: $(tail -1 <<<"$o")"
		else fail "$1: ${be%%:*}0 cannot reach $addr on the other host: $o"; fi
	done
	if o=$(ip netns exec tb-$inst-host ping -c 2 -i 0.2 -w 5 198.18.0.2 2>&1); then
		pass "$1: host 0 -> host 1 over the kernel wire"
	else fail "$1: host 0 cannot reach host 1: $o"; fi
}

# --- OVS-DPDK on each host ---
if ! "$TB" up --numa 0 --hosts 2 --instance $inst >"$out/up.txt" 2>&1; then
	fail "up --hosts 2 (OVS): $(tail -5 "$out/up.txt")"
	finish
	exit 1
fi
pass "up --hosts 2 with OVS-DPDK"
st=$("$TB" -j status --instance $inst) || fail "status -j"
jq -e '.config.hosts == 2 and (.hosts | length) == 2' <<<"$st" >/dev/null || fail "state has no 2 hosts"
jq -e '[.guests[] | select(.backend == "vhost-user")] | length == 4' <<<"$st" >/dev/null ||
	fail "not 4 vhost-user guests (2 per host)"
jq -e '[.guests[] | select(.host == 1)] | length == 6' <<<"$st" >/dev/null || fail "guests not split evenly"
pmd0=$(jq -r '.switch.nic.pmd' <<<"$st")
pmd1=$(jq -r '.hosts[1].switch.nic.pmd' <<<"$st")
[[ $pmd0 == af_xdp || $pmd0 == af_packet ]] && [ "$pmd0" = "$pmd1" ] &&
	pass "each OVS drives its wire end through $pmd0" || fail "wire PMDs: $pmd0 / $pmd1"
jq -e '.hosts[1].switch_live.ports[] | select(.name == "wire") | .link_state == "up"' <<<"$st" \
	>/dev/null && pass "host 1 OVS wire port up" || fail "wire port: $(jq -c .hosts[1].switch_live <<<"$st")"
[ "$(jq '[.processes[] | select(.role | startswith("ovs-vswitchd"))] | length' <<<"$st")" = 2 ] &&
	pass "two ovs-vswitchd" || fail "not two ovs-vswitchd: $(jq -c '[.processes[].role]' <<<"$st")"
"$TB" status --instance $inst | grep -q "^host 1: tb-$inst-host1" || fail "status (text) shows no host 1"
check_pings "OVS"

if "$TB" sweep tcp_lat --across-hosts --instance $inst --sizes 1:1K --time 1 --repeat 1 --out "$out" >/dev/null; then
	j=$(ls -d "$out"/*-tcp_lat)/results.json
	jq -e '[.points[] | select(.status != "ok")] | length == 0' "$j" >/dev/null &&
		pass "sweep --across-hosts: $(jq '.points | length' "$j") points ok" ||
		fail "sweep points failed: $(jq -c '[.points[] | select(.status != "ok") | .reason]' "$j")"
	for sc in same_host across_hosts; do
		[ "$(jq "[.points[] | select(.scope == \"$sc\")] | length" "$j")" = 33 ] ||
			fail "not 33 $sc points (11 sizes x 3 backends)"
	done
	jq -e '.baseline.status == "ok" and .baseline.iperf.bw_mbps > 0 and .baseline.qperf_tcp_lat.latency_us > 0' \
		"$j" >/dev/null && pass "baseline: $(jq -c '[.baseline.iperf.bw_mbps, .baseline.qperf_tcp_lat.latency_us]' "$j")" ||
		fail "baseline: $(jq -c .baseline "$j")"
	d=$(dirname "$j")
	[ -s "$d/raw/baseline/iperf.txt" ] && [ -s "$d/raw/vhost-user-across_hosts/tcp_lat-1-r1.txt" ] ||
		fail "raw outputs missing"
	grep -q "across hosts" "$d/report.md" && grep -qi "baseline" "$d/report.md" &&
		pass "report shows both scopes and the baseline" || fail "report.md lacks scopes/baseline"
else
	fail "sweep tcp_lat --across-hosts (OVS)"
fi
expect_fail "simulate across with odd VMs" "bad --vms" \
	"$TB" simulate --vms 3 --across-hosts --instance $inst --out "$out"
if "$TB" simulate --vms 4 --across-hosts --duration 3 --mtr-cycles 3 --repeat 1 --instance $inst --out "$out" >/dev/null; then
	j=$(ls -d "$out"/*-simulate | head -1)/results.json
	jq -e '[.points[] | select(.status != "ok")] | length == 0' "$j" >/dev/null &&
		pass "simulate --vms 4 --across-hosts: $(jq -c '[.points[] | [.backend, .scope, .vms, (.link_bw_mbps|floor)]]' "$j")" ||
		fail "simulate points failed: $(jq -c '[.points[] | select(.status != "ok") | .reason]' "$j")"
	[ "$(jq '[.points[] | select(.scope == "across_hosts")] | length' "$j")" -ge 3 ] ||
		fail "no across_hosts simulate points"
else
	fail "simulate --vms 4 --across-hosts"
fi
"$TB" down --instance $inst >/dev/null || fail "down (OVS)"
check_clean $inst "after down (OVS)"

# --- testbed-pmd on each host, netns guests, vhost-user only ---
if "$TB" up --numa 0 --hosts 2 --switch testbed-pmd --backends vhost-user,bridge,masquerade \
	--instance $inst >"$out/up-pmd.txt" 2>&1; then
	pass "up --hosts 2 --switch testbed-pmd"
	st=$("$TB" -j status --instance $inst)
	echo "wire: $(jq -c '[.switch.nic, .hosts[1].switch.nic]' <<<"$st")"
	check_pings "testbed-pmd"
	"$TB" restart --instance $inst >/dev/null || fail "restart of both switches"
	if o=$(ping_across tb-$inst-vu0 198.18.1.2); then pass "traffic across after restart"
	else fail "no traffic across after restart: $o"; fi
	if "$TB" sweep tcp_bw --across-hosts --no-baseline --backends vhost-user --instance $inst \
		--sizes 64K:64K --time 2 --repeat 1 --out "$out" >/dev/null; then
		j=$(ls -d "$out"/*-tcp_bw)/results.json
		jq -e '[.points[] | select(.status == "ok")] | length == 2' "$j" >/dev/null &&
			pass "tcp_bw 64K: $(jq -c '[.points[] | [.scope, (.bw_mbps.median|floor)]]' "$j") Mbit/s" ||
			fail "tcp_bw: $(jq -c '[.points[] | .reason]' "$j")"
	else
		fail "sweep tcp_bw across hosts through testbed-pmd (TSO frames leave the wire segmented)"
	fi
else
	fail "up --hosts 2 --switch testbed-pmd: $(tail -5 "$out/up-pmd.txt")"
fi
"$TB" down --instance $inst >/dev/null || fail "down (testbed-pmd)"
"$TB" down --instance $inst >/dev/null || fail "down again (idempotent)"
check_clean $inst "after down (testbed-pmd)"
finish
