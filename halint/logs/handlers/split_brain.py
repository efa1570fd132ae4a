"""HL703 split-brain: Heartbeat's own words for it, and a group held by two nodes at once —
proven by a sign of life from the first holder after the second took the group."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from halint.i18n import _
from halint.logs.handlers import LogRule, log_rule

if TYPE_CHECKING:
    from halint.logs.diagnose import Diagnoser, Evidence
    from halint.logs.reader import Event

MAX_EVIDENCE = 4


@dataclass
class _Overlap:
    group: str
    holders: tuple[str, str]
    evidence: list[Evidence]


@log_rule("HL703")
class SplitBrain(LogRule):
    timeline_events = frozenset(
        {"start", "stopped", "refused-start", "release", "node-dead", "acquire"}
    )

    def __init__(self, diagnoser: Diagnoser) -> None:
        super().__init__(diagnoser)
        self.pending: list[_Overlap] = []

    def timeline(self, event: Event, name: str, detail: str, group: str | None) -> None:
        node = event.node or ""
        if name in ("start", "stopped", "refused-start"):
            self._drop(node)
        elif name == "release" and group:
            self.pending = [p for p in self.pending if not (p.group == group and node in p.holders)]
        elif name == "node-dead":
            peer = detail.split()[0]
            if peer not in self.diagnoser.nodes_seen:
                self._drop(peer)
        elif name == "acquire" and group:
            holders = self.diagnoser.holders.get(group, {})
            for other in [n for n in holders if n != node]:
                self.pending.append(_Overlap(group, (other, node), [holders[other], holders[node]]))
        self.watch(bool(self.pending))

    def _drop(self, node: str) -> None:
        self.pending = [p for p in self.pending if node not in p.holders]

    def alive(self, node: str, when: str) -> None:
        """A later sign of life from the first holder — in a later second than the second
        acquisition, logs have one-second stamps — proves both nodes held the group."""
        still: list[_Overlap] = []
        for overlap in self.pending:
            if overlap.holders[0] != node or not when or when <= overlap.evidence[1].time:
                still.append(overlap)
                continue
            diagnosis = self.diagnoser.diagnosis(
                ("HL703", ("group", overlap.group)),
                {
                    "detail": _("{group} held by {first} and {second} at once").format(
                        group=overlap.group, first=overlap.holders[0], second=overlap.holders[1]
                    )
                },
            )
            if not diagnosis.first:
                diagnosis.first = overlap.evidence[1].time
            diagnosis.count += 1
            diagnosis.last = overlap.evidence[1].time
            diagnosis.nodes.update(overlap.holders)
            for item in overlap.evidence:
                if len(diagnosis.evidence) < MAX_EVIDENCE:
                    diagnosis.evidence.append(item)
        self.pending = still
        self.watch(bool(still))

    def finish(self) -> None:
        for (rule, values), diagnosis in self.diagnoser.diagnoses.items():
            if rule != "HL703" or "detail" in diagnosis.values:
                continue
            found = diagnosis.values
            if "rsc" in found:
                detail = _("{resource} active on {count} nodes").format(
                    resource=found["rsc"], count=found.get("n", "2")
                )
            elif values and values[0]:
                detail = _("{peer} returned after a partition").format(peer=values[0])
            else:
                detail = _("both nodes owned the resources")
            diagnosis.values["detail"] = detail
