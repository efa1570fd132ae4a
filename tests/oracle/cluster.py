"""A real two-node Heartbeat 3.0.6 cluster: two network namespaces joined by a veth pair.

Each node runs the real daemon with its own bind-mounted /etc/ha.d, /var/log, /run and
/var/lib/heartbeat (shared/reference/oracle.md). Used as a context manager, the cluster always
ends what it started — every daemon in its namespaces, the namespaces, the veth pair, the work
folders — also when a test fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

NODE_SCRIPT = Path(__file__).with_name("cluster_node.sh")
TAGS: list[str] = []  # every cluster this process made (the tests check they were removed)
PACKAGE_HA_D = Path("/etc/ha.d")
STATE_DIR = Path("/var/lib/heartbeat")


def _run(*command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=check, timeout=60)


@dataclass
class ClusterNode:
    name: str
    address: str
    files: dict[str, bytes]
    authkeys_mode: int = 0o600
    scripts: dict[str, bytes] | None = None
    hostname: str | None = None  # what `uname -n` says, when it is not the node's name
    boot_services: list[str] = field(default_factory=list)  # running before Heartbeat starts
    broken_services: list[str] = field(default_factory=list)  # cannot start on this node
    script_modes: dict[str, int] = field(default_factory=dict)
    environment: dict[str, str] | None = None  # for the daemon (e.g. faketime's, a skewed clock)
    namespace: str = ""
    work: Path = Path()
    keeper: subprocess.Popen[bytes] | None = None  # PID 1 of the node's PID namespace
    powered_off: bool = False

    def log(self) -> str:
        path = self.work / "log" / "ha-log"
        return path.read_text(errors="replace") if path.exists() else ""

    def log_path(self) -> Path:
        return self.work / "log" / "ha-log"

    def addresses(self) -> list[str]:
        out = _run("ip", "-n", self.namespace, "-4", "-o", "addr", "show", check=False).stdout
        return [line.split()[3].split("/")[0] for line in out.splitlines() if " inet " in line]

    def pids(self) -> list[int]:
        out = _run("ip", "netns", "pids", self.namespace, check=False).stdout
        return [int(p) for p in out.split()]

    def standin(self, name: str) -> Path:
        return self.work / "run" / "halint-standin" / name

    def reboot_requests(self) -> list[str]:
        """What asked the stand-in reboot/shutdown/init to reboot this node."""
        path = self.standin("reboot")
        return path.read_text().splitlines() if path.exists() else []

    def namespace_ended(self) -> bool:
        """PID 1 of the node's PID namespace is gone: reboot(2) was called inside it (or the
        harness powered the node off)."""
        return self.keeper is not None and self.keeper.poll() is not None

    def services(self) -> set[str]:
        """The stand-in services running on this node (processes of its namespace)."""
        known = {p.name[:15] for p in self.standin("bin").glob("*")}
        running = set()
        for pid in self.pids():
            try:
                comm = Path(f"/proc/{pid}/comm").read_text().strip()
            except OSError:
                continue
            if comm in known:
                running.add(comm)
        return running

    def service_log(self) -> list[str]:
        path = self.standin("log")
        return path.read_text().splitlines() if path.exists() else []


class Cluster:
    """`with Cluster(node1, node2) as cluster:` — both daemons started, always cleaned up."""

    def __init__(self, *nodes: ClusterNode, interface: str = "eth0") -> None:
        self.nodes = list(nodes)
        self.interface = interface
        self.tag = uuid.uuid4().hex[:6]
        TAGS.append(self.tag)
        self.root = Path(tempfile.mkdtemp(prefix=f"halint-cluster-{self.tag}-"))

    def __enter__(self) -> Cluster:
        try:
            self._create()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def node(self, name: str) -> ClusterNode:
        return next(n for n in self.nodes if n.name == name)

    def _create(self) -> None:
        veths = [f"hl{self.tag}{i}" for i in range(len(self.nodes))]
        _run("ip", "link", "add", veths[0], "type", "veth", "peer", "name", veths[1])
        for node, veth in zip(self.nodes, veths, strict=True):
            node.namespace = f"halint-{self.tag}-{node.name}"
            _run("ip", "netns", "add", node.namespace)
            _run("ip", "link", "set", veth, "netns", node.namespace)
            _run("ip", "-n", node.namespace, "link", "set", veth, "name", self.interface)
            _run(
                "ip",
                "-n",
                node.namespace,
                "addr",
                "add",
                f"{node.address}/24",
                "brd",
                "+",
                "dev",
                self.interface,
            )
            _run("ip", "-n", node.namespace, "link", "set", self.interface, "up")
            _run("ip", "-n", node.namespace, "link", "set", "lo", "up")
            self._prepare(node)

    def _prepare(self, node: ClusterNode) -> None:
        node.work = self.root / node.name
        shutil.copytree(PACKAGE_HA_D, node.work / "ha.d", symlinks=True)
        for name, data in node.files.items():
            (node.work / "ha.d" / name).write_bytes(data)
        os.chmod(node.work / "ha.d" / "authkeys", node.authkeys_mode)
        for name, data in (node.scripts or {}).items():
            script = node.work / "ha.d" / "resource.d" / name
            script.write_bytes(data)
            os.chmod(script, node.script_modes.get(name, 0o755))
        (node.work / "boot-services").write_text("".join(f"{s}\n" for s in node.boot_services))
        (node.work / "broken-services").write_text("".join(f"{s}\n" for s in node.broken_services))
        (node.work / "log").mkdir()
        (node.work / "run").mkdir()
        shutil.copytree(STATE_DIR, node.work / "lib", symlinks=True)

    def start(self, *names: str) -> None:
        """Start the daemons; each node runs as its own PID namespace (see cluster_node.sh)."""
        for node in self.nodes:
            if names and node.name not in names:
                continue
            (node.work / "start.rc").unlink(missing_ok=True)
            node.powered_off = False
            prefix = [f"{k}={v}" for k, v in (node.environment or {}).items()]
            node.keeper = subprocess.Popen(
                [
                    "ip",
                    "netns",
                    "exec",
                    node.namespace,
                    *(["env", *prefix] if prefix else []),
                    "unshare",
                    "-m",
                    "-u",
                    "-p",
                    "--fork",
                    "--mount-proc",
                    "--propagation",
                    "private",
                    "bash",
                    str(NODE_SCRIPT),
                    str(node.work),
                    node.hostname or node.name,
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        for node in self.nodes:
            if names and node.name not in names:
                continue
            deadline = time.monotonic() + 30
            while not (node.work / "start.rc").exists() and time.monotonic() < deadline:
                if node.keeper is not None and node.keeper.poll() is not None:
                    break
                time.sleep(0.1)

    def power_off(self, name: str) -> None:
        """What a reboot does to the cluster: every process of the node ends at once and the
        addresses Heartbeat added (its virtual IPs) are gone."""
        node = self.node(name)
        self.stop(name, signal.SIGKILL)
        if node.keeper is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                node.keeper.wait(timeout=10)
        out = _run("ip", "-n", node.namespace, "-4", "-o", "addr", "show", check=False).stdout
        for line in out.splitlines():
            fields = line.split()
            if "inet" not in fields:
                continue
            spec = fields[fields.index("inet") + 1]
            if spec.split("/")[0] != node.address:
                _run("ip", "-n", node.namespace, "addr", "del", spec, "dev", fields[1], check=False)
        node.powered_off = True

    def stop(self, name: str, sig: int = signal.SIGKILL) -> None:
        """End one node's daemons by the pids of its namespace (a crash, not a shutdown)."""
        for pid in self.node(name).pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)

    def wait_for(self, name: str, text: str, timeout: float) -> bool:
        """Wait until `text` appears in the node's log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.node(name).log():
                return True
            time.sleep(0.25)
        return False

    def close(self) -> None:
        for node in self.nodes:
            if not node.namespace:
                continue
            for pid in node.pids():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            if node.keeper is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    node.keeper.wait(timeout=10)
            _run("ip", "netns", "del", node.namespace, check=False)
        shutil.rmtree(self.root, ignore_errors=True)
