#!/bin/sh
# Portcullis's nftables enforcer against the nft command line, side by side, in scratch network
# namespaces (ours: ips.nftables-bench-PID; the baseline's: f2bbnft), deleted on exit. Needs root.
#   sh bench/nft/run.sh [N_BASELINE] [-- ARGS FOR THE JAVA BENCHMARK]
# e.g. sh bench/nft/run.sh 1000 -- --single 5000 --batched 100000 --restore 100000
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
N=${1:-1000}
[ $# -gt 0 ] && shift
[ "$1" = "--" ] && shift
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -x "$JAVA_HOME/bin/java" ] || JAVA_HOME=$(ls -d /usr/lib/jvm/*25* | head -1)

IMAGE="$ROOT/jlink/target/image/bin/portcullis"
if [ -x "$IMAGE" ] && "$IMAGE" --help 2>&1 | grep -q bench-nftables; then
    OURS="$IMAGE bench-nftables"
else
    API=$(ls "$ROOT"/modules/ips.api/target/ips.api-*.jar 2>/dev/null | head -1)
    [ -n "$API" ] || API=$(ls ~/.m2/repository/io/portcullis/ips.api/*/ips.api-*.jar | head -1)
    NFT=$(ls "$ROOT"/modules/ips.nftables/target/ips.nftables-*.jar 2>/dev/null | head -1)
    [ -n "$NFT" ] || NFT="$ROOT/modules/ips.nftables/target/classes"
    OURS="$JAVA_HOME/bin/java -XX:+UseSerialGC --enable-native-access=ips.nftables -p $NFT:$API -m ips.nftables/ips.nftables.bench.NftablesBenchmark"
fi

NS=ips.nftables-bench-$$
ip netns add "$NS"
trap 'ip netns del "$NS" 2>/dev/null' EXIT INT TERM
ip -n "$NS" link set lo up

echo "== portcullis (in-process netlink, netns $NS): $OURS $*"
ip netns exec "$NS" $OURS "$@"

echo "== nft command line (fail2ban's way, /work/shared/bench/nft_ban_cost.sh $N)"
OUT=$(mktemp /tmp/nft_ban_cost.XXXXXX.json)
sh /work/shared/bench/nft_ban_cost.sh "$N" "$OUT" | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r["variant"] in ("spawn-baseline", "nft-exec", "nft-shell", "nft-batch-file", "nft-batch-one"):
        extra = ", p50 %s us, p99 %s us" % (r["per_ban_us_median"], r["per_ban_us_p99"]) if "per_ban_us_median" in r else ""
        print("%-15s n=%d total %.3f s, %.1f us/ban mean%s" % (r["variant"], r["n"], r["total_s"], r["per_ban_us_mean"], extra))
'
rm -f "$OUT"
