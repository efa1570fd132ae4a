"""Each fact has one home: Heartbeat's own messages are quoted in the rule catalogue
(rules/HLnnn.toml, `heartbeat = [...]`) and nowhere in the code, which takes them from there."""

from __future__ import annotations

import ast
import re
import tomllib

from halint.catalogue import all_rule_ids
from halint.rulemeta import heartbeat_messages, heartbeat_says
from tests.conftest import REPO

CODE = REPO / "halint"
# Modules still being converted by work in flight (each leaves this set when it lands): none.
PENDING: set[str] = set()


def test_the_catalogue_reader_reads_what_tomllib_reads() -> None:
    for rule_id in all_rule_ids():
        with open(REPO / "rules" / f"{rule_id}.toml", "rb") as handle:
            expected = tuple(tomllib.load(handle).get("heartbeat", []))
        assert heartbeat_messages(rule_id) == expected, rule_id


def _fragments() -> dict[str, str]:
    """The fixed parts (12 characters or more) of every catalogued message, by rule."""
    found: dict[str, str] = {}
    for rule_id in all_rule_ids():
        for message in heartbeat_messages(rule_id):
            for part in re.split(r"%l?[sdi*]+", message):
                if len(part.strip()) >= 12:
                    found[part.strip()] = rule_id
    return found


def _lookups(tree: ast.AST) -> list[ast.Call]:
    """The calls by which code asks the catalogue for a message."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("heartbeat_says", "quoted", "also_quoted")
        and len(node.args) >= 2
    ]


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """String constants and f-string parts, without docstrings and without the starts of
    messages by which a rule asks the catalogue for them."""
    skipped = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    skipped |= {id(call.args[1]) for call in _lookups(tree)}
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
    ]


def test_no_heartbeat_message_is_quoted_in_the_code() -> None:
    fragments = _fragments()
    quoted: list[str] = []
    for path in sorted(CODE.rglob("*.py")):
        relative = str(path.relative_to(CODE))
        if relative in PENDING or relative == "rulemeta.py":
            continue
        for line, text in _strings(ast.parse(path.read_text(encoding="utf-8"))):
            for fragment, rule_id in fragments.items():
                if fragment in text:
                    quoted.append(f"{relative}:{line}: {fragment!r} (quote it from {rule_id})")
    assert not quoted, "\n".join(quoted)


def test_every_message_the_code_asks_for_is_in_the_catalogue() -> None:
    asked = 0
    for path in sorted(CODE.rglob("*.py")):
        for node in _lookups(ast.parse(path.read_text(encoding="utf-8"))):
            rule, start = node.args[0], node.args[1]
            if isinstance(rule, ast.Constant) and isinstance(start, ast.Constant):
                assert isinstance(rule.value, str) and isinstance(start.value, str)
                heartbeat_says(rule.value, start.value)  # raises unless exactly one matches
                asked += 1
    assert asked > 40


def test_the_readers_record_facts_and_raise_no_rule() -> None:
    """Readers translate, rules judge: a reader (halint/parsing/) names no rule ID and builds
    no finding; what it could not read is a fact (models.Misread) that a rule in checks/
    judges."""
    pending = PENDING
    raising: list[str] = []
    for path in sorted((CODE / "parsing").glob("*.py")):
        relative = str(path.relative_to(CODE))
        if relative in pending:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, text in _strings(tree):
            if re.search(r"\bHL\d{3}\b", text):
                raising.append(f"{relative}:{line}: {text!r}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in ("Problem", "Hit"):
                raising.append(f"{relative}:{node.lineno}: {node.id}")
    assert not raising, "\n".join(raising)
