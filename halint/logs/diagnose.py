"""From events to diagnoses: signatures matched, repeated evidence grouped, the timeline kept.

Memory stays bounded whatever the size of the log: each diagnosis keeps a count, first and last
time, and a handful of evidence lines; the timeline keeps at most MAX_TIMELINE entries.
"""

from __future__ import annotations

import string
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from halint.catalogue import Reason, RuleDoc
from halint.logs.classify import Hits, classify
from halint.logs.reader import Event
from halint.logs.signatures import CompiledPattern, signatures
from halint.logs.timeline import TimelineEntry, entry_for, redacted
from halint.report.redact import redact_log_line

if TYPE_CHECKING:
    from halint.findings import Finding

MAX_EVIDENCE_FIRST = 3
MAX_EVIDENCE_LAST = 2
MAX_TIMELINE = 5000
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
_GENERIC_ERRORS = (
    "Authentication configuration error",
    "Heartbeat not started",
    "Configuration error, heartbeat not started",
    "Cannot lock ourselves",
)


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


@dataclass
class Diagnosis:
    rule: str
    values: dict[str, str]
    count: int = 0
    first: str = ""
    last: str = ""
    nodes: set[str] = field(default_factory=set)
    evidence: list[Evidence] = field(default_factory=list)
    latest: deque[Evidence | Event] = field(default_factory=lambda: deque(maxlen=MAX_EVIDENCE_LAST))
    stat: int | None = None
    related_rules: list[str] = field(default_factory=list)
    related_findings: list[dict[str, object]] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def add(self, event: Event, evidence: Evidence | None = None) -> None:
        self.count += 1
        stamp, node = event.time, event.node
        if not self.first:
            self.first = stamp
        if stamp:
            self.last = stamp
        if node:
            self.nodes.add(node)
        if len(self.evidence) < MAX_EVIDENCE_FIRST:
            self.evidence.append(evidence or Evidence.of(event))
        else:
            self.latest.append(evidence or event)  # made into Evidence only when shown

    def all_evidence(self) -> list[Evidence]:
        latest = [e if isinstance(e, Evidence) else Evidence.of(e) for e in self.latest]
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
            message=f"{self.title()} ({self.count}x). {self.doc.cause}",
            fix=self.doc.fix,
            related=[],
        )

    def title(self) -> str:
        values = {
            "node": ", ".join(sorted(self.nodes)) or "this node",
            "count": str(self.count),
            "stat": str(self.stat) if self.stat is not None else "?",
            **self.values,
        }
        return string.Formatter().vformat(self.doc.title or self.doc.summary, (), _Default(values))


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def explaining_line(
    messages: Sequence[str], reasons: Sequence[Reason]
) -> tuple[int, Reason] | None:
    """Which of the error messages before a refused start explains it, and what it means: the
    first with a reason; the generic "not started" only when no other has one, and a weak one
    (logged on starts that go on too) only when not even that. (The oracle tests hold this
    choice to what the real daemon logs.)"""
    best: tuple[int, int, Reason] | None = None
    for index, message in enumerate(messages):
        generic = message.startswith(_GENERIC_ERRORS)
        for item in reasons:
            if item.needle in message and (
                not generic or item.needle.startswith("Heartbeat not started")
            ):
                rank = 3 if item.weak else 2 if generic else 0
                if best is None or rank < best[0]:
                    best = (rank, index, item)
                break
        if best is not None and best[0] == 0:
            break
    return (best[1], best[2]) if best else None


@dataclass
class _Overlap:
    group: str
    holders: tuple[str, str]
    evidence: list[Evidence]


class Diagnoser:
    def __init__(self) -> None:
        self.sigs = signatures()
        self.diagnoses: dict[tuple[str, tuple[str, ...]], Diagnosis] = {}
        self.timeline: list[TimelineEntry] = []
        self.timeline_dropped = 0
        self.recent_errors: dict[str, deque[Event]] = {}
        self.holders: dict[str, dict[str, Evidence]] = {}
        self.last_seen: dict[str, str] = {}
        self.declared_dead: dict[str, str] = {}
        self.final_holders: dict[str, list[str]] = {}
        self.pending: list[_Overlap] = []
        self.links: dict[tuple[str | None, str], set[str]] = {}
        self.counts: dict[tuple[str, tuple[str, ...]], int] = {}
        self.nodes_seen: set[str] = set()
        self.link_notes: dict[tuple[str, tuple[str, ...]], str] = {}
        self.events = 0

    # -- feeding ----------------------------------------------------------------------------

    def feed(self, event: Event) -> None:
        self.feed_classified(event, classify(event.message))

    def feed_classified(self, event: Event, hits: Hits) -> None:
        """One event, in time order, with what `classify` found in its message."""
        self.events += 1
        node = event.node
        if node:
            self.nodes_seen.add(node)
            self.last_seen[node] = event.time
        timeline, patterns = hits
        if timeline is not None:
            self._timeline(event, *timeline)
        elif node and self.pending:
            self._confirm(node, event.time)
        message = event.message
        if event.level in ("ERROR", "CRIT", "EMERG") or message.startswith(
            ("Auth method", "Client child")
        ):
            errors = self.recent_errors.get(event.path)
            if errors is None:
                errors = self.recent_errors[event.path] = deque(maxlen=32)
            errors.append(event)
        for index, values, key, figure in patterns:
            self._matched(self.sigs.patterns[index], values, key, figure, event)

    def _matched(
        self,
        pattern: CompiledPattern,
        values: dict[str, str],
        key: tuple[str, tuple[str, ...]],
        figure: int | None,
        event: Event,
    ) -> None:
        if pattern.rule == "HL701":
            self._refused(event, values)
            return
        diagnosis = self.diagnoses.get(key)
        if diagnosis is None:
            if pattern.min_count > 1:
                count = self.counts[key] = self.counts.get(key, 0) + 1
                if count < pattern.min_count:
                    return
            diagnosis = self.diagnoses[key] = Diagnosis(
                pattern.rule,
                dict(values),  # values may be shared with other events (see classify)
                related_rules=list(self.sigs.docs[pattern.rule].related),
            )
        diagnosis.add(event)
        if figure is not None and (diagnosis.stat is None or figure > diagnosis.stat):
            diagnosis.stat = figure

    def _refused(self, event: Event, values: dict[str, str]) -> None:
        doc = self.sigs.docs["HL701"]
        buffered = list(self.recent_errors.pop(event.path, ()))
        found = explaining_line([e.message for e in buffered], doc.reasons)
        reason_event, reason = (buffered[found[0]], found[1]) if found else (None, None)
        label = reason.means if reason else "no reason was logged"
        key = ("HL701", (event.node or "", label))
        diagnosis = self.diagnoses.get(key)
        if diagnosis is None:
            diagnosis = self.diagnoses[key] = Diagnosis(
                "HL701", {"reason": label}, related_rules=list(reason.rules if reason else [])
            )
        if reason_event is not None:
            diagnosis.add(event, Evidence.of(reason_event))
            if len(diagnosis.evidence) < MAX_EVIDENCE_FIRST + 1:
                diagnosis.evidence.append(Evidence.of(event))
        else:
            diagnosis.add(event)

    # -- the timeline, ownership and links -------------------------------------------------

    def _timeline(self, event: Event, name: str, detail: str, group: str | None) -> None:
        if len(self.timeline) < MAX_TIMELINE:
            self.timeline.append(redacted(entry_for(event, name, detail, group)))
        else:
            self.timeline_dropped += 1  # its consequences below still count
        node = event.node or ""
        if name in ("start", "stopped", "refused-start"):
            self._forget(node)
            self.links = {k: v for k, v in self.links.items() if k[0] != event.node}
            return
        if name == "release" and group:
            self.holders.get(group, {}).pop(node, None)
            self.pending = [p for p in self.pending if not (p.group == group and node in p.holders)]
            return
        self._confirm(node, event.time)
        if name == "node-dead":
            peer = detail.split()[0]
            self.declared_dead[peer] = event.time
            if peer not in self.nodes_seen:
                self._forget(peer)
        elif name in ("link-up", "link-dead"):
            peer, _, iface = detail.partition(" via ")
            up = self.links.setdefault((event.node, peer), set())
            if name == "link-up":
                up.add(iface)
            else:
                up.discard(iface)
                self._link_dead_detail(event, peer, iface, up)
        elif name == "acquire" and group:
            holders = self.holders.setdefault(group, {})
            holders[node] = Evidence.of(event)
            others = [n for n in holders if n != node]
            for other in others:
                self.pending.append(
                    _Overlap(group, (other, node), [holders[other], Evidence.of(event)])
                )

    def _forget(self, node: str) -> None:
        for holders in self.holders.values():
            holders.pop(node, None)
        self.pending = [p for p in self.pending if node not in p.holders]

    def _confirm(self, node: str, when: str) -> None:
        """A later sign of life from the first holder — in a later second than the second
        acquisition, logs have one-second stamps — proves both nodes held the group."""
        if not self.pending:
            return
        still: list[_Overlap] = []
        for overlap in self.pending:
            if overlap.holders[0] != node or not when or when <= overlap.evidence[1].time:
                still.append(overlap)
                continue
            key = ("HL703", ("group", overlap.group))
            diagnosis = self.diagnoses.get(key)
            if diagnosis is None:
                diagnosis = self.diagnoses[key] = Diagnosis(
                    "HL703",
                    {
                        "detail": f"{overlap.group} held by {overlap.holders[0]} and "
                        f"{overlap.holders[1]} at once"
                    },
                    related_rules=list(self.sigs.docs["HL703"].related),
                )
                diagnosis.first = overlap.evidence[1].time
            diagnosis.count += 1
            diagnosis.last = overlap.evidence[1].time
            diagnosis.nodes.update(overlap.holders)
            for item in overlap.evidence:
                if len(diagnosis.evidence) < MAX_EVIDENCE_FIRST + 1:
                    diagnosis.evidence.append(item)
        self.pending = still

    def _link_dead_detail(self, event: Event, peer: str, iface: str, up: set[str]) -> None:
        key = ("HL707", (peer, iface))
        note = (
            f"another link to {peer} ({', '.join(sorted(up))}) stayed up"
            if up
            else f"no other link to {peer} was up"
        )
        self.link_notes.setdefault(key, note)

    # -- the result --------------------------------------------------------------------------

    def _ownership_changes(self) -> None:
        """HL711 from the timeline: every acquisition of a group last held by another node."""
        last: dict[str, str | None] = {}
        changes: list[TimelineEntry] = []
        for entry in self.timeline:
            if entry.event != "acquire" or not entry.group:
                continue
            before = last.get(entry.group)
            if before is not None and before != entry.node:
                changes.append(entry)
            last[entry.group] = entry.node
        if not changes:
            return
        diagnosis = Diagnosis("HL711", {}, related_rules=[])
        for entry in changes:
            diagnosis.count += 1
            diagnosis.first = diagnosis.first or entry.time
            diagnosis.last = entry.time
            if entry.node:
                diagnosis.nodes.add(entry.node)
            evidence = Evidence(entry.path, entry.line, entry.time, entry.node, entry.text)
            if len(diagnosis.evidence) < MAX_EVIDENCE_FIRST:
                diagnosis.evidence.append(evidence)
            else:
                diagnosis.latest.append(evidence)
        self.diagnoses = {k: v for k, v in self.diagnoses.items() if k[0] != "HL711"}
        self.diagnoses[("HL711", ())] = diagnosis

    def finish(self) -> list[Diagnosis]:
        self._ownership_changes()
        self.final_holders = {
            group: sorted(n for n in holders if not self._down_at_end(n))
            for group, holders in sorted(self.holders.items())
        }
        for key, note in self.link_notes.items():
            if key in self.diagnoses:
                self.diagnoses[key].extra.append(note)
        for (rule, values), diagnosis in self.diagnoses.items():
            if rule == "HL702":
                self._takeovers_after(diagnosis, values[0])
            if rule == "HL703" and "detail" not in diagnosis.values:
                diagnosis.values["detail"] = (
                    f"{values[0]} returned after a partition"
                    if values and values[0]
                    else "both nodes owned the resources"
                )
        return sorted(
            self.diagnoses.values(),
            key=lambda d: (SEVERITY_RANK[d.severity], d.first or "~", d.rule),
        )

    def _down_at_end(self, node: str) -> bool:
        """Declared dead by a peer after the last line it logged itself."""
        dead = self.declared_dead.get(node)
        return dead is not None and dead >= self.last_seen.get(node, "")

    def _takeovers_after(self, diagnosis: Diagnosis, peer: str) -> None:
        after = [
            t
            for t in self.timeline
            if t.event in ("takeover", "acquire")
            and t.time >= (diagnosis.first or "")
            and t.node != peer
        ]
        for entry in after[:2]:
            diagnosis.extra.append(f"{entry.time} {entry.node}: {entry.event} {entry.detail}")
