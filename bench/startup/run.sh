#!/bin/sh
# Start-up time and idle RSS of the jlink image's daemon, over N runs, in a scratch network
# namespace (the daemon scaffolds its nftables table there, never on the host). Prints one line
# per run and the medians: ready_ms = launcher spawned -> sd_notify READY=1 (logs watched),
# rss_mb = VmRSS after IDLE s (median over runs; see measure.py for the other columns). Needs root.
# Extra JVM options: JDK_JAVA_OPTIONS="-X..."; another image: PORTCULLIS_IMAGE=DIR.
#   sh bench/startup/run.sh [N=10] [IDLE_S=10]
set -e
here=$(cd "$(dirname "$0")" && pwd)
image=${PORTCULLIS_IMAGE:-$here/../../jlink/target/image}
ns=pcstart-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT INT TERM
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" python3 "$here/measure.py" "$image" "${1:-10}" "${2:-10}"
