#!/usr/bin/env bash
# simulate on real guests: the instance grows to N guests per backend, iperf + mtr run on
# all pairs at once, every file is written, and the added guests are gone afterwards.
. "$(dirname "$0")/lib.sh"
require_root
"$TB" down >/dev/null 2>&1
out=$(mktemp -d /tmp/tb-simulate-test.XXXXXX)
trap '"$TB" down >/dev/null 2>&1; rm -rf "$out"' EXIT

expect_fail "simulate without testbed" "instance main is not up" "$TB" simulate --vms 2
"$TB" up --numa 0 --backends vhost-user,masquerade >/dev/null 2>&1 || { fail "up"; finish; exit 1; }
expect_fail "odd --vms" 'bad --vms "3" (allowed: an even number' "$TB" simulate --vms 3
expect_fail "bad --steps" 'bad --steps "2:14" (allowed: A:B:STEP' "$TB" simulate --steps 2:14
expect_fail "backend not up" "is not up in instance main" "$TB" simulate --vms 2 --backends bridge
expect_fail "bad --mtr-cycles" 'bad --mtr-cycles "0" (allowed: 1-1000)' \
	"$TB" simulate --vms 2 --mtr-cycles 0

# mtr cycles follow --duration (one a second): 3 cycles, the point's runs take 3 s, not 30;
# 2 runs per point (the default), interleaved across backends
if "$TB" simulate --vms 4 --duration 3 --out "$out" >/dev/null; then
	pass "simulate --vms 4 on vhost-user and masquerade"
else
	fail "simulate exited non-zero"
fi
run=$(ls -d "$out"/*-simulate | head -1)
for f in results.json results.csv report.md sim_link_bw.png sim_vm_bw.png sim_latency.png \
	raw/vhost-user/simulate-4/iperf-vu0-r1.txt raw/vhost-user/simulate-4/iperf-vu2-r2.txt \
	raw/masquerade/simulate-4/mtr-mq3-r1.txt raw/masquerade/simulate-4/mtr-mq0-r2.txt; do
	[ -s "$run/$f" ] && pass "$f written" || fail "$f missing in $run"
done
j=$run/results.json
jq -e '.points | length == 2' "$j" >/dev/null || fail "expected 2 points"
jq -e '.params.mtr_cycles == 3 and .params.mtr_cycles_from == "duration" and .params.repeat == 2' \
	"$j" >/dev/null || fail "params.mtr_cycles/repeat: $(jq -c .params "$j")"
jq -e '[.points[] | select((.repeats | length) == 2 and (.pairs | length) == 4 and
	.link_bw_mbps_min <= .link_bw_mbps and .link_bw_mbps <= .link_bw_mbps_max and
	.lat_us_min <= .lat_us and .lat_us <= .lat_us_max)] | length == 2' "$j" >/dev/null ||
	fail "repeats/min/max: $(jq -c '[.points[] | {repeats, link_bw_mbps_min, link_bw_mbps_max}]' "$j")"
grep -q "mtr 3 report cycles" "$run/report.md" || fail "report.md does not say mtr 3 report cycles"
# mtr's Snt column: the cycles it ran
awk '/\|--/ && $4 != 3 { bad = 1 } END { exit bad }' "$run/raw/masquerade/simulate-4/mtr-mq3-r1.txt" ||
	fail "mtr did not run 3 cycles: $(cat "$run/raw/masquerade/simulate-4/mtr-mq3-r1.txt")"
jq -e '[.points[] | select(.status != "ok")] | length == 0' "$j" >/dev/null ||
	fail "failed points: $(jq -c '[.points[] | .reason]' "$j")"
jq -e '[.points[] | select(.link_bw_mbps > 1 and .vm_bw_mbps > 0.5 and .lat_us > 1 and .lat_us < 1000000)] | length == 2' \
	"$j" >/dev/null || fail "implausible values: $(jq -c '[.points[] | {backend, link_bw_mbps, vm_bw_mbps, lat_us}]' "$j")"
jq -e '.points[] | select(.backend == "vhost-user") | .switch_cpu_pct > 0' "$j" >/dev/null ||
	fail "no switch CPU for vhost-user"
[ "$(wc -l < "$run/results.csv")" -eq 3 ] || fail "results.csv: expected header + 2 rows"
n=$("$TB" -j status | jq '.guests | length')
[ "$n" -eq 4 ] && pass "the added guests are gone" || fail "expected 4 guests after simulate, found $n"
[ -z "$(ip netns list | grep -E 'tb-main-(vu|mq|pod)[23]')" ] || fail "namespaces of added guests left"

"$TB" down >/dev/null || fail "down"
check_clean main "after simulate and down"
finish
