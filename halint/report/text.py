"""The default report: `path:line:col: severity HLnnn message`, source line, caret, fix."""

from __future__ import annotations

import os
from collections.abc import Callable

from halint.findings import Finding
from halint.report import printable, summary
from halint.report.redact import MASK

LineSource = Callable[[str, int], str | None]

_COLOURS = {"error": "31", "warning": "33", "info": "36", "bold": "1", "dim": "2", "fix": "32"}


def use_colour(stream_is_tty: bool) -> bool:
    return stream_is_tty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def render(findings: list[Finding], line_of: LineSource, colour: bool) -> str:
    def paint(text: str, style: str) -> str:
        return f"\x1b[{_COLOURS[style]}m{text}\x1b[0m" if colour else text

    out: list[str] = []
    for finding in findings:
        location = paint(f"{finding.path}:{finding.line}:{finding.column}:", "bold")
        severity = paint(finding.severity, finding.severity)
        out.append(
            f"{location} {severity} {paint(finding.rule, 'bold')} {printable(finding.message)}"
        )
        source = line_of(finding.path, finding.line)
        if source is not None:
            shown = printable(source.rstrip("\r"))
            gutter = f"{finding.line:>5} | "
            out.append(paint(gutter, "dim") + shown)
            prefix = printable(source[: max(finding.column - 1, 0)])
            width = 1
            if finding.end_column and finding.end_line in (None, finding.line):
                marked = source[finding.column - 1 : finding.end_column - 1]
                if MASK[:1] in marked:  # a masked key: never show its length
                    marked = source[finding.column - 1 :]
                width = max(1, len(printable(marked)))
            caret = " " * len(prefix) + "^" * width
            out.append(
                paint(" " * (len(gutter) - 2) + "| ", "dim") + paint(caret, finding.severity)
            )
        if finding.fix:
            out.append(paint("      = fix: ", "fix") + printable(finding.fix))
        for related in finding.related:
            out.append(
                f"      = also {related.path}:{related.line}:{related.column}: "
                f"{printable(related.message)}"
            )
    counts = summary(findings)
    if findings:
        total = len(findings)
        parts = [
            f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
            for s in ("error", "warning", "info")
            if counts[s]
        ]
        blocks = "; Heartbeat would refuse to start" if counts["blocks_start"] else ""
        out.append(
            f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}){blocks}."
        )
    else:
        out.append("No problems found.")
    return "\n".join(out) + "\n"


def render_identities(identities: list, live: bool) -> str:
    """The cluster header: which folder is which node, how that is known, what it costs."""
    out = [f"Checking {len(identities)} nodes as one cluster:"]
    for identity in identities:
        name = identity.name or "an unknown node"
        out.append(f"  {identity.folder}: {name} ({identity.how})")
    unknown = [i.folder for i in identities if not i.name]
    if unknown:
        out.append(
            "  Not known which node " + ", ".join(unknown) + " holds: the checks that need a "
            "node's own name (a ucast line to itself, the live rules) were not run for it; "
            "name it with --as DIR=NODE."
        )
    if not live:
        out.append("  --offline: the live-host rules (HL6xx) were not run.")
    return "\n".join(out) + "\n"
