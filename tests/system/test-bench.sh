#!/usr/bin/env bash
# bench switch: a short run of every switch (one round, 64 B, 1 s) prints the table and the
# ratios and writes its run dir; bad input is refused before anything exists; Ctrl-C
# undoes the instance; nothing is left either way.
. "$(dirname "$0")/lib.sh"
require_root
"$TB" down --instance bench >/dev/null 2>&1
out=$(mktemp -d /tmp/tb-bench-test.XXXXXX)
trap '"$TB" down --instance bench >/dev/null 2>&1; rm -rf "$out"' EXIT
before=$(nr_hugepages)

expect_fail "no benchmark" "bench: which bench? (valid: switch, net, ebpf, path, all)" "$TB" bench
expect_fail "bad size" 'bad --sizes "63" (allowed: ' "$TB" bench switch --sizes 63 --out "$out"
expect_fail "bad switch" 'bad --switches "ovs,vpp" (allowed: ' "$TB" bench switch --switches ovs,vpp \
	--out "$out"
expect_fail "bad ring variant" 'bad --rings "split,paked": "paked" (allowed: ' "$TB" bench switch \
	--rings split,paked --out "$out"
"$TB" bench switch --pairs 0 --out "$out" >/dev/null 2>&1
[ $? -eq 2 ] && pass "bad --pairs: exit 2" || fail "bad --pairs: exit code not 2"
[ -z "$(ls -A "$out")" ] || fail "refused bench created $(ls "$out")"
check_clean bench "after refused benches"

if text=$("$TB" bench switch --pairs 1 --sizes 64 --time 1 --out "$out" 2>"$out/stderr"); then
	pass "bench switch --pairs 1 --sizes 64 --time 1"
else
	fail "bench switch exited non-zero: $(tail -3 "$out/stderr")"
fi
echo "$text"
for r in busy/testpmd busy/ovs adaptive/busy; do
	grep -q "^$r" <<<"$text" && pass "ratio $r printed" || fail "ratio $r not printed"
done
run=$(ls -d "$out"/*-bench-switch | head -1)
j=$run/results.json
for f in results.json results.csv summary.txt raw/testpmd/r1-generator.log raw/testpmd/r1-switch.log \
	raw/ovs/r1-ovs-vswitchd.log raw/busy/r1-switch-stats.json raw/adaptive/r1-switch.log; do
	[ -s "$run/$f" ] && pass "$f written" || fail "$f missing in $run"
done
jq -e '[.sessions[] | select(.status == "ok")] | length == 4' "$j" >/dev/null ||
	fail "failed sessions: $(jq -c '[.sessions[] | select(.status != "ok") | .error]' "$j")"
jq -e '[.throughput[] | .mpps.median | select(. > 0.01)] | length == 4' "$j" >/dev/null ||
	fail "implausible rates: $(jq -c '[.throughput[].mpps.median]' "$j")"
jq -e '[.latency[] | .rtt_us.median | select(. > 0.1 and . < 100000)] | length == 4' "$j" >/dev/null ||
	fail "implausible RTTs: $(jq -c '[.latency[].rtt_us.median]' "$j")"
jq -e '[.idle_cpu[] | .cpu_pct | select(. >= 0)] | length == 5' "$j" >/dev/null ||
	fail "idle CPU missing: $(jq -c '.idle_cpu' "$j")"
jq -e '.placement.generator_cpu != null and .placement.switch_cpu != null and .versions.ovs and
	.versions.dpdk_generator and .host.loadavg_end' "$j" >/dev/null || fail "placement/versions/load missing"
check_clean bench "after bench switch"
[ "$(nr_hugepages)" = "$before" ] || fail "hugepages not given back: $before -> $(nr_hugepages)"

# Ctrl-C in the middle: exit 128+2, the instance undone
"$TB" bench switch --switches testpmd --pairs 3 --sizes 64 --time 1 --out "$out" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 60); do
	[ -e /run/testbed/bench/gen0.sock ] && break
	sleep 0.5
done
sleep 2
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] && pass "interrupted bench: exit 130" || fail "interrupted bench: exit $rc"
check_clean bench "after an interrupted bench"
finish
