#!/usr/bin/env bash
# Signals: SIGINT/SIGTERM at points during up and sweep (exit 130/143, nothing half made,
# result files whole), and kill -9 of testbed itself during up (what it started is
# journaled or found by name, so down removes it all).
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
"$TB" down --instance $inst >/dev/null || fail "down"
check_clean $inst "after down"
cgroup_gone || fail "cgroup testbed-$inst left after down"
finish
