#!/usr/bin/env bash
# A short qperf sweep on real guests: every result file written, values plausible,
# raw outputs re-parse, report rebuilds and compares; bad input refused before measuring.
. "$(dirname "$0")/lib.sh"
require_root
"$TB" down >/dev/null 2>&1
out=$(mktemp -d /tmp/tb-sweep-test.XXXXXX)
trap '"$TB" down >/dev/null 2>&1; rm -rf "$out"' EXIT

expect_fail "sweep without testbed" "instance main is not up: run ./testbed up" "$TB" sweep tcp_lat
"$TB" up --numa 0 >/dev/null 2>&1 || { fail "up"; finish; exit 1; }

expect_fail "unknown test" 'unknown test "tcp_rr" (valid: tcp_lat, tcp_bw, udp_lat, udp_bw, all)' \
	"$TB" sweep tcp_rr
expect_fail "reversed sizes" 'bad --sizes "64:1" (allowed: MIN:MAX' "$TB" sweep tcp_lat --sizes 64:1
expect_fail "unwritable --out" "--out /proc/testbed: cannot create" "$TB" sweep tcp_lat --out /proc/testbed
expect_fail "other instance" "instance zz is not up" "$TB" sweep tcp_lat --instance zz

if "$TB" sweep tcp_lat --sizes 1:64 --time 1 --backends vhost-user,masquerade --out "$out" >/dev/null; then
	pass "sweep tcp_lat on vhost-user and masquerade"
else
	fail "sweep tcp_lat exited non-zero"
fi
run=$(ls -d "$out"/*-tcp_lat | head -1)
# --repeat auto (the default): at least 3 runs of every point, interleaved across backends
for f in results.json results.csv report.md tcp_lat.png raw/vhost-user/tcp_lat-1-r1.txt \
	raw/masquerade/tcp_lat-64-r1.txt raw/vhost-user/tcp_lat-64-r3.txt raw/masquerade/tcp_lat-1-r3.txt; do
	[ -s "$run/$f" ] && pass "$f written" || fail "$f missing in $run"
done
j=$run/results.json
[ -s "$run/raw/vhost-user/tcp_lat-1-r0-warmup.txt" ] && pass "an uncounted warm-up run per backend" ||
	fail "no warm-up output"
# passes over every size: the largest size's run 1 comes before the smallest size's run 2
[ "$run/raw/masquerade/tcp_lat-64-r1.txt" -ot "$run/raw/vhost-user/tcp_lat-1-r2.txt" ] &&
	pass "repeats come from passes over all sizes" || fail "a size's repeats ran back to back"
jq -e '.points | length == 14' "$j" >/dev/null || fail "expected 14 points (7 sizes x 2 backends)"
jq -e '[.points[] | select(.status != "ok")] | length == 0' "$j" >/dev/null ||
	fail "failed points: $(jq -c '[.points[] | select(.status != "ok") | .reason]' "$j")"
jq -e '[.points[] | .latency_us.median | select(. > 1 and . < 100000)] | length == 14' "$j" >/dev/null ||
	fail "implausible latencies: $(jq -c '[.points[].latency_us.median]' "$j")"
jq -e '.params.repeat == "auto" and .params.repeat_min == 3 and .params.repeat_cap == 7 and
	.params.wide_threshold == 0.2' "$j" >/dev/null || fail "repeat params: $(jq -c .params "$j")"
jq -e '[.points[] | .repeats | length | select(. >= 3 and . <= 7)] | length == 14' "$j" >/dev/null ||
	fail "repeats per point not 3-7: $(jq -c '[.points[] | .repeats | length]' "$j")"
jq -e '[.points[] | select(.wide != null and .spread >= 0)] | length == 14' "$j" >/dev/null ||
	fail "spread/wide missing: $(jq -c '[.points[] | {spread, wide}]' "$j")"
jq -e '.elapsed_s > 0' "$j" >/dev/null || fail "elapsed_s missing"
jq -e '.versions.dpdk and .versions.qperf and .testbed.plan and .host.kernel' "$j" >/dev/null ||
	fail "host/testbed/versions missing"
[ "$(wc -l < "$run/results.csv")" -eq 15 ] || fail "results.csv: expected header + 14 rows"
grep -q "vhost-user/bridge\|vhost-user/masquerade" "$run/report.md" || fail "report.md has no ratio table"
head -c 8 "$run/tcp_lat.png" | od -An -c | grep -q "P   N   G" || fail "tcp_lat.png is not a PNG"
odd=$(find "$run" -type f ! -perm 0644)
[ -z "$odd" ] && pass "every file of the run is 0644" || fail "files not 0644: $odd"
[ "$(stat -c %a /run/testbed/main)" = 700 ] || fail "run dir /run/testbed/main is not 0700"
lat=$("$TB" parse qperf "$run/raw/vhost-user/tcp_lat-1-r1.txt" | jq -r .latency_us)
rec=$(jq -r '.points[] | select(.backend == "vhost-user" and .msg_size == 1) | .repeats[0].latency_us' "$j")
[ "$lat" = "$rec" ] || awk -v a="$lat" -v b="$rec" 'BEGIN { exit !(a - b < 1e-6 && b - a < 1e-6) }' ||
	fail "parse of the raw output ($lat) differs from the recorded value ($rec)"
rm "$run/report.md"
"$TB" report "$run" >/dev/null 2>&1 && [ -s "$run/report.md" ] && pass "report rebuilt" || fail "report rebuild"
"$TB" report "$run" "$run" >/dev/null 2>&1 && ls "$run"/compare-*.md >/dev/null 2>&1 &&
	pass "report compares two runs" || fail "report RUN_A RUN_B"

if "$TB" sweep all --sizes 1:4 --time 1 --repeat 1 --backends bridge --out "$out" >/dev/null; then
	pass "sweep all on bridge"
else
	fail "sweep all exited non-zero"
fi
j=$(ls -d "$out"/*-all)/results.json
jq -e '.points | length == 12' "$j" >/dev/null || fail "sweep all: expected 12 points"
jq -e '.params.repeat == 1 and ([.points[] | .repeats | length] | unique == [1])' "$j" >/dev/null ||
	fail "--repeat 1: $(jq -c '[.params.repeat, [.points[] | .repeats | length]]' "$j")"
jq -e '[.points[] | select(.test == "udp_bw") | .bw_MBps.median | select(. > 0)] | length == 3' "$j" \
	>/dev/null || fail "udp_bw without bandwidth: $(jq -c '[.points[] | select(.test == "udp_bw")]' "$j")"

"$TB" down >/dev/null || fail "down"
check_clean main "after sweep and down"
finish
