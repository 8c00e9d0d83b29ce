#!/usr/bin/env bash
# bench net: every test (throughput, pps, latency, rr) on every backend of a netns instance,
# 1 s per measurement: ok points with plausible values (n/a only for vhost-user host to
# guest), raw outputs, CSV, a report table per test; bad input refused before anything is
# made; Ctrl-C stops it (exit 130) with whole result files; no server, host address or
# namespace left behind.
. "$(dirname "$0")/lib.sh"
require_root
inst=bnet
out=$(mktemp -d /tmp/tb-bench-net-test.XXXXXX)
trap '"$TB" down --instance $inst >/dev/null 2>&1; rm -rf "$out"' EXIT
"$TB" down --instance $inst >/dev/null 2>&1
for t in iperf3 sockperf ping; do
	command -v $t >/dev/null || { fail "$t not installed (scripts/install-deps.sh)"; finish; exit 1; }
done

expect_fail "bench net without instance" "instance $inst is not up: run ./testbed up" \
	"$TB" bench net --instance $inst --out "$out"
expect_fail "bad --tests" 'bad --tests "tcp_rr" (allowed: ' "$TB" bench net --tests tcp_rr --out "$out"
expect_fail "bad --time" 'bad --time "0" (allowed: 1-600 seconds)' "$TB" bench net --time 0 --out "$out"
expect_fail "unknown benchmark" 'bench: unknown bench "nett" (valid: switch, net, ebpf, path, all)' "$TB" bench nett
[ -z "$(ls -A "$out")" ] || fail "refused bench net created $(ls "$out")"

"$TB" up --numa 0 --instance $inst >/dev/null 2>&1 || { fail "up"; finish; exit 1; }
expect_fail "bad backend" 'unknown backend "vhost" (valid: ' "$TB" bench net --instance $inst \
	--backends vhost --out "$out"
[ -z "$(ls -A "$out")" ] || fail "refused bench net created $(ls "$out")"

t0=$(date +%s)
if "$TB" bench net --instance $inst --time 1 --out "$out" >"$out/stdout" 2>"$out/stderr"; then
	pass "bench net --time 1 (all tests, all backends) in $(($(date +%s) - t0)) s"
else
	fail "bench net exited non-zero: $(tail -5 "$out/stderr")"
fi
run=$(ls -d "$out"/*-bench-net | head -1)
j=$run/results.json
for f in results.json results.csv report.md raw/vhost-user/throughput-tcp-g2g-r1.txt \
	raw/bridge/pps-udp_64-h2g-r1.txt raw/masquerade/latency-icmp-h2g-r1.txt \
	raw/masquerade/latency-tcp-g2g-r1.txt raw/bridge/rr-tcp_crr-g2g-r1.txt \
	raw/vhost-user/server-iperf3.log; do
	[ -s "$run/$f" ] && pass "$f written" || fail "$f missing in $run"
done
jq -e '.kind == "bench-net" and .schema == 1 and .versions.iperf3 and .versions.sockperf and
	.host.kernel and .testbed.plan and .params.time_s == 1' "$j" >/dev/null ||
	fail "kind/schema/versions/host/params missing"
# 14 cases x 3 backends x 2 directions
jq -e '.points | length == 84' "$j" >/dev/null || fail "expected 84 points, got $(jq '.points | length' "$j")"
for be in vhost-user bridge masquerade; do
	for t in throughput pps latency rr; do
		jq -e --arg b $be --arg t $t '[.points[] | select(.backend == $b and .test == $t and
			.status == "ok")] | length > 0' "$j" >/dev/null || fail "$be $t: no ok point"
	done
done
bad=$(jq -c '[.points[] | select(.status != "ok" and
	(.status != "n/a" or .backend != "vhost-user" or .direction != "host_to_guest")) |
	{backend, direction, test, case, status, reason}]' "$j")
[ "$bad" = "[]" ] && pass "every point ok (n/a: vhost-user host to guest only)" || fail "points not ok: $bad"
jq -e '[.points[] | select(.status == "n/a")] | length == 14' "$j" >/dev/null ||
	fail "expected 14 n/a points (vhost-user host to guest)"
jq -e '[.points[] | select(.status == "ok" and .test == "throughput") | .mbps.median |
	select(. > 0)] | length == 20' "$j" >/dev/null ||
	fail "throughput not > 0: $(jq -c '[.points[] | select(.test == "throughput") | .mbps.median]' "$j")"
jq -e '[.points[] | select(.status == "ok" and .test == "pps") | .rx_pps.median |
	select(. > 0)] | length == 20' "$j" >/dev/null || fail "pps not > 0"
jq -e '[.points[] | select(.status == "ok" and .test == "latency") |
	select(.p50_us.median > 0 and .p50_us.median <= .p95_us.median and
	.p95_us.median <= .p99_us.median and .p99_us.median < 1000000 and
	((.jitter_us.median - (.p99_us.median - .p50_us.median)) as $d |
	 (if $d < 0 then -$d else $d end) < 0.001))] |
	length == 15' "$j" >/dev/null ||
	fail "latency percentiles implausible: $(jq -c '[.points[] | select(.test == "latency") |
		[.backend, .direction, .case, .p50_us.median, .p95_us.median, .p99_us.median]]' "$j")"
jq -e '[.points[] | select(.status == "ok" and .test == "rr") | .tps.median |
	select(. > 10)] | length == 15' "$j" >/dev/null ||
	fail "rr rates implausible: $(jq -c '[.points[] | select(.test == "rr") | .tps.median]' "$j")"
jq -e '[.points[] | select(.method | length > 20)] | length == 84' "$j" >/dev/null ||
	fail "a point without its method"
missing=$(jq -r '.points[].repeats[].raw' "$j" | while read -r f; do [ -f "$run/$f" ] || echo "$f"; done)
[ -z "$missing" ] && pass "every repeat's raw output kept" || fail "raw outputs missing: $missing"
[ "$(head -1 "$run/results.csv")" = "backend,direction,test,case,msg_size,metric,unit,median,min,max,repeats,status,reason,method" ] ||
	fail "results.csv header: $(head -1 "$run/results.csv")"
[ "$(wc -l <"$run/results.csv")" -gt 84 ] || fail "results.csv: too few rows"
n=$(grep -c '^| case | metric | direction | unit | vhost-user | bridge | masquerade |$' "$run/report.md")
[ "$n" -eq 4 ] && pass "report.md: a table per test" || fail "report.md: $n tables, expected 4"
for h in "## Throughput (iperf3)" "## Packets per second" "## Latency" "## Request/response" \
	"## Host and testbed"; do
	grep -qF "$h" "$run/report.md" || fail "report.md lacks \"$h\""
done
grep -A1 '^| TCP_CRR | transactions/s | guest to guest | 1/s | [0-9]' "$run/report.md" |
	grep -q '^|  |  | host to guest | 1/s | n/a | [0-9]' && pass "report.md: TCP_CRR rows" ||
	fail "report.md: TCP_CRR rows missing: $(grep -A1 TCP_CRR "$run/report.md")"
# the run left nothing in the instance: no servers, no host addresses
for ns in $(ip netns list | awk '{print $1}' | grep "^tb-$inst-"); do
	pids=$(ip netns pids "$ns" 2>/dev/null | xargs -r -n1 ps -o comm= -p 2>/dev/null | grep -xE 'iperf3|sockperf')
	[ -z "$pids" ] || fail "servers left in $ns: $pids"
done
ip -n tb-$inst-host addr show | grep -q '\.254/24' && fail "host addresses left on the bridge" ||
	pass "host addresses removed"

# Ctrl-C (to the process group, as a terminal sends it) in the middle: exit 130, whole files
setsid "$TB" bench net --instance $inst --tests rr --time 2 --out "$out/int" >/dev/null 2>&1 &
pid=$!
sleep 6
kill -INT -- -$pid
wait $pid
rc=$?
[ $rc -eq 130 ] && pass "Ctrl-C: exit 130" || fail "Ctrl-C: exit $rc, expected 130"
j=$(ls -d "$out"/int/*-bench-net 2>/dev/null | head -1)/results.json
jq -e '.finished and ([.points[] | select(.reason == "not measured: stopped")] | length > 0)' \
	"$j" >/dev/null && pass "Ctrl-C: results.json whole, the rest marked stopped" ||
	fail "Ctrl-C: results.json not whole or nothing marked stopped"
for ns in $(ip netns list | awk '{print $1}' | grep "^tb-$inst-"); do
	pids=$(ip netns pids "$ns" 2>/dev/null | xargs -r -n1 ps -o comm= -p 2>/dev/null |
		grep -xE 'iperf3|sockperf|testbed')
	[ -z "$pids" ] || fail "Ctrl-C: processes left in $ns: $pids"
done

"$TB" down --instance $inst >/dev/null || fail "down"
check_clean $inst "after bench net and down"
finish
