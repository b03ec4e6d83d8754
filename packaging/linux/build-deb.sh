#!/usr/bin/env bash
# Builds portcullis_VERSION_ARCH.deb from the jlink image with dpkg-deb (no fakeroot needed):
# the image in /opt/portcullis, /usr/bin/portcullis, the systemd unit, /etc/portcullis/portcullis.conf.
#   build-deb.sh IMAGE_DIR OUT_DIR VERSION
set -euo pipefail
image=$1 out=$2 version=$3
here=$(cd "$(dirname "$0")" && pwd)
command -v dpkg-deb >/dev/null || { echo "build-deb: dpkg-deb not found; skipping the .deb" >&2; exit 0; }
arch=$(dpkg --print-architecture)
[ -x "$image/bin/java" ] && [ -f "$image/lib/modules" ] || { echo "build-deb: $image is not a complete image" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
chmod 0755 "$root"
install -d "$root/opt" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/portcullis" "$root/DEBIAN" \
  "$root/usr/share/doc/portcullis"
cp -a "$image" "$root/opt/portcullis"
ln -s /opt/portcullis/bin/portcullis "$root/usr/bin/portcullis"
install -m 0644 "$here/portcullis.service" "$root/lib/systemd/system/portcullis.service"
install -m 0644 "$here/portcullis.conf" "$root/etc/portcullis/portcullis.conf"
install -m 0644 "$here/../../README.md" "$root/usr/share/doc/portcullis/README.md"
for s in postinst prerm postrm; do install -m 0755 "$here/debian/$s" "$root/DEBIAN/$s"; done
echo /etc/portcullis/portcullis.conf > "$root/DEBIAN/conffiles"
size=$(du -sk "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: portcullis
Version: ${version}
Architecture: ${arch}
Maintainer: Portcullis developers <portcullis@localhost>
Installed-Size: ${size}
Depends: libc6, adduser
Recommends: nftables, libsystemd0
Section: net
Priority: optional
Description: intrusion prevention that reads fail2ban's configuration
 Portcullis follows service logs (files and the systemd journal), matches
 fail2ban filters, and bans attackers by writing straight into nftables over
 netlink: no process is spawned per ban. It reads /etc/fail2ban as it is.
CONTROL
mkdir -p "$out"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out/portcullis_${version}_${arch}.deb" >/dev/null
ls -l "$out/portcullis_${version}_${arch}.deb" | awk '{print "build-deb: " $NF " " $5 " bytes"}'
