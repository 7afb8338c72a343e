"""The content cache (kiosk/content/cache.py): used only while every content file is unchanged,
never half used when damaged, written by `kiosk validate` and `kiosk run`, and never needed.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from kiosk import cli
from kiosk.app import KioskApp
from kiosk.content import cache as content_cache
from kiosk.content.cache import CACHE_NAME, cache_key, load_and_cache, read_cached_library
from kiosk.content.model import ContentError, load_library
from kiosk.content.watcher import ChangeWatcher
from tests.conftest import LANGUAGES, fresh_python


@pytest.fixture
def content(site: Path) -> Path:
    """A copy of the bundled content, with a cache saved for it."""
    folder = site / "content"
    load_and_cache(folder)
    assert (folder / CACHE_NAME).is_file()
    return folder


def test_unchanged_content_comes_back_from_the_cache_as_it_was_loaded(content: Path) -> None:
    cached = read_cached_library(content)
    assert cached is not None
    loaded = load_library(content)
    assert cached.folder == content
    assert list(cached.languages) == list(loaded.languages) == LANGUAGES  # fallback first
    assert dict(cached.languages) == dict(loaded.languages)
    # Still read-only, as the files' content is.
    with pytest.raises(TypeError):
        cached.languages["en"].compare.options[0].values["x"] = None  # type: ignore[index]


@pytest.mark.parametrize(
    "change",
    ["one character, same length", "a new language", "a file removed", "kiosk code updated"],
)
def test_any_change_to_the_content_or_the_kiosk_makes_the_cache_unused(
    content: Path, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if change == "one character, same length":
        learn = content / "en/learn.yaml"
        learn.write_text(learn.read_text().replace("IOP", "IOQ", 1))
    elif change == "a new language":
        shutil.copytree(content / "es", content / "fr")
    elif change == "a file removed":
        (content / "es/help.yaml").unlink()
    else:
        code = content.parent / "loading_code.py"
        code.write_text("CHECKS = 1\n")
        monkeypatch.setattr(content_cache, "LOADING_CODE", (code,))
        load_and_cache(content)
        assert read_cached_library(content) is not None
        code.write_text("CHECKS = 2\n")  # same size: only its bytes differ
    assert read_cached_library(content) is None


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", "truncated"])
def test_a_damaged_cache_is_ignored(content: Path, damage: bytes | str) -> None:
    cache = content / CACHE_NAME
    cache.write_bytes(cache.read_bytes()[:1000] if damage == "truncated" else damage)  # type: ignore[arg-type]
    assert read_cached_library(content) is None
    # The next full load writes a good one again.
    load_and_cache(content)
    assert read_cached_library(content) is not None


def test_a_cache_damaged_where_it_still_decodes_is_not_used(content: Path) -> None:
    """One changed letter in a rule's result id would still decode, and then name a result
    that does not exist: the saved content's own CRC-32 catches it."""
    cache = content / CACHE_NAME
    data = cache.read_bytes()
    assert b"medical_first" in data
    cache.write_bytes(data.replace(b"medical_first", b"xedical_first", 1))
    assert read_cached_library(content) is None


def test_odd_folder_names_never_stop_the_kiosk(content: Path, tmp_path: Path) -> None:
    """A language folder whose name is not UTF-8 text cannot be saved in the cache: the content
    still loads (or is reported), and nothing else is raised."""
    odd = os.fsencode(content) + b"/e\xff"
    shutil.copytree(content / "es", os.fsdecode(odd))
    try:
        load_and_cache(content)
    except ContentError as error:
        assert error.problems
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(ContentError):
        load_and_cache(loop)
    assert read_cached_library(loop) is None


def test_a_cache_for_other_content_is_never_used(content: Path, tmp_path: Path) -> None:
    """A cache copied along with the content to another folder does not match there."""
    other = tmp_path / "elsewhere"
    shutil.copytree(content, other)
    assert (other / CACHE_NAME).is_file()
    assert read_cached_library(other) is None


def test_a_read_only_content_folder_still_loads(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deployed kiosk cannot write its content folder: it reads the files, as without cache.
    (Simulated: the tests may run as root, who can write anywhere.)"""
    (content / CACHE_NAME).unlink()
    real_open = os.open

    def read_only(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    library = load_and_cache(content)
    assert list(library.languages) == LANGUAGES
    assert not list(content.glob(f"{CACHE_NAME}*"))


def test_a_read_only_content_folder_is_read_once(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the folder cannot be written (a deployed kiosk's read-only mount), the kiosk does
    not read the files a second time to check them for a cache it could not save."""
    (content / CACHE_NAME).unlink()
    real_access, real_key = os.access, content_cache.cache_key
    keys_taken: list[Path] = []

    def access(path: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
        if Path(path) == content and mode & os.W_OK:
            return False  # as on a read-only file system
        return real_access(path, mode, *args, **kwargs)

    def counted_key(folder: Path, site: str = "") -> str:
        keys_taken.append(folder)
        return real_key(folder, site)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(content_cache, "cache_key", counted_key)
    library = load_and_cache(content, use_cache=True)
    assert list(library.languages) == LANGUAGES
    assert keys_taken == [content]
    assert not list(content.glob(f"{CACHE_NAME}*"))


def test_validate_saves_the_cache_only_for_content_that_passes(site: Path) -> None:
    config, content = site / "kiosk.toml", site / "content"
    learn = content / "en/learn.yaml"
    good = learn.read_text()
    learn.write_text(good.replace("sections:", "sectionz:", 1))
    assert cli.main(["--config", str(config), "validate"]) == 1
    assert not (content / CACHE_NAME).exists()  # (the site fixture copies no cache)
    learn.write_text(good)
    assert cli.main(["--config", str(config), "validate"]) == 0
    assert read_cached_library(content) is not None


def test_kiosk_run_uses_the_cache_and_saves_one_after_reading_the_files(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "environ", dict(os.environ))  # cli.run clears TEXTUAL_* variables
    started: list[KioskApp] = []
    monkeypatch.setattr(KioskApp, "run", lambda self: started.append(self))
    content = site / "content"
    assert cli.run(site / "kiosk.toml") == 0  # no cache yet: reads the files, saves one
    assert read_cached_library(content) is not None

    def no_reading(folder: Path) -> None:
        raise AssertionError(f"read the YAML files in {folder} again")

    monkeypatch.setattr(content_cache, "load_library", no_reading)
    assert cli.run(site / "kiosk.toml") == 0
    assert [list(app.library.languages) for app in started] == [LANGUAGES] * 2
    assert dict(started[0].library.languages) == dict(started[1].library.languages)


def test_the_watcher_does_not_take_the_cache_for_a_content_change(content: Path) -> None:
    watcher = ChangeWatcher((content,))
    load_and_cache(content)  # the cache file is written again
    (content / ".learn.yaml.swp").write_text("an editor's swap file")
    assert not watcher.changed()
    (content / "en/help.yaml").write_text((content / "en/help.yaml").read_text() + "\n")
    assert watcher.changed()


def test_starting_from_the_cache_reads_no_yaml(content: Path) -> None:
    """The start-up figure depends on it: importing PyYAML alone takes about 9 ms."""
    languages, modules = fresh_python(
        "from pathlib import Path\n"
        "import kiosk.cli, kiosk.app\n"
        "from kiosk.content.cache import read_cached_library\n"
        f"result = sorted(read_cached_library(Path({str(content)!r})).languages)\n"
    )
    assert languages == LANGUAGES
    assert "yaml" not in modules


def test_the_key_names_every_content_file(content: Path) -> None:
    key = cache_key(content)
    for language in ("en", "es"):
        for name in ("ui.yaml", "help.yaml", "learn.yaml", "compare.yaml", "selfcheck.yaml"):
            assert f"{language}/{name} " in key
