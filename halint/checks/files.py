"""HL401: a file Heartbeat needs is missing or is not a regular file."""

from __future__ import annotations

from collections.abc import Iterator

from halint.checks import Hit, NodeContext, node_check
from halint.i18n import N_, _, os_reason, translate
from halint.models import Span
from halint.rulemeta import quoted

_WHAT_IS_THERE = {
    "missing": N_("does not exist"),
    "directory": N_("is a folder, not a file"),
    "fifo": N_("is a FIFO (named pipe): Heartbeat would block reading it"),
    "other": N_("is not a regular file"),
    "dangling-symlink": N_("is a symbolic link to a file that does not exist"),
    "symlink-loop": N_("is a loop of symbolic links"),
    "unreadable": N_("cannot be read"),
    "device": N_("is a device, not a file"),
    "kernel": N_(
        "is a file of the kernel's /proc or /sys, not a configuration file (halint does not "
        "read it: its content is the machine's, such as environment variables or kernel "
        "messages)"
    ),
}
_CREATE = {
    "ha.cf": N_("create ha.cf (the annotated sample is in /usr/share/doc/heartbeat/)"),
    "authkeys": N_("create authkeys with `auth 1` and `1 sha1 <secret>`, mode 600"),
    "haresources": N_("create haresources with one line `node resource...`, or set `crm on`"),
}


@node_check("HL401")
def file_missing(ctx: NodeContext) -> Iterator[Hit]:
    node = ctx.node
    for kind, file in node.files.items():
        if not file.selected or file.facts.kind == "file":
            continue
        if kind == "haresources" and node.hacf is not None and node.hacf.crm_enabled:
            continue  # Pacemaker mode does not read haresources
        if file.facts.kind == "outside":
            yield _outside(kind, file.path)
            continue
        what = translate(_WHAT_IS_THERE.get(file.facts.kind, N_("is not a regular file")))
        if file.facts.error and file.facts.kind == "unreadable":
            what += f" ({os_reason(file.facts.error)})"
        yield Hit(
            span=Span.model_construct(path=file.path, line=1, column=1),
            message=_("{kind} {what}: Heartbeat will not start without it.").format(
                kind=kind, what=what
            )
            + _heartbeat_says(kind),
            fix=translate(_CREATE[kind]),
        )


def _heartbeat_says(kind: str) -> str:
    """What Heartbeat logs when it cannot open the file (the path as its message names it)."""
    if kind == "ha.cf":
        return quoted("HL401", "Cannot open config file", "/etc/ha.d/ha.cf")
    if kind == "authkeys":
        return quoted("HL401", "Cannot open keyfile", "/etc/ha.d//authkeys")
    return quoted("HL401", "Cannot open resources file", "/etc/ha.d//haresources")


def _outside(kind: str, path: str) -> Hit:
    """A symbolic link out of the checked tree: on the node Heartbeat follows it, but in a
    checkout its target is some other file of the machine halint runs on."""
    return Hit(
        span=Span.model_construct(path=path, line=1, column=1),
        message=_(
            "{kind} is a symbolic link out of the checked folder: halint does not follow it in "
            "a checkout (--offline), since what it points to here is not the node's file and "
            "its content must not reach a report"
        ).format(kind=kind),
        fix=_("commit the file itself in place of the link, or check the folder it points to"),
        blocks_start=False,
    )
