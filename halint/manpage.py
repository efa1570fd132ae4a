"""halint(1), rendered from the command line's own definition (click) and the rule ranges.

    python -m halint.manpage > docs/halint.1

A test fails when docs/halint.1 is stale; the wheel installs it as share/man/man1/halint.1.
"""

from __future__ import annotations

import click

from halint import __version__

RANGES = (
    ("HL1xx", "ha.cf"),
    ("HL2xx", "authkeys"),
    ("HL3xx", "haresources and the resource scripts"),
    ("HL4xx", "across the files of one node"),
    ("HL5xx", "across the nodes of a cluster"),
    ("HL6xx", "the configuration against the live host (skipped with --offline)"),
    ("HL7xx", "log diagnoses"),
)
ENVIRONMENT = (
    ("NO_COLOR", "no colour, also on a terminal"),
    ("GITHUB_ACTIONS", "when true, check writes GitHub annotations unless --format is given"),
    ("HALINT_DEBUG", "show the traceback of an internal error (the exit code stays 2)"),
    (
        "HALINT_NO_CACHE",
        "do not keep the built grammar tables and regular expressions in the cache folder",
    ),
    ("XDG_CACHE_HOME", "where the cache folder is (halint/ in it; default ~/.cache)"),
    ("LANGUAGE, LC_ALL, LC_MESSAGES, LANG", "the language of messages, as gettext chooses it"),
)
EXIT_STATUS = (
    ("0", "nothing at or above the --fail-on level"),
    ("1", "findings (or diagnoses) at or above it; --diff: there is something to change"),
    ("2", "a usage error, or a path, log or configuration file that cannot be used at all"),
)
EXAMPLES = (
    ("halint check", "this node's /etc/ha.d, against this machine"),
    ("halint check --offline ha/", "every cluster in a checkout, compared within each cluster"),
    ("halint check --diff /etc/ha.d", "what --fix would change, without writing"),
    ("halint check --kind ha.cf --context /etc/ha.d FILE", "one file of another name"),
    ("halint diagnose /var/log/ha-log*", "what happened, why, and how to fix it"),
    ("halint explain HL601", "a rule's documentation"),
)


def _escape(text: str) -> str:
    """Text safe in a roff line: backslashes, a leading dot or quote, dashes."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    if text.startswith((".", "'")):
        text = "\\&" + text
    return text


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def _option(param: click.Parameter) -> tuple[str, str] | None:
    if not isinstance(param, click.Option) or param.hidden:
        return None
    names = ", ".join(f"\\fB{_escape(n)}\\fR" for n in param.opts)
    if not param.is_flag and param.metavar:
        names += f" \\fI{_escape(param.metavar)}\\fR"
    elif not param.is_flag and isinstance(param.type, click.Choice):
        names += " \\fI" + _escape("|".join(str(c) for c in param.type.choices)) + "\\fR"
    elif not param.is_flag:
        names += f" \\fI{_escape(param.type.name.upper())}\\fR"
    return names, _escape(" ".join((param.help or "").split()))


def render() -> str:
    from halint.cli import cli

    out = [
        f'.TH HALINT 1 "" "halint {__version__}" "User Commands"',
        ".SH NAME",
        "halint \\- lint and troubleshoot Linux\\-HA Heartbeat clusters",
        ".SH SYNOPSIS",
    ]
    commands = cli.commands
    for name in sorted(commands):
        command = commands[name]
        usage = " ".join(
            f"\\fI{_escape(p.name or '').upper()}\\fR" + ("..." if p.nargs == -1 else "")
            for p in command.params
            if isinstance(p, click.Argument)
        )
        out.append(f"\\fBhalint {name}\\fR [\\fIOPTIONS\\fR] {usage}".rstrip())
        out.append(".br")
    out.append(".SH DESCRIPTION")
    out.append(
        "halint reads a Heartbeat node's \\fIha.cf\\fR, \\fIauthkeys\\fR, \\fIharesources\\fR "
        "and \\fIresource.d/\\fR scripts, a cluster's nodes or a repository of clusters, and "
        "says before Heartbeat does what is wrong, where (file:line:column), the message "
        "Heartbeat would log, and what to type to fix it. It never runs what it reads and "
        "never opens a network connection; it writes to the checked files only with "
        "\\fB\\-\\-fix\\fR. \\fBdiagnose\\fR explains Heartbeat's logs."
    )
    out.append(".SH COMMANDS")
    for name in sorted(commands):
        command = commands[name]
        out.append(f".SS {name}")
        for paragraph in _paragraphs(command.help or ""):
            out.append(_escape(paragraph))
            out.append(".PP")
        if out[-1] == ".PP":
            out.pop()
        for param in command.params:
            shown = _option(param)
            if shown is None:
                continue
            out.extend([".TP", shown[0], shown[1]])
    out.append(".SH RULES")
    out.append(
        "Every finding names its rule; \\fBhalint rules\\fR lists them and \\fBhalint explain "
        "\\fIRULE\\fR shows one with bad and good examples."
    )
    for ids, what in RANGES:
        out.extend([".TP", f"\\fB{ids}\\fR", _escape(what)])
    out.append(".SH EXIT STATUS")
    for code, what in EXIT_STATUS:
        out.extend([".TP", f"\\fB{code}\\fR", _escape(what)])
    out.append(".SH ENVIRONMENT")
    for name, what in ENVIRONMENT:
        out.extend([".TP", f"\\fB{_escape(name)}\\fR", _escape(what)])
    out.append(".SH FILES")
    out.extend(
        [
            ".TP",
            "\\fI.halint.toml\\fR, \\fIpyproject.toml\\fR [tool.halint]",
            "the configuration, the nearest one upward from the first checked path",
        ]
    )
    out.append(".SH EXAMPLES")
    for command_line, what in EXAMPLES:
        out.extend([".TP", f"\\fB{_escape(command_line)}\\fR", _escape(what)])
    out.append(".SH SEE ALSO")
    out.append("\\fBheartbeat\\fR(8), \\fBha.cf\\fR(5)")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render(), end="")
