"""Nodes into clusters, by the node names their ha.cf declares.

Nodes whose `node` lists share a name belong to one cluster; a node that shares no name with
another is in another cluster. A node whose list meets two clusters that share nothing with
each other (a copied ha.cf half edited) joins neither: it is checked on its own and said so
(HL508), never silently merged. Two sets of folders that declare the same names — two labs
that both call their nodes node1 and node2 — are told apart by the folder they sit in.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class NodeSummary:
    """What grouping needs of a node: where it is (`home`: the folder its node folder sits in)
    and the names it declares (lower case; `shown_names` as written, in order), and ha.cf's
    `cluster` directive."""

    __slots__ = (
        "cluster_name",
        "declared",
        "exact_name",
        "folder",
        "home",
        "index",
        "named_after",
        "shown_names",
    )

    def __init__(
        self,
        index: int,
        folder: str,
        home: str,
        declared: frozenset[str],
        shown_names: tuple[str, ...] = (),
        cluster_name: str | None = None,
        named_after: str | None = None,
        exact_name: bool = False,
    ) -> None:
        self.index = index
        self.folder = folder
        self.home = home
        self.declared = declared
        self.shown_names = shown_names
        self.cluster_name = cluster_name
        self.named_after = named_after  # the declared node its folder is named after
        self.exact_name = exact_name  # ... by exactly its name (`web1/`, not `web1.bak/`)


class Bridge:
    """A node whose list meets several clusters: which names of which cluster it declares."""

    __slots__ = ("index", "meets")

    def __init__(self, index: int) -> None:
        self.index = index
        self.meets: list[tuple[list[int], list[str]]] = []


class Grouping:
    """The clusters (indexes of the summaries), the bridging nodes, and the folders that
    declare the same nodes side by side, more of them than nodes (which of them form a cluster
    cannot be told, so each is checked alone, and said so)."""

    __slots__ = ("bridges", "clusters", "copies", "crowded")

    def __init__(
        self,
        clusters: list[list[int]],
        bridges: dict[int, Bridge],
        crowded: list[tuple[list[int], list[str]]],
        copies: list[tuple[list[int], list[int]]] | None = None,
    ) -> None:
        self.clusters = clusters
        self.bridges = bridges
        self.crowded = crowded
        # folders beside a cluster named after its nodes, but not by their exact names
        # (`web1.bak/` beside `web1/` and `web2/`): (the copies, the cluster), each copy alone
        self.copies = copies or []


class _Sets:
    """Union-find over small integers."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _components(members: list[NodeSummary]) -> list[list[NodeSummary]]:
    """Connected components of nodes that share a declared name."""
    sets = _Sets(len(members))
    owner: dict[str, int] = {}
    for position, node in enumerate(members):
        for name in node.declared:
            if name in owner:
                sets.union(owner[name], position)
            else:
                owner[name] = position
    groups: dict[int, list[NodeSummary]] = {}
    for position, node in enumerate(members):
        groups.setdefault(sets.find(position), []).append(node)
    return list(groups.values())


def _bridging_sets(component: list[NodeSummary]) -> set[frozenset[str]]:
    """Declared lists that meet two lists which share nothing with each other."""
    distinct = sorted({n.declared for n in component}, key=sorted)
    bridging: set[frozenset[str]] = set()
    for names in distinct:
        meeting = [other for other in distinct if other != names and other & names]
        if any(not (a & b) for i, a in enumerate(meeting) for b in meeting[i + 1 :]):
            bridging.add(names)
    return bridging


def _by_home(
    component: list[NodeSummary],
    crowded: list[tuple[list[int], list[str]]],
    copies: list[tuple[list[int], list[int]]],
) -> list[list[NodeSummary]]:
    """More folders than declared names, in several folders: one cluster per folder; still
    more folders than names side by side in one folder: each alone, and said so."""
    names = frozenset().union(*(n.declared for n in component))
    homes: dict[str, list[NodeSummary]] = {}
    for node in component:
        homes.setdefault(node.home, []).append(node)
    if len(component) <= len(names) and not _one_node_twice(homes):
        return [component]
    parts = list(homes.values()) if len(homes) > 1 else [component]
    out: list[list[NodeSummary]] = []
    for part in parts:
        part_names = frozenset().union(*(n.declared for n in part))
        exact = _exactly_named(part, part_names) if len(part) > len(part_names) else None
        if exact is not None:
            rest = [n for n in part if n not in exact]
            copies.append(([n.index for n in rest], [n.index for n in exact]))
            out.append(exact)
            out.extend([n] for n in rest)
        elif len(part) > len(part_names):
            shown = list(dict.fromkeys(name for n in part for name in n.shown_names))
            crowded.append(([n.index for n in part], shown))
            out.extend([n] for n in part)
        else:
            out.append(part)
    return out


def _exactly_named(part: list[NodeSummary], names: frozenset[str]) -> list[NodeSummary] | None:
    """One folder named exactly after each declared node, the others only like one
    (`web1.bak/`): those are the cluster; None when that does not tell."""
    exact = [n for n in part if n.exact_name]
    found = sorted(n.named_after or "" for n in exact)
    return exact if found == sorted(names) else None


def _one_node_twice(homes: dict[str, list[NodeSummary]]) -> bool:
    """Folders in different places named after the same node (`lab-a/web1`, `lab-b/web1`):
    two copies of one node are of two clusters, not one cluster's two nodes."""
    if len(homes) < 2:
        return False
    seen: dict[str, str] = {}
    for home, nodes in homes.items():
        for node in nodes:
            if node.named_after is None:
                continue
            if seen.setdefault(node.named_after, home) != home:
                return True
    return False


def group(summaries: Iterable[NodeSummary]) -> Grouping:
    nodes = list(summaries)
    named = [n for n in nodes if n.declared]
    loose = [n for n in nodes if not n.declared]
    clusters: list[list[NodeSummary]] = []
    bridges: dict[int, Bridge] = {}
    crowded: list[tuple[list[int], list[str]]] = []
    copies: list[tuple[list[int], list[int]]] = []
    for component in _components(named):
        bridging = _bridging_sets(component)
        if not bridging:
            clusters.extend(_by_home(component, crowded, copies))
            continue
        rest = [n for n in component if n.declared not in bridging]
        parts = [part for sub in _components(rest) for part in _by_home(sub, crowded, copies)]
        clusters.extend(parts)
        for node in component:
            if node.declared not in bridging:
                continue
            bridge = Bridge(node.index)
            for part in parts:
                shared = node.declared & frozenset().union(*(n.declared for n in part))
                if shared:
                    bridge.meets.append(([n.index for n in part], sorted(shared)))
            bridges[node.index] = bridge
            clusters.append([node])
    by_home: dict[str, list[int]] = {}
    for position, cluster in enumerate(clusters):
        for home in {n.home for n in cluster}:
            by_home.setdefault(home, []).append(position)
    for node in loose:
        homes = by_home.get(node.home, [])
        if len(homes) == 1 and node.index not in bridges:
            clusters[homes[0]].append(node)
        else:
            clusters.append([node])
    ordered = [sorted(c, key=lambda n: n.folder) for c in clusters]
    ordered.sort(key=lambda c: c[0].folder)
    return Grouping([[n.index for n in c] for c in ordered], bridges, crowded, copies)


def common_folder(folders: list[str]) -> str | None:
    """The deepest folder that holds all of them (None when they share none); for one node,
    the folder its node folder sits in (`ha/db` for `ha/db/db1/ha.d`, as `ha/shop` for
    `ha/shop/web1`)."""
    if not folders:
        return None
    if len(folders) == 1:
        from halint.discovery import node_home

        home = str(node_home(Path(folders[0])))
        return None if home in (".", "") else home
    parts = [Path(f).parts for f in folders]
    shared: list[str] = []
    for column in zip(*parts, strict=False):
        if len(set(column)) != 1:
            break
        shared.append(column[0])
    return str(Path(*shared)) if shared else None


def cluster_names(grouping: Grouping, summaries: list[NodeSummary]) -> list[str]:
    """A name for each cluster: ha.cf's `cluster` directive when its nodes agree on one, else
    its node names joined with `+` (`web1+web2`); the folder is added where names repeat."""
    names: list[str] = []
    for members in grouping.clusters:
        nodes = [summaries[i] for i in members]
        said = {n.cluster_name for n in nodes if n.cluster_name}
        declared = list(dict.fromkeys(name for n in nodes for name in n.shown_names))
        if len(said) == 1:
            names.append(next(iter(said)))
        elif declared:
            names.append("+".join(declared))
        else:
            names.append(Path(nodes[0].folder).name or nodes[0].folder)
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    for position, members in enumerate(grouping.clusters):
        if counts[names[position]] > 1:
            folder = common_folder([summaries[i].folder for i in members])
            names[position] += f" ({folder or summaries[members[0]].folder})"
    return names
