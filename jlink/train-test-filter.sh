#!/usr/bin/env bash
# Trains a second JDK 25 AOT cache, lib/test-filter.aot, for "portcullis test-filter" (the
# launcher uses it for that command only). The daemon's cache (train.sh) holds a daemon start,
# whose classes, linked call sites and profiles are not test-filter's: its reader thread, batches,
# summary and output. A JVM run trains one cache, so test-filter gets its own, trained on a run of
# test-filter over a generated auth.log with fail2ban's sshd filter, as the launcher runs it.
# Measured (2026-12-06, 1M-line bench auth.log, 5 runs each alternated): 0.98 -> 0.89 s median;
# an empty log 0.20 -> 0.14 s, 1000 lines 0.23 -> 0.16 s. Costs ~14 MB in the image (the .deb ~2.6 MB).
# Skipped (the command then uses the daemon's cache) when the filters are not there.
#   train-test-filter.sh IMAGE_DIR
set -euo pipefail
image=$1
aot=$image/lib/test-filter.aot
filters=${PORTCULLIS_TRAIN_FILTERS:-/etc/fail2ban/filter.d}
rm -f "$aot"
if [ ! -r "$filters/sshd.conf" ]; then
  echo "train-test-filter: no $filters/sshd.conf; test-filter uses the daemon's cache" >&2
  exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-train-tf.XXXXXX")
trap 'rm -rf "$work"' EXIT
# A syslog auth.log: sshd failures of several shapes among the lines no failregex matches.
awk 'BEGIN {
  split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mon, " ")
  for (i = 0; i < 20000; i++) {
    t = sprintf("%s %2d %02d:%02d:%02d", mon[int(i / 2000) % 12 + 1], i % 28 + 1, int(i / 3600) % 24, int(i / 60) % 60, i % 60)
    a = sprintf("192.0.%d.%d", int(i / 250) % 250, i % 250 + 1)
    pid = 10000 + i
    k = i % 10
    if (k == 0) printf "%s web01 sshd[%d]: Failed password for root from %s port %d ssh2\n", t, pid, a, 40000 + i % 20000
    else if (k == 1) printf "%s web01 sshd[%d]: Invalid user admin%d from %s port %d\n", t, pid, i % 7, a, 40000 + i % 20000
    else if (k == 2) printf "%s web01 sshd[%d]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=root\n", t, pid, a
    else if (k == 3) printf "%s web01 sshd[%d]: Connection closed by authenticating user root %s port %d [preauth]\n", t, pid, a, 40000 + i % 20000
    else if (k == 4) printf "%s web01 sshd[%d]: Accepted publickey for alice from 198.51.100.7 port 22 ssh2: RSA SHA256:x\n", t, pid
    else if (k == 5) printf "%s web01 CRON[%d]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)\n", t, pid
    else if (k == 6) printf "%s web01 sshd[%d]: pam_unix(sshd:session): session closed for user dave\n", t, pid
    else if (k == 7) printf "%s web01 kernel: [%d.%06d] [UFW BLOCK] IN=eth0 OUT= SRC=%s DST=10.0.0.5 LEN=40 PROTO=TCP SPT=%d DPT=445\n", t, 6879299 + i, i, a, 40000 + i % 20000
    else if (k == 8) printf "%s web01 systemd-logind[%d]: New session %d of user dave.\n", t, 700, i
    else printf "%s web01 sshd[%d]: Disconnected from invalid user test %s port %d [preauth]\n", t, pid, a, 40000 + i % 20000
  }
}' > "$work/auth.log"
# The launcher's options for test-filter (portcullis.sh), so that the cache fits the command.
"$image/bin/java" -Xms24m -Xmn8m -XX:CompileThresholdScaling=1 -XX:AOTCacheOutput="$aot" -Xlog:aot=off -Xlog:cds=off \
  -m ips.app/ips.app.Main test-filter "$work/auth.log" "$filters/sshd.conf" > "$work/out" 2> "$work/err" || true
if ! grep -q '^Lines: 20000 lines' "$work/out" || [ ! -s "$aot" ]; then
  echo "train-test-filter: the training run failed" >&2
  cat "$work/out" "$work/err" >&2
  rm -f "$aot"
  exit 1
fi
