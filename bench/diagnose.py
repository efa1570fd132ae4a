"""How fast `halint diagnose` reads a large log, next to grep, and how much memory it needs.

Writes two logs, in time order, and times each:

- a busy syslog (--size MB, default 500): Heartbeat's own chatter, late heartbeats,
  authentication floods, resource scripts, and other daemons' lines (84% of them: diagnose
  skips those in C);
- an ha-log of a flapping cluster (--flapping-size MB, default 300), where every line is
  Heartbeat's: links going dead and up, status updates, `rc.d/status` runs, late heartbeats,
  lost packets, takeovers;

    halint diagnose --format json <log>
    grep -cE '<the signatures' needles>' <log>

and prints MB/s for both, their ratio (target: halint at least 1/8 of grep on each log), the
CPU seconds of each (user and system time of the process and of the workers it waited for:
on a machine shared with other jobs, the figure that depends least on them) and their ratio,
and the peak memory of all of halint's processes together (the reader and its workers, sampled
every 20 ms: the sum of their RSS, and of their PSS, which counts the pages forked workers
share once). Each is run --runs times, alternately; the medians are compared, the highest
peaks shown.

    .venv/bin/python bench/diagnose.py [--size 500] [--flapping-size 300] [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

NEEDLES = (
    "Late heartbeat|is dead|Link .* dead|authtoken does not match|Return code|"
    "Giving up|Cannot locate|Dispatch function|Configuration error|We are dead|"
    "respawning too fast|Both machines own|returning after partition|"
    "Acquiring resource group|Releasing resource group|Taking over"
)

DAEMON = [
    (2, "info: Status update for node {peer}: status active"),
    (30, "WARN: 1 lost packet(s) for [{peer}] [{n}:{m}]"),
    (30, "info: No pkts missing from {peer}!"),
    (20, "info: glib: ucast: write socket priority set to IPTOS_LOWDELAY on eth0"),
    (10, "info: Local status now set to: 'active'"),
    (12, "WARN: Late heartbeat: Node {peer}: interval {ms} ms"),
    (
        6,
        "WARN: Gmain_timeout_dispatch: Dispatch function for send local status was delayed "
        "{ms} ms (> 1010 ms) before being called (GSource: 0x1b4e2c8)",
    ),
    (6, "ERROR: authtoken does not match, authtoken=1 5d41402abc4b2a76, authstr=1 7d79302a9c"),
    (2, "info: Link {peer}:eth1 dead."),
    (2, "info: Link {peer}:eth1 up."),
    (1, "WARN: node {peer}: is dead"),
    (1, "info: Resources being acquired from {peer}."),
]
SCRIPTS = [
    (8, "harc(default)[{pid}]:    info: Running /etc/ha.d//rc.d/status status"),
    (
        3,
        "ResourceManager(default)[{pid}]:    info: Acquiring resource group: node1 "
        "IPaddr2::192.168.0.100/24/eth0 nginx",
    ),
    (
        3,
        "ResourceManager(default)[{pid}]:    info: Running /etc/ha.d//resource.d/IPaddr2 "
        "192.168.0.100/24/eth0 start",
    ),
    (1, "ResourceManager(default)[{pid}]:    ERROR: Return code 1 from /etc/init.d/nginx"),
    (
        2,
        "ResourceManager(default)[{pid}]:    info: Releasing resource group: node1 "
        "IPaddr2::192.168.0.100/24/eth0 nginx",
    ),
]
OTHERS = [
    "kernel: [{n}.{m}] e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: None",
    "sshd[{pid}]: Accepted publickey for root from 10.0.0.{m} port {n} ssh2: RSA SHA256:abc",
    "CRON[{pid}]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
    'nginx[{pid}]: 10.1.2.{m} - - "GET /index.html HTTP/1.1" 200 612 "-" "curl/7.88"',
    "systemd[1]: Started Session {n} of user root.",
    "postfix/smtpd[{pid}]: connect from unknown[10.9.8.{m}]",
]


# The flapping cluster's ha-log: every line is Heartbeat's (weights per 1000 lines).
FLAPPING = [
    (150, "daemon", "info: Status update for node {peer}: status active"),
    (200, "script", "harc(default)[{pid}]:    info: Running /etc/ha.d//rc.d/status status"),
    (150, "daemon", "WARN: Late heartbeat: Node {peer}: interval {ms} ms"),
    (90, "daemon", "info: Link {peer}:eth{i} dead."),
    (90, "daemon", "info: Link {peer}:eth{i} up."),
    (90, "daemon", "WARN: 1 lost packet(s) for [{peer}] [{n}:{m}]"),
    (90, "daemon", "info: No pkts missing from {peer}!"),
    (60, "daemon", "info: Local status now set to: 'active'"),
    (40, "daemon", "info: Status update for node {peer}: status up"),
    (20, "daemon", "WARN: node {peer}: is dead"),
    (10, "daemon", "info: Resources being acquired from {peer}."),
    (
        10,
        "script",
        "ResourceManager(default)[{pid}]:    info: Acquiring resource group: node1 "
        "IPaddr2::192.168.0.100/24/eth0 nginx",
    ),
    (
        10,
        "script",
        "ResourceManager(default)[{pid}]:    info: Releasing resource group: node1 "
        "IPaddr2::192.168.0.100/24/eth0 nginx",
    ),
]


def write_flapping(path: Path, megabytes: int, seed: int = 11) -> None:
    """An ha-log of a cluster whose links flap: every line one Heartbeat writes. As in a real
    log, each node's daemon keeps its pid, and each script run has a new one."""
    rng = random.Random(seed)
    daemon_pid = {"node1": 3021, "node2": 3107}
    weights = [w for w, _, _ in FLAPPING]
    clock = datetime(2026, 11, 1, 0, 0, 0)
    target = megabytes * 1024 * 1024
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < target:
            lines = []
            for _ in range(2000):
                clock += timedelta(milliseconds=rng.randint(1, 300))
                host = rng.choice(("node1", "node2"))
                values = {
                    "peer": "node2" if host == "node1" else "node1",
                    "n": rng.randint(1, 99999),
                    "m": rng.randint(1, 254),
                    "ms": rng.randint(2000, 9000),
                    "pid": rng.randint(100, 65000),
                    "i": rng.randint(0, 1),
                }
                _, shape, text = rng.choices(FLAPPING, weights)[0]
                text = text.format(**values)
                if shape == "daemon":
                    lines.append(
                        f"{clock:%b %d %H:%M:%S} {host} heartbeat: [{daemon_pid[host]}]: {text}"
                    )
                else:
                    lines.append(f"{clock:%Y/%m/%d_%H:%M:%S}  {text}")
            chunk = "\n".join(lines) + "\n"
            out.write(chunk)
            written += len(chunk)


def write_log(path: Path, megabytes: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    daemon_weights = [w for w, _ in DAEMON]
    script_weights = [w for w, _ in SCRIPTS]
    clock = datetime(2026, 11, 1, 0, 0, 0)
    target = megabytes * 1024 * 1024
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < target:
            lines = []
            for _ in range(2000):
                clock += timedelta(milliseconds=rng.randint(1, 400))
                host = rng.choice(("node1", "node2"))
                peer = "node2" if host == "node1" else "node1"
                values = {
                    "peer": peer,
                    "n": rng.randint(1, 99999),
                    "m": rng.randint(1, 254),
                    "ms": rng.randint(2000, 9000),
                    "pid": rng.randint(100, 65000),
                }
                kind = rng.random()
                if kind < 0.45:
                    text = rng.choice(OTHERS).format(**values)
                    lines.append(f"{clock:%b %d %H:%M:%S} {host} {text}")
                elif kind < 0.93:
                    text = rng.choices(DAEMON, daemon_weights)[0][1].format(**values)
                    lines.append(
                        f"{clock:%b %d %H:%M:%S} {host} heartbeat: [{values['pid']}]: {text}"
                    )
                else:
                    text = rng.choices(SCRIPTS, script_weights)[0][1].format(**values)
                    lines.append(f"{clock:%Y/%m/%d_%H:%M:%S}  {text}")
            chunk = "\n".join(lines) + "\n"
            out.write(chunk)
            written += len(chunk)


def _tree(root: int) -> list[int]:
    """The process and its descendants (the reader's forked workers)."""
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    todo += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return pids


def _memory(pids: list[int]) -> tuple[int, int]:
    """(RSS, PSS) of these processes together, in KiB."""
    rss = pss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue
    return rss, pss


def timed(command: list[str]) -> tuple[float, float, int, int]:
    """Wall time, CPU time (user + system of the process and of the workers it waited for:
    on a shared machine the figure that does not depend on what else runs), and the peak
    memory (KiB: RSS and PSS summed over the process and its workers, sampled every 20 ms) of
    one command. Output goes to a real file: GNU grep stops at the first match when its output
    is /dev/null."""
    start = time.perf_counter()
    peak_rss = peak_pss = 0
    with tempfile.TemporaryFile() as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            rss, pss = _memory(_tree(process.pid))
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.02)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        sys.exit(f"{command[0]} failed")
    return elapsed, usage.ru_utime + usage.ru_stime, peak_rss, peak_pss


def measure(name: str, log: Path, halint: Path, runs: int) -> float:
    size_mb = log.stat().st_size / 1e6
    timed(["grep", "-c", "x", str(log)])  # warm the page cache
    grep_runs, halint_runs, grep_cpu, halint_cpu, rss_peaks, pss_peaks = [], [], [], [], [], []
    for _ in range(runs):  # alternating, so a busy moment of the machine hits both
        grep_time, grep_cpu_s, _, _ = timed(["grep", "-cE", NEEDLES, str(log)])
        grep_runs.append(grep_time)
        grep_cpu.append(grep_cpu_s)
        halint_time, halint_cpu_s, rss, pss = timed(
            [str(halint), "diagnose", "--format", "json", "--exit-zero", str(log)]
        )
        halint_runs.append(halint_time)
        halint_cpu.append(halint_cpu_s)
        rss_peaks.append(rss)
        pss_peaks.append(pss)
    grep_s, halint_s = statistics.median(grep_runs), statistics.median(halint_runs)
    grep_c, halint_c = statistics.median(grep_cpu), statistics.median(halint_cpu)
    ratio = grep_s / halint_s
    print(f"{name}")
    print(f"  log:        {size_mb:8.1f} MB")
    print(
        f"  grep -cE:   {size_mb / grep_s:8.1f} MB/s ({grep_s:.2f} s, {grep_c:.2f} s CPU, "
        f"median of {runs})"
    )
    print(
        f"  halint:     {size_mb / halint_s:8.1f} MB/s ({halint_s:.2f} s, {halint_c:.2f} s CPU "
        f"of all processes, median of {runs})"
    )
    print(f"  ratio:      {ratio:8.3f} of grep's throughput (target >= 0.125)")
    print(f"  CPU ratio:  {grep_c / max(halint_c, 1e-9):8.3f} of grep's MB per CPU second")
    print(
        f"  memory:     {max(rss_peaks) / 1024:8.1f} MiB RSS, {max(pss_peaks) / 1024:.1f} MiB PSS, "
        "all processes together at their peak",
        flush=True,
    )
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=500, help="busy syslog, MB (default 500)")
    parser.add_argument(
        "--flapping-size", type=int, default=300, help="flapping ha-log, MB (default 300)"
    )
    parser.add_argument("--keep", type=Path, help="write the logs into this folder and keep them")
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    args = parser.parse_args()
    halint = Path(sys.executable).with_name("halint")
    if not halint.exists():
        sys.exit(f"no halint beside {sys.executable}: install it into this venv first")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="halint-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    logs = [
        ("busy syslog (16% Heartbeat's lines)", folder / "syslog", write_log, args.size),
        (
            "flapping cluster's ha-log (all Heartbeat's)",
            folder / "ha-log",
            write_flapping,
            args.flapping_size,
        ),
    ]
    for name, log, write, size in logs:
        if size <= 0:
            continue
        print(f"writing a {size} MB log to {log} ...", flush=True)
        write(log, size)
        measure(name, log, halint, args.runs)
        if not args.keep:
            log.unlink()
    if not args.keep:
        os.rmdir(folder)


if __name__ == "__main__":
    main()
