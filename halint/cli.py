"""The command line: `halint check`, `halint rules`, `halint explain`.

Imports are lazy: a pre-commit hook pays for what it uses and nothing more.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from halint import __version__

if TYPE_CHECKING:
    from halint.config import Config
    from halint.findings import Finding

FAIL_LEVELS = ("error", "warning", "info")
FORMATS = ("text", "json", "sarif", "github")


def _fail(message: str) -> None:
    click.echo(f"halint: error: {message}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="halint")
def cli() -> None:
    """Lint Linux-HA Heartbeat configurations (ha.cf, authkeys, haresources)."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format (default: text; github when GITHUB_ACTIONS is set).",
)
@click.option(
    "--node",
    "node_name",
    metavar="NAME",
    help="Check as if `uname -n` printed NAME on this machine.",
)
@click.option(
    "--offline",
    is_flag=True,
    help="Use no facts of this machine (for git checkouts): live rules are skipped.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_LEVELS),
    default=None,
    help="Exit 1 when a finding at or above this severity is reported (default: warning).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Use this .halint.toml (default: the nearest .halint.toml or pyproject.toml "
    "[tool.halint] upward from the first PATH).",
)
@click.option(
    "--as",
    "assignments",
    multiple=True,
    metavar="DIR=NODE",
    help="Say which node a folder holds, when checking several (repeatable).",
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit 0 even when problems are found (2 still means unusable input).",
)
@click.option(
    "--select",
    multiple=True,
    metavar="RULE",
    help="Only run these rules (IDs or prefixes such as HL1); repeatable.",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="RULE",
    help="Do not run these rules (IDs or prefixes); repeatable.",
)
def check(
    paths: tuple[str, ...],
    output_format: str,
    node_name: str | None,
    offline: bool,
    fail_on: str | None,
    config_path: str | None,
    assignments: tuple[str, ...],
    exit_zero: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> None:
    """Check one node's ha.d (default /etc/ha.d), or several nodes' as one cluster.

    Each PATH is an ha.d folder, one of its files, or a folder holding one folder per node.
    """
    from halint.engine import Selection, check_cluster, check_node
    from halint.node import InputError, load_node, resolve_paths

    given = list(paths) or ["/etc/ha.d"]
    try:
        groups = resolve_paths(given)
    except InputError as error:
        _fail(str(error))
        return
    config = _config(config_path, given[0])
    explicit = _assignments(assignments)
    host = None
    if not (offline or (config is not None and config.offline)):
        from halint.hostfacts import live

        host = live(node_name)
    selection = Selection(
        select=_rule_list(select) or (config.select if config else []),
        ignore=_rule_list(ignore) + (config.ignore if config else []),
    )
    loaded_nodes = [load_node(directory, only) for directory, only in groups]
    identities = None
    if len(loaded_nodes) > 1:
        from halint.cluster import identify

        identities = identify(loaded_nodes, explicit, host)
        for identity, loaded in zip(identities, loaded_nodes, strict=True):
            loaded.node.name = identity.name
        findings = check_cluster(loaded_nodes, host, selection)
    else:
        findings = check_node(loaded_nodes[0], host, selection)
    if config is not None:
        findings = _configured(findings, config)
    _emit(findings, _format(output_format), loaded_nodes, identities, host)
    level = fail_on or (config.fail_on if config and config.fail_on else "warning")
    threshold = FAIL_LEVELS.index(level)
    failing = any(FAIL_LEVELS.index(f.severity) <= threshold for f in findings)
    sys.exit(1 if failing and not exit_zero else 0)


def _format(chosen: str | None) -> str:
    if chosen:
        return chosen
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _config(explicit: str | None, first_path: str) -> Config | None:
    from pathlib import Path

    from halint.configfile import find_config

    path = Path(explicit) if explicit else find_config(Path(first_path))
    if path is None:
        return None
    from halint.config import ConfigError, load_config

    try:
        return load_config(path)
    except ConfigError as error:
        _fail(str(error))
        return None


def _configured(findings: list[Finding], config: Config) -> list[Finding]:
    """Per-rule severities and per-path ignores from the configuration file."""
    import fnmatch
    from pathlib import Path

    base = Path(config.source).resolve().parent
    kept = []
    for finding in findings:
        try:
            relative = Path(finding.path).resolve().relative_to(base).as_posix()
        except ValueError:
            relative = finding.path
        ignored = any(
            fnmatch.fnmatch(relative, glob) and any(finding.rule.startswith(r) for r in rules)
            for glob, rules in config.per_path_ignores.items()
        )
        if ignored:
            continue
        for rule, severity in config.severity.items():
            if finding.rule.startswith(rule):
                finding.severity = severity
        kept.append(finding)
    return kept


def _assignments(values: tuple[str, ...]) -> dict[str, str]:
    import os

    result: dict[str, str] = {}
    for value in values:
        folder, sep, name = value.rpartition("=")
        if not sep or not folder or not name:
            _fail(f"--as takes DIR=NODE, not {value!r}")
        result[os.path.realpath(folder)] = name
    return result


def _rule_list(values: tuple[str, ...]) -> list[str]:
    rules = [part.strip().upper() for value in values for part in value.split(",") if part.strip()]
    for rule in rules:
        if not rule.startswith("HL") or not rule[2:].isdigit() or len(rule) > 5:
            _fail(f"`{rule}` is not a rule ID or prefix (e.g. HL101, HL1)")
    return rules


def _emit(
    findings: list, output_format: str, loaded_nodes: list, identities: list | None, host: object
) -> None:
    if output_format == "json":
        from halint.report.json_report import render as render_json

        click.echo(render_json(findings, identities), nl=False)
        return
    if output_format == "sarif":
        from halint.report.sarif import render as render_sarif

        click.echo(render_sarif(findings, "halint/check/"), nl=False)
        return
    if output_format == "github":
        from halint.report.github import render as render_github

        click.echo(render_github(findings), nl=False)
        return
    from halint.report.redact import redact_authkeys_line
    from halint.report.text import render as render_text
    from halint.report.text import render_identities, use_colour

    lines: dict[str, tuple[str, list[str]]] = {}
    for loaded in loaded_nodes:
        for source in loaded.sources.values():
            if source.readable:
                lines[source.path] = (source.kind, source.lines)

    def line_of(path: str, number: int) -> str | None:
        kind, file_lines = lines.get(path, ("", []))
        if not 1 <= number <= len(file_lines):
            return None
        text = file_lines[number - 1]
        if len(text) > 400:
            return None
        return redact_authkeys_line(text) if kind == "authkeys" else text

    colour = use_colour(sys.stdout.isatty())
    if identities is not None:
        click.echo(render_identities(identities, host is not None), nl=False)
    click.echo(render_text(findings, line_of, colour), nl=False)


@cli.command()
@click.argument("logs", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json", "sarif")),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--config",
    "configs",
    multiple=True,
    type=click.Path(),
    help="A node's ha.d (repeatable): attach its config findings to the diagnoses.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_LEVELS),
    default="warning",
    show_default=True,
    help="Exit 1 when a diagnosis at or above this severity is found.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when failures are found.")
@click.option(
    "--node",
    "only_node",
    metavar="NAME",
    help="Show the timeline of this node only (the diagnoses stay cluster-wide).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    metavar="N",
    help="Processes reading a large log (default: one per CPU and one more, up to 4; "
    "1 on a busy node).",
)
def diagnose(
    logs: tuple[str, ...],
    output_format: str,
    configs: tuple[str, ...],
    fail_on: str,
    exit_zero: bool,
    only_node: str | None,
    jobs: int | None,
) -> None:
    """Explain Heartbeat logs (default /var/log/ha-log): failures, causes, fixes, evidence,
    and the timeline of who held the resources when.

    LOG may be plain, .gz, .bz2 or .xz, or - for standard input; several logs (rotated
    files, both nodes' logs) are merged into one time order.
    """
    from halint.logs.digest import IN_PROCESS, Parallel
    from halint.logs.run import LogError, run_diagnose

    parallel = None if jobs is None else Parallel(workers=jobs) if jobs > 1 else IN_PROCESS
    try:
        result = run_diagnose(
            list(logs) or ["/var/log/ha-log"],
            list(configs),
            progress=sys.stderr.isatty(),
            parallel=parallel,
        )
    except LogError as error:
        _fail(str(error))
        return
    from halint.report import diagnose_report as report

    if only_node:
        wanted = only_node.lower()
        result.timeline = [t for t in result.timeline if (t.node or "").lower() == wanted]
    if output_format == "json":
        text = report.render_json(
            result.diagnoses, result.timeline, result.events, result.dropped, result.holders
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
        )
    click.echo(text, nl=False)
    threshold = FAIL_LEVELS.index(fail_on)
    failing = any(FAIL_LEVELS.index(d.severity) <= threshold for d in result.diagnoses)
    sys.exit(1 if failing and not exit_zero else 0)


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def rules_command(output_format: str) -> None:
    """List the rule catalogue."""
    from halint.catalogue import all_rules

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
                        "summary": d.summary,
                        "live": d.live,
                    }
                    for d in docs
                ],
                indent=2,
            )
        )
        return
    for doc in docs:
        blocks = {True: "blocks start", False: "", "varies": "may block start"}[doc.blocks_start]
        click.echo(f"{doc.id}  {doc.name:<28} {doc.severity:<8} {blocks:<15} {doc.summary}")


@cli.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Show a rule's documentation: what, why, the fix, bad and good examples."""
    from halint.catalogue import all_rule_ids
    from halint.docs import render_rule

    wanted = rule_id.upper()
    if wanted not in all_rule_ids():
        from halint.catalogue import all_rules

        by_name = {d.name: d.id for d in all_rules()}
        if rule_id.lower() not in by_name:
            _fail(f"no rule {rule_id!r} (see `halint rules`)")
        wanted = by_name[rule_id.lower()]
    click.echo(render_rule(wanted), nl=False)


def main() -> None:
    """Entry point: no traceback ever reaches a user (HALINT_DEBUG=1 shows it)."""
    for stream in (sys.stdout, sys.stderr):
        # A terminal or pipe that cannot show a character gets an escape, not a crash.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        cli.main(prog_name="halint", standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as error:
        if os.environ.get("HALINT_DEBUG"):
            raise
        click.echo(
            f"halint: internal error: {type(error).__name__}: {error} "
            "(set HALINT_DEBUG=1 for details; please report it)",
            err=True,
        )
        sys.exit(2)
