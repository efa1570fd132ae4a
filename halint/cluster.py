"""Several nodes' ha.d read as one cluster: which folder is which node, and how we know."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from halint.hostfacts import HostFacts
    from halint.node import LoadedNode

LIVE_HA_D = "/etc/ha.d"


@dataclass(slots=True)
class Identity:
    """Which declared node a folder holds, and how that was found out (said in the output)."""

    folder: str
    name: str | None
    how: str


def declared_nodes(nodes: list[LoadedNode]) -> list[str]:
    names: list[str] = []
    for loaded in nodes:
        hacf = loaded.node.hacf
        for word in hacf.nodes if hacf else []:
            if word.text.lower() not in (n.lower() for n in names):
                names.append(word.text)
    return names


def _by_folder_name(folder: str, declared: list[str]) -> str | None:
    path = Path(folder)
    candidates = [path.name]
    if path.name == "ha.d" and path.parent.name:
        candidates.append(path.parent.name)
    for candidate in candidates:
        for name in declared:
            if candidate.lower() in (name.lower(), name.lower().split(".")[0]):
                return name
    return None


def _ucast_target_names(loaded: LoadedNode, declared: list[str]) -> set[str]:
    hacf = loaded.node.hacf
    if hacf is None:
        return set()
    lowered = {d.lower(): d for d in declared}
    return {
        lowered[m.target.text.lower()]
        for m in hacf.media
        if m.kind == "ucast" and m.target is not None and m.target.text.lower() in lowered
    }


def identify(
    nodes: list[LoadedNode], explicit: dict[str, str], host: HostFacts | None
) -> list[Identity]:
    """Name each folder's node: --as, the folder's name, this host, ucast targets, elimination."""
    declared = declared_nodes(nodes)
    result: list[Identity] = []
    for loaded in nodes:
        folder = loaded.node.directory
        real = os.path.realpath(folder)
        if real in explicit or folder in explicit:
            name = explicit.get(real) or explicit[folder]
            result.append(Identity(folder, name, "given with --as"))
            continue
        by_name = _by_folder_name(folder, declared)
        if by_name:
            result.append(Identity(folder, by_name, "the folder's name"))
            continue
        if host is not None and real == os.path.realpath(LIVE_HA_D):
            result.append(Identity(folder, host.node_name, f"this host ({host.name_source})"))
            continue
        result.append(Identity(folder, None, "unknown"))
    taken = {i.name.lower() for i in result if i.name}
    if len(declared) == 2 and len(nodes) == 2:
        for identity, loaded in zip(result, nodes, strict=True):
            if identity.name:
                continue
            targets = _ucast_target_names(loaded, declared)
            others = [d for d in declared if d not in targets]
            if len(targets) == 1 and len(others) == 1 and others[0].lower() not in taken:
                identity.name, identity.how = others[0], f"it unicasts to {next(iter(targets))}"
                taken.add(others[0].lower())
    unassigned = [d for d in declared if d.lower() not in taken]
    unknown = [i for i in result if not i.name]
    if len(unknown) == 1 and len(unassigned) == 1:
        unknown[0].name, unknown[0].how = unassigned[0], "the only declared node left"
    return result
