#!/usr/bin/python3
"""Reference for JailsLoaderMatchesFail2banTest: resolves jails with fail2ban's own JailsReader.

Usage: f2b_jails.py CONFIG_DIR
Prints one line per jail fail2ban keeps (enabled, or skipped with a config error):
JAIL <tab> base64(rendering); the rendering is the canonical text the Java test builds from a
JailDefinition (or "skipped"). A whole-config failure prints one line: "!error".
"""
import base64
import json
import sys

from fail2ban.client.jailsreader import JailsReader
from fail2ban.helpers import extractOptions, splitWithOptions
from fail2ban.server.mytime import MyTime


def secs(v, default):
    if v is None:
        return default
    return int(MyTime.str2seconds(v))


def render(jail):
    opts = jail.options
    if opts.get('config-error'):
        return "skipped\n"
    stream = jail.convert(allow_no_files=True)
    name = jail.getName()
    last = {}
    lists = {"addfailregex": [], "addignoreregex": [], "addjournalmatch": [], "addignoreip": []}
    backend = None
    for s in stream:
        if s[0] == "add":
            backend = s[2]
            continue
        if s[0] not in ("set", "multi-set"):
            continue
        opt = s[2]
        if opt in lists:
            if opt == "addjournalmatch":
                lists[opt].append(list(s[3:]))
            elif opt == "addignoreip":
                lists[opt] += list(s[3:])
            elif s[0] == "multi-set":
                lists[opt] += s[3]
            else:
                lists[opt].append(s[3])
        else:
            last[opt] = s[3]
    out = []
    out.append("backend: " + json.dumps(backend))
    out.append("filter: " + json.dumps(opts.get("filter", "")))
    pref = last.get("prefregex")
    out.append("prefregex: " + json.dumps(pref or None))
    for x in lists["addfailregex"]:
        out.append("failregex: " + json.dumps(x))
    for x in lists["addignoreregex"]:
        out.append("ignoreregex: " + json.dumps(x))
    ml = last.get("maxlines")
    out.append("maxlines: " + json.dumps(ml if ml is not None else 1))
    out.append("datepattern: " + json.dumps(last.get("datepattern")))
    for x in lists["addjournalmatch"]:
        out.append("journalmatch: " + json.dumps(x))
    out.append("usedns: " + json.dumps(last.get("usedns")))
    out.append("maxretry: " + json.dumps(last.get("maxretry", 3)))
    out.append("findtime: " + json.dumps(secs(last.get("findtime"), 600)))
    out.append("bantime: " + json.dumps(secs(last.get("bantime"), 600)))
    out.append("bantime.increment: " + json.dumps(bool(last.get("bantime.increment", False))))
    out.append("bantime.factor: " + json.dumps(last.get("bantime.factor")))
    out.append("bantime.formula: " + json.dumps(last.get("bantime.formula")))
    m = last.get("bantime.multipliers")
    out.append("bantime.multipliers: " + json.dumps([secs(x, 0) for x in m.split()] if m else []))
    out.append("bantime.maxtime: " + json.dumps(secs(last.get("bantime.maxtime"), None)))
    out.append("bantime.rndtime: " + json.dumps(secs(last.get("bantime.rndtime"), None)))
    out.append("bantime.overalljails: " + json.dumps(bool(last.get("bantime.overalljails", False))))
    out.append("ignoreip: " + json.dumps(lists["addignoreip"]))
    out.append("ignoreself: " + json.dumps(last.get("ignoreself", True)))
    out.append("ignorecommand: " + json.dumps(last.get("ignorecommand") or None))
    if not (backend or "").startswith("systemd"):
        for path in (opts.get("logpath") or "").split("\n"):
            p = path.rsplit(" ", 1)
            path, tail = p if len(p) > 1 else (p[0], "head")
            if path:
                out.append("logpath: " + json.dumps([path, tail.lower() == "tail"]))
    for act in splitWithOptions(opts.get("action", "")):
        act = act.strip()
        if not act:
            continue
        n, o = extractOptions(act)
        out.append("action: " + json.dumps(n) + " " + json.dumps(sorted(o.items())))
    return "\n".join(out) + "\n"


def main():
    try:
        r = JailsReader(basedir=sys.argv[1], share_config={})
        if not r.read():
            print("!error")
            return
        r.getOptions()
        lines = []
        for jail in r.jails:
            lines.append("%s\t%s" % (jail.getName(), base64.b64encode(render(jail).encode("utf-8")).decode("ascii")))
    except Exception as e:
        print("!error")
        return
    for l in lines:
        print(l)


if __name__ == "__main__":
    main()
