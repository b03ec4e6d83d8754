#!/usr/bin/env bash
# Builds portcullis-VERSION-1.ARCH.rpm from the jlink image with rpmbuild and our own spec
# (rpm/portcullis.spec): the image in /opt/portcullis, /usr/bin/portcullis, the systemd unit,
# /etc/portcullis/portcullis.conf. Skips (exit 0) where rpmbuild is not installed.
#   build-rpm.sh IMAGE_DIR OUT_DIR VERSION
set -euo pipefail
image=$1 out=$2 version=$3
here=$(cd "$(dirname "$0")" && pwd)
command -v rpmbuild >/dev/null || { echo "build-rpm: rpmbuild not found (apt-get install rpm); skipping the .rpm" >&2; exit 0; }
# rpm's names for the architectures jlink images are built on.
case "$(uname -m)" in
  x86_64|amd64) arch=x86_64 ;;
  aarch64|arm64) arch=aarch64 ;;
  ppc64le) arch=ppc64le ;;
  s390x) arch=s390x ;;
  riscv64) arch=riscv64 ;;
  *) echo "build-rpm: no rpm architecture for $(uname -m); skipping the .rpm" >&2; exit 0 ;;
esac
image=$(cd "$image" && pwd)
# A concurrent build may be relinking the image (build-image.sh starts with rm -rf): never package half of one.
for f in bin/portcullis bin/java lib/modules lib/server/libjvm.so; do
  [ -e "$image/$f" ] || { echo "build-rpm: $image/$f missing: not a complete image" >&2; exit 1; }
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT
rpm_file="portcullis-${version}-1.${arch}.rpm"
# A private topdir: nothing is written to ~/rpmbuild.
rpmbuild -bb --quiet --target "$arch" \
  --define "_topdir $top" \
  --define "_tmppath $top/tmp" \
  --define "_rpmdir $top" \
  --define "_build_name_fmt $rpm_file" \
  --define "portcullis_version $version" \
  --define "portcullis_image $image" \
  --define "portcullis_packaging $here" \
  --define "portcullis_readme $here/../../README.md" \
  "$here/rpm/portcullis.spec" >"$top/rpmbuild.log" 2>&1 || { cat "$top/rpmbuild.log" >&2; exit 1; }
# Appears whole or not at all (a concurrent reader never sees a half-written package).
cp "$top/$rpm_file" "$out/.$rpm_file.tmp"
mv -f "$out/.$rpm_file.tmp" "$out/$rpm_file"
ls -l "$out/$rpm_file" | awk '{print "build-rpm: " $NF " " $5 " bytes"}'
