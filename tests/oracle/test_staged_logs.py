"""Stage some failures afresh on a real two-node cluster and diagnose the logs the daemons
just wrote — the same assertions as for the committed fixtures (tests/test_diagnose.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.oracle.heartbeat import unavailable_reason
from tests.oracle.stage_logs import stage
from tests.test_diagnose import SCENARIOS, diagnose

pytestmark = pytest.mark.oracle
# a crash, a stop and its failback, a first start alone: what happened, not the worst reading
FRESH = (
    "dead-peer",
    "tutorial-failover",
    "planned-stop",
    "first-start-alone",
    "different-authkeys",
    "late-heartbeat",
    "startup-authkeys-644",
)


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"staging real logs skipped: {reason}")
    out = tmp_path_factory.mktemp("staged")
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda name: stage(name, out), FRESH))
    return out


@pytest.mark.parametrize("scenario", FRESH)
def test_fresh_logs_are_diagnosed(staged: Path, scenario: str) -> None:
    folder = staged / scenario
    SCENARIOS[scenario](diagnose(str(folder / "node1.log"), str(folder / "node2.log")))
