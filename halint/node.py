"""Find a node's files, read them, and build the Node model."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from halint.models import FileFacts, Node, NodeFile
from halint.sources import SourceFile, read_source, stat_path

FILE_KINDS = ("ha.cf", "authkeys", "haresources")


class InputError(Exception):
    """A path that cannot be checked at all (exit 2, one line, no traceback)."""


@dataclass(slots=True)
class LoadedNode:
    """A Node model plus the decoded sources the reporters quote lines from."""

    node: Node
    sources: dict[str, SourceFile] = field(default_factory=dict)


def kind_of_file(path: Path) -> str | None:
    name = path.name
    if name in ("authkeys", "haresources"):
        return name
    if name == "ha.cf" or name.endswith(".cf"):
        return "ha.cf"
    return None


def _shown(path: Path) -> str:
    return os.path.normpath(str(path))


def build_node(
    directory: Path,
    sources: dict[str, SourceFile],
    selected: set[str],
    resource_scripts: dict[str, FileFacts],
) -> LoadedNode:
    """Parse what was read into the Node model (used for disk and for in-memory examples)."""
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
    return LoadedNode(node=node, sources=sources)


def _resource_scripts(directory: Path) -> dict[str, FileFacts]:
    folder = directory / "resource.d"
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return {}
    return {name: stat_path(folder / name) for name in names[:4096]}


def load_node(directory: Path, only: list[Path] | None = None) -> LoadedNode:
    """Read the ha.d folder `directory`; with `only`, those files are the ones being checked."""
    selected = set(FILE_KINDS) if only is None else {kind_of_file(p) or "" for p in only}
    sources = {
        kind: read_source(kind, directory / kind, _shown(directory / kind)) for kind in FILE_KINDS
    }
    if only is not None:
        for path in only:
            kind = kind_of_file(path)
            if kind is not None:
                sources[kind] = read_source(kind, path, _shown(path))
    return build_node(directory, sources, selected, _resource_scripts(directory))


def _has_node_files(folder: Path) -> bool:
    return any(os.path.lexists(folder / kind) for kind in FILE_KINDS)


def _node_folders(path: Path) -> list[Path]:
    """A node's ha.d, or a folder holding one folder per node (then those, sorted)."""
    if _has_node_files(path):
        return [path]
    try:
        children = sorted(p for p in path.iterdir() if p.is_dir())
    except OSError:
        return [path]
    inner = []
    for child in children:
        if _has_node_files(child):
            inner.append(child)
        elif _has_node_files(child / "ha.d"):
            inner.append(child / "ha.d")
    return inner or [path]


def resolve_paths(paths: list[str]) -> list[tuple[Path, list[Path] | None]]:
    """Group the command line's PATHs into nodes: a folder is a node, files join their folder."""
    nodes: dict[Path, list[Path] | None] = {}
    for given in paths:
        path = Path(given)
        facts = stat_path(path)
        if facts.kind == "directory":
            for folder in _node_folders(path):
                nodes[folder] = None
            continue
        if facts.kind == "file":
            if kind_of_file(path) is None:
                raise InputError(
                    f"{given}: not a Heartbeat file (expected ha.cf, authkeys or haresources, "
                    "or an ha.d folder)"
                )
            folder = path.parent
            if folder in nodes and nodes[folder] is None:
                continue
            nodes.setdefault(folder, []).append(path)  # type: ignore[union-attr]
            continue
        reason = {
            "missing": "no such file or folder",
            "dangling-symlink": "a symbolic link to nothing",
            "symlink-loop": "a loop of symbolic links",
            "fifo": "a FIFO, not a file or folder",
            "unreadable": f"cannot be read ({facts.error})",
        }.get(facts.kind, "not a regular file or folder")
        raise InputError(f"{given}: {reason}")
    return list(nodes.items())
