#!/bin/sh
# Runs ../shared/bench's end-to-end experiments on Portcullis (and, with --with-fail2ban, on
# fail2ban-server in the same run), appending one JSON line per experiment to OUT.
#   sh bench/e2e/run.sh [OUT.jsonl] [--with-fail2ban]
here=$(cd "$(dirname "$0")" && pwd)
bench=${SHARED_BENCH:-$here/../../../shared/bench}
out=${1:-/tmp/portcullis-e2e.jsonl}
image=${PORTCULLIS_IMAGE:-$here/../../jlink/target/image}
opts="--daemon-cmd 'sh $here/portcullis-daemon.sh {log} {run}' --ready-cmd '$image/bin/portcullis ping --socket {run}/portcullis.sock' --label portcullis"
E2E_OPTS="$opts" sh "$bench/run_e2e_all.sh" "$out"
echo "== load 400k lines/s" >&2
eval timeout 600 sh "$bench/e2e_ban.sh" load --rate 400000 --duration 10 --timeout 120 $opts --json "$out"
if [ "$2" = "--with-fail2ban" ]; then
  sh "$bench/run_e2e_all.sh" "$out"
fi
