"""Where the project's configuration file is (no pydantic here: a run without one pays nothing)."""

from __future__ import annotations

import tomllib
from pathlib import Path


def find_config(start: Path) -> Path | None:
    """The nearest .halint.toml, or pyproject.toml with [tool.halint], from `start` upward."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / ".halint.toml"
        if own.is_file():
            return own
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if "halint" in data.get("tool", {}):
                return pyproject
    return None
