"""Every rule's examples, executed: the bad ones raise the rule, the good ones do not."""

from __future__ import annotations

import pytest

from halint.catalogue import all_rule_ids as catalogue_ids
from halint.catalogue import all_rules, rule_doc
from halint.checks import all_rule_ids
from halint.examples import run_example

RULES = catalogue_ids()


def _cases(kind: str) -> list[tuple[str, int]]:
    return [(rule_id, i) for rule_id in RULES for i in range(len(getattr(rule_doc(rule_id), kind)))]


@pytest.mark.parametrize(("rule_id", "index"), _cases("bad"), ids=lambda v: str(v))
def test_bad_example_raises_the_rule(rule_id: str, index: int) -> None:
    example = rule_doc(rule_id).bad[index]
    findings = run_example(example)
    assert rule_id in {f.rule for f in findings}, [f"{f.rule}: {f.message}" for f in findings]


@pytest.mark.parametrize(("rule_id", "index"), _cases("good"), ids=lambda v: str(v))
def test_good_example_does_not_raise_the_rule(rule_id: str, index: int) -> None:
    example = rule_doc(rule_id).good[index]
    findings = [f for f in run_example(example) if f.rule == rule_id]
    assert not findings, [f.message for f in findings]


def test_every_check_has_a_catalogue_entry_and_back() -> None:
    assert all_rule_ids() == {r for r in RULES if not r.startswith("HL7")}


def test_every_log_signature_has_patterns_title_and_cause() -> None:
    for rule_id in RULES:
        doc = rule_doc(rule_id)
        if rule_id.startswith("HL7"):
            assert doc.patterns and doc.title and doc.cause, rule_id
            assert all(r in RULES for r in doc.related), rule_id
            assert all(e.log for e in doc.bad + doc.good), rule_id
        else:
            assert not doc.patterns and not doc.reasons, rule_id


def test_live_flag_matches_the_checks() -> None:
    """`live = true` in a rule's TOML is the one statement that it needs this machine: its bad
    examples raise it with the host's facts and never without them (--offline)."""
    for doc in all_rules():
        assert doc.id.startswith("HL6") == doc.live, doc.id
        if doc.id.startswith("HL7") or doc.id == "HL404":
            continue
        for example in doc.bad:
            if example.peer is not None:
                continue
            with_host = {f.rule for f in run_example(example)}
            assert doc.id in with_host, doc.id
            if doc.live:
                offline = {f.rule for f in run_example(example, offline=True)}
                assert doc.id not in offline, doc.id
    for reason in rule_doc("HL701").reasons:
        assert all(r in RULES for r in reason.rules), reason


def test_names_are_unique() -> None:
    names = [doc.name for doc in all_rules()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule_id", sorted(catalogue_ids()))
def test_the_quick_reading_of_a_rule_agrees_with_toml(rule_id: str) -> None:
    """check reads name, severity and blocks_start off a rule file's first lines, without a
    TOML parser; what it reads must be what the file says."""
    import tomllib

    from halint.resources import data_dir
    from halint.rulemeta import rule_meta

    with open(data_dir("rules") / f"{rule_id}.toml", "rb") as handle:
        raw = tomllib.load(handle)
    assert rule_meta(rule_id) == (raw["name"], raw["severity"], raw["blocks_start"])


@pytest.mark.parametrize("rule_id", RULES)
def test_explain_shows_what_tells_a_bad_example_from_a_good_one(rule_id: str) -> None:
    """What the suite runs is what `halint explain` shows: each example whole (its log, the
    other node of its cluster, the host's facts), so that no bad example reads like a good
    one and none is an empty block."""
    from halint.docs import example_block, render_rule

    doc = rule_doc(rule_id)
    shown = render_rule(rule_id)
    assert "```\n\n```" not in shown
    for example in (*doc.bad, *doc.good):
        block = example_block(example)
        assert block in shown
        lines = block.splitlines()
        for at, line in enumerate(lines):  # every node's part says something
            if line.startswith("# --- "):
                assert at + 1 < len(lines) and not lines[at + 1].startswith("# --- "), block
        for line in (example.log or "").strip().splitlines():
            assert line in block
        peer = example.peer
        for text in (peer.hacf, peer.authkeys, peer.haresources) if peer else ():
            assert text is None or text.strip() in block
    assert not {example_block(e) for e in doc.bad} & {example_block(e) for e in doc.good}


def test_a_pattern_that_is_not_counted_has_a_handler_to_read_it() -> None:
    """`counted = false` means the rule's handler reads the line; without one the Diagnoser
    would count it as a diagnosis."""
    from halint.logs.handlers import load_all
    from halint.logs.signatures import signatures

    handlers = load_all()
    uncounted = [p.rule for p in signatures().patterns if not p.counted]
    assert uncounted  # (HL724's retried stops)
    assert all(rule in handlers for rule in uncounted), uncounted
