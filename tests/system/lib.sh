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

nr_hugepages() {
	cat /sys/devices/system/node/node0/hugepages/hugepages-*/nr_hugepages | tr '\n' ' '
}

finish() {
	echo "$failures failed"
	[ "$failures" -eq 0 ]
}
