#!/usr/bin/env bash
# bench path: on an instance with the testbed-pmd switch (co-located adapter), vhost-user and
# bridge guests, a few probes each way: every vhost-user hop present and non-negative, their
# sum near the measured total, the bridge's total, the report re-rendered, down leaves nothing.
# Then the same with OVS-DPDK, where the switch hop is the labelled remainder
# (BENCH_PATH_OVS=0 leaves it out).
. "$(dirname "$0")/lib.sh"
require_root
inst=bp
"$TB" down --instance $inst >/dev/null 2>&1
out=$(mktemp -d /tmp/tb-bench-path-test.XXXXXX)
trap '"$TB" down --instance $inst >/dev/null 2>&1; rm -rf "$out"' EXIT

expect_fail "bad --size" 'bad --size "8" (allowed: 64-1400 bytes)' \
	"$TB" bench path --size 8 --instance $inst
expect_fail "bad --repeat" 'bad --repeat "0" (allowed: 1-20 rounds)' \
	"$TB" bench path --repeat 0 --instance $inst
expect_fail "instance not up" "instance $inst is not up" "$TB" bench path --instance $inst
if ! "$TB" up --numa 0 --switch testbed-pmd --backends vhost-user,bridge --instance $inst \
	>/dev/null; then
	fail "up --switch testbed-pmd --backends vhost-user,bridge"
	finish
	exit 1
fi
pass "up --switch testbed-pmd"

# check_run DIR SWITCH_HOP: the run's hops, as the brief says they must be
check_run() {
	local dir=$1 hop=$2 r
	r="$dir/results.json"
	jq -e '.kind == "bench-path" and (.points | length) == 2 and
		all(.points[]; .status == "ok" and .valid >= 20)' "$r" >/dev/null &&
		pass "both backends measured: $(jq -c '[.points[] | {backend, valid}]' "$r")" ||
		fail "not both backends measured: $(jq -c '[.points[] | {backend, status, reason}]' "$r")"
	jq -e --arg hop "$hop" '.points[] | select(.backend == "vhost-user") | .hops |
		map(.label) | index($hop) != null and index("guest stack -> adapter") != null and
		index("adapter -> guest stack") != null' "$r" >/dev/null &&
		pass "vhost-user hops: $(jq -c '[.points[0].hops[] | [.label, .median_us]]' "$r")" ||
		fail "vhost-user hops missing ($hop): $(jq -c '.points[0].hops' "$r")"
	jq -e 'all(.points[].hops[]; .median_us >= 0 and .p10_us >= 0)' "$r" >/dev/null &&
		pass "every hop non-negative" || fail "a negative hop: $(jq -c '.points' "$r")"
	jq -e '.points[] | select(.backend == "vhost-user") |
		.sum_of_medians_us >= 0.7 * .total.median_us and
		.sum_of_medians_us <= 1.3 * .total.median_us' "$r" >/dev/null &&
		pass "sum of hops within 30% of the total: $(jq -c '.points[0] |
			[.sum_of_medians_us, .total.median_us]' "$r")" ||
		fail "sum of hops far from the total: $(jq -c '.points[0]' "$r")"
	jq -e '.points[] | select(.backend == "bridge") | .hops | length == 1 and
		.[0].label == "total (no inner stamps)"' "$r" >/dev/null &&
		pass "bridge: total only" || fail "bridge hops: $(jq -c '.points[1]' "$r")"
	jq -e '.params.repeat == 2 and .ratio.pairs == 2 and .ratio.median > 0 and
		all(.points[]; .rounds_ok == 2 and .total.rounds.n == 2 and
			.total.rounds.min_us <= .total.rounds.max_us)' "$r" >/dev/null &&
		pass "2 rounds each, vhost-user/bridge ratio per round: $(jq -c .ratio "$r")" ||
		fail "rounds or ratio missing: $(jq -c '{ratio, r: [.points[].total]}' "$r")"
	[ -s "$dir/raw/vhost-user-r1.csv" ] && [ -s "$dir/raw/bridge-r2.csv" ] &&
		grep -q "^| switch\|^| adapter -> guest stack" "$dir/report.md" &&
		pass "raw CSV and report.md" || fail "raw CSV or report.md missing in $dir"
}

if run=$("$TB" bench path --instance $inst --count 100 --interval-us 500 --repeat 2 --out "$out" 2>&1); then
	dir=$(tail -1 <<<"$run")
	pass "bench path: $(tr '\n' ' ' <<<"$run" | cut -c1-300)"
	check_run "$dir" "switch forward (rx -> tx)"
	rm -f "$dir/report.md" "$dir"/path-*.png
	"$TB" report "$dir" >/dev/null 2>&1 && [ -s "$dir/report.md" ] && [ -s "$dir/path-vhost-user.png" ] &&
		pass "report re-renders a bench path run" || fail "report $dir"
else
	fail "bench path: $run"
fi
"$TB" down --instance $inst >/dev/null || fail "down"
check_clean $inst "down"

if [ "${BENCH_PATH_OVS:-1}" = 1 ]; then
	if "$TB" up --numa 0 --backends vhost-user,bridge --instance $inst >/dev/null; then
		if run=$("$TB" bench path --instance $inst --count 100 --interval-us 500 \
			--repeat 2 --out "$out" 2>&1); then
			check_run "$(tail -1 <<<"$run")" "switch (remainder, OVS-DPDK)"
		else
			fail "bench path with OVS-DPDK: $run"
		fi
	else
		fail "up with OVS-DPDK"
	fi
	"$TB" down --instance $inst >/dev/null || fail "down (OVS-DPDK)"
	check_clean $inst "down (OVS-DPDK)"
fi
finish
