#!/bin/sh
# /init of the testbed's QEMU guests (busybox sh, in the initramfs that
# scripts/build-guest-image.sh makes). Everything comes from the kernel command line:
#   tb.ip=ADDR/PREFIX (required)  tb.gw=ADDR  tb.mtu=N  tb.name=NAME
# Brings up lo and the virtio NIC (eth0) without IPv6, then becomes the agent (PID 1),
# which prints "TB-READY <name> <address>" on the console once it serves its ports.
# On failure it prints "TB-FAILED <why>" and stays (PID 1 must not exit).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

# The initramfs has no /dev/console: stdio comes from devtmpfs.
mount -t devtmpfs dev /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sys /sys
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run

die() {
	echo "TB-FAILED $*"
	while :; do sleep 3600; done
}

# Before the NIC exists, so it never gets an IPv6 link-local address nor sends for it.
echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6

kver=$(uname -r)
while read -r m; do
	insmod "/lib/modules/$kver/$m" || die "insmod $m failed"
done </etc/tb-modules

ip= gw= mtu= name=guest
for w in $(cat /proc/cmdline); do
	case "$w" in
	tb.ip=*) ip=${w#tb.ip=} ;;
	tb.gw=*) gw=${w#tb.gw=} ;;
	tb.mtu=*) mtu=${w#tb.mtu=} ;;
	tb.name=*) name=${w#tb.name=} ;;
	esac
done
[ -n "$ip" ] || die "no tb.ip=ADDR/PREFIX on the kernel command line"
case "$ip" in */*) ;; *) die "tb.ip=$ip: need ADDR/PREFIX" ;; esac

hostname "$name"
echo "127.0.0.1 localhost" >/etc/hosts
echo "${ip%/*} $name" >>/etc/hosts
ip link set lo up

i=0
while [ ! -e /sys/class/net/eth0 ]; do
	i=$((i + 1))
	[ $i -le 200 ] || die "no virtio NIC (eth0) after 10 s"
	sleep 0.05
done
if [ -n "$mtu" ]; then
	ip link set eth0 mtu "$mtu" || die "tb.mtu=$mtu refused"
fi
ip addr add "$ip" dev eth0 || die "tb.ip=$ip refused"
ip link set eth0 up || die "eth0 does not come up"
i=0
while [ "$(cat /sys/class/net/eth0/operstate)" != up ]; do
	i=$((i + 1))
	[ $i -le 200 ] || die "eth0 has no carrier after 10 s (is the host's tap up?)"
	sleep 0.05
done
if [ -n "$gw" ]; then
	ip route add default via "$gw" || die "tb.gw=$gw refused"
fi

exec /sbin/tb-guest-agent -r "TB-READY $name ${ip%/*}"
die "cannot start /sbin/tb-guest-agent"
