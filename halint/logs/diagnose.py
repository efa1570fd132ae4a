"""From events to diagnoses: signatures matched, repeated evidence grouped, the timeline kept.

Memory stays bounded whatever the size of the log: each diagnosis keeps a count, first and last
time, and a handful of evidence lines; the timeline keeps at most MAX_TIMELINE entries.
"""

from __future__ import annotations

import re
import string
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from halint.catalogue import Reason, RuleDoc
from halint.i18n import _, ngettext, translate
from halint.logs.classify import Hits, PatternHit, TimelineHit, classify
from halint.logs.compact import day_of
from halint.logs.handlers import LogRule, load_all
from halint.logs.reader import Event, Sequencer
from halint.logs.signatures import CompiledPattern, signatures
from halint.logs.timeline import RULES as TIMELINE_RULES
from halint.logs.timeline import Said, TimelineEntry, entry_for, redacted
from halint.redact import redact_log_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from halint.findings import Finding
    from halint.logs.compact import Piece, Record

MAX_EVIDENCE_FIRST = 3
MAX_EVIDENCE_LAST = 2
MAX_TIMELINE = 5000
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
# Timeline events that say this node heard the peer named first in their detail.
_HEARD = frozenset({"link-up", "node-active", "shutdown-notice", "partition-end"})
# The lines kept for a refused start's explanation: errors, and two kinds of line before it.
_BUFFERED = frozenset({"ERROR", "CRIT", "EMERG"})
_ALSO = frozenset({"Auth method ", "Client child"})
# Timeline events that change a fact besides who heard whom (see Diagnoser._timeline).
_FACTS = frozenset({"start", "stopped", "refused-start", "release", "acquire", "node-dead"})
# Programs whose host names the node of the script lines after them (see Sequencer.event).
_DAEMONS = ("heartbeat", "ipfail")
# What feed_piece does with a line, by its text (see Diagnoser._kind).
_SLOW, _NOTHING, _TIMELINE, _COUNT, _COUNTED, _EVENT = range(6)
# A later evidence line as read (path, line, time, node, text): made into Evidence when shown.
Seen = tuple[str, int, str, str | None, str]


@dataclass(slots=True)
class Evidence:
    path: str
    line: int
    time: str
    node: str | None
    text: str

    @classmethod
    def of(cls, event: Event) -> Evidence:
        return cls(
            event.path, event.line, event.stamp(), event.node, redact_log_line(event.text.strip())
        )


@dataclass(slots=True)
class Diagnosis:
    rule: str
    values: dict[str, str]
    count: int = 0
    first: str = ""
    last: str = ""
    nodes: set[str] = field(default_factory=set)
    evidence: list[Evidence] = field(default_factory=list)
    latest: deque[Evidence | Event | Seen] = field(
        default_factory=lambda: deque(maxlen=MAX_EVIDENCE_LAST)
    )
    stat: int | None = None
    related_rules: list[str] = field(default_factory=list)
    related_findings: list[dict[str, object]] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    fix_text: str | None = None  # the fix with the path, value or node the log named

    def add(self, event: Event, evidence: Evidence | None = None) -> None:
        self.add_evidence(event.time, event.node, evidence or event)

    def add_evidence(self, stamp: str, node: str | None, evidence: Evidence | Event) -> None:
        self.count += 1
        if not self.first:
            self.first = stamp
        if stamp:
            self.last = stamp
        if node:
            self.nodes.add(node)
        if len(self.evidence) < MAX_EVIDENCE_FIRST:
            self.evidence.append(
                evidence if isinstance(evidence, Evidence) else Evidence.of(evidence)
            )
        else:
            self.latest.append(evidence)  # an Event is made into Evidence only when shown

    def all_evidence(self) -> list[Evidence]:
        latest = [
            e
            if isinstance(e, Evidence)
            else Evidence(e[0], e[1], e[2], e[3], redact_log_line(e[4].strip()))
            if isinstance(e, tuple)
            else Evidence.of(e)
            for e in self.latest
        ]
        return self.evidence + [e for e in latest if e not in self.evidence]

    # -- what the reports print -----------------------------------------------------------

    @property
    def doc(self) -> RuleDoc:
        return signatures().docs[self.rule]

    @property
    def severity(self) -> str:
        return self.doc.severity

    def as_finding(self) -> Finding | None:
        """The diagnosis as a finding at its first evidence line (SARIF, catalogue examples)."""
        from halint.findings import Finding

        evidence = self.all_evidence()
        if not evidence:
            return None
        first = evidence[0]
        return Finding.model_construct(
            rule=self.rule,
            name=self.doc.name,
            severity=self.severity,
            blocks_start=False,
            path=first.path,
            line=max(first.line, 1),
            column=1,
            end_line=None,
            end_column=None,
            node=first.node,
            message=_("{title} ({times}). {cause}").format(
                title=self.title(), times=times(self.count), cause=self.cause()
            ),
            fix=self.fix(),
            related=[],
        )

    def fix(self) -> str:
        return shown(self.fix_text or self.doc.fix)

    def cause(self) -> str:
        return shown(self.doc.cause or self.doc.summary)

    def title(self) -> str:
        values = {
            "node": ", ".join(sorted(self.nodes)) or _("this node"),
            "count": str(self.count),
            "times": times(self.count),
            "stat": str(self.stat) if self.stat is not None else "?",
            **self.values,
        }
        template = shown(self.doc.title or self.doc.summary)
        return string.Formatter().vformat(template, (), _Default(values))


def shown(text: str) -> str:
    """A text of a rule's TOML (a title, a cause, a fix) in the chosen language: its msgid is
    the text stripped; untranslated (English), the text exactly as written."""
    stripped = text.strip()
    said = translate(stripped)
    return text if said == stripped else said


def times(count: int) -> str:
    """1 -> "once", 2 -> "twice", n -> "n times"."""
    if count == 1:
        return _("once")
    if count == 2:
        return _("twice")
    return ngettext("{count} time", "{count} times", count).format(count=count)


def filled(template: str | None, values: dict[str, str]) -> str | None:
    """A fix or title template (of a rule's TOML) with the values a log line gave, in the
    chosen language; None when one is missing."""
    if not template:
        return None
    cleaned = {k: _path(v) for k, v in values.items()}
    try:
        return shown(template).format(**cleaned)
    except (KeyError, IndexError, ValueError):
        return None


def _path(value: str) -> str:
    """A path as the admin types it: Heartbeat prints /etc/ha.d//authkeys."""
    if value.startswith("/") and "//" in value:
        return re.sub("/{2,}", "/", value)
    return value


class _Default(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


class Diagnoser:
    """Builds the facts of the logs (the timeline, who started when, who heard whom, who held
    which group) and counts the lines each signature's patterns match; what a rule makes of
    more than a count is its handler's (halint/logs/handlers/)."""

    def __init__(self) -> None:
        self.sigs = signatures()
        self.diagnoses: dict[tuple[str, tuple[str, ...]], Diagnosis] = {}
        self.timeline: list[TimelineEntry] = []
        self.timeline_dropped = 0
        self.entry: TimelineEntry | None = None  # the timeline entry of the event being fed
        self.recent_errors: dict[str, deque[Event]] = {}
        self.holders: dict[str, dict[str, Evidence]] = {}
        self.last_seen: dict[str, str] = {}
        self.declared_dead: dict[str, tuple[str, str]] = {}  # node -> (when, by whom)
        self.started: dict[str, str] = {}  # node -> time of its last start
        self.heard: dict[tuple[str, str], str] = {}  # (node, peer) -> last time node heard peer
        self.notices: dict[tuple[str, str], str] = {}  # (node, peer) -> peer's shutdown notice
        self.final_holders: dict[str, list[str]] = {}
        self.counts: dict[tuple[str, tuple[str, ...]], int] = {}
        self.nodes_seen: set[str] = set()
        self.events = 0
        instances: dict[type[LogRule], LogRule] = {}
        self.handlers: dict[str, LogRule] = {}
        for rule_id, cls in load_all().items():
            self.handlers[rule_id] = instances.setdefault(cls, cls(self))
        rules = list(instances.values())
        # timeline event name -> the rules that look at it
        self._on_timeline: dict[str, list[LogRule]] = {}
        for rule in rules:
            if type(rule).timeline is not LogRule.timeline:
                for name in rule.timeline_events:
                    self._on_timeline.setdefault(name, []).append(rule)
        self._finishers = [r for r in rules if type(r).finish is not LogRule.finish]
        # per pattern index: the handler of its rule that looks at matches, if any
        self._on_match = [
            handler
            if handler is not None and type(handler).matched is not LogRule.matched
            else None
            for handler in (self.handlers.get(p.rule) for p in self.sigs.patterns)
        ]
        self.watching: list[LogRule] = []  # rules waiting for signs of life (see LogRule.alive)
        # Timeline events no rule looks at and that change no fact but who heard whom: what
        # feed_records does itself (True: the event says who heard whom)
        self._plain_timeline = {
            name: name in _HEARD
            for name, _, _, _ in TIMELINE_RULES
            if name not in _FACTS and name != "shutdown-notice" and name not in self._on_timeline
        }

    # -- feeding ----------------------------------------------------------------------------

    def outside(self, when: str, node: str | None, hit: TimelineHit) -> None:
        """A timeline line outside the --since/--until window: not shown nor judged, but who
        it says heard whom (a shutdown notice, a link up) and when a node started are kept, so
        that the lines in the window are judged as in the whole log (a stop whose notice came
        just before the window is still a planned stop)."""
        node = node or ""
        name, detail = hit[0], hit[1]
        if name in _HEARD:
            peer = detail.split(" ", 1)[0]
            self.heard[node, peer] = when
            if name == "shutdown-notice":
                self.notices[node, peer] = when
        elif name == "start":
            self.started[node] = when

    def feed(self, event: Event) -> None:
        self.feed_classified(event, classify(event.message))

    def feed_classified(self, event: Event, hits: Hits) -> None:
        """One event, in time order, with what `classify` found in its message. (Called once
        per line that matters: kept flat.)"""
        self.events += 1
        node = event.node
        timeline, patterns = hits
        if timeline is not None:
            self._timeline(event, *timeline)
        else:
            self.entry = None
        if node:
            self.nodes_seen.add(node)
            self.last_seen[node] = event.time
            if self.watching:
                for watcher in list(self.watching):
                    watcher.alive(node, event.time)
        level = event.level
        if level in _BUFFERED or (not level and not event.time) or event.message[:12] in _ALSO:
            errors = self.recent_errors.get(event.path)
            if errors is None:
                errors = self.recent_errors[event.path] = deque(maxlen=32)
            errors.append(event)
        if patterns:
            self._matched(event, patterns)

    def _matched(self, event: Event, patterns: list[PatternHit]) -> None:
        """The patterns a line matched: each handed to its rule's handler or counted."""
        node = event.node
        compiled, on_match, diagnoses = self.sigs.patterns, self._on_match, self.diagnoses
        for index, values, key, figure in patterns:
            handler = on_match[index]
            if handler is not None and handler.matched(compiled[index], values, key, figure, event):
                continue
            diagnosis = diagnoses.get(key)
            if diagnosis is None:
                self.count(compiled[index], values, key, figure, event)
                continue
            # Diagnosis.add, inline: the commonest case of all (a repeated failure)
            diagnosis.count += 1
            when = event.time
            if when:
                diagnosis.last = when
                if not diagnosis.first:
                    diagnosis.first = when
            if node:
                diagnosis.nodes.add(node)
            if len(diagnosis.evidence) < MAX_EVIDENCE_FIRST:
                diagnosis.evidence.append(Evidence.of(event))
            else:
                diagnosis.latest.append(event)  # made into Evidence only when shown
            if figure is not None and (diagnosis.stat is None or figure > diagnosis.stat):
                diagnosis.stat = figure

    def feed_records(
        self,
        records: list[Record],
        base: int,
        sequencer: Sequencer,
        holds: Callable[[str], bool] | None = None,
    ) -> None:
        """The records of a piece of one log (digest.digest's), in file order: what
        `sequencer.event` and `feed_classified` would make of each, without an Event for the
        lines that need none — a line that only counts towards a diagnosis already made, says
        who heard whom, or says nothing any rule looks at. (The busiest loop of diagnose: kept
        flat; every other line goes through feed_classified.)"""
        path, years = sequencer.path, sequencer.years
        feed, plain, on_match = self.feed_classified, self._plain_timeline, self._on_match
        diagnoses = self.diagnoses
        nodes_seen, last_seen, heard, timeline = (
            self.nodes_seen,
            self.last_seen,
            self.heard,
            self.timeline,
        )
        for number, when, month, host, entity, level, message, text, hits in records:
            # sequencer.event, inline
            if month:
                if month != sequencer.month or base + number >= years.next_line:
                    year = years.at(month, when[5:], base + number)  # (see YearGuess)
                    sequencer.month, sequencer.year_text = month, f"{year:04d}"
                when = sequencer.year_text + when[4:]
            elif when:
                years.seen(when)
                sequencer.month = 0
            else:
                when = sequencer.last_time
            sequencer.last_time = when
            node = host or sequencer.node
            if host and (entity in _DAEMONS or sequencer.node is None):
                sequencer.node = host
            if holds is not None and not holds(when):
                if hits[0] is not None:
                    self.outside(when, node, hits[0])
                continue
            hit, patterns = hits
            quick = when and not self.watching and level not in _BUFFERED
            if quick and message[:12] not in _ALSO:
                if hit is not None:
                    hears = plain.get(hit[0])
                    quick = hears is not None and not patterns
                elif patterns:
                    for index, _, key, _ in patterns:
                        if on_match[index] is not None or key not in diagnoses:
                            quick = False
                            break
            else:
                quick = False
            if not quick:
                feed(Event(when, node, entity, level, message, path, base + number, text), hits)
                continue
            self.events += 1
            if hit is not None:
                name, detail, group, said = hit
                if len(timeline) < MAX_TIMELINE:
                    entry = TimelineEntry(
                        when, node, name, detail, path, base + number, group, text, said
                    )
                    self.entry = redacted(entry)
                    timeline.append(entry)
                else:
                    self.entry = None
                    self.timeline_dropped += 1
                if hears:
                    heard[node or "", detail.split(" ", 1)[0]] = when
            else:
                self.entry = None
            if node:
                nodes_seen.add(node)
                last_seen[node] = when
            for _, _, key, figure in patterns:
                # Diagnosis.add, inline (as in feed_classified)
                diagnosis = diagnoses[key]
                diagnosis.count += 1
                diagnosis.last = when
                if not diagnosis.first:
                    diagnosis.first = when
                if node:
                    diagnosis.nodes.add(node)
                if len(diagnosis.evidence) < MAX_EVIDENCE_FIRST:
                    diagnosis.evidence.append(
                        Evidence(path, base + number, when, node, redact_log_line(text.strip()))
                    )
                else:
                    diagnosis.latest.append((path, base + number, when, node, text))
                if figure is not None and (diagnosis.stat is None or figure > diagnosis.stat):
                    diagnosis.stat = figure

    def _kind(
        self, entry: tuple[str | None, str, str, str, str, Hits]
    ) -> tuple[int, tuple[str, str] | None, bool]:
        """What feed_piece does with the lines of this text: feed_classified (_SLOW), or
        itself — count the line only (_NOTHING), add it to the timeline (_TIMELINE), count it
        towards diagnoses (_COUNT: once they are all made, _COUNTED), or what feed_classified
        does with a timeline event that changes no fact, without its tests (_EVENT); with the
        (node, peer) it says the node heard (or None), and whether its program names the node
        of the script lines after it (see Sequencer.event)."""
        host, entity, level, message, _, (hit, patterns) = entry
        daemon = entity in _DAEMONS
        if level in _BUFFERED or message[:12] in _ALSO:
            return _SLOW, None, daemon
        if hit is not None:
            name = hit[0]
            hears = self._plain_timeline.get(name)
            if hears is not None and not patterns:
                return _TIMELINE, (host or "", hit[1].split(" ", 1)[0]) if hears else None, daemon
            if name in _FACTS or name == "shutdown-notice":
                return _SLOW, None, daemon
            # a timeline event that rules look at, or with patterns: feed_classified's steps
            heard = (host or "", hit[1].split(" ", 1)[0]) if name in _HEARD else None
            return _EVENT, heard, daemon
        if patterns:
            on_match = self._on_match
            if any(on_match[index] is not None for index, _, _, _ in patterns):
                return _SLOW, None, daemon
            return _COUNT, None, daemon
        return _NOTHING, None, daemon

    def feed_piece(
        self,
        piece: Piece,
        base: int,
        sequencer: Sequencer,
        holds: Callable[[str], bool] | None = None,
    ) -> None:
        """A piece of one log (digest.digest's), in file order: what feed_records does, with
        what a line's text asks settled once per distinct text (halint.logs.compact), so that
        a line only costs its time and a few counters. (The busiest loop of diagnose: kept
        flat; every other line goes through feed_classified.)"""
        entries, records, numbers, stamps, at_stamps, refs = piece
        if not numbers:  # the piece is its records
            self.feed_records(records, base, sequencer, holds)
            return
        kinds = [self._kind(entry) for entry in entries]
        path, years, event_of, feed, diagnoses = (
            sequencer.path,
            sequencer.years,
            sequencer.event,
            self.feed_classified,
            self.diagnoses,
        )
        nodes_seen, last_seen, heard, timeline = (
            self.nodes_seen,
            self.last_seen,
            self.heard,
            self.timeline,
        )
        watching, on_timeline = self.watching, self._on_timeline
        # the time of each stamp, made when first needed; while the month holds (and so the
        # year: Sequencer.event), it holds too
        whens: list[str | None] = [None] * len(stamps)
        events = 0
        when = sequencer.last_time
        for number, at_stamp, ref in zip(numbers, at_stamps, refs, strict=True):
            if at_stamp < 0:  # a line of another shape, whole
                sequencer.last_time = when
                self.events += events
                events = 0
                month = sequencer.month
                record = records[ref]
                event = event_of(base + record[0], *record[1:8])
                when = event.time
                if sequencer.month != month:
                    whens = [None] * len(stamps)
                if holds is None or holds(when):
                    feed(event, record[8])
                continue
            when = whens[at_stamp]  # type: ignore[assignment]
            if when is None:  # sequencer.event, inline
                stamp = stamps[at_stamp]
                month, zero = day_of(stamp)
                if month != sequencer.month or base + number >= years.next_line:
                    year = years.at(month, zero[5:] + stamp[7:15], base + number)
                    sequencer.month, sequencer.year_text = month, f"{year:04d}"
                    whens = [None] * len(stamps)
                when = whens[at_stamp] = sequencer.year_text + zero[4:] + stamp[7:15]
            host, entity, level, message, rest, hits = entries[ref]
            kind, peer, daemon = kinds[ref]
            if daemon or sequencer.node is None:
                sequencer.node = host
            if holds is not None and not holds(when):
                if hits[0] is not None:
                    self.outside(when, host, hits[0])
                continue
            if kind == _COUNT:
                for _, _, key, _ in hits[1]:
                    if key not in diagnoses:
                        break
                else:
                    kind = _COUNTED
                    kinds[ref] = (kind, peer, daemon)
            if kind in (_SLOW, _COUNT) or watching:
                self.events += events
                events = 0
                event = Event(
                    when, host, entity, level, message, path, base + number, stamps[at_stamp] + rest
                )
                feed(event, hits)
                continue
            if kind == _EVENT:
                # feed_classified and _timeline, inline, for what this line can be
                events += 1
                name, detail, group, said = hits[0]  # type: ignore[misc]
                event = Event(
                    when, host, entity, level, message, path, base + number, stamps[at_stamp] + rest
                )
                if len(timeline) < MAX_TIMELINE:
                    self.entry = redacted(entry_for(event, name, detail, group, said))
                    timeline.append(self.entry)
                else:
                    self.entry = None
                    self.timeline_dropped += 1
                if peer is not None:
                    heard[peer] = when
                for handler in on_timeline.get(name, ()):
                    handler.timeline(event, name, detail, group)
                nodes_seen.add(host)  # type: ignore[arg-type]
                last_seen[host] = when  # type: ignore[index]
                if watching:  # (a rule may have started watching just now)
                    for watcher in list(watching):
                        watcher.alive(host, when)  # type: ignore[arg-type]
                if hits[1]:
                    self._matched(event, hits[1])
                continue
            events += 1
            if kind == _TIMELINE:
                name, detail, group, said = hits[0]  # type: ignore[misc]
                if len(timeline) < MAX_TIMELINE:
                    text = stamps[at_stamp] + rest
                    entry = TimelineEntry(
                        when, host, name, detail, path, base + number, group, text, said
                    )
                    timeline.append(redacted(entry))
                else:
                    self.timeline_dropped += 1
                if peer is not None:
                    heard[peer] = when
            nodes_seen.add(host)  # type: ignore[arg-type]
            last_seen[host] = when  # type: ignore[index]
            if kind == _COUNTED:
                for _, _, key, figure in hits[1]:
                    # Diagnosis.add, inline (as in feed_classified)
                    diagnosis = diagnoses[key]
                    diagnosis.count += 1
                    diagnosis.last = when
                    if not diagnosis.first:
                        diagnosis.first = when
                    diagnosis.nodes.add(host)  # type: ignore[arg-type]
                    if len(diagnosis.evidence) < MAX_EVIDENCE_FIRST:
                        diagnosis.evidence.append(
                            Evidence(
                                path,
                                base + number,
                                when,
                                host,
                                redact_log_line((stamps[at_stamp] + rest).strip()),
                            )
                        )
                    else:
                        diagnosis.latest.append(
                            (path, base + number, when, host, stamps[at_stamp] + rest)
                        )
                    if figure is not None and (diagnosis.stat is None or figure > diagnosis.stat):
                        diagnosis.stat = figure
        sequencer.last_time = when
        self.events += events

    def count(
        self,
        pattern: CompiledPattern,
        values: dict[str, str],
        key: tuple[str, tuple[str, ...]],
        figure: int | None,
        event: Event,
    ) -> Diagnosis | None:
        """Count a line towards the diagnosis `key` (made on its pattern's min_count-th line)."""
        diagnosis = self.diagnoses.get(key)
        if diagnosis is None:
            if pattern.min_count > 1:
                count = self.counts[key] = self.counts.get(key, 0) + 1
                if count < pattern.min_count:
                    return None
            diagnosis = self.diagnosis(key, dict(values))  # values may be shared (classify)
            diagnosis.fix_text = filled(pattern.fix, values)
        diagnosis.add(event)
        if figure is not None and (diagnosis.stat is None or figure > diagnosis.stat):
            diagnosis.stat = figure
        return diagnosis

    def diagnosis(
        self,
        key: tuple[str, tuple[str, ...]],
        values: dict[str, str],
        related: list[str] | None = None,
    ) -> Diagnosis:
        """The diagnosis `key`, made with these values the first time."""
        diagnosis = self.diagnoses.get(key)
        if diagnosis is None:
            rule = key[0]
            diagnosis = self.diagnoses[key] = Diagnosis(
                rule,
                values,
                related_rules=list(self.sigs.docs[rule].related if related is None else related),
            )
        return diagnosis

    # -- the facts: timeline, starts, who heard whom, ownership -----------------------------

    def _timeline(
        self, event: Event, name: str, detail: str, group: str | None, said: Said
    ) -> None:
        if len(self.timeline) < MAX_TIMELINE:
            entry = self.entry = redacted(entry_for(event, name, detail, group, said))
            self.timeline.append(entry)
        else:
            self.entry = None
            self.timeline_dropped += 1  # its consequences below still count
        node = event.node or ""
        if name in _HEARD:
            peer = detail.split(" ", 1)[0]
            self.heard[node, peer] = event.time
            if name == "shutdown-notice":
                self.notices[node, peer] = event.time
        elif name in ("start", "stopped", "refused-start"):
            self.forget(node)
            if name == "start":
                self.started[node] = event.time
                self.recent_errors.pop(event.path, None)  # errors of a start that went on
        elif name == "release" and group:
            self.holders.get(group, {}).pop(node, None)
        elif name == "acquire" and group:
            self.holders.setdefault(group, {})[node] = Evidence.of(event)
        elif name == "node-dead":
            peer = detail.split()[0]
            self.declared_dead[peer] = (event.time, node)
            if peer not in self.nodes_seen:
                self.forget(peer)
        handlers = self._on_timeline.get(name)
        if handlers:
            for handler in handlers:
                handler.timeline(event, name, detail, group)

    def forget(self, node: str) -> None:
        """`node` holds nothing any more (it started afresh, stopped, or is gone)."""
        for holders in self.holders.values():
            holders.pop(node, None)

    def down_at_end(self, node: str, clocks: dict[str, float] | None = None) -> bool:
        """Declared dead by a peer after the last line it logged itself; `clocks`: how far
        each node's clock is ahead (seconds), to compare the two nodes' times in one clock."""
        dead = self.declared_dead.get(node)
        if dead is None:
            return False
        (when, by), seen = dead, self.last_seen.get(node, "")
        if not clocks or not seen or not (clocks.get(by) or clocks.get(node)):
            return when >= seen
        from halint.logs.skew import in_reference

        by_clock, own_clock = clocks.get(by, 0.0), clocks.get(node, 0.0)
        return in_reference(when, by_clock) >= in_reference(seen, own_clock)

    def settle_holders(self, clocks: dict[str, float]) -> None:
        """Who holds each group at the end, the nodes' clocks set right (halint.logs.skew)."""
        self.final_holders = {
            group: sorted(n for n in holders if not self.down_at_end(n, clocks))
            for group, holders in sorted(self.holders.items())
        }

    # -- the result --------------------------------------------------------------------------

    def finish(self) -> list[Diagnosis]:
        for handler in self._finishers:
            handler.finish()
        self.settle_holders({})
        return sorted(
            self.diagnoses.values(),
            key=lambda d: (SEVERITY_RANK[d.severity], d.first or "~", d.rule),
        )


def explaining_line(
    messages: Sequence[str], reasons: Sequence[Reason]
) -> tuple[int, Reason] | None:
    from halint.logs.handlers.startup import explaining_line as choose

    return choose(messages, reasons)
