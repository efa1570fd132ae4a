"""The reproducers of hostile inputs (tests/fixtures/hostile/*, and what the fuzz campaign
found, tests/fixtures/fuzz/*): each is a node's ha.d (or an ha-log) with an expect.toml saying
what it once did (`why`) and which rules must now report it. Every command and format runs on
each, offline and live: no internal error, valid JSON and SARIF, and no canary anywhere."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.outputs import check_runs, diagnose_runs, problems, staged

CASES = sorted(p for kind in ("hostile", "fuzz") for p in (FIXTURES / kind).glob("*") if p.is_dir())


def test_there_are_reproducers() -> None:
    assert len([c for c in CASES if c.parent.name == "hostile"]) >= 10


@pytest.mark.parametrize("fixture", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_reproducer_is_a_finding_in_every_format(fixture: Path, tmp_path: Path) -> None:
    expect = tomllib.loads((fixture / "expect.toml").read_text())
    if (fixture / "ha-log").exists():  # a log: every format of diagnose
        runs = diagnose_runs([fixture / "ha-log"])
        said = {run.args[4]: run.stdout for run in runs}
        assert all(rule in said["text"] for rule in expect.get("rules", [])), said["text"]
    else:
        folder = staged(fixture, tmp_path)
        runs = check_runs(folder, None if expect.get("mode") == "offline" else "node1")
    assert not problems(runs), "\n".join(problems(runs))
    for run in runs:
        assert run.code == expect.get("exit", 1), f"{run.args}: exit {run.code}\n{run.stderr}"
        if run.findings:
            found = {f["rule"] for f in run.findings}
            assert set(expect.get("rules", [])) <= found, f"{run.args}: {sorted(found)}"
