"""Inline suppressions in the checked files, as comments Heartbeat itself ignores.

    # halint: ignore[HL110] initdead is short on purpose here
    initdead 20
    # halint: file-ignore[HL207]

`ignore[...]` on a line of its own suppresses those rules on the next directive (the next line
that is neither blank nor a comment — in haresources the whole group it starts);
`file-ignore[...]` anywhere in the file suppresses them in the whole file. A suppression that
suppresses nothing is itself reported (HL404).
"""

from __future__ import annotations

import re
from functools import cache

from halint.findings import Finding
from halint.regex import compiled
from halint.ruleid import is_rule_pattern


@cache
def _comment() -> re.Pattern[str]:
    """A suppression comment (compiled on the first line that names halint)."""
    return compiled(
        r"^[ \t]*#[ \t]*halint:[ \t]*(?P<kind>ignore|file-ignore)[ \t]*"
        r"\[(?P<rules>[^\]]*)\][ \t]*(?P<reason>.*)$"
    )


class Suppression:
    """One suppression comment: the rules it names (and the words that are no rule), the
    lines it covers (inclusive; a whole file's when `whole_file`) and the rules it was used
    for. `kind` is the file's kind: in authkeys, a comment's text is never repeated."""

    __slots__ = (
        "bad",
        "column",
        "first",
        "kind",
        "last",
        "line",
        "path",
        "rules",
        "used",
        "whole_file",
    )

    def __init__(
        self,
        path: str,
        line: int,
        column: int,
        rules: list[str],
        whole_file: bool,
        bad: list[str],
        kind: str,
    ) -> None:
        self.path = path
        self.line = line  # the comment's line
        self.column = column
        self.rules = rules
        self.whole_file = whole_file
        self.first = 0  # lines it covers (inclusive)
        self.last = 0
        self.used: set[str] = set()
        self.bad = bad
        self.kind = kind

    def covers(self, finding: Finding) -> bool:
        if finding.path != self.path or not any(finding.rule.startswith(r) for r in self.rules):
            return False
        return self.whole_file or self.first <= finding.line <= self.last


def _is_blank_or_comment(line: str) -> bool:
    stripped = line.strip(" \t\r\f\v")
    return not stripped or stripped.startswith("#")


def parse(path: str, kind: str, lines: list[str]) -> list[Suppression]:
    """The file's suppression comments, each with the lines it covers. Linear: where the next
    directive starts (and, in haresources, where its group ends) is worked out once, from the
    bottom up, not searched again for each comment."""
    count = len(lines)
    next_directive = [0] * (count + 1)  # index of the first directive at or after i, or -1
    next_directive[count] = -1
    for index in range(count - 1, -1, -1):
        later = next_directive[index + 1]
        next_directive[index] = later if _is_blank_or_comment(lines[index]) else index
    group_end = list(range(count))  # a haresources group continues while lines end with `\`
    if kind == "haresources":
        for index in range(count - 2, -1, -1):
            if lines[index].endswith("\\"):
                group_end[index] = group_end[index + 1]
    found: list[Suppression] = []
    for index, line in enumerate(lines):
        if "halint" not in line:
            continue
        match = _comment().match(line)
        if match is None:
            continue
        rules = [r.strip().upper() for r in match.group("rules").split(",") if r.strip()]
        suppression = Suppression(
            path=path,
            line=index + 1,
            column=line.index("#") + 1,
            rules=[r for r in rules if is_rule_pattern(r)],
            whole_file=match.group("kind") == "file-ignore",
            bad=[r for r in rules if not is_rule_pattern(r)],
            kind=kind,
        )
        if not suppression.whole_file:
            target = next_directive[index + 1]
            if target >= 0:
                suppression.first, suppression.last = target + 1, group_end[target] + 1
        found.append(suppression)
    return found


class _Entries:
    """The suppressions naming one rule entry (`HL3`, `HL303`) over one range end, in the
    order of their first line; items[:marked] are already marked used."""

    __slots__ = ("firsts", "items", "marked", "rule")

    def __init__(self, rule: str) -> None:
        self.rule = rule
        self.firsts: list[int] = []
        self.items: list[Suppression] = []
        self.marked = 0

    def cover(self, line: int) -> bool:
        """Whether one of them covers `line`; marks each one that does as used, once."""
        if not self.firsts or self.firsts[0] > line:
            return False
        while self.marked < len(self.items) and self.firsts[self.marked] <= line:
            self.items[self.marked].used.add(self.rule)
            self.marked += 1
        return True


def _index(entries: dict[str, _Entries], suppression: Suppression) -> None:
    for rule in suppression.rules:
        bucket = entries.setdefault(rule, _Entries(rule))
        bucket.firsts.append(suppression.first)
        bucket.items.append(suppression)


def apply(findings: list[Finding], suppressions: list[Suppression]) -> list[Finding]:
    """The findings no suppression covers; marks which suppressions were used.

    Linear in findings plus suppressions. A line suppression covers one directive (or one
    haresources group, continuation lines included): two ranges are disjoint, or nested with
    the same last line (a comment inside a continued group). So the ranges that can hold a
    finding are those ending at the first range end at or after it, and a suppression is
    looked up by the rule prefixes a finding's ID has (`HL3`, `HL30`, `HL303`)."""
    import bisect

    whole: dict[str, dict[str, _Entries]] = {}
    by_end: dict[str, dict[int, dict[str, _Entries]]] = {}
    for suppression in sorted(suppressions, key=lambda s: s.first):
        if suppression.whole_file:
            _index(whole.setdefault(suppression.path, {}), suppression)
        elif suppression.first:
            ends = by_end.setdefault(suppression.path, {})
            _index(ends.setdefault(suppression.last, {}), suppression)
    sorted_ends = {path: sorted(ends) for path, ends in by_end.items()}
    kept: list[Finding] = []
    for finding in findings:
        prefixes = [finding.rule[:n] for n in range(3, len(finding.rule) + 1)]
        pools: list[dict[str, _Entries] | None] = [whole.get(finding.path)]
        line_ends = sorted_ends.get(finding.path)
        if line_ends:
            at = bisect.bisect_left(line_ends, finding.line)
            if at < len(line_ends):
                pools.append(by_end[finding.path][line_ends[at]])
        covered = False
        for pool in pools:
            if not pool:
                continue
            for prefix in prefixes:
                entries = pool.get(prefix)
                if entries is not None and entries.cover(finding.line):
                    covered = True
        if not covered:
            kept.append(finding)
    return kept
