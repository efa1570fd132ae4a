"""The message catalogue's workflow, and Babel's extractor for the rule catalogue.

    python -m halint.i18n_extract           # extract -> halint.pot, update every .po, compile
    python -m halint.i18n_extract --check   # the same, writing nothing: exit 1 when stale

Extraction reads halint's code (`_()`, `ngettext()`, `N_()`) and the texts of rules/HLnnn.toml
that halint shows (summary, rationale, fix, a diagnosis's title and cause, what a refused
start's reason means and its fix, a log pattern's fix, an example's note). Heartbeat's own
messages (`heartbeat = [...]`) are never extracted: they are quoted as the daemon logs them.
The .pot and the .po files live in the repository (halint/locale/); the .mo files gettext reads
are compiled from the .po files here and by the build (hatch_build.py), never committed.

Babel is a test and build dependency only: nothing here is imported by a check run.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parent.parent
LOCALE = REPO / "halint" / "locale"
TEMPLATE = LOCALE / "halint.pot"
# Rule texts, as the renderers look them up (stripped of the TOML's surrounding newlines).
TRANSLATED = ("summary", "rationale", "fix", "title", "cause")


def rule_texts(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, text) for each text of a rule file that is shown to users."""
    rule = data.get("id", "?")
    for key in TRANSLATED:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            yield f"{rule} {key}", value.strip()
    for number, reason in enumerate(data.get("reasons", []), start=1):
        for key in ("means", "fix"):
            if reason.get(key):
                yield f"{rule} reason {number} {key}", reason[key].strip()
    for number, pattern in enumerate(data.get("patterns", []), start=1):
        if pattern.get("fix"):
            yield f"{rule} pattern {number} fix", pattern["fix"].strip()
    for kind in ("bad", "good"):
        for number, example in enumerate(data.get(kind, []), start=1):
            if example.get("note"):
                yield f"{rule} {kind} {number} note", example["note"].strip()


def extract_rules(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel's extractor interface (babel.cfg): one message per shown text of the file."""
    text = fileobj.read().decode("utf-8")
    lines = text.splitlines()

    def line_of(value: str) -> int:
        first = value.splitlines()[0]
        return next((i + 1 for i, line in enumerate(lines) if first in line), 1)

    for where, value in rule_texts(tomllib.loads(text)):
        yield line_of(value), None, value, [where]


def _messages(path: Path) -> set[tuple[str, ...]]:
    """The msgids of a .pot or .po (with their plural forms)."""
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalogue = read_po(handle)
    return {tuple(m.id) if isinstance(m.id, (list, tuple)) else (m.id,) for m in catalogue if m.id}


def extract(target: Path) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(  # type: ignore[no-untyped-call]
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(REPO / "babel.cfg"),
            "-o",
            str(target),
            "--no-location",
            "--sort-output",
            "--add-comments=TRANSLATORS:",
            "--project=halint",
            "--msgid-bugs-address=",
            "--copyright-holder=halint",
            "--width=100",
            str(REPO),
        ]
    )


def update() -> None:
    from babel.messages.frontend import CommandLineInterface

    for po in sorted(LOCALE.glob("*/LC_MESSAGES/halint.po")):
        CommandLineInterface().run(  # type: ignore[no-untyped-call]
            [
                "pybabel",
                "-q",
                "update",
                "-i",
                str(TEMPLATE),
                "-o",
                str(po),
                "-l",
                po.parent.parent.name,
                "--width=100",
                "--ignore-obsolete",
            ]
        )


def compile_all() -> list[Path]:
    """Every .po to its .mo (translated entries only; a fuzzy one stays English)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/halint.po")):
        with po.open("rb") as handle:
            catalogue = read_po(handle)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalogue)
        written.append(mo)
    return written


def untranslated() -> dict[str, list[str]]:
    """Per language, the msgids that have no translation or only a fuzzy one."""
    from babel.messages.pofile import read_po

    missing: dict[str, list[str]] = {}
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/halint.po")):
        with po.open("rb") as handle:
            catalogue = read_po(handle)
        lang = po.parent.parent.name
        for message in catalogue:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                first = message.id if isinstance(message.id, str) else message.id[0]
                missing.setdefault(lang, []).append(first)
    return missing


def main(argv: list[str]) -> int:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "halint.pot"
        extract(fresh)
        stale = not TEMPLATE.exists() or _messages(fresh) != _messages(TEMPLATE)
        if "--check" in argv:
            print("halint.pot is stale" if stale else "halint.pot is up to date")
            return 1 if stale else 0
        if stale:
            TEMPLATE.write_bytes(fresh.read_bytes())
    update()
    for mo in compile_all():
        print(f"compiled {mo.relative_to(REPO)}")
    missing = untranslated()
    for lang, ids in missing.items():
        print(f"{lang}: {len(ids)} messages to translate (or fuzzy, to review):")
        for msgid in ids:
            print(f"  {msgid.splitlines()[0][:90]}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
