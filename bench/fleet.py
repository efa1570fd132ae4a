"""A fleet in one repository: N two-node clusters in one tree, checked in one run.

    python bench/fleet.py [--clusters 1000] [--separate 50]

Writes N clusters (`fleet/site-NNN/{a,b}/ha.d`, every tenth with a node whose authkeys was
changed on one side only) and prints:
- the time and peak memory of `halint check --offline TREE` on 100 clusters and on N (memory
  must stay flat in N: nothing of a cluster is kept once it is reported);
- the time of separate `halint check --offline site-NNN` runs, one per cluster (measured on
  `--separate` of them and scaled to N), which is what a fleet costs without discovery;
- whether the output streams: how long until the first cluster's report is on the pipe.
Goal on a 2-core machine: 1,000 clusters in at most 20 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HALINT = [sys.executable, "-m", "halint"]
HACF = """logfile /var/log/ha-log
keepalive 2
deadtime 30
warntime 10
initdead 60
udpport 694
ucast eth0 {peer}
ucast eth1 {peer2}
auto_failback on
node {a}
node {b}
"""


def write_fleet(root: Path, clusters: int) -> None:
    for index in range(clusters):
        site = root / f"site-{index:04d}"
        a, b = f"web{index}a", f"web{index}b"
        for name, last in ((a, 2), (b, 1)):
            folder = site / name / "ha.d"
            folder.mkdir(parents=True)
            third = f"{index // 250}.{index % 250}"
            (folder / "ha.cf").write_text(
                HACF.format(
                    peer=f"10.{third}.{last}", peer2=f"172.16.{index % 250}.{last}", a=a, b=b
                )
            )
            key = "c2f0a9e47b1d83a65e0c4f81"
            if index % 10 == 0 and name == b:
                key = "0000aaaa1111bbbb2222cccc"  # changed on one node only
            (folder / "authkeys").write_text(f"auth 1\n1 sha1 {key}\n")
            os.chmod(folder / "authkeys", 0o600)
            (folder / "haresources").write_text(f"{a} IPaddr::10.9.{index % 250}.100/24/eth0\n")


def timed(command: list[str]) -> tuple[float, float, float, int]:
    """Wall time, time to the first output line, peak RSS in MiB, lines printed."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    first = None
    lines = 0
    for _ in process.stdout:
        if first is None:
            first = time.perf_counter() - started
        lines += 1
    _, _, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    return elapsed, first or elapsed, usage.ru_maxrss / 1024, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=1000)
    parser.add_argument("--separate", type=int, default=50, help="separate runs to time")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="halint-fleet-"))
    try:
        small = work / "small"
        write_fleet(small, min(100, args.clusters))
        fleet = work / "fleet"
        write_fleet(fleet, args.clusters)
        for label, tree, count in (
            ("100 clusters", small, min(100, args.clusters)),
            (f"{args.clusters} clusters", fleet, args.clusters),
        ):
            elapsed, first, rss, lines = timed([*HALINT, "check", "--offline", str(tree)])
            print(
                f"one run, {label:>15}: {elapsed:6.2f} s ({elapsed / count * 1000:.1f} ms per "
                f"cluster), first line after {first:.2f} s, peak RSS {rss:.1f} MiB, "
                f"{lines} lines"
            )
        sample = sorted(fleet.iterdir())[: args.separate]
        started = time.perf_counter()
        for site in sample:
            subprocess.run(
                [*HALINT, "check", "--offline", str(site)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
        each = (time.perf_counter() - started) / len(sample)
        print(
            f"separate runs: {each * 1000:.0f} ms per cluster, {each * args.clusters:.1f} s for "
            f"{args.clusters} clusters (measured on {len(sample)})"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
