"""halint against the real Heartbeat 3.0.6: a blocks_start finding exactly when it refuses."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from halint.engine import check_node
from halint.hostfacts import live
from halint.node import load_node
from tests.oracle.cases import CASES, Case
from tests.oracle.heartbeat import Verdict, judge, unavailable_reason, write_config

pytestmark = pytest.mark.oracle


@pytest.fixture(scope="module")
def verdicts() -> dict[str, Verdict]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"oracle tests skipped: {reason}")

    def run(case: Case) -> tuple[str, Verdict]:
        return case.name, judge(
            case.files(), case.node, case.interfaces, case.authkeys_mode, case.scripts
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(run, CASES))


def halint_findings(case: Case, tmp_path: Path):
    folder = tmp_path / "ha.d"
    write_config(folder, case.files(), case.authkeys_mode, case.scripts, case.script_mode)
    loaded = load_node(folder)
    return check_node(loaded, live(case.node, addresses=case.addresses()))


def test_cases_are_many_and_distinct() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    assert len(names) >= 40


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_blocks_start_agrees_with_heartbeat(
    case: Case, verdicts: dict[str, Verdict], tmp_path: Path
) -> None:
    verdict = verdicts[case.name]
    findings = halint_findings(case, tmp_path)
    blocking = [f"{f.rule} {f.path}:{f.line}: {f.message}" for f in findings if f.blocks_start]
    said = verdict.first_error() or "(no error)"
    if verdict.refused:
        assert blocking, f"Heartbeat refused to start ({said}) but halint found nothing blocking"
    else:
        assert not blocking, f"Heartbeat started, but halint says it would not: {blocking}"


# What the daemon's first error says -> the rules that say the same (one must be blocking).
VALUE_RULES = {"HL100", "HL101", "HL102", "HL103", "HL104", "HL132", "HL162"}
FIRST_ERROR_RULES: list[tuple[str, set[str]]] = [
    ("Illegal directive", {"HL100", "HL101"}),
    ("Heartbeat not started: configuration error.", VALUE_RULES),
    ("Illegal bcast", {"HL605"}),
    ("IP interface [", {"HL605"}),
    ("Get broadcast for interface", {"HL605"}),
    ("mcast device [", {"HL605"}),
    ("mcast [", {"HL103", "HL132"}),
    ("ucast: [", {"HL103"}),
    ("Log facility(", {"HL102"}),
    ("Illegal realtime priority", {"HL102"}),
    ("Illegal hb generation method", {"HL102"}),
    ("Invalid uuidfrom directive", {"HL102"}),
    ("Invalid autojoin directive", {"HL102"}),
    ("Compression module(", {"HL102"}),
    ("set_compression_threshold", {"HL102"}),
    ("Invalid max_rexmit_delay", {"HL102"}),
    ("set_traditional_compression", {"HL102"}),
    ("ha_config_check_boolean", {"HL102"}),
    ("set_env: invalid nvpair", {"HL102"}),
    ("Client child command [] is not full pathname", {"HL103"}),
    ("is not full pathname", {"HL102"}),
    ("Client child command [", {"HL603"}),
    ("Invalid uid [", {"HL102", "HL604"}),
    ("Missing uid or gid in apiauth", {"HL102", "HL103"}),
    ("Invalid apiauth directive", {"HL102", "HL103"}),
    ("Duplicate apiauth directive", {"HL104"}),
    ("No Stonith type given", {"HL103"}),
    ("Auth line [", {"HL200"}),
    ("Invalid auth line", {"HL200"}),
    ("Invalid authnum", {"HL200"}),
    ("Missing auth directive", {"HL201"}),
    ("Auth Key [", {"HL202", "HL203", "HL204", "HL209"}),
    ("LoadPlugin on", {"HL203"}),
    ("Invalid authtype", {"HL203"}),
    ("requires a key", {"HL204"}),
    ("No heartbeat media defined", {"HL130"}),
    ("no nodes defined", {"HL120"}),
    ("Current node [", {"HL602"}),
    ("Dead time [", {"HL111"}),
    ("Ping dead time [", {"HL111"}),
    ("Initial dead time [", {"HL110"}),
    ("Bad permissions on keyfile", {"HL601"}),
    ("Bad nodename in", {"HL301"}),
    ("Cannot open resources file", {"HL401"}),
    ("Cannot open keyfile", {"HL401"}),
    ("Failed to add pacemaker client child", {"HL609"}),
    ("No log entry found in ha.cf and use_logd is set to off", {"HL403"}),
    ("pacemaker/crm directive used multiple times", {"HL104"}),
    ("R1 style resource management conflicts", {"HL161"}),
    ("Nonexistent serial port", {"HL605"}),
    ("not a char device", {"HL605"}),
    ("Serial port not full pathname", {"HL102"}),
    ("Invalid user id name", {"HL613"}),
    ("Invalid group name", {"HL613"}),
    ("Invalid Stonith configuration parameter", {"HL103"}),
    ("Invalid Stonith type", {"HL614"}),
    ("Illegal ping6", {"HL102"}),
    ("Duplicate uid list", {"HL102"}),
    ("Duplicate gid list", {"HL102"}),
    ("too long", {"HL102"}),
    ("cannot resolve hostname", {"HL611", "HL102"}),
    ("unknown host", {"HL611"}),
    ("Unable to retrieve local interface address", {"HL605"}),
]


def expected_rules(first_error: str) -> set[str] | None:
    for needle, rules in FIRST_ERROR_RULES:
        if needle in first_error:
            return rules
    return None


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_first_error_heartbeat_names_is_among_the_findings(
    case: Case, verdicts: dict[str, Verdict], tmp_path: Path
) -> None:
    verdict = verdicts[case.name]
    if not verdict.refused:
        return
    said = verdict.first_error()
    assert said is not None, f"Heartbeat refused without an error line: {verdict.stderr[-400:]}"
    rules = expected_rules(said)
    assert rules is not None, f"no rule is known for Heartbeat's first error: {said!r}"
    blocking = {f.rule for f in halint_findings(case, tmp_path) if f.blocks_start}
    assert blocking & rules, f"Heartbeat said {said!r}; halint's blocking findings: {blocking}"
