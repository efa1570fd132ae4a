"""Every command and format halint has, run in-process on one input, with what each must never
do: raise (an internal error), exit other than 0/1/2, print invalid JSON or SARIF, or print a
canary (any text containing CANARY that the input put in authkeys, a key-shaped line or a
Heartbeat authentication message)."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from halint.cli import cli

CANARY = "CANARY"
CHECK_FORMATS = ("text", "json", "sarif", "github")
DIAGNOSE_FORMATS = ("text", "json", "sarif")


@dataclass
class Run:
    args: list[str]
    code: int
    stdout: str
    stderr: str
    problem: str | None = None
    findings: list[dict] = field(default_factory=list)


def _forget_click_streams() -> None:
    """click caches a text wrapper per standard stream in a WeakKeyDictionary whose values
    hold their keys: under CliRunner every run's captured output stays alive (175 KB a run,
    gigabytes over a long fuzz campaign). Emptied after each run."""
    from weakref import WeakKeyDictionary

    from click import _compat

    for name in ("_default_text_stdin", "_default_text_stdout", "_default_text_stderr"):
        for cell in getattr(getattr(_compat, name, None), "__closure__", None) or ():
            if isinstance(cell.cell_contents, WeakKeyDictionary):
                cell.cell_contents.clear()


def invoke(args: list[str]) -> Run:
    result = CliRunner().invoke(cli, args, catch_exceptions=True)
    _forget_click_streams()
    run = Run(args, result.exit_code, result.stdout, result.stderr)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        run.problem = f"internal error: {type(result.exception).__name__}: {result.exception}"
    elif run.code not in (0, 1, 2):
        run.problem = f"exit {run.code}"
    elif CANARY in run.stdout or CANARY in run.stderr:
        where = run.stdout if CANARY in run.stdout else run.stderr
        at = where.index(CANARY)
        run.problem = f"a canary in the output: ...{where[max(at - 80, 0) : at + 40]!r}..."
    elif "Traceback" in run.stderr:
        run.problem = "a traceback on stderr"
    elif run.code != 2 and "--format" in args and args[args.index("--format") + 1] != "text":
        form = args[args.index("--format") + 1]
        if form in ("json", "sarif"):
            try:
                document = json.loads(run.stdout)
            except ValueError as error:
                run.problem = f"invalid {form}: {error}"
            else:
                if form == "json" and args[0] == "check":
                    run.findings = document["findings"]
    return run


def check_runs(folder: Path, live_node: str | None = "node1") -> list[Run]:
    """`halint check` in every format, offline and (as `live_node`) live."""
    runs = []
    for form in CHECK_FORMATS:
        runs.append(invoke(["check", "--offline", "--format", form, str(folder)]))
        if live_node is not None:
            runs.append(invoke(["check", "--node", live_node, "--format", form, str(folder)]))
    return runs


def diagnose_runs(logs: list[Path], config: Path | None = None) -> list[Run]:
    runs = []
    paths = [str(log) for log in logs]
    for form in DIAGNOSE_FORMATS:
        base = ["diagnose", "--jobs", "1", "--format", form]
        runs.append(invoke([*base, *paths]))
        if config is not None:
            runs.append(invoke([*base, "--config", str(config), *paths]))
    return runs


def problems(runs: list[Run]) -> list[str]:
    return [f"halint {' '.join(r.args)}: {r.problem}" for r in runs if r.problem]


def staged(fixture: Path, into: Path) -> Path:
    """A copy of a fixture's ha.d (symbolic links kept) with authkeys at mode 600."""
    folder = into / fixture.name
    shutil.copytree(fixture, folder, symlinks=True, ignore=shutil.ignore_patterns("expect.toml"))
    authkeys = folder / "authkeys"
    if authkeys.is_file() and not authkeys.is_symlink():
        authkeys.chmod(0o600)
    return folder
