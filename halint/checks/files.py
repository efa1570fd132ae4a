"""HL401: a file Heartbeat needs is missing or is not a regular file."""

from __future__ import annotations

from collections.abc import Iterator

from halint.checks import Hit, NodeContext, node_check
from halint.models import Span

_HEARTBEAT_SAYS = {
    "ha.cf": "Cannot open config file [/etc/ha.d/ha.cf]",
    "authkeys": "Cannot open keyfile [/etc/ha.d//authkeys].  Stop.",
    "haresources": "Cannot open resources file [/etc/ha.d//haresources]",
}
_WHAT_IS_THERE = {
    "missing": "does not exist",
    "directory": "is a folder, not a file",
    "fifo": "is a FIFO (named pipe): Heartbeat would block reading it",
    "other": "is not a regular file",
    "dangling-symlink": "is a symbolic link to a file that does not exist",
    "symlink-loop": "is a loop of symbolic links",
    "unreadable": "cannot be read",
    "device": "is a device, not a file",
    "kernel": "is a file of the kernel's /proc or /sys, not a configuration file (halint does "
    "not read it: its content is the machine's, such as environment variables or kernel "
    "messages)",
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
        what = _WHAT_IS_THERE.get(file.facts.kind, "is not a regular file")
        if file.facts.error and file.facts.kind == "unreadable":
            what += f" ({file.facts.error})"
        fix = {
            "ha.cf": "create ha.cf (the annotated sample is in /usr/share/doc/heartbeat/)",
            "authkeys": "create authkeys with `auth 1` and `1 sha1 <secret>`, mode 600",
            "haresources": "create haresources with one line `node resource...`, or set `crm on`",
        }[kind]
        yield Hit(
            span=Span.model_construct(path=file.path, line=1, column=1),
            message=f"{kind} {what}: Heartbeat will not start without it. "
            f'Heartbeat: "{_HEARTBEAT_SAYS[kind]}"',
            fix=fix,
        )


def _outside(kind: str, path: str) -> Hit:
    """A symbolic link out of the checked tree: on the node Heartbeat follows it, but in a
    checkout its target is some other file of the machine halint runs on."""
    return Hit(
        span=Span.model_construct(path=path, line=1, column=1),
        message=f"{kind} is a symbolic link out of the checked folder: halint does not follow "
        "it in a checkout (--offline), since what it points to here is not the node's file and "
        "its content must not reach a report",
        fix="commit the file itself in place of the link, or check the folder it points to",
        blocks_start=False,
    )
