"""HL6xx: the configuration against the facts of the live host (skipped with --offline)."""

from __future__ import annotations

from collections.abc import Iterator

from halint.checks import Hit, NodeContext, node_check

DEFAULT_CRM_DAEMON_DIR = "/usr/libexec/pacemaker"
PACEMAKER_CANDIDATES = (
    "/usr/libexec/pacemaker",
    "/usr/lib/pacemaker",
    "/usr/lib64/pacemaker",
    "/usr/lib/heartbeat",
    "/usr/lib64/heartbeat",
)


@node_check("HL609", live=True)
def pacemaker_daemons_missing(ctx: NodeContext) -> Iterator[Hit]:
    hacf, host = ctx.node.hacf, ctx.host
    if hacf is None or host is None or not hacf.crm_enabled or hacf.pacemaker is None:
        return
    if hacf.pacemaker.value == "ccm-only":
        return
    folder = str(hacf.crm_daemon_dir.value) if hacf.crm_daemon_dir else DEFAULT_CRM_DAEMON_DIR
    if host.is_executable(f"{folder}/cib"):
        return
    elsewhere = [d for d in PACEMAKER_CANDIDATES if d != folder and host.is_executable(f"{d}/cib")]
    if elsewhere:
        hint = f"the heartbeat-era daemons are in {elsewhere[0]}"
        fix = f"add `crm_daemon_dir {elsewhere[0]}` before the `{hacf.pacemaker.directive}` line"
    else:
        hint = (
            "this host has no heartbeat-era Pacemaker (cib, crmd, lrmd...); Pacemaker 2.x "
            "daemons (pacemaker-based, ...) cannot be run by Heartbeat"
        )
        fix = "use haresources (`crm off`) or install a Pacemaker 1.1 built for Heartbeat"
    yield Hit(
        span=hacf.pacemaker.span,
        message=f"Pacemaker mode needs {folder}/cib, which is not an executable here: {hint}. "
        'Heartbeat: "Failed to add pacemaker client child "cib""',
        fix=fix,
    )
