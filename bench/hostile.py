"""How long `halint check` takes on pathological configurations of 1 MB (and one of 200 MB):
the shapes that once took seconds to minutes or blocked.

    .venv/bin/python bench/hostile.py [--size 1000000] [--runs 3]

Each shape is a node whose one file has the shape (the other two are the usual ones); one more
node has all three files pathological at once. Each is checked offline and live (`--node`),
--runs times, by a new `python -m halint` (start-up included); the median wall time, CPU time
and peak RSS are printed. Target: every one under 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HACF = (
    b"logfile /var/log/ha-log\nkeepalive 2\ndeadtime 30\nwarntime 10\ninitdead 60\n"
    b"ucast eth0 192.168.1.2\nauto_failback on\nnode node1\nnode node2\n"
)
AUTHKEYS = b"auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n"
HARESOURCES = b"node1 IPaddr::192.168.1.100/24/eth0\n"


def shapes(n: int) -> dict[str, tuple[str, bytes]]:
    return {
        "haresources: `x \\` continuation lines": (
            "haresources",
            b"node1 IPaddr::1.2.3.4 \\\n" + b"x \\\n" * (n // 4),
        ),
        "haresources: `::` chains": (
            "haresources",
            b"".join(b"node1 " + b"a::" * 1700 + b"a\n" for _ in range(n // 5108)),
        ),
        "haresources: distinct groups": (
            "haresources",
            b"".join(
                b"node1 IPaddr::10.0.%d.%d r%d\n" % (i // 250 % 250, i % 250, i)
                for i in range(n // 30)
            ),
        ),
        "haresources: suppressions before one group": (
            "haresources",
            b"# halint: ignore[HL303]\n" * (n // 48) + b"node1 a \\\n" * (n // 20) + b"b\n",
        ),
        "ha.cf: `node` lines": ("ha.cf", HACF + b"node web\n" * (n // 9)),
        "ha.cf: distinct env lines": (
            "ha.cf",
            HACF + b"".join(b"env A%d=1\n" % i for i in range(n // 11)),
        ),
        "ha.cf: unknown directives": ("ha.cf", b"".join(b"x%d\n" % i for i in range(n // 7))),
        "ha.cf: suppression comments": ("ha.cf", b"# halint: ignore[HL110]\n" * (n // 24) + HACF),
        "ha.cf: binary junk": ("ha.cf", bytes(range(256)) * (n // 256)),
        "authkeys: key lines": (
            "authkeys",
            b"auth 1\n" + b"".join(b"1 sha1 abcdefabcdef%d\n" % i for i in range(n // 24)),
        ),
    }


def write_node(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True)
    for name, data in {
        "ha.cf": HACF,
        "authkeys": AUTHKEYS,
        "haresources": HARESOURCES,
        **files,
    }.items():
        (folder / name).write_bytes(data)
    os.chmod(folder / "authkeys", 0o600)
    return folder


def measure(args: list[str], runs: int) -> tuple[float, float, int]:
    """Median wall and CPU time, and the highest peak RSS (KiB), each run measured alone."""
    walls, cpus, peak = [], [], 0
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "halint", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _, _, usage = os.wait4(child.pid, 0)
        child.returncode = 0  # reaped above
        walls.append(time.perf_counter() - started)
        cpus.append(usage.ru_utime + usage.ru_stime)
        peak = max(peak, usage.ru_maxrss)
    return statistics.median(walls), statistics.median(cpus), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="halint-hostile-") as tmp:
        nodes: list[tuple[str, Path]] = []
        made = shapes(options.size)
        for index, (name, (kind, data)) in enumerate(made.items()):
            nodes.append((name, write_node(Path(tmp) / f"n{index}", {kind: data})))
        nodes.append(
            (
                "all three files at once",
                write_node(
                    Path(tmp) / "all",
                    {
                        "ha.cf": made["ha.cf: unknown directives"][1],
                        "authkeys": made["authkeys: key lines"][1],
                        "haresources": made["haresources: `x \\` continuation lines"][1],
                    },
                ),
            )
        )
        huge = write_node(Path(tmp) / "huge", {})
        with open(huge / "ha.cf", "r+b") as handle:
            handle.seek(200 * 1024 * 1024)
            handle.write(b"\n")
        nodes.append(("ha.cf: 200 MB (sparse)", huge))
        print(f"{'shape':<46} {'mode':<8} {'wall':>6} {'cpu':>6} {'peak RSS':>9}")
        worst = 0.0
        for name, folder in nodes:
            for mode, flag in (("offline", ["--offline"]), ("live", ["--node", "node1"])):
                wall, cpu, peak = measure(
                    ["check", *flag, "--format", "json", str(folder)], options.runs
                )
                worst = max(worst, wall)
                print(f"{name:<46} {mode:<8} {wall:5.2f}s {cpu:5.2f}s {peak // 1024:6d} MiB")
        print(f"slowest: {worst:.2f} s (target: under 2 s)")


if __name__ == "__main__":
    main()
