"""HL310–HL316, HL319: the resource scripts haresources names, as ResourceManager will call them.

What each message says happens at takeover is what a real two-node Heartbeat 3.0.6 cluster did
with the rule's bad example (tests/oracle/test_failover.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from halint.checks import Hit, NodeContext, node_check
from halint.edits import Edit
from halint.i18n import _, ngettext
from halint.models import ActionBranch, Resource, ResourceScript, ScriptPath, Span
from halint.regex import compiled
from halint.rulemeta import heartbeat_says
from halint.scripts.resourcemanager import (
    ACTIONS,
    STOP_RETRIES,
    action_position,
    invocation,
    says_running,
)

# (pattern strings: re compiles them on first use and keeps them; few nodes need them)
_NOT_RUNNING_WORDS = (
    r"(?i)\b(not|isn't|is not|wasn't|never)\s+(running|started|active|alive)\b|already stopped|"
    r"no (such )?process|not found|no pid|pid ?file"
)
# Commands that fail when there is nothing to stop.
_FAILS_WHEN_STOPPED = (
    r"^(?:\S*/)?(?:killall|pkill|fuser\s+(?:-\S+\s+)*-k|umount)\b|"
    r"^(?:\S*/)?kill\s+(?:-\S+\s+)*(?:\$\(|`|\"\$\(|\$\{?[A-Za-z_])|"
    r"^(?:\S*/)?start-stop-daemon\b(?!.*(?:--oknodo|\s-o\b))(?=.*(?:--stop|\s-K\b))|"
    r"^(?:\S*/)?rm\s+(?!-\S*f)"
)
SKELETON = (
    'case "${n}" in start) {start};; stop) {stop};; '
    "status) if {probe}; then echo running; else echo stopped; fi;; *) exit 1;; esac"
)


def _scripted(ctx: NodeContext) -> Iterator[tuple[Resource, ResourceScript]]:
    haresources = ctx.node.haresources
    if haresources is None:
        return
    for group in haresources.groups:
        for resource in group.resources:
            script = ctx.node.scripts.get(resource.agent)
            if script is not None:
                yield resource, script


def _first_use(ctx: NodeContext) -> dict[str, tuple[Resource, ResourceScript]]:
    found: dict[str, tuple[Resource, ResourceScript]] = {}
    for resource, script in _scripted(ctx):
        found.setdefault(script.name, (resource, script))
    return found


def _top(script: ResourceScript) -> Span:
    return Span.model_construct(path=script.path, line=1, column=1)


def _service(script: ResourceScript) -> str:
    return script.services[0].text if script.services else script.name


def skeleton(script: ResourceScript, position: int = 1) -> str:
    """A corrected dispatch, on one line an admin can paste."""
    service = _service(script)
    if script.services:
        start, stop = f"systemctl start {service}", f"systemctl stop {service}"
        probe = f"systemctl is-active --quiet {service}"
    else:
        start, stop = _("<start it>"), _("<stop it; succeed if it is not running>")
        probe = _("<it runs>")
    return SKELETON.format(n=position, start=start, stop=stop, probe=probe)


def _usable(script: ResourceScript) -> bool:
    return script.readable and script.dispatch is not None


@node_check("HL310")
def script_ignores_action(ctx: NodeContext) -> Iterator[Hit]:
    for resource, script in _first_use(ctx).values():
        if not script.readable or script.dispatch is not None or script.sourced:
            continue
        if not script.calls:
            continue  # an empty placeholder: it does nothing for any action
        service = _service(script)
        stops_heartbeat = any(
            compiled(r"\b(stop|kill\w*)\b.*\bheartbeat\b").search(c.text) for c in script.calls
        )
        also = (
            _(
                "; and where {service} does not come up it stops Heartbeat itself "
                "(`systemctl stop heartbeat`): with {service} broken on the survivor, the "
                "takeover ended with the virtual IP on neither node and Heartbeat stopped there "
                "too"
            ).format(service=service)
            if stops_heartbeat
            else ""
        )
        yield Hit(
            span=_top(script),
            message=_(
                "{script} never looks at the action ResourceManager passes it (`{script} start`, "
                "`stop`, `status`): it does the same thing for all three. {outcome}"
            ).format(script=script.name, outcome=_ignored_outcome(script, service, also)),
            fix=_("dispatch on the action: {skeleton}").format(skeleton=skeleton(script)),
            related=[(resource.span, _("named here"))],
        )


def _ignored_outcome(script: ResourceScript, service: str, also: str) -> str:
    """What a script that ignores its action does at a takeover, by what its status prints:
    nothing read as running (what a real cluster showed), or `running` (what ResourceManager's
    `we_own_resource || doscript start` then does), or it depends on what runs."""
    branch = script.branches.get("status")
    # what it is known to print (a command's own output may add to it, never take it away)
    readings = [says_running(_stdout(p)) for p in branch.paths] if branch is not None else []
    shown = sorted({_shown(_stdout(p)) for p in branch.paths}) if branch is not None else []
    printed = _(" or ").join(shown)
    if readings and all(readings):
        return _(
            "`stop` leaves {service} running, and `status` always says it runs (it prints "
            "{printed}): at a takeover ResourceManager takes {service} for running already and "
            "never runs `{script} start` (`we_own_resource || doscript start`)"
        ).format(service=service, printed=printed, script=script.name)
    if any(readings):
        return _(
            "`stop` leaves {service} running, and `status` does what `start` does before it "
            "prints {printed}"
        ).format(service=service, printed=printed)
    return _(
        "`stop` leaves {service} running and `status` prints nothing Heartbeat reads as "
        "running, so Heartbeat takes it for stopped every time. On a real two-node cluster, "
        "when the primary stopped, the virtual IP moved and {service} was started on the "
        "survivor while it kept running on the primary: {service} ran on both nodes (and "
        "stayed on both after failback){also}"
    ).format(service=service, also=also)


@node_check("HL311")
def action_wrong_position(ctx: NodeContext) -> Iterator[Hit]:
    seen: set[tuple[str, int]] = set()
    for resource, script in _scripted(ctx):
        dispatch = script.dispatch
        if not _usable(script) or dispatch is None or dispatch.parameter is None:
            continue
        if dispatch.adaptive:
            continue
        arguments = [a.text for a in resource.args if a.text]
        wanted = action_position(len(arguments))
        if dispatch.parameter == wanted or (script.name, len(arguments)) in seen:
            continue
        seen.add((script.name, len(arguments)))
        got = dispatch.parameter
        value = f"`{arguments[got - 1]}`" if got <= len(arguments) else _("empty")
        command = invocation(script.name, arguments, "start")
        if script.catch_all:
            outcome = _(
                '`start` falls into the `*)` branch and fails: Heartbeat logs "{message}", '
                "releases the whole group and nothing of it runs on either node"
            ).format(message=heartbeat_says("HL311", "Giving up", resource.text))
        else:
            outcome = _(
                "no branch matches, so `start` does nothing and reports success: Heartbeat "
                "holds the group and its virtual IP, and the service never runs"
            )
        yield Hit(
            span=dispatch.span,
            message=_(
                "{script} reads its action from ${got}, but `{resource}` gives it {arguments}: "
                "ResourceManager runs `{command}`, so ${got} is {value} and the action is in "
                "${wanted}. On a real two-node cluster {outcome}"
            ).format(
                script=script.name,
                got=got,
                resource=resource.text,
                arguments=ngettext("{count} argument", "{count} arguments", len(arguments)).format(
                    count=len(arguments)
                ),
                command=command,
                value=value,
                wanted=wanted,
                outcome=outcome,
            ),
            fix=_fix_position(script.name, got, wanted),
            related=[
                (
                    resource.span,
                    ngettext(
                        "{count} `::` argument here", "{count} `::` arguments here", len(arguments)
                    ).format(count=len(arguments)),
                )
            ],
        )


def _fix_position(script: str, got: int, wanted: int) -> str:
    """Read the action from the last argument; or, where the script reads more arguments
    before it than haresources gives (a script written for `script::ARG`), give them."""
    read_last = _(
        "read the action from ${{{wanted}}} (the last argument): "
        '`case "${{{wanted}}}" in`, or `eval action=\\${{$#}}` to read the last one'
    ).format(wanted=wanted)
    if got <= wanted:
        return read_last
    before = got - 1  # the arguments it reads before its action
    give = ngettext(
        "if {script} needs {count} argument before its action, give it in haresources "
        "(`{example}`)",
        "if {script} needs {count} arguments before its action, give them in haresources "
        "(`{example}`)",
        before,
    ).format(script=script, count=before, example=script + "::ARG" * before)
    return _("{give}; else {read_last}").format(give=give, read_last=read_last)


def _stdout(path: ScriptPath) -> str:
    return "".join(t.text + "\n" for t in path.printed if t.stream == "stdout")


def _shown(text: str) -> str:
    text = text.strip().replace("\x00", "…")
    return f"`{text[:60]}`" if text else _("nothing")


@node_check("HL312")
def status_output(ctx: NodeContext) -> Iterator[Hit]:
    for _resource, script in _first_use(ctx).values():
        branch = script.branches.get("status")
        if not _usable(script) or branch is None or not _decided(branch):
            continue
        if branch.pattern in (None, "*"):
            continue  # no status branch: HL314
        readings = [says_running(_stdout(p)) for p in branch.paths]
        printed = sorted({_shown(_stdout(p)) for p in branch.paths})
        span = branch.span or _top(script)
        service = _service(script)
        if not any(readings):
            yield Hit(
                span=span,
                message=_(
                    "`{script} status` never prints `running` or `OK` (it prints {printed}): "
                    "ResourceManager decides from the words status prints, never from its exit "
                    "code, so it takes {service} for stopped even while it runs. On a real "
                    "two-node cluster Heartbeat ran `{script} start` again on a node where "
                    "{service} was already running"
                ).format(script=script.name, printed=_(" or ").join(printed), service=service),
                fix=_(
                    "print `running` when it runs and `stopped` when not: status) if {probe}; "
                    "then echo running; else echo stopped; fi ;;"
                ).format(probe=_probe(script)),
            )
        elif all(readings) and not _mentions_stopped(branch):
            yield Hit(
                span=span,
                message=_(
                    "`{script} status` always prints {printed}, which ResourceManager reads as "
                    "running whether or not the service runs: Heartbeat never runs `{script} "
                    "start`. On a real two-node cluster the takeover moved the virtual IP but "
                    "{service} was started on neither node"
                ).format(script=script.name, printed=_(" or ").join(printed), service=service),
                fix=_(
                    "print `running` only when it runs: status) if {probe}; then echo running; "
                    "else echo stopped; fi ;;"
                ).format(probe=_probe(script)),
            )


def _mentions_stopped(branch: ActionBranch) -> bool:
    return any(t.stream != "null" and "stop" in t.text for p in branch.paths for t in p.printed)


def _probe(script: ResourceScript) -> str:
    if script.services:
        return f"systemctl is-active --quiet {_service(script)}"
    return _("<it runs>")


def _decided(branch: ActionBranch) -> bool:
    return (
        branch.complete and bool(branch.paths) and not any(p.unknown_output for p in branch.paths)
    )


# A guard that tests whether the service runs (or, negated, whether it does not).
_RUNNING_TEST = r"(?i)pid|pgrep|kill -0|is-active|status|running|alive"


def _says_stopped(guard: str) -> bool:
    """Whether a test the way passed says the service is not running: a running test negated
    (`! pidof web`, `[ -z "$PID" ]`), or the else of one (`not [ "$alive" -eq 0 ]`)."""
    negated = guard.startswith("not ")
    inner = guard[4:] if negated else guard
    if not compiled(_RUNNING_TEST).search(inner):
        return False
    negative = compiled(r"(?:^|[\s(])!(?:\s|$)|-z\b").search(inner) is not None
    return negated != negative


def _fails_when_stopped(path: ScriptPath) -> str | None:
    """Why this way through `stop` fails when the service is not running (None if it does not)."""
    if path.explicit_exit and path.exit_code not in (None, 0):
        said = " ".join(t.text for t in path.printed)
        if compiled(_NOT_RUNNING_WORDS).search(said) or any(map(_says_stopped, path.guards)):
            return _("it exits {code} when the service is not running").format(code=path.exit_code)
        return None
    if not path.explicit_exit and path.last_command:
        command = path.last_command.strip()
        guarded = any(
            compiled(_RUNNING_TEST).search(g) and not _says_stopped(g) for g in path.guards
        )
        if not guarded and compiled(_FAILS_WHEN_STOPPED).match(command):
            return _("its last command, `{command}`, fails when there is nothing to stop").format(
                command=command[:60]
            )
    return None


@node_check("HL313")
def stop_not_idempotent(ctx: NodeContext) -> Iterator[Hit]:
    for _resource, script in _first_use(ctx).values():
        branch = script.branches.get("stop")
        if not _usable(script) or branch is None or not branch.complete:
            continue
        if branch.pattern in (None, "*"):
            continue  # HL314
        for path in branch.paths:
            why = _fails_when_stopped(path)
            if why is None:
                continue
            yield Hit(
                span=path.end or branch.span or _top(script),
                message=_(
                    "`{script} stop` fails when {service} is already stopped ({why}). "
                    "ResourceManager retries a failing stop {retries} times, a second apart, "
                    "then asks status. On a real two-node cluster, with a status that says "
                    'stopped, the takeover waited for the retries, then Heartbeat logged "{first}" '
                    'and "{second}"; with a status that says running it logged "{third}", killed '
                    "Heartbeat and rebooted the node"
                ).format(
                    script=script.name,
                    service=_service(script),
                    why=why,
                    retries=STOP_RETRIES,
                    first=heartbeat_says("HL313", "Resource script", script.name),
                    second=heartbeat_says("HL313", "Machine reboot"),
                    third=heartbeat_says("HL313", "Resource STOP"),
                ),
                fix=_(
                    "make stop succeed when there is nothing to stop: end the stop branch with "
                    "`exit 0` (LSB: stopping a stopped service is a success)"
                ),
            )
            break


@node_check("HL314")
def action_branch_missing(ctx: NodeContext) -> Iterator[Hit]:
    for _resource, script in _first_use(ctx).values():
        dispatch = script.dispatch
        if not _usable(script) or dispatch is None:
            continue
        for action in ACTIONS:
            branch = script.branches.get(action)
            if branch is None or branch.pattern not in (None, "*"):
                continue
            yield _missing(script, action, branch, dispatch.span)


def _missing(script: ResourceScript, action: str, branch: ActionBranch, span: Span) -> Hit:
    service = _service(script)
    if branch.pattern != "*":
        where = _("matches no branch")
    elif script.dispatch is not None and script.dispatch.kind == "if":
        where = _("goes to the `else` branch")
    else:
        where = _("goes to the `*)` branch")
    fails = any(p.explicit_exit and p.exit_code for p in branch.paths)
    if action == "start":
        consequence = _(
            "the takeover starts nothing: on a real two-node cluster Heartbeat held the group "
            "and its virtual IP while {service} ran on neither node"
        )
    elif action == "stop" and fails:
        consequence = _(
            "stop fails: ResourceManager retries it, status still says running, and on a real "
            'two-node cluster Heartbeat logged "{message}" and rebooted the node'
        )
    elif action == "stop":
        consequence = _(
            "stop does nothing and succeeds: on a real two-node cluster {service} kept running "
            "on the node that gave the group up, while the other node started it: it ran on "
            "both nodes"
        )
    else:
        consequence = _(
            "status prints nothing Heartbeat reads as running, so it takes {service} for "
            "stopped every time (see HL312)"
        )
    return Hit(
        span=span,
        message=_(
            "{script} has no `{action}` branch: `{script} {action}` {where}, so {consequence}"
        ).format(
            script=script.name,
            action=action,
            where=where,
            consequence=consequence.format(
                service=service, message=heartbeat_says("HL314", "Resource STOP")
            ),
        ),
        fix=_("add the branch: {skeleton}").format(skeleton=skeleton(script)),
    )


@node_check("HL315")
def script_format(ctx: NodeContext) -> Iterator[Hit]:
    for _resource, script in _first_use(ctx).values():
        if script.facts.has_crlf:
            yield Hit(
                span=_top(script),
                message=_(
                    "{script} has Windows (CRLF) line ends: the kernel looks for the interpreter "
                    "`{interpreter}\\r`, which does not exist, so every call fails. On a real "
                    'two-node cluster the start failed ("Return code 127"), Heartbeat gave the '
                    "group up, and nothing ran anywhere"
                ).format(
                    script=script.name, interpreter=(script.shebang or "#!/bin/sh")[2:].strip()
                ),
                fix=f"sed -i 's/\\r$//' {script.path}",
                edits=[Edit.lf_line_ends(script.path)],
            )
        elif script.shebang is None and script.readable:
            yield Hit(
                span=_top(script),
                message=_(
                    "{script} does not start with `#!`: it runs only because ResourceManager's "
                    "/bin/sh (dash on Debian) reads a file without one as a shell script itself "
                    "(on a real two-node cluster it ran, and the takeover worked); bash syntax in "
                    "it is then read by dash, and no other program can run it"
                ).format(script=script.name),
                fix=_("add `#!/bin/sh` (or `#!/bin/bash`) as the first line of {path}").format(
                    path=script.path
                ),
                severity="warning",
            )


@node_check("HL316")
def script_secret(ctx: NodeContext) -> Iterator[Hit]:
    for _resource, script in _first_use(ctx).values():
        mode = script.facts.mode
        if not script.secrets or mode is None or not mode & 0o004:
            continue
        names = ", ".join(sorted({f"`{s.name}`" for s in script.secrets}))
        first = script.secrets[0]
        yield Hit(
            span=first.span,
            message=_(
                "{names} written into {script}, which everyone on the host can read (mode "
                "{mode}; in a repository, everyone who can clone it): Heartbeat runs resource "
                "scripts as root and needs no one else to read them"
            ).format(names=names, script=script.name, mode=f"{mode:03o}"),
            fix=_(
                "chmod 700 {path}, and keep the secret in a file only root can read (mode 600) "
                "that the script reads"
            ).format(path=script.path),
            related=[(s.span, _("also here")) for s in script.secrets[1:4]],
        )


@node_check("HL319")
def script_unreadable(ctx: NodeContext) -> Iterator[Hit]:
    for resource, script in _first_use(ctx).values():
        if script.readable:
            continue
        yield Hit(
            span=resource.span,
            message=_(
                "halint could not read {path}: {why}; the resource-script rules (HL310-HL316) "
                "were not applied to it"
            ).format(path=script.path, why=script.why_unreadable),
            fix=_(
                "nothing to do if it is a working program; otherwise check it by hand against "
                "`script [args] start|stop|status`"
            ),
        )
