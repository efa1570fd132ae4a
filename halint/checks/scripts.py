"""HL310–HL316, HL319: the resource scripts haresources names, as ResourceManager will call them.

What each message says happens at takeover is what a real two-node Heartbeat 3.0.6 cluster did
with the rule's bad example (tests/oracle/test_failover.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from halint.checks import Hit, NodeContext, node_check
from halint.models import ActionBranch, Resource, ResourceScript, ScriptPath, Span
from halint.rulemeta import heartbeat_says
from halint.scripts.resourcemanager import (
    ACTIONS,
    STOP_RETRIES,
    action_position,
    invocation,
    says_running,
)

_NOT_RUNNING_WORDS = re.compile(
    r"(?i)\b(not|isn't|is not|wasn't|never)\s+(running|started|active|alive)\b|already stopped|"
    r"no (such )?process|not found|no pid|pid ?file"
)
# Commands that fail when there is nothing to stop.
_FAILS_WHEN_STOPPED = re.compile(
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
        start, stop = "<start it>", "<stop it; succeed if it is not running>"
        probe = "<it runs>"
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
            re.search(r"\b(stop|kill\w*)\b.*\bheartbeat\b", c.text) for c in script.calls
        )
        also = (
            f"; and where {service} does not come up it stops Heartbeat itself "
            f"(`systemctl stop heartbeat`): with {service} broken on the survivor, the takeover "
            "ended with the virtual IP on neither node and Heartbeat stopped there too"
            if stops_heartbeat
            else ""
        )
        yield Hit(
            span=_top(script),
            message=f"{script.name} never looks at the action ResourceManager passes it "
            f"(`{script.name} start`, `stop`, `status`): it does the same thing for all three. "
            f"`stop` leaves {service} running and `status` prints nothing, so Heartbeat takes it "
            "for stopped every time. On a real two-node cluster, when the primary stopped, the "
            f"virtual IP moved and {service} was started on the survivor while it kept running on "
            f"the primary: {service} ran on both nodes (and stayed on both after failback)"
            f"{also}",
            fix=f"dispatch on the action: {skeleton(script)}",
            related=[(resource.span, "named here")],
        )


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
        value = f"`{arguments[got - 1]}`" if got <= len(arguments) else "empty"
        command = invocation(script.name, arguments, "start")
        if script.catch_all:
            outcome = (
                "`start` falls into the `*)` branch and fails: Heartbeat logs "
                f'"{heartbeat_says("HL311", "Giving up", resource.text)}", releases the whole '
                "group and nothing of it runs on either node"
            )
        else:
            outcome = (
                "no branch matches, so `start` does nothing and reports success: Heartbeat "
                "holds the group and its virtual IP, and the service never runs"
            )
        yield Hit(
            span=dispatch.span,
            message=f"{script.name} reads its action from ${got}, but `{resource.text}` gives it "
            f"{len(arguments)} argument(s): ResourceManager runs `{command}`, so ${got} is "
            f"{value} and the action is in ${wanted}. On a real two-node cluster {outcome}",
            fix=f"read the action from ${{{wanted}}} (the last argument): "
            f'`case "${{{wanted}}}" in`, or `eval action=\\${{$#}}` to read the last one',
            related=[(resource.span, f"{len(arguments)} `::` argument(s) here")],
        )


def _stdout(path: ScriptPath) -> str:
    return "".join(t.text + "\n" for t in path.printed if t.stream == "stdout")


def _shown(text: str) -> str:
    text = text.strip().replace("\x00", "…")
    return f"`{text[:60]}`" if text else "nothing"


@node_check("HL312")
def status_output(ctx: NodeContext) -> Iterator[Hit]:
    for _, script in _first_use(ctx).values():
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
                message=f"`{script.name} status` never prints `running` or `OK` (it prints "
                f"{' or '.join(printed)}): ResourceManager decides from the words status "
                "prints, never from its exit code, so it takes "
                f"{service} for stopped even while it runs. On a real two-node cluster "
                f"Heartbeat ran `{script.name} start` again on a node where {service} was "
                "already running",
                fix=f"print `running` when it runs and `stopped` when not: status) if "
                f"{_probe(script)}; then echo running; else echo stopped; fi ;;",
            )
        elif all(readings) and not _mentions_stopped(branch):
            yield Hit(
                span=span,
                message=f"`{script.name} status` always prints {' or '.join(printed)}, which "
                "ResourceManager reads as running whether or not the service runs: Heartbeat "
                f"never runs `{script.name} start`. On a real two-node cluster the takeover "
                f"moved the virtual IP but {service} was started on neither node",
                fix=f"print `running` only when it runs: status) if {_probe(script)}; then echo "
                "running; else echo stopped; fi ;;",
            )


def _mentions_stopped(branch: ActionBranch) -> bool:
    return any(t.stream != "null" and "stop" in t.text for p in branch.paths for t in p.printed)


def _probe(script: ResourceScript) -> str:
    if script.services:
        return f"systemctl is-active --quiet {_service(script)}"
    return "<it runs>"


def _decided(branch: ActionBranch) -> bool:
    return (
        branch.complete and bool(branch.paths) and not any(p.unknown_output for p in branch.paths)
    )


def _fails_when_stopped(path: ScriptPath) -> str | None:
    """Why this way through `stop` fails when the service is not running (None if it does not)."""
    if path.explicit_exit and path.exit_code not in (None, 0):
        said = " ".join(t.text for t in path.printed)
        if _NOT_RUNNING_WORDS.search(said) or any(
            re.search(r"!|-z|pid|pgrep|pidof|kill -0|is-active|status", g)
            for g in path.guards
            if not g.startswith("not ")
        ):
            return f"it exits {path.exit_code} when the service is not running"
        return None
    if not path.explicit_exit and path.last_command:
        command = path.last_command.strip()
        if _FAILS_WHEN_STOPPED.match(command):
            return f"its last command, `{command[:60]}`, fails when there is nothing to stop"
    return None


@node_check("HL313")
def stop_not_idempotent(ctx: NodeContext) -> Iterator[Hit]:
    for _, script in _first_use(ctx).values():
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
                message=f"`{script.name} stop` fails when {_service(script)} is already "
                f"stopped ({why}). ResourceManager retries a failing stop {STOP_RETRIES} times, "
                "a second apart, then asks status. On a real two-node cluster, with a status "
                "that says stopped, the takeover waited for the retries, then Heartbeat logged "
                f'"{heartbeat_says("HL313", "Resource script", script.name)}" and '
                f'"{heartbeat_says("HL313", "Machine reboot")}"; with a status that says '
                f'running it logged "{heartbeat_says("HL313", "Resource STOP")}", killed '
                "Heartbeat and rebooted the node",
                fix="make stop succeed when there is nothing to stop: end the stop branch with "
                "`exit 0` (LSB: stopping a stopped service is a success)",
            )
            break


@node_check("HL314")
def action_branch_missing(ctx: NodeContext) -> Iterator[Hit]:
    for _, script in _first_use(ctx).values():
        dispatch = script.dispatch
        if not _usable(script) or dispatch is None:
            continue
        for action in ACTIONS:
            branch = script.branches.get(action)
            if branch is None or branch.pattern not in (None, "*"):
                continue
            if dispatch.kind != "case" and branch.pattern is None and action in _handled(script):
                continue
            yield _missing(script, action, branch, dispatch.span)


def _handled(script: ResourceScript) -> set[str]:
    return {a for a, b in script.branches.items() if b.pattern not in (None, "*")}


def _missing(script: ResourceScript, action: str, branch: ActionBranch, span: Span) -> Hit:
    service = _service(script)
    where = "goes to the `*)` branch" if branch.pattern == "*" else "matches no branch"
    fails = any(p.explicit_exit and p.exit_code for p in branch.paths)
    consequence = {
        "start": "the takeover starts nothing: on a real two-node cluster Heartbeat held the "
        f"group and its virtual IP while {service} ran on neither node",
        "stop": (
            "stop fails: ResourceManager retries it, status still says running, and on a real "
            f'two-node cluster Heartbeat logged "{heartbeat_says("HL314", "Resource STOP")}" '
            "and rebooted the node"
            if fails
            else f"stop does nothing and succeeds: on a real two-node cluster {service} kept "
            "running on the node that gave the group up, while the other node started it: it "
            "ran on both nodes"
        ),
        "status": "status prints nothing Heartbeat reads as running, so it takes "
        f"{service} for stopped every time (see HL312)",
    }[action]
    return Hit(
        span=span,
        message=f"{script.name} has no `{action}` branch: `{script.name} {action}` {where}, "
        f"so {consequence}",
        fix=f"add the branch: {skeleton(script)}",
    )


@node_check("HL315")
def script_format(ctx: NodeContext) -> Iterator[Hit]:
    for _, script in _first_use(ctx).values():
        if script.facts.has_crlf:
            yield Hit(
                span=_top(script),
                message=f"{script.name} has Windows (CRLF) line ends: the kernel looks for the "
                f"interpreter `{(script.shebang or '#!/bin/sh')[2:].strip()}\\r`, which does not "
                "exist, so every call fails. On a real two-node cluster the start failed "
                '("Return code 127"), Heartbeat gave the group up, and nothing ran anywhere',
                fix=f"sed -i 's/\\r$//' {script.path}",
            )
        elif script.shebang is None and script.readable:
            yield Hit(
                span=_top(script),
                message=f"{script.name} does not start with `#!`: it runs only because "
                "ResourceManager's /bin/sh (dash on Debian) reads a file without one as a "
                "shell script itself (on a real two-node cluster it ran, and the takeover "
                "worked); bash syntax in it is then read by dash, and no other program can run "
                "it",
                fix=f"add `#!/bin/sh` (or `#!/bin/bash`) as the first line of {script.path}",
                severity="warning",
            )


@node_check("HL316")
def script_secret(ctx: NodeContext) -> Iterator[Hit]:
    for _, script in _first_use(ctx).values():
        mode = script.facts.mode
        if not script.secrets or mode is None or not mode & 0o004:
            continue
        names = ", ".join(sorted({f"`{s.name}`" for s in script.secrets}))
        first = script.secrets[0]
        yield Hit(
            span=first.span,
            message=f"{names} written into {script.name}, which everyone on the host can read "
            f"(mode {mode:03o}; in a repository, everyone who can clone it): Heartbeat runs "
            "resource scripts as root and needs no one else to read them",
            fix=f"chmod 700 {script.path}, and keep the secret in a file only root can read "
            "(mode 600) that the script reads",
            related=[(s.span, "also here") for s in script.secrets[1:4]],
        )


@node_check("HL319")
def script_unreadable(ctx: NodeContext) -> Iterator[Hit]:
    for resource, script in _first_use(ctx).values():
        if script.readable:
            continue
        yield Hit(
            span=resource.span,
            message=f"halint could not read {script.path}: {script.why_unreadable}; the "
            "resource-script rules (HL310-HL316) were not applied to it",
            fix="nothing to do if it is a working program; otherwise check it by hand against "
            "`script [args] start|stop|status`",
        )
