"""Key material, found by its shape and never by its place, masked wherever text is shown.

- A line of any checked file that reads as an authkeys key line (`1 sha1 KEY`, `1sha1KEY`,
  `1 KEY`, commented out or not) is shown masked, whichever file it sits in: a real authkeys
  copied or linked in as ha.cf or haresources keeps its keys.
- The words of such lines, and every word of authkeys beyond `auth`, an index and the method
  names Heartbeat knows, are secrets: `scrub` masks them in any message built from the files.
- Heartbeat's own log lines that print authkeys material ("Invalid authtype [KEY]", "Auth
  method [KEY] requires a key", the plugin loader's "LoadPlugin on KEY returned ...") are masked
  from the message's head to its known tail, whatever blanks, brackets or `]` the key holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from halint.regex import compiled

MASK = "********"
METHOD_NAMES = ("crc", "md5", "sha1")
# Shorter words are not treated as secrets (an index, `ab`): masking them would garble every
# message, and no key that short is one.
MIN_SECRET = 3

# What sscanf("%d%s%s") reads as a key line: an index, then a word (glued to it or not).
_KEY_LINE = compiled(r"^(\s*[0-9]+\s*[^\s]+)(.*)$")
_SELECTOR = compiled(r"^(\s*auth\s*[0-9]+)(.*)$")
# In a file other than authkeys: an index of one or two digits followed by a blank or by a
# letter (`1 sha1 KEY`, `1sha1KEY`, `2 KEY`), or `auth N`, after an optional `#`. An address
# (`10.0.0.1`), a host name of digits (`133`) or a list of exit codes in a script's comment
# (`# 1 = dead`, `# 0 - success`: a lone sign is no method and no key) is not one.
_KEY_SHAPED = compiled(
    r"^[\s\x00-\x1f\x7f]*(?:#[ \t]*)?"
    r"(?:auth[ \t]*[+-]?[0-9]|[+-]?[0-9]{1,2}(?=[\s\x00]|[A-Za-z])(?![ \t]+[=:.,|)-]+(?:[ \t]|$)))"
)
_SPLIT = compiled(r"[\s\x00-\x1f\x7f]+")
_METHOD_PREFIX = compiled(r"^(?:crc|md5|sha1)", re.IGNORECASE)


def redact_authkeys_line(line: str) -> str:
    """Keep what locates a finding (index, method, `auth N`), mask everything else."""
    stripped = line.lstrip()
    if not stripped:
        return line
    if stripped.startswith("#"):
        return line[: len(line) - len(stripped)] + "# " + MASK
    for pattern in (_SELECTOR, _KEY_LINE):
        match = pattern.match(line)
        if match:
            head, rest = match.group(1), match.group(2)
            if pattern is _KEY_LINE:
                head = _masked_method(head)
            return head + (" " + MASK if rest.strip() else "")
    return line[: len(line) - len(stripped)] + MASK


def _masked_method(head: str) -> str:
    """`1 sha1` stays; `1 sha1KEY`, `1 KEY` or `1 sha1<U+3000>KEY` keep only a known name."""
    index = compiled(r"\s*[0-9]+\s*").match(head)
    cut = index.end() if index else 0
    method = head[cut:]
    if method in METHOD_NAMES:
        return head
    known = _METHOD_PREFIX.match(method)
    return head[:cut] + (known.group() if known else "") + MASK


def is_key_shaped(line: str) -> bool:
    """Whether a line of a file other than authkeys reads as an authkeys key line."""
    return _KEY_SHAPED.match(line) is not None


def shown_line(kind: str, line: str) -> str:
    """A source line as any report may show it."""
    if kind == "authkeys" or is_key_shaped(line):
        return redact_authkeys_line(line)
    return line


def _pieces(text: str) -> Iterable[str]:
    """Each word, and the word without a leading index or a method glued to its front."""
    for word in _SPLIT.split(text):
        if not word:
            continue
        yield word
        bare = word.lstrip("0123456789+-")
        yield bare
        yield _METHOD_PREFIX.sub("", bare, count=1)


_NOT_SECRET = frozenset((*METHOD_NAMES, "auth"))
_AUTHKEYS_KEYED = compiled(
    r"^[\s\x00-\x1f\x7f]*(?:#[ \t]*)?"
    r"(?:auth[ \t]*[+-]?[0-9]+|[+-]?[0-9]+(?=[\s\x00]|[A-Za-z]))"
)


def secret_words(kind: str, lines: Iterable[str], every_line: bool = False) -> set[str]:
    """The words no message may repeat: what follows the index of every line that reads as a
    key line (in authkeys, whatever its index, and after `auth N` too; elsewhere, the shape
    `is_key_shaped` describes), commented out or not. Prose and comments are not secrets:
    rules never quote authkeys text at all, this is the net below that. `every_line`: a file
    that is authkeys read as another kind (a link), whose every word a rule may quote."""
    found: set[str] = set()
    shape = _AUTHKEYS_KEYED if kind == "authkeys" else _KEY_SHAPED
    for line in lines:
        if every_line:  # authkeys read as another kind: each of its words may be a key
            if line.lstrip().startswith("#") and shape.match(line) is None:
                continue
        elif shape.match(line) is None:
            continue
        for word in _pieces(line.lstrip(" \t\f\v\r#\x00")):
            if len(word) >= MIN_SECRET and word not in _NOT_SECRET and not word.isdigit():
                found.add(word)
    return found


def secret_pattern(words: set[str]) -> re.Pattern[str] | None:
    """One search for all the secrets, longest first, each as a whole word."""
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # re.compile, not halint.regex: this pattern holds the keys, and must never be cached
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])")


def scrub(text: str, pattern: re.Pattern[str] | None) -> str:
    if pattern is None or not text:
        return text
    return pattern.sub(MASK, text)


# Heartbeat's (and its plugin loader's) messages that print authkeys material: the head that
# starts each, and the text that ends it, if any. Blanks between the words may be any blanks
# (a copy through a terminal or a translation turns them into tabs or U+3000).
_B = r"[\s\u3000]+"
_KEYED_MESSAGES: tuple[tuple[str, str | None], ...] = (
    (rf"Invalid{_B}auth{_B}?line", r"\]?\s*in\s+\S*authkeys\s*$"),
    (rf"Auth{_B}line", r"\]?\s*is\s+invalid\.?\s*$"),
    (rf"Invalid{_B}authtype", None),
    (rf"Auth{_B}method", r"\]?\s*(?:requires\s+a\s+key|doesn'?t\s+use\s+a\s+key)\s*$"),
    (rf"Found{_B}authentication{_B}method", None),
    (rf"LoadPlugin{_B}on", r"\s+returned\s+-?[0-9]+:[^:]*$"),
    (rf"Lookup{_B}extended#?[0-9]*{_B}returned{_B}FALSE{_B}for", None),
    (rf"Cannot{_B}compute{_B}message{_B}auth(?:entication|{_B}string)?", None),
)


@cache
def _keyed_message_patterns() -> tuple[re.Pattern[str], list[re.Pattern[str] | None]]:
    """The heads (one search) and the tails of `_KEYED_MESSAGES`, compiled on first use: they
    cost more than the rest of this module and only log lines need them."""
    heads = "|".join(f"(?P<h{i}>{head})" for i, (head, _) in enumerate(_KEYED_MESSAGES))
    tails = [compiled(tail, re.IGNORECASE) if tail else None for _, tail in _KEYED_MESSAGES]
    return compiled(heads, re.IGNORECASE), tails


def redact_log_line(text: str) -> str:
    """A log line as it may be shown: never the authkeys material Heartbeat itself printed."""
    lowered = text.lower()
    if "auth" not in lowered and "plugin" not in lowered and "lookup" not in lowered:
        return text
    heads, tails = _keyed_message_patterns()
    match = heads.search(text)
    if match is None:
        return text
    index = int(match.lastgroup[1:])  # type: ignore[index]
    rest = text[match.end() :]
    tail = ""
    finder = tails[index]
    if finder is not None:
        found = finder.search(rest)
        if found is not None and found.end() == len(rest):
            tail = rest[found.start() :].lstrip("]")
            tail = tail if tail.startswith(" ") else " " + tail.lstrip()
    if not rest.strip() and not tail:
        return text
    return f"{text[: match.end()]} [{MASK}]{tail}"
