"""Render rule documentation (for `halint explain` and docs/rules.md) from the catalogue."""

from __future__ import annotations

from halint.catalogue import Example, RuleDoc, all_rules, rule_doc


def _example_block(example: Example) -> str:
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
            parts.append(f"# resource.d/{name}: mode {script:o}")
            continue
        shown = script.text.replace("\r", "\\r")
        mode = f" (mode {script.mode:o})" if script.mode != 0o755 else ""
        parts.append(f"# resource.d/{name}{mode}\n{shown.rstrip()}")
    for path, text in (example.host_files or {}).items():
        parts.append(f"# on the host: {path}" + (f"\n{text.rstrip()}" if text else ""))
    if example.char_devices is not None:
        devices = ", ".join(example.char_devices) or "none"
        parts.append(f"# the host's character devices: {devices}")
    for kind in example.missing:
        parts.append(f"# {kind}: (missing)")
    if example.authkeys_mode is not None:
        parts.append(f"# authkeys mode {example.authkeys_mode:o}")
    if example.node:
        parts.append(f"# on the node named {example.node}")
    if example.note:
        parts.append(f"# {example.note}")
    return "\n".join(parts)


def render_rule(rule_id: str, heading: str = "#") -> str:
    doc: RuleDoc = rule_doc(rule_id)
    blocks = {True: "yes", False: "no", "varies": "depends on the value (see below)"}
    lines = [
        f"{heading} {doc.id} {doc.name}",
        "",
        f"Severity: {doc.severity}. Blocks Heartbeat's start: {blocks[doc.blocks_start]}."
        + (" Needs the live host (skipped with --offline)." if doc.live else ""),
        "",
        doc.summary.strip(),
        "",
    ]
    if doc.heartbeat:
        lines.append("Heartbeat's own words:")
        lines.extend(f"    {m}" for m in doc.heartbeat)
        lines.append("")
    lines += ["Why:", "", doc.rationale.strip(), "", "Fix:", "", doc.fix.strip(), ""]
    for label, examples in (("Bad", doc.bad), ("Good", doc.good)):
        for example in examples:
            lines += [f"{label}:", "", "```", _example_block(example), "```", ""]
    return "\n".join(lines)


def render_catalogue() -> str:
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
