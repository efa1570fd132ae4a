"""The one check pipeline: paths, options and configuration in; findings, cluster by cluster,
out.

`run_check` resolves the paths, discovers the nodes, groups them into clusters, names the
nodes, selects the rules, runs them, and applies the configuration's overrides and the inline
suppressions. The command line, `diagnose --config`, the catalogue examples and the tests all
call it; none of them assembles a check of its own.

Clusters are checked one at a time and handed out as they are done, so that a fleet of a
thousand clusters streams and its memory stays flat: beyond a few dozen nodes, a node read to
learn its cluster is read again when its cluster's turn comes instead of being kept.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from halint.checks import Hit, NodeContext, load_all
from halint.findings import Finding, Related
from halint.rulemeta import rule_meta

if TYPE_CHECKING:
    from halint.config import Config
    from halint.discovery import NodeSpot
    from halint.grouping import Bridge, Grouping, NodeSummary
    from halint.hostfacts import HostFacts
    from halint.identity import Identity
    from halint.node import LoadedNode

LIVE_HA_D = "/etc/ha.d"
KEEP_LOADED = 64  # nodes kept in memory between grouping and checking


class Selection:
    """Which rules run: IDs or prefixes (`HL6` = every live rule)."""

    __slots__ = ("ignore", "select")

    def __init__(self, select: list[str] | None = None, ignore: list[str] | None = None) -> None:
        self.select: list[str] = select or []
        self.ignore: list[str] = ignore or []

    def wants(self, rule_id: str) -> bool:
        if self.select and not any(rule_id.startswith(s) for s in self.select):
            return False
        return not any(rule_id.startswith(i) for i in self.ignore)


class CheckRequest:
    """What to check and how: the command line's options, or a caller's equivalent.

    paths: what to check; offline: no live rules; node_name: --node, stands in for `uname -n`;
    assignments: --as, folder -> node; select, ignore, fail_on; config_path: --config (None:
    the nearest one upward); use_config: False for no configuration file at all (catalogue
    examples); kind: --kind, the one PATH is a file of this kind; context: --context, the folder
    of that node's other files; whole_cluster: also read the given nodes' siblings, to compare
    them; stdin; nodes: nodes already read (catalogue examples); host: given host facts instead
    of this machine's.
    """

    __slots__ = (
        "assignments",
        "config_path",
        "context",
        "fail_on",
        "host",
        "ignore",
        "kind",
        "node_name",
        "nodes",
        "offline",
        "paths",
        "select",
        "stdin",
        "use_config",
        "whole_cluster",
    )

    def __init__(
        self,
        *,
        paths: list[str] | None = None,
        offline: bool = False,
        node_name: str | None = None,
        assignments: dict[str, str] | None = None,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        fail_on: str | None = None,
        config_path: str | None = None,
        use_config: bool = True,
        kind: str | None = None,
        context: str | None = None,
        whole_cluster: bool = False,
        stdin: BinaryIO | None = None,
        nodes: list[LoadedNode] | None = None,
        host: HostFacts | None = None,
    ) -> None:
        self.paths: list[str] = paths if paths is not None else []
        self.offline = offline
        self.node_name = node_name
        self.assignments: dict[str, str] = assignments if assignments is not None else {}
        self.select: list[str] = select if select is not None else []
        self.ignore: list[str] = ignore if ignore is not None else []
        self.fail_on = fail_on
        self.config_path = config_path
        self.use_config = use_config
        self.kind = kind
        self.context = context
        self.whole_cluster = whole_cluster
        self.stdin = stdin
        self.nodes = nodes
        self.host = host


class ClusterReport:
    """One cluster's result: its nodes, how each was named, its findings, and the node checked
    against this host (`live_folder`), if any."""

    __slots__ = ("findings", "folder", "identities", "live_folder", "name", "nodes", "notes")

    def __init__(
        self,
        *,
        name: str,
        folder: str | None,
        identities: list[Identity],
        findings: list[Finding],
        nodes: list[LoadedNode],
        live_folder: str | None,
        notes: list[str] | None = None,
    ) -> None:
        self.name = name
        self.folder = folder
        self.identities = identities
        self.findings = findings
        self.nodes = nodes
        self.live_folder = live_folder
        self.notes: list[str] = notes if notes is not None else []


class CheckRun:
    """A run: what was found before checking, and the clusters, checked as they are asked for."""

    __slots__ = ("cluster_count", "clusters", "config", "fail_on", "host", "node_count", "notes")

    def __init__(
        self,
        *,
        config: Config | None,
        host: HostFacts | None,
        fail_on: str,
        clusters: Iterator[ClusterReport],
        cluster_count: int,
        node_count: int,
        notes: list[str] | None = None,
    ) -> None:
        self.config = config
        self.host = host
        self.fail_on = fail_on
        self.clusters = clusters
        self.cluster_count = cluster_count
        self.node_count = node_count
        self.notes: list[str] = notes if notes is not None else []

    def reports(self) -> list[ClusterReport]:
        return list(self.clusters)

    def findings(self) -> list[Finding]:
        return [f for report in self.clusters for f in report.findings]


class ConfigurationError(Exception):
    """A configuration file that cannot be used (exit 2, one line)."""


def run_check(request: CheckRequest) -> CheckRun:
    """The pipeline (see the module's docstring). Raises InputError for a path that cannot be
    checked at all and ConfigurationError for an unusable configuration file."""
    config = _config(request)
    offline = request.offline or bool(config is not None and config.offline)
    host = request.host
    if host is None and not offline:
        from halint.hostfacts import live

        host = live(request.node_name)
    selection = Selection(
        select=list(request.select) or (list(config.select) if config else []),
        ignore=list(request.ignore) + (list(config.ignore) if config else []),
    )
    fail_on = request.fail_on or (config.fail_on if config and config.fail_on else "warning")
    nodes = _Nodes(request, host, offline)
    _check_assignments(request.assignments, nodes)
    grouping = nodes.grouping()
    for members, names in grouping.crowded:
        folders = [nodes.summaries[i].folder for i in members]
        from halint.i18n import _

        nodes.notes.append(
            _(
                "{count} folders declare the same nodes ({names}) side by side: {folders}. That "
                "is more folders than nodes, so which of them form a cluster cannot be told: "
                "each was checked alone, and none was compared with another. Give each "
                "cluster's nodes a folder of their own."
            ).format(count=len(folders), names=", ".join(names), folders=", ".join(folders))
        )
    for copies, cluster in grouping.copies:
        from halint.i18n import _, ngettext

        nodes.notes.append(
            ngettext(
                "{copies} is named like a node of the cluster beside it ({cluster}), but not by "
                "that node's name (a copy?): it was checked alone, and the cluster without it.",
                "{copies} are named like nodes of the cluster beside them ({cluster}), but not "
                "by those nodes' names (copies?): each was checked alone, and the cluster "
                "without them.",
                len(copies),
            ).format(
                copies=", ".join(nodes.summaries[i].folder for i in copies),
                cluster=", ".join(nodes.summaries[i].folder for i in cluster),
            )
        )
    many = nodes.count > 1
    several = len(grouping.clusters) > 1
    from halint.grouping import cluster_names

    names = cluster_names(grouping, nodes.summaries)
    clusters = (
        _check_cluster(
            nodes, members, name, grouping, host, selection, config, request, many, several
        )
        for members, name in zip(grouping.clusters, names, strict=True)
    )
    return CheckRun(
        config=config,
        host=host,
        fail_on=fail_on,
        clusters=clusters,
        cluster_count=len(grouping.clusters),
        node_count=nodes.count,
        notes=nodes.notes,
    )


def _check_assignments(assignments: dict[str, str], nodes: _Nodes) -> None:
    """Each --as DIR=NODE names a node folder of the run and a node its ha.cf declares: a
    mistyped one would otherwise be ignored, or name a node the cluster does not have."""
    if not assignments:
        return
    import os

    from halint.discovery import InputError, node_root
    from halint.i18n import _

    folders: dict[str, NodeSummary] = {}
    for spot, node in zip(nodes.spots, nodes.summaries, strict=False):
        if spot is not None:  # (the node folder, or the folder its ha.d is in: web1/ha.d, web1)
            folders[os.path.realpath(node_root(Path(node.folder)))] = node
            folders[os.path.realpath(node.folder)] = node
    for folder, name in assignments.items():
        summary = folders.get(folder)
        if summary is None:
            raise InputError(
                _("--as {folder}={name}: {folder} is no node folder this run checks").format(
                    folder=os.path.relpath(folder), name=name
                )
            )
        if summary.declared and name.lower() not in summary.declared:
            raise InputError(
                _(
                    "--as {folder}={name}: its ha.cf declares no node {name} (nodes: {nodes})"
                ).format(folder=summary.folder, name=name, nodes=", ".join(summary.shown_names))
            )


def _config(request: CheckRequest) -> Config | None:
    if not request.use_config:
        return None
    from halint.configfile import ConfigError, find_config

    start = Path(request.paths[0]) if request.paths and request.paths[0] != "-" else Path(".")
    try:
        if request.config_path is not None:
            path: Path | None = Path(request.config_path)
        else:
            path = find_config(start)  # a pyproject.toml naming halint must be valid TOML
        if path is None:
            return None
        from halint.config import load_config

        return load_config(path)
    except ConfigError as error:
        raise ConfigurationError(str(error)) from None


class _Nodes:
    """The run's nodes: discovered, read once to learn their clusters, re-read when needed."""

    def __init__(self, request: CheckRequest, host: HostFacts | None, offline: bool) -> None:
        self.request = request
        self.offline = offline
        self.notes: list[str] = []
        self.spots: list[NodeSpot | None] = []
        self.kept: dict[int, LoadedNode] = {}
        self.summaries: list[NodeSummary] = []
        if request.nodes is not None:
            self.spots = [None] * len(request.nodes)
            self.kept = dict(enumerate(request.nodes))
            self.summaries = [n.summary(i) for i, n in enumerate(request.nodes)]
            return
        from halint.discovery import discover

        context = request.context
        if request.kind is not None and context is None and not offline:
            context = LIVE_HA_D if os.path.isdir(LIVE_HA_D) else None
        found = discover(request.paths or [LIVE_HA_D], request.kind, context)
        self.notes.extend(found.notes)
        spots: list[NodeSpot | None] = list(found.spots)
        self.spots = spots
        keep = len(spots) <= KEEP_LOADED
        for index in range(len(spots)):
            loaded = self.load(index)
            self.summaries.append(loaded.summary(index))
            if keep:
                self.kept[index] = loaded
        if request.whole_cluster:
            self._add_siblings()

    @property
    def count(self) -> int:
        return len(self.spots)

    def load(self, index: int) -> LoadedNode:
        kept = self.kept.get(index)
        if kept is not None:
            return kept
        from halint.node import load_node

        spot = self.spots[index]
        assert spot is not None  # nodes given in memory are always kept
        # In a checkout, no file may lead out of the git checkout (else the PATH) it was found
        # under.
        from halint.discovery import read_tree

        inside = read_tree(spot.root) if self.offline and spot.root is not None else None
        return load_node(spot, self.request.stdin, inside)

    def grouping(self) -> Grouping:
        from halint.grouping import group

        return group(self.summaries)

    def is_given(self, index: int) -> bool:
        spot = self.spots[index]
        return spot is None or spot.given

    def root_of(self, index: int) -> Path | None:
        spot = self.spots[index]
        return spot.root if spot is not None else None

    def _add_siblings(self) -> None:
        """Find, for each given node, the rest of its cluster in the repository around it."""
        from halint.siblings import find_siblings

        for spot, loaded in find_siblings(
            [s for s in self.spots if s is not None], self.summaries, self.notes
        ):
            index = len(self.spots)
            self.spots.append(spot)
            self.summaries.append(loaded.summary(index))
            self.kept[index] = loaded


def _check_cluster(
    nodes: _Nodes,
    members: list[int],
    name: str,
    grouping: Grouping,
    host: HostFacts | None,
    selection: Selection,
    config: Config | None,
    request: CheckRequest,
    many: bool,
    several: bool,
) -> ClusterReport:
    from halint.grouping import common_folder
    from halint.identity import Identity, declared_nodes, identify

    # Siblings read only for comparison come first: the cross-node rules compare every node
    # with the first, so their findings land on the files the run was given.
    members = sorted(members, key=nodes.is_given)
    loaded = [nodes.load(i) for i in members]
    if many:
        top = nodes.root_of(members[0])
        identities = identify(loaded, request.assignments, host, top)
        for identity, node in zip(identities, loaded, strict=True):
            node.node.name = identity.name
    else:
        identities = [Identity(loaded[0].node.directory, None, "only-node")]
    live_folder = _live_folder(loaded, host, many)
    findings: list[Finding] = []
    for node in loaded:
        here = node.node.directory == live_folder
        findings.extend(_node_findings(node, host if here else None, selection))
    bridge = next((grouping.bridges[i] for i in members if i in grouping.bridges), None)
    if len(loaded) > 1 or bridge is not None:
        from halint.identity import node_addresses

        addresses = node_addresses(loaded, nodes.root_of(members[0]))
        findings.extend(_cluster_findings(loaded, selection, _foreign(nodes, bridge), addresses))
    compared = len(loaded) > 1 or bridge is not None
    findings = _suppress(findings, loaded, selection, _ran(selection, live_folder, compared))
    if config is not None:
        findings = _configured(findings, config)
    names = declared_nodes(loaded)
    report = ClusterReport(
        name=name,
        folder=common_folder([n.node.directory for n in loaded]),
        identities=identities,
        findings=_outgoing(findings, loaded),
        nodes=loaded,
        live_folder=live_folder,
    )
    # An unknown name matters where a cross-node rule needs it, or the live rules might.
    matters = len(loaded) > 1 or host is not None
    unknown = [i for i in identities if i.name is None] if many and matters else []
    if unknown:
        taken = {i.name.lower() for i in identities if i.name}
        could = [n for n in names if n.lower() not in taken]
        report.notes.append(_unknown_note(unknown, could, host is not None))
    if several:
        for finding in report.findings:
            finding.cluster = report.name
    return report


def _live_folder(loaded: list[LoadedNode], host: HostFacts | None, many: bool) -> str | None:
    """The node the live rules run for: the only node of the run, else the one named as this
    host is named."""
    if host is None:
        return None
    if not many:
        return loaded[0].node.directory
    wanted = host.node_name.lower()
    for node in loaded:
        if (node.node.name or "").lower() == wanted:
            return node.node.directory
    return None


def _unknown_note(unknown: list[Identity], could: list[str], live: bool) -> str:
    """Said once per cluster: which folders are not known, what they could be, what did not
    run because of it, and the one flag that settles it."""
    from halint.i18n import _, ngettext

    folders = _(" and ").join(i.folder for i in unknown)
    count = len(unknown)
    reasons = sorted({i.how for i in unknown if i.source == "doubled"})
    why = " ({reasons})".format(reasons="; ".join(reasons)) if reasons else ""
    if could:
        what = ngettext("it could be {names}", "each could be {names}", count).format(
            names=_(" or ").join(could)
        )
    else:
        what = ngettext(
            "no declared node is left for it", "no declared node is left for them", count
        )
    skipped = _("the check of HL504 that needs to know whose address is whose (a ucast to itself)")
    if live:
        skipped += _(" and the live rules (HL6xx: it may or may not be this host)")
    example = f"--as {unknown[0].folder}={could[0] if could else 'NODE'}"
    if count == 2 and len(could) == 2:
        settle = _("Settle it with {option} (the other is then the node left).")
    elif count > 1:
        settle = _("Settle it with {option}, one --as for each.")
    else:
        settle = _("Settle it with {option}.")
    return (
        ngettext(
            "Not known which node {folders} holds{why}: {what}. Not run for it: {skipped}.",
            "Not known which nodes {folders} hold{why}: {what}. Not run for them: {skipped}.",
            count,
        ).format(folders=folders, why=why, what=what, skipped=skipped)
        + " "
        + settle.format(option=example)
    )


def _foreign(nodes: _Nodes, bridge: Bridge | None) -> list[tuple[str, list[str], list[str]]]:
    """For a node whose list meets several clusters: each cluster's node names and folders."""
    if bridge is None:
        return []
    out: list[tuple[str, list[str], list[str]]] = []
    for members, shared in bridge.meets:
        summaries = [nodes.summaries[i] for i in members]
        names = list(dict.fromkeys(n for s in summaries for n in s.shown_names))
        out.append(("+".join(names), shared, [s.folder for s in summaries]))
    return out


def to_finding(rule_id: str, hit: Hit, node_label: str | None) -> Finding:
    name, severity, blocks = rule_meta(rule_id)
    default_blocks = blocks if isinstance(blocks, bool) else False
    span = hit.span
    return Finding.model_construct(
        rule=rule_id,
        name=name,
        severity=hit.severity or severity,
        blocks_start=default_blocks if hit.blocks_start is None else hit.blocks_start,
        path=span.path,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        node=node_label,
        cluster=None,
        message=hit.message,
        fix=hit.fix,
        related=[
            Related.model_construct(path=s.path, line=s.line, column=s.column, message=m)
            for s, m in hit.related
        ],
        edits=hit.edits,
    )


def _node_findings(
    loaded: LoadedNode, host: HostFacts | None, selection: Selection
) -> list[Finding]:
    node = loaded.node
    ctx = NodeContext(node=node, host=host)
    label = node.name or node.directory
    findings: list[Finding] = []
    for rule_id, check in sorted(load_all(live=host is not None).items()):
        if not selection.wants(rule_id):
            continue
        for hit in check(ctx):
            if loaded.reports(hit.span.path):
                findings.append(to_finding(rule_id, hit, label))
    return findings


def _cluster_findings(
    loaded: list[LoadedNode],
    selection: Selection,
    foreign: list[tuple[str, list[str], list[str]]],
    addresses: dict[str, str],
) -> list[Finding]:
    from halint.checks.cluster_rules import CLUSTER_CHECKS, ClusterContext

    ctx = ClusterContext(nodes=[n.node for n in loaded], foreign=foreign, addresses=addresses)
    owner_of = {f.path: ctx.label(n.node) for n in loaded for f in n.node.files.values()}
    findings: list[Finding] = []
    for rule_id, check in sorted(CLUSTER_CHECKS.items()):
        if not selection.wants(rule_id):
            continue
        for hit in check(ctx):
            findings.append(to_finding(rule_id, hit, owner_of.get(hit.span.path)))
    return findings


def check_nodes(
    nodes: list[LoadedNode], host: HostFacts | None, selection: Selection | None = None
) -> list[Finding]:
    """The findings of nodes already read, as one run (the catalogue examples, tests)."""
    selection = selection or Selection()
    request = CheckRequest(
        nodes=nodes,
        host=host,
        offline=host is None,
        use_config=False,
        select=selection.select,
        ignore=selection.ignore,
    )
    return run_check(request).findings()


def _outgoing(findings: list[Finding], nodes: list[LoadedNode]) -> list[Finding]:
    """Sorted, with secrets masked and floods summed up (halint.outgoing)."""
    from halint.outgoing import outgoing

    sources = [source for loaded in nodes for source in loaded.sources.values()]
    return sort_findings(outgoing(sort_findings(findings), sources))


def _ran(selection: Selection, live_folder: str | None, compared: bool) -> Callable[[str], bool]:
    """Whether a rule ran for a cluster: selected, and a live rule only where a node was
    checked against this host, a cross-node rule only where there were nodes to compare (a
    suppression of a rule that did not run is not idle: HL404)."""
    from halint.catalogue import all_rule_ids
    from halint.checks.cluster_rules import CLUSTER_CHECKS
    from halint.rulemeta import raw_rule

    def one(rule: str) -> bool:
        if not selection.wants(rule):
            return False
        if rule in CLUSTER_CHECKS and not compared:
            return False
        return not raw_rule(rule).get("live", False) or live_folder is not None

    def ran(rule: str) -> bool:
        """(a prefix, `HL6`: whether any of its rules ran)"""
        named = [r for r in all_rule_ids() if r.startswith(rule)]
        return any(one(r) for r in named) if named else selection.wants(rule)

    return ran


def _suppress(
    findings: list[Finding],
    nodes: list[LoadedNode],
    selection: Selection,
    ran: Callable[[str], bool] | None = None,
) -> list[Finding]:
    """Drop what `# halint: ignore[...]` comments cover; the suppression rules (HL404) judge
    the comments of the files the run reports on, once each is marked with what it covered."""
    from halint import suppressions

    found: list[suppressions.Suppression] = []
    reported: set[str] = set()
    for loaded in nodes:
        for source in loaded.sources.values():
            if source.readable:
                found.extend(suppressions.parse(source.path, source.kind, source.lines))
                if loaded.reports(source.path):
                    reported.add(source.path)
    if not found:
        return findings
    kept = suppressions.apply(findings, found)  # marks what each suppression covered
    from halint.checks.suppressions import SUPPRESSION_CHECKS, SuppressionContext

    label_of = {
        f.path: loaded.node.name or loaded.node.directory
        for loaded in nodes
        for f in loaded.node.files.values()
    }
    ctx = SuppressionContext([s for s in found if s.path in reported], ran or selection.wants)
    for rule_id, check in sorted(SUPPRESSION_CHECKS.items()):
        if not selection.wants(rule_id):
            continue
        for hit in check(ctx):
            kept.append(to_finding(rule_id, hit, label_of.get(hit.span.path)))
    return kept


def _configured(findings: list[Finding], config: Config) -> list[Finding]:
    """Per-rule severities and per-path ignores from the configuration file."""
    import fnmatch

    base = Path(config.source).resolve().parent if config.source else Path.cwd()
    kept = []
    for finding in findings:
        try:
            relative = Path(finding.path).resolve().relative_to(base).as_posix()
        except (ValueError, OSError):
            relative = finding.path
        ignored = any(
            fnmatch.fnmatch(relative, glob) and any(finding.rule.startswith(r) for r in rules)
            for glob, rules in config.per_path_ignores.items()
        )
        if ignored:
            continue
        for rule, severity in config.severity.items():
            if finding.rule.startswith(rule):
                finding.severity = severity
        kept.append(finding)
    return kept


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)
