"""The fuzz campaign as the suite runs it: a fixed seed, a few hundred examples (the real
configurations and logs of the corpus, mutated, with canary keys), well under a minute.
`python bench/fuzz.py --examples 10000` runs the same property longer."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

from tests.fuzzing import ConfigCase, LogCase, check_case, config_cases, diagnose_case, log_cases

CAMPAIGN = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)


@seed(13)
@CAMPAIGN
@given(case=config_cases())
def test_mutated_configurations_never_break_halint(case: ConfigCase) -> None:
    with tempfile.TemporaryDirectory(prefix="halint-fuzz-") as tmp:
        check_case(case, Path(tmp) / "ha.d")


@seed(13)
@settings(CAMPAIGN, max_examples=100)
@given(case=log_cases())
def test_mutated_logs_never_break_diagnose(case: LogCase) -> None:
    with tempfile.TemporaryDirectory(prefix="halint-fuzz-") as tmp:
        diagnose_case(case, Path(tmp))
