"""How much a `halint check` costs over starting Python with its three libraries.

Runs, alternately, `halint check --offline` on the bundled tutorial example and
`python -c "import click, lark, pydantic"` with the same interpreter, and prints the medians and
their ratio (target: 1.3 or less). Run it with the venv's python:

    .venv/bin/python bench/startup.py [--runs 21]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "tutorial" / "ha.d"


_ONE_MODEL = """
import click, lark
from pydantic import BaseModel, ConfigDict
class Span(BaseModel):
    model_config = ConfigDict(defer_build=True)
    line: int
Span.model_construct(line=1)
"""


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    halint = Path(sys.executable).with_name("halint")
    if not halint.exists():
        sys.exit(f"no halint beside {sys.executable}: install it into this venv first")
    check = [str(halint), "check", "--offline", str(EXAMPLE)]
    baseline = [sys.executable, "-c", "import click, lark, pydantic"]
    # What the smallest pydantic model costs: `import pydantic` is lazy; defining one model
    # with one field imports BaseModel and pydantic's field machinery. Printed so the ratio can
    # be read against what no program whose models are pydantic models can avoid.
    floor = [sys.executable, "-c", _ONE_MODEL]
    timed(check)  # warm the file cache and halint's grammar cache
    timed(baseline)
    check_times, baseline_times, floor_times = [], [], []
    for _ in range(args.runs):
        check_times.append(timed(check))
        baseline_times.append(timed(baseline))
        floor_times.append(timed(floor))
    check_ms = statistics.median(check_times) * 1000
    base_ms = statistics.median(baseline_times) * 1000
    print(f"halint check (tutorial example): {check_ms:7.1f} ms (median of {args.runs})")
    print(f"import click, lark, pydantic:    {base_ms:7.1f} ms (median of {args.runs})")
    floor_ms = statistics.median(floor_times) * 1000
    print(f"...and one pydantic model:       {floor_ms:7.1f} ms (median of {args.runs})")
    print(f"ratio: {check_ms / base_ms:.2f} (target 1.3 or less)")
    print(f"floor: {floor_ms / base_ms:.2f} (the smallest pydantic model, against the baseline)")


if __name__ == "__main__":
    main()
