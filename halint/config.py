"""Project configuration: `.halint.toml`, or `[tool.halint]` in pyproject.toml — the nearest
one upward from the checked path. Validated: a bad key or value is a usage error that names the
file and the key."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from halint.configfile import ConfigError, halint_table, parse_toml, read_config_text
from halint.i18n import _

__all__ = ["Config", "ConfigError", "load_config"]

# A per-path glob is a path pattern: fnmatch's translation of a glob costs the square of its
# length, and no path is longer than this.
MAX_GLOB_LENGTH = 1024


class Config(BaseModel):
    # strict: `offline = "yes"` is a string, not a boolean; `select = "HL1"` is not a list.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=True)

    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    fail_on: Literal["error", "warning", "info"] | None = Field(default=None, alias="fail-on")
    offline: bool | None = None
    severity: dict[str, Literal["error", "warning", "info"]] = Field(default_factory=dict)
    per_path_ignores: dict[str, list[str]] = Field(default_factory=dict, alias="per-path-ignores")
    source: str | None = Field(default=None, exclude=True)

    @field_validator("select", "ignore")
    @classmethod
    def _rules(cls, values: list[str]) -> list[str]:
        return [_rule(v) for v in values]

    @field_validator("severity")
    @classmethod
    def _severity_keys(cls, values: dict[str, str]) -> dict[str, str]:
        return {_rule(k): v for k, v in values.items()}

    @field_validator("per_path_ignores")
    @classmethod
    def _per_path(cls, values: dict[str, list[str]]) -> dict[str, list[str]]:
        for glob in values:
            if len(glob) > MAX_GLOB_LENGTH:
                raise ValueError(
                    _("a glob of {count} characters: at most {limit}").format(
                        count=len(glob), limit=MAX_GLOB_LENGTH
                    )
                )
        return {glob: [_rule(r) for r in rules] for glob, rules in values.items()}


def _rule(value: str) -> str:
    from halint.ruleid import is_rule_pattern, names_a_rule

    rule = value.strip().upper()
    if not is_rule_pattern(rule):
        raise ValueError(
            _("{value} is not a rule ID or prefix (e.g. HL101, HL1)").format(value=repr(value))
        )
    if not names_a_rule(rule):
        raise ValueError(
            _("{value} names no rule (`halint rules` lists them)").format(value=repr(value))
        )
    return rule


def load_config(path: Path) -> Config:
    data = parse_toml(path, read_config_text(path))
    if path.name == "pyproject.toml":
        data = halint_table(path, data) or {}
        where = "[tool.halint]"
    else:
        where = ""
    try:
        config = Config.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = _("unknown key")
        raise ConfigError(f"{path}: {where + ' ' if where else ''}{key}: {message}") from None
    config.source = str(path)
    return config
