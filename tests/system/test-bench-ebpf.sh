#!/usr/bin/env bash
# bench ebpf: on a bridge instance, --time 1 --repeat 2: every variant ok (xdp-driver ok, or
# n/a with the kernel's reason), deltas against none, raw outputs, CSV, the report's table;
# the programs really sat on both bridge ports while it ran (sampled with ip and tc, the ids
# the ones results.json records) and are gone afterwards (no xdp, no tc filter, no clsact);
# bad input refused with one line and exit 2 before anything is made; Ctrl-C while a program
# is on: exit 130, the programs off, whole result files; report RUN re-renders it.
. "$(dirname "$0")/lib.sh"
require_root
inst=${BENCH_EBPF_TEST_INSTANCE:-bebpf}
ns=tb-$inst-host
ports="tb$inst-b0 tb$inst-b1"
out=$(mktemp -d /tmp/tb-bench-ebpf-test.XXXXXX)
trap '"$TB" down --instance $inst >/dev/null 2>&1; rm -rf "$out"' EXIT
"$TB" down --instance $inst >/dev/null 2>&1
for t in iperf3 sockperf jq tc ip; do
	command -v $t >/dev/null || { fail "$t not installed (scripts/install-deps.sh)"; finish; exit 1; }
done

# no hook of any kind on the instance's bridge ports
hooks_gone() {
	local p left=""
	for p in $ports; do
		ip -n "$ns" link show dev "$p" | grep -qE 'prog/xdp|xdpgeneric| xdp ' && left+=" $p:xdp"
		[ -n "$(tc -n "$ns" filter show dev "$p" ingress 2>/dev/null)" ] && left+=" $p:tc-filter"
		tc -n "$ns" qdisc show dev "$p" | grep -q clsact && left+=" $p:clsact"
	done
	[ -z "$left" ] && pass "$1: no program, filter or clsact left on $ports" ||
		fail "$1: left on the ports:$left"
}

# one-line errors, exit 2, nothing made
out1=$("$TB" bench ebpf --variants xdp,tc --out "$out" 2>&1)
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <<<"$out1")" -eq 1 ] &&
	grep -qF 'bad --variants "xdp,tc" (allowed: a comma-separated list of none, tc, xdp-generic, xdp-driver, or all; none, the baseline, is always measured)' <<<"$out1" &&
	pass "bad --variants: exit 2, one line" || fail "bad --variants: exit $rc, output: $out1"
expect_fail "bad --time" 'bad --time "0" (allowed: 1-600 seconds)' "$TB" bench ebpf --time 0 --out "$out"
expect_fail "bad --repeat" 'bad --repeat "51" (allowed: 1-50)' "$TB" bench ebpf --repeat 51 --out "$out"
expect_fail "unknown option" 'unknown or incomplete option "--backends"' "$TB" bench ebpf --backends bridge
expect_fail "bench ebpf without instance" "instance $inst is not up: run ./testbed up --numa N --backends bridge" \
	"$TB" bench ebpf --instance $inst --out "$out"
[ -z "$(ls -A "$out")" ] || fail "refused bench ebpf created $(ls "$out")"

"$TB" up --numa 0 --backends bridge --instance $inst >/dev/null 2>&1 || { fail "up"; finish; exit 1; }
for p in $ports; do
	ip -n "$ns" link show dev "$p" >/dev/null 2>&1 || fail "bridge port $p not in $ns (naming changed?)"
done
hooks_gone "before the run"

# the run, with a sampler of what ip and tc show on the ports meanwhile
setsid "$TB" bench ebpf --instance $inst --time 1 --repeat 2 --out "$out" >"$out/stdout" 2>"$out/stderr" &
pid=$!
: >"$out/samples"
while kill -0 $pid 2>/dev/null; do
	for p in $ports; do
		l=$(ip -n "$ns" link show dev "$p" 2>/dev/null)
		id=$(grep -o 'prog/xdp id [0-9]*' <<<"$l" | awk '{print $3}')
		if [ -n "$id" ]; then
			grep -q xdpgeneric <<<"$l" && echo "xdp-generic $p $id" >>"$out/samples"
			grep -q ' xdp ' <<<"$l" && echo "xdp-driver $p $id" >>"$out/samples"
		fi
		id=$(tc -n "$ns" filter show dev "$p" ingress 2>/dev/null | grep -o ' id [0-9]*' | awk '{print $2}')
		[ -n "$id" ] && echo "tc $p $id" >>"$out/samples"
	done
	sleep 0.1
done
wait $pid
rc=$?
[ $rc -eq 0 ] && pass "bench ebpf --time 1 --repeat 2" || fail "bench ebpf exited $rc: $(tail -5 "$out/stderr")"
run=$(ls -d "$out"/*-bench-ebpf | head -1)
[ "$(cat "$out/stdout")" = "$run" ] && pass "stdout: the run directory, one line" ||
	fail "stdout is not the run directory: $(cat "$out/stdout")"
j=$run/results.json
jq -e --arg i $inst '.kind == "bench-ebpf" and .schema == 1 and .params.time_s == 1 and
	.params.repeat == 2 and .host.kernel and .host.loadavg_start and .host.loadavg_end and
	.versions.libbpf and .versions.iperf3 and .testbed.pair.client_cpu != null and
	.testbed.pair.server_cpu != null and .placement.direction == "ingress" and
	([.placement.ports[].port] == ["tb\($i)-b0", "tb\($i)-b1"]) and
	.warmup.discarded == true and (.warmup.repeats | length == 2)' "$j" >/dev/null &&
	pass "results.json: kind, params, host, versions, pinning, placement, warm-up" ||
	fail "results.json header incomplete"
jq -e '[.variants[].name] == ["none", "tc", "xdp-generic", "xdp-driver"]' "$j" >/dev/null ||
	fail "variants: $(jq -c '[.variants[].name]' "$j")"
bad=$(jq -c '[.variants[] | select(.status != "ok" and
	(.name != "xdp-driver" or .status != "n/a" or (.reason | length) < 20)) | {name, status, reason}]' "$j")
[ "$bad" = "[]" ] && pass "every variant ok ($(jq -r '[.variants[] | .name + ": " + .status] | join(", ")' "$j"))" ||
	fail "variants not ok: $bad"
driver=$(jq -r '.variants[] | select(.name == "xdp-driver") | .status' "$j")
bad=$(jq -c '[.points[] | select(.status != "ok" and (.variant != "xdp-driver" or .status != "n/a")) |
	{variant, test, status, reason}]' "$j")
[ "$bad" = "[]" ] && pass "every point ok" || fail "points not ok: $bad"
jq -e '(.points | length) == 8 and
	([.points[] | select(.status == "ok" and .test == "throughput") | .mbps.median | select(. > 0)] | length) >= 3 and
	([.points[] | select(.status == "ok" and .test == "latency") |
	  select(.p50_us.median > 0 and .p50_us.median <= .p95_us.median and .p95_us.median <= .p99_us.median)] | length) >= 3 and
	([.points[] | select(.status == "ok") | .repeats | length == 2] | all)' "$j" >/dev/null &&
	pass "values plausible, 2 rounds per point" || fail "values implausible: $(jq -c '[.points[] | [.variant, .test, .mbps.median, .p50_us.median, .p99_us.median]]' "$j")"
# deltas: every measured variant other than none, against none, from both rounds
jq -e '. as $r | [.points[] | select(.variant != "none" and .status == "ok") |
	(.delta.mbps // .delta.p50_us) | select(.n == 2 and .median_pct != null and
	.min_pct <= .median_pct and .median_pct <= .max_pct)] | length ==
	([$r.points[] | select(.variant != "none" and .status == "ok")] | length)' "$j" >/dev/null &&
	jq -e '[.points[] | select(.variant == "none") | .delta] | all(. == null)' "$j" >/dev/null &&
	pass "deltas against none present" || fail "deltas missing: $(jq -c '[.points[] | [.variant, .test, .delta]]' "$j")"
# the programs as recorded: both ports, in the mode asked for, a new program per round
jq -e '. as $r | [.variants[] | select(.status == "ok") | .name as $n | .rounds[] |
	select(.status == "ok" and (.ports | length) == 2 and
	([.ports[] | if $n == "none" then .prog_id == 0 and .attached == "none"
		else .prog_id > 0 and .attached == ({"tc": "tc-ingress", "xdp-generic": "skb",
		"xdp-driver": "drv"}[$n]) end] | all))] | length ==
	([$r.variants[] | select(.status == "ok")] | length) * 2' "$j" >/dev/null &&
	jq -e '[.variants[].rounds[].ports[]? | select(.prog_id > 0) | .prog_id] | length == (unique | length)' "$j" >/dev/null &&
	pass "programs recorded per round and port (ids, modes)" ||
	fail "recorded attachments wrong: $(jq -c '[.variants[] | {name, rounds}]' "$j")"
# ... and what ip/tc showed while it ran: each variant seen, with ids results.json has
for v in tc xdp-generic $([ "$driver" = ok ] && echo xdp-driver); do
	grep -q "^$v " "$out/samples" && pass "$v seen on the ports during the run ($(grep -c "^$v " "$out/samples") samples)" ||
		fail "$v never seen on the ports during the run"
done
ids=$(jq -c '[.variants[].rounds[].ports[]? | select(.prog_id > 0) | .prog_id]' "$j")
stray=$(awk '{print $3}' "$out/samples" | sort -u | while read -r id; do
	jq -e --argjson id "$id" 'index($id) != null' <<<"$ids" >/dev/null || echo "$id"; done)
[ -z "$stray" ] && pass "every sampled program id is one results.json records" ||
	fail "sampled ids not in results.json: $stray"
hooks_gone "after the run"
missing=$(jq -r '.points[].repeats[].raw, .warmup.repeats[].raw' "$j" | while read -r f; do [ -s "$run/$f" ] || echo "$f"; done)
[ -z "$missing" ] && pass "every raw output kept" || fail "raw outputs missing: $missing"
for f in results.csv report.md raw/tc/throughput-tcp-r1.txt raw/xdp-generic/latency-tcp-r2.txt \
	raw/none/latency-tcp-r1.txt raw/warmup/throughput-tcp.txt raw/server-iperf3.log; do
	[ -s "$run/$f" ] || fail "$f missing in $run"
done
[ "$(head -1 "$run/results.csv")" = "variant,test,case,metric,unit,median,min,max,delta_median_pct,delta_min_pct,delta_max_pct,repeats,status,reason,method" ] ||
	fail "results.csv header: $(head -1 "$run/results.csv")"
grep -q '^tc,throughput,tcp,mbps,Mb/s,[0-9.e+]*,[0-9.e+]*,[0-9.e+]*,-\?[0-9]' "$run/results.csv" ||
	fail "results.csv: no tc throughput row with a delta"
md=$run/report.md
grep -qxF '| metric | unit | none | tc | xdp-generic | xdp-driver |' "$md" &&
	grep -q '^| TCP throughput (iperf3, 1 stream) | Gb/s | [0-9.]* ([0-9.]*-[0-9.]*) | [0-9.]* (' "$md" &&
	[ "$(grep -c '^| change vs none | % | baseline | [-+][0-9.]*% \[' "$md")" -eq 4 ] &&
	grep -q '^| TCP latency P99 | us | ' "$md" && grep -qF '## Hook placement' "$md" &&
	pass "report.md: the table with deltas, the placement" || fail "report.md: table missing or wrong: $(grep '^|' "$md")"
# report RUN re-renders it
rm "$md"
"$TB" report "$run" >/dev/null 2>&1 && grep -qxF '| metric | unit | none | tc | xdp-generic | xdp-driver |' "$md" &&
	pass "report RUN re-renders it" || fail "report RUN did not rebuild report.md"
for n in $(ip netns list | awk '{print $1}' | grep "^tb-$inst-"); do
	left=$(ip netns pids "$n" 2>/dev/null | xargs -r -n1 ps -o comm= -p 2>/dev/null | grep -xE 'iperf3|sockperf')
	[ -z "$left" ] || fail "servers left in $n: $left"
done

# Ctrl-C (to the process group, as a terminal sends it) while a program is on
setsid "$TB" bench ebpf --instance $inst --variants tc --time 3 --repeat 3 --out "$out/int" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do
	tc -n "$ns" filter show dev "tb$inst-b0" ingress 2>/dev/null | grep -q bpf && break
	sleep 0.2
done
sleep 1
kill -INT -- -$pid
wait $pid
rc=$?
[ $rc -eq 130 ] && pass "Ctrl-C: exit 130" || fail "Ctrl-C: exit $rc, expected 130"
j=$(ls -d "$out"/int/*-bench-ebpf 2>/dev/null | head -1)/results.json
jq -e '.finished and ([.points[] | select(.reason == "not measured: stopped" or .status == "failed")] | length > 0)' \
	"$j" >/dev/null && pass "Ctrl-C: results.json whole, the rest marked" ||
	fail "Ctrl-C: results.json not whole or nothing marked stopped"
hooks_gone "after Ctrl-C"
for n in $(ip netns list | awk '{print $1}' | grep "^tb-$inst-"); do
	left=$(ip netns pids "$n" 2>/dev/null | xargs -r -n1 ps -o comm= -p 2>/dev/null | grep -xE 'iperf3|sockperf')
	[ -z "$left" ] || fail "Ctrl-C: processes left in $n: $left"
done

"$TB" down --instance $inst >/dev/null || fail "down"
check_clean $inst "after bench ebpf and down"
finish
