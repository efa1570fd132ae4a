"""HL617–HL622: the resources and the takeover against the facts of the live host.

The virtual IP's interface and subnet, the OCF agents behind the heartbeat wrappers, services
the host also starts at boot, the watchdog device, saved firewall rules. All asked of HostFacts.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from halint.checks import Hit, NodeContext, node_check
from halint.checks.haresources import PACKAGE_WRAPPERS
from halint.i18n import _
from halint.models import Resource
from halint.rulemeta import heartbeat_says, quoted

OCF_HEARTBEAT = "/usr/lib/ocf/resource.d/heartbeat"
WRAPPER_DIR = "/etc/ha.d/resource.d"
# Wrappers that are not a front for an OCF agent of the same name.
_NOT_OCF = frozenset({"OCF", "hto-mapfuncs"})


def _resources(ctx: NodeContext) -> Iterator[Resource]:
    haresources = ctx.node.haresources
    if haresources is None or (ctx.node.hacf is not None and ctx.node.hacf.crm_enabled):
        return
    for group in haresources.groups:
        yield from group.resources


def _base(interface: str) -> str:
    return interface.split(":", 1)[0]


@node_check("HL617")
def vip_interface_missing(ctx: NodeContext) -> Iterator[Hit]:
    host = ctx.host
    if host is None:
        return
    interfaces = host.interfaces()
    if not interfaces:
        return
    for resource in _resources(ctx):
        ip = resource.ip
        if ip is None or ip.interface is None:
            continue
        device = _base(ip.interface.text)
        if device in interfaces:
            continue
        present = ", ".join(sorted(n for n in interfaces if n != "lo")) or _("none")
        said = (
            f' (IPaddr2: "{heartbeat_says("HL617", "Invalid interface", device)}")'
            if resource.agent == "IPaddr2"
            else ""
        )
        yield Hit(
            span=ip.interface.span,
            message=_(
                "this host has no interface `{device}` (it has {present}): taking over "
                "`{resource}` fails in the agent{said}; on a real two-node cluster Heartbeat "
                "gave the whole group up and nothing of it ran"
            ).format(device=device, present=present, resource=resource.text, said=said),
            fix=_(
                "write this host's interface, e.g. `{spec}` (interface names must be the same "
                "on both nodes)"
            ).format(
                spec=f"{ip.address.text}/{ip.netmask.text if ip.netmask else '24'}/"
                f"{_first(interfaces)}"
            ),
        )


def _first(interfaces: dict[str, list[str]]) -> str:
    return next((n for n in sorted(interfaces) if n != "lo"), "eth0")


@node_check("HL618")
def vip_outside_subnets(ctx: NodeContext) -> Iterator[Hit]:
    host = ctx.host
    if host is None:
        return
    networks = host.connected_networks()
    if not networks:
        return
    for resource in _resources(ctx):
        ip = resource.ip
        if ip is None:
            continue
        try:
            address = ipaddress.IPv4Address(ip.address.text)
            subnets = [(n, ipaddress.IPv4Network(net, strict=False)) for n, net in networks]
        except ValueError:
            continue
        if any(address in net for _, net in subnets):
            continue
        ipaddr2 = resource.agent == "IPaddr2"
        missing_netmask = ip.netmask is None
        if not missing_netmask and not (ipaddr2 and ip.interface is None):
            continue
        on = ", ".join(f"{net} ({name})" for name, net in networks)
        said = (
            f'"{heartbeat_says("HL618", "Unable to find nic")}"'
            if ipaddr2
            else _('"{debug}" (in the debugfile; ha-log says "{log}")').format(
                debug=heartbeat_says("HL618", "Cannot use default route").split(" [")[0],
                log=heartbeat_says("HL618", "findif failed"),
            )
        )
        spec = (
            f"{'IPaddr2::' if ipaddr2 else ''}{ip.address.text}/24/"
            f"{ip.interface.text if ip.interface else _first(host.interfaces())}"
        )
        if missing_netmask:
            message = _(
                "{address} is in none of this host's networks ({networks}) and `{resource}` "
                "gives no netmask: the agent cannot work out where to put it and the takeover "
                "fails (on a real two-node cluster Heartbeat gave the group up on both nodes). "
                "Heartbeat: {said}"
            )
        else:
            message = _(
                "{address} is in none of this host's networks ({networks}) and `{resource}` "
                "gives no interface: the agent cannot work out where to put it and the takeover "
                "fails (on a real two-node cluster Heartbeat gave the group up on both nodes). "
                "Heartbeat: {said}"
            )
        fix = (
            _(
                "give a netmask and an interface: `{spec}` (and check the address: a virtual IP "
                "normally sits in the nodes' own subnet)"
            )
            if ipaddr2
            else _(
                "give a netmask: `{spec}` (and check the address: a virtual IP normally sits in "
                "the nodes' own subnet)"
            )
        )
        yield Hit(
            span=(ip.netmask or ip.address).span,
            message=message.format(
                address=ip.address.text, networks=on, resource=resource.text, said=said
            ),
            fix=fix.format(spec=spec),
        )


@node_check("HL619")
def ocf_agent_missing(ctx: NodeContext) -> Iterator[Hit]:
    host = ctx.host
    if host is None:
        return
    seen: set[str] = set()
    for resource in _resources(ctx):
        name = resource.agent
        if name not in PACKAGE_WRAPPERS or name in _NOT_OCF or name in seen:
            continue
        seen.add(name)
        facts = ctx.node.resource_scripts.get(name)
        wrapper_here = (facts is not None and facts.kind == "file") or host.is_executable(
            f"{WRAPPER_DIR}/{name}"
        )
        agent = f"{OCF_HEARTBEAT}/{name}"
        if not wrapper_here or host.is_executable(agent):
            continue
        yield Hit(
            span=resource.span,
            message=_(
                "the heartbeat wrapper {wrapper} is here, but the OCF agent it runs, {agent}, is "
                'not: every start of `{resource}` fails. Heartbeat: "ERROR: {said}"'
            ).format(
                wrapper=f"{WRAPPER_DIR}/{name}",
                agent=agent,
                resource=resource.text,
                said=heartbeat_says("HL619", "%s is not", agent),
            ),
            fix=_(
                "install resource-agents (`apt-get install resource-agents`, "
                "`yum install resource-agents`)"
            ),
        )


def _services(ctx: NodeContext) -> Iterator[tuple[Resource, str]]:
    host = ctx.host
    assert host is not None
    for resource in _resources(ctx):
        script = ctx.node.scripts.get(resource.agent)
        if script is not None:
            for service in script.services:
                yield resource, service.text
        elif (
            not resource.shorthand
            and resource.agent not in PACKAGE_WRAPPERS
            and resource.agent not in ctx.node.resource_scripts
            and host.is_executable(f"/etc/init.d/{resource.agent}")
        ):
            yield resource, resource.agent


@node_check("HL620")
def service_enabled_at_boot(ctx: NodeContext) -> Iterator[Hit]:
    host = ctx.host
    if host is None:
        return
    seen: set[str] = set()
    for resource, service in _services(ctx):
        if service in seen:
            continue
        seen.add(service)
        links = host.enabled_at_boot(service)
        if not links:
            continue
        yield Hit(
            span=resource.span,
            message=_(
                "{service} is also started at boot ({link}): it runs on both nodes from boot "
                "on, whoever holds the group. On a real two-node cluster it ran on both nodes "
                "until the holder of the group was stopped. Started through /etc/init.d, "
                'Heartbeat says: "CRITICAL: {said}"'
            ).format(
                service=service,
                link=links[0],
                said=heartbeat_says("HL620", "Resource", resource.text),
            ),
            fix=_(
                "let Heartbeat alone start it: `systemctl disable {service}` (or "
                "`update-rc.d {service} disable`)"
            ).format(service=service),
            related=[],
        )


@node_check("HL621")
def watchdog_missing(ctx: NodeContext) -> Iterator[Hit]:
    hacf, host = ctx.node.hacf, ctx.host
    if hacf is None or host is None or hacf.watchdog is None:
        return
    device = hacf.watchdog.value
    if host.is_char_device(device):
        return
    yield Hit(
        span=hacf.watchdog.span,
        message=_(
            "`watchdog {device}`: this host has no such device, so Heartbeat starts without it "
            "and nothing reboots a hung node — the protection the line promises is not there."
        ).format(device=device)
        + quoted("HL621", "Cannot open watchdog", device),
        fix=_("load the driver (`modprobe softdog`) so the device exists, or remove the line"),
    )


@node_check("HL622")
def firewall_drops_heartbeat(ctx: NodeContext) -> Iterator[Hit]:
    hacf, host = ctx.node.hacf, ctx.host
    if hacf is None or host is None or not hacf.media:
        return
    from halint.firewall import heartbeat_blocked

    seen: set[tuple[str, int]] = set()
    for medium in hacf.media:
        if medium.kind not in ("bcast", "ucast", "mcast"):
            continue
        if medium.kind == "mcast":
            port_text = medium.port.text if medium.port is not None else ""
            port = int(port_text) if port_text.isdigit() else 694
        else:
            port = medium.udpport or 694
        interface = medium.interface.text if medium.interface is not None else None
        if medium.kind == "bcast" and medium.devices:
            interface = medium.devices[0].text
        for block in heartbeat_blocked(host, port, interface):
            key = (block.path, block.line)
            if key in seen:
                continue
            seen.add(key)
            yield Hit(
                span=medium.span,
                message=_(
                    "the firewall rules this host loads at boot drop Heartbeat's UDP port {port} "
                    "({how}, {place}: `{rule}`): the nodes never hear each other, each declares "
                    "the other dead after initdead and takes over every resource — both nodes "
                    "hold the virtual IP (split brain)"
                ).format(
                    port=port,
                    how=block.how,
                    place=f"{block.path}:{block.line}",
                    rule=block.text[:80],
                ),
                fix=_(
                    "allow it before that rule: `iptables -I INPUT -p udp --dport {port} -j "
                    "ACCEPT` (then save), `ufw allow {port}/udp`, or `firewall-cmd --permanent "
                    "--add-port={port}/udp`"
                ).format(port=port),
            )
