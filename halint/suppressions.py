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
from dataclasses import dataclass, field

from halint.findings import Finding
from halint.ruleid import is_rule_pattern

_COMMENT = re.compile(
    r"^[ \t]*#[ \t]*halint:[ \t]*(?P<kind>ignore|file-ignore)[ \t]*"
    r"\[(?P<rules>[^\]]*)\][ \t]*(?P<reason>.*)$"
)


@dataclass(slots=True)
class Suppression:
    path: str
    line: int  # the comment's line
    column: int
    rules: list[str]
    whole_file: bool
    first: int = 0  # lines it covers (inclusive)
    last: int = 0
    used: set[str] = field(default_factory=set)
    bad: list[str] = field(default_factory=list)

    def covers(self, finding: Finding) -> bool:
        if finding.path != self.path or not any(finding.rule.startswith(r) for r in self.rules):
            return False
        return self.whole_file or self.first <= finding.line <= self.last


def _is_blank_or_comment(line: str) -> bool:
    stripped = line.strip(" \t\r\f\v")
    return not stripped or stripped.startswith("#")


def parse(path: str, kind: str, lines: list[str]) -> list[Suppression]:
    found: list[Suppression] = []
    for index, line in enumerate(lines):
        match = _COMMENT.match(line)
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
        )
        if not suppression.whole_file:
            target = next(
                (i for i in range(index + 1, len(lines)) if not _is_blank_or_comment(lines[i])),
                None,
            )
            if target is None:
                suppression.first = suppression.last = 0
            else:
                last = target
                if kind == "haresources":  # a group continues while lines end with `\`
                    while last + 1 < len(lines) and lines[last].endswith("\\"):
                        last += 1
                suppression.first, suppression.last = target + 1, last + 1
        found.append(suppression)
    return found


def apply(findings: list[Finding], suppressions: list[Suppression]) -> list[Finding]:
    """The findings no suppression covers; marks which suppressions were used."""
    kept: list[Finding] = []
    for finding in findings:
        covering = [s for s in suppressions if s.covers(finding)]
        for suppression in covering:
            suppression.used.update(r for r in suppression.rules if finding.rule.startswith(r))
        if not covering:
            kept.append(finding)
    return kept
