"""The rest of a node's cluster, found in the repository around it (`--whole-cluster`).

A pre-commit hook is handed only the files a commit touched: a commit that changes one
node's authkeys must still be compared with the other node's. From each given node the search
looks at the folder its node folder sits in, then one folder up at a time, until every name
the node's ha.cf declares has a folder in the node's cluster, or the top of the git checkout
(the folder that holds `.git`) is reached. The siblings found are read for comparison only:
their own findings are not reported, the cross-node findings that involve them are.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from halint.discovery import NodeSpot, checkout_top, node_home, read_tree, walk

if TYPE_CHECKING:
    from halint.grouping import NodeSummary
    from halint.node import LoadedNode

MAX_LEVELS = 8


def find_siblings(
    spots: list[NodeSpot], summaries: list[NodeSummary], notes: list[str]
) -> list[tuple[NodeSpot, LoadedNode]]:
    from halint.node import load_node

    known = {spot.key for spot in spots}
    pool: list[NodeSummary] = list(summaries)
    found: dict[str, tuple[NodeSpot, LoadedNode]] = {}
    candidates: dict[str, tuple[NodeSpot, LoadedNode]] = {}
    for position, spot in enumerate(spots):
        if spot.folder is None or not summaries[position].declared:
            continue
        folder = Path(os.path.abspath(spot.folder))
        top = checkout_top(folder)
        level = node_home(folder)
        for _ in range(MAX_LEVELS):
            for candidate in walk(level, notes):
                shown = candidate if spot.folder.is_absolute() else Path(os.path.relpath(candidate))
                key = str(shown)
                if key in known or key in candidates:
                    continue
                sibling = NodeSpot(folder=shown, selected=set(), given=False, root=spot.root)
                loaded = load_node(sibling, inside=read_tree(spot.root) if spot.root else None)
                candidates[key] = (sibling, loaded)
                pool.append(loaded.summary(len(pool)))
            members = _cluster_of(position, pool)
            if _complete(members, pool, summaries[position]):
                break
            if top is None or level == top or level == level.parent:
                break
            level = level.parent
        for index in _cluster_of(position, pool):
            key = pool[index].folder
            if index >= len(summaries) and key in candidates:
                found.setdefault(key, candidates[key])
    return list(found.values())


def _cluster_of(position: int, pool: list[NodeSummary]) -> list[int]:
    from halint.grouping import group

    for members in group(pool).clusters:
        if position in members:
            return members
    return [position]


def _complete(members: list[int], pool: list[NodeSummary], own: NodeSummary) -> bool:
    """Every declared name has a folder: as many nodes in the cluster as names declared."""
    return len(members) >= len(own.declared)
