"""Compile halint's translations (halint/locale/*/LC_MESSAGES/halint.po) into the .mo files
gettext reads, for the wheel and for an editable install. The .mo files are build artifacts:
not in git, always made from the .po files that are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class TranslationsBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(Path(self.root, "halint", "locale").glob("*/LC_MESSAGES/halint.po")):
            with po.open("rb") as handle:
                catalogue = read_po(handle)
            with po.with_suffix(".mo").open("wb") as handle:
                write_mo(handle, catalogue)
