"""HL200–HL209: authkeys as Heartbeat reads it and selects its key. No message ever contains a
key."""

from __future__ import annotations

from collections.abc import Iterator

from halint.checks import Hit, NodeContext, node_check
from halint.checks.misread import misread_hits
from halint.i18n import _
from halint.models import AuthKey, AuthKeys, Misread, Span
from halint.parsing.authkeys import MAX_INDEX, METHODS
from halint.parsing.common import abbreviated
from halint.rulemeta import quoted

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


@node_check("HL200")
def authkeys_syntax(ctx: NodeContext) -> Iterator[Hit]:
    """The lines the reader could not take as `auth N` or `N method [key]`."""
    authkeys = _keys(ctx)
    if authkeys is not None:
        yield from misread_hits(ctx, "authkeys", authkeys, _unreadable)


def _unreadable(misread: Misread) -> Hit:
    if misread.reason == "nul":
        return Hit(
            span=misread.span,
            message=_("a NUL byte: Heartbeat reads the line only up to it and ignores the rest"),
            fix=_("remove the NUL byte and what follows it, or retype the line"),
        )
    if misread.reason == "index-out-of-range":
        return Hit(
            span=misread.span,
            message=_("key index {index} is out of range: Heartbeat takes 0–{most}.").format(
                index=abbreviated(misread.text), most=MAX_INDEX
            )
            + quoted("HL200", "Invalid authnum", misread.value),
            fix=_("number the key from 1 to 15"),
        )
    if misread.reason == "not-selector":
        why = _("a line starting with `a` must be the selector `auth N`")
        said = quoted("HL200", "Invalid auth line")
        fix = _("write `auth 1` (lower case, then the index of the key to use)")
    elif misread.reason == "capital-auth":
        why = _("`auth` must be written in lower case")
        said = quoted("HL200", "Auth line")
        fix = _("write `auth 1`")
    else:
        why = _("a key line is `N method [key]`: an index 0–15, crc/md5/sha1, a key")
        said = quoted("HL200", "Auth line")
        fix = _("write e.g. `1 sha1 <secret>` (and `auth 1` above it)")
    return Hit(
        span=misread.span,
        message=_("this line is neither `auth N` nor `N method [key]`: {why}.").format(why=why)
        + said,
        fix=fix,
    )


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
        message=_(
            "no active `auth N` line (the shipped sample has it commented out): Heartbeat "
            "refuses to start."
        )
        + quoted("HL201", "Missing auth directive", HEARTBEAT_KEYFILE),
        fix=_("add `auth {index}` above the key line `{index} ...`").format(index=example),
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
        why = _(
            "key {index} is defined on line {line}, before the `auth` line: Heartbeat binds the "
            "key only when the `auth` line came first"
        ).format(index=selector.index, line=before[-1].span.line)
        fix = _("move `auth {index}` above line {line}").format(
            index=selector.index, line=before[-1].span.line
        )
    else:
        defined = ", ".join(str(k.index) for k in authkeys.keys) or _("none")
        why = _("no key line `{index} method key` follows it (keys defined: {defined})").format(
            index=selector.index, defined=defined
        )
        fix = (
            _("write `auth {index}`").format(index=authkeys.keys[0].index)
            if authkeys.keys
            else _("add `{index} sha1 <secret>` below it").format(index=selector.index)
        )
    yield Hit(
        span=selector.span,
        message=_("`auth {index}` selects a key that Heartbeat cannot find: {why}.").format(
            index=selector.index, why=why
        )
        + quoted("HL202", "Auth Key [", selector.index, HEARTBEAT_KEYFILE),
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
            message=_(
                "key {index} has no authentication method of Heartbeat 3.0.6 (crc, md5, sha1): "
                "{why}; Heartbeat refuses to start."
            ).format(index=key.index, why=_why_no_method(method))
            + quoted("HL203", "Invalid authtype")
            + _(" (with this word in the brackets: it is not repeated here)"),
            fix=_("write `{index} sha1 <secret>`").format(index=key.index),
        )


def _why_no_method(method: str) -> str:
    """What the word where the method should be is, said without quoting it."""
    if method.lower() in METHODS:
        return _("methods are case-sensitive: write `{method}`").format(method=method.lower())
    known = next((m for m in ("sha1", "md5", "crc") if method.lower().startswith(m)), None)
    if known is not None:
        blank = method[len(known) : len(known) + 1]
        if blank in ("\u3000", "\u00a0"):
            return _(
                "`{method}` is followed by a full-width or non-breaking space, which Heartbeat "
                "does not take for a blank: the method and the key are one word to it"
            ).format(method=known)
        return _(
            "`{method}` is glued to what follows it: the method and the key are one word"
        ).format(method=known)
    return _(
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
                message=_("`{method}` needs a key after it: Heartbeat refuses to start.").format(
                    method=key.method.text
                )
                + quoted("HL204", "Auth method [", key.method.text),
                fix=_(
                    "write `{index} {method} <secret>` (e.g. from `openssl rand -hex 20`)"
                ).format(index=key.index, method=key.method.text),
            )


@node_check("HL205")
def auth_crc(ctx: NodeContext) -> Iterator[Hit]:
    authkeys = _keys(ctx)
    if authkeys is None or authkeys.active is None or authkeys.active.method.text != "crc":
        return
    yield Hit(
        span=authkeys.active.method.span,
        message=_(
            "the active method is crc, a checksum with no secret: anyone on the network can "
            "forge heartbeats and make a node give up or take over the resources"
        ),
        fix=_("write `{index} sha1 <secret>` (the same on every node)").format(
            index=authkeys.active.index
        ),
    )


@node_check("HL206")
def auth_md5(ctx: NodeContext) -> Iterator[Hit]:
    authkeys = _keys(ctx)
    if authkeys is None or authkeys.active is None or authkeys.active.method.text != "md5":
        return
    yield Hit(
        span=authkeys.active.method.span,
        message=_(
            "the active method is md5; sha1 (HMAC-SHA1) is the strongest Heartbeat 3.0.6 offers"
        ),
        fix=_("write `{index} sha1 <secret>` on every node at the same time").format(
            index=authkeys.active.index
        ),
    )


def _weakness(key: AuthKey) -> str | None:
    secret = key.key or ""
    if secret.lower() in KNOWN_KEYS:
        if secret == "(stdin)=":
            return _(
                "the key is the text `(stdin)=`: the key was made with `... | openssl md5`, "
                "whose newer versions print `(stdin)= <hash>`, and the key stops at the blank"
            )
        return _("the key is one published in tutorials and sample files")
    if key.trailing == "words":
        return _(
            "the key is written with blanks: Heartbeat keeps only its first word and "
            "ignores the rest"
        )
    if len(secret) < MIN_KEY_LENGTH:
        return _("the key is only {count} characters long").format(count=len(secret))
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
                message=_("key {index} is weak: {weakness}").format(
                    index=key.index, weakness=weakness
                ),
                fix=_("generate one: `openssl rand -hex 20`, and put the same on every node"),
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
                message=_(
                    "key {index} is defined but `auth {active}` selects key {active}: Heartbeat "
                    "3.0.6 verifies packets with its own selected key whatever index they "
                    "carry, so a spare key does not help a key rotation"
                ).format(index=key.index, active=authkeys.active.index),
                fix=_("delete the unused key line"),
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
            _("authkeys has no trailing comments: the `#` is read as a key")
            if comment
            else _("crc takes no key")
        )
        yield Hit(
            span=key.key_span or key.span,
            message=_(
                "text after `crc`: {why}, and Heartbeat refuses to start (logged only at info "
                "level)."
            ).format(why=why)
            + quoted("HL209", "Auth method [crc]"),
            fix=(
                _("write `{index} crc` alone on its line and put the comment on a line of its own")
                if comment
                else _("write `{index} crc` alone on its line")
            ).format(index=key.index),
        )
