"""The change watcher: what staff do to the content folder that the kiosk must notice."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from kiosk.content.watcher import ChangeWatcher


def test_a_saved_file_is_a_change_once(site: Path) -> None:
    watcher = ChangeWatcher((site / "content", site / "kiosk.toml"))
    assert not watcher.changed()
    help_file = site / "content/en/help.yaml"
    help_file.write_text(help_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert watcher.changed()
    assert not watcher.changed()


def test_permissions_made_readable_are_a_change(site: Path) -> None:
    """A file the kiosk could not read (saved with the wrong permissions) is fixed with chmod,
    which changes neither its size nor its modification time."""
    help_file = site / "content/en/help.yaml"
    help_file.chmod(0o000)
    stat = help_file.stat()
    watcher = ChangeWatcher((site / "content",))
    help_file.chmod(0o644)
    os.utime(help_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert watcher.changed()


def test_a_new_empty_language_folder_is_a_change(site: Path) -> None:
    watcher = ChangeWatcher((site / "content",))
    (site / "content/so").mkdir()
    assert watcher.changed()


def test_hidden_files_are_not_content(site: Path) -> None:
    watcher = ChangeWatcher((site / "content",))
    (site / "content/en/.help.yaml.swp").write_text("editor swap file")
    (site / "content/.kiosk-cache").write_bytes(b"cache")
    assert not watcher.changed()


def _release(site: Path, name: str) -> Path:
    release = site / "releases" / name
    shutil.copytree(site / "content", release)
    return release


def test_a_link_switched_to_another_checkout_is_a_change(site: Path) -> None:
    """The roll-out's atomic swap: ``content`` is a link, pointed at a new checkout by a rename.
    The old checkout stays as it was (kept to roll back to), so only the link changed."""
    old, new = _release(site, "old"), _release(site, "new")
    # The same files, the same times: only where the link points differs.
    for path in new.rglob("*"):
        twin = old / path.relative_to(new)
        os.utime(path, ns=(twin.stat().st_atime_ns, twin.stat().st_mtime_ns))
    link = site / "current"
    link.symlink_to(old)
    watcher = ChangeWatcher((link,))
    assert not watcher.changed()
    (site / "next").symlink_to(new)
    os.replace(site / "next", link)
    assert watcher.changed()
    assert not watcher.changed()
