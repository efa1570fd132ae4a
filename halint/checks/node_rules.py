"""HL402, HL403: the files of one node read together."""

from __future__ import annotations

from collections.abc import Iterator

from halint.checks import Hit, NodeContext, node_check
from halint.i18n import _
from halint.models import Span
from halint.rulemeta import quoted


@node_check("HL402")
def vip_interface_not_media(ctx: NodeContext) -> Iterator[Hit]:
    hacf, haresources = ctx.node.hacf, ctx.node.haresources
    if hacf is None or haresources is None or not hacf.media:
        return
    media = {m.interface.text for m in hacf.media if m.interface}
    media |= {d.text for m in hacf.media if m.kind == "bcast" for d in m.devices}
    for group in haresources.groups:
        for resource in group.resources:
            if resource.ip is None or resource.ip.interface is None:
                continue
            device = resource.ip.interface.text.split(":", 1)[0]
            if device and device not in media:
                yield Hit(
                    span=resource.ip.interface.span,
                    message=_(
                        "the virtual IP lives on `{device}`, but Heartbeat does not talk over it "
                        "(media: {media}): if `{device}` loses its link, no node notices and the "
                        "address stays where clients cannot reach it"
                    ).format(device=device, media=", ".join(sorted(media))),
                    fix=_(
                        "add a medium on {device} (e.g. `ucast {device} <peer address>`), or "
                        "respawn ipfail with a ping node on that network"
                    ).format(device=device),
                )


@node_check("HL403")
def logging_nowhere(ctx: NodeContext) -> Iterator[Hit]:
    hacf = ctx.node.hacf
    if hacf is None or not hacf.directives:
        return
    facility = hacf.logfacility.value if hacf.logfacility else None
    logs = hacf.logfile or hacf.debugfile or facility not in (None, "none", "kern")
    if logs:
        return
    use_logd = hacf.use_logd.value if hacf.use_logd else None
    anchor = hacf.use_logd.span if hacf.use_logd else hacf.directives[0].span
    if use_logd is False:
        yield Hit(
            span=anchor,
            message=_(
                "no logfile, debugfile or logfacility, and use_logd is off: Heartbeat refuses "
                "to start."
            )
            + quoted("HL403", "No log entry found in ha.cf and"),
            fix=_("add `logfile /var/log/ha-log` (first in the file)"),
            blocks_start=True,
            severity="error",
        )
        return
    if use_logd is True:
        return
    yield Hit(
        span=Span.model_construct(path=anchor.path, line=anchor.line, column=1),
        message=_(
            "no logfile, debugfile or logfacility: Heartbeat hands its messages to the logging "
            "daemon ha_logd, which its init script does not start — the log you will need is "
            "never written."
        )
        + quoted("HL403", "No log entry found in ha.cf --"),
        fix=_("add `logfile /var/log/ha-log` (and `logfacility local0` for syslog) at the top"),
    )


@node_check("HL318")
def ping_node_is_vip(ctx: NodeContext) -> Iterator[Hit]:
    hacf, haresources = ctx.node.hacf, ctx.node.haresources
    if hacf is None or haresources is None:
        return
    vips = {
        r.ip.address.text: r for g in haresources.groups for r in g.resources if r.ip is not None
    }
    hosts = list(hacf.ping_nodes) + [h for g in hacf.ping_groups for h in g.hosts]
    for word in hosts:
        resource = vips.get(word.text)
        if resource is None:
            continue
        yield Hit(
            span=word.span,
            message=_(
                "ping node {ping} is the virtual IP of `{resource}`: it answers from whichever "
                "node holds the group (there, from the node itself), and from no one while the "
                "group is down — it says nothing about the network outside the cluster, so "
                "ipfail judges the links wrongly"
            ).format(ping=word.text, resource=resource.text),
            fix=_(
                "ping a device outside the cluster that is always on, such as the default gateway"
            ),
            related=[(resource.span, _("the virtual IP"))],
        )
