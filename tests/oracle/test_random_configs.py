"""Random configurations, fixed seeds: halint against the real Heartbeat 3.0.6 on what nobody
wrote by hand (random_configs.py; run it with other seeds to look for more)."""

from __future__ import annotations

import pytest

from tests.oracle.heartbeat import unavailable_reason
from tests.oracle.random_configs import FAMILIES, generate, run

pytestmark = pytest.mark.oracle
PER_FAMILY = 15


def test_the_families_make_distinct_configurations() -> None:
    for family in FAMILIES:
        cases = generate(family, 1, PER_FAMILY)
        assert len({(c.hacf, c.authkeys, c.haresources, c.node, c.interfaces) for c in cases}) > 10
        assert generate(family, 1, PER_FAMILY) == cases  # a seed gives the same configurations


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_random_configurations_agree_with_heartbeat(family: str) -> None:
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"oracle tests skipped: {reason}")
    problems = [
        f"{o.case.name}: {o.problem}\n{o.case.hacf.decode('utf-8', 'replace')}"
        for o in run(generate(family, 1, PER_FAMILY))
        if o.problem
    ]
    assert not problems, "\n\n".join(problems)
