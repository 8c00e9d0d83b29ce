#!/usr/bin/env bash
# Across machines on Ansible: three "machines" (network namespaces, each with its own sshd on a
# 198.19.254.x address), joined by a "lab switch" (a kernel bridge in a namespace of the test,
# one veth per machine whose machine end that machine's switch drives as its NIC, af_packet);
# ansible-playbook from the root namespace runs ansible/site.yml over ssh: up on all three,
# serve on machines 1 and 2, sweep and simulate from machine 0 against both, fetch (the runs,
# the servers' outputs, every machine's hosts), down; then nothing left.
# TB_ANSIBLE_REPEAT=N: N runs per point (default 1, to keep the test short).
# TB_ANSIBLE_BACKENDS=LIST: the backends measured (default vhost-user); with bridge or
# masquerade every machine gets a second wire, to a second lab switch, as its --kernel-nic.
. "$(dirname "$0")/lib.sh"
require_root
for t in ansible-playbook ssh ssh-keygen; do
	command -v $t >/dev/null || { echo "SKIP: $t missing (apt-get install ansible-core openssh-server)"; exit 77; }
done
[ -x /usr/sbin/sshd ] || { echo "SKIP: /usr/sbin/sshd missing (apt-get install openssh-server)"; exit 77; }

MACHINES="0 1 2"
BACKENDS=${TB_ANSIBLE_BACKENDS:-vhost-user}
KERNEL=0
case ",$BACKENDS," in *,bridge,* | *,masquerade,*) KERNEL=1 ;; esac
tmp=$(mktemp -d /tmp/tb-ansible-test.XXXXXX)
made_privsep=0
cleanup() {
	local m pid
	for m in $MACHINES; do
		ip netns exec tbmm-m$m "$TB" down --instance mman$m >/dev/null 2>&1
		pid=$(cat "$tmp/sshd-m$m.pid" 2>/dev/null) && [ -n "$pid" ] && kill "$pid" 2>/dev/null
		ip netns del tbmm-m$m 2>/dev/null
		ip link del tbmmc$m 2>/dev/null
	done
	ip netns del tbmm-lab 2>/dev/null
	[ $made_privsep -eq 1 ] && rmdir /run/sshd 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
t0=$SECONDS

# the machines: a namespace each, a management veth to the controller, a wire to the lab switch
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
for m in $MACHINES; do
	ip netns add tbmm-m$m
	ip -n tbmm-m$m link set lo up
	ip link add tbmmc$m type veth peer name tbmmc${m}p netns tbmm-m$m
	ip addr add 198.19.254.$((4 * m + 1))/30 dev tbmmc$m
	ip link set tbmmc$m up
	ip -n tbmm-m$m addr add 198.19.254.$((4 * m + 2))/30 dev tbmmc${m}p
	ip -n tbmm-m$m link set tbmmc${m}p up
	# ip netns exec: the machine's own mount namespace (its /sys), which its sessions share
	ip netns exec tbmm-m$m /usr/sbin/sshd -f "$tmp/sshd_config" -E "$tmp/sshd-m$m.log" \
		-o ListenAddress=198.19.254.$((4 * m + 2)) -o PidFile="$tmp/sshd-m$m.pid" ||
		fail "sshd in machine $m"
done
# the lab switch: a bridge in a namespace of its own, one port per machine
ip netns add tbmm-lab
ip -n tbmm-lab link add tbmmlab type bridge
ip netns exec tbmm-lab sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n tbmm-lab link set tbmmlab up
[ $KERNEL -eq 1 ] && ip -n tbmm-lab link add tbmmlabk type bridge && ip -n tbmm-lab link set tbmmlabk up
# a machine's wire: its end moves into the machine's host namespace on up and dies with it on
# down (the lab's end with it)
make_wire() {
	local m
	for m in $MACHINES; do
		ip -n tbmm-lab link show tbmms$m >/dev/null 2>&1 && continue
		ip link add tbmmw$m netns tbmm-m$m type veth peer name tbmms$m netns tbmm-lab
		ip -n tbmm-lab link set tbmms$m master tbmmlab up
		ip -n tbmm-m$m link set tbmmw$m up
		ip netns exec tbmm-m$m sysctl -qw net.ipv6.conf.tbmmw$m.disable_ipv6=1
	done
	[ $KERNEL -eq 1 ] || return 0
	for m in $MACHINES; do # the kernel bridge's wire, to the second lab switch
		ip -n tbmm-lab link show tbmmq$m >/dev/null 2>&1 && continue
		ip link add tbmmk$m netns tbmm-m$m type veth peer name tbmmq$m netns tbmm-lab
		ip -n tbmm-lab link set tbmmq$m master tbmmlabk up
	done
}
make_wire

KNIC0= KNIC1= KNIC2=
[ $KERNEL -eq 1 ] && KNIC0=", kernel_nic: tbmmk0" KNIC1=", kernel_nic: tbmmk1" KNIC2=", kernel_nic: tbmmk2"
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
    testbed_backends: $BACKENDS
    # the sanitizer settings of run-tests.sh reach the commands run over ssh too
    testbed_env: {ASAN_OPTIONS: "${ASAN_OPTIONS:-}", UBSAN_OPTIONS: "${UBSAN_OPTIONS:-}",
                  LSAN_OPTIONS: "${LSAN_OPTIONS:-}"}
  children:
    testbed_machines:
      hosts:
        m0: {ansible_host: 198.19.254.2, host_index: 0, numa: 0, instance: mman0, testbed_guests: 4,
             nic: "net_af_packet0,iface=tbmmw0,qdisc_bypass=1"$KNIC0}
        m1: {ansible_host: 198.19.254.6, host_index: 1, numa: 0, instance: mman1,
             nic: "net_af_packet1,iface=tbmmw1,qdisc_bypass=1"$KNIC1}
        m2: {ansible_host: 198.19.254.10, host_index: 2, numa: 0, instance: mman2,
             nic: "net_af_packet2,iface=tbmmw2,qdisc_bypass=1"$KNIC2}
INV
mkdir -p "$tmp/results" "$tmp/remote" "$tmp/ansible-home"
export ANSIBLE_HOME=$tmp/ansible-home ANSIBLE_LOCAL_TEMP=$tmp/ansible-home/tmp \
	ANSIBLE_REMOTE_TEMP=$tmp/ansible-remote ANSIBLE_HOST_KEY_CHECKING=False \
	ANSIBLE_PRIVATE_KEY_FILE=$tmp/id ANSIBLE_PIPELINING=True ANSIBLE_NOCOLOR=1 \
	ANSIBLE_RETRY_FILES_ENABLED=False ANSIBLE_FORKS=3 \
	ANSIBLE_SSH_ARGS="-o UserKnownHostsFile=/dev/null -o ControlMaster=no -o LogLevel=ERROR"
t_play=$SECONDS
if ansible-playbook -i "$tmp/inventory.yml" "$SOURCE_ROOT/ansible/site.yml" >"$tmp/play.log" 2>&1; then
	t_play=$((SECONDS - t_play))
	pass "ansible-playbook ($t_play s): $(grep -E '^m[0-9] ' "$tmp/play.log" | tr -s ' ' | tr '\n' ';')"
else
	fail "ansible-playbook failed:"; tail -40 "$tmp/play.log"
fi

run=$(ls -d "$tmp"/results/*-tcp_lat/ 2>/dev/null | head -1)
sim=$(ls -d "$tmp"/results/*-simulate/ 2>/dev/null | head -1)
if [ -z "$run" ] || [ -z "$sim" ]; then
	fail "run directories on the controller: sweep ${run:-none}, simulate ${sim:-none}"
else
	python3 - "$run" "$sim" "$BACKENDS" <<'PY' && pass "run directories: both scopes, pairs with machines 1 and 2, every machine's hosts and servers' outputs, reports" || fail "run directories $run $sim"
import json, os, sys
run, sim, bes = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
for d, n in ((run, 7 * (1 + 2) * len(bes)), (sim, 2 * len(bes))):
	r = json.load(open(os.path.join(d, "results.json")))
	pts = r["points"]
	assert {p.get("scope") for p in pts} == {"same_host", "across_hosts"}, (d, pts)
	assert all(p.get("status") == "ok" for p in pts), [(p.get("error"), p.get("reason")) for p in pts]
	assert len(pts) == n, (d, len(pts))
	assert [h["instance"] for h in r["remote_hosts"]] == ["mman1", "mman2"], r.get("remote_hosts")
	assert all("versions" in h and "host" in h for h in r["remote_hosts"])
	assert r["host"] and r["versions"]
	for m in ("m1", "m2"):
		h = json.load(open(os.path.join(d, "hosts", m + ".json")))
		assert "versions" in h and "host" in h
		# the served machine's servers' raw outputs, fetched
		for f in h["logs"]:
			assert os.path.isfile(os.path.join(d, "raw", m, f)), (d, m, f)
	assert os.path.getsize(os.path.join(d, "report.md")) > 0
for be in bes:
	# the sweep: guest 0 here against guest 0 of machine 1, then of machine 2, at every size
	across = [p for p in json.load(open(os.path.join(run, "results.json")))["points"]
	          if p["scope"] == "across_hosts" and p["backend"] == be]
	assert sorted(p["peer_host_index"] for p in across) == [1] * 7 + [2] * 7, across
	for k in (1, 2):
		assert os.path.isdir(os.path.join(run, "raw", "%s-across_hosts-h%d" % (be, k)))
	# the simulation: pair k with machine 1 + k mod 2's guest k div 2, so each machine once
	p = [p for p in json.load(open(os.path.join(sim, "results.json")))["points"]
	     if p["scope"] == "across_hosts" and p["backend"] == be][0]
	assert [(q["server_host_index"], q["server"][-1]) for q in p["pairs"]] == [(1, "0"), (2, "0")], p["pairs"]
	# their iperf servers saw the connections: the served outputs are the runs' own
	for m in ("m1", "m2"):
		t = open(os.path.join(sim, "raw", m, "serve-iperf-%s.log" % p["pairs"][0]["server"])).read()
		assert "bits/sec" in t, (m, t[:300])
PY
fi
# a machine that fails (its NIC is not there) fails the play with its error; down still runs
if [ -z "${TB_ANSIBLE_KEEP:-}" ]; then
	make_wire
	sed 's/iface=tbmmw1,/iface=tbmmwx,/' "$tmp/inventory.yml" >"$tmp/bad.yml"
	t_bad=$SECONDS
	if ansible-playbook -i "$tmp/bad.yml" "$SOURCE_ROOT/ansible/site.yml" >"$tmp/bad.log" 2>&1; then
		fail "play with a missing NIC on m1: exit 0"
	elif ! grep -qE 'fatal: \[m1\].*testbed: [^"]*(no link tbmmwx on this machine|hugepages)' \
		"$tmp/bad.log"; then
		# (hugepages: where other instances hold this host's pages, up stops before the NIC)
		fail "play with a missing NIC: m1's error not shown"; tail -20 "$tmp/bad.log"
	elif [ "$(sed -n '/TASK \[testbed : Down\]/,$p' "$tmp/bad.log" | grep -c 'changed: \[m[012]\]')" -ne 3 ]; then
		fail "play with a missing NIC: down did not run on all three"; tail -20 "$tmp/bad.log"
	else
		pass "play with a missing NIC on m1: fails with its error, down on all three ($((SECONDS - t_bad)) s)"
	fi
fi
# TB_ANSIBLE_KEEP=DIR keeps a copy of the run directory (measuring by hand)
[ -n "${TB_ANSIBLE_KEEP:-}" ] && cp -r "$tmp"/results/* "$TB_ANSIBLE_KEEP/"
[ "$(sed -n '/TASK \[testbed : Down\]/,$p' "$tmp/play.log" | grep -c 'changed: \[m[012]\]')" -eq 3 ] ||
	fail "down did not run on all three machines"
for m in $MACHINES; do check_clean mman$m "machine $m after the play"; done
echo "play and checks: $((SECONDS - t0)) s"
finish
