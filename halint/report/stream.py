"""A check run to its output, cluster by cluster.

Text is written as each cluster is checked, so a fleet's report starts at once and nothing of
a cluster is kept once it is shown. The one-document formats (JSON, SARIF) and the annotations
keep only the findings and the names of the nodes, never the files read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from halint.i18n import _, ngettext
from halint.report import summary

if TYPE_CHECKING:
    from halint.engine import CheckRun, ClusterReport
    from halint.findings import Finding

Echo = Callable[..., None]
MAX_SHOWN_LINE = 400


def _line_source(report: ClusterReport) -> Callable[[str, int], str | None]:
    """Source lines as they may be shown: key lines masked by their shape, a file that is a
    node's authkeys under another name shown as authkeys, and no secret word of the cluster's
    files anywhere in a line (a key pasted into ha.cf on its own) (halint.outgoing)."""
    from halint.outgoing import secrets_of, shown_kinds
    from halint.redact import scrub, shown_line

    sources = [source for loaded in report.nodes for source in loaded.sources.values()]
    kinds = shown_kinds(sources)
    lines = {s.path: (kinds[s.path], s.lines) for s in sources if s.readable}
    secrets = secrets_of(sources)

    def line_of(path: str, number: int) -> str | None:
        kind, file_lines = lines.get(path, ("", []))
        if not 1 <= number <= len(file_lines):
            return None
        text = file_lines[number - 1]
        if len(text) > MAX_SHOWN_LINE:
            return None
        return scrub(shown_line(kind, text), secrets)

    return line_of


def _offline_note(run: CheckRun) -> str | None:
    if run.host is None:
        return _("--offline: the live-host rules (HL6xx) were not run.")
    return None


def _live_note(report: ClusterReport, node_name: str, source: str) -> str:
    """Which node of the cluster was checked against this machine, or why none was."""
    if report.live_folder is not None:
        return _("the live rules (HL6xx) ran for {folder}: this host is {node}").format(
            folder=report.live_folder, node=node_name
        )
    return _(
        "the live rules (HL6xx) did not run: none of these nodes is this host ({node}, from "
        "{source}); use --node NAME to check as another node"
    ).format(node=node_name, source=source)


def render_run(run: CheckRun, output_format: str, echo: Echo, is_tty: bool) -> list[str]:
    """Write the run in `output_format`; return the severities found (for the exit code)."""
    if output_format == "text":
        return _text(run, echo, is_tty)
    findings: list[Finding] = []
    clusters: list[dict[str, object]] = []
    for report in run.clusters:
        findings.extend(report.findings)
        clusters.append(_cluster_entry(report))
        report.nodes = []  # the files are no longer needed
    if output_format == "json":
        from halint.report.json_report import render as render_json

        nodes = [n for c in clusters for n in c["nodes"]] if run.node_count > 1 else None  # type: ignore[attr-defined]
        echo(render_json(findings, nodes, clusters, run.notes), nl=False)
    elif output_format == "sarif":
        from halint.report.sarif import render as render_sarif

        _notes_to_stderr(run, echo)
        echo(render_sarif(findings, "halint/check/"), nl=False)
    else:
        from halint.report.github import render as render_github

        _notes_to_stderr(run, echo)
        echo(render_github(findings), nl=False)
    return [f.severity for f in findings]


def _notes_to_stderr(run: CheckRun, echo: Echo) -> None:
    for note in run.notes:
        echo(f"halint: {note}", err=True)


def _cluster_entry(report: ClusterReport) -> dict[str, object]:
    return {
        "name": report.name,
        "folder": report.folder,
        "nodes": [
            {"path": i.folder, "name": i.name, "identified_by": i.how, "source": i.source}
            for i in report.identities
        ],
        "live": report.live_folder,
        "notes": report.notes,
    }


def _text(run: CheckRun, echo: Echo, is_tty: bool) -> list[str]:
    from halint.report.text import render_findings, render_identities, summary_line, use_colour

    colour = use_colour(is_tty)
    severities: list[str] = []
    counts = {"error": 0, "warning": 0, "info": 0}
    blocks = False
    with_problems = 0
    fixable = 0
    several = run.cluster_count > 1
    header: list[str] = [f"halint: {note}" for note in run.notes]
    if several:
        header.append(
            _("Checking {clusters} clusters ({nodes} nodes):").format(
                clusters=run.cluster_count, nodes=run.node_count
            )
        )
    offline = _offline_note(run) if run.node_count > 1 else None
    if offline and several:
        header.append("  " + offline)
    if header:
        echo("\n".join(header))
    for report in run.clusters:
        out: list[str] = []
        if several:
            count = len(report.identities)
            header_text = (
                ngettext(
                    "Cluster {name} ({count} node in {folder}):",
                    "Cluster {name} ({count} nodes in {folder}):",
                    count,
                )
                # (a name that already says its folder, `web1+web2 (lab-a/ha)`, is not told twice)
                if report.folder and not report.name.endswith(f" ({report.folder})")
                else ngettext(
                    "Cluster {name} ({count} node):", "Cluster {name} ({count} nodes):", count
                )
            )
            out.extend(
                render_identities(
                    report.identities,
                    header_text.format(name=report.name, count=count, folder=report.folder),
                )
            )
        elif run.node_count > 1:
            out.extend(
                render_identities(
                    report.identities,
                    _("Checking {count} nodes as one cluster:").format(count=run.node_count),
                )
            )
            if offline:
                out.append("  " + offline)
        out.extend(f"  {note}" for note in report.notes)
        if run.host is not None and run.node_count > 1:
            out.append("  " + _live_note(report, run.host.node_name, run.host.name_source))
        out.extend(render_findings(report.findings, _line_source(report), colour))
        if out:
            echo("\n".join(out))
        found = summary(report.findings)
        for severity in counts:
            counts[severity] += int(found[severity])
        blocks = blocks or bool(found["blocks_start"])
        with_problems += bool(report.findings)
        fixable += sum(1 for f in report.findings if f.fixable)
        severities.extend(f.severity for f in report.findings)
    clusters = (with_problems, run.cluster_count) if several else None
    echo(summary_line(counts, blocks, clusters, fixable))
    return severities
