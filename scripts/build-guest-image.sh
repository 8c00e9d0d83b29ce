#!/usr/bin/env bash
# Builds the QEMU guests' boot files from packages already on this host:
#   OUT_DIR/vmlinuz         the newest /boot/vmlinuz-* (linux-image-amd64)
#   OUT_DIR/initramfs.img   cpio newc + gzip: busybox-static, the virtio NIC/serial modules
#                           (with their dependencies, from modules.dep), qperf, iperf, mtr,
#                           mtr-packet, ping, ip, iperf3, sockperf (with their libraries and
#                           the loader), the static guest agent, and vm-profiles/guest-init.sh
#                           as /init
#   OUT_DIR/inputs.sha256   what they were built from; nothing is rebuilt while it matches
# Runs from meson (ninja builds build/vm-profiles/guest/) or by hand once the agent is built:
#   scripts/build-guest-image.sh [--agent PATH] [--depfile PATH] [--if-possible] OUT_DIR
# --if-possible: a host without the packages gets no image and exit 0 (the build goes on).
set -euo pipefail

top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
self=$top/scripts/build-guest-image.sh
init=$top/vm-profiles/guest-init.sh
agent=$top/build/vm-profiles/tb-guest-agent
depfile= optional=0 out=
while [ $# -gt 0 ]; do
	case "$1" in
	--agent) agent=$2; shift 2 ;;
	--depfile) depfile=$2; shift 2 ;;
	--if-possible) optional=1; shift ;;
	-*) echo "build-guest-image: unknown option $1" >&2; exit 2 ;;
	*) out=$1; shift ;;
	esac
done
if [ -z "$out" ]; then
	echo "usage: build-guest-image.sh [--agent PATH] [--depfile PATH] [--if-possible] OUT_DIR" >&2
	exit 2
fi
out_arg=$out
mkdir -p "$out"
out=$(cd "$out" && pwd)
tools=(qperf iperf mtr mtr-packet ping ip iperf3 sockperf)
pkgs=(busybox-static qperf iperf mtr-tiny iputils-ping iproute2 libc6 iperf3 sockperf)
roots=(virtio_pci virtio_net virtio_console)
deps=("$self" "$init" "$agent" /boot /usr/bin)

write_depfile() {
	[ -n "$depfile" ] || return 0
	printf '%s:' "$out_arg" >"$depfile.tmp"
	printf ' \\\n %s' "${deps[@]}" >>"$depfile.tmp"
	printf '\n' >>"$depfile.tmp"
	mv -f "$depfile.tmp" "$depfile"
}

fail() {
	if [ "$optional" = 1 ]; then
		echo "guest image: skipped: $*"
		write_depfile
		touch "$out"
		exit 0
	fi
	echo "build-guest-image: $*" >&2
	exit 1
}

[ -x "$agent" ] || fail "no guest agent at $agent (build it: ninja -C build)"
kernel=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$kernel" ] || fail "no kernel in /boot (apt-get install linux-image-amd64)"
kver=${kernel#/boot/vmlinuz-}
moddir=/lib/modules/$kver
[ -f "$moddir/modules.dep" ] || fail "no $moddir/modules.dep for $kernel"
[ -x /bin/busybox ] || fail "no /bin/busybox (apt-get install busybox-static)"
command -v cpio >/dev/null || fail "no cpio (apt-get install cpio)"
declare -A toolpath
for t in "${tools[@]}"; do
	toolpath[$t]=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$t" || true)
	[ -n "${toolpath[$t]}" ] || fail "$t missing (scripts/install-deps.sh installs it)"
done

# Modules in load order: each one's dependencies (modules.dep) before it.
declare -A moddeps seen
while IFS=: read -r m d; do moddeps[$m]=$d; done <"$moddir/modules.dep"
modules=()
resolve() {
	local m=$1 d
	[ -z "${seen[$m]:-}" ] || return 0
	seen[$m]=1
	for d in ${moddeps[$m]}; do resolve "$d"; done
	modules+=("$m")
}
for r in "${roots[@]}"; do
	m=$(printf '%s\n' "${!moddeps[@]}" | grep -E "/${r}\.ko(\.(xz|zst|gz))?$" | head -n 1 || true)
	if [ -z "$m" ]; then
		grep -qE "/${r}\.ko$" "$moddir/modules.builtin" 2>/dev/null && continue
		fail "module $r not in $moddir"
	fi
	resolve "$m"
done

# Shared libraries and the loader, as ldd lists them.
libs=()
for t in "${tools[@]}"; do
	while read -r l; do
		case "$l" in
		*"not found"*) fail "${toolpath[$t]}: library $l" ;;
		*"=> /"*) l=${l#*=> }; libs+=("${l%% (*}") ;;
		/*) libs+=("${l%% (*}") ;;
		esac
	done < <(ldd "${toolpath[$t]}")
done
mapfile -t libs < <(printf '%s\n' "${libs[@]}" | sort -u)

# Cached while every input is the same.
inputs() {
	local p f
	sha256sum "$kernel"
	# by role, not path: meson and a manual run name the agent differently
	printf '%s  script\n' "$(sha256sum <"$self" | cut -d' ' -f1)"
	printf '%s  init\n' "$(sha256sum <"$init" | cut -d' ' -f1)"
	printf '%s  agent\n' "$(sha256sum <"$agent" | cut -d' ' -f1)"
	for p in "${pkgs[@]}" "linux-image-$kver"; do
		printf '%s  package:%s\n' "$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo none)" "$p"
	done
	for f in /bin/busybox "${toolpath[@]}" "${libs[@]}"; do
		printf '%s  file:%s\n' "$(stat -L -c '%s-%Y' "$f")" "$f"
	done
	for f in "${modules[@]}"; do printf 'module  %s\n' "$f"; done
}
deps+=("$kernel" /bin/busybox "${toolpath[@]}" "${libs[@]}")
want=$(inputs)
exec 9>"$out/.lock"
flock 9
sizes() {
	echo "vmlinuz $(($(stat -c %s "$out/vmlinuz") / 1024)) KiB," \
		"initramfs.img $(($(stat -c %s "$out/initramfs.img") / 1024)) KiB"
}
if [ -f "$out/vmlinuz" ] && [ -f "$out/initramfs.img" ] && [ -f "$out/inputs.sha256" ] &&
	[ "$(cat "$out/inputs.sha256")" = "$want" ]; then
	write_depfile
	touch "$out"
	echo "guest image: cached in $out ($kver; $(sizes))"
	exit 0
fi

tmp=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
st=$tmp/root
mkdir -p "$st"/{bin,sbin,usr/bin,usr/sbin,etc,dev,proc,sys,tmp,run,root,lib64}
install -m 0755 "$init" "$st/init"
install -m 0755 /bin/busybox "$st/bin/busybox"
for t in "${tools[@]}"; do install -m 0755 "${toolpath[$t]}" "$st/usr/bin/$t"; done
strip -s -o "$st/sbin/tb-guest-agent" "$agent" 2>/dev/null || install -m 0755 "$agent" "$st/sbin/tb-guest-agent"
# busybox applets, except where a full tool of the same name came along
while read -r a; do
	[ -e "$st/$a" ] || [ -L "$st/$a" ] || [ -e "$st/usr/bin/${a##*/}" ] && continue
	mkdir -p "$st/$(dirname "$a")"
	ln -s /bin/busybox "$st/$a"
done < <(/bin/busybox --list-full)
for l in "${libs[@]}"; do
	mkdir -p "$st/$(dirname "$l")"
	cp -L "$l" "$st/$l"
done
: >"$st/etc/tb-modules"
for m in "${modules[@]}"; do
	mkdir -p "$st/lib/modules/$kver/$(dirname "$m")"
	case "$m" in
	*.xz) xz -dc "$moddir/$m" >"$st/lib/modules/$kver/${m%.xz}"; m=${m%.xz} ;;
	*.zst) zstd -qdc "$moddir/$m" >"$st/lib/modules/$kver/${m%.zst}"; m=${m%.zst} ;;
	*.gz) gzip -dc "$moddir/$m" >"$st/lib/modules/$kver/${m%.gz}"; m=${m%.gz} ;;
	*) cp "$moddir/$m" "$st/lib/modules/$kver/$m" ;;
	esac
	echo "$m" >>"$st/etc/tb-modules"
done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$st/etc/passwd"
printf 'root:x:0:\n' >"$st/etc/group"
(cd "$st" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -6 -n >"$tmp/initramfs.img"
cp "$kernel" "$tmp/vmlinuz"
printf '%s\n' "$want" >"$tmp/inputs.sha256"
# each file replaced whole; inputs.sha256 last, so a half-done update is rebuilt
mv -f "$tmp/vmlinuz" "$out/vmlinuz"
mv -f "$tmp/initramfs.img" "$out/initramfs.img"
mv -f "$tmp/inputs.sha256" "$out/inputs.sha256"
write_depfile
touch "$out"
echo "guest image: built in $out ($kver, ${#modules[@]} modules: $(printf '%s ' "${modules[@]##*/}" | sed 's/\.ko//g;s/ $//'); $(sizes))"
