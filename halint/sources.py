"""Reading a node's files: bytes, what the file system says about them, and text that never fails.

Nothing here raises for a bad input: a missing file, a folder or a FIFO where a file should be, a
symlink loop or an unreadable file all come back as a `SourceFile` whose `facts.kind` says what
was found, so that the rules can report it.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from halint.models import FileFacts, FileKind

MAX_READ_BYTES = 32 * 1024 * 1024
BOM = b"\xef\xbb\xbf"


@dataclass(slots=True)
class SourceFile:
    """One checked file: its facts and, when it could be read, its decoded lines."""

    kind: str  # "ha.cf", "authkeys" or "haresources"
    path: str  # as shown to the user
    facts: FileFacts
    text: str | None = None
    lines: list[str] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return self.text is not None


def _owner_names(uid: int, gid: int) -> tuple[str | None, str | None]:
    import grp
    import pwd

    try:
        owner: str | None = pwd.getpwuid(uid).pw_name
    except KeyError:
        owner = None
    try:
        group: str | None = grp.getgrgid(gid).gr_name
    except KeyError:
        group = None
    return owner, group


def _kind_of(mode: int) -> FileKind:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISFIFO(mode):
        return "fifo"
    return "other"


def stat_path(path: Path) -> FileFacts:
    """What the file system says about `path`, following symlinks as Heartbeat does."""
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return FileFacts.model_construct(kind="symlink-loop", error=os.strerror(exc.errno))
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            dangling = os.path.islink(path)
            return FileFacts.model_construct(kind="dangling-symlink" if dangling else "missing")
        return FileFacts.model_construct(kind="unreadable", error=os.strerror(exc.errno or 0))
    owner, group = _owner_names(st.st_uid, st.st_gid)
    return FileFacts.model_construct(
        kind=_kind_of(st.st_mode),
        mode=stat.S_IMODE(st.st_mode),
        uid=st.st_uid,
        gid=st.st_gid,
        owner=owner,
        group=group,
        size=st.st_size,
        is_symlink=os.path.islink(path),
    )


def decode(data: bytes) -> tuple[str, FileFacts]:
    """Decode bytes as Heartbeat sees them (bytes, never failing) and note the text's oddities.

    Undecodable bytes survive as lone surrogates (surrogateescape), so a GBK comment costs
    nothing and a byte in a directive name still makes that name unknown, as it does for the
    daemon. The BOM is kept in the text: Heartbeat glues it to the first word.
    """
    text = data.decode("utf-8", "surrogateescape")
    undecodable = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    facts = FileFacts.model_construct(
        kind="file",
        size=len(data),
        has_bom=data.startswith(BOM),
        has_crlf=b"\r\n" in data,
        final_newline=data.endswith(b"\n") or not data,
        undecodable_bytes=undecodable,
        has_nul=b"\x00" in data,
    )
    return text, facts


def read_source(kind: str, path: Path, shown_as: str) -> SourceFile:
    facts = stat_path(path)
    if facts.kind != "file":
        return SourceFile(kind=kind, path=shown_as, facts=facts)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_READ_BYTES + 1)
    except OSError as exc:
        facts = facts.model_copy(update={"kind": "unreadable", "error": exc.strerror})
        return SourceFile(kind=kind, path=shown_as, facts=facts)
    return from_bytes(kind, shown_as, data, facts)


def from_bytes(kind: str, shown_as: str, data: bytes, facts: FileFacts | None = None) -> SourceFile:
    """A source made from bytes (a read file, or an example in the rule catalogue)."""
    truncated = len(data) > MAX_READ_BYTES
    text, text_facts = decode(data[:MAX_READ_BYTES])
    merged = text_facts.model_copy(update={"truncated": truncated})
    if facts is not None:
        merged = facts.model_copy(
            update={
                name: getattr(merged, name)
                for name in (
                    "has_bom",
                    "has_crlf",
                    "final_newline",
                    "undecodable_bytes",
                    "has_nul",
                    "truncated",
                )
            }
        )
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return SourceFile(kind=kind, path=shown_as, facts=merged, text=text, lines=lines)
