"""HL300–HL307, HL317: haresources as ResourceManager reads it, and against ha.cf, resource.d
and what ResourceManager will run."""

from __future__ import annotations

from collections.abc import Iterator

from halint.checks import Hit, NodeContext, node_check
from halint.checks.misread import misread_hits, unreadable_detail
from halint.edits import Edit
from halint.i18n import _, ngettext
from halint.models import IpSpec, Misread, Resource, Span, Word
from halint.regex import compiled
from halint.rulemeta import quoted

# The wrappers the heartbeat package installs in /etc/ha.d/resource.d.
PACKAGE_WRAPPERS = frozenset(
    {
        "AudibleAlarm",
        "Delay",
        "Filesystem",
        "ICP",
        "IPaddr",
        "IPaddr2",
        "IPsrcaddr",
        "IPv6addr",
        "LVM",
        "LinuxSCSI",
        "MailTo",
        "OCF",
        "Raid1",
        "SendArp",
        "ServeRAID",
        "WAS",
        "WinPopup",
        "Xinetd",
        "apache",
        "db2",
        "hto-mapfuncs",
        "ids",
        "portblock",
    }
)
# Arguments each wrapper takes (the action is not counted): (fewest, most).
WRAPPER_ARGS: dict[str, tuple[int, int]] = {
    "IPaddr": (1, 1),
    "IPaddr2": (1, 1),
    "IPv6addr": (1, 1),
    "IPsrcaddr": (1, 1),
    "SendArp": (1, 1),
    "Filesystem": (2, 4),
    "LVM": (1, 1),
    "Raid1": (2, 2),
    "ServeRAID": (2, 2),
    "ICP": (2, 2),
    "LinuxSCSI": (1, 1),
    "Delay": (0, 2),
    "MailTo": (1, 2),
    "WinPopup": (0, 1),
    "apache": (0, 1),
    "Xinetd": (1, 1),
    "db2": (1, 1),
    "WAS": (0, 1),
    "OCF": (2, 2),
}
SCRIPT_DIRS = ("/etc/ha.d/resource.d", "/etc/init.d", "/etc/rc.d/init.d")
_DOTTED_MASK = compiled(r"^\d+\.\d+\.\d+\.\d+$")


def _resources(ctx: NodeContext) -> Iterator[Resource]:
    """Every resource of every group, as ResourceManager reads haresources."""
    haresources = ctx.node.haresources
    for group in haresources.groups if haresources is not None else []:
        yield from group.resources


@node_check("HL300")
def haresources_syntax(ctx: NodeContext) -> Iterator[Hit]:
    """The places the reader could not take as ResourceManager's syntax."""
    haresources = ctx.node.haresources
    if haresources is not None:
        yield from misread_hits(ctx, "haresources", haresources, _unreadable)


def _unreadable(misread: Misread) -> Hit:
    reason = misread.reason
    if reason == "nul":
        return Hit(
            span=misread.span,
            message=_(
                "a NUL byte: ResourceManager finds a resource group with grep, which then takes "
                'the whole file for binary and answers "binary file matches" instead of the '
                "group's line, for every group of this file: none is started at takeover"
            ),
            fix=_("remove the NUL byte (e.g. `tr -d '\\000' < haresources`)"),
            blocks_start=False,
        )
    if reason == "comment-in-group":
        message = _(
            "a `#` inside a continued group is not a comment for ResourceManager: it and the "
            "words after it become resources"
        )
        fix = _("move the comment above the group, or end the previous line without `\\`")
    elif reason == "blank-after-backslash":
        message = _(
            "blanks or a CR after the continuation backslash: neither Heartbeat nor "
            "ResourceManager sees a continuation here, so the next line is read as a new group "
            "and the `\\` becomes part of a resource"
        )
        fix = _("delete what follows the backslash (and save the file with LF line ends)")
    elif reason == "dangling-backslash":
        message = _("the last line ends with a continuation backslash but no line follows")
        fix = _("delete the trailing `\\`")
    elif reason == "empty-part":
        message = _(
            "`{resource}` has an empty part: `::` must sit between a script name and an "
            "argument, or between two arguments"
        ).format(resource=misread.text)
        fix = _("remove the doubled or dangling `::`")
    else:
        what = _("a resource group")
        message = _("this line cannot be read as {what}: {detail}").format(
            what=what, detail=unreadable_detail(misread, what)
        )
        fix = _("write `node resource [resource ...]`, one group per line")
    return Hit(span=misread.span, message=message, fix=fix)


@node_check("HL301")
def haresources_unknown_node(ctx: NodeContext) -> Iterator[Hit]:
    hacf, haresources = ctx.node.hacf, ctx.node.haresources
    if hacf is None or haresources is None or hacf.crm_enabled:
        return
    nodes = {n.text.lower() for n in hacf.nodes}
    pings = {p.text.lower() for p in hacf.ping_nodes} | {
        g.name.text.lower() for g in hacf.ping_groups
    }
    declared = ", ".join(dict.fromkeys(n.text for n in hacf.nodes)) or _("none")
    # Heartbeat's own start-up check: the first word of each physical line.
    for owner_word in haresources.startup_owners:
        owner = owner_word.text
        if owner.lower() in nodes:
            continue
        if owner.lower() in pings:
            yield Hit(
                span=owner_word.span,
                message=_(
                    "`{owner}` is a ping node, not a cluster node: Heartbeat's start-up check "
                    "lets it pass, but no node will ever run this group as its own"
                ).format(owner=owner),
                fix=_("name one of the cluster nodes ({nodes})").format(nodes=declared),
                blocks_start=False,
            )
            continue
        yield Hit(
            span=owner_word.span,
            message=_(
                "`{owner}` is not a `node` of ha.cf (nodes: {nodes}): Heartbeat refuses to start."
            ).format(owner=owner, nodes=declared)
            + quoted("HL301", "Bad nodename", "/etc/ha.d//haresources", owner.lower()),
            fix=_(
                "start the line with the preferred node's name as ha.cf declares it ({nodes})"
            ).format(nodes=declared),
        )


def _ip_problems(spec: IpSpec) -> Iterator[tuple[Word, str, str]]:
    import ipaddress

    try:
        ipaddress.IPv4Address(spec.address.text)
    except ValueError:
        yield (
            spec.address,
            _("`{address}` is not an IPv4 address").format(address=spec.address.text),
            _("write the virtual IP as four numbers, e.g. 192.168.1.100"),
        )
    mask = spec.netmask
    if mask is None:
        return
    text = mask.text
    if text.isascii() and text.isdigit():
        if len(text.lstrip("0")) > 2 or int(text) > 32:  # never int() of 5,000 digits
            yield (
                mask,
                _("prefix length /{prefix} is more than 32").format(prefix=text),
                _("use a prefix such as /24"),
            )
    elif _DOTTED_MASK.match(text):
        try:
            ipaddress.IPv4Network(f"0.0.0.0/{text}")
        except ValueError:
            yield (
                mask,
                _("`{mask}` is not a netmask (its one bits must be contiguous)").format(mask=text),
                _("write the prefix length instead, e.g. /24"),
            )
    else:
        yield (
            mask,
            _(
                "`{word}` stands where the netmask goes: the wrapper reads the fields as "
                "address/netmask/interface/broadcast, so this is taken as the netmask"
            ).format(word=text),
            _("write `{address}/24/{word}` (prefix first, then the interface)").format(
                address=spec.address.text, word=text
            ),
        )


@node_check("HL302")
def ip_invalid(ctx: NodeContext) -> Iterator[Hit]:
    for resource in _resources(ctx):
        if resource.ip is None:
            continue
        for word, why, fix in _ip_problems(resource.ip):
            yield Hit(
                span=word.span,
                message=_(
                    "{why}: Heartbeat starts, but taking over `{resource}` fails on the day it "
                    "is needed"
                ).format(why=why, resource=resource.text),
                fix=fix,
            )
        if resource.args and "//" in resource.args[0].text:
            yield Hit(
                span=resource.args[0].span,
                message=_(
                    "`{argument}` has an empty field: the wrapper skips it, so the fields after "
                    "it move one place left"
                ).format(argument=resource.args[0].text),
                fix=_("remove the doubled `/`"),
                severity="warning",
            )


def _script_found(ctx: NodeContext, name: str) -> bool | None:
    """True/False when it can be told; None when only the live host could tell."""
    if name in PACKAGE_WRAPPERS:
        return True
    facts = ctx.node.resource_scripts.get(name)
    if facts is not None and facts.kind == "file":
        return True
    host = ctx.host
    if host is None:
        return None
    return any(host.is_executable(f"{folder}/{name}") for folder in SCRIPT_DIRS)


@node_check("HL303")
def resource_unknown(ctx: NodeContext) -> Iterator[Hit]:
    for resource in _resources(ctx):
        if not resource.agent or resource.shorthand:
            continue
        if _script_found(ctx, resource.agent) is False:
            yield Hit(
                span=resource.span,
                message=_(
                    "no script `{script}` in {folder}/resource.d, /etc/init.d or the wrappers "
                    "Heartbeat ships: Heartbeat starts, but the takeover fails."
                ).format(script=resource.agent, folder=ctx.node.directory)
                + quoted("HL303", "Cannot locate", resource.agent),
                fix=_(
                    "install `{script}` in /etc/ha.d/resource.d or /etc/init.d (executable), or "
                    "correct the name"
                ).format(script=resource.agent),
            )


@node_check("HL304")
def resource_not_executable(ctx: NodeContext) -> Iterator[Hit]:
    for resource in _resources(ctx):
        facts = ctx.node.resource_scripts.get(resource.agent)
        if facts is None or facts.kind != "file" or facts.mode is None:
            continue
        if facts.mode & 0o111:
            continue
        path = f"{ctx.node.directory}/resource.d/{resource.agent}"
        # execute for whoever may read it: 644 -> 755, but an owner-only 600 (a script holding
        # a password) -> 700, never readable by more people than before
        mode = facts.mode | ((facts.mode & 0o444) >> 2) | 0o100
        yield Hit(
            span=resource.span,
            message=_(
                "{path} exists but is not executable (mode {mode}): ResourceManager skips it and "
                "the takeover fails."
            ).format(path=path, mode=f"{facts.mode:03o}")
            + quoted("HL304", "Cannot locate", resource.agent),
            fix=f"chmod {mode:o} {path}",
            edits=[Edit.chmod(path, mode)],
        )


def _identity(resource: Resource) -> str:
    if resource.ip is not None:
        return f"ip:{resource.ip.address.text}"
    return resource.text


@node_check("HL305")
def resource_in_two_groups(ctx: NodeContext) -> Iterator[Hit]:
    haresources = ctx.node.haresources
    if haresources is None:
        return
    hacf = ctx.node.hacf
    nodes = {n.text.lower() for n in hacf.nodes} if hacf is not None else None
    seen: dict[str, Resource] = {}
    for group in haresources.groups:
        if nodes is not None and group.owner.text.lower() not in nodes:
            continue  # not a resource group at all (HL301 says why)
        for resource in group.resources:
            key = _identity(resource)
            first = seen.get(key)
            if first is None:
                seen[key] = resource
                continue
            if first.span.line == resource.span.line:
                what = _("twice in one group")
            else:
                what = _("in two groups (first on line {line})").format(line=first.span.line)
            yield Hit(
                span=resource.span,
                message=_(
                    "`{resource}` is {what}: both groups would start and stop the same thing, "
                    "and ResourceManager, which finds a group by looking for its first resource "
                    "anywhere in the file, merges them into one bogus group"
                ).format(resource=resource.text, what=what),
                fix=_("keep each resource (and each virtual IP) in one group only"),
                related=[(first.span, _("first use"))],
            )


@node_check("HL306")
def haresources_empty(ctx: NodeContext) -> Iterator[Hit]:
    hacf, haresources = ctx.node.hacf, ctx.node.haresources
    if haresources is None or haresources.groups or (hacf is not None and hacf.crm_enabled):
        return
    file = ctx.node.files.get("haresources")
    if haresources.misread or (file is not None and file.facts.truncated):
        return  # HL300 says what could not be read
    yield Hit(
        span=_start(ctx),
        message=_("haresources has no resource group: Heartbeat runs, but nothing fails over"),
        fix=_("add a line such as `node1 IPaddr::192.168.1.100/24/eth0 nginx`"),
    )


def _start(ctx: NodeContext) -> Span:
    return Span.model_construct(path=ctx.node.files["haresources"].path, line=1, column=1)


@node_check("HL307")
def resource_arguments(ctx: NodeContext) -> Iterator[Hit]:
    for resource in _resources(ctx):
        limits = WRAPPER_ARGS.get(resource.agent)
        if limits is None or resource.shorthand:
            continue
        low, high = limits
        count = len(resource.args)
        if low <= count <= high:
            continue
        wanted = str(low) if low == high else _("{low} to {high}").format(low=low, high=high)
        fix = ngettext(
            "write `{agent}::` followed by {count} argument",
            "write `{agent}::` followed by {count} arguments separated by `::`",
            high,
        ).format(agent=resource.agent, count=wanted)
        if resource.agent in ("IPaddr", "IPaddr2") and count > 1:
            fix = _(
                "write `{agent}::{address}/24/{interface}` (one argument: ip/prefix/interface)"
            ).format(
                agent=resource.agent,
                address=resource.args[0].text,
                interface=resource.args[1].text,
            )
        yield Hit(
            span=resource.span,
            message=ngettext(
                "`{agent}` takes {count} argument, here {given}: the wrapper prints its usage "
                "and exits 1, so the takeover fails",
                "`{agent}` takes {count} arguments, here {given}: the wrapper prints its usage "
                "and exits 1, so the takeover fails",
                high,
            ).format(agent=resource.agent, count=wanted, given=count),
            fix=fix,
        )


IFNAMSIZ = 16  # Linux: an interface name or address label holds at most 15 characters


@node_check("HL317")
def ip_label_too_long(ctx: NodeContext) -> Iterator[Hit]:
    for resource in _resources(ctx):
        ip = resource.ip
        if ip is None or ip.interface is None or resource.agent != "IPaddr2":
            continue
        label = ip.interface.text
        if ":" not in label or len(label) < IFNAMSIZ:
            continue
        yield Hit(
            span=ip.interface.span,
            message=_(
                "the address label `{label}` has {count} characters; Linux takes at most "
                "{most}, and IPaddr2 refuses it: on a real two-node cluster the start of the "
                "group failed, Heartbeat gave it up, and the virtual IP ran nowhere."
            ).format(label=label, count=len(label), most=IFNAMSIZ - 1)
            + quoted("HL317", "Interface label", label),
            fix=_(
                "shorten the label: `{interface}:0` (interface name, a colon, a few characters; "
                "{most} in all)"
            ).format(interface=label.split(":", 1)[0], most=IFNAMSIZ - 1),
        )
