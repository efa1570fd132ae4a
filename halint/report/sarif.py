"""`--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it.

Paths are relative to %SRCROOT% (the working directory, normally the repository's top), rules
carry their documentation, cross-node findings their related locations, and the run an
automation id (`halint/check/`, `halint/diagnose/`) so that uploads of both do not replace each
other.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from halint import __version__
from halint.findings import Finding
from halint.i18n import _, language_tag

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
HELP_URI = "https://github.com/halint/halint/blob/main/docs/rules.md"


def _uri(path: str, root: Path) -> tuple[str, str | None]:
    """A URI reference for the path: relative to %SRCROOT% where it is under it (its blanks,
    `#` and `%` percent-encoded), else a file: URI."""
    from urllib.parse import quote

    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return absolute.as_uri(), None
    return quote(relative.as_posix(), safe="/"), "%SRCROOT%"


def _artifact(path: str, root: Path) -> dict[str, object]:
    """Where a finding is: standard input has no URI, only a description (`<stdin>`)."""
    from halint.sources import STDIN

    if path == STDIN:
        return {"description": {"text": STDIN}}
    uri, base = _uri(path, root)
    artifact: dict[str, object] = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    return artifact


def _location(
    path: str,
    line: int,
    column: int,
    root: Path,
    end_line: int | None = None,
    end_column: int | None = None,
) -> dict[str, object]:
    artifact = _artifact(path, root)
    region: dict[str, int] = {"startLine": max(line, 1), "startColumn": max(column, 1)}
    if end_line is not None and end_line >= line:
        region["endLine"] = end_line
    if end_column is not None and (end_line in (None, line)) and end_column > column:
        region["endColumn"] = end_column
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def _rule(rule_id: str) -> dict[str, object]:
    from halint.catalogue import rule_doc
    from halint.docs import render_rule, shown

    doc = rule_doc(rule_id)
    rationale = " ".join(shown(doc.rationale).split())
    return {
        "id": doc.id,
        "name": doc.name,
        "shortDescription": {"text": shown(doc.summary)},
        "fullDescription": {"text": rationale},
        "help": {
            "text": f"{shown(doc.fix)}\n\n{rationale}",
            "markdown": render_rule(doc.id, heading="##"),
        },
        "helpUri": f"{HELP_URI}#{doc.id.lower()}-{doc.name}",
        "defaultConfiguration": {"level": LEVELS[doc.severity]},
        "properties": {"tags": ["heartbeat", "linux-ha"], "blocks_start": doc.blocks_start},
    }


def fix_said(fix: str) -> str:
    """` Fix: <the fix>`, after a result's message."""
    return " " + _("Fix: {fix}").format(fix=fix)


def render(
    findings: list[Finding], automation: str = "halint/check/", root: Path | None = None
) -> str:
    root = Path(os.path.abspath(root or os.getcwd()))
    rule_ids = sorted({f.rule for f in findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    results = []
    for finding in findings:
        result: dict[str, object] = {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message + (fix_said(finding.fix) if finding.fix else "")},
            "locations": [
                _location(
                    finding.path,
                    finding.line,
                    finding.column,
                    root,
                    finding.end_line,
                    finding.end_column,
                )
            ],
            "properties": {
                "blocks_start": finding.blocks_start,
                "node": finding.node,
                **({"cluster": finding.cluster} if finding.cluster else {}),
            },
        }
        if finding.related:
            related = []
            for number, item in enumerate(finding.related, start=1):
                location = _location(item.path, item.line, item.column, root)
                location["id"] = number
                location["message"] = {"text": item.message or _("related location")}
                related.append(location)
            result["relatedLocations"] = related
        results.append(result)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "halint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://github.com/halint/halint",
                        "rules": [_rule(rule_id) for rule_id in rule_ids],
                    }
                },
                "automationDetails": {"id": automation},
                # the language of the messages and of the rules' texts (BCP 47)
                "language": language_tag(),
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"
