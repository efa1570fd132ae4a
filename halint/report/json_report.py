"""`--format json`: the stable shape design.md fixes."""

from __future__ import annotations

import json

from halint import __version__
from halint.findings import Finding
from halint.i18n import language_tag
from halint.report import summary


def finding_dict(finding: Finding) -> dict[str, object]:
    return {
        "rule": finding.rule,
        "name": finding.name,
        "severity": finding.severity,
        "blocks_start": finding.blocks_start,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "node": finding.node,
        "cluster": finding.cluster,
        "message": finding.message,
        "fix": finding.fix,
        "fixable": finding.fixable,
        "related": [
            {"path": r.path, "line": r.line, "column": r.column, "message": r.message}
            for r in finding.related
        ],
    }


def render(
    findings: list[Finding],
    nodes: list[dict[str, object]] | None = None,
    clusters: list[dict[str, object]] | None = None,
    notes: list[str] | None = None,
) -> str:
    """The document: findings and summary; with several nodes, which folder is which node
    (`nodes`) and the clusters found (`clusters`); what discovery had to say (`notes`)."""
    document: dict[str, object] = {
        "version": 1,
        "tool": {"name": "halint", "version": __version__},
        # the language of message, fix, related messages and notes (BCP 47: en-US, zh-CN);
        # everything else (rule, name, severity, paths) is the same in every language
        "language": language_tag(),
        "findings": [finding_dict(f) for f in findings],
        "summary": summary(findings),
    }
    if nodes is not None:
        document["nodes"] = nodes
    if clusters is not None:
        document["clusters"] = clusters
    document["notes"] = notes or []  # (always there: a script may read it without a test)
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"
