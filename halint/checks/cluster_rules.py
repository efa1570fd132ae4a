"""HL501–HL507: what only shows when several nodes' files are read together.

Findings point at one node's line and carry the other node's line as a related location.
Keys are compared by fingerprint only (HMAC with a per-run secret): no key is ever shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from halint.checks import Hit, registrar
from halint.edits import Edit
from halint.i18n import _
from halint.models import Medium, Node, Span
from halint.rulemeta import heartbeat_says
from halint.timing import timing_of
from halint.values import format_ms


class ClusterContext:
    """What a cluster check reads: the cluster's nodes; for a node whose `node` list meets
    several clusters (then checked alone), each of those clusters' name, the names this node
    shares with it, and its folders; each node's address, where a hosts file in the checked
    tree names it (lower-case names)."""

    __slots__ = ("addresses", "foreign", "nodes")

    def __init__(
        self,
        nodes: list[Node],
        foreign: list[tuple[str, list[str], list[str]]] | None = None,
        addresses: dict[str, str] | None = None,
    ) -> None:
        self.nodes = nodes
        self.foreign: list[tuple[str, list[str], list[str]]] = foreign or []
        self.addresses: dict[str, str] = addresses or {}

    def address_of(self, node: Node) -> str | None:
        return self.addresses.get(node.name.lower()) if node.name else None

    def label(self, node: Node) -> str:
        return node.name or node.directory


ClusterCheck = Callable[[ClusterContext], Iterator[Hit]]
CLUSTER_CHECKS: dict[str, ClusterCheck] = {}


def cluster_check(rule_id: str) -> Callable[[ClusterCheck], ClusterCheck]:
    return registrar(CLUSTER_CHECKS, rule_id)


def _file_start(node: Node, kind: str) -> Span:
    file = node.files.get(kind)
    path = file.path if file else f"{node.directory}/{kind}"
    return Span.model_construct(path=path, line=1, column=1)


def _pairs(ctx: ClusterContext) -> Iterator[tuple[Node, Node]]:
    """Each node against the first one (the reference)."""
    first = ctx.nodes[0]
    for other in ctx.nodes[1:]:
        yield first, other


def _names(names: set[str]) -> str:
    return ", ".join(sorted(names)) or "none"


def _groups_text(groups: set[tuple[str, str]]) -> str:
    return ", ".join(f"{group}:{port}" for group, port in sorted(groups))


@cluster_check("HL501")
def authkeys_mismatch(ctx: ClusterContext) -> Iterator[Hit]:
    for ref, other in _pairs(ctx):
        a, b = ref.authkeys, other.authkeys
        if a is None or b is None or a.active is None or b.active is None:
            continue
        ka, kb = a.active, b.active
        same_secret = ka.fingerprint == kb.fingerprint
        if same_secret and ka.index == kb.index:
            continue
        lacking = [
            (node, index)
            for node, keys, index, method in (
                (other, b, ka.index, ka.method.text),
                (ref, a, kb.index, kb.method.text),
            )
            if not any(
                k.index == index and k.method.text.lower() == method.lower() for k in keys.keys
            )
        ]
        if same_secret and lacking:
            node, index = lacking[0]
            why = _(
                "the same secret under another index, which {node} has no line for with that "
                'method: it drops every packet ("{message}"), each node declares the other dead '
                "after initdead and takes over its resources: both nodes hold them"
            ).format(
                node=ctx.label(node),
                message=heartbeat_says("HL501", "Invalid authentication", index),
            )
            severity = None
        elif same_secret:
            why = _(
                "the same secret under another index: Heartbeat 3.0.6 checks a packet with the "
                "method of the packet's index but its own selected key, so this works only "
                "while both indexes hold identical lines"
            )
            severity = "warning"
        else:
            why = _(
                'each node drops the other\'s packets ("authtoken does not match"), declares '
                "it dead after initdead and takes over its resources: both nodes hold them"
            )
            severity = None
        yield Hit(
            span=kb.span,
            message=_(
                "authkeys differ between nodes: {a} signs with `auth {a_index}` = {a_method} "
                "[{a_print}], {b} with `auth {b_index}` = {b_method} [{b_print}] (key "
                "fingerprints, not keys): {why}"
            ).format(
                a=ctx.label(ref),
                a_index=ka.index,
                a_method=ka.method.text,
                a_print=ka.fingerprint,
                b=ctx.label(other),
                b_index=kb.index,
                b_method=kb.method.text,
                b_print=kb.fingerprint,
                why=why,
            ),
            fix=_(
                "copy {path} to {node} (`scp -p`, then chmod 600): authkeys must be identical "
                "on every node"
            ).format(path=a.path, node=ctx.label(other)),
            severity=severity,  # type: ignore[arg-type]
            related=[
                (
                    ka.span,
                    _("{node}'s active key [{fingerprint}]").format(
                        node=ctx.label(ref), fingerprint=ka.fingerprint
                    ),
                )
            ],
        )


def _groups(node: Node) -> list[tuple[str, tuple[str, ...], Span]]:
    if node.haresources is None:
        return []
    return [
        (g.owner.text.lower(), tuple(r.text for r in g.resources), g.span)
        for g in node.haresources.groups
    ]


@cluster_check("HL502")
def haresources_mismatch(ctx: ClusterContext) -> Iterator[Hit]:
    for ref, other in _pairs(ctx):
        if ref.haresources is None or other.haresources is None:
            continue
        if ref.hacf is not None and ref.hacf.crm_enabled:
            continue
        ga, gb = _groups(ref), _groups(other)
        if [(o, r) for o, r, _ in ga] == [(o, r) for o, r, _ in gb]:
            continue
        keyed_a = {r[0] if r else o: (o, r, s) for o, r, s in ga}
        reported = False
        for owner, resources, span in gb:
            key = resources[0] if resources else owner
            match = keyed_a.get(key)
            if match is not None and match[:2] == (owner, resources):
                continue
            if match is None:
                what = _("this group is not in {node}'s haresources").format(node=ctx.label(ref))
                related = [
                    (
                        _file_start(ref, "haresources"),
                        _("{node}'s haresources").format(node=ctx.label(ref)),
                    )
                ]
            elif match[0] != owner:
                what = _(
                    "{a} gives this group to `{a_owner}`, {b} to `{b_owner}`: both nodes take "
                    "it at start"
                ).format(a=ctx.label(ref), a_owner=match[0], b=ctx.label(other), b_owner=owner)
                related = [(match[2], _("{node}'s line").format(node=ctx.label(ref)))]
            else:
                what = _("{node} lists other resources in this group").format(node=ctx.label(ref))
                related = [(match[2], _("{node}'s line").format(node=ctx.label(ref)))]
            reported = True
            yield Hit(
                span=span,
                message=_(
                    "haresources differs between {a} and {b}: {what}. Each node acts on its own "
                    "copy, so a takeover starts other resources than the ones given up"
                ).format(a=ctx.label(ref), b=ctx.label(other), what=what),
                fix=_("make haresources identical on every node (copy {path})").format(
                    path=ref.haresources.path
                ),
                related=related,
            )
        if not reported:
            yield Hit(
                span=_file_start(other, "haresources"),
                message=_(
                    "haresources differs between {a} and {b} (groups missing, or in another order)"
                ).format(a=ctx.label(ref), b=ctx.label(other)),
                fix=_("make haresources identical on every node (copy {path})").format(
                    path=ref.haresources.path
                ),
                related=[
                    (
                        _file_start(ref, "haresources"),
                        _("{node}'s haresources").format(node=ctx.label(ref)),
                    )
                ],
            )


@cluster_check("HL503")
def node_list_mismatch(ctx: ClusterContext) -> Iterator[Hit]:
    for ref, other in _pairs(ctx):
        if ref.hacf is None or other.hacf is None:
            continue
        na = {n.text.lower() for n in ref.hacf.nodes}
        nb = {n.text.lower() for n in other.hacf.nodes}
        if na == nb:
            continue
        anchor = other.hacf.nodes[0].span if other.hacf.nodes else _file_start(other, "ha.cf")
        related_span = ref.hacf.nodes[0].span if ref.hacf.nodes else _file_start(ref, "ha.cf")
        yield Hit(
            span=anchor,
            message=_(
                "the node lists differ: {a} declares {a_nodes}, {b} declares {b_nodes}: packets "
                "from a node the receiver does not know are dropped"
            ).format(a=ctx.label(ref), a_nodes=_names(na), b=ctx.label(other), b_nodes=_names(nb)),
            fix=_("declare the same `node` lines on every node"),
            related=[(related_span, _("{node}'s node list").format(node=ctx.label(ref)))],
        )


def _ucast_links(node: Node) -> dict[str, list[Medium]] | None:
    """ucast media by interface (None when the node has no ucast line)."""
    hacf = node.hacf
    if hacf is None:
        return None
    links: dict[str, list[Medium]] = {}
    for medium in hacf.media:
        if medium.kind == "ucast" and medium.interface is not None and medium.target is not None:
            links.setdefault(medium.interface.text, []).append(medium)
    return links or None


def _other_media(node: Node) -> list[str]:
    """The kinds of the node's media that are not ucast (which still carry heartbeats)."""
    hacf = node.hacf
    return sorted({m.kind for m in hacf.media if m.kind != "ucast"}) if hacf else []


def _targets(media: list[Medium]) -> set[str]:
    return {m.target.text.lower() for m in media if m.target is not None}


def _besides(kinds: list[str]) -> str:
    return _(" and ").join(kinds)


@cluster_check("HL504")
def ucast_same_target(ctx: ClusterContext) -> Iterator[Hit]:
    for ref, other in _pairs(ctx):
        la, lb = _ucast_links(ref), _ucast_links(other)
        if la is None or lb is None:
            continue
        carried = sorted(set(_other_media(ref)) & set(_other_media(other)))
        for node, links in ((ref, la), (other, lb)):
            own = node.name.lower() if node.name else None
            targets = {t for media in links.values() for t in _targets(media)}
            if own is not None and targets == {own}:
                medium = next(iter(links.values()))[0]
                if carried:
                    message = _(
                        "{node} unicasts only to itself ({own}): its ucast link carries nothing "
                        "to its peer; {media} still carries the heartbeats, so the cluster "
                        "holds, with one path fewer than it looks"
                    ).format(node=ctx.label(node), own=own, media=_besides(carried))
                else:
                    message = _(
                        "{node} unicasts only to itself ({own}): its peer never hears it, "
                        "declares it dead after initdead and takes over all its resources, "
                        "while it hears only itself and never runs anything — the cluster has "
                        "silently become one node"
                    ).format(node=ctx.label(node), own=own)
                yield Hit(
                    span=medium.target.span,  # type: ignore[union-attr]
                    message=message,
                    fix=_("on {node}, write the peer's address in the ucast line").format(
                        node=ctx.label(node)
                    ),
                    severity="warning" if carried else None,
                )
        one_sided = [
            interface
            for interface in la.keys() & lb.keys()
            if _targets(la[interface]) == _targets(lb[interface])
            and len(_targets(la[interface])) == 1
        ]
        if not one_sided:
            continue
        every_link = len(one_sided) == len(la.keys() | lb.keys()) and not carried
        for interface in sorted(one_sided):
            target = next(iter(_targets(la[interface])))
            ma, mb = la[interface][0], lb[interface][0]
            if every_link:
                effect = _(
                    "that is one of them, which talks to itself — the other never hears it, "
                    "declares it dead and takes over all its resources, while the node that "
                    "talks to itself runs nothing: the cluster has silently become one node"
                )
            elif carried:
                effect = _(
                    "that is one of them, which talks to itself on this link: the ucast link "
                    "is one-way; {media} still carries the heartbeats (observed: the cluster "
                    "holds), with one path fewer than it looks"
                ).format(media=_besides(carried))
            else:
                effect = _(
                    "that is one of them, which talks to itself on this link: the link is "
                    "one-way and gives no redundancy"
                )
            yield Hit(
                span=mb.target.span,  # type: ignore[union-attr]
                message=_(
                    "{a} and {b} both unicast to {target} on {interface} and nowhere else "
                    "there: {effect} (the ucast line was copied with ha.cf and not edited)"
                ).format(
                    a=ctx.label(ref),
                    b=ctx.label(other),
                    target=target,
                    interface=interface,
                    effect=effect,
                ),
                fix=_(
                    "on the node whose address is {target}, write the other node's address"
                ).format(target=target),
                severity=None if every_link else "warning",
                related=[
                    (
                        ma.target.span,  # type: ignore[union-attr]
                        _("{node}'s ucast target").format(node=ctx.label(ref)),
                    )
                ],
                edits=_retarget(ctx, ((ref, ma), (other, mb)), target),
            )


def _retarget(
    ctx: ClusterContext, lines: tuple[tuple[Node, Medium], ...], target: str
) -> list[Edit]:
    """Where a hosts file of the cluster shows whose address the shared target is, and the
    other node's: that node's ucast line gets the other's address (the copied line fixed)."""
    owners = [node for node, _medium in lines if ctx.address_of(node) == target]
    if len(owners) != 1:
        return []
    (owner,) = owners
    peer = next(node for node, _medium in lines if node is not owner)
    address = ctx.address_of(peer)
    if address is None:
        return []
    medium = next(m for node, m in lines if node is owner)
    word = medium.target
    assert word is not None
    return [Edit.replace(word.span.path, word.span.line, word.span.column, word.text, address)]


@cluster_check("HL505")
def timing_mismatch(ctx: ClusterContext) -> Iterator[Hit]:
    for ref, other in _pairs(ctx):
        if ref.hacf is None or other.hacf is None:
            continue
        ta, tb = timing_of(ref.hacf), timing_of(other.hacf)
        for name in ("keepalive", "deadtime", "warntime", "initdead"):
            va, vb = getattr(ta, name), getattr(tb, name)
            if va == vb:
                continue
            sa, sb = ref.hacf.setting(name), other.hacf.setting(name)
            yield Hit(
                span=sb.span if sb else _file_start(other, "ha.cf"),
                message=_(
                    "{name} differs: {a_value} on {a}, {b_value} on {b}: the nodes disagree on "
                    "when the other is late or dead"
                ).format(
                    name=name,
                    a_value=format_ms(va),
                    a=ctx.label(ref),
                    b_value=format_ms(vb),
                    b=ctx.label(other),
                ),
                fix=_("use the same {name} on every node").format(name=name),
                related=[
                    (
                        sa.span if sa else _file_start(ref, "ha.cf"),
                        _("{node}'s {name}").format(node=ctx.label(ref), name=name),
                    )
                ],
            )


def _port(node: Node) -> int:
    hacf = node.hacf
    return hacf.udpport.value if hacf and hacf.udpport else 694


@cluster_check("HL506")
def media_mismatch(ctx: ClusterContext) -> Iterator[Hit]:
    for ref, other in _pairs(ctx):
        if ref.hacf is None or other.hacf is None:
            continue
        udp_a = any(m.kind in ("bcast", "ucast") for m in ref.hacf.media)
        udp_b = any(m.kind in ("bcast", "ucast") for m in other.hacf.media)
        if udp_a and udp_b and _port(ref) != _port(other):
            sa, sb = ref.hacf.udpport, other.hacf.udpport
            yield Hit(
                span=sb.span if sb else _file_start(other, "ha.cf"),
                message=_(
                    "udpport differs: {a} uses {a_port}, {b} {b_port}: their bcast/ucast "
                    "heartbeats never meet"
                ).format(
                    a=ctx.label(ref), a_port=_port(ref), b=ctx.label(other), b_port=_port(other)
                ),
                fix=_("use the same udpport on every node"),
                related=[
                    (
                        sa.span if sa else _file_start(ref, "ha.cf"),
                        _("{node}'s port").format(node=ctx.label(ref)),
                    )
                ],
            )
        groups_a = {
            (m.group.text, m.port.text)
            for m in ref.hacf.media
            if m.kind == "mcast" and m.group and m.port
        }
        groups_b = {
            (m.group.text, m.port.text)
            for m in other.hacf.media
            if m.kind == "mcast" and m.group and m.port
        }
        if groups_a and groups_b and not groups_a & groups_b:
            mb = next(m for m in other.hacf.media if m.kind == "mcast")
            ma = next(m for m in ref.hacf.media if m.kind == "mcast")
            yield Hit(
                span=mb.span,
                message=_(
                    "the mcast groups differ ({a_groups} on {a}, {b_groups} on {b}): those "
                    "heartbeats never meet"
                ).format(
                    a_groups=_groups_text(groups_a),
                    a=ctx.label(ref),
                    b_groups=_groups_text(groups_b),
                    b=ctx.label(other),
                ),
                fix=_("use the same mcast group and port on every node"),
                related=[(ma.span, _("{node}'s mcast line").format(node=ctx.label(ref)))],
            )


@cluster_check("HL507")
def failback_mismatch(ctx: ClusterContext) -> Iterator[Hit]:
    for ref, other in _pairs(ctx):
        if ref.hacf is None or other.hacf is None:
            continue
        va = ref.hacf.auto_failback.value if ref.hacf.auto_failback else "legacy"
        vb = other.hacf.auto_failback.value if other.hacf.auto_failback else "legacy"
        if va == vb:
            continue
        sa, sb = ref.hacf.auto_failback, other.hacf.auto_failback
        yield Hit(
            span=sb.span if sb else _file_start(other, "ha.cf"),
            message=_(
                "auto_failback is {a_value} on {a} but {b_value} on {b}: whether resources "
                "return to their preferred node depends on which node happens to decide"
            ).format(a_value=va, a=ctx.label(ref), b_value=vb, b=ctx.label(other)),
            fix=_("use the same auto_failback on every node"),
            related=[
                (
                    sa.span if sa else _file_start(ref, "ha.cf"),
                    _("{node}'s auto_failback").format(node=ctx.label(ref)),
                )
            ],
        )


@cluster_check("HL508")
def node_list_spans_clusters(ctx: ClusterContext) -> Iterator[Hit]:
    if not ctx.foreign or ctx.nodes[0].hacf is None:
        return
    node = ctx.nodes[0]
    hacf = node.hacf
    assert hacf is not None
    shared = {name for _, names, _ in ctx.foreign for name in names}
    words = [w for w in hacf.nodes if w.text.lower() in shared]
    if not words:
        return
    parts = [
        _("{names} (cluster {cluster}: {folders})").format(
            names=", ".join(names), cluster=cluster, folders=", ".join(folders)
        )
        for cluster, names, folders in ctx.foreign
    ]
    yield Hit(
        span=words[0].span,
        message=_(
            "this `node` list names nodes of {count} clusters that share no node: {parts}. One "
            "node's list must name the nodes of one cluster; halint cannot tell which cluster "
            "this node belongs to, so it compares it with neither (no cross-node rule ran for it)"
        ).format(count=len(parts), parts=_(" and ").join(parts)),
        fix=_(
            "keep only the `node` lines of this node's own cluster (the ha.cf was probably "
            "copied from another cluster and half edited)"
        ),
        related=[(w.span, _("another node of another cluster")) for w in words[1:]],
    )
