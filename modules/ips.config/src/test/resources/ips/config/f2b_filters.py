#!/usr/bin/python3
"""Reference for FilterLoaderMatchesFail2banTest: resolves filters with fail2ban's own FilterReader.

Usage: f2b_filters.py CONFIG_DIR
Prints one line per case: FILTER <tab> OPTS <tab> base64(rendering), where OPTS is k=v joined by
'&' and the rendering is the canonical text the Java test renders from a FilterDefinition.
Cases: every filter.d/*.conf plain, with each mode=<X> its mdre-<X> options offer, logtype=journal, and logging=syslog when it knows logging.
"""
import base64
import glob
import json
import os
import re
import sys

from fail2ban.client.filterreader import FilterReader


def render(config_dir, name, opts):
    out = []
    try:
        r = FilterReader(name, "jail", dict(opts), basedir=config_dir, share_config={})
        if not r.read():
            return "error\n"
        r.getOptions({})
        stream = r.convert()
    except Exception as e:  # fail2ban refuses the filter
        return "error\n"
    pref = None
    fail, ignore, jm = [], [], []
    maxlines = 1
    datepattern = None
    for s in stream:
        kind, opt, vals = s[0], s[2], s[3:]
        if opt == "prefregex":
            pref = vals[0] or None
        elif opt == "addfailregex":
            fail += vals[0] if kind == "multi-set" else [vals[0]]
        elif opt == "addignoreregex":
            ignore += vals[0] if kind == "multi-set" else [vals[0]]
        elif opt == "maxlines":
            maxlines = vals[0] if vals[0] is not None else 1
        elif opt == "datepattern":
            datepattern = vals[0]
        elif opt == "addjournalmatch":
            jm.append(list(vals))
    out.append("prefregex: " + json.dumps(pref))
    for x in fail:
        out.append("failregex: " + json.dumps(x))
    for x in ignore:
        out.append("ignoreregex: " + json.dumps(x))
    out.append("maxlines: " + json.dumps(maxlines))
    out.append("datepattern: " + json.dumps(datepattern))
    for x in jm:
        out.append("journalmatch: " + json.dumps(x))
    return "\n".join(out) + "\n"


def cases(config_dir):
    for path in sorted(glob.glob(os.path.join(config_dir, "filter.d", "*.conf"))):
        name = os.path.basename(path)[:-5]
        with open(path, encoding="utf-8") as f:
            text = f.read()
        yield name, {}
        for mode in sorted(set(re.findall(r"^mdre-([\w-]+?)\s*=", text, re.M))):
            yield name, {"mode": mode}
        yield name, {"logtype": "journal"}
        if re.search(r"^logging\s*=", text, re.M):
            yield name, {"logging": "syslog"}


def main():
    config_dir = sys.argv[1]
    for name, opts in cases(config_dir):
        rendering = render(config_dir, name, opts)
        o = "&".join("%s=%s" % kv for kv in opts.items())
        sys.stdout.write("%s\t%s\t%s\n" % (name, o, base64.b64encode(rendering.encode("utf-8")).decode("ascii")))


if __name__ == "__main__":
    main()
