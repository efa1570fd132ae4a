"""Which declared node each folder of a cluster holds, and how that is known.

Every signal the files give is used, strongest first: `--as DIR=NODE`; a `nodeinfo` file in
the node's ha.d (Heartbeat itself takes its first line for the node name); `/etc/ha.d` on a
live node is this host; the folder's name (`web1/`, `web1/ha.d/`, `web1/etc/ha.d/`, the short
name of `web1.example.com`, or one label of it: `nginx1/` for `www.nginx1.com`); a `hostname`
file beside the node's `etc/ha.d`; then what the ucast lines say — a ucast target is the
*other* node, by its name or by an address a `hosts` file in the tree gives a name — and last
the only declared node left. Nothing is guessed beyond that: a folder that stays unknown is
said so once, with the flag that settles it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from halint.discovery import node_home, node_root
from halint.i18n import N_
from halint.regex import compiled

if TYPE_CHECKING:
    from halint.hostfacts import HostFacts
    from halint.node import LoadedNode

LIVE_HA_D = "/etc/ha.d"
SMALL_FILE = 64 * 1024
HOSTS_SEARCH_DEPTH = 6


# How a folder's node was found out: a stable word (JSON's "source") for each signal.
Source = Literal[
    "as",
    "nodeinfo",
    "this-host",
    "folder-name",
    "hostname-file",
    "ucast",
    "elimination",
    "only-node",
    "unknown",
    "doubled",
]


class Identity:
    """Which declared node a folder holds, and how that was found out (said in the output).

    `detail` is what the signal said: the host's name source for this-host, the ucast targets
    for ucast, the claimed name and how many folders claimed it for doubled.
    """

    __slots__ = ("claimants", "detail", "folder", "name", "source")

    def __init__(self, folder: str, name: str | None, source: Source, detail: str = "") -> None:
        self.folder = folder
        self.name = name
        self.source: Source = source
        self.detail = detail
        self.claimants = 0

    @property
    def how(self) -> str:
        """How it was found out, in the chosen language."""
        from halint.i18n import _, translate

        if self.source == "this-host":
            return _("this host ({source})").format(source=self.detail)
        if self.source == "ucast":
            return _("it unicasts to {targets}").format(targets=self.detail)
        if self.source == "doubled":
            return _("unknown: {count} folders look like {name}").format(
                count=self.claimants, name=self.detail
            )
        return translate(_SAID[self.source])


_SAID: dict[str, str] = {
    "as": N_("given with --as"),
    "nodeinfo": N_("its nodeinfo file"),
    "folder-name": N_("the folder's name"),
    "hostname-file": N_("its hostname file"),
    "elimination": N_("the only declared node left"),
    "only-node": N_("the only node checked"),
    "unknown": N_("unknown"),
}


def declared_nodes(nodes: list[LoadedNode]) -> list[str]:
    """The node names the cluster's ha.cf files declare, first spelling kept, in order."""
    names: list[str] = []
    seen: set[str] = set()
    for loaded in nodes:
        hacf = loaded.node.hacf
        for word in hacf.nodes if hacf else []:
            if word.text.lower() not in seen:
                seen.add(word.text.lower())
                names.append(word.text)
    return names


def _first_line(path: Path) -> str | None:
    """The first line of a small regular file, or None (never blocks, never reads much)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError:
        return None
    try:
        import stat

        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        data = os.read(fd, 512)
    except OSError:
        return None
    finally:
        os.close(fd)
    line = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip()
    return line or None


def _hosts(paths: list[Path]) -> dict[str, list[str]]:
    """Address -> names from the hosts files found (lower case)."""
    table: dict[str, list[str]] = {}
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
        except OSError:
            continue
        try:
            import stat

            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue
            data = os.read(fd, SMALL_FILE)
        except OSError:
            continue
        finally:
            os.close(fd)
        for line in data.decode("utf-8", "replace").splitlines():
            words = line.split("#", 1)[0].split()
            if len(words) >= 2:
                table.setdefault(words[0], []).extend(w.lower() for w in words[1:])
    return table


def _hosts_files(folder: Path, top: Path | None) -> list[Path]:
    """hosts files in the node's folders and the folders above it, up to the checked root."""
    root = node_root(folder)
    candidates = [folder / "hosts", root / "hosts", root / "etc" / "hosts"]
    above = node_home(folder)
    for _ in range(HOSTS_SEARCH_DEPTH):
        candidates.append(above / "hosts")
        if top is None or above == top or top not in above.parents:
            break
        above = above.parent
    return [c for c in candidates if os.path.lexists(c)]


def _match(candidate: str, declared: list[str]) -> str | None:
    """A folder name that names exactly one declared node: whole, short name, or a label."""
    wanted = candidate.lower()
    exact = [d for d in declared if d.lower() == wanted]
    if exact:
        return exact[0]
    short = [d for d in declared if d.lower().split(".")[0] == wanted.split(".")[0]]
    if len(short) == 1:
        return short[0]
    labels = [d for d in declared if wanted in d.lower().split(".")]
    if len(labels) == 1:
        return labels[0]
    # A word of the folder's name (`haproxy-lb1` for lb1.docker.ee), when exactly one word
    # names exactly one node.
    words = [w for w in compiled(r"[-_. ]+").split(wanted) if w]
    hits = {d for w in words for d in declared if w == d.lower().split(".")[0]}
    matching_words = [w for w in words if any(w == d.lower().split(".")[0] for d in declared)]
    return next(iter(hits)) if len(hits) == 1 and len(matching_words) == 1 else None


def folder_name_of(folder: Path, declared: list[str]) -> tuple[str, bool] | None:
    """The declared node a folder is named after (`web1/`, `web1/ha.d/`, `web1.example.com/`),
    and whether by exactly its name (not `web1.bak/`); None when it is named after none."""
    candidates = [folder.name]
    root = node_root(folder)
    if root != folder:
        candidates.append(root.name)
    for candidate in candidates:
        found = _match(candidate, declared)
        if found:
            return found, candidate.lower() == found.lower()
    return None


def _by_folder_name(folder: Path, declared: list[str]) -> str | None:
    named = folder_name_of(folder, declared)
    return named[0] if named else None


def _ucast_targets(loaded: LoadedNode) -> list[str]:
    hacf = loaded.node.hacf
    if hacf is None:
        return []
    return [
        m.target.text.lower()
        for m in hacf.media
        if m.kind in ("ucast", "ucast6") and m.target is not None
    ]


def identify(
    nodes: list[LoadedNode],
    explicit: dict[str, str],
    host: HostFacts | None,
    top: Path | None = None,
) -> list[Identity]:
    """Name each folder's node (see the module's docstring for the order of the signals)."""
    declared = declared_nodes(nodes)
    lowered = {d.lower(): d for d in declared}
    result: list[Identity] = []
    for loaded in nodes:
        folder = Path(loaded.node.directory)
        real = os.path.realpath(folder)
        given = (
            explicit.get(real)
            or explicit.get(str(folder))
            or explicit.get(os.path.realpath(node_root(folder)))
        )
        if given:
            result.append(Identity(str(folder), given, "as"))
            continue
        nodeinfo = _first_line(folder / "nodeinfo")
        if nodeinfo:
            name = lowered.get(nodeinfo.lower(), nodeinfo)
            result.append(Identity(str(folder), name, "nodeinfo"))
            continue
        if host is not None and real == os.path.realpath(LIVE_HA_D):
            result.append(Identity(str(folder), host.node_name, "this-host", host.name_source))
            continue
        by_name = _by_folder_name(folder, declared)
        if by_name:
            result.append(Identity(str(folder), by_name, "folder-name"))
            continue
        root = node_root(folder)
        hostname = _first_line(root / "etc" / "hostname") if root != folder else None
        if hostname and hostname.lower() in lowered:
            result.append(Identity(str(folder), lowered[hostname.lower()], "hostname-file"))
            continue
        result.append(Identity(str(folder), None, "unknown"))
    _drop_doubles(result)
    _by_peers(nodes, result, declared, top)
    return result


def _drop_doubles(result: list[Identity]) -> None:
    """Two folders that claim one name: neither is trusted."""
    claims: dict[str, list[Identity]] = {}
    for identity in result:
        if identity.name and identity.source != "as":
            claims.setdefault(identity.name.lower(), []).append(identity)
    for name, claimants in claims.items():
        if len(claimants) > 1:
            for identity in claimants:
                identity.source, identity.detail = "doubled", name
                identity.claimants = len(claimants)
                identity.name = None


def _by_peers(
    nodes: list[LoadedNode], result: list[Identity], declared: list[str], top: Path | None
) -> None:
    """A ucast target is the peer (by name, or by an address a hosts file names); what is
    left of the declared nodes is this folder. Repeated until nothing changes; then the only
    declared node left goes to the only folder left."""
    from halint.i18n import _

    lowered = {d.lower(): d for d in declared}
    taken = {i.name.lower() for i in result if i.name}
    changed = True
    while changed:
        changed = False
        for identity, loaded in zip(result, nodes, strict=True):
            if identity.name:
                continue
            peers: set[str] = set()
            said: list[str] = []
            table: dict[str, list[str]] | None = None
            for target in _ucast_targets(loaded):
                if target in lowered:
                    peers.add(target)
                    said.append(lowered[target])
                    continue
                if table is None:
                    table = _hosts(_hosts_files(Path(loaded.node.directory), top))
                names = [n for n in table.get(target, []) if n in lowered]
                if names:
                    peers.add(names[0])
                    said.append(
                        _("{address}, {name}'s by a hosts file").format(
                            address=target, name=lowered[names[0]]
                        )
                    )
            left = [d for d in declared if d.lower() not in peers and d.lower() not in taken]
            if peers and len(left) == 1:
                identity.name = left[0]
                identity.source, identity.detail = "ucast", ", ".join(said)
                taken.add(left[0].lower())
                changed = True
    unassigned = [d for d in declared if d.lower() not in taken]
    unknown = [i for i in result if not i.name]
    if len(unknown) == 1 and len(unassigned) == 1 and unknown[0].source == "unknown":
        unknown[0].name, unknown[0].source = unassigned[0], "elimination"


def node_addresses(nodes: list[LoadedNode], top: Path | None = None) -> dict[str, str]:
    """The address a hosts file in the tree gives each declared node (lower-case name ->
    address), where it gives exactly one."""
    lowered = {d.lower() for d in declared_nodes(nodes)}
    found: dict[str, set[str]] = {}
    for loaded in nodes:
        table = _hosts(_hosts_files(Path(loaded.node.directory), top))
        for address, names in table.items():
            for name in names:
                if name in lowered:
                    found.setdefault(name, set()).add(address)
    return {name: next(iter(addresses)) for name, addresses in found.items() if len(addresses) == 1}
