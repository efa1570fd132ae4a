"""How much `halint check` costs over its stack: Python importing click and lark and defining
one pydantic model (deferred schema), the cheapest use of the three (a bare `import pydantic` is
lazy and costs nothing).

    .venv/bin/python bench/startup.py [--runs 21] [--instructions]

Runs, alternately, `halint check --offline` on a copy of the bundled tutorial node (in a
temporary folder, so no pyproject.toml of this repository is looked at on the way) and the
floor, with the same interpreter, and prints the medians and the ratio (target: 1.15 or less).
Wall time on a shared 2-core machine swings; `--instructions` also counts the instructions of
one run of each under valgrind (callgrind), which does not depend on the machine's load, and
of the floor a second time ending as halint ends: halint freezes its objects before it exits,
which spares it the interpreter's last full collection (part of the floor's own cost); the
ratio to that second floor is what halint's modules, grammar tables and check add.

Both are measured as an installed halint runs: with its modules' bytecode on disk. An
environment that sets PYTHONDONTWRITEBYTECODE (as this project's machine does) would make an
editable install compile every module on every run; the bench unsets it and warms up first.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "tutorial" / "ha.d"
FLOOR = """
import click, lark
from pydantic import BaseModel, ConfigDict
class Span(BaseModel):
    model_config = ConfigDict(defer_build=True)
    line: int
Span.model_construct(line=1)
"""
# The floor ending as halint ends (halint/__main__.py): its objects frozen, so that the
# interpreter's last full collection does not walk them. Against this floor, the ratio is what
# halint's own modules, grammar tables and check add, and nothing else.
FLOOR_FROZEN = FLOOR + "import gc; gc.freeze()\n"
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=ENVIRONMENT
    )
    return time.perf_counter() - start


def instructions(command: list[str]) -> int | None:
    """Instructions of one run, counted by callgrind (None without valgrind)."""
    if shutil.which("valgrind") is None:
        return None
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        capture_output=True,
        text=True,
        check=False,
        env=ENVIRONMENT,
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    return int(found.group(1)) if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--instructions", action="store_true", help="also count instructions")
    args = parser.parse_args()
    halint = Path(sys.executable).with_name("halint")
    if not halint.exists():
        sys.exit(f"no halint beside {sys.executable}: install it into this venv first")
    with tempfile.TemporaryDirectory(prefix="halint-startup-") as tmp:
        node = Path(tmp) / "ha.d"
        shutil.copytree(EXAMPLE, node)
        check = [str(halint), "check", "--offline", str(node)]
        floor = [sys.executable, "-c", FLOOR]
        for _ in range(2):  # write the bytecode, warm the file cache and the grammar cache
            timed(check)
            timed(floor)
        check_times, floor_times = [], []
        for _ in range(args.runs):
            check_times.append(timed(check))
            floor_times.append(timed(floor))
        check_ms = statistics.median(check_times) * 1000
        floor_ms = statistics.median(floor_times) * 1000
        print(f"halint check (tutorial node):        {check_ms:7.1f} ms (median of {args.runs})")
        print(f"click, lark and one pydantic model:  {floor_ms:7.1f} ms (median of {args.runs})")
        print(f"ratio: {check_ms / floor_ms:.2f} (target 1.15 or less)")
        if args.instructions:
            counted_check, counted_floor = instructions(check), instructions(floor)
            counted_frozen = instructions([sys.executable, "-c", FLOOR_FROZEN])
            if counted_check and counted_floor and counted_frozen:
                print(f"instructions: halint check {counted_check / 1e6:7.1f} M")
                print(f"              the floor    {counted_floor / 1e6:7.1f} M")
                print(f"ratio: {counted_check / counted_floor:.3f} (target 1.15 or less)")
                frozen_ratio = counted_check / counted_frozen
                print(f"              the floor, frozen at exit {counted_frozen / 1e6:7.1f} M")
                print(f"ratio: {frozen_ratio:.3f} (what halint adds: 1.15 or less)")
            else:
                print("instructions: valgrind is not installed")


if __name__ == "__main__":
    main()
