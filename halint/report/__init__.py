"""Reporters: findings in, text out. The format never changes the exit code."""

from __future__ import annotations

from halint.findings import Finding
from halint.i18n import ngettext


def summary(findings: list[Finding]) -> dict[str, int | bool]:
    counts: dict[str, int | bool] = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity] = int(counts[finding.severity]) + 1
    counts["blocks_start"] = any(f.blocks_start for f in findings)
    return counts


def counted(severity: str, count: int) -> str:
    """`1 error`, `2 warnings`, `3 infos`: a count of findings or diagnoses of one severity, in
    the chosen language (the words of every report's summary)."""
    if severity == "error":
        said = ngettext("{count} error", "{count} errors", count)
    elif severity == "warning":
        said = ngettext("{count} warning", "{count} warnings", count)
    else:
        said = ngettext("{count} info", "{count} infos", count)
    return said.format(count=count)


def printable(text: str, keep_newlines: bool = False) -> str:
    """Text safe for any terminal encoding: undecodable bytes and controls shown escaped."""
    if text.isprintable():  # no control, surrogate (an undecodable byte) or BOM: as it is
        return text
    out = []
    for ch in text:
        if keep_newlines and ch in "\r\n":
            out.append(ch)
            continue
        if "\udc80" <= ch <= "\udcff":
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif (ord(ch) < 32 and ch != "\t") or ord(ch) == 127:
            out.append(f"\\x{ord(ch):02x}")
        elif ch == "\ufeff":
            out.append("<BOM>")
        else:
            out.append(ch)
    return "".join(out)
