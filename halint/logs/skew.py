"""Clock skew between nodes, from events one node logs and the other logs at the same moment:
a shutdown announced (`Heartbeat shutdown in progress`) and its notice received, a start and
the first heartbeat heard from it (`Link X:eth0 up.`). Each node stamps its lines with its
own clock; a merged timeline of two nodes whose clocks differ by more than a second puts
causes after their effects."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime

from halint.logs.timeline import TimelineEntry

# How far apart a pair's two lines may be to be taken as one moment: clocks can be far off, by
# hours where the nodes' time zones differ (the true pairs agree with each other, see _agreeing)
MAX_APART = 26 * 3600
REPORTED_ABOVE = 1.0  # seconds
HEARD_AFTER = 1.0  # a start's first heartbeat is heard about a second later


@dataclass(frozen=True, slots=True)
class Skew:
    node: str  # whose clock is off
    reference: str  # against whose
    seconds: float  # node's clock minus reference's
    pairs: int

    def as_dict(self) -> dict[str, object]:
        return {
            "node": self.node,
            "reference": self.reference,
            "seconds": self.seconds,
            "pairs": self.pairs,
        }

    def note(self) -> str:
        """What the text report and the JSON's `notes` say of it, in the chosen language."""
        from halint.i18n import ngettext

        said = (
            ngettext(
                "the clock of {node} is about {seconds} s ahead of {reference}'s (from {count} "
                "paired event): the timeline below is corrected to {reference}'s clock; the "
                "times of the diagnoses and evidence lines are as each node logged them",
                "the clock of {node} is about {seconds} s ahead of {reference}'s (from {count} "
                "paired events): the timeline below is corrected to {reference}'s clock; the "
                "times of the diagnoses and evidence lines are as each node logged them",
                self.pairs,
            )
            if self.seconds > 0
            else ngettext(
                "the clock of {node} is about {seconds} s behind {reference}'s (from {count} "
                "paired event): the timeline below is corrected to {reference}'s clock; the "
                "times of the diagnoses and evidence lines are as each node logged them",
                "the clock of {node} is about {seconds} s behind {reference}'s (from {count} "
                "paired events): the timeline below is corrected to {reference}'s clock; the "
                "times of the diagnoses and evidence lines are as each node logged them",
                self.pairs,
            )
        )
        said = said.format(
            node=self.node,
            seconds=f"{abs(self.seconds):.0f}",
            reference=self.reference,
            count=self.pairs,
        )
        half_hours = round(abs(self.seconds) / 1800)
        if half_hours and abs(abs(self.seconds) - half_hours * 1800) <= 60:
            from halint.i18n import _

            said += _(
                " (about {hours} h: are the nodes' clocks set to different time zones?)"
            ).format(hours=f"{half_hours / 2:g}")
        return said


def _seconds(when: str) -> float | None:
    try:
        return datetime.fromisoformat(when).timestamp()
    except ValueError:
        return None


def _peer(entry: TimelineEntry) -> str:
    return entry.detail.split()[0] if entry.detail else ""


def estimate(timeline: list[TimelineEntry]) -> list[Skew]:
    """The skew of each node against another whose log holds the other half of a paired
    event, where it is above one second. A shutdown and its notice pair unambiguously (a node
    announces each stop once); without one, a node's first start pairs with the first link-up
    about it on its peer (a heartbeat takes about a second to be heard)."""
    by_kind: dict[str, list[tuple[float, str, str]]] = {}
    for entry in timeline:
        if entry.event in ("stopping", "start", "shutdown-notice", "link-up") and entry.node:
            when = _seconds(entry.time)
            if when is not None:
                by_kind.setdefault(entry.event, []).append((when, entry.node, _peer(entry)))
    # (sender, receiver) -> offsets (receiver's time minus sender's)
    offsets: dict[tuple[str, str], list[float]] = {}
    for sent, sender, _ in by_kind.get("stopping", []):
        for seen, receiver, about in by_kind.get("shutdown-notice", []):
            if about == sender and receiver != sender and abs(seen - sent) <= MAX_APART:
                offsets.setdefault((sender, receiver), []).append(seen - sent)
    if not offsets:
        first_start: dict[str, float] = {}
        for sent, sender, _ in by_kind.get("start", []):
            first_start.setdefault(sender, sent)
        first_heard: dict[tuple[str, str], float] = {}
        for seen, receiver, about in by_kind.get("link-up", []):
            first_heard.setdefault((about, receiver), seen)
        for (sender, receiver), heard in first_heard.items():
            started = first_start.get(sender)
            if started is not None and receiver != sender and abs(heard - started) <= MAX_APART:
                offsets.setdefault((sender, receiver), []).append(heard - started - HEARD_AFTER)
    found: list[Skew] = []
    nodes = sorted({n for pair in offsets for n in pair})
    for index, first in enumerate(nodes):
        for second in nodes[index + 1 :]:
            # second's clock minus first's: from both directions of the pair
            values = list(offsets.get((first, second), []))
            values += [-v for v in offsets.get((second, first), [])]
            agreeing = _agreeing(values)
            if not agreeing:
                continue
            seconds = statistics.median(agreeing)
            if abs(seconds) > REPORTED_ABOVE:
                found.append(Skew(second, first, round(seconds, 1), len(agreeing)))
    return found


def _agreeing(offsets: list[float], spread: float = 2.0) -> list[float]:
    """The offsets of the real pairs: every cause was paired with every effect near it, and
    the true pairs agree with each other (within the second or two a heartbeat takes), while
    the chance ones scatter. The largest group of agreeing offsets (the nearest to 0 on a tie)."""
    import bisect

    ordered = sorted(offsets)  # (sorted: each centre's group is a slice, found by bisection)
    best: list[float] = []
    for centre in ordered:
        low = bisect.bisect_left(ordered, centre - spread)
        high = bisect.bisect_right(ordered, centre + spread)
        if high - low > len(best) or (
            high - low == len(best)
            and abs(statistics.median(ordered[low:high])) < abs(statistics.median(best))
        ):
            best = ordered[low:high]
    return best


def in_reference(when: str, ahead: float) -> str:
    """A "YYYY-MM-DD HH:MM:SS" time of a clock `ahead` seconds ahead, in the reference clock."""
    from datetime import timedelta

    try:
        moved = datetime.fromisoformat(when) - timedelta(seconds=ahead)
    except (ValueError, OverflowError):
        return when
    return moved.strftime("%Y-%m-%d %H:%M:%S")


def corrected(timeline: list[TimelineEntry], skews: list[Skew]) -> list[TimelineEntry]:
    """The timeline in the reference clocks' time (entries of skewed nodes moved), re-sorted."""
    if not skews:
        return timeline
    shift = {s.node: s.seconds for s in skews}
    for entry in timeline:
        offset = shift.get(entry.node or "")
        if offset:
            entry.logged = entry.logged or entry.time
            entry.time = in_reference(entry.time, offset)
    return sorted(timeline, key=lambda e: e.time)
