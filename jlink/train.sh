#!/usr/bin/env bash
# Trains the JDK 25 AOT cache (JEP 483/514) on the start-up work the daemon does, then writes
# lib/portcullis.aot. The firewall path is trained only inside a private network namespace
# (unshare -n as root, or -rn in a user namespace), never against the host's ruleset.
set -euo pipefail
image=$1
train=(train)
ns=()
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  ns=(unshare -n); train+=(--firewall)
elif unshare -rn true 2>/dev/null; then
  ns=(unshare -rn); train+=(--firewall)
fi
"${ns[@]}" "$image/bin/java" -XX:AOTCacheOutput="$image/lib/portcullis.aot" -Xlog:aot=off -Xlog:cds=off \
  -m ips.app/ips.app.Main "${train[@]}" >/dev/null
