"""The language of halint's messages: gettext catalogues, chosen as gettext chooses them.

`halint --lang zh_CN`, else the first of LANGUAGE (a colon-separated list of preferences),
LC_ALL, LC_MESSAGES and LANG that is set; English when none names a language halint has. The
catalogues are `halint/locale/<lang>/LC_MESSAGES/halint.mo`, compiled from the `.po` files
beside them when the wheel is built (and for an editable install). Rule IDs, paths, positions
and the words Heartbeat itself logs are never translated: they are placeholders of the
translated sentences.

`_` translates now; `N_` only marks a text for extraction (`pybabel extract`), for texts
defined before the language is known (click's help texts), which are translated when shown.

English costs nothing: no catalogue is opened, `_` hands its argument back.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gettext import GNUTranslations

DOMAIN = "halint"
LANGUAGES = ("zh_CN",)  # the catalogues halint has, besides English (its source language)
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
# Locale names that gettext (and glibc's locale.alias) treat as one of our catalogues, beyond
# the catalogue's own name: a language alone, another region writing the same script, the
# BCP 47 spellings (zh-Hans, zh-Hans-CN) that desktops and browsers pass on.
_SAME = {
    "zh": "zh_CN",
    "zh_SG": "zh_CN",
    "zh_MY": "zh_CN",
    "zh_Hans": "zh_CN",
    "zh_Hans_CN": "zh_CN",
    "zh_Hans_SG": "zh_CN",
}
# Written in Traditional characters: not the zh_CN catalogue, although gettext's fallback from
# zh_TW to zh would otherwise find it through "zh".
_TRADITIONAL = {"TW", "HK", "MO", "Hant"}
_ENGLISH = "en"
_chosen: str | None = None  # --lang
_NOT_YET = object()
_current: object = _NOT_YET  # the language in force (None: English), once worked out


class UnknownLanguage(ValueError):
    """--lang names a language halint has no catalogue for."""


def locale_dir() -> str:
    return os.path.join(os.path.dirname(__file__), "locale")


def _code(value: str) -> str:
    """`zh_CN.UTF-8@pinyin` -> `zh_CN`, `zh-hans-cn` -> `zh_Hans_CN`, `C.UTF-8` -> `C`."""
    code = value.strip().split(".")[0].split("@")[0].replace("-", "_")
    parts = [p for p in code.split("_") if p]
    if not parts:
        return ""
    shaped = [parts[0] if parts[0] in ("C", "POSIX") else parts[0].lower()]
    for part in parts[1:]:
        shaped.append(part.title() if len(part) == 4 else part.upper())
    return "_".join(shaped)


def match(value: str) -> str | None:
    """The catalogue a locale name asks for: a code of LANGUAGES, `en` for English (halint's
    own; also C and POSIX), or None when halint has no catalogue for it (zh_TW, fr). As
    gettext does, `zh_CN.UTF-8` is tried as zh_CN, then as zh."""
    code = _code(value)
    if not code:
        return None
    if code in ("C", "POSIX"):
        return _ENGLISH
    language, *rest = code.split("_")
    if language == "zh" and _TRADITIONAL & set(rest):
        return None  # Traditional Chinese has no catalogue yet: English, as gettext
    for candidate in (code, language):
        if candidate in LANGUAGES:
            return candidate
        if candidate in _SAME:
            return _SAME[candidate]
    return _ENGLISH if language == _ENGLISH else None


def _from_environment(environ: tuple[str | None, ...]) -> str | None:
    """gettext's choice: the first variable of ENVIRONMENT that is set; LANGUAGE is a list of
    preferences, tried in order until one names a catalogue (or English, halint's own)."""
    for name, value in zip(ENVIRONMENT, environ, strict=True):
        if not value:
            continue
        for wanted in value.split(":") if name == "LANGUAGE" else [value]:
            found = match(wanted)
            if found is not None:
                return None if found == _ENGLISH else found
        return None
    return None


def set_language(value: str | None) -> None:
    """--lang: choose the language (`en` for English); None: the environment's, read again.
    Raises UnknownLanguage for a language halint has no catalogue for."""
    global _chosen, _current
    if value is not None:
        found = match(value)
        if found is None:
            raise UnknownLanguage(value)
        value = found
    _chosen = value
    _current = _NOT_YET


def language() -> str | None:
    """The language messages are in: a code of LANGUAGES, or None for English. Worked out once
    (set_language() works it out again)."""
    global _current
    if _current is _NOT_YET:
        if _chosen is not None:
            _current = None if _chosen == _ENGLISH else _chosen
        else:
            _current = _from_environment(tuple(os.environ.get(name) for name in ENVIRONMENT))
    return _current  # type: ignore[return-value]


def language_tag() -> str:
    """The language as JSON and SARIF name it (BCP 47): `en-US`, `zh-CN`."""
    return (language() or "en_US").replace("_", "-")


@contextmanager
def using(value: str | None) -> Iterator[None]:
    """Messages in `value` (`en`, `zh_CN`) inside the block: docs/rules.md is English."""
    global _chosen, _current
    before = _chosen
    set_language(value)
    try:
        yield
    finally:
        _chosen, _current = before, _NOT_YET


@cache
def _catalogue(lang: str) -> GNUTranslations | None:
    from gettext import GNUTranslations

    path = os.path.join(locale_dir(), lang, "LC_MESSAGES", f"{DOMAIN}.mo")
    try:
        with open(path, "rb") as handle:
            return GNUTranslations(handle)
    except OSError:  # not compiled (a checkout without `pip install -e`): English
        return None


def _(message: str) -> str:
    """The message in the chosen language (a literal: extraction finds it here)."""
    return translate(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural message for `count`, in the chosen language."""
    lang = language()
    catalogue = None if lang is None else _catalogue(lang)
    if catalogue is None:
        return singular if count == 1 else plural
    return catalogue.ngettext(singular, plural, count)


def N_(message: str) -> str:  # gettext's own name for "mark, do not translate"
    """Mark a text for extraction; it is translated where it is shown."""
    return message


# What the C library says for the errors halint meets reading files (os.strerror, glibc's
# English): shown in the chosen language by os_reason. Another reason stays as the OS said it.
OS_REASONS = (
    N_("No such file or directory"),
    N_("Permission denied"),
    N_("Is a directory"),
    N_("Not a directory"),
    N_("Too many levels of symbolic links"),
    N_("Operation not permitted"),
    N_("Input/output error"),
    N_("File name too long"),
    N_("No such device or address"),
    N_("No space left on device"),
    N_("Broken pipe"),
    N_("Read-only file system"),
)


def os_reason(reason: str) -> str:
    """An OS error's reason (strerror) in the chosen language, where the catalogue has it."""
    return translate(reason) if reason in OS_REASONS else reason


def translate(marked: str) -> str:
    """A text extracted from where it is written (marked with `N_`, or a rule's TOML text),
    in the chosen language. (`_` itself takes only literals, so that extraction sees them.)"""
    lang = language()
    catalogue = None if lang is None else _catalogue(lang)
    return marked if catalogue is None else catalogue.gettext(marked)
