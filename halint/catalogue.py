"""The rule catalogue: one TOML file per rule in rules/, read lazily, validated with pydantic."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from halint.models import Severity
from halint.resources import data_dir
from halint.ruleid import RULE_ID
from halint.rulemeta import raw_rule


class ScriptExample(BaseModel):
    """A resource script of an example: its text and mode."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    text: str
    mode: int = 0o755


class Example(BaseModel):
    """A bad or good example: file texts (a missing one takes the catalogue's baseline)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    hacf: str | None = Field(default=None, alias="ha.cf")
    authkeys: str | None = None
    haresources: str | None = None
    missing: list[str] = Field(default_factory=list)
    authkeys_mode: int | None = None
    node: str | None = None
    # resource.d/<name>: its mode, or its text and mode (then halint reads it)
    scripts: dict[str, int | ScriptExample] = Field(default_factory=dict)
    executables: list[str] | None = None  # the host's executables (default: Debian's helpers)
    interfaces: dict[str, list[str]] | None = None  # the host's interfaces and addresses
    users: list[str] | None = None
    char_devices: list[str] | None = None  # the host's character devices (/dev/watchdog)
    host_files: dict[str, str] | None = None  # other files of the host: path -> text
    peer: Example | None = None  # the second node of a cluster example (HL5xx)
    others: dict[str, Example] = Field(default_factory=dict)  # more node folders, by name
    log: str | None = None  # an ha-log excerpt (log signatures, HL7xx)
    note: str | None = None


class LogPattern(BaseModel):
    """One way a log signature shows in ha-log: a regular expression over the message."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    regex: str
    needle: str  # a literal the message must contain (a cheap first test)
    key: list[str] = Field(default_factory=list)  # named groups that tell diagnoses apart
    stat: str | None = None  # a named group whose largest value is kept (an interval in ms)
    min_count: int = 1  # how often it must occur before it is a diagnosis
    # The fix with what the line says: `{name}` is a named group of regex (else the rule's fix).
    fix: str | None = None
    # False: a line that only tells the rule's handler something (the resource a failure that
    # follows is about), never counted by itself
    counted: bool = True


class Reason(BaseModel):
    """For HL701: an error line before "Configuration error, heartbeat not started.", what it
    means and the config rules that find it before the daemon does."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    needle: str
    rules: list[str]
    means: str
    # Where the line names a path, value or node: a regex with named groups, and the fix that
    # uses them (`chmod 600 {path}`).
    regex: str | None = None
    fix: str | None = None
    # Also logged on starts that go on (Heartbeat's built-in apiauth entries on a host without
    # its accounts): the reason only when no other line, not even the generic one, gives one.
    weak: bool = False


class RuleDoc(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: str = Field(pattern=RULE_ID)
    name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    severity: Severity
    blocks_start: bool | Literal["varies"]
    summary: str
    heartbeat: list[str] = Field(default_factory=list)
    rationale: str
    fix: str
    live: bool = False
    bad: list[Example] = Field(min_length=1)
    good: list[Example] = Field(min_length=1)
    # log signatures (HL7xx) only:
    title: str | None = None
    cause: str | None = None
    related: list[str] = Field(default_factory=list)
    patterns: list[LogPattern] = Field(default_factory=list)
    reasons: list[Reason] = Field(default_factory=list)


@cache
def rule_doc(rule_id: str) -> RuleDoc:
    """The rule's documentation, validated (for explain, the docs and the tests)."""
    return RuleDoc.model_validate(raw_rule(rule_id))


def all_rule_ids() -> list[str]:
    return sorted(p.stem for p in data_dir("rules").glob("HL*.toml"))


def all_rules() -> list[RuleDoc]:
    return [rule_doc(rule_id) for rule_id in all_rule_ids()]
