"""What a log message is, independent of the lines around it: which timeline event and which
signature patterns it matches. Stateless, so pieces of a log can be classified in parallel."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from halint.logs.signatures import signatures
from halint.logs.timeline import RULES as TIMELINE_RULES
from halint.logs.timeline import Said, timeline_hit

# The timeline event a message is: its name, its detail, its resource group (or None) and the
# template and values the detail was said with, all read off the message alone; and the
# signature patterns that matched
TimelineHit = tuple[str, str, str | None, Said]
# (pattern index, values, the diagnosis they count towards — (rule, key values) —, the
# pattern's figure if any)
PatternHit = tuple[int, dict[str, str], tuple[str, tuple[str, ...]], int | None]
Hits = tuple[TimelineHit | None, list[PatternHit]]
NO_HITS: Hits = (None, [])


@dataclass(slots=True, frozen=True)
class _Needles:
    regex: re.Pattern[str]
    # needle -> (timeline rule indexes, pattern indexes) to try when the needle is in a message
    by_needle: dict[str, tuple[tuple[int, ...], tuple[int, ...]]]


@cache
def _needles() -> _Needles:
    """One search finds every needle in a message; each needle says which timeline rules and
    which signature patterns to try (instead of testing every pattern one by one)."""
    wanted: dict[str, tuple[list[int], list[int]]] = {}
    for index, rule in enumerate(TIMELINE_RULES):
        wanted.setdefault(rule[1], ([], []))[0].append(index)
    for index, pattern in enumerate(signatures().patterns):
        wanted.setdefault(pattern.needle, ([], []))[1].append(index)
    return _Needles(
        re.compile(alternation(list(wanted))),
        {needle: (tuple(rules), tuple(patterns)) for needle, (rules, patterns) in wanted.items()},
    )


def alternation(words: list[str]) -> str:
    """A regular expression matching any of `words`, the longest where several start at one
    place, written as a trie: the engine tries a few first letters at each position instead of
    every word (a quarter faster on Heartbeat's messages than `a|b|c`, which sorts longest first
    to the same effect)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def written(node: dict[str, Any]) -> str:
        branches = [re.escape(c) + written(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        # the longer words first, the word that ends here (the empty branch) last
        return "(?:" + "|".join(branches) + ("|" if "" in node else "") + ")"

    return written(trie)


# Busy logs say the same few things over and over (the same authtoken error, the same link
# going up and down): what a message is, once found, is looked up. Bounded: cleared when full.
_SEEN: dict[str, Hits] = {}
_SEEN_MAX = 4096


def seen_hits() -> Callable[[str], Hits | None]:
    """The look-up of messages already classified (classify's cache), for a loop that tries it
    before calling classify."""
    return _SEEN.get


def classify(message: str) -> Hits:
    """Which timeline rule (the first that matches) and which signature patterns match. The
    result is shared between equal messages: treat it as read-only."""
    hits = _SEEN.get(message)
    if hits is None:
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.clear()
        hits = _SEEN[message] = _classify(message)
    return hits


# What to try on a message, by its shape (its digits made 0): the timeline rules and the
# signature patterns whose needles it holds. Messages that differ in their numbers only (a
# packet's sequence number, an interval in ms) share a plan: the needle search runs once per
# shape, and each message runs only the regular expressions that can match it.
Plan = tuple[tuple[int, ...], tuple[int, ...]]
_PLANS: dict[bytes, Plan] = {}
_PLANS_MAX = 4096
# (bytes.translate: ten times faster than str.translate with a table)
_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_NO_PLAN: Plan = ((), ())


def _plan(message: str) -> Plan:
    needles = _needles()
    found = needles.regex.findall(message)
    if not found:
        return _NO_PLAN
    rules: list[int] = []
    patterns: list[int] = []
    for needle in dict.fromkeys(found):  # a needle written twice in one line counts once
        candidates = needles.by_needle[needle]
        rules += candidates[0]
        patterns += candidates[1]
    return tuple(rules), tuple(dict.fromkeys(patterns))


def _classify(message: str) -> Hits:
    shape = message.encode().translate(_ZEROS)
    plan = _PLANS.get(shape)
    if plan is None:
        if len(_PLANS) >= _PLANS_MAX:
            _PLANS.clear()
        plan = _PLANS[shape] = _plan(message)
    if plan is _NO_PLAN:
        return NO_HITS
    rules, candidates = plan
    timeline: TimelineHit | None = None
    for index in rules:
        match = TIMELINE_RULES[index][2].search(message)
        if match is not None:
            timeline = timeline_hit(index, match.groupdict(""))
            break
    if not candidates:
        return timeline, []
    patterns = signatures().patterns
    hits: list[PatternHit] = []
    for index in candidates:
        pattern = patterns[index]
        match = pattern.regex.search(message)
        if match is None:
            continue
        values = match.groupdict()
        if None in values.values():  # optional groups that took no part
            values = {k: v for k, v in values.items() if v is not None}
        if "resource" in values:
            values["resource"] = values["resource"].split("::")[0].rstrip("/").rsplit("/", 1)[-1]
        names = pattern.key
        key: tuple[str, tuple[str, ...]]
        if len(names) == 1:
            key = (pattern.rule, (values.get(names[0], ""),))
        else:
            key = (pattern.rule, tuple([values.get(k, "") for k in names]))
        figure = None
        if pattern.stat:
            raw = values.get(pattern.stat) or values.get("took")
            # ASCII digits only, and never a number of thousands of digits (int() refuses
            # more than 4,300): an interval has at most a handful
            usable = raw and raw.isascii() and raw.isdigit() and len(raw) < 19
            figure = int(raw) if raw and usable else None
        hits.append((index, values, key, figure))
    return timeline, hits
