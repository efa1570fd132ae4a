"""Typed models of a Heartbeat node's configuration. Every value remembers where it came from.

Rules read these models (and the host facts), never tokens or raw text. Key material from
authkeys lives only in `AuthKey.key`, which is excluded from every repr and serialisation.
"""

import os
from typing import Any, Generic, Literal, Self, TypeVar, cast, overload

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning", "info"]
FileKind = Literal[
    "file",
    "directory",
    "fifo",
    "other",
    "missing",
    "dangling-symlink",
    "symlink-loop",
    "unreadable",
    "device",  # a character or block device
    "kernel",  # a file of /proc or /sys: the kernel's, never a configuration
    "outside",  # a symbolic link out of the checked tree (a checkout): not read
]

# Fingerprints of keys are keyed with a secret drawn once per process: two nodes' keys can be
# compared within one run, but a fingerprint in a report cannot be used to guess the key.
_FINGERPRINT_SALT = os.urandom(16)


_REQUIRED = object()
_Plan = tuple[dict[str, Any], tuple[tuple[str, Any], ...], tuple[str, ...]]
_PLANS: dict[type, _Plan] = {}


def _plan(cls: type[BaseModel]) -> _Plan:
    """A model's fields in order with their defaults; those with a default factory; those
    required."""
    template: dict[str, Any] = {}
    factories = []
    required = []
    for name, info in cls.__pydantic_fields__.items():
        template[name] = _REQUIRED
        if info.default_factory is not None:
            factories.append((name, info.default_factory))
        elif type(info.default) in (list, dict):
            # `= []` and `= {}`: a fresh one for each instance, as pydantic copies them when it
            # validates (a default written so, not as `Field(default_factory=...)`, costs half
            # as much when the class is made)
            factories.append((name, type(info.default)))
        elif info.is_required():
            required.append(name)
        else:
            template[name] = info.default
    plan = (template, tuple(factories), tuple(required))
    _PLANS[cls] = plan
    return plan


class FastConstruct(BaseModel):
    """Base of every model: the readers build models from values they have already typed, and
    the schema is only built when something validates or serialises a model (defer_build): a
    pre-commit hook does not pay for building two dozen validators it never uses. (One base,
    not two: each level of bases costs every model class pydantic's walk over it.)

    `model_construct` as the readers need it, in a fraction of pydantic's time: the fields
    in order, the given value or the default, nothing validated (the values are already
    typed). pydantic's own loop looks up aliases for every field of every instance, and a
    large configuration makes hundreds of thousands of spans and words. The models here have
    no aliases, no private attributes and no post-init hook (a test compares the two)."""

    # Deferred like every model here: a class whose schema were built at import would cost a
    # pre-commit run 30 ms of pydantic's validator machinery. No field name starts with
    # `model_`, so pydantic need not test each one for it (protected_namespaces).
    model_config = ConfigDict(extra="forbid", defer_build=True, protected_namespaces=())

    @classmethod
    def model_construct(cls, _fields_set: set[str] | None = None, **values: Any) -> Self:
        template, factories, required = _PLANS.get(cls) or _plan(cls)
        data = template.copy()
        data.update(values)
        for name, factory in factories:
            if name not in values:
                data[name] = factory()
        for name in required:
            if data[name] is _REQUIRED:
                del data[name]
        model = cls.__new__(cls)
        _set = object.__setattr__
        _set(model, "__dict__", data)
        _set(model, "__pydantic_fields_set__", set(values) if _fields_set is None else _fields_set)
        _set(model, "__pydantic_extra__", None)
        _set(model, "__pydantic_private__", None)
        return model


class Span(FastConstruct):
    """A place in a checked file; lines and columns count from 1, ends are inclusive-exclusive."""

    path: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None


class FileFacts(FastConstruct):
    """What the file system and the bytes say about one file."""

    kind: FileKind = "file"
    mode: int | None = None
    uid: int | None = None
    gid: int | None = None
    owner: str | None = None
    group: str | None = None
    size: int | None = None
    is_symlink: bool = False
    error: str | None = None
    has_bom: bool = False
    has_crlf: bool = False
    final_newline: bool = True
    undecodable_bytes: int = 0
    has_nul: bool = False
    truncated: bool = False
    inode: tuple[int, int] | None = None  # (device, inode): the same file under two names


class Word(FastConstruct):
    """One word of a line as Heartbeat splits it."""

    text: str
    span: Span


class Directive(FastConstruct):
    """One ha.cf directive line: its name, its arguments as Heartbeat splits them, its span."""

    name: Word
    args: list[Word] = []
    span: Span
    known: bool = True


class Setting:
    """One value of an ha.cf option as written (`raw`, at `span`) and as Heartbeat reads it:
    each kind of option has its own subclass with a typed `value`."""

    __slots__ = ("directive", "raw", "span")

    def __init__(self, directive: str, raw: str, span: Span) -> None:
        self.directive = directive
        self.raw = raw
        self.span = span

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.directive} {self.raw!r}, line {self.span.line})"


class TimeSetting(Setting):
    """A time option (keepalive, deadtime, ...): `value` in milliseconds."""

    __slots__ = ("value",)

    def __init__(self, directive: str, raw: str, span: Span, value: int) -> None:
        super().__init__(directive, raw, span)
        self.value = value


class IntSetting(Setting):
    """A number option, read with C atoi: `clean` is False when atoi read only part of it
    (`694abc` is 694) or it wrapped around."""

    __slots__ = ("clean", "value")

    def __init__(self, directive: str, raw: str, span: Span, value: int, clean: bool) -> None:
        super().__init__(directive, raw, span)
        self.value = value
        self.clean = clean


class BoolSetting(Setting):
    """A boolean option (true/false, on/off, yes/no, y/n, 1/0)."""

    __slots__ = ("value",)

    def __init__(self, directive: str, raw: str, span: Span, value: bool) -> None:
        super().__init__(directive, raw, span)
        self.value = value


class WordSetting(Setting):
    """A word option: a path, a name, or one of a fixed set (`auto_failback` and `pacemaker`
    normalised to on/off/legacy and true/false/..., case-insensitive choices lower-cased)."""

    __slots__ = ("value",)

    def __init__(self, directive: str, raw: str, span: Span, value: str) -> None:
        super().__init__(directive, raw, span)
        self.value = value


AnySetting = TypeVar("AnySetting", bound=Setting)


class InForce(Generic[AnySetting]):
    """An option of ha.cf read as an attribute of HaCf (`hacf.keepalive`): the value in force,
    i.e. the last one applied (`HaCf.applied`), or None when the file does not set it. One
    dictionary instead of a field per option: a pydantic field costs more to define than the
    whole option costs to read."""

    __slots__ = ("name",)

    def __init__(self, kind: type[AnySetting]) -> None:
        self.name = ""  # set by __set_name__; `kind` is for the type checker

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> Self: ...
    @overload
    def __get__(self, obj: "HaCf", owner: type) -> AnySetting | None: ...
    def __get__(self, obj: "HaCf | None", owner: type) -> "Self | AnySetting | None":
        if obj is None:
            return self
        return cast("AnySetting | None", obj.applied.get(self.name))


# Why a part of ha.cf is not read as written: the reader's fact, for a rule to judge.
UnparsedReason = Literal[
    # the line itself (HL100)
    "nul-byte",  # a NUL byte with text after it: the daemon reads up to it
    "line-too-long",  # longer than the daemon's buffer: the rest is read as another line
    "unreadable-character",  # `word.text`: a character no directive can hold
    "unreadable-token",  # `word.text`: a word the grammar did not expect there
    "unreadable-end",  # the line ends where the grammar expected more
    "unreadable",  # the line does not fit the grammar otherwise
    "file-too-large",  # halint stopped reading the file at `word`'s line
    # a value of an option (HL102); the value is not applied
    "not-a-time",
    "time-overflow",  # C's (long) of the milliseconds overflows to a negative time
    "not-positive",  # zero where Heartbeat needs a time above zero
    "not-a-boolean",
    "not-a-baud-rate",
    "out-of-range",  # `read_as`: what C atoi made of it, when not what is written
    "not-absolute",  # a path that must be absolute
    "not-a-choice",  # not one of the directive's fixed set of values
    # an argument of apiauth (HL102)
    "second-list",  # a second uid= (or gid=) on one line
    "empty-list",  # `uid=` with nothing after it: accepted, authorises nobody
    "not-a-list",  # neither uid=LIST nor gid=LIST
    # past one of Heartbeat's limits (HL107): `read_as` is the count reached
    "too-many-nodes",  # `directive`: node, ping or ping6; the rest of the file is not read
    "too-many-media",  # refused (bcast, serial, ping); the rest of the file is not read
    "medium-never-run",  # the 65th ucast or mcast: stored, never started
    "media-overrun",  # a 66th: the daemon crashes; the rest of the file is not read
]


class Unparsed:
    """A word (or line) of ha.cf that Heartbeat does not read as written, and why."""

    __slots__ = ("directive", "read_as", "reason", "word")

    def __init__(
        self, reason: UnparsedReason, word: Word, directive: str = "", read_as: int | None = None
    ) -> None:
        self.reason: UnparsedReason = reason
        self.word = word  # the word (for a line: where on it), with its span
        self.directive = directive  # "" for the line's own faults
        self.read_as = read_as

    def __repr__(self) -> str:
        return f"Unparsed({self.reason}, {self.directive} {self.word.text!r})"


class Medium(FastConstruct):
    """A heartbeat medium: bcast, mcast, mcast6, ucast, ucast6 or serial."""

    kind: str
    span: Span
    interface: Word | None = None
    target: Word | None = None
    group: Word | None = None
    port: Word | None = None
    ttl: Word | None = None
    loop: Word | None = None
    devices: list[Word] = []
    udpport: int | None = None


class PingGroup(FastConstruct):
    name: Word
    hosts: list[Word] = []
    span: Span


class Respawn(FastConstruct):
    """A `respawn` or `failfast` line: the user, the program, and the rest of its command line."""

    user: Word
    command: Word
    arguments: str = ""
    failfast: bool = False
    span: Span


class ApiAuth(FastConstruct):
    client: Word
    uids: list[Word] = []
    gids: list[Word] = []
    span: Span


class HaCf(FastConstruct):
    """ha.cf: one typed field or list per directive, in the order Heartbeat applies them (an
    option: the value in force, an attribute read from `applied`)."""

    model_config = ConfigDict(
        extra="forbid", defer_build=True, arbitrary_types_allowed=True, ignored_types=(InForce,)
    )

    path: str
    directives: list[Directive] = []
    # every option value applied, in turn
    values: list[Setting] = []
    # the value in force of each option set (its last one), by directive: read as the
    # attributes below
    applied: dict[str, Setting] = {}
    # what is not read as written, and why (the rules judge it)
    unparsed: list[Unparsed] = []
    # lists
    nodes: list[Word] = []
    media: list[Medium] = []
    ping_nodes: list[Word] = []
    ping_groups: list[PingGroup] = []
    respawns: list[Respawn] = []
    apiauths: list[ApiAuth] = []
    env: list[Word] = []
    stonith: list[Directive] = []
    stonith_hosts: list[Directive] = []
    # times (milliseconds)
    keepalive = InForce(TimeSetting)
    deadtime = InForce(TimeSetting)
    deadping = InForce(TimeSetting)
    initdead = InForce(TimeSetting)
    warntime = InForce(TimeSetting)
    conn_logd_time = InForce(TimeSetting)
    # integers
    hopfudge = InForce(IntSetting)
    debug = InForce(IntSetting)
    rtprio = InForce(IntSetting)
    udpport = InForce(IntSetting)
    baud = InForce(IntSetting)
    compression_threshold = InForce(IntSetting)
    max_rexmit_delay = InForce(IntSetting)
    memreserve = InForce(IntSetting)
    # booleans
    realtime = InForce(BoolSetting)
    use_logd = InForce(BoolSetting)
    use_apphbd = InForce(BoolSetting)
    log_badpack = InForce(BoolSetting)
    syslogmsgfmt = InForce(BoolSetting)
    coredumps = InForce(BoolSetting)
    traditional_compression = InForce(BoolSetting)
    crmd_spawns_pengine = InForce(BoolSetting)
    record_config_changes = InForce(BoolSetting)
    record_pengine_inputs = InForce(BoolSetting)
    enable_config_writes = InForce(BoolSetting)
    nice_failback = InForce(BoolSetting)
    # words
    cluster = InForce(WordSetting)
    watchdog = InForce(WordSetting)
    logfacility = InForce(WordSetting)
    logfile = InForce(WordSetting)
    debugfile = InForce(WordSetting)
    auto_failback = InForce(WordSetting)
    hbgenmethod = InForce(WordSetting)
    msgfmt = InForce(WordSetting)
    coreroot = InForce(WordSetting)
    crm_daemon_dir = InForce(WordSetting)
    pacemaker = InForce(WordSetting)
    autojoin = InForce(WordSetting)
    uuidfrom = InForce(WordSetting)
    compression = InForce(WordSetting)
    quorum_server = InForce(WordSetting)

    def setting(self, name: str) -> Setting | None:
        return self.applied.get(name)

    @property
    def crm_enabled(self) -> bool:
        """True when `pacemaker`/`crm` switches haresources processing off."""
        return self.pacemaker is not None and self.pacemaker.value != "false"


class AuthSelector(FastConstruct):
    """An `auth N` line."""

    index: int
    span: Span


class AuthKey(FastConstruct):
    """An `N method [key]` line. The key never leaves this object except as a fingerprint."""

    index: int
    method: Word
    key: str | None = Field(default=None, exclude=True, repr=False)
    key_span: Span | None = None
    trailing: Literal["none", "comment", "words"] = "none"  # what follows the key (ignored)
    span: Span

    @property
    def fingerprint(self) -> str:
        import hashlib
        import hmac

        material = f"{self.method.text}\0{self.key or ''}".encode("utf-8", "surrogateescape")
        return hmac.new(_FINGERPRINT_SALT, material, hashlib.sha256).hexdigest()[:8]


# Why a reader could not take (part of) a line as Heartbeat's syntax has it. authkeys: a NUL
# byte with text after it; a line starting with `a` that is no `auth N`; `Auth`/`AUTH`; a line
# that is no `N method [key]`; a key index outside 0-15. haresources: a NUL byte; a `#` in a
# continued group; blanks or a CR after a continuation backslash; a backslash on the last line;
# a character or a token the grammar cannot take (or the line ending early); an empty `::` part.
MisreadReason = Literal[
    "nul",
    "not-selector",
    "capital-auth",
    "not-key-line",
    "index-out-of-range",
    "comment-in-group",
    "blank-after-backslash",
    "dangling-backslash",
    "bad-character",
    "unexpected-token",
    "unexpected-end",
    "unreadable",
    "empty-part",
]


class Misread:
    """A fact of a reader: where a line (or part of one) is not Heartbeat's syntax, and why.
    `text` is what a message may show (a character, a token, a resource; never key material),
    `value` a number the daemon would print (a key index as C reads it). Rules judge it."""

    __slots__ = ("reason", "span", "text", "value")

    def __init__(self, reason: MisreadReason, span: Span, text: str = "", value: int = 0) -> None:
        self.reason: MisreadReason = reason
        self.span = span
        self.text = text
        self.value = value

    def __repr__(self) -> str:
        return f"Misread({self.reason!r}, line {self.span.line})"


class AuthKeys(FastConstruct):
    """The `auth N` lines and the key lines as Heartbeat reads them, the key it selects, and
    the lines it could not take (`misread`)."""

    model_config = ConfigDict(extra="forbid", defer_build=True, arbitrary_types_allowed=True)

    path: str
    selectors: list[AuthSelector] = []
    keys: list[AuthKey] = []
    active: AuthKey | None = None
    misread: list[Misread] = []
    line_count: int = 0


class IpSpec(FastConstruct):
    """The IPaddr/IPaddr2 argument `ip[/netmask[/nic[/broadcast]]]`, split as the wrapper does."""

    address: Word
    netmask: Word | None = None
    interface: Word | None = None
    broadcast: Word | None = None


class Resource(FastConstruct):
    """One haresources resource: the script it runs, its `::` arguments, an IP if it is one."""

    text: str
    agent: str
    args: list[Word] = []
    shorthand: bool = False
    ip: IpSpec | None = None
    span: Span


class ResourceGroup(FastConstruct):
    owner: Word
    resources: list[Resource] = []
    span: Span


class HaResources(FastConstruct):
    """Resource groups as ResourceManager reads them, and the owners Heartbeat's own start-up
    check reads (the first word of each physical line, continuation lines skipped)."""

    model_config = ConfigDict(extra="forbid", defer_build=True, arbitrary_types_allowed=True)

    path: str
    groups: list[ResourceGroup] = []
    startup_owners: list[Word] = []
    misread: list[Misread] = []
    line_count: int = 0


class NodeFile(FastConstruct):
    """One of the three files of a node, as found (or not) on disk."""

    kind: str
    path: str
    facts: FileFacts
    selected: bool = True


class ScriptText(FastConstruct):
    """Something a resource script prints: literal text, on which stream."""

    text: str  # unknown parts (a variable, a command's output) are "\x00"
    stream: Literal["stdout", "stderr", "null"] = "stdout"
    span: Span


class ScriptPath(FastConstruct):
    """One way through a script for one action: what it prints and how it ends."""

    printed: list[ScriptText] = []
    unknown_output: bool = False  # a command whose output halint cannot know writes to stdout
    exit_code: int | None = None  # an explicit `exit N`; None: the status of `last_command`
    explicit_exit: bool = False
    last_command: str | None = None  # the command whose status ends the path, as written
    end: Span | None = None  # the exit statement or the last command
    guards: list[str] = []  # conditions on the way, as written


class ActionBranch(FastConstruct):
    """How the script handles one action ResourceManager passes (start, stop or status)."""

    action: str
    pattern: str | None = None  # the case pattern or comparison that takes it ("*" catch-all)
    span: Span | None = None  # where that branch is
    paths: list[ScriptPath] = []
    complete: bool = True  # False when there were too many ways through to follow them all


class Dispatch(FastConstruct):
    """The `case` (or `if` chain) that picks the action: which positional parameter it reads."""

    kind: Literal["case", "if", "call"]  # `case "$1"`, `if [ "$1" = start ]`, `"$1"` (a call)
    word: str  # as written: "$1", "$ACTION"
    parameter: int | None = None  # 1-based position; None: it adapts (`$#`, the last argument)
    adaptive: bool = False
    span: Span


class ScriptSecret(FastConstruct):
    """A password or token written into the script (the value itself is never kept)."""

    name: str
    span: Span


class ResourceScript(FastConstruct):
    """What halint read from a resource script (never run, never sourced)."""

    name: str
    path: str
    facts: FileFacts
    readable: bool = True
    why_unreadable: str | None = None
    shebang: str | None = None  # the first line, when it starts with `#!`
    dispatch: Dispatch | None = None
    branches: dict[str, ActionBranch] = {}  # start, stop, status
    catch_all: bool = False  # a `*)` branch
    secrets: list[ScriptSecret] = []
    services: list[Word] = []  # services it manages (systemctl)
    calls: list[Word] = []  # every command it runs, as written
    sourced: list[Word] = []  # files it sources (`.`, `source`)


class Node(FastConstruct):
    """One host's ha.d: its three files, their file facts, and the scripts in resource.d."""

    directory: str
    name: str | None = None
    files: dict[str, NodeFile] = {}
    hacf: HaCf | None = None
    authkeys: AuthKeys | None = None
    haresources: HaResources | None = None
    resource_scripts: dict[str, FileFacts] = {}
    scripts: dict[str, ResourceScript] = {}  # the ones read
