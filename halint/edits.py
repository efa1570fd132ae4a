"""What a rule proposes to change when it knows the fix for sure (`halint check --fix`).

An edit replaces a part of one line (the reader's line and columns, and the text it saw
there, which is checked again before anything is written), sets a file's mode, or turns a
file's CRLF line ends into LF. A rule attaches edits to its finding only when the fix is
certain; everything else stays a `fix:` text for the admin.
"""

from __future__ import annotations

from typing import Literal

EditKind = Literal["replace", "mode", "line-ends"]


class Edit:
    """One change to one file."""

    __slots__ = ("column", "end_column", "kind", "line", "mode", "new", "old", "path")

    def __init__(
        self,
        path: str,
        kind: EditKind = "replace",
        line: int = 0,
        column: int = 0,
        end_column: int = 0,
        old: str = "",
        new: str = "",
        mode: int = 0,
    ) -> None:
        self.path = path
        self.kind: EditKind = kind
        self.line = line
        self.column = column
        self.end_column = end_column
        self.old = old
        self.new = new
        self.mode = mode

    def __repr__(self) -> str:
        return f"Edit({self.path!r}, {self.kind}, line {self.line})"

    @classmethod
    def replace(cls, path: str, line: int, column: int, old: str, new: str) -> Edit:
        """Replace `old`, found at `line`:`column`, with `new`."""
        return cls(path, "replace", line, column, column + len(old), old, new)

    @classmethod
    def chmod(cls, path: str, mode: int) -> Edit:
        return cls(path, "mode", mode=mode)

    @classmethod
    def lf_line_ends(cls, path: str) -> Edit:
        return cls(path, "line-ends")

    def overlaps(self, other: Edit) -> bool:
        if self.kind != "replace" or other.kind != "replace" or self.line != other.line:
            return self.kind == other.kind and self.kind != "replace"
        return self.column < other.end_column and other.column < self.end_column
