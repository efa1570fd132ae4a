"""The one model every output is made from."""

from typing import TYPE_CHECKING

from pydantic import ConfigDict, Field

from halint.models import FastConstruct, Severity

if TYPE_CHECKING:
    from halint.edits import Edit

SEVERITY_ORDER: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


def at_or_above(severity: str, level: str) -> bool:
    """Whether a finding of `severity` counts at a --fail-on `level`."""
    return SEVERITY_ORDER[severity] >= SEVERITY_ORDER[level]


class Related(FastConstruct):
    model_config = ConfigDict(defer_build=True)

    path: str
    line: int
    column: int = 1
    message: str = ""


class Finding(FastConstruct):
    """One problem, as every reporter sees it. Built with model_construct by the engine."""

    model_config = ConfigDict(defer_build=True, arbitrary_types_allowed=True)

    rule: str
    name: str
    severity: Severity
    blocks_start: bool
    path: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    node: str | None = None
    cluster: str | None = None  # the cluster's name (said in multi-cluster runs)
    message: str
    fix: str | None = None
    related: list[Related] = Field(default=[])
    # What --fix would change (none: the fix is for the admin to make).
    edits: list["Edit"] = Field(default=[], exclude=True)

    @property
    def fixable(self) -> bool:
        """Whether `--fix` can make its edits: never on standard input, which has no file."""
        from halint.sources import STDIN

        return bool(self.edits) and all(edit.path != STDIN for edit in self.edits)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule)
