"""Reports for `halint diagnose`: text (diagnoses first, most severe first, then the timeline),
JSON as design.md fixes it, and SARIF (automation id halint/diagnose/)."""

from __future__ import annotations

import json
import unicodedata
from functools import partial

from halint import __version__
from halint.i18n import _, language_tag, ngettext
from halint.logs.diagnose import Diagnosis
from halint.logs.timeline import TimelineEntry, shown_detail, shown_event
from halint.report import counted, printable
from halint.report.colour import paint as painted


def diagnosis_dict(d: Diagnosis) -> dict[str, object]:
    doc = d.doc
    return {
        "rule": d.rule,
        "name": doc.name,
        "severity": d.severity,
        "title": d.title(),
        "cause": d.cause() if doc.cause else doc.cause,
        "fix": d.fix(),
        "count": d.count,
        "first": d.first or None,
        "last": d.last or None,
        "nodes": sorted(d.nodes),
        "details": d.extra,
        "evidence": [
            {"path": e.path, "line": e.line, "time": e.time or None, "node": e.node, "text": e.text}
            for e in d.all_evidence()
        ],
        "related_rules": d.related_rules,
        "related": d.related_findings,
    }


def timeline_dict(entry: TimelineEntry) -> dict[str, object]:
    return {
        "time": entry.time or None,
        "node": entry.node,
        "event": entry.event,
        "detail": shown_detail(entry),
        "path": entry.path,
        "line": entry.line,
    }


def summary(diagnoses: list[Diagnosis], events: int, dropped: int) -> dict[str, object]:
    counts = {
        level: sum(1 for d in diagnoses if d.severity == level)
        for level in ("error", "warning", "info")
    }
    return {**counts, "events": events, "timeline_dropped": dropped}


def render_json(
    diagnoses: list[Diagnosis],
    timeline: list[TimelineEntry],
    events: int,
    dropped: int,
    holders: dict[str, list[str]] | None = None,
    notes: list[str] | None = None,
    skew: list[dict[str, object]] | None = None,
) -> str:
    document = {
        "version": 1,
        "tool": {"name": "halint", "version": __version__},
        # the language of title, cause, fix, details, timeline details and notes (BCP 47);
        # rule, name, severity, event, nodes, paths and the evidence are the same in every one
        "language": language_tag(),
        "diagnoses": [diagnosis_dict(d) for d in diagnoses],
        "timeline": [timeline_dict(t) for t in timeline],
        "resources": holders or {},
        "notes": notes or [],
        "clock_skew": skew or [],
        "summary": summary(diagnoses, events, dropped),
    }
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def render_text(
    diagnoses: list[Diagnosis],
    timeline: list[TimelineEntry],
    events: int,
    dropped: int,
    colour: bool,
    holders: dict[str, list[str]] | None = None,
    notes: list[str] | None = None,
    window: str = "",
) -> str:
    """`window`: the --since/--until window in words (`since 2026-11-24`), if any."""
    paint = partial(painted, colour=colour)

    out: list[str] = []
    for note in notes or []:
        out.append(paint(_("note") + ": ", "bold") + printable(note))
    if diagnoses:
        out.append(paint(_("Diagnoses ({count})").format(count=len(diagnoses)), "bold"))
    for d in diagnoses:
        when = d.first if d.first == d.last else f"{d.first} .. {d.last}"
        times = d_times(d.count)
        out.append("")
        title = printable(d.title())
        out.append(
            f"{paint(d.severity, d.severity)} {paint(d.rule, 'bold')} "
            + (
                _("{title} ({times}, {when})").format(title=title, times=times, when=when)
                if when
                else _("{title} ({times})").format(title=title, times=times)
            )
        )
        out.append(_label(_("cause")) + printable(d.cause()))
        for note in d.extra:
            out.append(_label(_("note")) + printable(note))
        out.append(paint(_label(_("fix")), "fix") + printable(d.fix()))
        for evidence in d.all_evidence():
            out.append(
                paint(f"    {evidence.path}:{evidence.line}: ", "dim")
                + printable(evidence.text[:300])
            )
        for finding in d.related_findings:
            out.append(
                _label(_("config")) + f"{finding['path']}:{finding['line']}:{finding['column']}: "
                f"{finding['rule']} {printable(str(finding['message']))}"
            )
            if finding.get("fix"):
                out.append(
                    paint(" " * 10 + _("fix") + ": ", "fix") + printable(str(finding["fix"]))
                )
        if d.related_rules and not d.related_findings:
            more = ", ".join(d.related_rules[1:])
            out.append(
                _label(_("see"))
                + f"halint explain {d.related_rules[0]}"
                + (" " + _("(and {rules})").format(rules=more) if more else "")
            )
    if timeline:
        if out:
            out.append("")
        shown = ngettext("Timeline ({count} event)", "Timeline ({count} events)", len(timeline))
        out.append(paint(shown.format(count=len(timeline)), "bold"))
        no_time = _("(no time)")
        for entry in timeline:
            node = entry.node or "-"
            when = _padded(entry.time or no_time, 19)
            out.append(
                f"  {when}  {node:<12} {_padded(shown_event(entry.event), 15)} "
                f"{printable(shown_detail(entry))}"
            )
        if dropped:
            more_events = ngettext(
                "  ... and {count} more event (see --format json for the first ones)",
                "  ... and {count} more events (see --format json for the first ones)",
                dropped,
            )
            out.append(more_events.format(count=dropped))
    if holders:
        out.append("")
        out.append(paint(_("Resources at the end of the logs"), "bold"))
        for group, nodes in holders.items():
            held = (" " + _("and") + " ").join(nodes) if nodes else _("nobody")
            warn = paint("  <- " + _("split brain"), "error") if len(nodes) > 1 else ""
            out.append(f"  {group}: {held}{warn}")
    counts = summary(diagnoses, events, dropped)
    if out:
        out.append("")
    if not events and window:
        out.append(_("No Heartbeat lines {window}: nothing to diagnose.").format(window=window))
    elif not events:
        out.append(_("No Heartbeat lines found: nothing to diagnose."))
    elif not diagnoses:
        out.append(
            ngettext(
                "Heartbeat lines and no known failure: of {count} Heartbeat log line that "
                "matters, none is a failure halint knows.",
                "Heartbeat lines and no known failure: of {count} Heartbeat log lines that "
                "matter, none is a failure halint knows.",
                events,
            ).format(count=events)
        )
    else:
        errors, warnings, infos = (int(str(counts[k])) for k in ("error", "warning", "info"))
        out.append(
            _("{diagnoses} ({errors}, {warnings}, {infos}) from {lines}.").format(
                diagnoses=ngettext("{count} diagnosis", "{count} diagnoses", len(diagnoses)).format(
                    count=len(diagnoses)
                ),
                errors=counted("error", errors),
                warnings=counted("warning", warnings),
                infos=counted("info", infos),
                lines=ngettext(
                    # (the lines that say something halint reads: the others are skipped)
                    "{count} Heartbeat log line that matters",
                    "{count} Heartbeat log lines that matter",
                    events,
                ).format(count=events),
            )
        )
    return "\n".join(out) + "\n"


def d_times(count: int) -> str:
    from halint.logs.diagnose import times

    return times(count)


def _padded(text: str, width: int) -> str:
    """`text` padded to `width` columns of a terminal, where a Chinese character takes two."""
    if text.isascii():
        return text.ljust(width)
    wide = sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")
    return text.ljust(width - wide)


def _label(word: str) -> str:
    """`  cause: ` and its kin, the texts after them in one column."""
    return f"  {(word + ':').ljust(6)} "


def render_sarif(diagnoses: list[Diagnosis]) -> str:
    """Diagnoses as SARIF results located at their first evidence line, each with the config
    findings it relates to (--ha-d) as related locations."""
    from halint.findings import Related
    from halint.report.sarif import render

    findings = []
    for d in diagnoses:
        finding = d.as_finding()
        if finding is None:
            continue
        finding.related = [
            Related.model_construct(
                path=str(f["path"]),
                line=int(str(f["line"])),
                column=int(str(f["column"])),
                message=f"{f['rule']} {f['message']}",
            )
            for f in d.related_findings
        ]
        findings.append(finding)
    return render(findings, automation="halint/diagnose/")
