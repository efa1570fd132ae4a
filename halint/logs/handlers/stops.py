"""HL724 resource-stop-failure: which resource would not stop. Heartbeat's two lines ("Resource
STOP failure. Reboot required!", "Machine reboot narrowly avoided!") do not name it; the lines
ResourceManager writes while it retries the stop do ("Retrying failed stop operation [mysql]"),
so the diagnosis is of that resource, and its fix says which script to stop by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from halint.logs.handlers import LogRule, log_rule

if TYPE_CHECKING:
    from halint.logs.diagnose import Diagnoser
    from halint.logs.reader import Event
    from halint.logs.signatures import CompiledPattern


@log_rule("HL724")
class StopFailure(LogRule):
    # a release starts a new round of stops (ResourceManager's giveupresourcegroup)
    timeline_events = frozenset({"release", "start", "stopped"})

    def __init__(self, diagnoser: Diagnoser) -> None:
        super().__init__(diagnoser)
        # (log, node) -> the resource whose stop ResourceManager was retrying last, and the
        # pattern of that line (whose fix names it)
        self.retrying: dict[tuple[str, str], tuple[str, CompiledPattern]] = {}

    def matched(
        self,
        pattern: CompiledPattern,
        values: dict[str, str],
        key: tuple[str, tuple[str, ...]],
        figure: int | None,
        event: Event,
    ) -> bool:
        where = (event.path, event.node or "")
        if not pattern.counted:  # a retried stop: what the failure after it is about
            self.retrying[where] = (values.get("resource", ""), pattern)
            return True
        resource, retried = self.retrying.pop(where, ("", pattern))
        if not resource:
            return False  # counted as it is, with the rule's own fix
        # counted with the retry line's fix, which names the resource
        self.diagnoser.count(
            retried, {**values, "resource": resource}, (key[0], (resource,)), figure, event
        )
        return True

    def timeline(self, event: Event, name: str, detail: str, group: str | None) -> None:
        self.retrying.pop((event.path, event.node or ""), None)
