"""Rule checks: small modules, one subject each, registered by rule ID.

A check reads the models and the host facts and yields `Hit`s; the engine adds the catalogue's
name, severity and blocks_start. Checks never touch the file system or raw text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from halint.edits import Edit
    from halint.hostfacts import HostFacts
    from halint.models import Node, Severity, Span


class Hit:
    """What a check found: where, what it says, the fix, and what --fix may change. (A plain
    slotted class: a dataclass costs every run its generated code, about 2 M instructions.)"""

    __slots__ = ("blocks_start", "edits", "fix", "message", "related", "severity", "span")

    def __init__(
        self,
        span: Span,
        message: str,
        fix: str | None = None,
        blocks_start: bool | None = None,  # None: the catalogue's value
        severity: Severity | None = None,  # None: the catalogue's value
        related: list[tuple[Span, str]] | None = None,
        edits: list[Edit] | None = None,  # what --fix may change, when certain
    ) -> None:
        self.span = span
        self.message = message
        self.fix = fix
        self.blocks_start = blocks_start
        self.severity = severity
        self.related: list[tuple[Span, str]] = related if related is not None else []
        self.edits: list[Edit] = edits if edits is not None else []

    def __repr__(self) -> str:
        return f"Hit(line {self.span.line}: {self.message[:60]!r})"


class NodeContext:
    """One node as a check sees it: its models, and this host's facts for the live rules."""

    __slots__ = ("host", "node")

    def __init__(self, node: Node, host: HostFacts | None) -> None:
        self.node = node
        self.host = host  # None with --offline: live rules are skipped


Check = Callable[[NodeContext], Iterator[Hit]]
NODE_CHECKS: dict[str, Check] = {}
_Registered = TypeVar("_Registered")


def registrar(table: dict[str, _Registered], rule_id: str) -> Callable[[_Registered], _Registered]:
    """A decorator that files a check under its rule ID in `table` (node, cluster and
    suppression checks each have their table, as each has its context)."""

    def register(function: _Registered) -> _Registered:
        table[rule_id] = function
        return function

    return register


def node_check(rule_id: str) -> Callable[[Check], Check]:
    """Register a check. A live rule (`live = true` in its TOML: it compares the files with
    the machine) asks `ctx.host`, and yields nothing when there is none (--offline)."""
    return registrar(NODE_CHECKS, rule_id)


def load_all(live: bool = True) -> dict[str, Check]:
    """Import every check module (each registers its rules). `live=False` (a run without the
    host, --offline): the two modules that hold live rules only, which all yield nothing
    without it, are not imported, nor the host facts they import (if already registered,
    they stay, and yield nothing)."""
    from halint.checks import (  # noqa: F401
        authkeys,
        cluster_rules,
        files,
        hacf_lines,
        hacf_rules,
        hacf_values,
        haresources,
        node_rules,
        scripts,
        timing,
    )

    if live:
        import halint.checks.live
        import halint.checks.live_resources  # noqa: F401

    return NODE_CHECKS


def all_rule_ids() -> set[str]:
    """Every rule that has a check: node rules, cross-node rules and HL404 (suppressions)."""
    from halint.checks.cluster_rules import CLUSTER_CHECKS
    from halint.checks.suppressions import SUPPRESSION_CHECKS

    return set(load_all()) | set(CLUSTER_CHECKS) | set(SUPPRESSION_CHECKS)
