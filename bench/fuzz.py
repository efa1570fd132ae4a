"""The fuzz campaign, run long: the property tests/test_fuzz.py holds for a few hundred examples,
here for as many as asked (two thirds configurations, one third logs).

    .venv/bin/python bench/fuzz.py [--examples 10000] [--seed 0] [--out DIR]

Each configuration example runs `halint check` in every format offline and in JSON live; each
log example runs `halint diagnose` in every format (in-process: the figures leave out Python's
start-up). A failure (an internal error, a traceback, an exit other than 0/1/2, invalid JSON or
SARIF, a canary key in an output, a run past the watchdog) does not stop the campaign: every
example runs, then each kind of failure is shrunk (Hypothesis looks for the smallest case that
fails the same way), printed, and written under --out as a node folder or log with an
expect.toml: copy it into tests/fixtures/fuzz/ once fixed. Then the slowest runs, timed again
with the command line, and how many took over 2 s.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import seed as fixed_seed
from hypothesis.errors import NoSuchExample
from hypothesis.strategies import SearchStrategy

from tests.fuzzing import (
    ConfigCase,
    Failure,
    LogCase,
    Timed,
    Timings,
    check_case,
    config_cases,
    diagnose_case,
    log_cases,
    write_log,
    write_node,
)

SLOW = 2.0


class Campaign:
    """Every example run; each kind of failure kept with the first case that showed it (then,
    in `shrink`, with the smallest case Hypothesis finds that fails the same way)."""

    def __init__(self) -> None:
        self.timings = Timings()
        self.calls = 0
        self.failed = 0
        self.failures: dict[str, tuple[ConfigCase | LogCase, Failure]] = {}

    def run(self, case: ConfigCase | LogCase, timed: bool = True) -> Failure | None:
        self.calls += 1
        with tempfile.TemporaryDirectory(prefix="halint-fuzz-") as tmp:
            try:
                if isinstance(case, ConfigCase):
                    check_case(case, Path(tmp) / "ha.d", self.timings if timed else None)
                else:
                    diagnose_case(case, Path(tmp), self.timings if timed else None)
            except Failure as failure:
                return failure
        return None

    def explore(self, strategy: SearchStrategy[Any], examples: int, seed: int) -> None:
        """Run `examples` cases, failing or not: a failure does not end the campaign."""

        @fixed_seed(seed)
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def prop(case: ConfigCase | LogCase) -> None:
            failure = self.run(case)
            if failure is not None:
                self.failed += 1
                self.failures.setdefault(kind_of(failure), (case, failure))

        prop()

    def shrink(self, strategy: SearchStrategy[Any], kind: str) -> None:
        """The smallest case Hypothesis finds that fails as `kind` does."""

        def fails_so(case: ConfigCase | LogCase) -> bool:
            failure = self.run(case, timed=False)
            if failure is not None and kind_of(failure) == kind:
                self.failures[kind] = (case, failure)
                return True
            return False

        # Not found again: the case the exploration met is kept as it was.
        with contextlib.suppress(NoSuchExample):
            find(
                strategy,
                fails_so,
                settings=settings(
                    max_examples=2000,
                    deadline=None,
                    database=None,
                    suppress_health_check=list(HealthCheck),
                ),
            )


def kind_of(failure: Failure) -> str:
    """What tells two failures apart: their class and what the message says past the
    command (which names a temporary folder)."""
    said = re.sub(r"/\S*halint-fuzz-\S*", "", str(failure))
    said = said.split(": ", 1)[-1]
    return f"{type(failure).__name__}: {re.sub(r'[0-9]+', 'N', said)[:70]}"


def keep(out: Path, index: int, case: ConfigCase | LogCase, failure: Failure) -> Path:
    folder = out / f"{index:03d}-{type(failure).__name__}"
    shutil.rmtree(folder, ignore_errors=True)
    if isinstance(case, ConfigCase):
        write_node(case, folder)
    else:
        folder.mkdir(parents=True)
        write_log(case, folder / "ha-log")
    import json

    # JSON strings are TOML basic strings: whatever the message holds stays valid.
    why = json.dumps(f"{type(failure).__name__}: {case.describe()}")
    (folder / "expect.toml").write_text(
        f"why = {why}\nsaid = {json.dumps(str(failure))}\n"
        'rules = []  # the rules that must report it, once fixed\nexit = 1\nmode = "both"\n'
    )
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "halint-fuzz")
    options = parser.parse_args()
    gc.set_threshold(100_000, 50, 1000)  # as halint's own entry point runs
    shutil.rmtree(options.out, ignore_errors=True)
    campaign = Campaign()
    started = time.perf_counter()
    logs = options.examples // 3
    campaign.explore(config_cases(), options.examples - logs, options.seed)
    campaign.explore(log_cases(), logs, options.seed)
    explored, elapsed = campaign.calls, time.perf_counter() - started
    for kind, (case, _) in list(campaign.failures.items()):
        campaign.shrink(config_cases() if isinstance(case, ConfigCase) else log_cases(), kind)

    runs = len(campaign.timings.seconds)
    print(
        f"{explored} examples ({explored - logs} configurations, {logs} logs; seed "
        f"{options.seed}): {runs} halint runs in {elapsed:.0f} s, then "
        f"{campaign.calls - explored} more to shrink the failures"
    )
    print(
        f"failing examples: {campaign.failed}, of {len(campaign.failures)} kinds "
        "(each below as the smallest case found that fails the same way)"
    )
    for index, (case, failure) in enumerate(campaign.failures.values()):
        folder = keep(options.out, index, case, failure)
        print(f"  {type(failure).__name__}: {failure}")
        print(f"    reproducer: {case.describe()}")
        print(f"    written to {folder}")
    over = slowest_cases(campaign.timings, options.out)
    sys.exit(1 if campaign.failures or over else 0)


def slowest_cases(timings: Timings, out: Path) -> int:
    """The slowest runs in-process, timed again as a user runs them: a new `python -m halint`
    each (start-up included), on the case written out. Returns how many took over SLOW."""
    print(
        f"in-process: median {statistics.median(timings.seconds):.3f} s a run, "
        f"{sum(1 for t in timings.seconds if t > SLOW)} over {SLOW:.0f} s"
    )
    seen: set[int] = set()
    picked: list[Timed] = []
    for timed in timings.ranked():
        if id(timed.case) not in seen:
            seen.add(id(timed.case))
            picked.append(timed)
        if len(picked) == 10:
            break
    over = 0
    print("the 10 slowest cases, each run again by the command line:")
    for timed in picked:
        with tempfile.TemporaryDirectory(prefix="halint-slow-") as tmp:
            if isinstance(timed.case, ConfigCase):
                target = write_node(timed.case, Path(tmp) / "ha.d")
            else:
                target = write_log(timed.case, Path(tmp) / "ha-log")
            args = [*timed.args[:-1], str(target)]
            began = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "halint", *args],
                capture_output=True,
                timeout=120,
                check=False,
                cwd=tmp,
            )
            took = time.perf_counter() - began
        over += took > SLOW
        print(f"  {took:5.2f} s (in-process {timed.seconds:5.2f} s)  halint {' '.join(args[:-1])}")
        print(f"      {timed.case.describe()[:160]}")
    return over


if __name__ == "__main__":
    main()
