"""Where the store is, and how its files are read and written safely.

``atomic_write`` replaces a file so that readers and crashes see the old or the new one
(temporary file in the same folder, fsync, rename) with the permissions the umask gives;
``load_yaml`` reads YAML with the safe loader and refuses anchors and aliases as the
composer meets them, so a nest of aliases never expands (the C loader reads text that
cannot hold one). ``store_path`` and ``check_root`` turn ``--store`` into a usable folder
or a one-line usage error.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any, Callable

from ofstl.errors import UsageError
from ofstl.safe_text import escape_controls

DEFAULT_STORE = "~/.local/share/ofstl"
MAX_STORE_FILE = 16 * 1024 * 1024  # bytes; an authority with 100 inspections is under 1 MB


def _refusing_loader() -> Any:
    """A safe loader that refuses anchors and aliases as soon as the composer meets one, so
    nested aliases (a "billion laughs") never expand. Pure Python, so used only on text that
    could hold one (an ``&`` or ``*`` anywhere); the C loader reads the rest."""
    import yaml
    from yaml.events import AliasEvent

    class RefusingLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D102
            event = self.peek_event()
            if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
                raise yaml.composer.ComposerError(None, None, "YAML anchors and aliases (&name, *name) are not allowed in a store file", event.start_mark)
            return super().compose_node(parent, index)

    return RefusingLoader


def yaml_modules() -> tuple[Any, Any, Any]:
    """(yaml module, safe loader, safe dumper), imported on first use (views that find
    every JSON copy fresh never import it). The C loader and dumper are about ten times
    faster and write identical bytes."""
    import yaml

    try:
        return yaml, yaml.CSafeLoader, yaml.CSafeDumper
    except AttributeError:  # pragma: no cover - PyYAML built without libyaml
        return yaml, yaml.SafeLoader, yaml.SafeDumper


def store_path(option: str | None) -> Path:
    """--store, else $OFSTL_STORE, else the per-user default. An empty --store or
    $OFSTL_STORE is a usage error (an unset variable in a script), not the default."""
    if option is not None and not option.strip():
        raise UsageError("--store is empty", "name the store folder, e.g. --store ./store (or leave the option out for the default)")
    variable = os.environ.get("OFSTL_STORE")
    if option is None and variable is not None and not variable.strip():
        # OFSTL_STORE=$STORE with $STORE unset: never the default store in its place
        raise UsageError("$OFSTL_STORE is set but empty", "set it to the store folder, or unset it for the default (~/.local/share/ofstl)")
    chosen = option or variable or DEFAULT_STORE
    return Path(os.path.expanduser(chosen))


def check_root(root: Path, *, create: bool, program: str = "ofstl") -> None:
    """A store folder that is usable: views need one that exists; ingest creates it, but a
    regular file or a folder it cannot write is named as such. ``program``: how the hint's
    command runs ofstl (as it was run: ``.venv/bin/ofstl`` is on no PATH)."""
    shown = escape_controls(str(root))
    if root.exists() and not root.is_dir():
        raise UsageError(f"{shown} is a file, not a store folder", "--store names a folder (ofstl creates it on the first ingest)")
    if not root.exists():
        if not create:
            raise UsageError(f"no store at {shown}", f"add documents first: {program} ingest FOLDER --store {shlex_quote(str(root))}")
        return
    if create and not os.access(root, os.W_OK | os.X_OK):
        raise UsageError(f"{shown}: the store folder is not writable", "choose a folder you can write to with --store, or fix its permissions")


def shlex_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def dump_yaml(data: Any) -> str:
    yaml, _, dumper = yaml_modules()
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def load_yaml(text: str) -> Any:
    """Safe YAML loading (plain data only, never Python objects, no anchors or aliases)."""
    yaml, loader, _ = yaml_modules()
    if "&" in text or "*" in text:
        loader = _refusing_loader()
    return yaml.load(text, Loader=loader)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def share_as_umask(fd: int) -> None:
    """Give a file ``mkstemp`` made (0600) the permissions the umask gives an ordinary file."""
    os.fchmod(fd, 0o666 & ~_umask())


TEMP_SUFFIX = ".tmp"


# what ``atomic_write``'s mkstemp names look like: ``.<name>.<eight of [a-z0-9_]>.tmp``
_TEMP_NAME = re.compile(r"\..+\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX))


def is_temp_name(name: str) -> bool:
    """A writer's temporary file (``.<name>.<random>.tmp``), never a store file; exactly
    mkstemp's pattern, so a person's own ``.notes.tmp`` is not taken for one (and removed)."""
    return _TEMP_NAME.fullmatch(name) is not None


STALE_TEMP = 3600  # seconds: a temporary file this old is no writer's any more

# The temporary files this process is writing, named before they exist: an interrupt (Ctrl-C,
# SIGTERM) that lands between a file's creation and the ``try`` that would remove it (inside
# mkstemp, say) left it in the store; ``remove_pending_temps`` takes such leftovers away.
_PENDING: set[str] = set()
_TEMP_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"


def _new_temp(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path`` (mkstemp's name pattern and mode), registered
    in ``_PENDING`` before it is created."""
    import secrets

    for _ in range(100):
        name = os.path.join(path.parent, f".{path.name}.{''.join(secrets.choice(_TEMP_CHARS) for _ in range(8))}{TEMP_SUFFIX}")
        _PENDING.add(name)
        try:
            return os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600), name
        except FileExistsError:  # another writer's name: never removed by this process
            _PENDING.discard(name)
    raise FileExistsError(f"no free temporary file name beside {path}")


def remove_pending_temps() -> None:
    """Remove the temporary files an interrupted ``atomic_write`` of this process left."""
    while _PENDING:
        try:
            os.unlink(_PENDING.pop())
        except OSError:
            pass


def remove_stale_temps(target: Path, older_than: float = STALE_TEMP) -> None:
    """Remove temporary files a writer of ``target`` left when it was killed (``.<name>.<random>.tmp``
    beside it, as ``atomic_write`` names them) once they are old enough that no running writer
    can still be making them. For files outside the store, whose writers hold no lock."""
    import time

    prefix = f".{target.name}."
    try:
        names = [n for n in os.listdir(target.parent) if n.startswith(prefix) and is_temp_name(n) and len(n) == len(prefix) + 12]
    except OSError:
        return
    for name in names:
        try:
            if os.lstat(target.parent / name).st_mtime < time.time() - older_than:
                os.unlink(target.parent / name)
        except OSError:
            pass


def fsync_folder(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def made_folders(folder: Path, durable: bool) -> None:
    """Make ``folder`` and any missing parents; ``durable``: fsync the folder holding each one
    made, so a power cut cannot lose a new folder's entry (and every file in it)."""
    if folder.is_dir():
        return
    missing = [folder, *[p for p in folder.parents if not p.is_dir()]]
    folder.mkdir(parents=True, exist_ok=True)
    if durable:
        for made in reversed(missing):
            fsync_folder(made.parent)


def is_stream(path: str | Path) -> bool:
    """Whether ``path`` names a device, a named pipe or a socket (``/dev/null``, ``<(...)``):
    such a target is written into, never replaced. Why: the rename of an atomic write put an
    ordinary file in place of ``/dev/null`` (as root), for every program on the machine."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def atomic_write(path: Path, text: str, *, durable: bool = True, mode: int | None = None, tidy: bool = False,
                 before_replace: Callable[[], None] | None = None) -> None:
    """Replace ``path`` with ``text`` so that readers and crashes see the old or the new file.

    ``durable`` also fsyncs the file and its folder (and the folder holding any folder it
    makes), so the new content survives a power cut once this returns (the text cache, which
    can be rebuilt, skips that). ``mode``: the permissions to give the file (a file a person
    made private stays so), else the umask's.
    ``tidy``: remove what a killed earlier writer of this file left (``remove_stale_temps``).
    ``before_replace`` runs last thing before the rename; raising there leaves ``path`` as it is.
    """
    made_folders(path.parent, durable)
    fd, tmp = _new_temp(path)
    try:
        if mode is None:
            share_as_umask(fd)  # a shared store needs the umask
        else:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
        _PENDING.discard(tmp)
        if durable:
            fsync_folder(path.parent)
        if tidy:
            remove_stale_temps(path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        _PENDING.discard(tmp)
        raise
