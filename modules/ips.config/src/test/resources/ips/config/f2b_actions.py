#!/usr/bin/python3
"""Reference for ActionReaderMatchesFail2banTest: resolves actions with fail2ban's own ActionReader.

Usage: f2b_actions.py CONFIG_DIR JAIL SPEC...
Each SPEC is an action as a jail writes it (name[param=value, ...]). Prints one line per SPEC:
SPEC <tab> base64(rendering), where the rendering is actionban, chain, chain_hook, blocktype and
type after ActionReader.convert's substitution (type as the action's <type> tag would read it),
or "error" when fail2ban cannot read or resolve the action.
"""
import base64
import json
import sys

from fail2ban.client.actionreader import ActionReader
from fail2ban.helpers import extractOptions
from fail2ban.server.action import CommandAction


def render(basedir, jail, spec):
    try:
        name, opts = extractOptions(spec)
        a = ActionReader(name, jail, opts, share_config={}, basedir=basedir)
        if not a.read():
            return "error\n"
        a.getOptions({})
        c = a.getCombined(ignore=CommandAction._escapedTags | set(('timeout', 'bantime')))
        t = c.get("type")
        if t is None:
            t = a.getCombOption("type")
    except Exception:
        return "error\n"
    out = []
    for k in ("actionban", "chain", "chain_hook", "blocktype"):
        out.append(k + ": " + json.dumps(c.get(k)))
    out.append("type: " + json.dumps(t))
    return "\n".join(out) + "\n"


def main():
    basedir, jail = sys.argv[1], sys.argv[2]
    for spec in sys.argv[3:]:
        print("%s\t%s" % (spec, base64.b64encode(render(basedir, jail, spec).encode("utf-8")).decode("ascii")))


if __name__ == "__main__":
    main()
