"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step; when there are
more, a closing notice says so. Values are escaped as the runner expects: `%`, CR and LF in the
message; also `:` and `,` in the properties.
"""

from __future__ import annotations

from halint.findings import Finding
from halint.report import printable

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
SHOWN_PER_LEVEL = 10


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    properties = [f"file={escape_property(finding.path)}", f"line={finding.line}"]
    single_line = finding.end_line in (None, finding.line)
    if finding.end_line is not None and not single_line:
        properties.append(f"endLine={finding.end_line}")
    if single_line:
        properties.append(f"col={finding.column}")
        if finding.end_column is not None and finding.end_column > finding.column:
            properties.append(f"endColumn={finding.end_column}")
    properties.append(f"title={escape_property(f'{finding.rule} {finding.name}')}")
    message = printable(finding.message, keep_newlines=True)
    if finding.fix:
        message += f"\nFix: {printable(finding.fix, keep_newlines=True)}"
    for related in finding.related:
        message += (
            f"\nAlso {related.path}:{related.line}: "
            f"{printable(related.message, keep_newlines=True)}"
        )
    return f"::{COMMANDS[finding.severity]} {','.join(properties)}::{escape_data(message)}"


def render(findings: list[Finding]) -> str:
    lines = [annotation(f) for f in findings]
    counts = {level: sum(1 for f in findings if f.severity == level) for level in COMMANDS}
    over = {level: n for level, n in counts.items() if n > SHOWN_PER_LEVEL}
    if over:
        said = ", ".join(f"{n} {COMMANDS[level]}s" for level, n in over.items())
        lines.append(
            "::notice title=halint::"
            + escape_data(
                f"halint found {len(findings)} problems ({said}); GitHub shows only "
                f"{SHOWN_PER_LEVEL} annotations of each level per step. The job log has them "
                "all; upload --format sarif to code scanning to see every one."
            )
        )
    return "\n".join(lines) + ("\n" if lines else "")
