"""From the command line's PATHs to node folders: a node's ha.d, one of its files, a folder
with `ha.d/` inside, or any folder above them, at any depth.

The walk is bounded (folders visited, depth), skips version-control folders and virtual
environments, and survives symlink loops: a folder already walked (same device and inode) is
not walked again. A folder that holds a node's files is a node and is not searched further.
Nothing here reads a file's contents; it only looks at names and file types.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from halint.i18n import N_, _, os_reason, translate

FILE_KINDS = ("ha.cf", "authkeys", "haresources")
SCRIPTS_FOLDER = "resource.d"
MAX_FOLDERS = 100_000
MAX_DEPTH = 48
SKIPPED_FOLDERS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "site-packages",
        SCRIPTS_FOLDER,
    }
)


class InputError(Exception):
    """A path that cannot be checked at all (exit 2, one line, no traceback)."""


class NodeSpot:
    """A node found: its folder, and which of its files the run is about.

    `files` maps a kind to the file read for it when that is not `folder/kind` (a file given
    with --kind, standard input). `selected` is None when the whole node is checked, else the
    kinds whose findings are reported; `scripts` are resource.d scripts given by name; `given`
    is False for a sibling found around a given node; `root` is the given PATH it was found
    under (reads stay inside it). (A plain class: a dataclass costs every run its generated
    code, compiled at import.)
    """

    __slots__ = ("files", "folder", "given", "root", "scripts", "selected")

    def __init__(
        self,
        folder: Path | None,
        files: dict[str, Path] | None = None,
        selected: set[str] | None = None,
        scripts: set[str] | None = None,
        given: bool = True,
        root: Path | None = None,
    ) -> None:
        self.folder = folder
        self.files: dict[str, Path] = files if files is not None else {}
        self.selected = selected
        self.scripts: set[str] = scripts if scripts is not None else set()
        self.given = given
        self.root = root

    def select(self, kind: str) -> None:
        if self.selected is not None:
            self.selected.add(kind)

    @property
    def key(self) -> str:
        return str(self.folder) if self.folder is not None else f"<{next(iter(self.files))}>"


class Discovery:
    __slots__ = ("notes", "spots")

    def __init__(self, spots: list[NodeSpot] | None = None) -> None:
        self.spots: list[NodeSpot] = spots if spots is not None else []
        self.notes: list[str] = []


def checkout_top(folder: Path) -> Path | None:
    """The top of the git checkout `folder` is in (the folder that holds `.git`), or None."""
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


def read_tree(root: Path) -> Path:
    """The tree no file of a checkout may lead out of: its git checkout, where the PATH is in
    one (a folder linked to another part of the same repository is read), else the PATH."""
    return _read_tree(Path(os.path.abspath(root)))


@cache  # (by the absolute path: the same PATH for every node of a fleet)
def _read_tree(absolute: Path) -> Path:
    return checkout_top(absolute) or absolute


def kind_of_file(path: Path) -> str | None:
    name = path.name
    if name in ("authkeys", "haresources"):
        return name
    if name == "ha.cf" or name.endswith(".cf"):
        return "ha.cf"
    return None


def is_node_folder(folder: Path) -> bool:
    return any(os.path.lexists(folder / kind) for kind in FILE_KINDS)


def node_home(folder: Path) -> Path:
    """The folder a node's folder sits in: `shop` for shop/web1, shop/web1/ha.d and
    shop/web1/etc/ha.d (the folder whose children are one cluster's nodes)."""
    root = folder
    if root.name == "ha.d":
        root = root.parent
        if root.name == "etc":
            root = root.parent
    return root.parent


def node_root(folder: Path) -> Path:
    """The folder named after the node: web1 for web1, web1/ha.d and web1/etc/ha.d."""
    return node_home(folder) / _first_part(folder, node_home(folder))


def _first_part(folder: Path, home: Path) -> str:
    try:
        return folder.relative_to(home).parts[0]
    except (ValueError, IndexError):
        return folder.name


def _shown(path: Path) -> Path:
    return Path(os.path.normpath(str(path)))


def _stat_kind(path: Path) -> tuple[str, str | None]:
    from halint.sources import stat_path

    facts = stat_path(path)
    return ("directory" if facts.kind == "directory" else facts.kind), facts.error


_REASONS = {
    "missing": N_("no such file or folder"),
    "dangling-symlink": N_("a symbolic link to nothing"),
    "symlink-loop": N_("a loop of symbolic links"),
    "fifo": N_("a FIFO, not a file or folder"),
}


def _reason(what: str, otherwise: str) -> str:
    return translate(_REASONS[what]) if what in _REASONS else otherwise


def _is_virtualenv(folder: str) -> bool:
    return os.path.exists(os.path.join(folder, "pyvenv.cfg"))


def walk(top: Path, notes: list[str]) -> list[Path]:
    """Every node folder at or under `top`, in sorted order, bounded."""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Path, int]] = [(top, 0)]
    visited = 0
    while stack:
        folder, depth = stack.pop()
        if is_node_folder(folder):
            found.append(_shown(folder))
            continue
        try:
            st = os.stat(folder)
        except OSError:
            continue
        identity = (st.st_dev, st.st_ino)
        if identity in seen:
            continue
        seen.add(identity)
        visited += 1
        if visited > MAX_FOLDERS:
            notes.append(
                _(
                    "{top}: stopped searching after {count} folders; give the folders that hold "
                    "the clusters instead"
                ).format(top=top, count=f"{MAX_FOLDERS:,}")
            )
            break
        if depth >= MAX_DEPTH:
            continue
        try:
            with os.scandir(folder) as entries:
                children = sorted(
                    entry.name
                    for entry in entries
                    if entry.name not in SKIPPED_FOLDERS and _is_folder(entry)
                )
        except OSError:
            continue
        for name in reversed(children):
            child = folder / name
            if not _is_virtualenv(str(child)):
                stack.append((child, depth + 1))
    return sorted(found)


def _listing_error(folder: Path) -> str | None:
    """Why `folder` cannot be listed (mode 000, another user's), or None when it can."""
    try:
        with os.scandir(folder):
            return None
    except OSError as error:
        return os_reason(error.strerror or str(error))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def discover(paths: list[str], kind: str | None = None, context: str | None = None) -> Discovery:
    """The nodes the PATHs name. With `kind`, each PATH (or `-`) is one file of that kind whose
    node's other files are in `context` (none when context is None)."""
    if kind is not None:
        return _discover_kind(paths, kind, context)
    result = Discovery()
    spots: dict[str, NodeSpot] = {}
    for given in paths:
        if given == "-":
            raise InputError(_("-: to read standard input, say which file it is with --kind"))
        path = Path(given)
        what, error = _stat_kind(path)
        if what == "directory":
            top = _shown(path)
            for folder in walk(top, result.notes):
                spot = spots.setdefault(str(folder), NodeSpot(folder=folder, root=top))
                spot.selected = None
            if not any(_under(Path(key), top) for key in spots):
                unlisted = _listing_error(top)
                result.notes.append(
                    f"{given}: " + _("cannot be read ({error})").format(error=unlisted)
                    if unlisted
                    else _(
                        "{path}: no Heartbeat node here (no ha.cf, authkeys or haresources in "
                        "this folder or below)"
                    ).format(path=given)
                )
            continue
        if what == "file":
            _add_file(spots, path, given)
            continue
        reason = _reason(
            what,
            _("cannot be read ({error})").format(error=os_reason(error))
            if error
            else _("not a file"),
        )
        if what == "other":
            reason = _("not a regular file or folder")
        raise InputError(f"{given}: {reason}")
    result.spots = sorted(spots.values(), key=lambda s: s.key)
    if not result.spots:
        raise InputError(
            "; ".join(result.notes) if result.notes else _("no Heartbeat node in the given paths")
        )
    return result


def _under(path: Path, top: Path) -> bool:
    return path == top or top in path.parents


def _add_file(spots: dict[str, NodeSpot], path: Path, given: str) -> None:
    kind = kind_of_file(path)
    if kind is None and path.parent.name == SCRIPTS_FOLDER:
        folder = _shown(path.parent.parent)
        spot = spots.setdefault(str(folder), NodeSpot(folder=folder, selected=set()))
        spot.scripts.add(path.name)
        spot.select("haresources")  # the file that names the script
        return
    if kind is None:
        raise InputError(
            _(
                "{path}: not a Heartbeat file (expected ha.cf, authkeys, haresources or a "
                "resource.d script, or a folder; for a file of another name use --kind)"
            ).format(path=given)
        )
    folder = _shown(path.parent)
    spot = spots.setdefault(str(folder), NodeSpot(folder=folder, selected=set()))
    if path.name != kind:
        spot.files[kind] = _shown(path)
    spot.select(kind)


def _discover_kind(paths: list[str], kind: str, context: str | None) -> Discovery:
    if len(paths) != 1:
        raise InputError(
            _("--kind {kind} checks one file (or -), not {count} paths").format(
                kind=kind, count=len(paths)
            )
        )
    given = paths[0]
    folder: Path | None = None
    if context is not None:
        what, _error = _stat_kind(Path(context))
        if what != "directory":
            raise InputError(f"--context {context}: {_reason(what, _('not a folder'))}")
        folder = _shown(Path(context))
    if given != "-":
        what, error = _stat_kind(Path(given))
        if what == "directory":
            raise InputError(
                _("{path}: a folder; --kind {kind} takes one file").format(path=given, kind=kind)
            )
        if what != "file":
            raise InputError(f"{given}: {_reason(what, error or _('not a regular file'))}")
    spot = NodeSpot(folder=folder, files={kind: Path(given)}, selected={kind})
    return Discovery(spots=[spot])
