#!/usr/bin/env bash
# Stale state: a same-named namespace, a state file whose pids now belong to unrelated
# processes, hugepage files left in the mount. up refuses or down reclaims; nothing that is
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
