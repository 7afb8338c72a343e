"""Noticing that staff saved a change to the content or to ``kiosk.toml``.

The kiosk polls a cheap fingerprint (name, size and modification time of every file) instead of
using inotify: it works on every file system and the content is a dozen small files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(paths: Iterable[Path]) -> Fingerprint:
    """Name, size and mtime of every file under ``paths`` (folders are walked).

    Hidden files (a dot name, inside a walked folder) are not content: an editor's swap file,
    or the content cache that ``kiosk validate`` saves (kiosk.content_cache).
    """
    entries: list[tuple[str, int, int]] = []
    for path in paths:
        if path.is_dir():
            files = sorted(
                file
                for file in path.rglob("*")
                if not any(part.startswith(".") for part in file.relative_to(path).parts)
            )
        else:
            files = [path]
        for file in files:
            try:
                stat = file.stat()
            except OSError:
                continue  # removed while we looked: the next poll sees the new state
            if file.is_file():
                entries.append((str(file), stat.st_size, stat.st_mtime_ns))
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
