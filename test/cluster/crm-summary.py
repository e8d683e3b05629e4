#!/usr/bin/python3
"""Summarise `crm_mon -1 --output-as=xml` (Pacemaker 2.1) for cluster.sh, one `key=value` per line.

cluster.sh polls this while it waits for a state, so it must never raise on partial or odd input:
unreadable XML gives `error=…` and nothing else. Lists are comma-separated and sorted, empty when none.
Keys: dc, online, offline, standby, node_maintenance, cluster_maintenance, promoted, unpromoted,
redis_stopped, vip, failures (count), failed (comma list of resource:node:task).
"""
import sys
import xml.etree.ElementTree as ET


def main() -> None:
    data = sys.stdin.read()
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        print(f"error=crm_mon output is not XML ({e}); first line: {data.strip().splitlines()[:1]}")
        return
    out = {}
    dc = root.find("./summary/current_dc")
    out["dc"] = dc.get("name", "") if dc is not None and dc.get("present") == "true" else ""
    opts = root.find("./summary/cluster_options")
    out["cluster_maintenance"] = (opts.get("maintenance-mode", "false") if opts is not None else "unknown")
    online, offline, standby, maint = [], [], [], []
    for n in root.findall("./nodes/node"):
        name = n.get("name", "?")
        (online if n.get("online") == "true" else offline).append(name)
        if n.get("standby") == "true" or n.get("standby_onfail") == "true":
            standby.append(name)
        if n.get("maintenance") == "true":
            maint.append(name)
    promoted, unpromoted, stopped, vip = [], [], [], []
    for r in root.iter("resource"):
        rid = r.get("id", "")
        nodes = [n.get("name", "?") for n in r.findall("node")]
        role = r.get("role", "")
        if rid.split(":")[0] == "redis":
            if role == "Promoted":
                promoted += nodes
            elif role == "Unpromoted":
                unpromoted += nodes
            elif role == "Stopped":
                stopped.append(rid)
        elif rid == "VIP" and role == "Started":
            vip += nodes
    failed = [
        f"{f.get('op_key', '?').split('_')[0]}:{f.get('node', '?')}:{f.get('task', '?')}"
        for f in root.findall("./failures/failure")
    ]
    out.update(
        online=",".join(sorted(online)),
        offline=",".join(sorted(offline)),
        standby=",".join(sorted(standby)),
        node_maintenance=",".join(sorted(maint)),
        promoted=",".join(sorted(promoted)),
        unpromoted=",".join(sorted(unpromoted)),
        redis_stopped=str(len(stopped)),
        vip=",".join(sorted(vip)),
        failures=str(len(failed)),
        failed=",".join(failed),
    )
    for k, v in out.items():
        print(f"{k}={v}")


if __name__ == "__main__":
    main()
