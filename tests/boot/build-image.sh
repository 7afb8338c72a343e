#!/usr/bin/env bash
# Build the boot test's base machine: Debian 12 (bookworm) from Debian's packages, with
# Debian's kernel, as a qcow2 disk plus the kernel and initrd to boot it with (qemu boots the
# kernel directly: no boot loader to install or wait for).
#
#   tests/boot/build-image.sh OUT_DIR PACKAGE...
#
# PACKAGE... are the packages deploy/README.md tells a clinic to apt-get install, and the
# few the test itself needs (tests/boot/vm.py lists them): they are installed here, once, so
# that the guide's `apt-get install` lines find them already there in a guest that has no
# network. The kiosk itself is NOT in the image: each run installs the commit under test.
#
# Writes OUT_DIR/base.qcow2, OUT_DIR/vmlinuz, OUT_DIR/initrd.img, OUT_DIR/packages.txt
# (every package and version in the image) and, last, OUT_DIR/done. Run as root (mmdebstrap's
# root mode and mkfs.ext4 -d keep the files' owners).
set -euo pipefail

out=$1
shift
mirror=${KIOSK_BOOT_MIRROR:-http://deb.debian.org}
work=$(mktemp -d "${out%/}.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

packages=$(IFS=,; echo "$*")

# --variant=apt: Debian's essential packages and apt, nothing else; every other package is
# named. No recommends: the guest stays small and has only what the guide installs.
mmdebstrap \
  --variant=apt \
  --aptopt='APT::Install-Recommends "false"' \
  --aptopt='Acquire::Retries "3"' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --include="$packages" \
  --customize-hook='echo kiosk-vm > "$1/etc/hostname"' \
  --customize-hook='printf "127.0.0.1 localhost\n127.0.1.1 kiosk-vm\n" > "$1/etc/hosts"' \
  --customize-hook='printf "/dev/vda / ext4 errors=remount-ro 0 1\n" > "$1/etc/fstab"' \
  `# A fixed machine id: no systemd-firstboot questions on the console at the first boot.` \
  --customize-hook='echo 6b696f736b2d766d2d626f6f742d7465 > "$1/etc/machine-id"' \
  `# A persistent journal, so that the test also searches journal files kept on disk.` \
  --customize-hook='mkdir -p "$1/var/log/journal"' \
  `# Journal entries uncompressed: the search of the raw disk after shutdown must be able to` \
  `# read them (journald compresses entries over 512 bytes, a whole screen for example).` \
  --customize-hook='mkdir -p "$1/etc/systemd/journald.conf.d" && printf "[Journal]\nCompress=no\n" > "$1/etc/systemd/journald.conf.d/boot-test.conf"' \
  `# The guest has no network: nothing should wait for it, or for apt's timers.` \
  --customize-hook='chroot "$1" systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer' \
  bookworm "$work/root" \
  "deb $mirror/debian bookworm main" \
  "deb $mirror/debian bookworm-updates main" \
  "deb $mirror/debian-security bookworm-security main"

# An ext4 file system made from the tree (mkfs.ext4 -d, no loop device or mount needed), with
# room for the kiosk's install and its logs.
chroot "$work/root" dpkg-query -W > "$out/packages.txt"
cp "$work"/root/boot/vmlinuz-* "$out/vmlinuz"
cp "$work"/root/boot/initrd.img-* "$out/initrd.img"
used=$(du -sm "$work/root" | cut -f1)
size=$(( used + 1536 ))
mkfs.ext4 -q -L kiosk-root -d "$work/root" "$work/root.raw" "${size}M"
qemu-img convert -O qcow2 "$work/root.raw" "$out/base.qcow2"
touch "$out/done"
