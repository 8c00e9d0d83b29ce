#!/usr/bin/env bash
# Across machines on Ansible: two "machines" (network namespaces, each with its own sshd on a
# 198.19.254.x address), joined by a veth wire each machine's switch drives as its NIC
# (af_packet); ansible-playbook from the root namespace runs ansible/site.yml over ssh: up on
# both, serve, sweep from machine 0 against machine 1's guests, fetch, down; then nothing left.
# TB_ANSIBLE_REPEAT=N: N runs per point (default 1, to keep the test short).
. "$(dirname "$0")/lib.sh"
require_root
for t in ansible-playbook ssh ssh-keygen; do
	command -v $t >/dev/null || { echo "SKIP: $t missing (apt-get install ansible-core openssh-server)"; exit 77; }
done
[ -x /usr/sbin/sshd ] || { echo "SKIP: /usr/sbin/sshd missing (apt-get install openssh-server)"; exit 77; }

tmp=$(mktemp -d /tmp/tb-ansible-test.XXXXXX)
made_privsep=0
cleanup() {
	local m pid
	for m in 0 1; do
		ip netns exec tban-m$m "$TB" down --instance an$m >/dev/null 2>&1
		pid=$(cat "$tmp/sshd-m$m.pid" 2>/dev/null) && [ -n "$pid" ] && kill "$pid" 2>/dev/null
		ip netns del tban-m$m 2>/dev/null
		ip link del tbanc$m 2>/dev/null
	done
	[ $made_privsep -eq 1 ] && rmdir /run/sshd 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
t0=$SECONDS

# the machines: a namespace each, a management veth to the controller, the wire between them
[ -d /run/sshd ] || { mkdir -m 0755 /run/sshd && made_privsep=1; }
ssh-keygen -q -t ed25519 -N '' -f "$tmp/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$tmp/id"
cp "$tmp/id.pub" "$tmp/authorized_keys"
cat >"$tmp/sshd_config" <<CONF
HostKey $tmp/hostkey
AuthorizedKeysFile $tmp/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
LogLevel ERROR
CONF
for m in 0 1; do
	ip netns add tban-m$m
	ip -n tban-m$m link set lo up
	ip link add tbanc$m type veth peer name tbanc${m}p netns tban-m$m
	ip addr add 198.19.254.$((4 * m + 1))/30 dev tbanc$m
	ip link set tbanc$m up
	ip -n tban-m$m addr add 198.19.254.$((4 * m + 2))/30 dev tbanc${m}p
	ip -n tban-m$m link set tbanc${m}p up
	# ip netns exec: the machine's own mount namespace (its /sys), which its sessions share
	ip netns exec tban-m$m /usr/sbin/sshd -f "$tmp/sshd_config" -E "$tmp/sshd-m$m.log" \
		-o ListenAddress=198.19.254.$((4 * m + 2)) -o PidFile="$tmp/sshd-m$m.pid" ||
		fail "sshd in machine $m"
done
# the wire: each end moves into its machine's host namespace on up, and dies with it on down
make_wire() {
	ip link add tbanw0 netns tban-m0 type veth peer name tbanw1 netns tban-m1
	for m in 0 1; do
		ip -n tban-m$m link set tbanw$m up
		ip netns exec tban-m$m sysctl -qw net.ipv6.conf.tbanw$m.disable_ipv6=1
	done
}
make_wire

cat >"$tmp/inventory.yml" <<INV
all:
  vars:
    ansible_user: root
    ansible_python_interpreter: /usr/bin/python3
    testbed_dir: $SOURCE_ROOT
    testbed_bin: $TB
    testbed_install: false
    testbed_results: $tmp/results
    testbed_report_bin: $TB
    testbed_sizes: "1:64"
    testbed_time: 1
    testbed_repeat: ${TB_ANSIBLE_REPEAT:-1}
    testbed_remote_out: $tmp/remote
    testbed_up_throttle: 1
    testbed_sim_vms: 4
    testbed_sim_duration: 3
    testbed_sim_mtr_cycles: 3
    # the sanitizer settings of run-tests.sh reach the commands run over ssh too
    testbed_env: {ASAN_OPTIONS: "${ASAN_OPTIONS:-}", UBSAN_OPTIONS: "${UBSAN_OPTIONS:-}",
                  LSAN_OPTIONS: "${LSAN_OPTIONS:-}"}
  children:
    testbed_machines:
      hosts:
        m0: {ansible_host: 198.19.254.2, host_index: 0, numa: 0, instance: an0, testbed_guests: 4,
             nic: "net_af_packet0,iface=tbanw0,qdisc_bypass=1"}
        m1: {ansible_host: 198.19.254.6, host_index: 1, numa: 0, instance: an1,
             nic: "net_af_packet1,iface=tbanw1,qdisc_bypass=1"}
INV
mkdir -p "$tmp/results" "$tmp/remote" "$tmp/ansible-home"
export ANSIBLE_HOME=$tmp/ansible-home ANSIBLE_LOCAL_TEMP=$tmp/ansible-home/tmp \
	ANSIBLE_REMOTE_TEMP=$tmp/ansible-remote ANSIBLE_HOST_KEY_CHECKING=False \
	ANSIBLE_PRIVATE_KEY_FILE=$tmp/id ANSIBLE_PIPELINING=True ANSIBLE_NOCOLOR=1 \
	ANSIBLE_RETRY_FILES_ENABLED=False ANSIBLE_FORKS=2 \
	ANSIBLE_SSH_ARGS="-o UserKnownHostsFile=/dev/null -o ControlMaster=no -o LogLevel=ERROR"
if ansible-playbook -i "$tmp/inventory.yml" "$SOURCE_ROOT/ansible/site.yml" >"$tmp/play.log" 2>&1; then
	pass "ansible-playbook: $(grep -E '^(m0|m1) ' "$tmp/play.log" | tr -s ' ' | tr '\n' ';')"
else
	fail "ansible-playbook failed:"; tail -40 "$tmp/play.log"
fi

run=$(ls -d "$tmp"/results/*-tcp_lat/ 2>/dev/null | head -1)
sim=$(ls -d "$tmp"/results/*-simulate/ 2>/dev/null | head -1)
if [ -z "$run" ] || [ -z "$sim" ]; then
	fail "run directories on the controller: sweep ${run:-none}, simulate ${sim:-none}"
else
	python3 - "$run" "$sim" <<'PY' && pass "run directories: both scopes ok, both machines' hosts, reports" || fail "run directories $run $sim"
import json, os, sys
for d, n in ((sys.argv[1], 2 * 7), (sys.argv[2], 2)):
	r = json.load(open(os.path.join(d, "results.json")))
	pts = r["points"]
	assert {p.get("scope") for p in pts} == {"same_host", "across_hosts"}, (d, pts)
	assert all(p.get("status") == "ok" for p in pts), [(p.get("error"), p.get("reason")) for p in pts]
	assert len(pts) == n, (d, len(pts))
	assert r["remote_host"]["instance"] == "an1", r.get("remote_host")
	h = json.load(open(os.path.join(d, "hosts", "m1.json")))
	assert "versions" in h and "host" in h
	assert os.path.getsize(os.path.join(d, "report.md")) > 0
assert os.path.isdir(os.path.join(sys.argv[1], "raw", "vhost-user-across_hosts"))
PY
fi
# a machine that fails (its NIC is not there) fails the play with its error; down still runs
if [ -z "${TB_ANSIBLE_KEEP:-}" ]; then
	make_wire
	sed 's/iface=tbanw1,/iface=tbanwx,/' "$tmp/inventory.yml" >"$tmp/bad.yml"
	if ansible-playbook -i "$tmp/bad.yml" "$SOURCE_ROOT/ansible/site.yml" >"$tmp/bad.log" 2>&1; then
		fail "play with a missing NIC on m1: exit 0"
	elif ! grep -qE 'fatal: \[m1\].*testbed: [^"]*(no link tbanwx on this machine|hugepages)' \
		"$tmp/bad.log"; then
		# (hugepages: where other instances hold this host's pages, up stops before the NIC)
		fail "play with a missing NIC: m1's error not shown"; tail -20 "$tmp/bad.log"
	elif [ "$(sed -n '/TASK \[testbed : Down\]/,$p' "$tmp/bad.log" | grep -c 'changed: \[m[01]\]')" -ne 2 ]; then
		fail "play with a missing NIC: down did not run on both"; tail -20 "$tmp/bad.log"
	else
		pass "play with a missing NIC on m1: fails with its error, down on both"
	fi
fi
# TB_ANSIBLE_KEEP=DIR keeps a copy of the run directory (measuring by hand)
[ -n "${TB_ANSIBLE_KEEP:-}" ] && cp -r "$tmp"/results/* "$TB_ANSIBLE_KEEP/"
[ "$(sed -n '/TASK \[testbed : Down\]/,$p' "$tmp/play.log" | grep -c 'changed: \[m[01]\]')" -eq 2 ] ||
	fail "down did not run on both machines"
for m in 0 1; do check_clean an$m "machine $m after the play"; done
echo "play and checks: $((SECONDS - t0)) s"
finish
