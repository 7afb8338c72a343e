"""The checked content, saved beside it so that the kiosk can start without reading YAML.

Reading and checking the content files is about 15 ms of every start of the kiosk (importing
PyYAML alone is 9 ms), on a computer that starts it every morning with the same files. So once
the content has passed every check, it is saved as one msgpack file, ``.kiosk-cache`` in the
content folder, and a start with unchanged files reads that instead: about 3 ms. It works like
Python's ``.pyc`` files.

"Unchanged" is the cache key: the name, size and CRC-32 of every content file of every
language, the folder, the CRC-32 of the kiosk's own loading code and PyYAML's version (an
upgrade that checks the content differently starts from the files again). The first start
after staff edit a file reads the files, with every check. The saved content carries a CRC-32
of its own, and msgspec checks every value against the content models as it decodes it: a
damaged cache is not used.

Who writes it: ``kiosk validate`` (staff run it after every edit) and ``kiosk run`` after it had
to read the files, when the content folder can be written. On a deployed kiosk it cannot: the
content folder is read-only to the kiosk's service (``ReadOnlyPaths=`` in ``deploy/``), so only
``kiosk validate``, run by staff, writes it there. Saving is best effort: a cache that cannot be
written or read is simply not used, and never stops the kiosk. It holds staff content only,
never anything about a visitor, and is written before any visitor can use the kiosk. Its name
starts with a dot, so it is neither a language folder nor a change to the content
(:mod:`kiosk.content.watcher`).
"""

from __future__ import annotations

import importlib.util
import os
import zlib
from pathlib import Path
from types import MappingProxyType
from typing import Any

import msgspec

from kiosk.content.model import FILES, Content, ContentLibrary, language_dirs, load_library
from kiosk.content.site_layer import site_file

#: Bump when the layout of the cache file changes.
FORMAT = 2
#: In the content folder. A dot name: not a language, not a content change (kiosk.content.watcher).
CACHE_NAME = ".kiosk-cache"
#: The kiosk's code that decides what valid content is: a change to it makes the cache stale.
LOADING_CODE: tuple[Path, ...] = tuple(
    Path(__file__).with_name(name)
    for name in ("model.py", "validation.py", "yamlsource.py", "site_layer.py", "cache.py")
)


class _CacheFile(msgspec.Struct, frozen=True):
    """What the cache file holds: the key it was saved under, and every language, encoded,
    with the CRC-32 of that encoding (checked before it is decoded)."""

    key: str
    checksum: int
    languages: msgspec.Raw
    #: The site layer's default language, if it sets one.
    default_language: str | None = None


def cache_key(folder: Path, site: str = "") -> str:
    """What the content in ``folder`` is made of, cheaply: every file's name, size and CRC-32,
    and the kiosk's loading code. Equal keys: the same content, the same checks.

    Raises ``OSError`` (or ``RuntimeError``, for a symbolic link that points to itself) when
    ``folder`` cannot be read.
    """
    parts = [f"format {FORMAT}", f"msgspec {msgspec.__version__}"]
    for code in LOADING_CODE:
        parts.append(f"{code.name} {zlib.crc32(code.read_bytes()):08x}")
    # PyYAML's version, without importing it (importing it is what the cache saves).
    yaml_spec = importlib.util.find_spec("yaml")
    if yaml_spec is not None and yaml_spec.origin:
        stat = Path(yaml_spec.origin).stat()
        parts.append(f"yaml {stat.st_size} {stat.st_mtime_ns}")
    parts.append(f"folder {folder.resolve()}")
    for language_dir in language_dirs(folder):
        for name in FILES:
            try:
                data = (language_dir / name).read_bytes()
            except OSError:
                parts.append(f"{language_dir.name}/{name} unreadable")
                continue
            parts.append(f"{language_dir.name}/{name} {len(data)} {zlib.crc32(data):08x}")
    if site:
        try:
            data = site_file(folder, site).read_bytes()
            parts.append(f"site {site} {len(data)} {zlib.crc32(data):08x}")
        except OSError:
            parts.append(f"site {site} unreadable")
    return "\n".join(parts)


def read_cached_library(
    folder: Path, key: str | None = None, site: str = ""
) -> ContentLibrary | None:
    """The content of ``folder`` as saved by :func:`save_library`, if its files have not
    changed since (else, or if there is no usable cache, None). ``key``: ``cache_key(folder)``,
    if the caller has it already."""
    try:
        key = cache_key(folder, site) if key is None else key
        saved = msgspec.msgpack.decode((folder / CACHE_NAME).read_bytes(), type=_CacheFile)
        if saved.key != key or zlib.crc32(saved.languages) != saved.checksum:
            return None  # other content, or a damaged file
        languages = msgspec.msgpack.decode(saved.languages, type=dict[str, Content], strict=True)
    except (OSError, RuntimeError, msgspec.DecodeError, msgspec.ValidationError, ValueError):
        # No cache yet, or one that cannot be used (damaged, or from another kiosk version).
        return None
    if not languages:
        return None
    return ContentLibrary(
        folder=folder,
        languages=MappingProxyType(languages),
        site=site,
        default_language=saved.default_language,
    )


def save_library(library: ContentLibrary, key: str) -> bool:
    """Save ``library``, checked and loaded from files whose key was ``key`` (taken before they
    were read), in its folder. Returns whether it was saved: not when the folder cannot be
    written, nor when the files changed while they were read (the cache must never pair a key
    with other content)."""
    if not os.access(library.folder, os.W_OK):
        return False  # a deployed kiosk's read-only folder: not worth reading the files again
    try:
        if cache_key(library.folder, library.site) != key:
            return False
        languages = msgspec.msgpack.encode(dict(library.languages), enc_hook=_plain_mapping)
        data = msgspec.msgpack.encode(
            _CacheFile(
                key=key,
                checksum=zlib.crc32(languages),
                languages=msgspec.Raw(languages),
                default_language=library.default_language,
            )
        )
        _write_beside(library.folder, data)
    except Exception:  # best effort: without a cache, the kiosk reads the files
        # Typically a read-only content folder (a deployed kiosk). Never a reason to stop.
        return False
    return True


def _write_beside(folder: Path, data: bytes) -> None:
    """Write ``data`` as ``folder/.kiosk-cache``: into a new sibling file, renamed over the old
    one, so a crash never leaves half a cache. The sibling is created exclusively and never
    through a symbolic link (``kiosk validate`` may run as root in a folder others can write),
    readable by whoever can read the folder."""
    temporary = folder / f"{CACHE_NAME}.{os.getpid()}.new"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    descriptor = os.open(temporary, flags, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            os.fchmod(file.fileno(), folder.stat().st_mode & 0o444)
            file.write(data)
        temporary.replace(folder / CACHE_NAME)
    finally:
        temporary.unlink(missing_ok=True)


def load_and_cache(
    folder: Path, *, use_cache: bool = False, save: bool = True, site: str = ""
) -> ContentLibrary:
    """Load the content from its files, with every check, and (``save``) save it for the next
    start. With ``use_cache`` (``kiosk run``), take the saved content instead while the files
    are unchanged. Raises :class:`~kiosk.content.model.ContentError`."""
    try:
        key = cache_key(folder, site)
    except (OSError, RuntimeError):
        # No content folder: load_library says so, in plain words.
        return load_library(folder, site)
    cached = read_cached_library(folder, key, site) if use_cache else None
    if cached is not None:
        return cached
    library = load_library(folder, site)
    if save:
        save_library(library, key)
    return library


def _plain_mapping(value: Any) -> Any:
    """The content models hold read-only mappings; msgpack stores them as plain maps."""
    if isinstance(value, MappingProxyType):
        return dict(value)
    raise NotImplementedError(f"cannot save {type(value).__name__}")
