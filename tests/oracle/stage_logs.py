"""Stage failures on a real two-node Heartbeat 3.0.6 cluster and keep both nodes' logs.

    sudo python -m tests.oracle.stage_logs tests/fixtures/logs            # every scenario
    sudo python -m tests.oracle.stage_logs /tmp/out dead-peer split-brain # some of them

Each scenario runs two real daemons in network namespaces joined by a veth pair (cluster.py),
with the tutorial's own resource line (the IP shorthand `node1 192.168.137.200/24/eth0`),
causes one failure the way an admin meets it, and writes <out>/<scenario>/node1.log and
node2.log. The diagnose tests read the committed copies in tests/fixtures/logs; the oracle
tests also stage a few afresh. Addresses exist only inside the namespaces.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.oracle.cluster import Cluster, ClusterNode

ADDRESS = {"node1": "192.168.137.104", "node2": "192.168.137.105"}
VIP = "192.168.137.200"
KEY = "auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n"
OTHER_KEY = "auth 1\n1 sha1 77aa0e31f9c2d4b8e605\n"
FAILING_SCRIPT = (
    b"#!/bin/sh\ncase \"$1\" in\n  start) echo 'cannot start' >&2; exit 1;;\n"
    b"  stop) exit 0;;\n  status) echo stopped;;\nesac\n"
)


def hacf(peer: str, extra: str = "") -> str:
    return (
        "logfile /var/log/ha-log\nkeepalive 1\nwarntime 3\ndeadtime 6\ninitdead 12\n"
        f"udpport 694\nucast eth0 {peer}\nauto_failback on\nnode node1\nnode node2\n{extra}"
    )


def files(name: str, **override: str) -> dict[str, bytes]:
    peer = ADDRESS["node2" if name == "node1" else "node1"]
    base = {"ha.cf": hacf(peer), "authkeys": KEY, "haresources": f"node1 {VIP}/24/eth0\n"}
    base.update(override)
    return {k: v.encode() for k, v in base.items()}


def master_pid(node: ClusterNode) -> int | None:
    for pid in node.pids():
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"master control process" in cmdline:
            return pid
    return None


def heartbeat_pids(node: ClusterNode) -> list[int]:
    pids = []
    for pid in node.pids():
        try:
            if b"heartbeat" in Path(f"/proc/{pid}/cmdline").read_bytes():
                pids.append(pid)
        except OSError:
            continue
    return pids


def two_nodes(**overrides: dict[str, str]) -> list[ClusterNode]:
    return [
        ClusterNode(name, ADDRESS[name], files(name, **overrides.get(name, {})))
        for name in ("node1", "node2")
    ]


def up(cluster: Cluster) -> None:
    cluster.start()
    cluster.wait_for("node1", "Local Resource acquisition completed", 40)
    time.sleep(2)


# --- the scenarios ------------------------------------------------------------------------


def tutorial_failover(cluster: Cluster) -> None:
    """The tutorial's own test: stop the primary, the VIP moves, start it, it fails back."""
    up(cluster)
    pid = master_pid(cluster.node("node1"))
    assert pid is not None
    os.kill(pid, signal.SIGTERM)
    cluster.wait_for("node1", "Heartbeat shutdown complete", 40)
    cluster.wait_for("node2", "mach_down takeover complete", 30)
    time.sleep(3)
    cluster.start("node1")
    cluster.wait_for("node2", "Giving up foreign resources", 40)
    cluster.wait_for("node1", "Acquiring resource group", 40)
    time.sleep(4)


def dead_peer(cluster: Cluster) -> None:
    """node1 dies without a word (power cut, kernel panic): node2 takes over."""
    up(cluster)
    cluster.stop("node1", signal.SIGKILL)
    cluster.wait_for("node2", "mach_down takeover complete", 30)
    time.sleep(3)


def split_brain(cluster: Cluster) -> None:
    """Heartbeat packets dropped on node2: each declares the other dead; then they return."""
    up(cluster)
    namespace = cluster.node("node2").namespace
    rule = ["INPUT", "-p", "udp", "--dport", "694", "-j", "DROP"]
    subprocess.run(["ip", "netns", "exec", namespace, "iptables", "-A", *rule], check=True)
    cluster.wait_for("node2", "mach_down takeover complete", 30)
    time.sleep(4)
    subprocess.run(["ip", "netns", "exec", namespace, "iptables", "-D", *rule], check=True)
    cluster.wait_for("node1", "returning after partition", 30)
    time.sleep(6)


def late_heartbeat(cluster: Cluster) -> None:
    """node1 paused longer than warntime, shorter than deadtime: late heartbeats on node2."""
    up(cluster)
    for _ in range(2):
        pids = heartbeat_pids(cluster.node("node1"))  # the daemons, not a passing child
        signal_all(pids, signal.SIGSTOP)
        time.sleep(4.5)
        signal_all(pids, signal.SIGCONT)
        time.sleep(3)


def signal_all(pids: list[int], sig: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def different_authkeys(cluster: Cluster) -> None:
    """authkeys edited on node2 only: neither hears the other, both take everything."""
    cluster.start()
    cluster.wait_for("node2", "mach_down takeover complete", 40)
    cluster.wait_for("node1", "mach_down takeover complete", 40)
    time.sleep(3)


def resource_fails(cluster: Cluster) -> None:
    """The group's script exits 1 on start: the group is given up."""
    cluster.start()
    cluster.wait_for("node1", "Giving up resources due to failure", 40)
    time.sleep(6)


def single_refused(cluster: Cluster) -> None:
    """One node refuses to start (the tutorial's start-up errors); the other runs alone."""
    cluster.start()
    cluster.wait_for("node2", "node node1: is dead", 40)
    time.sleep(2)


SCENARIOS: dict[str, tuple[Callable[[Cluster], None], Callable[[], list[ClusterNode]]]] = {
    "tutorial-failover": (tutorial_failover, two_nodes),
    "dead-peer": (dead_peer, two_nodes),
    "split-brain": (split_brain, two_nodes),
    "late-heartbeat": (late_heartbeat, two_nodes),
    "different-authkeys": (different_authkeys, lambda: two_nodes(node2={"authkeys": OTHER_KEY})),
    "resource-fails": (resource_fails, lambda: _with_failing_script()),
    "startup-authkeys-644": (single_refused, lambda: _mode(two_nodes(), 0o644)),
    "startup-respawn-lib64": (
        single_refused,
        lambda: two_nodes(
            node1={
                "ha.cf": hacf(ADDRESS["node2"], "respawn hacluster /usr/lib64/heartbeat/ipfail\n")
            }
        ),
    ),
    "startup-node-name": (single_refused, lambda: _renamed(two_nodes())),
}


def _with_failing_script() -> list[ClusterNode]:
    nodes = two_nodes(
        node1={"haresources": f"node1 {VIP}/24/eth0 web.sh\n"},
        node2={"haresources": f"node1 {VIP}/24/eth0 web.sh\n"},
    )
    for node in nodes:
        node.scripts = {"web.sh": FAILING_SCRIPT}
    return nodes


def _mode(nodes: list[ClusterNode], mode: int) -> list[ClusterNode]:
    nodes[0].authkeys_mode = mode
    return nodes


def _renamed(nodes: list[ClusterNode]) -> list[ClusterNode]:
    nodes[0].hostname = "web1"  # uname -n says web1, ha.cf declares node1
    return nodes


def stage(name: str, out: Path) -> Path:
    play, make = SCENARIOS[name]
    nodes = make()
    target = out / name
    target.mkdir(parents=True, exist_ok=True)
    with Cluster(*nodes) as cluster:
        play(cluster)
        for node in nodes:
            (target / f"{node.name}.log").write_text(node.log())
    return target


def main(argv: list[str]) -> None:
    if not argv:
        sys.exit(__doc__)
    out = Path(argv[0])
    names = argv[1:] or list(SCENARIOS)
    with ThreadPoolExecutor(max_workers=3) as pool:
        for path in pool.map(lambda n: stage(n, out), names):
            print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
