#!/usr/bin/env bash
# Stale state: a same-named namespace, a crashed run's vhost-user socket, a state file whose
# pids now belong to unrelated processes, hugepage files left in the mount. up refuses or down reclaims; nothing that is
# not the testbed's is ever signalled.
. "$(dirname "$0")/lib.sh"
require_root
inst=stl
"$TB" down --instance $inst >/dev/null 2>&1
sleeper=
trap '[ -n "$sleeper" ] && kill $sleeper 2>/dev/null; "$TB" down --instance $inst >/dev/null 2>&1; ip netns delete tb-$inst-host 2>/dev/null' EXIT

# a namespace of ours left behind: up refuses and says how to clean up; down removes it
ip netns add tb-$inst-host
expect_fail "up over a stale namespace" "run \`./testbed down --instance $inst\` first" \
	"$TB" up --numa 0 --instance $inst
"$TB" down --instance $inst >/dev/null || fail "down of a stale namespace"
check_clean $inst "after down removed the stale namespace"

# a crashed run's vhost-user socket (no state file): up names it and refuses, down removes it
mkdir -p -m 0700 /run/testbed/$inst
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' /run/testbed/$inst/vu0.sock
expect_fail "up over a crashed run's socket" "no state file; there is /run/testbed/$inst/vu0.sock" \
	"$TB" up --numa 0 --backends vhost-user --instance $inst
[ -S /run/testbed/$inst/vu0.sock ] || fail "up removed or replaced a socket it did not make"
"$TB" down --instance $inst >/dev/null || fail "down of a stale socket"
check_clean $inst "after down removed the stale socket"

# a state file whose pids are reused by someone else: down must not signal them
"$TB" up --numa 0 --backends vhost-user --instance $inst >/dev/null || { fail "up"; finish; exit 1; }
shim=$(jq -r '.objects[] | select(.role == "shim") | .pid' /run/testbed/$inst/state.json)
kill -9 "$shim"
sleep 300 &
sleeper=$!
st=/run/testbed/$inst/state.json
jq --argjson p "$sleeper" '(.objects[] | select(.role == "shim") | .pid) = $p' "$st" >"$st.new" && mv "$st.new" "$st"
# hugepage files a crashed DPDK process would leave
touch /run/testbed/$inst/hugepages/tb-$inst-shimmap_0
"$TB" down --instance $inst >/dev/null || fail "down with a reused pid in the state"
kill -0 "$sleeper" 2>/dev/null && pass "down left pid $sleeper alone (its start time is not the shim's)" ||
	fail "down killed an unrelated process whose pid was in the state file"
kill "$sleeper"
sleeper=
check_clean $inst "after down with stale pids and hugepage files"
"$TB" up --numa 0 --backends bridge --instance $inst >/dev/null && pass "a fresh up works" ||
	fail "fresh up after stale state"
"$TB" down --instance $inst >/dev/null
finish
