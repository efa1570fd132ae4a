"""`--format json`: the stable shape design.md fixes."""

from __future__ import annotations

import json

from halint import __version__
from halint.findings import Finding
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
        "message": finding.message,
        "fix": finding.fix,
        "related": [
            {"path": r.path, "line": r.line, "column": r.column, "message": r.message}
            for r in finding.related
        ],
    }


def render(findings: list[Finding], identities: list | None = None) -> str:
    document: dict[str, object] = {
        "version": 1,
        "tool": {"name": "halint", "version": __version__},
        "findings": [finding_dict(f) for f in findings],
        "summary": summary(findings),
    }
    if identities is not None:
        document["nodes"] = [
            {"path": i.folder, "name": i.name, "identified_by": i.how} for i in identities
        ]
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"
