"""Will it fail over? Each resource-script rule's bad example, the tutorial's nginx.sh and a
correct LSB-style script, run on a real two-node Heartbeat 3.0.6 cluster (failover.py): the
primary is stopped, and what the cluster did is held against what halint says it does.

First, on a throwaway node, the sandbox is proven: a reboot asked for inside a node is only
recorded, pkill inside reaches nothing outside, and reboot(2) ends only the node's namespace.
No case runs before that passed.
"""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from halint.engine import CheckRequest, run_check
from halint.hostfacts import HostFacts
from tests.oracle import failover
from tests.oracle.cluster import Cluster, ClusterNode
from tests.oracle.failover import Outcome
from tests.oracle.heartbeat import unavailable_reason, write_config

pytestmark = pytest.mark.oracle


def _pid1(node: ClusterNode) -> int:
    for pid in node.pids():
        status = Path(f"/proc/{pid}/status").read_text()
        nspid = next(line for line in status.splitlines() if line.startswith("NSpid:"))
        if nspid.split()[-1] == "1" and len(nspid.split()) > 2:
            return pid
    raise AssertionError("no PID 1 in the node's namespace")


def _prove_sandbox() -> dict[str, object]:
    """A throwaway node: every way ResourceManager and Heartbeat reboot, tried inside it."""
    host_pidns = os.readlink("/proc/self/ns/pid")
    node = ClusterNode("node1", "192.168.137.104", {"authkeys": b"auth 1\n1 sha1 x\n"})
    peer = ClusterNode("node2", "192.168.137.105", {"authkeys": b"auth 1\n1 sha1 x\n"})
    sentinel = subprocess.Popen(["sleep", "317.25"])
    found: dict[str, object] = {}
    try:
        with Cluster(node, peer) as cluster:
            cluster.start("node1")  # no ha.cf: the daemon refuses, the namespace stays
            pid1 = _pid1(node)
            found["own_pid_namespace"] = os.readlink(f"/proc/{pid1}/ns/pid") != host_pidns
            assert found["own_pid_namespace"], "the node has no PID namespace of its own"
            commands = (
                "pkill -9 -f 'slee[p] 317.25'; echo pkill=$?; "
                "for c in '/sbin/reboot -nf' '/sbin/init 6' 'shutdown -r now' "
                "'systemctl reboot' 'halt -f'; do timeout 3 $c; done; true"
            )
            inner = subprocess.run(
                ["nsenter", "-t", str(pid1), "-m", "-p", "-u", "-n", "sh", "-c", commands],
                capture_output=True,
                text=True,
                timeout=60,
            )
            found["pkill"] = inner.stdout
            found["recorded"] = node.reboot_requests()
            found["sentinel_alive_after_pkill"] = sentinel.poll() is None
            syscall = (
                "import ctypes, os, sys\n"
                f"if os.readlink('/proc/self/ns/pid') == {host_pidns!r}: sys.exit(99)\n"
                "ctypes.CDLL(None, use_errno=True).reboot(0x01234567)\n"
            )
            subprocess.run(
                ["nsenter", "-t", str(pid1), "-m", "-p", "-u", "-n", "python3", "-c", syscall],
                capture_output=True,
                timeout=30,
            )
            if node.keeper is not None:
                node.keeper.wait(timeout=10)
            found["namespace_ended"] = node.namespace_ended()
            found["left"] = node.pids()
    finally:
        found["sentinel_alive"] = sentinel.poll() is None
        sentinel.kill()
    return found


@pytest.fixture(scope="module")
def sandbox() -> dict[str, object]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"failover tests skipped: {reason}")
    return _prove_sandbox()


@pytest.fixture(scope="module")
def played(sandbox: dict[str, object]) -> dict[str, Outcome]:
    if not (sandbox["namespace_ended"] and sandbox["sentinel_alive"]):
        pytest.fail(f"the sandbox is not proven safe, no case is run: {sandbox}")
    cases = failover.cases()
    with ThreadPoolExecutor(max_workers=failover.WORKERS) as pool:
        return {o.case.name: o for o in pool.map(failover.play, cases.values())}


def test_a_reboot_inside_a_node_is_only_recorded(sandbox: dict[str, object]) -> None:
    assert sandbox["own_pid_namespace"]
    assert sandbox["recorded"] == [
        "reboot -nf",
        "init 6",
        "shutdown -r now",
        "systemctl reboot",
        "halt -f",
    ]
    assert "pkill=1" in str(sandbox["pkill"])  # nothing to kill: the host's processes are unseen
    assert sandbox["sentinel_alive_after_pkill"] and sandbox["sentinel_alive"]
    assert sandbox["namespace_ended"] and sandbox["left"] == []  # reboot(2) ended only the node


def halint_says(outcome: Outcome, tmp_path: Path, host: HostFacts | None = None) -> dict[str, str]:
    """halint's findings on the case's node1 files: rule -> message."""
    case = outcome.case
    files = failover.nodes_for(case)[0]
    folder = tmp_path / case.name
    write_config(folder, files.files)
    (folder / "resource.d").mkdir(exist_ok=True)
    for name, text in case.scripts.items():
        path = folder / "resource.d" / name
        path.write_bytes(text.encode())
        path.chmod(case.modes.get(name, 0o755))
    found: dict[str, str] = {}
    request = CheckRequest(paths=[str(folder)], host=host, offline=host is None, use_config=False)
    for finding in run_check(request).findings():
        found.setdefault(finding.rule, finding.message)
    return found


def _host(**facts: object) -> HostFacts:
    host = HostFacts(node_name="node1")
    host.addresses = {"lo": ["127.0.0.1"], "eth0": [failover.ADDRESS["node1"]]}
    host.executables = {
        f"{d}/{a}"
        for a in ("IPaddr", "IPaddr2")
        for d in ("/etc/ha.d/resource.d", "/usr/lib/ocf/resource.d/heartbeat")
    }
    for key, value in facts.items():
        setattr(host, key, value)
    return host


def test_the_tutorial_nginx_sh_runs_nginx_on_both_nodes(
    played: dict[str, Outcome], tmp_path: Path
) -> None:
    o = played["tutorial-nginx-sh"]
    assert o.vip("started") == {"node1"} and o.service("started") == {"node1"}
    assert o.vip("failed-over") == {"node2"}
    assert o.service("failed-over") == {"node1", "node2"}  # stop left it running on node1
    assert o.vip("failed-back") == {"node1"}
    assert o.service("failed-back") == {"node1", "node2"}
    says = halint_says(o, tmp_path)
    assert "HL310" in says
    assert "ran on both nodes" in says["HL310"] and "stayed on both after failback" in says["HL310"]


def test_the_tutorial_nginx_sh_stops_heartbeat_where_nginx_cannot_start(
    played: dict[str, Outcome], tmp_path: Path
) -> None:
    o = played["tutorial-nginx-sh-nginx-broken"]
    assert any("heartbeat-stop" in line for line in o.service_log["node2"])
    assert "Heartbeat shutdown in progress" in o.logs["node2"]
    assert o.vip("failed-over") == set() and "node2" not in o.service("failed-over")
    assert not o.stages["failed-over"]["node2"]["heartbeat"]
    says = halint_says(o, tmp_path)["HL310"]
    assert "stops Heartbeat itself" in says and "Heartbeat stopped there too" in says


def test_a_correct_lsb_script_moves_and_is_silent(
    played: dict[str, Outcome], tmp_path: Path
) -> None:
    o = played["lsb-script"]
    assert (o.vip("started"), o.service("started")) == ({"node1"}, {"node1"})
    assert (o.vip("failed-over"), o.service("failed-over")) == ({"node2"}, {"node2"})
    assert (o.vip("failed-back"), o.service("failed-back")) == ({"node1"}, {"node1"})
    assert o.takeover_seconds is not None and o.takeover_seconds < 8
    assert not o.rebooted()
    assert not {r for r in halint_says(o, tmp_path) if r.startswith(("HL31", "HL6"))}


def test_action_read_from_1_with_an_argument_runs_nothing(
    played: dict[str, Outcome], tmp_path: Path
) -> None:
    o = played["action-wrong-position"]
    assert "Running /etc/ha.d//resource.d/web.sh 8080 start" in o.logs["node1"]
    assert "Giving up resources due to failure of web.sh::8080" in o.logs["node1"]
    assert o.service("started") == set() and o.service("failed-over") == set()
    assert o.vip("failed-over") == set()
    says = halint_says(o, tmp_path)["HL311"]
    assert "`web.sh 8080 start`" in says and "nothing of it runs on either node" in says


def test_action_read_from_1_without_a_catch_all_starts_nothing(
    played: dict[str, Outcome], tmp_path: Path
) -> None:
    o = played["action-wrong-position-no-catch-all"]
    assert "Giving up resources" not in o.logs["node1"]
    assert o.vip("started") == {"node1"} and o.service("started") == set()
    assert o.vip("failed-over") == {"node2"} and o.service("failed-over") == set()
    says = halint_says(o, tmp_path)["HL311"]
    assert "holds the group and its virtual IP, and the service never runs" in says


def test_a_missing_start_starts_nothing(played: dict[str, Outcome], tmp_path: Path) -> None:
    o = played["start-branch-missing"]
    assert o.vip("failed-over") == {"node2"} and o.service("failed-over") == set()
    assert o.service("started") == set()
    says = halint_says(o, tmp_path)["HL314"]
    assert "held the group and its virtual IP while nginx ran on neither node" in says


def test_a_status_that_never_says_running_starts_it_again(
    played: dict[str, Outcome], tmp_path: Path
) -> None:
    o = played["status-never-running"]
    assert o.stages["started"]["node1"]["services"]  # up since boot ...
    assert "resource.d/nginx.sh  start" in o.logs["node1"]  # ... and started again
    correct = played["lsb-script-service-enabled"]  # the same with a status that says running
    assert "resource.d/nginx.sh  start" not in correct.logs["node1"].split("Heartbeat shutdown")[0]
    says = halint_says(o, tmp_path)["HL312"]
    assert "ran `nginx.sh start` again on a node where nginx was already running" in says


def test_a_status_that_always_says_running_starts_nothing(
    played: dict[str, Outcome], tmp_path: Path
) -> None:
    o = played["status-always-running"]
    assert o.vip("failed-over") == {"node2"}
    assert o.service("started") == set() and o.service("failed-over") == set()
    says = halint_says(o, tmp_path)["HL312"]
    assert "moved the virtual IP but nginx was started on neither node" in says


@pytest.mark.parametrize("name", ["stop-fails-when-stopped", "stop-killall-when-stopped"])
def test_a_stop_that_fails_when_stopped_delays_the_takeover(
    played: dict[str, Outcome], tmp_path: Path, name: str
) -> None:
    o = played[name]
    log = o.logs["node1"]
    assert log.count("Retrying failed stop operation") == 10
    assert "probably not LSB-compliant" in log and "Machine reboot narrowly avoided!" in log
    assert o.takeover_seconds is not None and o.takeover_seconds > 10
    assert o.vip("failed-over") == {"node2"} and o.service("failed-over") == {"node2"}
    says = halint_says(o, tmp_path)["HL313"]
    assert "the takeover waited for the retries" in says and "narrowly avoided" in says


def test_a_failing_stop_while_running_reboots_the_node(
    played: dict[str, Outcome], tmp_path: Path
) -> None:
    o = played["stop-branch-fails"]
    log = o.logs["node1"]
    assert "Resource STOP failure. Reboot required!" in log
    assert "Killing heartbeat ungracefully!" in log
    assert o.reboots["node1"] == ["reboot -nf"]  # recorded by the stand-in, never run
    assert o.vip("failed-over") == {"node2"} and o.service("failed-over") == {"node2"}
    says = halint_says(o, tmp_path)
    assert '"Resource STOP failure. Reboot required!" and rebooted the node' in says["HL314"]
    assert (
        '"Resource STOP failure. Reboot required!", killed Heartbeat and rebooted the node'
        in (halint_says(played["stop-fails-when-stopped"], tmp_path / "b")["HL313"])
    )


def test_a_missing_stop_leaves_the_service_on_both_nodes(
    played: dict[str, Outcome], tmp_path: Path
) -> None:
    o = played["stop-branch-missing"]
    assert o.vip("failed-over") == {"node2"}
    assert o.service("failed-over") == {"node1", "node2"}
    assert "it ran on both nodes" in halint_says(o, tmp_path)["HL314"]


def test_crlf_line_ends_fail_every_call(played: dict[str, Outcome], tmp_path: Path) -> None:
    o = played["script-crlf"]
    assert "Return code 127 from /etc/ha.d//resource.d/nginx.sh" in o.logs["node1"]
    assert o.service("failed-over") == set() and o.vip("failed-over") == set()
    assert '("Return code 127"), Heartbeat gave the group up' in halint_says(o, tmp_path)["HL315"]


def test_a_script_without_shebang_still_runs(played: dict[str, Outcome], tmp_path: Path) -> None:
    o = played["script-no-shebang"]
    assert o.service("failed-over") == {"node2"} and o.vip("failed-over") == {"node2"}
    says = halint_says(o, tmp_path)["HL315"]
    assert "it runs only because ResourceManager's /bin/sh" in says


def test_a_secret_in_a_script_does_not_change_the_takeover(
    played: dict[str, Outcome], tmp_path: Path
) -> None:
    o = played["script-secret"]
    assert o.service("failed-over") == {"node2"} and o.vip("failed-over") == {"node2"}
    says = halint_says(o, tmp_path)["HL316"]
    assert "s3cr3t" not in says and "`DB_PASSWORD`" in says


def test_a_service_enabled_at_boot_runs_on_both_nodes(
    played: dict[str, Outcome], tmp_path: Path
) -> None:
    o = played["lsb-script-service-enabled"]
    assert o.service("started") == {"node1", "node2"} and o.vip("started") == {"node1"}
    link = "/etc/systemd/system/multi-user.target.wants/nginx.service"
    says = halint_says(o, tmp_path, _host(texts={link: ""}))["HL620"]
    assert "ran on both nodes" in says and link in says


def test_an_address_label_over_15_characters_fails_the_start(
    played: dict[str, Outcome], tmp_path: Path
) -> None:
    o = played["ip-label-too-long"]
    assert "Giving up resources" in o.logs["node1"]
    assert o.vip("started") == set() and o.vip("failed-over") == set()
    assert "Heartbeat gave it up" in halint_says(o, tmp_path)["HL317"]


def test_a_missing_vip_interface_fails_the_takeover(
    played: dict[str, Outcome], tmp_path: Path
) -> None:
    o = played["vip-interface-missing"]
    assert "Invalid interface name [ens33]" in o.logs["node1"] + o.debug["node1"]
    assert "Giving up resources" in o.logs["node1"]
    assert o.vip("started") == set() and o.vip("failed-over") == set()
    says = halint_says(o, tmp_path, _host())["HL617"]
    assert '"Invalid interface name [ens33]"' in says and "gave the whole group up" in says


def test_a_vip_outside_every_subnet_without_netmask_fails(
    played: dict[str, Outcome], tmp_path: Path
) -> None:
    o = played["vip-outside-subnet"]
    assert "Giving up resources" in o.logs["node1"]
    assert o.vip("started") == set() and o.vip("failed-over") == set()
    assert "findif failed" in o.logs["node1"]
    assert "Cannot use default route w/o netmask [10.9.9.9]" in o.debug["node1"]
    says = halint_says(o, tmp_path, _host(networks=[("eth0", "192.168.137.0/24")]))["HL618"]
    assert "the takeover fails" in says and "Cannot use default route w/o netmask" in says
