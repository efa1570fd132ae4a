"""HL6xx: the configuration against the facts of the live host (skipped with --offline)."""

from __future__ import annotations

import os
from collections.abc import Iterator

from halint.checks import Hit, NodeContext, node_check
from halint.checks.authkeys import HEARTBEAT_KEYFILE
from halint.edits import Edit
from halint.hostfacts import HostFacts
from halint.i18n import _
from halint.models import Medium, Respawn, Word
from halint.regex import compiled
from halint.rulemeta import also_quoted, heartbeat_says, quoted
from halint.values import could_be_host_name, is_numeric_address, is_placeholder

DEFAULT_CRM_DAEMON_DIR = "/usr/libexec/pacemaker"
PACEMAKER_CANDIDATES = (
    "/usr/libexec/pacemaker",
    "/usr/lib/pacemaker",
    "/usr/lib64/pacemaker",
    "/usr/lib/heartbeat",
    "/usr/lib64/heartbeat",
)
# Where Heartbeat builds put ipfail, dopd and friends: lib (Debian, 32-bit, up to 3.0.5),
# lib64 (64-bit RPM builds), libexec (3.0.6: Fedora/RHEL and current Debian), /usr/local.
HELPER_DIRS = (
    "/usr/libexec/heartbeat",
    "/usr/lib/heartbeat",
    "/usr/lib64/heartbeat",
    "/usr/local/libexec/heartbeat",
    "/usr/local/lib/heartbeat",
    "/usr/local/lib64/heartbeat",
)
_PREFIXED = compiled(r"^(?P<prefix>/.*)/(lib|lib64|libexec)/heartbeat/(?P<program>[^/]+)$")
DAEMON_USER, API_GROUP = "hacluster", "haclient"


@node_check("HL601")
def authkeys_permissions(ctx: NodeContext) -> Iterator[Hit]:
    file = ctx.node.files.get("authkeys")
    if ctx.host is None or file is None or file.facts.kind != "file" or file.facts.mode is None:
        return
    from halint.models import Span

    mode = file.facts.mode
    span = Span.model_construct(path=file.path, line=1, column=1)
    if mode & 0o044:
        if mode & 0o040 and mode & 0o004:
            readers = _("its group and everyone")
        elif mode & 0o040:
            readers = _("its group")
        else:
            readers = _("everyone")
        yield Hit(
            span=span,
            message=_(
                "authkeys is mode {mode}: {readers} can read the cluster key, and Heartbeat "
                "refuses to start."
            ).format(mode=f"{mode:03o}", readers=readers)
            + quoted("HL601", "Bad permissions", HEARTBEAT_KEYFILE),
            fix=f"chmod 600 {file.path}",
            edits=[Edit.chmod(file.path, 0o600)],
        )
    elif mode & 0o033:
        yield Hit(
            span=span,
            message=_(
                "authkeys is mode {mode}: Heartbeat accepts it (it only refuses group or other "
                "read), but whoever else may write it can change the cluster key"
            ).format(mode=f"{mode:03o}"),
            fix=f"chmod 600 {file.path}",
            blocks_start=False,
            severity="warning",
            edits=[Edit.chmod(file.path, 0o600)],
        )


@node_check("HL602")
def node_not_in_config(ctx: NodeContext) -> Iterator[Hit]:
    hacf, host = ctx.node.hacf, ctx.host
    if hacf is None or host is None or not hacf.directives:
        return
    if not hacf.nodes and not hacf.ping_nodes and not hacf.ping_groups:
        return  # HL120
    if hacf.autojoin is not None and hacf.autojoin.value == "any":
        return
    me = host.node_name
    names = (
        {n.text.lower() for n in hacf.nodes}
        | {p.text.lower() for p in hacf.ping_nodes}
        | {g.name.text.lower() for g in hacf.ping_groups}
    )
    if me.lower() in names:
        return
    declared = ", ".join(n.text for n in hacf.nodes) or _("none")
    short = me.split(".")[0].lower()
    near = [n.text for n in hacf.nodes if n.text.lower().split(".")[0] == short]
    hint = (
        _(" (`{near}` differs only by its domain: Heartbeat compares whole names)").format(
            near=near[0]
        )
        if near
        else ""
    )
    anchor = hacf.nodes[0].span if hacf.nodes else hacf.directives[0].span
    yield Hit(
        span=anchor,
        message=_(
            "this host is `{me}` ({source}), which is not a `node` of ha.cf (nodes: "
            "{declared}){hint}: Heartbeat refuses to start."
        ).format(me=me, source=host.name_source, declared=declared, hint=hint)
        + quoted("HL602", "Current node", me.lower()),
        fix=_(
            "declare `node {me}` (node names must be what `uname -n` prints), or set the host "
            "name to the declared one"
        ).format(me=me),
    )


def _search(ctx: NodeContext, respawn: Respawn) -> list[str]:
    host = ctx.host
    assert host is not None
    program = respawn.command.text.rsplit("/", 1)[-1]
    candidates = [f"{d}/{program}" for d in HELPER_DIRS]
    match = _PREFIXED.match(respawn.command.text)
    if match:
        prefix = match.group("prefix")
        candidates[:0] = [f"{prefix}/{d}/heartbeat/{program}" for d in ("libexec", "lib", "lib64")]
    seen: list[str] = []
    for path in candidates:
        if path != respawn.command.text and path not in seen and host.is_executable(path):
            seen.append(path)
    return seen


@node_check("HL603")
def respawn_not_executable(ctx: NodeContext) -> Iterator[Hit]:
    hacf, host = ctx.node.hacf, ctx.host
    if hacf is None or host is None:
        return
    for respawn in hacf.respawns:
        path = respawn.command.text
        if not path.startswith("/") or host.is_executable(path):
            continue
        found = _search(ctx, respawn)
        verb = "failfast" if respawn.failfast else "respawn"
        rest = f" {respawn.arguments}" if respawn.arguments else ""
        if found:
            where = _("on this host it is {paths}").format(paths=", ".join(found))
            fix = _("write `{line}`").format(line=f"{verb} {respawn.user.text} {found[0]}{rest}")
        else:
            where = _(
                "it is not installed on this host (the Debian package puts ipfail and dopd in "
                "/usr/libexec/heartbeat)"
            )
            fix = _("install the program, or remove the line")
        state = (
            _("{path} is not executable: {where}.")
            if host.exists(path)
            else _("{path} does not exist: {where}.")
        )
        span = respawn.command.span
        yield Hit(
            span=span,
            message=state.format(path=path, where=where)
            + _(
                " Builds differ (lib, lib64, libexec, a source prefix) and Heartbeat refuses to "
                "start."
            )
            + quoted("HL603", "Client child", path),
            fix=fix,
            # Certain only when this host has the program in exactly one place.
            edits=[Edit.replace(span.path, span.line, span.column, path, found[0])]
            if len(found) == 1
            else [],
        )


@node_check("HL604")
def respawn_user_unknown(ctx: NodeContext) -> Iterator[Hit]:
    hacf, host = ctx.node.hacf, ctx.host
    if hacf is None or host is None:
        return
    # Every respawn/failfast line, also one without its program: the daemon checks the user
    # first ("respawn nosuchuser" is refused for the user, before the missing program).
    for directive in hacf.directives:
        if directive.name.text not in ("respawn", "failfast") or not directive.args:
            continue
        user = directive.args[0].text
        if user.isdigit() or host.user_exists(user):
            continue
        program = directive.args[1].text if len(directive.args) > 1 else "<program>"
        yield Hit(
            span=directive.args[0].span,
            message=_("there is no user `{user}` on this host: Heartbeat refuses to start.").format(
                user=user
            )
            + quoted("HL604", "Invalid uid", user),
            fix=_("write `{line}` (or create the user)").format(
                line=f"{directive.name.text} {DAEMON_USER} {program}"
            ),
        )


@node_check("HL605")
def media_interface_missing(ctx: NodeContext) -> Iterator[Hit]:
    hacf, host = ctx.node.hacf, ctx.host
    if hacf is None or host is None:
        return
    interfaces = host.interfaces()
    if not interfaces:
        return  # the host's interfaces could not be read
    present = ", ".join(sorted(interfaces))
    for medium in hacf.media:
        if medium.kind == "serial":
            yield from _serial_devices(medium, host)
            continue
        words = medium.devices if medium.kind == "bcast" else [medium.interface]
        for word in words:
            if word is None:
                continue
            if word.text in interfaces:
                if medium.kind == "bcast" and not interfaces[word.text]:
                    yield Hit(
                        span=word.span,
                        message=_(
                            "`{interface}` has no IPv4 address on this host, so it has no "
                            "broadcast address: Heartbeat refuses to start."
                        ).format(interface=word.text)
                        + quoted("HL605", "glib: Get broadcast", word.text),
                        fix=_(
                            "give {interface} its address before Heartbeat starts, or use ucast"
                        ).format(interface=word.text),
                        blocks_start=True,
                    )
                elif medium.kind == "mcast" and not interfaces[word.text]:
                    # Observed with 3.0.6: no error, no exit; the start never returns.
                    yield Hit(
                        span=word.span,
                        message=_(
                            "`{interface}` has no IPv4 address on this host: the mcast medium "
                            "cannot join its group, and Heartbeat hangs at start without a word "
                            "in ha-log (the start command never returns)"
                        ).format(interface=word.text),
                        fix=_(
                            "give {interface} its address before Heartbeat starts, or use ucast"
                        ).format(interface=word.text),
                        blocks_start=True,
                    )
                continue
            if medium.kind in ("bcast", "mcast", "mcast6", "ucast6"):
                start = "IP interface" if medium.kind == "bcast" else f"{medium.kind} device"
                said = quoted("HL605", start, word.text)
                effect, blocks = _("Heartbeat refuses to start"), True
            else:
                said = quoted("HL605", "glib: ucast: error setting", word.text)
                effect = _(
                    'Heartbeat validates the configuration, then dies opening the medium ("{said}")'
                ).format(said=heartbeat_says("HL605", "make_io_childpair", "ucast"))
                blocks = False
            yield Hit(
                span=word.span,
                message=_(
                    "this host has no interface `{interface}` (it has {present}): {effect}."
                ).format(interface=word.text, present=present, effect=effect)
                + said,
                fix=_("use this host's interface name (one of {present})").format(present=present),
                blocks_start=blocks,
            )


@node_check("HL606")
def ucast_target_is_self(ctx: NodeContext) -> Iterator[Hit]:
    hacf, host = ctx.node.hacf, ctx.host
    if hacf is None or host is None:
        return
    ucasts = [m for m in hacf.media if m.kind == "ucast" and m.target is not None]
    others = [m for m in hacf.media if m.kind != "ucast"]
    if not ucasts or others:
        return
    own = {address for addresses in host.interfaces().values() for address in addresses}
    if not own or not all(m.target.text in own for m in ucasts):  # type: ignore[union-attr]
        return
    for medium in ucasts:
        device = medium.interface.text if medium.interface else "eth0"
        yield Hit(
            span=medium.target.span,  # type: ignore[union-attr]
            message=_(
                "{address} is this host's own address and no medium reaches the peer: this node "
                "hears only itself, the peer never hears it, declares it dead and takes over all "
                "its resources, and this node runs nothing — the cluster has silently become one "
                "node (the ucast line was copied from the other node and not edited)"
            ).format(address=medium.target.text),  # type: ignore[union-attr]
            fix=_("write the peer's address: `ucast {device} <the other node's address>`").format(
                device=device
            ),
        )


@node_check("HL607")
def daemon_account_missing(ctx: NodeContext) -> Iterator[Hit]:
    hacf, host = ctx.node.hacf, ctx.host
    if hacf is None or host is None or not hacf.directives:
        return
    no_user, no_group = not host.user_exists(DAEMON_USER), not host.group_exists(API_GROUP)
    if not no_user and not no_group:
        return
    if no_user and no_group:
        what = _("this host has no user `{user}` and no group `{group}`")
    elif no_user:
        what = _("this host has no user `{user}`")
    else:
        what = _("this host has no group `{group}`")
    what = what.format(user=DAEMON_USER, group=API_GROUP)
    fix = _("reinstall the heartbeat (cluster-glue) package, which creates them")
    if hacf.crm_enabled:
        # Observed: Heartbeat's built-in authorisation of Pacemaker's cib fails and it stops.
        yield Hit(
            span=(hacf.pacemaker or hacf.directives[0]).span,
            message=_(
                "{what}, which Pacemaker's daemons run as: Heartbeat refuses to start."
            ).format(what=what)
            + quoted("HL607", "Invalid user id name")
            + also_quoted("HL607", "failed: apiauth cib", separator=", "),
            fix=fix,
            blocks_start=True,
        )
        return
    yield Hit(
        span=hacf.directives[0].span,
        message=_(
            "{what}: Heartbeat starts, but cannot authorise its own API clients (ipfail, ccm, "
            "cl_status) and leaves its log files root's."
        ).format(what=what)
        + quoted("HL607", "Invalid apiauth", f"ipfail uid={DAEMON_USER}")
        + also_quoted("HL607", "change_logfile_ownership", separator=", "),
        fix=fix,
    )


@node_check("HL608")
def log_target_unwritable(ctx: NodeContext) -> Iterator[Hit]:
    hacf, host = ctx.node.hacf, ctx.host
    if hacf is None or host is None:
        return
    for setting in (hacf.logfile, hacf.debugfile):
        if setting is None:
            continue
        path = setting.value
        if path.lower() == "/dev/null" or not path.startswith("/"):
            continue
        folder = os.path.dirname(path) or "/"
        if not host.exists(folder):
            yield Hit(
                span=setting.span,
                message=_(
                    "{folder} does not exist on this host: nothing is written to {path}, and the "
                    "log you will need is missing"
                ).format(folder=folder, path=path),
                fix=_("mkdir -p {folder}, or log to /var/log/ha-log").format(folder=folder),
            )


@node_check("HL609")
def pacemaker_daemons_missing(ctx: NodeContext) -> Iterator[Hit]:
    hacf, host = ctx.node.hacf, ctx.host
    if hacf is None or host is None or not hacf.crm_enabled or hacf.pacemaker is None:
        return
    if hacf.pacemaker.value == "ccm-only":
        return
    folder = hacf.crm_daemon_dir.value if hacf.crm_daemon_dir else DEFAULT_CRM_DAEMON_DIR
    if host.is_executable(f"{folder}/cib"):
        return
    elsewhere = [d for d in PACEMAKER_CANDIDATES if d != folder and host.is_executable(f"{d}/cib")]
    if elsewhere:
        hint = _("the heartbeat-era daemons are in {folder}").format(folder=elsewhere[0])
        fix = _("add `crm_daemon_dir {folder}` before the `{switch}` line").format(
            folder=elsewhere[0], switch=hacf.pacemaker.directive
        )
    else:
        hint = _(
            "this host has no heartbeat-era Pacemaker (cib, crmd, lrmd...); Pacemaker 2.x "
            "daemons (pacemaker-based, ...) cannot be run by Heartbeat"
        )
        fix = _("use haresources (`crm off`) or install a Pacemaker 1.1 built for Heartbeat")
    yield Hit(
        span=hacf.pacemaker.span,
        message=_("Pacemaker mode needs {path}, which is not an executable here: {hint}.").format(
            path=f"{folder}/cib", hint=hint
        )
        + quoted("HL609", "Failed to add", "cib"),
        fix=fix,
    )


@node_check("HL611")
def host_unresolvable(ctx: NodeContext) -> Iterator[Hit]:
    hacf, host = ctx.node.hacf, ctx.host
    if hacf is None or host is None:
        return
    named: list[tuple[Word, str, bool]] = [
        (m.target, "ucast", True) for m in hacf.media if m.kind == "ucast" and m.target
    ]
    named += [(p, "ping", True) for p in hacf.ping_nodes]
    named += [(h, "ping_group", False) for g in hacf.ping_groups for h in g.hosts]
    for word, directive, blocks in named:
        if is_numeric_address(word.text) or host.in_hosts_file(word.text):
            continue
        if is_placeholder(word.text) and not could_be_host_name(word.text):
            continue  # HL122's: a placeholder no DNS could answer for
        said = (
            quoted("HL611", "ucast: cannot resolve")
            if directive == "ucast"
            else " "
            + _('Heartbeat: "{message}"').format(
                message="glib: " + heartbeat_says("HL611", "unknown host", word.text)
            )
        )
        effect = (
            _("Heartbeat refuses to start")
            if blocks
            else _("that member is left out of the group (Heartbeat starts)")
        )
        yield Hit(
            span=word.span,
            message=_(
                "`{name}` is a host name that /etc/hosts does not list: Heartbeat resolves it at "
                "start, so the cluster depends on DNS — and when DNS does not answer, {effect}."
            ).format(name=word.text, effect=effect)
            + said,
            fix=_(
                "write the address instead of `{name}`, or add it to /etc/hosts on every node"
            ).format(name=word.text),
            blocks_start=blocks,
        )


def _serial_devices(medium: Medium, host: HostFacts) -> Iterator[Hit]:
    for device in medium.devices:
        path = device.text
        if not path.startswith("/") or host.is_char_device(path):
            continue
        exists = host.exists(path)
        said = quoted("HL605", "Serial port" if exists else "Nonexistent serial", path)
        what = (
            _("{path} is not a character device on this host: Heartbeat refuses to start.")
            if exists
            else _("{path} does not exist on this host: Heartbeat refuses to start.")
        )
        yield Hit(
            span=device.span,
            message=what.format(path=path) + said,
            fix=_("name this host's serial port (e.g. /dev/ttyS0), or remove the serial line"),
            blocks_start=True,
        )


@node_check("HL613")
def apiauth_unknown_id(ctx: NodeContext) -> Iterator[Hit]:
    hacf, host = ctx.node.hacf, ctx.host
    if hacf is None or host is None:
        return
    for auth in hacf.apiauths:
        for kind, words, known in (
            ("user", auth.uids, host.user_exists),
            ("group", auth.gids, host.group_exists),
        ):
            for word in words:
                if not word.text or word.text[:1].isdigit() or known(word.text):
                    continue
                said = quoted(
                    "HL613", "Invalid user id" if kind == "user" else "Invalid group", word.text
                )
                if kind == "user":
                    message = _(
                        "apiauth {client}: there is no user `{name}` on this host: Heartbeat "
                        "refuses to start."
                    )
                    fix = _("use an existing user (hacluster / haclient), or create it")
                else:
                    message = _(
                        "apiauth {client}: there is no group `{name}` on this host: Heartbeat "
                        "refuses to start."
                    )
                    fix = _("use an existing group (hacluster / haclient), or create it")
                yield Hit(
                    span=word.span,
                    message=message.format(client=auth.client.text, name=word.text) + said,
                    fix=fix,
                )


@node_check("HL614")
def stonith_type_unknown(ctx: NodeContext) -> Iterator[Hit]:
    hacf, host = ctx.node.hacf, ctx.host
    if hacf is None or host is None:
        return
    installed = host.stonith_types()
    me = host.node_name.lower()
    for directive in [*hacf.stonith, *hacf.stonith_hosts]:
        is_host_line = directive.name.text == "stonith_host"
        if is_host_line and directive.args[0].text.lower() not in ("*", me):
            continue  # lines for other hosts are skipped unchecked by the daemon
        kind = directive.args[1] if is_host_line else directive.args[0]
        if kind.text in installed:
            continue
        yield Hit(
            span=kind.span,
            message=_(
                "`{kind}` is not a STONITH device type installed on this host: Heartbeat refuses "
                "to start."
            ).format(kind=kind.text)
            + quoted("HL614", "Invalid Stonith type", kind.text),
            fix=_("use an installed type (`stonith -L` lists them), or install its plugin"),
        )


@node_check("HL615")
def coreroot_unusable(ctx: NodeContext) -> Iterator[Hit]:
    hacf, host = ctx.node.hacf, ctx.host
    if hacf is None or host is None or hacf.coreroot is None:
        return
    root = hacf.coreroot.value
    if not root.startswith("/"):
        return  # a relative coreroot is HL102's (the daemon refuses it)
    folder = root.rstrip("/") or "/"
    where = f"{folder.rstrip('/')}/root"
    if host.is_dir(where):
        return
    missing = where if host.is_dir(folder) else folder
    yield Hit(
        span=hacf.coreroot.span,
        message=_(
            "`{missing}` is not a folder on this host: Heartbeat starts, but cannot change into "
            "its core dump folder, so a crashing daemon leaves no core."
        ).format(missing=missing)
        + quoted("HL615", "Cannot chdir", missing),
        fix=_(
            "mkdir -p {folders} (or leave coreroot out: /var/lib/heartbeat/cores is the default)"
        ).format(folders=f"{where} {folder.rstrip('/')}/hacluster"),
    )


@node_check("HL616")
def stonith_config_missing(ctx: NodeContext) -> Iterator[Hit]:
    hacf, host = ctx.node.hacf, ctx.host
    if hacf is None or host is None:
        return
    for directive in hacf.stonith:
        if len(directive.args) < 2 or not directive.args[1].text.startswith("/"):
            continue
        config = directive.args[1]
        if host.exists(config.text):
            continue
        yield Hit(
            span=config.span,
            message=_("`{path}` does not exist on this host: Heartbeat refuses to start.").format(
                path=config.text
            )
            + quoted("HL616", "glib: Cannot open", config.text)
            + also_quoted("HL616", "Invalid Stonith config", config.text, separator=", "),
            fix=_(
                "create {path} with the device's parameters (`stonith -t {kind} -n` lists "
                "them), or fix the path"
            ).format(path=config.text, kind=directive.args[0].text),
        )
