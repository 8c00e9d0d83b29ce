# Shared by the system tests: real OVS-DPDK, pmd/, namespaces, nftables; root only.
# Env from meson: TESTBED (the binary), SOURCE_ROOT.
set -u
TB=${TESTBED:?TESTBED not set}
LEFTOVERS=${SOURCE_ROOT:?}/../shared/checks/leftovers
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: needs root (namespaces, hugepages, OVS-DPDK)"
		exit 77
	fi
}

# The host must hold nothing of the testbed (the shared cleanup check).
check_clean() {
	local left
	if [ ! -x "$LEFTOVERS" ]; then
		fail "leftovers check $LEFTOVERS not found"
		return
	fi
	left=$("$LEFTOVERS" "${1:-}")
	if [ -n "$left" ]; then fail "$2: leftovers: $left"; else pass "$2: nothing left"; fi
}

# expect_fail "what" "message part" cmd...: non-zero exit and the message on stderr/stdout
expect_fail() {
	local what=$1 msg=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		fail "$what: exit 0, expected failure"
	elif ! grep -qF -- "$msg" <<<"$out"; then
		fail "$what: message \"$msg\" not in: $out"
	else
		pass "$what (exit $rc): $(head -1 <<<"$out")"
	fi
}

# sweep_ok "what" DIR TEST ARGS...: `sweep TEST ARGS --out DIR`, every point ok (pass lists
# them: backend, size, median latency or bandwidth)
sweep_ok() {
	local what=$1 dir=$2 test=$3 j
	shift 3
	if ! "$TB" sweep "$test" "$@" --out "$dir" >/dev/null; then
		fail "$what: sweep $test"
		return 1
	fi
	j=$(ls -d "$dir"/*-"$test" | tail -1)/results.json
	if jq -e '[.points[] | select(.status != "ok")] | length == 0' "$j" >/dev/null; then
		pass "$what: $(jq -c '[.points[] | [.backend, .msg_size,
			(.latency_us.median // .bw_mbps.median)]]' "$j")"
	else
		fail "$what: points failed: $(jq -c '[.points[] | .reason]' "$j")"
	fi
}

# simulate_ok "what" DIR ARGS...: `simulate ARGS --out DIR`, its first point ok with traffic
simulate_ok() {
	local what=$1 dir=$2 j
	shift 2
	if ! "$TB" simulate "$@" --out "$dir" >/dev/null; then
		fail "$what"
		return 1
	fi
	j=$(ls -d "$dir"/*-simulate | tail -1)/results.json
	jq -e '.points[0].status == "ok" and .points[0].link_bw_mbps > 1' "$j" >/dev/null &&
		pass "$what: $(jq -c '.points[0] | {link_bw_mbps, lat_us}' "$j")" ||
		fail "$what: point $(jq -c '.points[0]' "$j")"
}

nr_hugepages() {
	cat /sys/devices/system/node/node0/hugepages/hugepages-*/nr_hugepages | tr '\n' ' '
}

finish() {
	echo "$failures failed"
	[ "$failures" -eq 0 ]
}
