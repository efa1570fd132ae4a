"""Where the project's configuration file is, and its TOML read safely (no pydantic here: a run
without a configuration file pays nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from halint.i18n import _

# A .halint.toml is a few lines and a pyproject.toml a few kilobytes.
MAX_CONFIG_BYTES = 1024 * 1024


class ConfigError(Exception):
    """A configuration file that cannot be used (exit 2, one line)."""


def find_config(start: Path) -> Path | None:
    """The nearest .halint.toml, or pyproject.toml with [tool.halint], from `start` upward.
    A pyproject.toml that names halint but is not valid TOML is an error, not skipped: its
    settings would silently not apply."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / ".halint.toml"
        if _is_file(own):
            return own
        pyproject = candidate / "pyproject.toml"
        if _is_file(pyproject):
            text = read_config_text(pyproject)
            if "halint" in text and halint_table(pyproject, parse_toml(pyproject, text)):
                return pyproject  # most never name us: no parser for those
    return None


def _is_file(path: Path) -> bool:
    """A file is there. A folder that may not be looked into (mode 000, another user's home)
    holds no configuration halint could use: the search goes on above it, and the folder
    itself, if it is a checked one, is reported by the check."""
    try:
        return path.is_file()
    except OSError:
        return False


def read_config_text(path: Path) -> str:
    """The text of a configuration file: a regular file, read without blocking and within
    MAX_CONFIG_BYTES, UTF-8 with or without a BOM."""
    from halint.sources import describe, read_bounded

    data, facts = read_bounded(path, MAX_CONFIG_BYTES)
    if data is None:
        raise ConfigError(f"{path}: {describe(facts)}")
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(
            _("{path}: larger than {size} KiB: not a configuration").format(
                path=path, size=MAX_CONFIG_BYTES // 1024
            )
        )
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise ConfigError(
            _("{path}: not UTF-8 text (byte {byte})").format(path=path, byte=error.start + 1)
        ) from None


def parse_toml(path: Path, text: str) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            _("{path}: not valid TOML ({error})").format(path=path, error=error)
        ) from None
    except RecursionError:
        raise ConfigError(
            _("{path}: not valid TOML (nested too deeply)").format(path=path)
        ) from None


def halint_table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """pyproject.toml's [tool.halint], or None when it has none."""
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError(_("{path}: `tool` is not a table").format(path=path))
    table = tool.get("halint")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(_("{path}: [tool.halint]: `halint` is not a table").format(path=path))
    return table
