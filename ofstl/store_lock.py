"""The store's lock: one writer at a time (ingest, ``correct``), and the clean-up of what a
writer that was killed left behind.

The lock is ``flock`` on ``STORE/.lock``: the kernel drops it when its holder dies however it
dies (SIGKILL, power cut), so a lock is never stale and no PID is read or trusted (a PID can
be reused, or belong to another machine sharing the folder). Kept apart from ``ofstl.store``
(the authority files) so each stays short: ``Store`` takes these methods as a mixin and
provides ``root`` and its folders.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from ofstl.errors import StoreError
from ofstl.store_files import is_temp_name


class StoreLock:
    """The lock half of ``ofstl.store.Store``."""

    root: Path
    dir: Path
    cache_dir: Path
    copies_dir: Path
    failed_dir: Path
    written_dir: Path
    lock_fd: int | None

    @contextmanager
    def lock(self, wait: float = 600.0, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Exclusive lock for writers; a second ingest waits (``on_wait`` is told once).

        Once held, temporary files left by a writer that was killed are removed.
        """
        existed = self.root.is_dir()
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fh = open(self.root / ".lock", "a+")
        except OSError as exc:
            # An existing store that cannot be locked is not one that cannot be created.
            doing = f"cannot lock the store ({self.root / '.lock'}: " if existed else "cannot create the store ("
            raise StoreError(f"{self.root}: {doing}{exc.strerror or exc})") from None
        try:
            deadline = time.monotonic() + wait
            told = False
            while True:
                try:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(f"{self.root}: another ofstl ingest has held the store lock for {wait:g} s; try again when it ends") from None
                    if on_wait is not None and not told:
                        on_wait()
                        told = True
                    time.sleep(0.05)
                except OSError as exc:  # ENOLCK, EOPNOTSUPP: a network share with no locks
                    raise StoreError(f"{self.root}: cannot lock the store ({self.root / '.lock'}: {exc.strerror or exc})",
                                     "its file system has no locks (a network share?): use a store on a local disk, "
                                     "or mount the share with locking") from None
            self.lock_fd = fh.fileno()
            self.clean_temp()
            yield
        finally:
            self.lock_fd = None
            fh.close()

    def check_still_locked(self) -> None:
        """StoreError when the store folder this process locked was deleted, moved aside or
        replaced since: writing on would make a store without its lock (another writer could
        start) holding only what this run had read. No check without the lock held."""
        if self.lock_fd is None:
            return
        held = os.fstat(self.lock_fd)
        try:
            now = os.stat(self.root / ".lock")
        except OSError:
            now = None
        if now is None or (now.st_dev, now.st_ino) != (held.st_dev, held.st_ino):
            raise StoreError(f"{self.root}: the store folder was deleted or replaced while ofstl worked on it; ofstl stopped writing to it",
                             "run the command again when the folder is as it should be")

    def _link_target_folders(self) -> list[Path]:
        """The folders in the store holding the target of an authority file that is a link
        (``Store.save`` writes through such a link, so its temporary files are made there)."""
        root = os.path.realpath(self.root).rstrip(os.sep) + os.sep
        folders = set()
        try:
            links = [entry.path for entry in os.scandir(self.dir) if entry.is_symlink()]
        except OSError:
            return []
        for link in links:
            target = os.path.realpath(link)
            if target.startswith(root) and os.path.dirname(target) != os.path.realpath(self.dir):
                folders.add(Path(os.path.dirname(target)))
        return sorted(folders)

    def clean_temp(self) -> int:
        """Remove writers' leftover temporary files (call only while holding the lock)."""
        removed = 0
        for folder in (self.dir, self.cache_dir, self.copies_dir, self.failed_dir, self.written_dir, *self._link_target_folders()):
            try:
                names = os.listdir(folder)
            except OSError:
                continue
            for name in names:
                if is_temp_name(name):
                    try:
                        os.unlink(folder / name)
                        removed += 1
                    except OSError:
                        pass
        return removed
