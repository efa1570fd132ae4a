"""The command line: `halint check`, `halint rules`, `halint explain`.

Imports are lazy: a pre-commit hook pays for what it uses and nothing more.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import TYPE_CHECKING, Any, TypeVar

import click

from halint import __version__
from halint.i18n import N_, UnknownLanguage, _, ngettext, os_reason, set_language

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from halint.engine import CheckRequest

FAIL_LEVELS = ("error", "warning", "info")
FORMATS = ("text", "json", "sarif", "github", "nagios")
_NAGIOS: list[bool] = []  # set while a command reports as a monitoring plugin: failures are 3
KINDS = ("ha.cf", "authkeys", "haresources")


def _complete_rules(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of rule IDs (and rule names for explain)."""
    from halint.catalogue import all_rule_ids

    wanted = incomplete.upper()
    return [rule for rule in all_rule_ids() if rule.startswith(wanted)]


def exit_code(severities: Iterable[str], fail_on: str, exit_zero: bool) -> int:
    """1 when something is at or above the --fail-on level (and not --exit-zero), else 0."""
    from halint.findings import at_or_above

    return 1 if not exit_zero and any(at_or_above(s, fail_on) for s in severities) else 0


def _speak_click() -> None:
    """click's own words (Usage:, Options:, Show this message and exit., Error: ...) through
    halint's catalogue: click looks each up with gettext's `gettext`/`ngettext`, bound in its
    modules when they were imported; those names are pointed at halint's, which follow --lang
    as well as the environment (and hand the English back untouched)."""
    import gettext

    for name, module in list(sys.modules.items()):
        if name != "click" and not name.startswith("click."):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = _  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = ngettext  # type: ignore[attr-defined]


_speak_click()


class _Shown:
    """Swaps an object's help texts (marked with N_()) for their translation while click
    shows them: they are defined at import, before the language is known."""

    def __init__(self, owner: object, *names: str) -> None:
        self.owner, self.names = owner, names
        self.saved: dict[str, object] = {}

    def __enter__(self) -> None:
        for name in self.names:
            value = getattr(self.owner, name, None)
            self.saved[name] = value
            if isinstance(value, str) and value:
                setattr(self.owner, name, _(value))

    def __exit__(self, *exc: object) -> None:
        for name, value in self.saved.items():
            setattr(self.owner, name, value)


class Option(click.Option):
    """An option whose help is translated when shown."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        with _Shown(self, "help"):
            return super().get_help_record(ctx)


class Command(click.Command):
    """A command whose help is translated when shown."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _Shown(self, "help"):
            super().format_help_text(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _Shown(self, "help", "short_help"):
            return super().get_short_help_str(limit)


class Group(click.Group):
    """The command group: its help and its commands' help translated when shown."""

    command_class = Command

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _Shown(self, "help"):
            super().format_help_text(ctx, formatter)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's own --help and --version: their English help was taken before --lang was
        read (the group's options are parsed together), so it is translated when shown."""
        shown = [_Shown(p, "help") for p in self.get_params(ctx) if not isinstance(p, Option)]
        with contextlib.ExitStack() as stack:
            for swap in shown:
                stack.enter_context(swap)
            super().format_options(ctx, formatter)


_Decorated = TypeVar("_Decorated", bound="Callable[..., Any]")


def option(*decls: str, **attrs: Any) -> Callable[[_Decorated], _Decorated]:
    """click.option with this module's Option class (its help translated when shown)."""
    return click.option(*decls, cls=Option, **attrs)


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """--lang: the language of everything said from here on (None: the environment's)."""
    try:
        set_language(value)
    except UnknownLanguage:
        raise click.BadParameter(
            _("halint speaks en and zh_CN, not {language!r}").format(language=value)
        ) from None


def _fail(message: str) -> None:
    if _NAGIOS:
        from halint.report.nagios import UNKNOWN, unknown

        click.echo(unknown(message), nl=False)
        sys.exit(UNKNOWN)
    click.echo(_("halint: error: {message}").format(message=message), err=True)
    sys.exit(2)


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_("Lint Linux-HA Heartbeat configurations (ha.cf, authkeys, haresources)."),
)
@click.version_option(__version__, "--version", prog_name="halint")
@option(
    "--lang",
    metavar="LANG",
    is_eager=True,
    expose_value=False,
    callback=_choose_language,
    help=N_(
        "The language of messages, fixes and help: en or zh_CN (default: from LANGUAGE, "
        "LC_ALL, LC_MESSAGES or LANG, as gettext chooses)."
    ),
)
def cli() -> None:
    """The command group (its help is the `help=` above, translated when shown)."""


@cli.command(
    help=N_(
        "Check one node's ha.d (default /etc/ha.d), a cluster, or a tree of clusters.\n\n"
        "Each PATH is a node's ha.d folder, one of its files (or a resource.d script), a "
        "folder holding node folders, or any folder above them: every node found is grouped "
        "into its cluster by the node names it declares, and the cross-node rules run inside "
        "each cluster."
    )
)
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default=None,
    help=N_("Output format (default: text; github when GITHUB_ACTIONS is set)."),
)
@option(
    "--node",
    "node_name",
    metavar="NAME",
    help=N_("Check as if `uname -n` printed NAME on this machine."),
)
@option(
    "--offline",
    is_flag=True,
    help=N_("Use no facts of this machine (for git checkouts): live rules are skipped."),
)
@option(
    "--fail-on",
    type=click.Choice(FAIL_LEVELS),
    default=None,
    help=N_("Exit 1 when a finding at or above this severity is reported (default: warning)."),
)
@option(
    "--config",
    "config_path",
    metavar="FILE",
    type=click.Path(readable=False),
    help=N_(
        "Use this .halint.toml (default: the nearest .halint.toml or pyproject.toml "
        "[tool.halint] upward from the first PATH)."
    ),
)
@option(
    "--as",
    "assignments",
    multiple=True,
    metavar="DIR=NODE",
    help=N_("Say which node a folder holds, when it cannot be told (repeatable)."),
)
@option(
    "--kind",
    type=click.Choice(KINDS),
    default=None,
    help=N_(
        "PATH (or - for standard input) is one file of this kind, whatever its name "
        "(Ansible's validate:)."
    ),
)
@option(
    "--context",
    metavar="DIR",
    type=click.Path(readable=False),
    help=N_(
        "With --kind: the folder of the node's other files (default: /etc/ha.d on a live "
        "node, none with --offline)."
    ),
)
@option(
    "--whole-cluster",
    is_flag=True,
    help=N_(
        "Also read the rest of each given node's cluster from the folders around it, and "
        "compare (for pre-commit, which hands over only the files a commit touched)."
    ),
)
@option(
    "--fix",
    is_flag=True,
    help=N_(
        "Change the checked files where the fix is certain (marked [*]), then report what is left."
    ),
)
@option(
    "--diff",
    is_flag=True,
    help=N_(
        "Show what --fix would change, as a unified diff, and write nothing (exit 1 when "
        "there is something to change)."
    ),
)
@option(
    "--exit-zero",
    is_flag=True,
    help=N_("Exit 0 even when problems are found (2 still means unusable input)."),
)
@option(
    "--select",
    multiple=True,
    metavar="RULE",
    shell_complete=_complete_rules,
    help=N_("Only run these rules (IDs or prefixes such as HL1); repeatable."),
)
@option(
    "--ignore",
    multiple=True,
    metavar="RULE",
    shell_complete=_complete_rules,
    help=N_("Do not run these rules (IDs or prefixes); repeatable."),
)
def check(
    paths: tuple[str, ...],
    output_format: str | None,
    node_name: str | None,
    offline: bool,
    fail_on: str | None,
    config_path: str | None,
    assignments: tuple[str, ...],
    kind: str | None,
    context: str | None,
    whole_cluster: bool,
    fix: bool,
    diff: bool,
    exit_zero: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> None:
    from halint.discovery import InputError
    from halint.engine import CheckRequest, ConfigurationError, run_check

    _NAGIOS[:] = [True] if output_format == "nagios" else []
    if context is not None and kind is None:
        _fail(_("--context goes with --kind (the folder of the checked file's node)"))
    if node_name is not None and offline:
        _fail(
            _(
                "--node stands in for this machine's name, which --offline does not use (its "
                "rules are skipped): give one or the other"
            )
        )
    request = CheckRequest(
        paths=list(paths),
        offline=offline,
        node_name=node_name,
        assignments=_assignments(assignments),
        select=_rule_list(select),
        ignore=_rule_list(ignore),
        fail_on=fail_on,
        config_path=config_path,
        kind=kind,
        context=context,
        whole_cluster=whole_cluster,
    )
    if (fix or diff) and kind is not None and paths == ("-",):
        _fail(_("--fix and --diff change files: standard input has none"))
    try:
        if diff:
            _diff(request, exit_zero)
        fixed = _fix(request) if fix else None
        run = run_check(request)
    except (InputError, ConfigurationError) as error:
        _fail(str(error))
        return
    from halint.report.stream import render_run

    if fixed:
        click.echo(fixed, err=output_format not in (None, "text"))
    if output_format == "nagios":
        from halint.report.nagios import render_check

        text, state = render_check(run.findings())
        click.echo(text, nl=False)
        sys.exit(state)
    severities = render_run(run, _format(output_format), click.echo, sys.stdout.isatty())
    sys.exit(exit_code(severities, run.fail_on, exit_zero))


def _diff(request: CheckRequest, exit_zero: bool = False) -> None:
    """--diff: print what --fix would change, write nothing; exit 1 when it would change
    something (0 with --exit-zero)."""
    from halint.fixing import fix_check, unified_diff

    outcome = fix_check(request, write_files=False)
    click.echo(unified_diff(outcome.changes, outcome.secrets), nl=False)
    for reason in outcome.skipped:
        click.echo(_("halint: not fixable now: {reason}").format(reason=reason), err=True)
    sys.exit(1 if outcome.files and not exit_zero else 0)


def _fix(request: CheckRequest) -> str | None:
    """--fix: write the certain fixes; say what was done (the report then shows what is left)."""
    from halint.fixing import fix_check

    outcome = fix_check(request, write_files=True)
    for reason in outcome.skipped:
        click.echo(_("halint: not fixed: {reason}").format(reason=reason), err=True)
    if not outcome.files:
        return None
    problems = ngettext("{count} problem", "{count} problems", outcome.fixed).format(
        count=outcome.fixed
    )
    files = ngettext("{count} file", "{count} files", outcome.files).format(count=outcome.files)
    return _("Fixed {problems} in {files}; what is left:").format(problems=problems, files=files)


def _format(chosen: str | None) -> str:
    if chosen:
        return chosen
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _assignments(values: tuple[str, ...]) -> dict[str, str]:
    result: dict[str, str] = {}
    for value in values:
        folder, sep, name = value.rpartition("=")
        if not sep or not folder or not name:
            _fail(_("--as takes DIR=NODE, not {value!r}").format(value=value))
        result[os.path.realpath(folder)] = name
    return result


def _rule_list(values: tuple[str, ...]) -> list[str]:
    from halint.ruleid import is_rule_pattern, names_a_rule

    rules = [part.strip().upper() for value in values for part in value.split(",") if part.strip()]
    for rule in rules:
        if not is_rule_pattern(rule):
            _fail(_("`{rule}` is not a rule ID or prefix (e.g. HL101, HL1)").format(rule=rule))
        if not names_a_rule(rule):
            _fail(_("`{rule}` names no rule (`halint rules` lists them)").format(rule=rule))
    return rules


def _deprecated(new: str) -> Callable[[click.Context, click.Parameter, object], object]:
    """An old option's spelling: still works, and says which one to use instead."""

    def warn(ctx: click.Context, param: click.Parameter, value: object) -> object:
        if value:
            click.echo(
                _(
                    "halint: warning: `diagnose {old}` is deprecated, use `{new}` "
                    "(check's --config is a .halint.toml, its --node a node name)"
                ).format(old=param.opts[0], new=new),
                err=True,
            )
        return value

    return warn


@cli.command(
    help=N_(
        "Explain Heartbeat logs (default /var/log/ha-log): failures, causes, fixes, evidence, "
        "and the timeline of who held the resources when.\n\n"
        "LOG may be plain, .gz, .bz2 or .xz, or - for standard input; several logs (rotated "
        "files, both nodes' logs) are merged into one time order."
    )
)
@click.argument("logs", nargs=-1, type=click.Path(readable=False))
@option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json", "sarif", "nagios")),
    default="text",
    show_default=True,
    help=N_("Output format (nagios: a monitoring plugin's status line, perfdata, exit 0-3)."),
)
@option(
    "--ha-d",
    "configs",
    multiple=True,
    type=click.Path(readable=False),
    metavar="HA_D",
    help=N_("A node's ha.d (repeatable): attach its config findings to the diagnoses."),
)
@option(
    "--config",
    "old_configs",
    multiple=True,
    type=click.Path(readable=False),
    hidden=True,
    callback=_deprecated("--ha-d"),
)
@option(
    "--since",
    metavar="WHEN",
    help=N_("Only lines from then on: a time (2026-11-24 21:00) or an age (90s, 30m, 2h, 1d)."),
)
@option("--until", metavar="WHEN", help=N_("Only lines up to then (as --since)."))
@option(
    "--fail-on",
    type=click.Choice(FAIL_LEVELS),
    default="warning",
    show_default=True,
    help=N_("Exit 1 when a diagnosis at or above this severity is found."),
)
@option("--exit-zero", is_flag=True, help=N_("Exit 0 even when failures are found."))
@option(
    "--timeline-node",
    "only_node",
    metavar="NAME",
    help=N_("Show the timeline of this node only (the diagnoses stay cluster-wide)."),
)
@option("--node", "old_node", metavar="NAME", hidden=True, callback=_deprecated("--timeline-node"))
@option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    metavar="N",
    help=N_(
        "Processes reading a large log (default: one per CPU and one more, up to 4; "
        "1 on a busy node)."
    ),
)
def diagnose(
    logs: tuple[str, ...],
    output_format: str,
    configs: tuple[str, ...],
    old_configs: tuple[str, ...],
    since: str | None,
    until: str | None,
    fail_on: str,
    exit_zero: bool,
    only_node: str | None,
    old_node: str | None,
    jobs: int | None,
) -> None:
    from halint.logs.digest import IN_PROCESS, Parallel
    from halint.logs.run import LogError, run_diagnose
    from halint.logs.window import WindowError, window

    _NAGIOS[:] = [True] if output_format == "nagios" else []
    only_node = only_node or old_node
    try:
        bounds = window(since, until)
    except WindowError as error:
        _fail(str(error))
        return
    parallel = None if jobs is None else Parallel(workers=jobs) if jobs > 1 else IN_PROCESS
    try:
        result = run_diagnose(
            list(logs) or ["/var/log/ha-log"],
            [*configs, *old_configs],
            progress=sys.stderr.isatty() and output_format != "nagios",
            parallel=parallel,
            bounds=bounds,
        )
    except LogError as error:
        _fail(str(error))
        return
    from halint.report import diagnose_report as report

    if only_node:
        wanted = only_node.lower()
        nodes = sorted({t.node for t in result.timeline if t.node})
        if nodes and wanted not in {n.lower() for n in nodes}:
            _fail(  # a mistyped name would silently show no timeline at all
                _(
                    "--timeline-node {name}: the logs' timeline has no such node (it has {nodes})"
                ).format(name=only_node, nodes=", ".join(nodes))
            )
            return
        result.timeline = [t for t in result.timeline if (t.node or "").lower() == wanted]
    if output_format == "nagios":
        from halint.report.nagios import render_diagnose

        text, state = render_diagnose(result.diagnoses, bounds.describe())
        click.echo(text, nl=False)
        sys.exit(state)
    if output_format == "json":
        text = report.render_json(
            result.diagnoses,
            result.timeline,
            result.events,
            result.dropped,
            result.holders,
            result.notes,
            result.skew,
        )
    elif output_format == "sarif":
        text = report.render_sarif(result.diagnoses)
    else:
        from halint.report.text import use_colour

        text = report.render_text(
            result.diagnoses,
            result.timeline,
            result.events,
            result.dropped,
            use_colour(sys.stdout.isatty()),
            result.holders,
            result.notes,
            bounds.describe(),
        )
    click.echo(text, nl=False)
    sys.exit(exit_code((d.severity for d in result.diagnoses), fail_on, exit_zero))


@cli.command("rules", help=N_("List the rule catalogue."))
@option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    help=N_("Output format (json: id, name, severity, blocks_start, summary, live)."),
)
def rules_command(output_format: str) -> None:
    from halint.catalogue import all_rules
    from halint.docs import shown

    docs = all_rules()
    if output_format == "json":
        import json

        click.echo(
            json.dumps(
                [
                    {
                        "id": d.id,
                        "name": d.name,
                        "severity": d.severity,
                        "blocks_start": d.blocks_start,
                        "summary": shown(d.summary),
                        "live": d.live,
                    }
                    for d in docs
                ],
                indent=2,
            )
        )
        return
    said = {True: _("blocks start"), False: "", "varies": _("may block start")}
    width = max(len(s) for s in said.values()) + 1
    for doc in docs:
        blocks = said[doc.blocks_start]
        click.echo(
            f"{doc.id}  {doc.name:<28} {doc.severity:<8} {blocks:<{width}}{shown(doc.summary)}"
        )


@cli.command(help=N_("Show a rule's documentation: what, why, the fix, bad and good examples."))
@click.argument("rule_id", shell_complete=_complete_rules)
def explain(rule_id: str) -> None:
    from halint.catalogue import all_rule_ids
    from halint.docs import render_rule

    wanted = rule_id.upper()
    if wanted not in all_rule_ids():
        from halint.catalogue import all_rules

        by_name = {d.name: d.id for d in all_rules()}
        if rule_id.lower() not in by_name:
            _fail(_("no rule {rule!r} (see `halint rules`)").format(rule=rule_id))
        wanted = by_name[rule_id.lower()]
    click.echo(render_rule(wanted), nl=False)


def main() -> None:
    """Entry point: no traceback ever reaches a user. An internal error, or an environment that
    fails under halint (standard output closed or full, the working folder gone), is one line
    on stderr and exit 2; HALINT_DEBUG=1 adds the traceback, and still exits 2."""
    for stream in (sys.stdout, sys.stderr):
        # A terminal or pipe that cannot show a character gets an escape, not a crash.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    if sys.stdout is None:  # started with standard output closed (`>&-`)
        _environment_failure(_("standard output is closed"))
    code = _run()
    if _stdout_broken():
        _environment_failure(_("standard output was closed before the report was written"))
    try:
        sys.stdout.flush()
    except OSError as error:
        _environment_failure(_said(error))
    sys.exit(code)


def _run() -> int:
    """The command's exit code."""
    try:
        cli.main(prog_name="halint", standalone_mode=False)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 2)
    except click.ClickException as error:
        if _asks_nagios(sys.argv[1:]):  # a monitoring plugin's usage error is UNKNOWN, said
            from halint.report.nagios import UNKNOWN, unknown

            click.echo(unknown(error.format_message()), nl=False)
            return UNKNOWN
        error.show()
        return error.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        return 130
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        _environment_failure(_said(error))
    except Exception as error:  # the one place that turns a bug into one line
        _debug()
        said = (
            f"halint: internal error: {type(error).__name__} at {_where(error)} "
            "(set HALINT_DEBUG=1 for details; please report it)"
        )
        _say(said)
        if _NAGIOS or _asks_nagios(sys.argv[1:]):
            from halint.report.nagios import UNKNOWN, unknown

            with contextlib.suppress(OSError, ValueError):
                click.echo(unknown(said.removeprefix("halint: ")), nl=False)
            return UNKNOWN
        sys.exit(2)
    return 0


def _asks_nagios(arguments: list[str]) -> bool:
    """Whether the command line asks for `--format nagios` (read before click has parsed it,
    or when click refused it)."""
    for index, argument in enumerate(arguments):
        if argument == "--":
            return False
        if argument in ("--format=nagios",) or (
            argument == "--format" and arguments[index + 1 : index + 2] == ["nagios"]
        ):
            return True
    return False


def _where(error: BaseException) -> str:
    """The innermost line of halint's own code the error passed through. Not the error's
    message: that may quote what was being read, and a line of authkeys is a key."""
    import traceback

    here = os.path.dirname(os.path.abspath(__file__))
    where = "an unknown place"
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.startswith(here):
            where = f"{os.path.relpath(frame.filename, os.path.dirname(here))}:{frame.lineno}"
    return where


def _said(error: OSError) -> str:
    """What an OSError that reached the top says about the environment."""
    import errno

    try:
        os.getcwd()
    except OSError:
        return _("the working folder no longer exists")
    reason = os_reason(error.strerror) if error.strerror else type(error).__name__
    if error.filename is None and error.errno in (
        errno.EPIPE,
        errno.ENOSPC,
        errno.EBADF,
        errno.EIO,
    ):
        return _("cannot write to standard output ({reason})").format(reason=reason)
    return f"{error.filename}: {reason}" if error.filename else reason


def _stdout_broken() -> bool:
    """click swaps standard output for a wrapper that swallows writes once its reader went
    away (a broken pipe)."""
    return "PacifyFlushWrapper" in type(sys.stdout).__name__


def _environment_failure(reason: str) -> None:
    _debug()
    _say(_("halint: error: {message}").format(message=reason))
    _silence_stdout()
    sys.exit(2)


def _debug() -> None:
    if os.environ.get("HALINT_DEBUG"):
        import traceback

        with contextlib.suppress(OSError, ValueError):
            traceback.print_exc()


def _say(line: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # stderr gone too: the exit code says it
        click.echo(line, err=True)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush of what is
    still buffered cannot fail again (and print a second, Python-made message)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
    except OSError:
        pass
