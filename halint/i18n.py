"""The language of halint's messages: gettext catalogues, chosen as gettext chooses them.

`halint --lang zh_CN`, else the first of LANGUAGE (a colon-separated list), LC_ALL, LC_MESSAGES
and LANG that names a language; English when none does or when halint has no catalogue for
it. The catalogues are `halint/locale/<lang>/LC_MESSAGES/halint.mo`, compiled from the `.po`
files beside them when the wheel is built (and for an editable install). Rule IDs, paths,
positions and the words Heartbeat itself logs are never translated: they are placeholders of
the translated sentences.

`_` translates now; `N_` only marks a text for extraction (`pybabel extract`), for texts
defined before the language is known (click's help texts), which are translated when shown.
"""

from __future__ import annotations

import os
from functools import cache
from gettext import GNUTranslations, NullTranslations

DOMAIN = "halint"
LANGUAGES = ("zh_CN",)  # the catalogues halint has, besides English
_chosen: str | None = None


def locale_dir() -> str:
    return os.path.join(os.path.dirname(__file__), "locale")


def _from_environment() -> str:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            # LANGUAGE may list several (zh_CN:en); the others are one locale (zh_CN.UTF-8).
            return value.split(":")[0] if name == "LANGUAGE" else value
    return ""


def normalise(value: str) -> str | None:
    """`zh_CN.UTF-8`, `zh-cn`, `zh_CN@pinyin`, `zh` -> `zh_CN`; English, C and POSIX -> None."""
    code = value.split(".")[0].split("@")[0].replace("-", "_")
    if not code or code in ("C", "POSIX"):
        return None
    language, _, region = code.partition("_")
    candidates = [f"{language.lower()}_{region.upper()}" if region else language.lower()]
    for known in LANGUAGES:
        if known == candidates[0] or known.split("_")[0] == candidates[0]:
            return known
    return None


def set_language(value: str | None) -> None:
    """--lang: choose the language (None: from the environment again)."""
    global _chosen
    _chosen = value
    _catalogue.cache_clear()


def language() -> str | None:
    """The language messages are in: a code of LANGUAGES, or None for English."""
    return normalise(_chosen if _chosen is not None else _from_environment())


@cache
def _catalogue(lang: str | None) -> NullTranslations:
    if lang is None:
        return NullTranslations()
    path = os.path.join(locale_dir(), lang, "LC_MESSAGES", f"{DOMAIN}.mo")
    try:
        with open(path, "rb") as handle:
            return GNUTranslations(handle)
    except OSError:
        return NullTranslations()


def _(message: str) -> str:
    """The message in the chosen language."""
    return _catalogue(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _catalogue(language()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    return message
