#!/usr/bin/env bash
# Links the Linux runtime image: our modules + the Linux backends + only the JDK modules they
# need; replaces jlink's launcher with one that finds the image through symlinks and uses the
# JDK 25 AOT cache trained at build time.
# Usage: build-image.sh JAVA_HOME MODS_DIR IMAGE_DIR
set -euo pipefail
java_home=$1 mods=$2 image=$3
here=$(cd "$(dirname "$0")" && pwd)

# Which modules go in: the app, and the backends this platform links (found with ServiceLoader).
app_modules=ips.app,ips.logfile,ips.journal,ips.nftables
native_modules=ips.nftables,ips.journal

rm -rf "$image"
"$java_home/bin/jlink" \
  --module-path "$mods" \
  --add-modules "$app_modules" \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
  --add-options="--enable-native-access=$native_modules --illegal-native-access=deny -XX:+UseSerialGC -Xms8m -Xss512k -XX:-UsePerfData" \
  --output "$image"

install -m 0755 "$here/portcullis.sh" "$image/bin/portcullis"

# Train the AOT cache on a representative start (loads and links the classes a start needs).
if [ -x "$here/train.sh" ]; then
  "$here/train.sh" "$image" || echo "build-image: AOT training failed; the image runs without a cache" >&2
fi
du -sh "$image" | awk '{print "build-image: image size " $1}'
