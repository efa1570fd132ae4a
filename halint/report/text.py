"""The default report: `path:line:col: severity HLnnn message`, source line, caret, fix."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from halint.findings import Finding
from halint.i18n import _, ngettext
from halint.redact import MASK
from halint.report import counted, printable, summary
from halint.report.colour import paint as painted

if TYPE_CHECKING:
    from halint.identity import Identity

LineSource = Callable[[str, int], str | None]


def use_colour(stream_is_tty: bool) -> bool:
    return stream_is_tty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def render_findings(findings: list[Finding], line_of: LineSource, colour: bool) -> list[str]:
    """Each finding: location, severity, rule, message; the source line and a caret; the fix;
    the related places."""

    paint = partial(painted, colour=colour)

    out: list[str] = []
    binary_shown: set[tuple[str, int]] = set()
    for finding in findings:
        location = paint(f"{finding.path}:{finding.line}:{finding.column}:", "bold")
        severity = paint(finding.severity, finding.severity)
        cluster = f"[{printable(finding.cluster)}] " if finding.cluster else ""
        out.append(
            f"{location} {severity} {paint(finding.rule, 'bold')} {cluster}"
            f"{printable(finding.message)}"
        )
        source = line_of(finding.path, finding.line)
        if source is not None and is_binary(source):
            # binary junk once, at its first finding; the others point back at it
            where = (finding.path, finding.line)
            if where in binary_shown:
                out.append(paint(f"{finding.line:>5} | ", "dim") + _("(binary data, shown above)"))
                source = None
            binary_shown.add(where)
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
            marker = "      = " + (_("fix [*]: ") if finding.fixable else _("fix: "))
            out.append(paint(marker, "fix") + printable(finding.fix))
        for related in finding.related:
            out.append(
                "      = "
                + _("also {place}: {message}").format(
                    place=f"{related.path}:{related.line}:{related.column}",
                    message=printable(related.message),
                )
            )
    return out


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 error`, `2 errors`; `many` for words that do not just take an s."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def summary_line(
    counts: dict[str, int],
    blocks_start: bool,
    clusters: tuple[int, int] | None = None,
    fixable: int = 0,
) -> str:
    """`Found 3 problems (2 errors, 1 warning) in 1 of 2 clusters; Heartbeat would refuse to
    start.` or `No problems found.`"""
    total = sum(counts.get(s, 0) for s in ("error", "warning", "info"))
    where = ""
    if clusters is not None:
        with_problems, of = clusters
        where = (
            ngettext(" in {count} of {total} cluster", " in {count} of {total} clusters", of)
            if total
            else ngettext(" in {total} cluster", " in {total} clusters", of)
        ).format(count=with_problems, total=of)
    if not total:
        return _("No problems found{where}.").format(where=where)
    parts = [counted(s, counts[s]) for s in ("error", "warning", "info") if counts.get(s)]
    blocks = _("; Heartbeat would refuse to start") if blocks_start else ""
    line = _("Found {problems} ({severities}){where}{blocks}.").format(
        problems=ngettext("{count} problem", "{count} problems", total).format(count=total),
        severities=_(", ").join(parts),
        where=where,
        blocks=blocks,
    )
    if fixable:
        line += "\n" + _(
            "[*] {count} of them fixable with `halint check --fix` (`--diff` shows the changes "
            "first)."
        ).format(count=fixable)
    return line


def is_binary(text: str) -> bool:
    """A line of binary data rather than text: several control or undecodable characters."""
    junk = sum(
        1 for ch in text if (ord(ch) < 32 and ch not in "\t\r") or "\udc80" <= ch <= "\udcff"
    )
    return junk >= 3


def render(findings: list[Finding], line_of: LineSource, colour: bool) -> str:
    """Findings and the summary line, as one text."""
    counts = summary(findings)
    lines = render_findings(findings, line_of, colour)
    plain = {k: int(v) for k, v in counts.items() if k != "blocks_start"}
    fixable = sum(1 for f in findings if f.fixable)
    lines.append(summary_line(plain, bool(counts["blocks_start"]), fixable=fixable))
    return "\n".join(lines) + "\n"


def render_identities(identities: list[Identity], header: str) -> list[str]:
    """Which folder is which node, and how that is known."""
    out = [header]
    if len(identities) == 1 and identities[0].name is None:
        return [*out, f"  {identities[0].folder}"]  # alone in its cluster: no name needed
    for identity in identities:
        if identity.name is None:
            out.append("  " + _("{folder}: which node, not known").format(folder=identity.folder))
        else:
            out.append(f"  {identity.folder}: {identity.name} ({identity.how})")
    return out
