"""Where the grammars and the rule catalogue are: inside the wheel, or at the top of a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the folder `name` ("grammars" or "rules").

    An installed wheel carries them as halint/<name>; an editable install or a source checkout
    has them beside the package, at the top of the repository.
    """
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"halint is installed without its {name}/ folder")
