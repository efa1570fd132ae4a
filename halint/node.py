"""Read a node's files and build the Node model."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from halint.discovery import FILE_KINDS, SCRIPTS_FOLDER, InputError, NodeSpot
from halint.models import FileFacts, Node, NodeFile
from halint.sources import STDIN, SourceFile, from_bytes, read_source, stat_path

if TYPE_CHECKING:
    from halint.grouping import NodeSummary

__all__ = ["FILE_KINDS", "InputError", "LoadedNode", "build_node", "load_node"]

MAX_SCRIPTS = 4096


class LoadedNode:
    """A Node model plus the decoded sources the reporters quote lines from.

    `selected_paths` are the files whose findings are reported (None: all of the node's).
    """

    __slots__ = ("node", "selected_paths", "sources")

    def __init__(self, node: Node, sources: dict[str, SourceFile] | None = None) -> None:
        self.node = node
        self.sources: dict[str, SourceFile] = sources if sources is not None else {}
        self.selected_paths: set[str] | None = None

    def reports(self, path: str) -> bool:
        return self.selected_paths is None or path in self.selected_paths

    def summary(self, index: int) -> NodeSummary:
        from halint.discovery import node_home
        from halint.grouping import NodeSummary

        hacf = self.node.hacf
        shown = tuple(dict.fromkeys(w.text for w in hacf.nodes)) if hacf else ()
        from halint.identity import folder_name_of

        named = folder_name_of(Path(self.node.directory), list(shown)) if shown else None
        return NodeSummary(
            index=index,
            folder=self.node.directory,
            home=str(node_home(Path(self.node.directory))),
            declared=frozenset(n.lower() for n in shown),
            shown_names=shown,
            cluster_name=hacf.cluster.raw if hacf and hacf.cluster else None,
            named_after=named[0].lower() if named else None,
            exact_name=named is not None and named[1],
        )


def _shown(path: Path) -> str:
    return os.path.normpath(str(path))


def build_node(
    directory: Path,
    sources: dict[str, SourceFile],
    selected: set[str],
    resource_scripts: dict[str, FileFacts],
    script_data: dict[str, bytes] | None = None,
    inside: Path | None = None,
) -> LoadedNode:
    """Parse what was read into the Node model (used for disk and for in-memory examples);
    `script_data` gives the resource scripts' bytes (examples), else they are read from disk
    (`inside` the checked tree, if given)."""
    from halint.parsing.authkeys import read_authkeys
    from halint.parsing.hacf import read_hacf
    from halint.parsing.haresources import read_haresources

    node = Node.model_construct(directory=_shown(directory), resource_scripts=resource_scripts)
    for kind, source in sources.items():
        node.files[kind] = NodeFile.model_construct(
            kind=kind, path=source.path, facts=source.facts, selected=kind in selected
        )
        if not source.readable:
            continue
        if kind == "ha.cf":
            node.hacf = read_hacf(source)
        elif kind == "authkeys":
            node.authkeys = read_authkeys(source)
        else:
            node.haresources = read_haresources(source)
    loaded = LoadedNode(node=node, sources=sources)
    if resource_scripts:
        from halint.scripts import read_node_scripts

        read_node_scripts(loaded, directory, script_data, inside)
    return loaded


def _resource_scripts(directory: Path) -> dict[str, FileFacts]:
    folder = directory / SCRIPTS_FOLDER
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return {}
    return {name: stat_path(folder / name) for name in names[:MAX_SCRIPTS]}


def _stdin_source(kind: str, stream: BinaryIO) -> SourceFile:
    from halint.sources import MAX_READ_BYTES

    data = stream.read(MAX_READ_BYTES + 1)
    # What standard input says about modes and owners means nothing for the deployed file.
    facts = FileFacts.model_construct(kind="file")
    return from_bytes(kind, STDIN, data, facts)


def load_node(
    spot: NodeSpot, stdin: BinaryIO | None = None, inside: Path | None = None
) -> LoadedNode:
    """Read the node a NodeSpot names: its folder's files, or the files given for a kind.
    `inside`: the checked tree no file may lead out of (a checkout), or None."""
    folder = spot.folder
    sources: dict[str, SourceFile] = {}
    if folder is not None:
        for kind in FILE_KINDS:
            sources[kind] = read_source(kind, folder / kind, _shown(folder / kind), inside)
    for kind, path in spot.files.items():
        if str(path) == "-":
            import sys

            sources[kind] = _stdin_source(kind, stdin or sys.stdin.buffer)
            continue
        source = read_source(kind, path, _shown(path), inside)
        if folder is None or path.name != kind:
            # A file checked under another name (a template's temporary copy): its mode and
            # owner say nothing about the file it will become.
            source.facts = source.facts.model_copy(
                update={"mode": None, "uid": None, "gid": None, "owner": None, "group": None}
            )
        sources[kind] = source
    selected = set(FILE_KINDS) if spot.selected is None else set(spot.selected)
    directory = folder if folder is not None else Path(_shown(next(iter(spot.files.values()))))
    if folder is None:
        directory = directory.parent
    scripts = _resource_scripts(folder) if folder is not None else {}
    loaded = build_node(directory, sources, selected, scripts, inside=inside)
    if spot.selected is not None:
        loaded.selected_paths = {sources[k].path for k in spot.selected if k in sources} | {
            _shown(directory / SCRIPTS_FOLDER / name) for name in spot.scripts
        }
    return loaded
