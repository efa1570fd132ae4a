"""The log signatures (HL7xx) of the rule catalogue, compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from halint.catalogue import RuleDoc, all_rule_ids, rule_doc


@dataclass(slots=True, frozen=True)
class CompiledPattern:
    rule: str
    regex: re.Pattern[str]
    needle: str
    key: tuple[str, ...]
    stat: str | None
    min_count: int
    fix: str | None  # the fix, with the pattern's named groups filled in
    counted: bool  # False: only its rule's handler reads it (see catalogue.LogPattern)


@dataclass(slots=True, frozen=True)
class Signatures:
    docs: dict[str, RuleDoc]
    patterns: tuple[CompiledPattern, ...]


@cache
def signatures() -> Signatures:
    docs = {rule_id: rule_doc(rule_id) for rule_id in all_rule_ids() if rule_id.startswith("HL7")}
    patterns = tuple(
        CompiledPattern(
            rule_id,
            re.compile(p.regex),
            p.needle,
            tuple(p.key),
            p.stat,
            p.min_count,
            p.fix,
            p.counted,
        )
        for rule_id, doc in docs.items()
        for p in doc.patterns
    )
    return Signatures(docs, patterns)
