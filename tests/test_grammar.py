"""The ha.cf grammar names exactly the directives halint.directives describes (one list of
Heartbeat's directives: the table says what each means, the grammar must agree word for word)."""

from __future__ import annotations

import re

from halint import directives as D
from tests.conftest import REPO


def grammar_names(terminal: str) -> list[str]:
    text = (REPO / "grammars" / "ha_cf.lark").read_text(encoding="utf-8")
    match = re.search(rf"^{terminal}\.\d+: /\(([^)]*)\)", text, re.M)
    assert match, terminal
    return match.group(1).split("|")


def test_the_grammar_option_directives_are_the_tables() -> None:
    assert sorted(grammar_names("OPTION")) == sorted(D.OPTIONS)


def test_the_grammar_media_and_whole_line_directives_are_the_tables() -> None:
    assert sorted(grammar_names("TOKEN_MEDIUM")) == sorted(D.TOKEN_MEDIA)
    assert sorted(grammar_names("LINE_DIRECTIVE")) == sorted((*D.LINE_MEDIA, *D.WHOLE_LINE))


def test_every_directive_parses_as_its_kind() -> None:
    from halint.grammar import parser

    kinds = {
        **dict.fromkeys(D.OPTIONS, "option"),
        **dict.fromkeys(D.TOKEN_MEDIA, "token_medium"),
        **dict.fromkeys((*D.LINE_MEDIA, *D.WHOLE_LINE), "line_directive"),
    }
    for name, kind in kinds.items():
        tree = parser("ha_cf").parse(f"{name} value")
        (statement,) = [c for c in tree.children if hasattr(c, "data")]
        assert statement.data == kind, name
    tree = parser("ha_cf").parse("keepalives 2")
    assert [c.data for c in tree.children if hasattr(c, "data")] == ["unknown"]
