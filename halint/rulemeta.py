"""The little of the catalogue a check run needs, read without building any validator."""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any

from halint.resources import data_dir


@cache
def raw_rule(rule_id: str) -> dict[str, Any]:
    """rules/<rule_id>.toml as read (the test suite validates every file as a RuleDoc)."""
    with open(data_dir("rules") / f"{rule_id}.toml", "rb") as handle:
        return tomllib.load(handle)


def rule_meta(rule_id: str) -> tuple[str, str, bool | str]:
    """Name, default severity and blocks_start of a rule."""
    raw = raw_rule(rule_id)
    return raw["name"], raw["severity"], raw["blocks_start"]
