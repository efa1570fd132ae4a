"""HL404: a `# halint: ignore[...]` comment that suppresses nothing.

The engine builds the facts after every other rule has run: the suppression comments of the
files the run reports on, each marked with the rules it covered (halint.suppressions). The
rule judges them. A comment in authkeys may hold a key: its text is never repeated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from halint.checks import Hit, registrar
from halint.i18n import _, ngettext
from halint.models import Span

if TYPE_CHECKING:
    from halint.suppressions import Suppression


class SuppressionContext:
    """The suppressions of the reported files, marked with what they covered, and whether the
    run selects a rule (a suppression of a rule that was not run is not idle)."""

    __slots__ = ("selected", "suppressions")

    def __init__(self, suppressions: list[Suppression], selected: Callable[[str], bool]) -> None:
        self.suppressions = suppressions
        self.selected = selected


SuppressionCheck = Callable[[SuppressionContext], Iterator[Hit]]
SUPPRESSION_CHECKS: dict[str, SuppressionCheck] = {}


def suppression_check(rule_id: str) -> Callable[[SuppressionCheck], SuppressionCheck]:
    return registrar(SUPPRESSION_CHECKS, rule_id)


@suppression_check("HL404")
def unused_suppression(ctx: SuppressionContext) -> Iterator[Hit]:
    for suppression in ctx.suppressions:
        problems = _problems(suppression, ctx.selected)
        if not problems:
            continue
        yield Hit(
            span=Span.model_construct(
                path=suppression.path, line=suppression.line, column=suppression.column
            ),
            message=_("this suppression suppresses nothing: {problems}").format(
                problems=_("; ").join(problems)
            ),
            fix=_("delete the comment, or correct the rule ID"),
        )


def _problems(suppression: Suppression, selected: Callable[[str], bool]) -> list[str]:
    """What is wrong with one suppression comment: names that are no rule IDs, rules it names
    that nothing raises where it points, or no rule at all."""
    idle = [r for r in suppression.rules if r not in suppression.used and selected(r)]
    bad = len(suppression.bad)
    if suppression.kind == "authkeys":  # a comment there may hold a key: never quoted
        problems = (
            [
                ngettext(
                    "a name in it is not a rule ID", "{count} names in it are not rule IDs", bad
                ).format(count=bad)
            ]
            if bad
            else []
        )
    else:
        problems = [_("`{name}` is not a rule ID").format(name=r) for r in suppression.bad]
    if idle:
        rules = ", ".join(idle)
        if suppression.whole_file:
            problems.append(_("nothing in this file raises {rules}").format(rules=rules))
        elif suppression.first:
            problems.append(
                _("nothing on line {line} raises {rules}").format(
                    line=suppression.first, rules=rules
                )
            )
        else:
            problems.append(_("nothing (no directive follows) raises {rules}").format(rules=rules))
    if not suppression.rules and not suppression.bad:
        problems.append(_("it names no rule"))
    return problems
