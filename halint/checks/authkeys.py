"""HL201–HL209: authkeys as Heartbeat selects its key. No message ever contains a key."""

from __future__ import annotations

from collections.abc import Iterator

from halint.checks import Hit, NodeContext, node_check
from halint.models import AuthKey, AuthKeys, Span
from halint.parsing.authkeys import METHODS

HEARTBEAT_KEYFILE = "/etc/ha.d//authkeys"
# Keys printed in tutorials, the sample file and blog posts: public, so no secret at all.
KNOWN_KEYS = {
    "1a2b3c",
    "hi!",
    "hello!",
    "mykey",
    "password",
    "passwd",
    "secret",
    "123456",
    "12345678",
    "abc123",
    "heartbeat",
    "linux-ha",
    "hacluster",
    "changeme",
    "test",
    "key",
    "mysecret",
    "somerandomstring",
    "superstrongpassword",
    "thisisasecretkey",
    "randompassword",
    "pass",
    "passwordishere",
    "(stdin)=",
}
MIN_KEY_LENGTH = 16


def _keys(ctx: NodeContext) -> AuthKeys | None:
    return ctx.node.authkeys


def _first_line(authkeys: AuthKeys) -> Span:
    spans = [s.span for s in authkeys.selectors] + [k.span for k in authkeys.keys]
    if spans:
        return min(spans, key=lambda s: (s.line, s.column))
    return Span.model_construct(path=authkeys.path, line=1, column=1)


def _readable(ctx: NodeContext) -> bool:
    file = ctx.node.files.get("authkeys")
    return file is not None and file.facts.kind == "file"


@node_check("HL201")
def auth_missing(ctx: NodeContext) -> Iterator[Hit]:
    authkeys = _keys(ctx)
    if authkeys is None or not _readable(ctx):
        return
    if authkeys.selectors and authkeys.selectors[-1].index >= 0:
        return  # (an index C reads as negative, e.g. of 5,000 digits, is no `auth` line)
    example = authkeys.keys[0].index if authkeys.keys else 1
    yield Hit(
        span=_first_line(authkeys),
        message="no active `auth N` line (the shipped sample has it commented out): Heartbeat "
        f'refuses to start. Heartbeat: "Missing auth directive in keyfile [{HEARTBEAT_KEYFILE}]"',
        fix=f"add `auth {example}` above the key line `{example} ...`",
    )


@node_check("HL202")
def auth_key_undefined(ctx: NodeContext) -> Iterator[Hit]:
    authkeys = _keys(ctx)
    if authkeys is None or not authkeys.selectors or authkeys.active is not None:
        return
    selector = authkeys.selectors[-1]
    if selector.index < 0:
        return  # Heartbeat: "Missing auth directive" (HL201)
    after = [
        k for k in authkeys.keys if k.index == selector.index and k.span.line > selector.span.line
    ]
    if after:
        return  # the key line is there but broken: HL203/HL204/HL209 say why
    before = [k for k in authkeys.keys if k.index == selector.index]
    if before:
        why = (
            f"key {selector.index} is defined on line {before[-1].span.line}, before the "
            "`auth` line: Heartbeat binds the key only when the `auth` line came first"
        )
        fix = f"move `auth {selector.index}` above line {before[-1].span.line}"
    else:
        defined = ", ".join(str(k.index) for k in authkeys.keys) or "none"
        why = f"no key line `{selector.index} method key` follows it (keys defined: {defined})"
        fix = (
            f"write `auth {authkeys.keys[0].index}`"
            if authkeys.keys
            else f"add `{selector.index} sha1 <secret>` below it"
        )
    yield Hit(
        span=selector.span,
        message=f"`auth {selector.index}` selects a key that Heartbeat cannot find: {why}. "
        f'Heartbeat: "Auth Key [{selector.index}] not found in keyfile [{HEARTBEAT_KEYFILE}]"',
        fix=fix,
    )


@node_check("HL203")
def auth_method_unknown(ctx: NodeContext) -> Iterator[Hit]:
    """The method word is never quoted: when the method is missing, glued to the key or
    separated from it by a blank Heartbeat does not see, that word is the key."""
    authkeys = _keys(ctx)
    if authkeys is None:
        return
    for key in authkeys.keys:
        method = key.method.text
        if method in METHODS:
            continue
        yield Hit(
            span=key.method.span,
            message=f"key {key.index} has no authentication method of Heartbeat 3.0.6 (crc, "
            f"md5, sha1): {_why_no_method(method)}; Heartbeat refuses to start. Heartbeat: "
            '"Invalid authtype [...]" (with this word in the brackets: it is not repeated here)',
            fix=f"write `{key.index} sha1 <secret>`",
        )


def _why_no_method(method: str) -> str:
    """What the word where the method should be is, said without quoting it."""
    if method.lower() in METHODS:
        return f"methods are case-sensitive: write `{method.lower()}`"
    known = next((m for m in ("sha1", "md5", "crc") if method.lower().startswith(m)), None)
    if known is not None:
        blank = method[len(known) : len(known) + 1]
        if blank in ("\u3000", "\u00a0"):
            return (
                f"`{known}` is followed by a full-width or non-breaking space, which Heartbeat "
                "does not take for a blank: the method and the key are one word to it"
            )
        return f"`{known}` is glued to what follows it: the method and the key are one word"
    return (
        "the word after the index is none of them (another tool's method such as sha256, or "
        "a key whose method is missing)"
    )


@node_check("HL204")
def auth_key_missing(ctx: NodeContext) -> Iterator[Hit]:
    authkeys = _keys(ctx)
    if authkeys is None:
        return
    for key in authkeys.keys:
        if key.method.text in ("md5", "sha1") and key.key is None:
            yield Hit(
                span=key.method.span,
                message=f"`{key.method.text}` needs a key after it: Heartbeat refuses to start. "
                f'Heartbeat: "Auth method [{key.method.text}] requires a key"',
                fix=f"write `{key.index} {key.method.text} <secret>` "
                "(e.g. from `openssl rand -hex 20`)",
            )


@node_check("HL205")
def auth_crc(ctx: NodeContext) -> Iterator[Hit]:
    authkeys = _keys(ctx)
    if authkeys is None or authkeys.active is None or authkeys.active.method.text != "crc":
        return
    yield Hit(
        span=authkeys.active.method.span,
        message="the active method is crc, a checksum with no secret: anyone on the network can "
        "forge heartbeats and make a node give up or take over the resources",
        fix=f"write `{authkeys.active.index} sha1 <secret>` (the same on every node)",
    )


@node_check("HL206")
def auth_md5(ctx: NodeContext) -> Iterator[Hit]:
    authkeys = _keys(ctx)
    if authkeys is None or authkeys.active is None or authkeys.active.method.text != "md5":
        return
    yield Hit(
        span=authkeys.active.method.span,
        message="the active method is md5; sha1 (HMAC-SHA1) is the strongest Heartbeat 3.0.6 "
        "offers",
        fix=f"write `{authkeys.active.index} sha1 <secret>` on every node at the same time",
    )


def _weakness(key: AuthKey) -> str | None:
    secret = key.key or ""
    if secret.lower() in KNOWN_KEYS:
        if secret == "(stdin)=":
            return (
                "the key is the text `(stdin)=`: the key was made with `... | openssl md5`, "
                "whose newer versions print `(stdin)= <hash>`, and the key stops at the blank"
            )
        return "the key is one published in tutorials and sample files"
    if key.trailing == "words":
        return (
            "the key is written with blanks: Heartbeat keeps only its first word and "
            "ignores the rest"
        )
    if len(secret) < MIN_KEY_LENGTH:
        return f"the key is only {len(secret)} characters long"
    return None


@node_check("HL207")
def weak_key(ctx: NodeContext) -> Iterator[Hit]:
    authkeys = _keys(ctx)
    if authkeys is None:
        return
    for key in authkeys.keys:
        if key.method.text not in ("md5", "sha1") or key.key is None:
            continue
        weakness = _weakness(key)
        if weakness:
            yield Hit(
                span=key.key_span or key.span,
                message=f"key {key.index} is weak: {weakness}",
                fix="generate one: `openssl rand -hex 20`, and put the same on every node",
            )


@node_check("HL208")
def unused_key(ctx: NodeContext) -> Iterator[Hit]:
    authkeys = _keys(ctx)
    if authkeys is None or authkeys.active is None:
        return
    for key in authkeys.keys:
        if key.index != authkeys.active.index:
            yield Hit(
                span=key.span,
                message=f"key {key.index} is defined but `auth {authkeys.active.index}` selects "
                f"key {authkeys.active.index}: Heartbeat 3.0.6 verifies packets with its own "
                "selected key whatever index they carry, so a spare key does not help a "
                "key rotation",
                fix="delete the unused key line",
            )


@node_check("HL209")
def crc_with_key(ctx: NodeContext) -> Iterator[Hit]:
    authkeys = _keys(ctx)
    if authkeys is None:
        return
    for key in authkeys.keys:
        if key.method.text != "crc" or key.key is None:
            continue
        comment = key.key.startswith("#")
        why = (
            "authkeys has no trailing comments: the `#` is read as a key"
            if comment
            else "crc takes no key"
        )
        yield Hit(
            span=key.key_span or key.span,
            message=f"text after `crc`: {why}, and Heartbeat refuses to start (logged only at "
            'info level). Heartbeat: "Auth method [crc] doesn\'t use a key"',
            fix=f"write `{key.index} crc` alone on its line"
            + (" and put the comment on a line of its own" if comment else ""),
        )
