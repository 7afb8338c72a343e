"""Noticing that staff saved a change to the content or to ``kiosk.toml``.

The kiosk polls a cheap fingerprint (name, permissions, size and modification time of every
file and folder) instead of using inotify: it works on every file system and the content is a
dozen small files.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

Fingerprint = tuple[tuple[str, int, int, int], ...]


def fingerprint(paths: Iterable[Path]) -> Fingerprint:
    """Name, permissions, size and mtime of every file and folder under ``paths``.

    Folders count too: a new language folder is a change even before it has files. So do
    permissions: a file staff make readable (``chmod``) changes nothing else, and a file the
    kiosk could not read a moment ago may be good content now.

    Hidden files (a dot name, inside a walked folder) are not content: an editor's swap file,
    or the content cache that ``kiosk validate`` saves (kiosk.content.cache).
    """
    entries: list[tuple[str, int, int, int]] = []
    for path in paths:
        # Where a symbolic link points: switching it to another folder is a change, even if
        # both folders' files look alike.
        with suppress(OSError):
            entries.append((f"{path} -> {path.resolve(strict=True)}", 0, 0, 0))
        if path.is_dir():
            found = sorted(
                item
                for item in path.rglob("*")
                if not any(part.startswith(".") for part in item.relative_to(path).parts)
            )
            found.insert(0, path)
        else:
            found = [path]
        for item in found:
            try:
                status = item.stat()
            except OSError:
                continue  # removed while we looked: the next poll sees the new state
            # A folder's size and mtime change with its entries, which are listed anyway.
            size = 0 if item.is_dir() else status.st_size
            mtime = 0 if item.is_dir() else status.st_mtime_ns
            entries.append((str(item), status.st_mode, size, mtime))
    return tuple(entries)


@dataclass
class ChangeWatcher:
    """Says whether any watched file changed since the last call of :meth:`changed`."""

    paths: tuple[Path, ...]
    _last: Fingerprint = field(default=(), repr=False)

    def __post_init__(self) -> None:
        self._last = fingerprint(self.paths)

    def changed(self) -> bool:
        """True once for every change (a save, a new file, a removed file)."""
        current = fingerprint(self.paths)
        if current == self._last:
            return False
        self._last = current
        return True
