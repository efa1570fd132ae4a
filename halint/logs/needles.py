"""The reader's quick filters, derived from the catalogue: the words that start the messages
the timeline and the signatures look at, and all their needles. A new signature (one TOML file)
is read without a change here: its needle's first word, its regular expression's leading word
and the first words of its bad examples' messages join the filters."""

from __future__ import annotations

import re
from functools import cache

from halint.logs.reader import Filters, parse_fields

# A regular expression's leading word: literal text up to the first blank; after `^(?:\S+ )?`
# (a message that may start with a node's name), the word after the name.
_LEADING = re.compile(r"\^?([A-Za-z_][\w.-]*:?) ")
_AFTER_NAME = re.compile(r"\^?(?:\(\?:\\S\+ \)\?|\\d\+ |\(\?P<\w+>\\S\+\) )([A-Za-z_][\w.-]*:?) ")


# First words too common in Heartbeat's chatter to let a line through alone ("Local status now
# set to", "No pkts missing from"): after these the filters take the first two words.
CHATTY = frozenset({"Local", "No"})


def _token(text: str) -> str | None:
    """The first word of a needle that starts a message (an upper-case letter)."""
    word = text.split(" ", 1)[0]
    return word if word[:1].isupper() else None


@cache
def filters() -> Filters:
    from halint.logs.signatures import signatures
    from halint.logs.timeline import RULES

    words: set[str] = set()
    after_name: set[str] = set()
    needles: set[str] = set()
    for _, needle, regex, _ in RULES:
        needles.add(needle)
        for word in (_token(needle), _leading(regex.pattern)):
            if word:
                words.add(word)
        named = _AFTER_NAME.match(regex.pattern)
        if named:
            after_name.add(named.group(1))
    sigs = signatures()
    for pattern in sigs.patterns:
        needles.add(pattern.needle)
        for word in (_token(pattern.needle), _leading(pattern.regex.pattern)):
            if word:
                words.add(word)
        named = _AFTER_NAME.match(pattern.regex.pattern)
        if named:
            after_name.add(named.group(1))
    for doc in sigs.docs.values():
        needles.update(reason.needle for reason in doc.reasons)
        own = [p.regex for p in sigs.patterns if p.rule == doc.id]
        for example in doc.bad:
            for line in (example.log or "").splitlines():
                fields = parse_fields(line.encode(), loose=True)
                if fields is not None and any(r.search(fields[5]) for r in own):
                    word = fields[5].split(" ", 1)[0]
                    if word[:1].isalpha():  # not a number or a path: those vary
                        words.add(word)
    from halint.logs.classify import alternation

    two: set[str] = set()
    for needle in needles:
        first, _, rest = needle.partition(" ")
        if first in CHATTY and rest:
            two.add(f"{first} {rest.split(' ', 1)[0]}")
    return Filters(
        frozenset(w.encode() for w in words - CHATTY),
        frozenset(w.encode() for w in two),
        frozenset(w.encode() for w in after_name),
        re.compile(alternation(sorted(needles)).encode()),
    )


def _leading(regex: str) -> str | None:
    match = _LEADING.match(regex)
    return match.group(1) if match else None
