"""Shared fixtures: the corpus in ../shared, and the real daemon's verdicts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"


def shared_dir() -> Path | None:
    candidates = [
        os.environ.get("HALINT_SHARED"),
        REPO.parent / "shared",
        REPO.parent.parent / "shared",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "corpus").is_dir():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    shared = shared_dir()
    if shared is None:
        pytest.skip("the shared corpus (../shared/corpus) is not beside this checkout")
    return shared / "corpus"


@pytest.fixture(autouse=True)
def _no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts in English, whatever the shell's locale (a test asks for another
    language with LANGUAGE/LANG or --lang)."""
    from halint.i18n import ENVIRONMENT, set_language

    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    set_language(None)
