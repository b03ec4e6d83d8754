#!/bin/sh
# Links the FreeBSD runtime image on a FreeBSD host (jlink cannot cross-link: there are no
# FreeBSD jmods on Linux). Mirrors jlink/build-image.sh: our modules + the FreeBSD backend
# (ips.pf in place of ips.nftables and ips.journal) + only the JDK modules they need.
#
# Needs: pkg install openjdk25 (JDK at /usr/local/openjdk25), and the module jars built with
# `./mvnw -B package` (or copied from a Linux build: they are platform-independent).
# Usage: build-image.sh [MODS_DIR [IMAGE_DIR]]
#   MODS_DIR  directory holding ips.api, ips.app, ips.config, ips.filter, ips.engine, ips.logfile,
#             ips.pf jars (default: collected from modules/*/target)
#   IMAGE_DIR where the image goes (default: target/portcullis-freebsd)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
java_home=${JAVA_HOME:-/usr/local/openjdk25}
mods=${1:-}
image=${2:-$root/target/portcullis-freebsd}

if [ "$(uname -s)" != "FreeBSD" ]; then
  echo "build-image: run this on FreeBSD (jlink links the host's own JDK modules)" >&2
  exit 2
fi
if [ ! -x "$java_home/bin/jlink" ]; then
  echo "build-image: no jlink at $java_home/bin/jlink: pkg install openjdk25, or set JAVA_HOME" >&2
  exit 2
fi

if [ -z "$mods" ]; then
  mods=$root/target/freebsd-mods
  rm -rf "$mods"
  mkdir -p "$mods"
  for m in ips.api ips.filter ips.config ips.engine ips.logfile ips.pf ips.app; do
    jar=$(ls "$root/modules/$m/target/$m-"*.jar 2>/dev/null | grep -v -e '-tests' -e '-sources' | head -n 1 || true)
    if [ -z "$jar" ]; then
      echo "build-image: $m is not built: run ./mvnw -B -DskipTests package first" >&2
      exit 2
    fi
    cp "$jar" "$mods/"
  done
fi

# Which modules go in: the app, and the backend this platform links (found with ServiceLoader).
app_modules=ips.app,ips.logfile,ips.pf
native_modules=ips.pf

# C1 only, at ten times the usual compile thresholds, as the Linux image (jlink/build-image.sh has
# the measurements; JDK_JAVA_OPTIONS=-XX:TieredStopAtLevel=4 brings C2 back).
rm -rf "$image"
"$java_home/bin/jlink" \
  --module-path "$mods" \
  --add-modules "$app_modules" \
  --launcher portcullis=ips.app/ips.app.Main \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
  --add-options="--add-modules=$native_modules --enable-native-access=$native_modules --illegal-native-access=deny -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -XX:+UseSerialGC -Xms8m -Xss512k -XX:-UsePerfData" \
  --output "$image"

# The same launcher as on Linux: it finds the image through symlinks and uses the AOT cache.
install -m 0755 "$root/jlink/portcullis.sh" "$image/bin/portcullis"
if [ -x "$root/jlink/train.sh" ]; then
  "$root/jlink/train.sh" "$image" || echo "build-image: AOT training failed; the image runs without a cache" >&2
fi
if [ -x "$root/jlink/train-test-filter.sh" ]; then
  "$root/jlink/train-test-filter.sh" "$image" || echo "build-image: test-filter's AOT training failed; it uses the daemon's cache" >&2
fi
install -m 0555 "$here/portcullis.rc" "$image/portcullis.rc"
du -sh "$image" | awk '{print "build-image: image size " $1}'
echo "build-image: install with: cp -R $image /usr/local/portcullis && install -m 0555 $image/portcullis.rc /usr/local/etc/rc.d/portcullis"
