"""Run the real Heartbeat 3.0.6 on a configuration, in private namespaces, and read its verdict.

The daemon is the judge of what halint claims about a configuration (see
shared/reference/oracle.md). Each run gets its own mount, UTS, network and PID namespaces
(`unshare`), a copy of the package's /etc/ha.d with the files under test, fresh /var/log, /run
and /var/lib/heartbeat, the node name under test and the interfaces the case asks for. When the
namespace's first process ends, every process in it ends too: no daemon is left behind.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

DAEMON = Path("/usr/libexec/heartbeat/heartbeat")
SCRIPT = Path(__file__).with_name("run_heartbeat.sh")
_LOG_LINE = re.compile(r"heartbeat: \[\d+\]: (EMERG|ALERT|CRIT|ERROR|WARN|notice|info|debug): (.*)")


def unavailable_reason() -> str | None:
    """Why the oracle cannot run here, or None when it can."""
    if not DAEMON.exists():
        return "the real heartbeat is not installed (apt-get install -y heartbeat)"
    if os.geteuid() != 0:
        return "running Heartbeat in private namespaces needs root"
    for tool in ("unshare", "ip", "timeout"):
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed"
    return None


@dataclass
class Verdict:
    exit_code: int
    alive: bool
    stderr: str
    log: str
    messages: list[tuple[str, str]] = field(default_factory=list)  # (level, text)

    @property
    def hung(self) -> bool:
        """True when the start did not return in time (`timeout` killed it): no start either."""
        return self.exit_code == 124

    @property
    def crashed(self) -> bool:
        """True when the daemon died of a signal as it started (more media than its table
        holds: a segmentation fault): a refusal that logs nothing."""
        return self.exit_code > 128 and not self.hung

    @property
    def refused(self) -> bool:
        """True when Heartbeat refused to start (it exits 6, or 4 on a permission error)."""
        return self.exit_code != 0

    @property
    def validated(self) -> bool:
        return any("Configuration validated" in text for _, text in self.messages)

    def errors(self) -> list[str]:
        return [text for level, text in self.messages if level in ("ERROR", "CRIT", "EMERG")]

    def first_error(self) -> str | None:
        """The first error line that may explain a refusal."""
        return next(iter(self.explaining_errors()), None)

    def explaining_errors(self) -> list[str]:
        """The error lines that may explain a refusal (lines logged on every start, and
        nice_failback's ERROR-level notes, explain nothing)."""
        ignored = (
            "Cannot lock ourselves into memory",
            "nice_failback",
            "'nice_failback",
            "ERROR: nice_failback",
            "Consider converting",
            "When you do, then",
            "See documentation",
            "Cannot open watchdog device",
        )
        return [text for text in self.errors() if not text.startswith(ignored)]


def write_config(
    folder: Path,
    files: dict[str, bytes],
    authkeys_mode: int = 0o600,
    scripts: dict[str, bytes] | None = None,
    script_mode: int = 0o755,
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    if "authkeys" in files:
        os.chmod(folder / "authkeys", authkeys_mode)
    if scripts:
        (folder / "resource.d").mkdir(exist_ok=True)
        for name, data in scripts.items():
            path = folder / "resource.d" / name
            path.write_bytes(data)
            os.chmod(path, script_mode)


def run_heartbeat(
    folder: Path,
    node: str,
    interfaces: tuple[str, ...] = (),
    wait: float = 0.5,
    timeout: float = 40.0,
    accounts: bool = True,
    ocf_agents: bool = True,
) -> Verdict:
    """Start Heartbeat once on the files in `folder` as host `node`; return what it did.
    `accounts=False` runs it on a host without the hacluster user and haclient group,
    `ocf_agents=False` on one without resource-agents' OCF agents."""
    command = [
        "unshare",
        "-m",
        "-u",
        "-n",
        "-p",
        "--fork",
        "--mount-proc",
        "--propagation",
        "private",
        "bash",
        str(SCRIPT),
        str(folder),
        node,
        str(wait),
        *interfaces,
    ]
    env = dict(os.environ)
    if not accounts:
        env["HALINT_ORACLE_NO_ACCOUNTS"] = "1"
    if not ocf_agents:
        env["HALINT_ORACLE_NO_OCF"] = "1"
    result = subprocess.run(
        command, capture_output=True, timeout=timeout, check=False, env=env, cwd=folder
    )
    out = result.stdout.decode("utf-8", "replace")
    code_match = re.search(r"HALINT-ORACLE-RC (\d+)", out)
    if code_match is None:
        raise RuntimeError(f"the oracle script did not run: {result.stderr.decode()[-500:]}")
    alive = "HALINT-ORACLE-ALIVE yes" in out
    stderr = out.split("HALINT-ORACLE-STDERR\n", 1)[-1].split("HALINT-ORACLE-LOGS\n", 1)[0]
    log = out.split("HALINT-ORACLE-LOGS\n", 1)[-1]
    messages = [(m.group(1), m.group(2)) for m in _LOG_LINE.finditer(stderr + "\n" + log)]
    return Verdict(int(code_match.group(1)), alive, stderr, log, messages)


def judge(
    files: dict[str, bytes],
    node: str,
    interfaces: tuple[str, ...],
    authkeys_mode: int = 0o600,
    scripts: dict[str, bytes] | None = None,
    script_mode: int = 0o755,
    accounts: bool = True,
    ocf_agents: bool = True,
) -> Verdict:
    with tempfile.TemporaryDirectory(prefix="halint-case-") as tmp:
        folder = Path(tmp) / "ha.d"
        write_config(folder, files, authkeys_mode, scripts, script_mode)
        return run_heartbeat(folder, node, interfaces, accounts=accounts, ocf_agents=ocf_agents)
