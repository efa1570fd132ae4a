"""The user's own cache folder for what halint builds once and reuses: the grammar tables and
the compiled regular expressions.

$XDG_CACHE_HOME/halint, else ~/.cache/halint; never under site-packages or a shared temp folder.
HALINT_NO_CACHE=1, or a folder that is not ours, is writable by others, or is not writable by
us, means no cache (None): halint then builds everything afresh and writes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path | None:
    """The cache folder, created if need be, or None when there must be no cache."""
    if os.environ.get("HALINT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "halint"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.stat()
    except OSError:
        return None
    if st.st_uid != os.getuid() or st.st_mode & 0o022 or not os.access(folder, os.W_OK):
        return None
    return folder
