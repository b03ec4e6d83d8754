#!/usr/bin/env bash
# Trains the JDK 25 AOT cache (JEP 483/514/515) and writes lib/portcullis.aot. The training run is
# a real daemon start ("portcullis run" on an [sshd] jail with fail2ban's sshd filter and the
# nftables-allports action), so the cache holds the classes, linked call sites, FFM downcall
# stubs and method profiles of the path a production start takes: RunCommand, the control
# server, sd_notify, the firewall, the ledger, the log readers, the matcher on failure lines, a
# ban, and the client verbs answered over the socket. The firewall is only ever touched inside a
# private network namespace (unshare -n as root, or -rn in a user namespace), never the host's.
# Falls back to "portcullis train" (config and matching only) when that is not possible.
#   train.sh IMAGE_DIR
set -euo pipefail
if [ "${1:-}" = --in-netns ]; then
  # The daemon run, inside the private network namespace.
  image=$2 aot=$3 filters=$4 rounds=${PORTCULLIS_TRAIN_ROUNDS:-4}
  work=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-train.XXXXXX")
  pid=
  cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
  trap cleanup EXIT
  mkdir -p "$work/etc"
  ln -s "$filters" "$work/etc/filter.d"
  # the action files beside the filters, as on a host: the cache then covers reading them
  [ -d "${filters%/*}/action.d" ] && ln -s "${filters%/*}/action.d" "$work/etc/action.d"
  : > "$work/auth.log"
  cat > "$work/etc/jail.conf" <<CONF
[sshd]
enabled = true
filter = sshd
port = ssh
banaction = nftables-allports
action = %(banaction)s
logpath = $work/auth.log
maxretry = 3
findtime = 10m
bantime = 1h
CONF
  printf '[portcullis]\nstatedir = %s/state\nsocket = %s/s.sock\n' "$work" "$work" > "$work/etc/portcullis.conf"
  # sd_notify is linked and called (nobody listens: the datagram is refused, which is harmless).
  NOTIFY_SOCKET="$work/notify" "$image/bin/java" -XX:AOTCacheOutput="$aot" -Xlog:aot=off -Xlog:cds=off \
    -m ips.app/ips.app.Main run --config "$work/etc" > "$work/daemon.out" 2>&1 &
  pid=$!
  client() { "$image/bin/portcullis" "$@" --socket "$work/s.sock"; }
  for _ in $(seq 1 300); do
    client ping >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/daemon.out" >&2; exit 1; }
    sleep 0.1
  done
  client ping >/dev/null
  # Lines the sshd filter matches and rejects, from two addresses (one banned, one below maxretry),
  # written in rounds so the reader follows a growing file.
  now=$(LC_ALL=C date '+%b %e %H:%M:%S')
  for round in $(seq 1 "$rounds"); do
    for i in $(seq 1 50); do
      echo "$now host sshd[$((1000 + i))]: Failed password for root from 192.0.2.$((i % 7 + 1)) port 4242 ssh2"
      echo "$now host sshd[$((1000 + i))]: Invalid user admin from 2001:db8::$((i % 5 + 1)) port 4242"
      echo "$now host sshd[$((1000 + i))]: Accepted publickey for alice from 198.51.100.7 port 22 ssh2: RSA SHA256:x"
      echo "$now host sshd[$((1000 + i))]: Connection closed by 203.0.113.9 port 50000 [preauth]"
      echo "$now host CRON[77]: pam_unix(cron:session): session opened for user root by (uid=0)"
    done >> "$work/auth.log"
    sleep 0.05
  done
  for _ in $(seq 1 100); do
    client banned 2>/dev/null | grep -q 192.0.2 && break
    sleep 0.1
  done
  # A burst: many attackers' failures in one write, as under a distributed attack, so the cache's
  # method profiles (JEP 515) cover counting, deciding, logging and committing bans in bulk: the
  # first burst after a start meets code the JIT has profiles for and optimizes sooner.
  burst=${PORTCULLIS_TRAIN_BURST:-1000}
  awk -v n="$burst" -v now="$now" 'BEGIN {
    for (i = 0; i < n; i++) for (k = 0; k < 3; k++)
      printf "%s host sshd[%d]: Failed password for root from 198.18.%d.%d port %d ssh2\n", now, 20000 + i, int(i / 250), i % 250 + 1, 40000 + k
  }' >> "$work/auth.log"
  for _ in $(seq 1 100); do
    client banned 2>/dev/null | grep -q "198.18.$(( (burst - 1) / 250 )).$(( (burst - 1) % 250 + 1 ))" && break
    sleep 0.1
  done
  client status >/dev/null
  client status sshd >/dev/null
  client --json status sshd >/dev/null 2>&1 || true
  client get sshd maxretry >/dev/null
  client ban sshd 198.51.100.0/24 >/dev/null
  client unban 198.51.100.0/24 >/dev/null
  client banned >/dev/null
  client reload >/dev/null
  client stop >/dev/null || kill "$pid"
  wait "$pid"
  pid=
  grep -q 'Ban 192.0.2' "$work/daemon.out" || { echo "train: the daemon banned nothing" >&2; cat "$work/daemon.out" >&2; exit 1; }
  exit 0
fi

image=$1
aot=$image/lib/portcullis.aot
filters=${PORTCULLIS_TRAIN_FILTERS:-/etc/fail2ban/filter.d}
ns=()
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  ns=(unshare -n)
elif unshare -rn true 2>/dev/null; then
  ns=(unshare -rn)
fi
rm -f "$aot"
if [ ${#ns[@]} -gt 0 ] && [ -r "$filters/sshd.conf" ]; then
  if "${ns[@]}" bash "$0" --in-netns "$image" "$aot" "$filters" && [ -s "$aot" ]; then
    exit 0
  fi
  echo "train: the daemon training run failed; training on 'portcullis train' instead" >&2
  rm -f "$aot"
fi
train=(train)
[ ${#ns[@]} -gt 0 ] && train+=(--firewall)
"${ns[@]}" "$image/bin/java" -XX:AOTCacheOutput="$aot" -Xlog:aot=off -Xlog:cds=off \
  -m ips.app/ips.app.Main "${train[@]}" >/dev/null
