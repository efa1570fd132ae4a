"""Rule checks: small modules, one subject each, registered by rule ID.

A check reads the models and the host facts and yields `Hit`s; the engine adds the catalogue's
name, severity and blocks_start. Checks never touch the file system or raw text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from halint.edits import Edit
    from halint.hostfacts import HostFacts
    from halint.models import Node, Severity, Span


@dataclass(slots=True)
class Hit:
    span: Span
    message: str
    fix: str | None = None
    blocks_start: bool | None = None  # None: the catalogue's value
    severity: Severity | None = None  # None: the catalogue's value
    related: list[tuple[Span, str]] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)  # what --fix may change, when certain


@dataclass(slots=True)
class NodeContext:
    node: Node
    host: HostFacts | None  # None with --offline: live rules are skipped


Check = Callable[[NodeContext], Iterator[Hit]]
NODE_CHECKS: dict[str, Check] = {}


def node_check(rule_id: str) -> Callable[[Check], Check]:
    """Register a check. A live rule (`live = true` in its TOML: it compares the files with
    the machine) asks `ctx.host`, and yields nothing when there is none (--offline)."""

    def register(function: Check) -> Check:
        NODE_CHECKS[rule_id] = function
        return function

    return register


def load_all() -> dict[str, Check]:
    """Import every check module (each registers its rules)."""
    from halint.checks import (  # noqa: F401
        authkeys,
        cluster_rules,
        files,
        hacf_rules,
        haresources,
        live,
        live_resources,
        node_rules,
        scripts,
        syntax,
        timing,
    )

    return NODE_CHECKS


def all_rule_ids() -> set[str]:
    """Every rule that has a check: node rules, cross-node rules and the rules on the
    suppression comments (judged after the others: checks/suppressions.py)."""
    from halint.checks.cluster_rules import CLUSTER_CHECKS
    from halint.checks.suppressions import SUPPRESSION_CHECKS

    return set(load_all()) | set(CLUSTER_CHECKS) | set(SUPPRESSION_CHECKS)
