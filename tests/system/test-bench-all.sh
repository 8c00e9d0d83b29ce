#!/usr/bin/env bash
# bench all: every backend this host runs brought up in one instance, bench net over all of
# them and bench ebpf on the bridge path, one run directory with one report listing the
# backends that do not run here with the reason; the instance is gone afterwards.
. "$(dirname "$0")/lib.sh"
require_root
inst=ball
out=$(mktemp -d /tmp/tb-bench-all-test.XXXXXX)
trap '"$TB" down --instance $inst >/dev/null 2>&1; rm -rf "$out"' EXIT
"$TB" down --instance $inst >/dev/null 2>&1

expect_fail "bench all --guests 1" 'bad --guests "1" (allowed: 2-32 per backend: a pair)' \
	"$TB" bench all --guests 1 --out "$out"
expect_fail "bench all --tests" 'bad --tests "pp" (allowed: ' "$TB" bench all --tests pp --out "$out"
[ -z "$(ls -A "$out")" ] || fail "refused bench all created $(ls "$out")"

t0=$(date +%s)
if "$TB" bench all --instance $inst --time 1 --repeat 2 --tests throughput --out "$out" \
	>"$out/stdout" 2>"$out/stderr"; then
	pass "bench all in $(($(date +%s) - t0)) s"
else
	fail "bench all exited non-zero: $(tail -5 "$out/stderr")"
fi
run=$(tail -1 "$out/stdout")
j=$run/results.json
[ -s "$j" ] || { fail "no results.json in \"$run\""; finish; exit 1; }
jq -e '.schema == 1 and .kind == "bench-all" and (.backends | length == 7) and .host.kernel and .versions' "$j" \
	>/dev/null && pass "results.json: kind, 7 backends, host" || fail "results.json: $(head -c 300 "$j")"
# every backend is either measured or says why it does not run here
jq -e '[.backends[] | select((.measured | not) and (.runs or (.why | length < 10)))] | length == 0' \
	"$j" >/dev/null && pass "every backend measured or has its reason" ||
	fail "backends: $(jq -c '[.backends[] | [.backend, .runs, .measured, .why]]' "$j")"
measured=$(jq -r '[.backends[] | select(.measured) | .backend] | join(",")' "$j")
echo "measured: $measured"
for be in vhost-user bridge masquerade tap; do
	grep -qw -- "$be" <<<"${measured//,/ }" || fail "$be not measured"
done
jq -e '.steps.up.status == "ok" and .steps.net.status == "ok" and .steps.ebpf.status == "ok" and
	.steps.down.status == "ok" and .steps.net.run_dir and .steps.ebpf.run_dir' "$j" >/dev/null &&
	pass "steps up, net, ebpf, down ok" || fail "steps: $(jq -c .steps "$j")"
nj=$run/$(jq -r .steps.net.run_dir "$j")/results.json
for be in ${measured//,/ }; do
	jq -e --arg b "$be" '[.points[] | select(.backend == $b and .direction == "guest_to_guest" and
		.status == "ok")] | length == 4' "$nj" >/dev/null || fail "bench net: $be has not 4 ok points"
done
ej=$run/$(jq -r .steps.ebpf.run_dir "$j")/results.json
jq -e '.kind == "bench-ebpf"' "$ej" >/dev/null && pass "bench ebpf ran" || fail "bench ebpf results missing"
for f in report.md results.csv raw/up.txt raw/net.txt raw/ebpf.txt; do
	[ -s "$run/$f" ] || fail "$f missing"
done
[ -e "$run/raw/down.txt" ] || fail "raw/down.txt missing"
for h in "## Backends" "## bench net:" "### Throughput (iperf3)" "| vhost-net | no | "; do
	grep -qF -- "$h" "$run/report.md" || fail "report.md lacks \"$h\""
done
grep -q "^| case | metric | direction | unit | vhost-user | bridge | masquerade | tap" "$run/report.md" &&
	pass "report.md: one table, a column per backend" || fail "report.md: no table with every backend"
rm "$run/report.md"
"$TB" report "$run" >/dev/null 2>&1 && grep -qF "## bench net:" "$run/report.md" &&
	pass "report RUN rebuilds it" || fail "report RUN did not rebuild report.md"
[ ! -e /run/testbed/$inst ] && pass "instance taken down" || fail "instance $inst left up"
check_clean $inst "after bench all"
finish
