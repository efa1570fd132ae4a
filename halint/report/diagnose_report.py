"""Reports for `halint diagnose`: text (diagnoses first, most severe first, then the timeline),
JSON as design.md fixes it, and SARIF (automation id halint/diagnose/)."""

from __future__ import annotations

import json
from functools import partial

from halint import __version__
from halint.logs.diagnose import Diagnosis
from halint.logs.timeline import TimelineEntry
from halint.report import printable
from halint.report.colour import paint as painted


def diagnosis_dict(d: Diagnosis) -> dict[str, object]:
    doc = d.doc
    return {
        "rule": d.rule,
        "name": doc.name,
        "severity": d.severity,
        "title": d.title(),
        "cause": doc.cause,
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
        "detail": entry.detail,
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
) -> str:
    paint = partial(painted, colour=colour)

    out: list[str] = []
    for note in notes or []:
        out.append(paint("note: ", "bold") + printable(note))
    if diagnoses:
        out.append(paint(f"Diagnoses ({len(diagnoses)})", "bold"))
    for d in diagnoses:
        doc = d.doc
        when = d.first if d.first == d.last else f"{d.first} .. {d.last}"
        times = d_times(d.count)
        out.append("")
        out.append(
            f"{paint(d.severity, d.severity)} {paint(d.rule, 'bold')} "
            f"{printable(d.title())} ({times}{', ' + when if when else ''})"
        )
        out.append(f"  cause: {printable(doc.cause or doc.summary)}")
        for note in d.extra:
            out.append(f"  note:  {printable(note)}")
        out.append(paint("  fix:   ", "fix") + printable(d.fix()))
        for evidence in d.all_evidence():
            out.append(
                paint(f"    {evidence.path}:{evidence.line}: ", "dim")
                + printable(evidence.text[:300])
            )
        for finding in d.related_findings:
            out.append(
                f"  config: {finding['path']}:{finding['line']}:{finding['column']}: "
                f"{finding['rule']} {printable(str(finding['message']))}"
            )
            if finding.get("fix"):
                out.append(paint("          fix: ", "fix") + printable(str(finding["fix"])))
        if d.related_rules and not d.related_findings:
            out.append(
                f"  see:   halint explain {d.related_rules[0]}"
                + (f" (and {', '.join(d.related_rules[1:])})" if d.related_rules[1:] else "")
            )
    if timeline:
        if out:
            out.append("")
        out.append(paint(f"Timeline ({len(timeline)} events)", "bold"))
        for entry in timeline:
            node = entry.node or "-"
            out.append(
                f"  {entry.time or '(no time)':19}  {node:<12} {entry.event:<15} "
                f"{printable(entry.detail)}"
            )
        if dropped:
            out.append(f"  ... and {dropped} more events (see --format json for the first ones)")
    if holders:
        out.append("")
        out.append(paint("Resources at the end of the logs", "bold"))
        for group, nodes in holders.items():
            held = " and ".join(nodes) if nodes else "nobody"
            warn = paint("  <- split brain", "error") if len(nodes) > 1 else ""
            out.append(f"  {group}: {held}{warn}")
    counts = summary(diagnoses, events, dropped)
    if out:
        out.append("")
    if not events:
        out.append("No Heartbeat lines found: nothing to diagnose.")
    elif not diagnoses:
        out.append(
            f"Heartbeat lines and no known failure: {_n(events, 'Heartbeat log line')} read, "
            "none of them a failure halint knows."
        )
    else:
        out.append(
            f"{_n(len(diagnoses), 'diagnosis', 'diagnoses')} ({_n(counts['error'], 'error')}, "
            f"{_n(counts['warning'], 'warning')}, {counts['info']} info) from "
            f"{_n(events, 'Heartbeat log line')}."
        )
    return "\n".join(out) + "\n"


def d_times(count: int) -> str:
    from halint.logs.diagnose import times

    return times(count)


def _n(count: object, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


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
