"""What the syntax rules say about the facts of a reader: a file cut at the size halint reads,
and a line the grammar could not take."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from halint.checks import Hit
from halint.i18n import _
from halint.parsing.common import span_at

if TYPE_CHECKING:
    from halint.checks import NodeContext
    from halint.models import AuthKeys, HaResources, Misread


def misread_hits(
    ctx: NodeContext, kind: str, model: AuthKeys | HaResources, said: Callable[[Misread], Hit]
) -> Iterator[Hit]:
    """A syntax rule's findings on a file: each line the reader could not take, as the rule
    says it, then the file cut at the size halint reads, if it was."""
    for misread in model.misread:
        yield said(misread)
    oversize = too_large(ctx, kind, model.path, model.line_count)
    if oversize is not None:
        yield oversize


def too_large(ctx: NodeContext, kind: str, path: str, line_count: int) -> Hit | None:
    """A file cut at the size halint reads: one finding at the last line read."""
    file = ctx.node.files.get(kind)
    if file is None or not file.facts.truncated:
        return None
    from halint.sources import MAX_READ_BYTES

    return Hit(
        span=span_at(path, max(line_count, 1), 1, 1),
        message=_(
            "{kind} is larger than {size} KiB: no Heartbeat configuration is anywhere near that "
            "size, and halint reads no further than here (Heartbeat itself would read on)"
        ).format(kind=kind, size=MAX_READ_BYTES // 1024),
        fix=_("look at what filled {kind}: a configuration file is a few kilobytes").format(
            kind=kind
        ),
        blocks_start=False,
    )


def describe_char(ch: str) -> str:
    if "\udc80" <= ch <= "\udcff":
        return _("the undecodable byte 0x{byte:02X}").format(byte=ord(ch) - 0xDC00)
    return _("the control character U+{code:04X}").format(code=ord(ch))


def unreadable_detail(misread: Misread, what: str) -> str:
    """Why the grammar could not take the line, for `this line cannot be read as {what}`."""
    if misread.reason == "bad-character":
        return _("{character} cannot be part of {what}").format(
            character=describe_char(misread.text), what=what
        )
    if misread.reason == "unexpected-token":
        return _("unexpected {token}").format(token=repr(misread.text))
    if misread.reason == "unexpected-end":
        return _("unexpected the end of the line")
    return _("the line does not fit the file's syntax")
