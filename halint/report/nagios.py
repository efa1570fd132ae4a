"""`--format nagios`: a monitoring plugin's output (Nagios, Icinga, NRPE, Sensu, Zabbix's
external checks all read it). One status line `HALINT OK|WARNING|CRITICAL|UNKNOWN: ...`,
performance data after `|`, then one line per finding or diagnosis; the exit code is the state:
0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (an input that cannot be read)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from halint.findings import Finding
    from halint.logs.diagnose import Diagnosis

OK, WARNING, CRITICAL, UNKNOWN = 0, 1, 2, 3
STATES = ("OK", "WARNING", "CRITICAL", "UNKNOWN")
MAX_DETAIL_LINES = 20


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _clean(text: str) -> str:
    """Text that cannot break the plugin format: one line, no `|`."""
    return " ".join(text.replace("|", "/").split())


def state_of(severities: Sequence[str]) -> int:
    if "error" in severities:
        return CRITICAL
    return WARNING if "warning" in severities else OK


def _status(state: int, summary: str, perfdata: list[str], details: list[str]) -> str:
    lines = [f"HALINT {STATES[state]}: {_clean(summary)} | {' '.join(perfdata)}"]
    lines += [_clean(d) for d in details[:MAX_DETAIL_LINES]]
    if len(details) > MAX_DETAIL_LINES:
        lines.append(f"... and {len(details) - MAX_DETAIL_LINES} more")
    return "\n".join(lines) + "\n"


def unknown(message: str) -> str:
    """The status of a check that could not run (a log or path that cannot be read)."""
    return f"HALINT UNKNOWN: {_clean(message)}\n"


def render_diagnose(diagnoses: Sequence[Diagnosis], window: str = "") -> tuple[str, int]:
    """(output, exit code) for `halint diagnose --format nagios`. Performance data: the
    nodes declared dead, the times resources changed hands, the worst late heartbeat."""
    state = state_of([d.severity for d in diagnoses])
    dead = sorted({d.values.get("peer", "") for d in diagnoses if d.rule in ("HL702", "HL712")})
    failovers = sum(d.count for d in diagnoses if d.rule == "HL711")
    late = max((d.stat or 0 for d in diagnoses if d.rule == "HL704"), default=0)
    errors = sum(1 for d in diagnoses if d.severity == "error")
    warnings = sum(1 for d in diagnoses if d.severity == "warning")
    where = f" {window}" if window else ""
    if state == OK:
        summary = f"no Heartbeat failure{where}"
        if failovers:
            from halint.logs.diagnose import times

            summary += f", resources changed hands {times(failovers)}"
    else:
        worst = next(d for d in diagnoses if d.severity == ("error" if errors else "warning"))
        summary = (
            f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}{where}: "
            f"{worst.rule} {worst.title()}"
        )
    perfdata = [
        f"dead_nodes={len([n for n in dead if n])};;1;0",
        f"failovers={failovers};;;0",
        f"late_heartbeat={late}ms;;;0",
        f"errors={errors};;1;0",
        f"warnings={warnings};1;;0",
    ]
    details = [f"{d.severity} {d.rule} {d.title()}" for d in diagnoses if d.severity != "info"]
    return _status(state, summary, perfdata, details), state


def render_check(findings: Sequence[Finding]) -> tuple[str, int]:
    """(output, exit code) for `halint check --format nagios` (a configuration drift check)."""
    state = state_of([f.severity for f in findings])
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = sum(1 for f in findings if f.severity == "warning")
    infos = len(findings) - errors - warnings
    blocks = any(f.blocks_start for f in findings)
    if state == OK:
        summary = "configuration clean" + (f" ({_plural(infos, 'info')})" if infos else "")
    else:
        worst = next(f for f in findings if f.severity == ("error" if errors else "warning"))
        summary = (
            f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
            f"{', Heartbeat would refuse to start' if blocks else ''}: "
            f"{worst.rule} {worst.path}:{worst.line} {worst.message}"
        )
    perfdata = [f"errors={errors};;1;0", f"warnings={warnings};1;;0", f"info={infos};;;0"]
    details = [
        f"{f.severity} {f.rule} {f.path}:{f.line}: {f.message}"
        for f in findings
        if f.severity != "info"
    ]
    return _status(state, summary, perfdata, details), state
