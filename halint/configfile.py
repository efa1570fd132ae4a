"""Where the project's configuration file is (no pydantic here: a run without one pays nothing)."""

from __future__ import annotations

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
                text = pyproject.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if "halint" in text and _has_halint_table(text):  # most never name us: no parser
                return pyproject
    return None


def _has_halint_table(text: str) -> bool:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "halint" in tool
