"""The checked content, saved beside it so that the kiosk can start without reading YAML.

Reading and checking the content files is about 15 ms of every start of the kiosk (importing
PyYAML alone is 9 ms), on a computer that starts it every morning with the same files. So once
the content has passed every check, it is saved as one msgpack file, ``.kiosk-cache`` in the
content folder, and a start with unchanged files reads that instead: about 3 ms, and msgspec
checks every value against the content models again as it decodes them (a damaged file is
refused, never half used). It works like Python's ``.pyc`` files.

"Unchanged" is the cache key: the name, size and CRC-32 of every content file of every
language, the folder, and the size and time of the kiosk's own loading code (an upgrade that
checks the content differently starts from the files again). The first start after staff edit
a file reads the files, with every check.

Who writes it: ``kiosk validate`` (staff run it after every edit) and ``kiosk run`` after it had
to read the files. On a deployed kiosk the content folder is read-only to the kiosk's service
(``ReadOnlyPaths=`` in ``deploy/``), so only ``kiosk validate``, run by staff, writes it there;
the kiosk itself still writes nothing. A cache that cannot be written or read is simply not
used. It holds staff content only, never anything about a visitor. Its name starts with a dot,
so it is neither a language folder nor a change to the content (:mod:`kiosk.reload`).
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from types import MappingProxyType
from typing import Any

import msgspec

from kiosk import content
from kiosk.content import FILES, Content, ContentLibrary, language_dirs, load_library

#: Bump when the layout of the cache file changes.
FORMAT = 1
#: In the content folder. A dot name: not a language, not a content change (kiosk.reload).
CACHE_NAME = ".kiosk-cache"
#: The kiosk's code that decides what valid content is: a change to it makes the cache stale.
_LOADING_CODE = ("content.py", "validation.py", "yamlsource.py", "content_cache.py")


class _CacheFile(msgspec.Struct, frozen=True):
    """What the cache file holds: the key it was saved under, and every language."""

    key: str
    languages: dict[str, Content]


def cache_key(folder: Path) -> str:
    """What the content in ``folder`` is made of, cheaply: every file's name, size and CRC-32,
    and the kiosk's loading code. Equal keys: the same content, the same checks."""
    parts = [f"format {FORMAT}", f"msgspec {msgspec.__version__}"]
    code_dir = Path(content.__file__).parent
    for name in _LOADING_CODE:
        stat = (code_dir / name).stat()
        parts.append(f"{name} {stat.st_size} {stat.st_mtime_ns}")
    parts.append(f"folder {folder.resolve()}")
    for language_dir in language_dirs(folder):
        for name in FILES:
            try:
                data = (language_dir / name).read_bytes()
            except OSError:
                parts.append(f"{language_dir.name}/{name} unreadable")
                continue
            parts.append(f"{language_dir.name}/{name} {len(data)} {zlib.crc32(data):08x}")
    return "\n".join(parts)


def read_cached_library(folder: Path) -> ContentLibrary | None:
    """The content of ``folder`` as saved by :func:`save_library`, if its files have not
    changed since (else, or if there is no usable cache, None)."""
    try:
        key = cache_key(folder)
        saved = msgspec.msgpack.decode(
            (folder / CACHE_NAME).read_bytes(), type=_CacheFile, strict=True
        )
    except (OSError, msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError):
        # No cache yet, or one that cannot be used (damaged, or from another kiosk version).
        return None
    if saved.key != key or not saved.languages:
        return None
    return ContentLibrary(folder=folder, languages=MappingProxyType(saved.languages))


def save_library(library: ContentLibrary, key: str) -> bool:
    """Save ``library``, checked and loaded from files whose key was ``key`` (taken before they
    were read), in its folder. Returns whether it was saved: not when the folder cannot be
    written, nor when the files changed while they were read (the cache must never pair a key
    with other content)."""
    try:
        if cache_key(library.folder) != key:
            return False
        data = msgspec.msgpack.encode(
            _CacheFile(key=key, languages=dict(library.languages)), enc_hook=_plain_mapping
        )
        # A sibling file renamed over the old one: a crash never leaves half a cache.
        temporary = library.folder / f"{CACHE_NAME}.{os.getpid()}.new"
        try:
            temporary.write_bytes(data)
            temporary.replace(library.folder / CACHE_NAME)
        finally:
            temporary.unlink(missing_ok=True)
    except OSError:
        return False  # a read-only content folder (a deployed kiosk): the files are read
    return True


def load_and_cache(folder: Path) -> ContentLibrary:
    """Load the content from its files, with every check, and save it for the next start.
    Raises :class:`~kiosk.content.ContentError`."""
    try:
        key = cache_key(folder)
    except OSError:
        return load_library(folder)  # no content folder: load_library says so, in plain words
    library = load_library(folder)
    save_library(library, key)
    return library


def _plain_mapping(value: Any) -> Any:
    """The content models hold read-only mappings; msgpack stores them as plain maps."""
    if isinstance(value, MappingProxyType):
        return dict(value)
    raise NotImplementedError(f"cannot save {type(value).__name__}")
