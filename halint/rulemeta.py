"""The little of the catalogue a check run needs, read without building any validator.

A check run needs three facts of each rule it reports (name, severity, blocks_start), which sit
on the first lines of every rules/HLnnn.toml. They are read from there with one regular
expression instead of a TOML parser, which a pre-commit hook would pay for on every commit; a
test holds this reader to tomllib's reading of every rule file.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from halint.regex import compiled
from halint.resources import data_dir

# `key = "string"` or `key = true|false` on a line of the file's head (before any table or
# multi-line string).
_HEAD_VALUE = compiled(r'^(name|severity|blocks_start) = (?:"([^"\\\n]*)"|(true|false))$', re.M)


@cache
def raw_rule(rule_id: str) -> dict[str, Any]:
    """rules/<rule_id>.toml as read (the test suite validates every file as a RuleDoc)."""
    import tomllib

    with open(data_dir("rules") / f"{rule_id}.toml", "rb") as handle:
        return tomllib.load(handle)


@cache
def rule_meta(rule_id: str) -> tuple[str, str, bool | str]:
    """Name, default severity and blocks_start (true, false or "varies") of a rule."""
    text = (data_dir("rules") / f"{rule_id}.toml").read_text(encoding="utf-8")
    head = text[: min(_end(text, '"""'), _end(text, "\n["), _end(text, "\n'''"))]
    found: dict[str, bool | str] = {}
    for key, string, boolean in _HEAD_VALUE.findall(head):
        found.setdefault(key, boolean == "true" if boolean else string)
    if len(found) < 3:  # not the usual layout: read it properly
        raw = raw_rule(rule_id)
        return raw["name"], raw["severity"], raw["blocks_start"]
    return str(found["name"]), str(found["severity"]), found["blocks_start"]


def _end(text: str, marker: str) -> int:
    at = text.find(marker)
    return len(text) if at < 0 else at


# `heartbeat = ["...", "..."]` on one line of the file's head: Heartbeat's own messages, as its
# C source writes them (`%s`, `%d`, `%ld`, `%i` for what the daemon fills in).
# (pattern strings: re compiles them on first use and keeps them)
_HEARTBEAT_LINE = r"(?m)^heartbeat = \[(.*)\]$"
_TOML_STRING = r'"((?:[^"\\]|\\.)*)"'
_C_PLACEHOLDER = r"%l?[sdi]"


@cache
def heartbeat_messages(rule_id: str) -> tuple[str, ...]:
    """The messages Heartbeat logs for this rule, from its TOML (the one place they are
    quoted)."""
    text = (data_dir("rules") / f"{rule_id}.toml").read_text(encoding="utf-8")
    match = compiled(_HEARTBEAT_LINE).search(text)
    if match is None:
        return ()
    found = compiled(_TOML_STRING).findall(match.group(1))
    if any("\\" in item for item in found):  # an escape: let tomllib read it
        return tuple(raw_rule(rule_id).get("heartbeat", []))
    return tuple(found)


def heartbeat_says(rule_id: str, start: str, *values: object) -> str:
    """Heartbeat's message of `rule_id` that begins with `start`, its `%s`/`%d` filled in
    with `values` in order (extra placeholders stay `...`)."""
    matching = [m for m in heartbeat_messages(rule_id) if m.startswith(start)]
    if len(matching) != 1:
        raise LookupError(f"{rule_id} has {len(matching)} Heartbeat messages starting {start!r}")
    given = iter(values)

    def fill(_: re.Match[str]) -> str:
        return str(next(given, "..."))

    return compiled(_C_PLACEHOLDER).sub(fill, matching[0])


def quoted(rule_id: str, start: str, *values: object) -> str:
    """` Heartbeat: "<the message>"`, the way a finding ends when it has one."""
    from halint.i18n import _

    message = heartbeat_says(rule_id, start, *values).strip()
    return " " + _('Heartbeat: "{message}"').format(message=message)


def also_quoted(rule_id: str, start: str, *values: object, separator: str = " / ") -> str:
    """` / "<a second message>"`, after `quoted` when Heartbeat logs two lines for one
    mistake."""
    return f'{separator}"{heartbeat_says(rule_id, start, *values).strip()}"'
