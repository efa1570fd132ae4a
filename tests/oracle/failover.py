"""Will it fail over? A real two-node Heartbeat 3.0.6 cluster, a resource script, and the test
admins do by hand: stop the primary and see what really happens.

    sudo python -m tests.oracle.failover tests/fixtures/logs            # every case, keep logs
    sudo python -m tests.oracle.failover /tmp/out tutorial-nginx-sh     # some of them

Each case runs the cluster of cluster.py (each node its own network, mount, UTS and PID
namespace, with stand-in systemctl/netstat and a reboot that is only recorded) with
`node1 IPaddr2::VIP/24/eth0 <resource>` in haresources and the case's script in resource.d on
both nodes. The service the script manages is a stand-in: a small process of the node that the
stand-in systemctl starts and stops. The run starts both nodes, lets node1 acquire the group,
stops node1's Heartbeat as an admin does (`systemctl stop heartbeat`: SIGTERM to the master
control process), lets node2 take over and, for some cases, starts node1 again to fail back. A
reboot asked for by ResourceManager powers the node off (its processes end, its virtual IP goes).
What is recorded, at each stage: where the virtual IP is, where the service runs, who asked for
a reboot, and both nodes' ha-log.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.oracle.cluster import Cluster, ClusterNode

ADDRESS = {"node1": "192.168.137.104", "node2": "192.168.137.105"}
VIP = "192.168.137.200"
GATEWAY = "192.168.137.1"  # exists nowhere: nothing leaves the namespaces
KEY = "auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n"
Stage = dict[str, object]
WORKERS = 6  # the clusters mostly wait on Heartbeat's timers


def hacf(peer: str) -> str:
    return (
        "logfile /var/log/ha-log\ndebugfile /var/log/ha-debug\nkeepalive 1\nwarntime 3\n"
        f"deadtime 6\ninitdead 12\nudpport 694\nucast eth0 {peer}\nauto_failback on\n"
        "node node1\nnode node2\n"
    )


@dataclass
class Case:
    name: str
    resource: str  # what follows the virtual IP on the haresources line (`nginx.sh`)
    scripts: dict[str, str]  # resource.d name -> text (written on both nodes)
    service: str = "nginx"
    failback: bool = False
    crash_before_stop: bool = False  # the service dies on node1 before its Heartbeat stops
    boot_services: dict[str, list[str]] = field(default_factory=dict)  # node -> enabled
    broken_services: dict[str, list[str]] = field(default_factory=dict)  # node -> cannot start
    modes: dict[str, int] = field(default_factory=dict)
    ip_resource: str = f"IPaddr2::{VIP}/24/eth0"
    vip: str = VIP


@dataclass
class Outcome:
    case: Case
    stages: dict[str, dict[str, Stage]] = field(default_factory=dict)  # stage -> node -> facts
    logs: dict[str, str] = field(default_factory=dict)
    debug: dict[str, str] = field(default_factory=dict)
    reboots: dict[str, list[str]] = field(default_factory=dict)
    service_log: dict[str, list[str]] = field(default_factory=dict)
    takeover_seconds: float | None = None

    def vip(self, stage: str) -> set[str]:
        return {n for n, facts in self.stages[stage].items() if self.case.vip in facts["vip"]}

    def service(self, stage: str) -> set[str]:
        return {
            n for n, facts in self.stages[stage].items() if self.case.service in facts["services"]
        }

    def rebooted(self) -> set[str]:
        return {n for n, requests in self.reboots.items() if requests}


def nodes_for(case: Case) -> list[ClusterNode]:
    nodes = []
    for name in ("node1", "node2"):
        peer = ADDRESS["node2" if name == "node1" else "node1"]
        files = {
            "ha.cf": hacf(peer).encode(),
            "authkeys": KEY.encode(),
            "haresources": f"node1 {case.ip_resource} {case.resource}".strip().encode() + b"\n",
        }
        nodes.append(
            ClusterNode(
                name,
                ADDRESS[name],
                files,
                scripts={k: v.encode() for k, v in case.scripts.items()},
                script_modes=dict(case.modes),
                boot_services=case.boot_services.get(name, []),
                broken_services=case.broken_services.get(name, []),
            )
        )
    return nodes


def _master(node: ClusterNode) -> int | None:
    for pid in node.pids():
        try:
            if b"master control process" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except OSError:
            continue
    return None


def _settle(cluster: Cluster, until: Callable[[], bool], timeout: float) -> bool:
    """Wait for `until`, powering off any node that asked for a reboot meanwhile."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for node in cluster.nodes:
            if not node.powered_off and (node.reboot_requests() or node.namespace_ended()):
                if node.keeper is not None and node.keeper.poll() is None:
                    cluster.power_off(node.name)
                else:
                    node.powered_off = True
        if until():
            return True
        time.sleep(0.25)
    return False


def _quiet(cluster: Cluster, seconds: float) -> None:
    _settle(cluster, lambda: False, seconds)


def _snapshot(cluster: Cluster) -> dict[str, Stage]:
    return {
        node.name: {
            "vip": set(node.addresses()) - {node.address},
            "services": node.services(),
            "heartbeat": _master(node) is not None,
        }
        for node in cluster.nodes
    }


def _log_has(node: ClusterNode, text: str, times: int = 1) -> bool:
    return node.log().count(text) >= times


def play(case: Case) -> Outcome:
    outcome = Outcome(case)
    with Cluster(*nodes_for(case)) as cluster:
        node1, node2 = cluster.node("node1"), cluster.node("node2")
        for node in cluster.nodes:  # a real node has a default route (through a gateway)
            subprocess.run(
                ["ip", "-n", node.namespace, "route", "add", "default", "via", GATEWAY],
                capture_output=True,
                check=False,
            )
        cluster.start()
        _settle(
            cluster,
            lambda: (
                _log_has(node1, "Initial resource acquisition complete")
                and _log_has(node2, "Initial resource acquisition complete")
            ),
            60,
        )
        _settle(cluster, lambda: _log_has(node1, "Local Resource acquisition completed"), 30)
        _quiet(cluster, 4)
        outcome.stages["started"] = _snapshot(cluster)
        if case.crash_before_stop:
            for pid in node1.pids():
                try:
                    comm = Path(f"/proc/{pid}/comm").read_text().strip()
                except OSError:
                    continue
                if comm == case.service[:15]:
                    signal_process(pid, signal.SIGKILL)
            _quiet(cluster, 1)
        master = _master(node1)
        stopped_at = time.monotonic()
        if master is not None:
            signal_process(master, signal.SIGTERM)
        _settle(
            cluster,
            lambda: node1.powered_off or _log_has(node1, "Heartbeat shutdown complete"),
            60,
        )
        if _settle(cluster, lambda: _log_has(node2, "mach_down takeover complete"), 40):
            outcome.takeover_seconds = time.monotonic() - stopped_at
        _quiet(cluster, 4)
        outcome.stages["failed-over"] = _snapshot(cluster)
        if case.failback:
            cluster.start("node1")
            _settle(cluster, lambda: _log_has(node2, "remote resource transition completed", 3), 40)
            _settle(cluster, lambda: _log_has(node1, "Initial resource acquisition complete"), 40)
            _quiet(cluster, 6)
            outcome.stages["failed-back"] = _snapshot(cluster)
        for node in cluster.nodes:
            outcome.logs[node.name] = node.log()
            debug = node.work / "log" / "ha-debug"
            outcome.debug[node.name] = debug.read_text(errors="replace") if debug.exists() else ""
            outcome.reboots[node.name] = node.reboot_requests() + (
                ["reboot(2)"] if node.namespace_ended() and not node.reboot_requests() else []
            )
            outcome.service_log[node.name] = node.service_log()
    return outcome


def signal_process(pid: int, sig: int) -> None:
    import contextlib
    import os

    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


# --- the cases: the catalogue's own bad examples, the tutorial's script, a correct one ---------


def _example_script(rule_id: str, index: int) -> tuple[str, dict[str, str], dict[str, int]]:
    """The resource and scripts of rules/<rule_id>.toml's bad example `index`."""
    from halint.catalogue import ScriptExample, rule_doc

    example = rule_doc(rule_id).bad[index]
    assert example.haresources is not None
    resource = example.haresources.split()[-1]
    texts: dict[str, str] = {}
    modes: dict[str, int] = {}
    for name, script in example.scripts.items():
        assert isinstance(script, ScriptExample)
        texts[name] = script.text
        modes[name] = script.mode
    return resource, texts, modes


def _good_script() -> tuple[str, dict[str, str], dict[str, int]]:
    from halint.catalogue import ScriptExample, rule_doc

    example = rule_doc("HL310").good[0]
    script = example.scripts["nginx.sh"]
    assert isinstance(script, ScriptExample)
    return "nginx.sh", {"nginx.sh": script.text}, {}


TUTORIAL_SCRIPT = Path(__file__).resolve().parents[2] / "examples/tutorial/ha.d/resource.d/nginx.sh"


def cases() -> dict[str, Case]:
    def from_rule(name: str, rule_id: str, index: int, **options: object) -> Case:
        resource, texts, modes = _example_script(rule_id, index)
        service = "mariadb" if "mariadb" in "".join(texts.values()) else "nginx"
        return Case(name, resource, texts, service=service, modes=modes, **options)  # type: ignore[arg-type]

    good_resource, good_texts, _ = _good_script()
    found = [
        Case(
            "tutorial-nginx-sh",
            "nginx.sh",
            {"nginx.sh": TUTORIAL_SCRIPT.read_text()},
            failback=True,
        ),
        Case(
            "tutorial-nginx-sh-nginx-broken",
            "nginx.sh",
            {"nginx.sh": TUTORIAL_SCRIPT.read_text()},
            broken_services={"node2": ["nginx"]},
        ),
        Case("lsb-script", good_resource, good_texts, failback=True),
        Case(
            "lsb-script-service-enabled",
            good_resource,
            good_texts,
            boot_services={"node1": ["nginx"], "node2": ["nginx"]},
        ),
        from_rule("action-wrong-position", "HL311", 0),
        from_rule("action-wrong-position-no-catch-all", "HL311", 1),
        from_rule("status-never-running", "HL312", 0, boot_services={"node1": ["nginx"]}),
        from_rule("status-always-running", "HL312", 1),
        from_rule("stop-fails-when-stopped", "HL313", 0, crash_before_stop=True),
        from_rule("stop-killall-when-stopped", "HL313", 1, crash_before_stop=True),
        from_rule("stop-branch-missing", "HL314", 0),
        from_rule("stop-branch-fails", "HL314", 1),
        from_rule("start-branch-missing", "HL314", 2),
        from_rule("script-crlf", "HL315", 0),
        from_rule("script-no-shebang", "HL315", 1),
        from_rule("script-secret", "HL316", 0),
        Case("ip-label-too-long", "", {}, ip_resource=f"IPaddr2::{VIP}/24/eth0:frontendlabel1"),
        Case("vip-interface-missing", "", {}, ip_resource=f"IPaddr2::{VIP}/24/ens33"),
        Case("vip-outside-subnet", "", {}, ip_resource="10.9.9.9", vip="10.9.9.9"),
    ]
    return {case.name: case for case in found}


def write_logs(outcome: Outcome, out: Path) -> Path:
    target = out / outcome.case.name
    target.mkdir(parents=True, exist_ok=True)
    for name, text in outcome.logs.items():
        (target / f"{name}.log").write_text(text)
    return target


def main(argv: list[str]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    if not argv:
        sys.exit(__doc__)
    out = Path(argv[0])
    every = cases()
    names = argv[1:] or list(every)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for outcome in pool.map(lambda n: play(every[n]), names):
            print(f"wrote {write_logs(outcome, out)}")
            for stage in outcome.stages:
                print(
                    f"  {stage}: vip {sorted(outcome.vip(stage))} service "
                    f"{sorted(outcome.service(stage))}"
                )
            print(f"  reboots {outcome.reboots} takeover {outcome.takeover_seconds}")


if __name__ == "__main__":
    main(sys.argv[1:])
