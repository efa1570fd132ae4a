"""`halint diagnose` end to end: read, diagnose, attach config findings."""

from __future__ import annotations

import gc
import os
import sys
import time
from dataclasses import dataclass, field

from halint.i18n import ngettext
from halint.logs.diagnose import Diagnoser, Diagnosis
from halint.logs.digest import Parallel, default_parallel, merged_batches, read_records
from halint.logs.reader import LogError
from halint.logs.skew import corrected, estimate
from halint.logs.timeline import TimelineEntry
from halint.logs.window import Bounds

__all__ = ["DiagnoseResult", "LogError", "run_diagnose"]


@dataclass
class DiagnoseResult:
    diagnoses: list[Diagnosis]
    timeline: list[TimelineEntry]
    events: int
    dropped: int
    findings: list[dict[str, object]] = field(default_factory=list)
    holders: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # about the whole run (clock skew, ...)
    skew: list[dict[str, object]] = field(default_factory=list)


class _Progress:
    """A line on stderr, refreshed at most once a second, for long inputs on a terminal.

    Not click.progressbar: its bar and its ETA need a length known beforehand, in the units it
    is advanced by, and the reader has none — it counts Heartbeat lines, and a log from a pipe
    or a compressed file has no size to measure progress against; without a length click draws
    a pulse and a count, which says less than this line (lines read, seconds spent)."""

    def __init__(self) -> None:
        self.started = self.shown = time.monotonic()

    def tick(self, events: int) -> None:
        now = time.monotonic()
        if now - self.shown < 1.0:
            return
        self.shown = now
        said = ngettext(
            "{count} Heartbeat line, {seconds} s ...",
            "{count} Heartbeat lines, {seconds} s ...",
            events,
        ).format(count=events, seconds=f"{now - self.started:.0f}")
        sys.stderr.write(f"\rhalint: {said}")
        sys.stderr.flush()

    def done(self) -> None:
        if self.shown != self.started:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def run_diagnose(
    paths: list[str],
    configs: list[str],
    progress: bool = False,
    parallel: Parallel | None = None,
    bounds: Bounds | None = None,
) -> DiagnoseResult:
    """`parallel` None: large plain logs are read by as many workers as there are CPUs (up to
    four); give one to choose, e.g. Parallel(workers=1, min_size=0) in tests."""
    diagnoser = Diagnoser()
    meter = _Progress() if progress else None
    # Reading makes millions of short-lived objects and no cycles worth collecting: the cyclic
    # collector would spend more time walking them than reading (reference counting frees them).
    collecting = gc.isenabled()
    gc.disable()
    try:
        holds = bounds.holds if bounds else None
        if len(paths) == 1:
            sequencer, pieces = read_records(paths[0], parallel or default_parallel())
            for base, piece in pieces:
                diagnoser.feed_piece(piece, base, sequencer, holds)
                if meter is not None:
                    meter.tick(diagnoser.events)
        else:
            feed = diagnoser.feed_classified
            for batch in merged_batches(paths, parallel or default_parallel()):
                for event, hits in batch:
                    if holds is None or holds(event.time):
                        feed(event, hits)
                    elif hits[0] is not None:
                        diagnoser.outside(event.time, event.node, hits[0])
                if meter is not None:
                    meter.tick(diagnoser.events)
    finally:
        if collecting:
            gc.enable()
    if meter is not None:
        meter.done()
    # the skew first: the rules that settle at the end read the timeline in one clock (the
    # order of takeovers, who was down at the end)
    skews = estimate(diagnoser.timeline)
    diagnoser.timeline = corrected(diagnoser.timeline, skews)
    diagnoses = diagnoser.finish()
    if skews:
        diagnoser.settle_holders({s.node: s.seconds for s in skews})
    timeline = diagnoser.timeline
    findings = _config_findings(configs, diagnoser.nodes_seen) if configs else []
    if findings:
        _attach(diagnoses, findings)
    return DiagnoseResult(
        diagnoses,
        timeline,
        diagnoser.events,
        diagnoser.timeline_dropped,
        findings,
        diagnoser.final_holders,
        [s.note() for s in skews],
        [s.as_dict() for s in skews],
    )


def _config_findings(configs: list[str], log_nodes: set[str]) -> list[dict[str, object]]:
    """Run `check` on the given ha.d folders with this machine's facts, through the one check
    pipeline (so the nearest .halint.toml applies as it does to `check`); the node name is the
    one the logs show (the host name in their lines), else this host's own for /etc/ha.d."""
    from halint.discovery import InputError
    from halint.engine import CheckRequest, ConfigurationError, run_check
    from halint.report.json_report import finding_dict

    node_name = next(iter(log_nodes)) if len(log_nodes) == 1 else None
    is_live = len(configs) == 1 and os.path.realpath(configs[0]) == "/etc/ha.d"
    # Without one node name in the logs, which node wrote them is not known.
    ignore = ["HL602"] if node_name is None and not is_live else []
    request = CheckRequest(paths=list(configs), node_name=node_name, ignore=ignore)
    try:
        run = run_check(request)
        return [finding_dict(f) for f in run.findings()]
    except InputError as error:
        raise LogError(f"--ha-d {error}") from None
    except ConfigurationError as error:
        raise LogError(str(error)) from None


def _attach(diagnoses: list[Diagnosis], findings: list[dict[str, object]]) -> None:
    for diagnosis in diagnoses:
        wanted = set(diagnosis.related_rules)
        diagnosis.related_findings = [f for f in findings if f["rule"] in wanted]
