#!/usr/bin/env bash
# Installs the Debian 12 packages the testbed needs that are not there yet.
# Idempotent: installs nothing (and does not touch apt) when all are present.
set -eu
packages=(
	# build
	build-essential meson ninja-build pkg-config
	libdpdk-dev libnuma-dev libhwloc-dev libjansson-dev libinih-dev check libbpf-dev
	# run: switch, guests' tools, kernel paths
	dpdk dpdk-dev openvswitch-switch-dpdk hwloc iproute2 nftables kmod procps iputils-ping
	qperf iperf mtr-tiny jq bc util-linux gnuplot-nox
	# bench net: throughput/pps, latency and request/response
	iperf3 sockperf
	# QEMU guests and the KVM/TCG probe of `doctor`
	qemu-system-x86 linux-image-amd64 busybox-static
	# libFuzzer runs of run-tests.sh (about 45 MB to download)
	clang libclang-rt-14-dev
	# across machines: ansible/ and its system test (Ansible over ssh into two namespaces)
	ansible-core openssh-server
)
# installed without their recommends (ansible-core's: the whole `ansible` collection set)
norec=" ansible-core openssh-server "
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#packages[@]} packages present"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: need root to install: ${missing[*]}" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
rec=() plain=()
for p in "${missing[@]}"; do
	if [[ $norec == *" $p "* ]]; then plain+=("$p"); else rec+=("$p"); fi
done
[ ${#rec[@]} -eq 0 ] || apt-get install -y -qq "${rec[@]}" >/dev/null
[ ${#plain[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${plain[@]}" >/dev/null
# The package may start a system OVS; the testbed runs its own and needs none.
echo "install-deps: done"
