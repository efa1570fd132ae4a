"""Two real Heartbeat 3.0.6 daemons in network namespaces, joined by a veth pair: what each
cross-node mistake really does, from the daemons' own logs and the virtual IPs they hold.

This is where HL501, HL502 and HL504 get their severity and their wording: with different
authkeys, with both nodes unicasting to one address, and with different haresources, Heartbeat
starts on both nodes and then both nodes hold the same virtual IP.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from halint.engine import CheckRequest, run_check
from tests.oracle.cluster import Cluster, ClusterNode
from tests.oracle.heartbeat import unavailable_reason, write_config

pytestmark = pytest.mark.oracle

ADDRESS = {"node1": "192.168.137.104", "node2": "192.168.137.105"}
VIP1, VIP2 = "192.168.137.200", "192.168.137.201"
KEY_A = "auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n"
KEY_B = "auth 1\n1 sha1 77aa0e31f9c2d4b8e605\n"
GROUPS = f"node1 IPaddr2::{VIP1}/24/eth0\nnode2 IPaddr2::{VIP2}/24/eth0\n"


def hacf(target: str, extra: str = "") -> str:
    return (
        "logfile /var/log/ha-log\nkeepalive 1\ndeadtime 5\nwarntime 3\ninitdead 10\n"
        f"udpport 694\nucast eth0 {target}\n{extra}auto_failback on\nnode node1\nnode node2\n"
    )


@dataclass
class Scenario:
    name: str
    files: dict[str, dict[str, str]]  # node -> file -> text
    settle: str  # a log line that says the scenario has played out
    settle_on: tuple[str, ...]  # every node that writes it
    logs: dict[str, str] = field(default_factory=dict)
    vips: dict[str, set[str]] = field(default_factory=dict)


def node_files(
    target: str, authkeys: str = KEY_A, haresources: str = GROUPS, extra: str = ""
) -> dict[str, str]:
    return {"ha.cf": hacf(target, extra), "authkeys": authkeys, "haresources": haresources}


SCENARIOS = {
    "matching": Scenario(
        "matching",
        {"node1": node_files(ADDRESS["node2"]), "node2": node_files(ADDRESS["node1"])},
        settle="Local Resource acquisition completed",
        settle_on=("node2",),
    ),
    "different-authkeys": Scenario(
        "different-authkeys",
        {
            "node1": node_files(ADDRESS["node2"]),
            "node2": node_files(ADDRESS["node1"], authkeys=KEY_B),
        },
        settle="mach_down takeover complete",
        settle_on=("node1", "node2"),  # each takes the other's group
    ),
    "same-ucast-target": Scenario(
        "same-ucast-target",
        {"node1": node_files(ADDRESS["node2"]), "node2": node_files(ADDRESS["node2"])},
        settle="mach_down takeover complete",
        settle_on=("node1",),
    ),
    "same-ucast-target-beside-bcast": Scenario(
        "same-ucast-target-beside-bcast",
        {
            "node1": node_files(ADDRESS["node2"], extra="bcast eth0\n"),
            "node2": node_files(ADDRESS["node2"], extra="bcast eth0\n"),
        },
        settle="Local Resource acquisition completed",
        settle_on=("node2",),
    ),
    "different-haresources": Scenario(
        "different-haresources",
        {
            "node1": node_files(ADDRESS["node2"], haresources=f"node1 IPaddr2::{VIP1}/24/eth0\n"),
            "node2": node_files(ADDRESS["node1"], haresources=f"node2 IPaddr2::{VIP1}/24/eth0\n"),
        },
        settle="Local Resource acquisition completed",
        settle_on=("node2",),
    ),
}


def play(scenario: Scenario) -> Scenario:
    nodes = [
        ClusterNode(name, ADDRESS[name], {k: v.encode() for k, v in files.items()})
        for name, files in scenario.files.items()
    ]
    with Cluster(*nodes) as cluster:
        cluster.start()
        for name in scenario.settle_on:
            cluster.wait_for(name, scenario.settle, timeout=60)
        held = settled_vips(nodes)
        for node in nodes:
            scenario.logs[node.name] = node.log()
            scenario.vips[node.name] = held[node.name]
    return scenario


def settled_vips(
    nodes: list[ClusterNode], quiet: float = 4, limit: float = 30
) -> dict[str, set[str]]:
    """The virtual IPs each node holds once they have stopped changing for `quiet` seconds (the
    resource scripts have finished), or as they are after `limit` seconds."""
    deadline = time.monotonic() + limit
    held: dict[str, set[str]] = {}
    still_since = time.monotonic()
    while True:
        now = {n.name: {a for a in n.addresses() if a in (VIP1, VIP2)} for n in nodes}
        if now != held:
            held, still_since = now, time.monotonic()
        if time.monotonic() - still_since >= quiet or time.monotonic() >= deadline:
            return held
        time.sleep(0.5)


@pytest.fixture(scope="module")
def played() -> dict[str, Scenario]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"real-cluster tests skipped: {reason}")
    with ThreadPoolExecutor(max_workers=4) as pool:
        return {s.name: s for s in pool.map(play, SCENARIOS.values())}


def halint_cluster(scenario: Scenario, tmp_path: Path) -> dict[str, list[str]]:
    folders = []
    for name, files in scenario.files.items():
        folder = tmp_path / name
        write_config(folder, {k: v.encode() for k, v in files.items()})
        folders.append(str(folder))
    run = run_check(CheckRequest(paths=folders, offline=True, use_config=False))
    rules: dict[str, list[str]] = {}
    for finding in run.findings():
        rules.setdefault(finding.rule, []).append(finding.message)
    return rules


def test_matching_files_one_owner(played: dict[str, Scenario], tmp_path: Path) -> None:
    s = played["matching"]
    assert "Link node2:eth0 up." in s.logs["node1"]
    assert "Link node1:eth0 up." in s.logs["node2"]
    assert s.vips == {"node1": {VIP1}, "node2": {VIP2}}
    assert not {"HL501", "HL502", "HL504"} & set(halint_cluster(s, tmp_path))


def test_different_authkeys_both_nodes_take_everything(
    played: dict[str, Scenario], tmp_path: Path
) -> None:
    s = played["different-authkeys"]
    for me, peer in (("node1", "node2"), ("node2", "node1")):
        assert "authtoken does not match" in s.logs[me], me
        assert f"Link {peer}:eth0 up." not in s.logs[me]
        assert f"node {peer}: is dead" in s.logs[me]
    assert s.vips["node1"] == {VIP1, VIP2} and s.vips["node2"] == {VIP1, VIP2}  # split brain
    findings = halint_cluster(s, tmp_path)
    assert "HL501" in findings
    assert "both nodes hold them" in findings["HL501"][0]


def test_same_ucast_target_one_node_is_never_heard(
    played: dict[str, Scenario], tmp_path: Path
) -> None:
    s = played["same-ucast-target"]
    assert "Link node2:eth0 up." not in s.logs["node1"]  # node2 talks to itself
    assert "node node2: is dead" in s.logs["node1"]
    assert "Link node1:eth0 up." in s.logs["node2"]  # node1's packets do arrive
    assert "Link node2:eth0 up." in s.logs["node2"]  # ... and node2 hears itself
    assert "Resources being acquired from node2." in s.logs["node1"]
    # node1 runs everything; node2 waits for a peer that never answers and runs nothing:
    # the cluster has silently become one node.
    assert s.vips == {"node1": {VIP1, VIP2}, "node2": set()}
    findings = halint_cluster(s, tmp_path)
    assert "HL504" in findings
    assert "talks to itself" in " ".join(findings["HL504"])


def test_a_copied_ucast_line_beside_bcast_leaves_the_cluster_whole(
    played: dict[str, Scenario], tmp_path: Path
) -> None:
    s = played["same-ucast-target-beside-bcast"]
    for me, peer in (("node1", "node2"), ("node2", "node1")):
        assert f"Link {peer}:eth0 up." in s.logs[me], me
        assert f"node {peer}: is dead" not in s.logs[me], me
    assert s.vips == {"node1": {VIP1}, "node2": {VIP2}}
    findings = halint_cluster(s, tmp_path)
    assert "HL504" in findings
    assert "bcast still carries the heartbeats" in " ".join(findings["HL504"])


def test_different_haresources_both_start_the_group(
    played: dict[str, Scenario], tmp_path: Path
) -> None:
    s = played["different-haresources"]
    assert "Link node2:eth0 up." in s.logs["node1"]
    assert VIP1 in s.vips["node1"] and VIP1 in s.vips["node2"]
    findings = halint_cluster(s, tmp_path)
    assert "HL502" in findings
    assert "both nodes take it at start" in findings["HL502"][0]


def test_nothing_is_left_behind(played: dict[str, Scenario]) -> None:
    import subprocess

    namespaces = subprocess.run(
        ["ip", "netns", "list"], capture_output=True, text=True, check=False
    ).stdout
    from tests.oracle.cluster import TAGS

    assert TAGS  # the scenarios were played
    for tag in TAGS:  # this run's clusters only: another run may be at work beside it
        assert f"halint-{tag}-" not in namespaces
        assert not list(Path("/tmp").glob(f"halint-cluster-{tag}-*"))
