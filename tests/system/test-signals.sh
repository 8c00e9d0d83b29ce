#!/usr/bin/env bash
# Signals: SIGINT/SIGTERM at points during up and sweep (exit 130/143, nothing half made,
# result files whole), Ctrl-C to the whole process group (the point under way is stopped, not
# failed), and kill -9 of testbed itself during up and during down (what it started is
# journaled or found by name, so a later down removes it all).
. "$(dirname "$0")/lib.sh"
require_root
inst=sig
out=$(mktemp -d /tmp/tb-signals-test.XXXXXX)
trap '"$TB" down --instance $inst >/dev/null 2>&1; rm -rf "$out"' EXIT
"$TB" down --instance $inst >/dev/null 2>&1
before=$(nr_hugepages)
cg2=$(awk '$0 ~ / - cgroup2 / {print $5; exit}' /proc/self/mountinfo)
cgroup_gone() { [ -z "$cg2" ] || [ ! -d "$cg2/testbed-$inst" ]; }

# up interrupted at several points: exit 128+signal, everything undone by up itself
for sig in INT TERM; do
	for delay in 0.3 1 2; do
		"$TB" up --numa 0 --instance $inst >/dev/null 2>&1 &
		pid=$!
		sleep $delay
		kill -$sig $pid
		wait $pid
		rc=$?
		want=$([ $sig = INT ] && echo 130 || echo 143)
		if [ $rc -eq 0 ]; then
			"$TB" down --instance $inst >/dev/null # it finished first: fine, clean up
		elif [ $rc -ne $want ]; then
			fail "up + SIG$sig after $delay s: exit $rc, expected $want"
		fi
		left=$("$LEFTOVERS" $inst)
		[ -z "$left" ] && pass "up + SIG$sig after $delay s: exit $rc, nothing left" ||
			fail "up + SIG$sig after $delay s: leftovers: $left"
	done
done
[ "$(nr_hugepages)" = "$before" ] || fail "hugepages not restored: $before -> $(nr_hugepages)"

# kill -9 of testbed during up: nothing can run in it; down must find everything
for delay in 1 3 6; do
	"$TB" up --numa 0 --instance $inst >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid
	wait $pid 2>/dev/null
	t0=$(date +%s.%N)
	"$TB" down --instance $inst >/dev/null 2>&1 || fail "down after kill -9 of up at $delay s"
	left=$("$LEFTOVERS" $inst)
	cgroup_gone || left="$left cgroup $cg2/testbed-$inst"
	[ -z "$left" ] && pass "kill -9 of up after $delay s: down cleaned up in $(echo "$(date +%s.%N) - $t0" | bc | xargs printf '%.1f') s" ||
		fail "kill -9 of up after $delay s: leftovers after down: $left"
done
[ "$(nr_hugepages)" = "$before" ] || fail "hugepages not restored: $before -> $(nr_hugepages)"

# sweep interrupted: exit 130/143, results.json and results.csv whole (temp + rename)
"$TB" up --numa 0 --backends vhost-user,bridge --instance $inst >/dev/null || { fail "up"; finish; exit 1; }
if [ -n "$cg2" ]; then
	n=$(wc -l <"$cg2/testbed-$inst/cgroup.procs")
	[ "$n" -ge 3 ] && pass "the instance's $n processes are in cgroup testbed-$inst" ||
		fail "cgroup testbed-$inst holds $n processes"
fi
for sig in INT TERM; do
	"$TB" sweep tcp_lat --instance $inst --sizes 1:1K --time 1 --repeat 1 --out "$out/$sig" >/dev/null 2>&1 &
	pid=$!
	sleep 4
	kill -$sig $pid
	wait $pid
	rc=$?
	want=$([ $sig = INT ] && echo 130 || echo 143)
	j=$(ls "$out/$sig"/*-tcp_lat/results.json 2>/dev/null)
	[ $rc -eq $want ] && jq -e '.points | length >= 1' "$j" >/dev/null &&
		pass "sweep + SIG$sig: exit $rc, results.json whole with $(jq '.points | length' "$j") points" ||
		fail "sweep + SIG$sig: exit $rc (want $want), results: $(head -c 200 "$j" 2>&1)"
	ls "$out/$sig"/*-tcp_lat/*.tmp >/dev/null 2>&1 && fail "temporary files left after SIG$sig"
done
jq -e '.phase == "up"' "/run/testbed/$inst/state.json" >/dev/null && "$TB" status --instance $inst >/dev/null &&
	pass "state file consistent after interrupted sweeps" || fail "state file after interrupted sweeps"

# Ctrl-C at a terminal reaches the whole process group, qperf included: the point under way
# is recorded as stopped (not failed), the rest as not measured
setsid "$TB" sweep tcp_lat --instance $inst --sizes 1:1K --time 1 --repeat 1 --out "$out/pg" >/dev/null 2>&1 &
pg=$!
sleep 4
kill -INT -- -$pg
wait $pg
rc=$?
j=$(ls "$out/pg"/*-tcp_lat/results.json 2>/dev/null)
st=$(jq -c '[.points[] | .status] | group_by(.) | map({(.[0]): length}) | add' "$j" 2>/dev/null)
if [ $rc -eq 130 ] && jq -e '([.points[] | select(.status == "failed")] | length == 0) and
	([.points[] | select(.status == "stopped" and .reason == "stopped by SIGINT")] | length == 1)' "$j" >/dev/null; then
	pass "Ctrl-C to the process group: exit $rc, points $st, the one under way stopped"
else
	fail "Ctrl-C to the process group: exit $rc, points $st: $(jq -c '[.points[] | select(.status != "ok") | .reason] | unique' "$j" 2>&1)"
fi

# down killed halfway (kill -9; down takes ~0.1 s): a second down finishes the job
halfway=
for d in 0.03 0.05 0.08 0.15; do
	[ -e "/run/testbed/$inst/state.json" ] || "$TB" up --numa 0 --instance $inst >/dev/null || fail "up"
	"$TB" down --instance $inst >/dev/null 2>&1 &
	pid=$!
	sleep $d
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	left=$("$LEFTOVERS" $inst | wc -l)
	[ "$left" -gt 0 ] || continue
	halfway=$d
	"$TB" down --instance $inst >/dev/null || fail "second down after kill -9 of the first"
	check_clean $inst "down killed after $d s ($left leftovers then), then down again"
	break
done
[ -n "$halfway" ] || fail "down always finished before its kill -9: nothing tested"
cgroup_gone || fail "cgroup testbed-$inst left after down"
finish
