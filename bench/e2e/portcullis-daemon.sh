#!/bin/sh
# Starts Portcullis for ../shared/bench/e2e_ban.py the way fail2ban-server is started there: one
# [sshd] jail on LOG with fail2ban's stock sshd filter, maxretry 3, findtime 10m, bantime 1h,
# all ports. Config, state and socket live in RUN. Ends with exec, so the measured pid is the JVM.
#   portcullis-daemon.sh LOG RUN
set -e
log=$1 run=$2
here=$(cd "$(dirname "$0")" && pwd)
image=${PORTCULLIS_IMAGE:-$here/../../jlink/target/image}
rm -rf "$run/state"
mkdir -p "$run/etc"
ln -sfn /etc/fail2ban/filter.d "$run/etc/filter.d"
ln -sfn /etc/fail2ban/action.d "$run/etc/action.d"
cat > "$run/etc/jail.conf" <<CONF
[sshd]
enabled = true
filter = sshd
port = ssh
banaction = nftables-allports
action = %(banaction)s
logpath = $log
maxretry = 3
findtime = 10m
bantime = 1h
CONF
cat > "$run/etc/portcullis.conf" <<CONF
[portcullis]
statedir = $run/state
socket = $run/portcullis.sock
CONF
exec "$image/bin/portcullis" run --config "$run/etc"
