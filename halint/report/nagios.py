"""`--format nagios`: a monitoring plugin's output (Nagios, Icinga, NRPE, Sensu, Zabbix's
external checks all read it). One status line `HALINT OK|WARNING|CRITICAL|UNKNOWN: ...`,
performance data after `|`, then one line per finding or diagnosis; the exit code is the state:
0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (an input that cannot be read).

The prefix `HALINT <STATE>:`, the states, the severities and rule IDs of the detail lines and
the performance data's labels are the same in every language (monitoring keys on them); the
text after the prefix is in the chosen language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from halint.i18n import _, ngettext
from halint.report import counted

if TYPE_CHECKING:
    from halint.findings import Finding
    from halint.logs.diagnose import Diagnosis

OK, WARNING, CRITICAL, UNKNOWN = 0, 1, 2, 3
STATES = ("OK", "WARNING", "CRITICAL", "UNKNOWN")
MAX_DETAIL_LINES = 20


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
        lines.append(_("... and {count} more").format(count=len(details) - MAX_DETAIL_LINES))
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
    # Whole sentences with and without the window (`in the last 15m`): where it goes is the
    # language's to say.
    if state == OK and failovers:
        from halint.logs.diagnose import times

        summary = (
            _("no Heartbeat failure {window}, resources changed hands {times}")
            if window
            else _("no Heartbeat failure, resources changed hands {times}")
        ).format(window=window, times=times(failovers))
    elif state == OK:
        summary = (
            _("no Heartbeat failure {window}") if window else _("no Heartbeat failure")
        ).format(window=window)
    else:
        worst = next(d for d in diagnoses if d.severity == ("error" if errors else "warning"))
        summary = (
            _("{errors}, {warnings} {window}: {rule} {title}")
            if window
            else _("{errors}, {warnings}: {rule} {title}")
        ).format(
            errors=counted("error", errors),
            warnings=counted("warning", warnings),
            window=window,
            rule=worst.rule,
            title=worst.title(),
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
    if state == OK and infos:
        summary = ngettext(
            "configuration clean ({count} info)", "configuration clean ({count} infos)", infos
        ).format(count=infos)
    elif state == OK:
        summary = _("configuration clean")
    else:
        worst = next(f for f in findings if f.severity == ("error" if errors else "warning"))
        said = (
            _("{errors}, {warnings}, Heartbeat would refuse to start: {rule} {where} {message}")
            if blocks
            else _("{errors}, {warnings}: {rule} {where} {message}")
        )
        summary = said.format(
            errors=counted("error", errors),
            warnings=counted("warning", warnings),
            rule=worst.rule,
            where=f"{worst.path}:{worst.line}",
            message=worst.message,
        )
    perfdata = [f"errors={errors};;1;0", f"warnings={warnings};1;;0", f"info={infos};;;0"]
    details = [
        f"{f.severity} {f.rule} {f.path}:{f.line}: {f.message}"
        for f in findings
        if f.severity != "info"
    ]
    return _status(state, summary, perfdata, details), state
