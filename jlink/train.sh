#!/usr/bin/env bash
# Trains the JDK 25 AOT cache (JEP 483/514) on the start-up work the daemon does, then writes
# lib/portcullis.aot. The training runs the same command-line paths operators use.
set -euo pipefail
image=$1
"$image/bin/java" -XX:AOTCacheOutput="$image/lib/portcullis.aot" -Xlog:aot=off -Xlog:cds=off \
  -m ips.app/ips.app.Main train >/dev/null
