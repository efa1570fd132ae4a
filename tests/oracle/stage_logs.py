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
import shutil
import signal
import subprocess
import sys
import tempfile
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


def planned_stop(cluster: Cluster) -> None:
    """node1 is stopped the proper way (it announces its shutdown) and stays down past
    deadtime: node2 takes over and later marks it dead - a planned stop, not a crash."""
    up(cluster)
    pid = master_pid(cluster.node("node1"))
    assert pid is not None
    os.kill(pid, signal.SIGTERM)
    cluster.wait_for("node1", "Heartbeat shutdown complete", 40)
    cluster.wait_for("node2", ": is dead", 40)
    time.sleep(3)


def first_start_alone(cluster: Cluster) -> None:
    """Only node2 is started (its peer is not up yet): initdead runs out, node1 is declared
    dead without ever having been heard, node2 takes everything."""
    cluster.start("node2")
    cluster.wait_for("node2", "mach_down takeover complete", 40)
    time.sleep(3)


def _iptables(cluster: Cluster, name: str, *rule: str) -> None:
    namespace = cluster.node(name).namespace
    subprocess.run(["ip", "netns", "exec", namespace, "iptables", *rule], check=True)


def lost_packets(cluster: Cluster) -> None:
    """Every heartbeat into node2 dropped for 40 s, shorter than deadtime, at 20 packets a
    second (keepalive 50ms): hundreds of packets lost at once, no dead node."""
    up(cluster)
    rule = ["INPUT", "-p", "udp", "--dport", "694", "-j", "DROP"]
    _iptables(cluster, "node2", "-A", *rule)
    time.sleep(40)
    _iptables(cluster, "node2", "-D", *rule)
    cluster.wait_for("node2", "lost a lot of packets", 15)
    time.sleep(4)


def _fast_heartbeats() -> list[ClusterNode]:
    nodes = two_nodes()
    for node in nodes:
        text = node.files["ha.cf"].decode()
        text = text.replace(
            "keepalive 1\nwarntime 3\ndeadtime 6\ninitdead 12\n",
            ("keepalive 50ms\nwarntime 10\ndeadtime 60\ninitdead 120\n"),
        )
        node.files["ha.cf"] = text.encode()
    return nodes


def write_failure(cluster: Cluster) -> None:
    """node1 may not send on the heartbeat port (a firewall's OUTPUT rule): every send fails."""
    up(cluster)
    rule = ["OUTPUT", "-p", "udp", "--dport", "694", "-j", "DROP"]
    _iptables(cluster, "node1", "-A", *rule)
    cluster.wait_for("node2", ": is dead", 30)
    time.sleep(3)
    _iptables(cluster, "node1", "-D", *rule)
    time.sleep(6)


def master_killed(cluster: Cluster) -> None:
    """node1's master control process is killed (OOM killer): its children shut down."""
    up(cluster)
    pid = master_pid(cluster.node("node1"))
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    cluster.wait_for("node2", ": is dead", 30)
    time.sleep(3)


def replay(cluster: Cluster) -> None:
    """node1 comes back with an older generation number (its state restored from a backup)."""
    up(cluster)
    node1 = cluster.node("node1")
    generation = node1.work / "lib" / "hb_generation"
    saved = generation.read_bytes() if generation.exists() else None
    cluster.stop("node1", signal.SIGKILL)
    cluster.wait_for("node2", ": is dead", 30)
    if saved is not None and saved.strip().isdigit():  # a generation before the last start
        generation.write_bytes(str(max(1, int(saved) - 5)).encode())
    cluster.start("node1")
    cluster.wait_for("node2", "replay attack", 30)
    time.sleep(4)


def watchdog_missing(cluster: Cluster) -> None:
    """ha.cf names a watchdog device this host does not have."""
    cluster.start()
    cluster.wait_for("node1", "watchdog", 30)
    time.sleep(15)


def vip_without_interface(cluster: Cluster) -> None:
    """The virtual IP is in no subnet of this host and names no interface: findif fails."""
    cluster.start()
    cluster.wait_for("node1", "Giving up resources due to failure", 40)
    time.sleep(6)


def foreign_node(cluster: Cluster) -> None:
    """node2's ha.cf belongs to another cluster on the same port (nodes node2 and node3):
    node1's heartbeats reach it from a node it does not know."""
    cluster.start()
    cluster.wait_for("node2", "bad node", 30)
    time.sleep(15)


def standby_legacy(cluster: Cluster) -> None:
    """hb_standby on a cluster with `auto_failback legacy`."""
    up(cluster)
    _in_node(cluster, "node1", "/usr/share/heartbeat/hb_standby")
    time.sleep(8)


def _in_node(cluster: Cluster, name: str, *command: str) -> None:
    pid = master_pid(cluster.node(name))
    assert pid is not None
    subprocess.run(
        ["nsenter", "-t", str(pid), "-m", "-u", "-n", *command],
        capture_output=True,
        timeout=60,
        check=False,
    )


def skewed_clock(cluster: Cluster) -> None:
    """node2's clock runs 40 s ahead (faketime): the tutorial's failover in both logs."""
    tutorial_failover(cluster)


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
    "planned-stop": (planned_stop, two_nodes),
    "first-start-alone": (first_start_alone, two_nodes),
    "lost-packets": (lost_packets, _fast_heartbeats),
    "write-failure": (write_failure, two_nodes),
    "master-killed": (master_killed, two_nodes),
    "replay": (replay, two_nodes),
    "watchdog-missing": (
        watchdog_missing,
        lambda: two_nodes(node1={"ha.cf": hacf(ADDRESS["node2"], "watchdog /dev/watchdog\n")}),
    ),
    "vip-without-interface": (
        vip_without_interface,
        lambda: two_nodes(
            node1={"haresources": "node1 10.77.0.10\n"}, node2={"haresources": "node1 10.77.0.10\n"}
        ),
    ),
    "foreign-node": (
        foreign_node,
        lambda: two_nodes(
            node2={
                "ha.cf": hacf(ADDRESS["node1"]).replace("node node1\n", "node node3\n"),
                "haresources": f"node2 {VIP}/24/eth0\n",
            }
        ),
    ),
    "standby-legacy": (
        standby_legacy,
        lambda: two_nodes(
            **{
                n: {"ha.cf": hacf(ADDRESS[p]).replace("auto_failback on", "auto_failback legacy")}
                for n, p in (("node1", "node2"), ("node2", "node1"))
            }
        ),
    ),
    "skewed-clock": (skewed_clock, lambda: _skewed(two_nodes())),
}


FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"  # Debian's faketime package


def _skewed(nodes: list[ClusterNode]) -> list[ClusterNode]:
    library = FAKETIME
    if not Path(library).exists():
        raise SystemExit(f"skewed-clock needs faketime ({library}): apt-get install faketime")
    nodes[1].environment = {"LD_PRELOAD": library, "FAKETIME": "+40s", "DONT_FAKE_MONOTONIC": "1"}
    return nodes


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


def init_not_configured(out: Path) -> Path:
    """Debian's init script on a host whose /etc/ha.d has no ha.cf (what it prints)."""
    target = out / "init-not-configured"
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree("/etc/ha.d", Path(folder) / "ha.d", symlinks=True)
        (Path(folder) / "ha.d" / "ha.cf").unlink(missing_ok=True)
        script = f"mount --bind {folder}/ha.d /etc/ha.d && /etc/init.d/heartbeat start"
        result = subprocess.run(
            ["unshare", "-m", "--propagation", "private", "sh", "-c", script],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    (target / "console.txt").write_text(result.stdout + result.stderr)
    return target


def main(argv: list[str]) -> None:
    if not argv:
        sys.exit(__doc__)
    out = Path(argv[0])
    names = argv[1:] or [*SCENARIOS, "init-not-configured"]
    if "init-not-configured" in names:
        names.remove("init-not-configured")
        print(f"wrote {init_not_configured(out)}")
    with ThreadPoolExecutor(max_workers=3) as pool:
        for path in pool.map(lambda n: stage(n, out), names):
            print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
