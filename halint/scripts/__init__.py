"""The resource-script reader: what a script in resource.d does with the actions
ResourceManager passes it — read from its text, never executed, never sourced.

`read_node_scripts` reads the scripts a node's haresources names (the heartbeat package's own
wrappers excepted) and hangs the facts on the Node (`node.scripts`), the files on
`node.files` and their lines — every secret masked — on the loaded node's sources, so findings
can point into a script and suppressions in it work. A script that cannot be read (too large, a
binary, another language, a syntax the parser cannot follow) is said so, never a crash.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from halint.models import FileFacts, NodeFile, ResourceScript, ScriptSecret, Span
from halint.regex import compiled

if TYPE_CHECKING:
    from halint.node import LoadedNode
    from halint.sources import SourceFile

MAX_SCRIPT_BYTES = 256 * 1024  # the largest OCF agents are under 100 KB
SCRIPT_KIND = "resource-script"
_SHELLS = compiled(r"^#!\s*(/usr)?/bin/(env\s+)?(sh|bash|dash|ksh|ash|busybox\s+sh)\b")
_OTHER_LANGUAGE = compiled(r"^#!\s*\S*?(?:env\s+)?(?P<name>python\S*|perl|ruby|php|node|lua)\b")


def read_node_scripts(
    loaded: LoadedNode,
    directory: Path,
    given: dict[str, bytes] | None = None,
    inside: Path | None = None,
) -> None:
    """Read the resource scripts `loaded`'s haresources names: from `given` (catalogue
    examples), else from `directory`/resource.d, staying `inside` the checked tree if given."""
    from halint.checks.haresources import PACKAGE_WRAPPERS

    node = loaded.node
    haresources = node.haresources
    if haresources is None:
        return
    selected = "haresources" in node.files and node.files["haresources"].selected
    names: list[str] = []
    for group in haresources.groups:
        for resource in group.resources:
            name = resource.agent
            if resource.shorthand or name in PACKAGE_WRAPPERS or name in names:
                continue
            facts = node.resource_scripts.get(name)
            if facts is None or facts.kind != "file" or "/" in name:
                continue
            if given is not None and name not in given:
                continue  # an example that gives only the script's mode
            names.append(name)
    for name in names[:64]:
        facts = node.resource_scripts[name]
        shown = f"{node.directory}/resource.d/{name}"
        path = directory / "resource.d" / name
        if given is not None:
            data, why = given.get(name), facts
        else:
            data, why = _read(path, inside)
        script, source = read_script(name, shown, data, facts if data is not None else why)
        node.scripts[name] = script
        node.files[f"resource.d/{name}"] = NodeFile.model_construct(
            kind=SCRIPT_KIND, path=shown, facts=facts, selected=selected
        )
        if source is not None:
            loaded.sources[f"resource.d/{name}"] = source


def _read(path: Path, inside: Path | None = None) -> tuple[bytes | None, FileFacts]:
    """The script's bytes, at most MAX_SCRIPT_BYTES + 1 of them, read as every file is
    (halint.sources.read_bounded): a regular file only, without blocking, never from /proc or
    /sys, and in a checkout (`inside`) never through a link out of the checked tree; and the
    facts that say why not (None)."""
    from halint.sources import read_bounded

    return read_bounded(path, MAX_SCRIPT_BYTES, inside)


def _unreadable(name: str, shown: str, facts: FileFacts, why: str) -> ResourceScript:
    return ResourceScript.model_construct(
        name=name, path=shown, facts=facts, readable=False, why_unreadable=why
    )


def read_script(
    name: str, shown: str, data: bytes | None, facts: FileFacts
) -> tuple[ResourceScript, SourceFile | None]:
    """The facts of one script, and its lines (secrets masked) to show and to read
    suppressions from."""
    from halint.i18n import os_reason
    from halint.scripts import secrets
    from halint.sources import decode, describe

    if data is None:  # what the path is says why (a link out of the tree, no permission)
        why = os_reason(facts.error) if facts.kind == "unreadable" and facts.error else None
        return _unreadable(name, shown, facts, why or describe(facts)), None
    if len(data) > MAX_SCRIPT_BYTES:
        return _unreadable(name, shown, facts, "it is larger than 256 KiB"), None
    if data.startswith(b"\x7fELF") or b"\x00" in data[:4096]:
        return _unreadable(name, shown, facts, "it is a binary program, not a shell script"), None
    text, text_facts = decode(data)
    facts = facts.model_copy(
        update={"has_crlf": text_facts.has_crlf, "has_bom": text_facts.has_bom, "size": len(data)}
    )
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    found = secrets.find(lines)
    by_line: dict[int, list[secrets.Found]] = {}
    for item in found:
        by_line.setdefault(item.line, []).append(item)
    shown_lines = [secrets.mask(line, by_line.get(i + 1, [])) for i, line in enumerate(lines)]
    source = _source(shown, shown_lines, facts)
    first = lines[0].rstrip("\r") if lines else ""
    shebang = first if data.startswith(b"#!") else None
    other = _OTHER_LANGUAGE.match(first) if shebang else None
    if other is not None and not _SHELLS.match(first):
        why = f"it is a {other.group('name')} script, and halint reads shell scripts only"
        return _unreadable(name, shown, facts, why), source
    script = ResourceScript.model_construct(
        name=name,
        path=shown,
        facts=facts,
        shebang=shebang,
        secrets=[
            ScriptSecret.model_construct(
                name=item.name,
                span=Span.model_construct(
                    path=shown,
                    line=item.line,
                    column=item.start + 1,
                    end_line=item.line,
                    end_column=item.start + 1 + len(secrets.MASK),
                ),
            )
            for item in found
        ],
    )
    try:
        _analyse(script, data)
    except Exception as exc:  # the reader must never take the check down
        script.readable = False
        script.why_unreadable = f"halint's shell reader failed on it ({type(exc).__name__})"
    return script, source


def _analyse(script: ResourceScript, data: bytes) -> None:
    from halint.scripts import shell
    from halint.scripts.walk import Script

    problem = shell.available()
    if problem is not None:
        script.readable = False
        script.why_unreadable = problem
        return
    clean = data.replace(b"\r\n", b" \n")  # CR becomes a blank: offsets stay where they were
    if clean.startswith(b"\xef\xbb\xbf"):
        clean = b"   " + clean[3:]
    tree = shell.parse(clean)
    parsed = Script(tree.root_node, clean, script.path)
    script.dispatch = parsed.dispatch
    script.catch_all = parsed.catch_all
    script.services = parsed.services_started()
    script.calls = [parsed.word(c) for c in parsed.commands[:4096]]
    script.sourced = [
        parsed.word(c) for c in parsed.commands if parsed.command_name(c) in (".", "source")
    ]
    if parsed.dispatch is not None:
        script.branches = {b.action: b for b in parsed.actions()}
    elif tree.root_node.has_error:
        line = _first_error_line(tree.root_node)
        script.readable = False
        script.why_unreadable = f"its shell syntax could not be read (from line {line})"
    else:  # no dispatch: every action runs the same way; what status prints tells HL310 more
        script.branches = {"status": parsed.branch("status")}


def _first_error_line(root: object) -> int:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:  # type: ignore[attr-defined]
            return int(node.start_point[0]) + 1  # type: ignore[attr-defined]
        stack.extend(reversed(node.children))  # type: ignore[attr-defined]
    return 1


def _source(shown: str, lines: list[str], facts: FileFacts) -> SourceFile:
    from halint.sources import SourceFile

    return SourceFile(
        kind=SCRIPT_KIND, path=shown, facts=facts, text="\n".join(lines) + "\n", lines=lines
    )
