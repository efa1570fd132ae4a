"""What every finding goes through before any report shows it, in every format.

- Secrets by shape: the words of authkeys (beyond `auth`, indexes and the method names
  Heartbeat knows) and of any line elsewhere that reads as an authkeys key line are masked in
  messages, fixes and related notes (halint.redact finds them).
- Readable: a word of hundreds of characters (a value of 5,000 digits) is cut in a message.
- Bounded: a flood of one rule in one file (a value repeated 100,000 times) is shown up to
  MAX_PER_RULE times, then summed up in one finding; the exit code is the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from halint.i18n import ngettext
from halint.redact import scrub, secret_pattern, secret_words
from halint.regex import compiled

if TYPE_CHECKING:
    from halint.findings import Finding
    from halint.sources import SourceFile

MAX_PER_RULE = 100
_LONG_WORD = compiled(r"[^\s`]{200,}")


def shown_kinds(sources: Iterable[SourceFile]) -> dict[str, str]:
    """Each source's path -> the kind its lines are shown as: a file that is one of the nodes'
    authkeys under another name (a link, a hard link) is shown as authkeys is."""
    listed = list(sources)
    keyfiles = {s.facts.inode for s in listed if s.kind == "authkeys" and s.facts.inode}
    return {
        s.path: "authkeys" if s.facts.inode and s.facts.inode in keyfiles else s.kind
        for s in listed
    }


def secrets_of(sources: Iterable[SourceFile]) -> re.Pattern[str] | None:
    """One search for every secret word of these files (None: there is none)."""
    listed = list(sources)
    kinds = shown_kinds(listed)
    words: set[str] = set()
    for source in listed:
        if source.readable:
            kind = kinds[source.path]
            alias = kind == "authkeys" and source.kind != "authkeys"
            words |= secret_words(kind, source.lines, every_line=alias)
    return secret_pattern(words)


def outgoing(findings: list[Finding], sources: Iterable[SourceFile]) -> list[Finding]:
    pattern = secrets_of(sources)
    shown: list[Finding] = []
    counts: dict[tuple[str, str], int] = {}
    for finding in findings:
        key = (finding.path, finding.rule)
        count = counts[key] = counts.get(key, 0) + 1
        if count > MAX_PER_RULE:
            continue
        finding.message = _tidy(finding.message, pattern)
        finding.fix = _tidy(finding.fix, pattern) if finding.fix else finding.fix
        for related in finding.related:
            related.message = _tidy(related.message, pattern)
        shown.append(finding)
    for (path, rule), count in counts.items():
        if count > MAX_PER_RULE:
            shown.append(_more(shown, path, rule, count - MAX_PER_RULE))
    return shown


def _tidy(text: str, pattern: re.Pattern[str] | None) -> str:
    text = scrub(text, pattern)
    if len(text) < 200:
        return text
    return _LONG_WORD.sub(lambda m: f"{m.group()[:40]}… ({len(m.group())} characters)", text)


def _more(shown: list[Finding], path: str, rule: str, hidden: int) -> Finding:
    """One finding for the ones not shown, after the last one shown."""
    last = next(f for f in reversed(shown) if f.path == path and f.rule == rule)
    summary = last.model_copy()
    summary.related = []
    summary.message = ngettext(
        "and {hidden} more {rule} finding in this file after this line (halint shows the first "
        "{limit} of a rule in a file)",
        "and {hidden} more {rule} findings in this file after this line (halint shows the first "
        "{limit} of a rule in a file)",
        hidden,
    ).format(hidden=hidden, rule=rule, limit=MAX_PER_RULE)
    summary.fix = last.fix
    return summary
