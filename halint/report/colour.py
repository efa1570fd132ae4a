"""Colour on a terminal: the one place the reports' styles are written."""

from __future__ import annotations

_STYLES = {"error": "31", "warning": "33", "info": "36", "bold": "1", "dim": "2", "fix": "32"}


def paint(text: str, style: str, colour: bool) -> str:
    """`text` in `style` (a severity, "bold", "dim" or "fix") when `colour`, else as it is."""
    return f"\x1b[{_STYLES[style]}m{text}\x1b[0m" if colour else text
