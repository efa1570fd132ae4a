"""Render rule documentation (for `halint explain` and docs/rules.md) from the catalogue."""

from __future__ import annotations

from halint.catalogue import Example, RuleDoc, all_rules, rule_doc
from halint.i18n import _, using


def shown(text: str) -> str:
    """A text of a rule's TOML in the chosen language (its msgid is the text, stripped)."""
    return _(text.strip())


def example_block(example: Example) -> str:
    """An example as `explain` shows it: the node's files and the host's facts it was checked
    with, the other nodes of its cluster, its ha-log excerpt."""
    parts = _node_parts(example)
    if example.peer is not None:
        parts.append(_("# --- the other node of the cluster ---"))
        parts += _node_parts(example.peer)
    for name, other in example.others.items():
        parts.append(_("# --- the node folder {name} ---").format(name=name))
        parts += _node_parts(other)
    return "\n".join(parts)


def _node_parts(example: Example) -> list[str]:
    """One node of an example; a node given nothing of its own has the catalogue's baseline."""
    return _example_parts(example) or [
        _("# a node whose files are all valid (the catalogue's baseline)")
    ]


def _example_parts(example: Example) -> list[str]:
    parts: list[str] = []
    for label, text in (
        ("ha.cf", example.hacf),
        ("authkeys", example.authkeys),
        ("haresources", example.haresources),
    ):
        if text is not None:
            shown = text.replace("\ufeff", "<BOM>")
            parts.append(f"# {label}\n{shown.rstrip()}")
    for name, script in example.scripts.items():
        if isinstance(script, int):
            parts.append(
                _("# resource.d/{name}: mode {mode}").format(name=name, mode=f"{script:o}")
            )
            continue
        shown = script.text.replace("\r", "\\r")
        head = (
            _("# resource.d/{name} (mode {mode})").format(name=name, mode=f"{script.mode:o}")
            if script.mode != 0o755
            else f"# resource.d/{name}"
        )
        parts.append(f"{head}\n{shown.rstrip()}")
    for path, text in (example.host_files or {}).items():
        parts.append(
            _("# on the host: {path}").format(path=path) + (f"\n{text.rstrip()}" if text else "")
        )
    if example.interfaces is not None:
        interfaces = ", ".join(
            f"{name} ({' '.join(addresses)})" if addresses else name
            for name, addresses in sorted(example.interfaces.items())
        )
        parts.append(_("# the host's interfaces: {interfaces}").format(interfaces=interfaces))
    if example.users is not None:
        users = ", ".join(example.users) or _("none")
        parts.append(_("# the host's users: {users}").format(users=users))
    if example.executables is not None:
        programs = ", ".join(example.executables) or _("none")
        parts.append(_("# the host's programs: {programs}").format(programs=programs))
    if example.char_devices is not None:
        devices = ", ".join(example.char_devices) or _("none")
        parts.append(_("# the host's character devices: {devices}").format(devices=devices))
    for kind in example.missing:
        parts.append(_("# {file}: (missing)").format(file=kind))
    if example.authkeys_mode is not None:
        parts.append(_("# authkeys mode {mode}").format(mode=f"{example.authkeys_mode:o}"))
    if example.node:
        parts.append(_("# on the node named {node}").format(node=example.node))
    if example.note:
        parts.append(f"# {_(example.note.strip())}")
    if example.log is not None:
        parts.append(_("# ha-log") + "\n" + example.log.strip("\n"))
    return parts


def render_rule(rule_id: str, heading: str = "#") -> str:
    doc: RuleDoc = rule_doc(rule_id)
    blocks = {
        True: _("yes"),
        False: _("no"),
        "varies": _("depends on the value (see below)"),
    }
    lines = [
        f"{heading} {doc.id} {doc.name}",
        "",
        _("Severity: {severity}. Blocks Heartbeat's start: {blocks}.").format(
            severity=doc.severity, blocks=blocks[doc.blocks_start]
        )
        + (_(" Needs the live host (skipped with --offline).") if doc.live else ""),
        "",
        shown(doc.summary),
        "",
    ]
    if doc.heartbeat:
        lines.append(_("Heartbeat's own words:"))
        lines.extend(f"    {m}" for m in doc.heartbeat)
        lines.append("")
    lines += [_("Why:"), "", shown(doc.rationale), "", _("Fix:"), "", shown(doc.fix), ""]
    for label, examples in ((_("Bad:"), doc.bad), (_("Good:"), doc.good)):
        for example in examples:
            lines += [label, "", "```", example_block(example), "```", ""]
    return "\n".join(lines)


def render_catalogue() -> str:
    """docs/rules.md: English, whatever the environment's language."""
    with using("en"):
        return _render_catalogue()


def _render_catalogue() -> str:
    out = [
        "# halint rules",
        "",
        "Generated from rules/*.toml by `python -m halint.docs`; do not edit by hand.",
        "",
    ]
    out += ["| ID | name | severity | summary |", "|---|---|---|---|"]
    docs = all_rules()
    out += [
        f"| [{d.id}](#{d.id.lower()}-{d.name}) | {d.name} | {d.severity} | {d.summary} |"
        for d in docs
    ]
    out.append("")
    for doc in docs:
        out.append(render_rule(doc.id, heading="##"))
    return "\n".join(out)


if __name__ == "__main__":
    import sys
    from pathlib import Path

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/rules.md")
    target.write_text(render_catalogue(), encoding="utf-8")
