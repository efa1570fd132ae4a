"""Reading a node's files: bytes, what the file system says about them, and text that never fails.

Nothing here raises for a bad input: a missing file, a folder or a FIFO where a file should be, a
symlink loop or an unreadable file all come back as a `SourceFile` whose `facts.kind` says what
was found, so that the rules can report it.

Only regular files are read, and never without bound (`read_bounded`): a FIFO, a device, a file
of the kernel's /proc or /sys (`/proc/self/environ`, `/proc/kmsg`) is never opened for reading,
the open itself cannot block (O_NONBLOCK, then fstat on what was opened), and at most
`MAX_READ_BYTES` are read. Given the tree a read must stay inside (a checkout), a symbolic link
out of it is not followed either: its target is another file's content.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from functools import cache
from pathlib import Path

from halint.i18n import N_, os_reason, translate
from halint.models import FileFacts, FileKind

# No Heartbeat configuration file comes anywhere near this: the largest published ha.cf, the
# annotated sample, is 11 KB, a haresources 6 KB, an authkeys under 1 KB. Heartbeat itself reads
# on without a limit; halint stops here, so that a configuration of any size is checked in a
# second or two (a file past it is one finding).
MAX_READ_BYTES = 32 * 1024
# How standard input (`-`) is named where a report says which file a line is from.
STDIN = "<stdin>"
BOM = b"\xef\xbb\xbf"
KERNEL_TREES = ("/proc", "/sys")
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
# What a path that is not a readable regular file is, in a few words (for one-line errors).
KIND_SAYS: dict[str, str] = {
    "missing": N_("no such file or folder"),
    "directory": N_("a folder, not a file"),
    "fifo": N_("a FIFO (named pipe), not a file"),
    "device": N_("a device, not a file"),
    "kernel": N_("a file of the kernel (/proc or /sys), not a configuration file"),
    "outside": N_("a symbolic link out of the checked folder"),
    "dangling-symlink": N_("a symbolic link to nothing"),
    "symlink-loop": N_("a loop of symbolic links"),
    "other": N_("not a regular file"),
    "unreadable": N_("cannot be read"),
}


class SourceFile:
    """One checked file: its kind ("ha.cf", "authkeys" or "haresources"), its path as shown to
    the user, its facts and, when it could be read, its text and decoded lines."""

    __slots__ = ("facts", "kind", "lines", "path", "text")

    def __init__(
        self,
        kind: str,
        path: str,
        facts: FileFacts,
        text: str | None = None,
        lines: list[str] | None = None,
    ) -> None:
        self.kind = kind
        self.path = path
        self.facts = facts
        self.text = text
        self.lines: list[str] = lines if lines is not None else []

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
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "other"


def describe(facts: FileFacts) -> str:
    """`facts.kind` in a few words, with the OS's reason when there is one."""
    said = translate(KIND_SAYS.get(facts.kind, KIND_SAYS["other"]))
    if facts.kind == "unreadable" and facts.error:
        said += f" ({os_reason(facts.error)})"
    return said


@cache
def _kernel_devices() -> frozenset[int]:
    """The devices of /proc and /sys (a bind mount of either elsewhere has the same one)."""
    found = set()
    for tree in KERNEL_TREES:
        with contextlib.suppress(OSError):
            found.add(os.stat(tree).st_dev)
    return frozenset(found)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _refusal(path: Path, inside: Path | None) -> FileKind | None:
    """Why a regular file must not be read: the kernel's, or out of the checked tree."""
    real = os.path.realpath(path)
    if any(_within(real, tree) for tree in KERNEL_TREES):
        return "kernel"
    if inside is not None and not _within(real, os.path.realpath(inside)):
        return "outside"
    return None


def read_bounded(
    path: Path, limit: int = MAX_READ_BYTES, inside: Path | None = None
) -> tuple[bytes | None, FileFacts]:
    """At most `limit + 1` bytes of the regular file `path` (one more than the limit, so that
    a caller sees that there was more), with its facts; None and the facts saying why for
    anything else. Never blocks: a FIFO or a device is not opened for reading, the open is
    non-blocking and what was opened is checked again (fstat) before a byte is read.
    `inside`: a folder the file must really be in (symbolic links resolved), or None."""
    facts = stat_path(path)
    if facts.kind != "file":
        return None, facts
    refused = _refusal(path, inside)
    if refused is not None:
        return None, facts.model_copy(update={"kind": refused})
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError) as exc:
        error = exc.strerror if isinstance(exc, OSError) else str(exc)
        return None, facts.model_copy(update={"kind": "unreadable", "error": error})
    try:
        opened = os.fstat(descriptor)
        kind = _kind_of(opened.st_mode)
        if kind == "file" and opened.st_dev in _kernel_devices():
            kind = "kernel"
        if kind != "file":
            return None, facts.model_copy(update={"kind": kind})
        pieces: list[bytes] = []
        wanted = limit + 1
        while wanted > 0:
            piece = os.read(descriptor, min(wanted, 1 << 20))
            if not piece:
                break
            pieces.append(piece)
            wanted -= len(piece)
    except OSError as exc:
        return None, facts.model_copy(update={"kind": "unreadable", "error": exc.strerror})
    finally:
        os.close(descriptor)
    return b"".join(pieces), facts


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
    except ValueError:  # a NUL byte: no file can have that name
        return FileFacts.model_construct(kind="missing")
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
        inode=(st.st_dev, st.st_ino),
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


def read_source(kind: str, path: Path, shown_as: str, inside: Path | None = None) -> SourceFile:
    """One of a node's files; `inside`: the checked tree it must stay in (None: no limit)."""
    data, facts = read_bounded(path, MAX_READ_BYTES, inside)
    if data is None:
        return SourceFile(kind=kind, path=shown_as, facts=facts)
    return from_bytes(kind, shown_as, data, facts)


def from_bytes(kind: str, shown_as: str, data: bytes, facts: FileFacts | None = None) -> SourceFile:
    """A source made from bytes (a read file, or an example in the rule catalogue)."""
    truncated = len(data) > MAX_READ_BYTES
    if truncated:  # read no part of a line past the limit
        kept = data[:MAX_READ_BYTES]
        data = kept[: kept.rfind(b"\n") + 1]
    text, text_facts = decode(data)
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
