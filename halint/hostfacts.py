"""What the machine says, asked once and handed to the rules as one object.

Rules never ask the OS: they ask a HostFacts. `live()` reads this machine; `--node NAME`
replaces the node name; `--offline` means no HostFacts at all (live rules are skipped).
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(slots=True)
class HostFacts:
    node_name: str
    name_source: str = "uname -n"


def live(node_name: str | None = None) -> HostFacts:
    if node_name is not None:
        return HostFacts(node_name=node_name, name_source="--node")
    nodeinfo = "/etc/ha.d/nodeinfo"
    try:
        with open(nodeinfo, encoding="utf-8", errors="replace") as handle:
            first = handle.readline()
        if first.endswith("\n") and first.strip():
            return HostFacts(node_name=first.strip()[:255], name_source=nodeinfo)
    except OSError:
        pass
    return HostFacts(node_name=os.uname().nodename)
