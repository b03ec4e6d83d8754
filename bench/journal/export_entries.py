#!/usr/bin/env python3
"""Writes journal entries in systemd's export format to stdout (for systemd-journal-remote -o FILE -).

  export_entries.py bulk N      N entries: 1 in 4 from sshd.service (failed logins), the rest from
                                cron/nginx/systemd units; timestamps 1 ms apart, ending now
  export_entries.py paced N MS  N sshd entries, one every MS milliseconds, each stamped with the time
                                it is written (_SOURCE_REALTIME_TIMESTAMP), flushed one by one
"""
import sys
import time

BOOT = "5f1c0d4a2b3e4f60718293a4b5c6d7e8"
UNITS = [("cron.service", "CRON", "pam_unix(cron:session): session opened for user root(uid=0)"),
         ("nginx.service", "nginx", "GET /index.html 200"),
         ("systemd-logind.service", "systemd-logind", "New session 42 of user alice.")]


def entry(i, realtime, unit, comm, message, source_realtime=None):
    lines = [f"__REALTIME_TIMESTAMP={realtime}", f"__MONOTONIC_TIMESTAMP={1_000_000 + i * 1000}",
             f"_BOOT_ID={BOOT}", "_HOSTNAME=bench1", f"_SYSTEMD_UNIT={unit}", f"SYSLOG_IDENTIFIER={comm}",
             f"_COMM={comm}", f"_PID={1000 + i % 5000}", "_UID=0", "_GID=0", "PRIORITY=6",
             "_TRANSPORT=syslog", "SYSLOG_FACILITY=4", f"MESSAGE={message}"]
    if source_realtime is not None:
        lines.append(f"_SOURCE_REALTIME_TIMESTAMP={source_realtime}")
    return "\n".join(lines) + "\n\n"


def bulk(n):
    out = sys.stdout
    start = int(time.time() * 1e6) - n * 1000
    buf = []
    for i in range(n):
        if i % 4 == 0:
            a = i // 4
            unit, comm = "sshd.service", "sshd"
            message = f"Failed password for invalid user admin from 10.{a >> 16 & 255}.{a >> 8 & 255}.{a & 255} port {1024 + i % 60000} ssh2"
        else:
            unit, comm, message = UNITS[i % 3]
        buf.append(entry(i, start + i * 1000, unit, comm, message))
        if len(buf) == 10000:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))


def paced(n, ms):
    out = sys.stdout
    for i in range(n):
        now = time.time_ns() // 1000
        out.write(entry(i, now, "sshd.service", "sshd", f"Failed password for root from 192.0.2.{i % 250} port 22 ssh2", now))
        out.flush()
        time.sleep(ms / 1000)


if __name__ == "__main__":
    if sys.argv[1] == "bulk":
        bulk(int(sys.argv[2]))
    else:
        paced(int(sys.argv[2]), float(sys.argv[3]))
