"""`halint check --fix` and `--diff`: the findings' edits, planned, shown, written.

A file is changed only where an edit says, byte for byte: the rest of it — comments, other
encodings (bytes that are not UTF-8 survive as they were), CRLF line ends, a missing final
newline — is kept. Before an edit is applied, the text it replaces is compared with what the
file holds now; an edit whose text moved or changed is skipped, never guessed. A changed file
is written to a temporary file in its own folder, with its mode and owner, then renamed over
it (the path a symlink points at is the one replaced, so the link stays). Nothing here prints
a line of authkeys unmasked.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from halint.edits import Edit
from halint.i18n import _, os_reason

if TYPE_CHECKING:
    from halint.engine import CheckRequest

MAX_FIX_BYTES = 32 * 1024 * 1024


@dataclass(slots=True)
class FileChange:
    """What the edits do to one file."""

    path: str
    before: bytes | None = None  # None: the contents are not changed
    after: bytes | None = None
    mode_before: int | None = None
    mode_after: int | None = None
    applied: int = 0  # edits applied
    skipped: list[str] = field(default_factory=list)  # why some edits were not
    not_applied: list[Edit] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return (self.after is not None and self.after != self.before) or (
            self.mode_after is not None and self.mode_after != self.mode_before
        )


def _read(path: str) -> tuple[bytes, int] | str:
    """The file's bytes and mode, or why it cannot be fixed (not a regular file, too big)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as error:
        return _("cannot be read ({error})").format(error=os_reason(error.strerror or ""))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return _("not a regular file")
        if st.st_size > MAX_FIX_BYTES:
            return _("too large to fix")
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks), stat.S_IMODE(st.st_mode)
    except OSError as error:
        return _("cannot be read ({error})").format(error=os_reason(error.strerror or ""))
    finally:
        os.close(fd)


def plan(edits: list[Edit]) -> list[FileChange]:
    """Each file's change, from the edits of the findings (in file order)."""
    by_path: dict[str, list[Edit]] = {}
    for edit in edits:
        by_path.setdefault(edit.path, []).append(edit)
    return [_plan_file(path, items) for path, items in sorted(by_path.items())]


def _plan_file(path: str, edits: list[Edit]) -> FileChange:
    change = FileChange(path)
    read = _read(path)
    if isinstance(read, str):
        change.skipped.append(f"{path}: {read}")
        change.not_applied.extend(edits)
        return change
    data, mode = read
    change.mode_before = mode
    for edit in edits:
        if edit.kind == "mode" and change.mode_after is None:
            change.mode_after = edit.mode
            change.applied += edit.mode != mode
    content = [e for e in edits if e.kind != "mode"]
    if not content:
        return change
    text = data.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    kept: list[Edit] = []
    for edit in sorted((e for e in content if e.kind == "replace"), key=_position):
        if any(edit.overlaps(other) for other in kept):
            change.skipped.append(
                f"{path}:{edit.line}: " + _("overlaps another fix (run --fix again)")
            )
            change.not_applied.append(edit)
            continue
        index = edit.line - 1
        if not 0 <= index < len(lines) or _at(lines[index], edit) != edit.old:
            change.skipped.append(f"{path}:{edit.line}: " + _("the text changed since it was read"))
            change.not_applied.append(edit)
            continue
        kept.append(edit)
    for edit in sorted(kept, key=_position, reverse=True):
        line = lines[edit.line - 1]
        lines[edit.line - 1] = line[: edit.column - 1] + edit.new + line[edit.end_column - 1 :]
        change.applied += 1
    text = "\n".join(lines)
    if any(e.kind == "line-ends" for e in content) and "\r\n" in text:
        text = text.replace("\r\n", "\n")
        change.applied += 1
    after = text.encode("utf-8", "surrogateescape")
    if after != data:
        change.before, change.after = data, after
    return change


def _position(edit: Edit) -> tuple[int, int]:
    return (edit.line, edit.column)


def _at(line: str, edit: Edit) -> str:
    return line[edit.column - 1 : edit.end_column - 1]


def write(changes: list[FileChange]) -> None:
    """Write every change: contents atomically, keeping mode and owner; then modes."""
    for change in changes:
        if change.after is not None and change.after != change.before:
            _replace(change.path, change.after)
        if change.mode_after is not None and change.mode_after != change.mode_before:
            os.chmod(change.path, change.mode_after)


def _replace(path: str, data: bytes) -> None:
    import tempfile

    target = os.path.realpath(path)
    st = os.stat(target)
    folder, name = os.path.split(target)
    fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".halint", dir=folder)
    try:
        os.fchmod(fd, stat.S_IMODE(st.st_mode))
        # Not ours to give away (not root): the file then keeps its mode, under our name.
        with contextlib.suppress(PermissionError):
            os.fchown(fd, st.st_uid, st.st_gid)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        os.unlink(temporary)
        raise
    os.close(fd)
    os.replace(temporary, target)
    try:
        folder_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(folder_fd)
    finally:
        os.close(folder_fd)


def unified_diff(changes: list[FileChange], secrets: re.Pattern[str] | None = None) -> str:
    """The changes as a unified diff that `patch -p0` applies: CR bytes and a missing final
    newline as they are (`\\ No newline at end of file`), each file under git's `diff --git`
    header, a mode change as git's `old mode` and `new mode` lines. No key or password is ever
    shown: a line is masked as the report masks it (a key line by its shape, a script's
    password by its name, any word of `secrets`), so a hunk that holds one is for reading
    only."""
    import difflib

    out: list[str] = []
    for change in changes:
        if not change.changes:
            continue
        # git's header names the file for a change of mode alone too (GNU patch reads it)
        out.append(f"diff --git {change.path} {change.path}\n")
        if change.mode_after is not None and change.mode_after != change.mode_before:
            out.append(f"old mode {0o100000 | (change.mode_before or 0):o}\n")
            out.append(f"new mode {0o100000 | change.mode_after:o}\n")
        if change.after is None or change.before is None:
            continue
        kind = "authkeys" if os.path.basename(change.path) == "authkeys" else ""
        before = _shown_lines(change.before, kind, secrets)
        after = _shown_lines(change.after, kind, secrets)
        body = difflib.unified_diff(before, after, change.path, change.path, n=3)
        out.extend(_with_newline_note(line) for line in body)
    return "".join(out)


def _shown_lines(data: bytes, kind: str, secrets: re.Pattern[str] | None) -> list[str]:
    """The file's lines, each with its line end, as a report may show them."""
    from halint.redact import scrub, shown_line
    from halint.scripts.secrets import find, mask

    text = data.decode("utf-8", "backslashreplace")
    lines = text.split("\n")
    shown = []
    for number, line in enumerate(lines):
        end = "\n" if number < len(lines) - 1 else ""
        if not line and not end:
            break
        body, cr = (line[:-1], "\r") if line.endswith("\r") else (line, "")
        body = scrub(mask(shown_line(kind, body), find([body])), secrets)
        shown.append(body + cr + end)
    return shown


def _with_newline_note(line: str) -> str:
    """A diff line that ends the file without a newline, as diff(1) marks one."""
    return line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


@dataclass(slots=True)
class FixOutcome:
    changes: list[FileChange]  # every round's
    fixed: int  # findings whose edits were all applied
    secrets: re.Pattern[str] | None = None  # the checked files' secret words, for the diff
    skipped: list[str] = field(default_factory=list)  # why edits were left (the last round)

    @property
    def files(self) -> int:
        return len({c.path for c in self.changes if c.changes})


MAX_ROUNDS = 5  # a fix that makes another possible (`initdead 10s` -> 10 -> 60) is one more


def fix_check(request: CheckRequest, write_files: bool) -> FixOutcome:
    """Check, plan the edits of the findings, and write them when asked (else only plan, one
    round: what a diff shows). Written, the check runs again while a round changed something
    (as ruff does), so that a second --fix changes nothing."""
    outcome = _round(request, write_files)
    for _more in range(MAX_ROUNDS - 1):
        if not (write_files and outcome.files):
            break
        again = _round(request, write_files)
        outcome.changes.extend(again.changes)
        outcome.fixed += again.fixed
        outcome.skipped = again.skipped
        if not again.files:
            break
    return outcome


def _round(request: CheckRequest, write_files: bool) -> FixOutcome:
    from halint.engine import run_check
    from halint.outgoing import secrets_of

    reports = run_check(request).reports()
    findings = [finding for report in reports for finding in report.findings]
    sources = [s for report in reports for node in report.nodes for s in node.sources.values()]
    edits = [edit for finding in findings for edit in finding.edits]
    changes = plan(edits)
    left = {id(edit) for change in changes for edit in change.not_applied}
    fixed = sum(1 for f in findings if f.edits and not any(id(e) in left for e in f.edits))
    if write_files:
        write(changes)
    skipped = [reason for change in changes for reason in change.skipped]
    return FixOutcome(changes, fixed, secrets_of(sources), skipped)
