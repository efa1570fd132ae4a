"""The log rules that need more than counting their lines, registered by rule ID like the
config checks (halint/checks/): each module judges one or two HL7xx rules, beside its TOML in
rules/. The Diagnoser knows no rule: it builds the facts (the timeline, who was heard and who
held what) and hands each rule what it asked for.

A rule that only counts the lines its patterns match needs no handler at all: a new signature
of that kind is one TOML file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from halint.logs.diagnose import Diagnoser
    from halint.logs.reader import Event
    from halint.logs.signatures import CompiledPattern


class LogRule:
    """A rule's hooks; each is called only where the subclass overrides it."""

    rule = ""
    timeline_events: frozenset[str] = frozenset()  # the timeline events `timeline` is given

    def __init__(self, diagnoser: Diagnoser) -> None:
        self.diagnoser = diagnoser

    def matched(
        self,
        pattern: CompiledPattern,
        values: dict[str, str],
        key: tuple[str, tuple[str, ...]],
        figure: int | None,
        event: Event,
    ) -> bool:
        """A line matched one of this rule's patterns. True: handled here (not counted)."""
        return False

    def timeline(self, event: Event, name: str, detail: str, group: str | None) -> None:
        """A timeline event (after the Diagnoser's own facts were updated); its entry, while
        the timeline is not full, is the Diagnoser's `entry`."""

    def alive(self, node: str, when: str) -> None:
        """A line from `node` itself, while this rule is in the Diagnoser's `watching`."""

    def watch(self, wanted: bool) -> None:
        """Ask for (or stop asking for) every sign of life (alive): costly, so only while
        something waits for one."""
        watching = self.diagnoser.watching
        if wanted and self not in watching:
            watching.append(self)
        elif not wanted and self in watching:
            watching.remove(self)

    def finish(self) -> None:
        """The logs have ended: settle what depends on everything read."""


LOG_RULES: dict[str, type[LogRule]] = {}


def log_rule(*rule_ids: str) -> Callable[[type[LogRule]], type[LogRule]]:
    def register(cls: type[LogRule]) -> type[LogRule]:
        for rule_id in rule_ids:
            LOG_RULES[rule_id] = cls
        cls.rule = rule_ids[0]
        return cls

    return register


def load_all() -> dict[str, type[LogRule]]:
    """Import every handler module (each registers its rules)."""
    from halint.logs.handlers import (  # noqa: F401
        failover,
        links,
        nodes,
        split_brain,
        startup,
        stops,
    )

    return LOG_RULES
