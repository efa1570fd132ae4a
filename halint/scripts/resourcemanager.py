"""How Heartbeat 3.0.6's ResourceManager calls a resource script and reads its answers.

Read from /usr/share/heartbeat/ResourceManager (the Debian package of 3.0.6), the one place these
facts live:

- `doscript`: `$spath $arg "$2"` — the `::` arguments of the resource first (split on blanks,
  unquoted), the action (`start` or `stop`) last;
- `we_own_resource`: `case \\`$spath $arg status\\` in *[Nn][Oo][Tt]\\ *[Rr]unning*) stopped;;
  *[Rr]unning*|*OK*) running;; *) stopped;; esac` — the standard output decides, the exit code
  is never looked at;
- `giveupresourcegroup`: a failing stop is retried once a second, `HA_STOPRETRYMAX` times (10);
  if it still fails, `we_own_resource` decides between "Resource STOP failure. Reboot required!"
  (`pkill -9 heartbeat`, then `/sbin/reboot -nf`) and "Machine reboot narrowly avoided!".
"""

from __future__ import annotations

from halint.regex import compiled

ACTIONS = ("start", "stop", "status")
STOP_RETRIES = 10  # HA_STOPRETRYMAX's default
# (pattern strings: re compiles them on first use and keeps them; most runs never ask)
_NOT_RUNNING = r"(?s)[Nn][Oo][Tt] .*[Rr]unning"
_RUNNING = r"[Rr]unning|OK"


def action_position(arguments: int) -> int:
    """The positional parameter ($N) the action arrives in, for a resource with `arguments`
    `::` arguments."""
    return arguments + 1


def says_running(output: str) -> bool:
    """Whether ResourceManager takes this `status` output to mean "running" (its case patterns,
    applied in their order)."""
    if compiled(_NOT_RUNNING).search(output):
        return False
    return bool(compiled(_RUNNING).search(output))


def invocation(script: str, arguments: list[str], action: str) -> str:
    """The command line ResourceManager runs, as an admin would type it."""
    return " ".join([script, *arguments, action])
