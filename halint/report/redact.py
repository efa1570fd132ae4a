"""Source lines of authkeys as they may be shown: never a key, never a commented-out key."""

from __future__ import annotations

import re

_KEY_LINE = re.compile(r"^(\s*[0-9]+\s*[^\s]+)(.*)$")
_SELECTOR = re.compile(r"^(\s*auth\s*[0-9]+)(.*)$")
MASK = "********"


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
            rest = match.group(2)
            return match.group(1) + (" " + MASK if rest.strip() else "")
    return line[: len(line) - len(stripped)] + MASK


# Heartbeat lines that print authkeys material: the raw authkeys line of a parse error, and the
# method/key/message of a digest it could not compute.
_KEYED_LOG = re.compile(
    r"(?P<head>(?:Invalid auth line|Auth line|Cannot compute message auth(?:entication| string))"
    r" \[)(?P<secret>[^\]]*)(?P<tail>\]?)"
)


def redact_log_line(text: str) -> str:
    """A log line as it may be shown: never the authkeys material Heartbeat itself printed."""
    if "uth" not in text:
        return text
    return _KEYED_LOG.sub(lambda m: f"{m.group('head')}{MASK}{m.group('tail')}", text)
