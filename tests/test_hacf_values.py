"""HL102's findings on ha.cf values, beside the notes HL123 speaks of."""

from __future__ import annotations

from pathlib import Path

from halint.engine import CheckRequest, run_check
from halint.findings import Finding
from tests.test_cli import GOOD_HACF, make_node


def findings(folder: Path) -> list[Finding]:
    request = CheckRequest(paths=[str(folder)], offline=True)
    request.use_config = False
    return run_check(request).findings()


def on_line(folder: Path, line: int) -> list[tuple[str, str]]:
    return [(f.rule, f.message) for f in findings(folder) if f.line == line]


def test_a_note_after_a_value_is_one_note_one_refused_value_and_no_repeat(tmp_path: Path) -> None:
    """`udpport 694 -- the port`: HL123 says Heartbeat reads `--`, `the`, `port` as more values
    and refuses to start; HL102 names the first value refused and what Heartbeat then says,
    and neither it nor HL104 lists the note's words again."""
    hacf = GOOD_HACF.replace("keepalive 2\n", "keepalive 2\nudpport 694 -- the port\n")
    node = make_node(tmp_path / "ha.d", hacf=hacf)
    found = on_line(node, 3)
    assert sorted(rule for rule, _ in found) == ["HL102", "HL123"]
    refused = next(message for rule, message in found if rule == "HL102")
    assert refused.startswith("udpport `--`: must be 1 or more")
    assert 'Heartbeat: "heartbeat: invalid port [--] specified."' in refused
    assert "`the`" not in refused and "refuses to start" not in refused


def test_a_refused_note_without_a_message_of_its_own_says_only_what_is_wrong(
    tmp_path: Path,
) -> None:
    hacf = GOOD_HACF.replace("keepalive 2", "keepalive 2 // seconds")
    node = make_node(tmp_path / "ha.d", hacf=hacf)
    found = dict(on_line(node, 2))
    assert set(found) == {"HL102", "HL123"}
    assert found["HL102"] == (
        "keepalive `//`: not a time (a bare number is seconds, `ms` milliseconds)."
    )
    blocking = {f.rule for f in findings(node) if f.blocks_start}
    assert {"HL102", "HL123"} <= blocking


def test_values_before_a_note_are_still_several_values(tmp_path: Path) -> None:
    hacf = GOOD_HACF.replace("keepalive 2", "keepalive 1,2 // seconds")
    node = make_node(tmp_path / "ha.d", hacf=hacf)
    repeats = [message for rule, message in on_line(node, 2) if rule == "HL104"]
    assert repeats == [
        "`keepalive` has 2 values (`1`, `2`): Heartbeat applies each in turn and silently keeps "
        "the last, `2`"
    ]


def test_without_a_note_each_refused_value_is_named(tmp_path: Path) -> None:
    hacf = GOOD_HACF.replace("keepalive 2", "keepalive 2 sec onds")
    node = make_node(tmp_path / "ha.d", hacf=hacf)
    refused = [message for rule, message in on_line(node, 2) if rule == "HL102"]
    assert [m.split(":")[0] for m in refused] == ["keepalive `sec`", "keepalive `onds`"]
    assert all("Heartbeat refuses to start with only" in m for m in refused)
