"""Fixtures of the boot test: one Debian 12 machine for the whole run, with the kiosk installed
on it by the deployment guide's own steps.

Run with ``make test-deploy`` (``pytest -m boot tests/boot``); ``make test`` leaves these tests
out (``-m "not boot"`` in pyproject.toml). Pictures of every screen checked, the serial console
and the build log go to ``$KIOSK_BOOT_ARTIFACTS`` (default ``/tmp/kiosk-boot-test``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.boot import image, vm

ROOT = image.ROOT


def artifacts_dir() -> Path:
    return Path(os.environ.get("KIOSK_BOOT_ARTIFACTS", "/tmp/kiosk-boot-test"))


def project_files() -> list[str]:
    """The project's files as they are in the work tree (committed or not, never ignored ones)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    names = sorted({name.decode() for name in listed if name})
    return [name for name in names if os.path.lexists(ROOT / name)]


def project_tarball(out: Path) -> Path:
    """kiosk.tar.gz, as `git archive` would make it from the work tree: files owned by root."""

    def as_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    with tarfile.open(out, "w:gz") as archive:
        for name in project_files():
            archive.add(ROOT / name, arcname=name, recursive=False, filter=as_root)
    return out


def wheelhouse(log: Path) -> Path:
    """The kiosk's Python packages as wheels, so that the offline guest can `pip install`.

    Kept in the cache, keyed by pyproject.toml: they change only when the dependencies do.
    Built from a copy of the project (pip builds in the source folder).
    """
    key = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    folder = image.cache_root() / f"wheels-{key}"
    if (folder / "done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "kiosk"
        with tarfile.open(project_tarball(Path(scratch) / "kiosk.tar.gz")) as archive:
            archive.extractall(source, filter="tar")
        with log.open("a", encoding="utf-8") as out:
            subprocess.run(
                [sys.executable, "-m", "pip", "wheel", "--quiet", "--wheel-dir", str(folder),
                 str(source), "setuptools", "wheel"],
                stdout=out, stderr=subprocess.STDOUT, check=True,
            )  # fmt: skip
    for kiosk_wheel in folder.glob("iop_kiosk-*.whl"):
        kiosk_wheel.unlink()  # the guest builds the kiosk itself from /opt/kiosk
    for old in folder.parent.glob("wheels-*"):
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)
    (folder / "done").touch()
    return folder


class Timings:
    """How long each part took, printed at the end of the run (and kept in timings.txt)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.started = time.monotonic()

    def note(self, what: str, seconds: float) -> None:
        with self.path.open("a", encoding="utf-8") as out:
            out.write(f"{what}: {seconds:.0f} s\n")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = artifacts_dir()
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "screens").mkdir(parents=True)
    return folder


@pytest.fixture(scope="session")
def timings(artifacts: Path) -> Timings:
    return Timings(artifacts / "timings.txt")


def booted_guest(
    workdir: Path, timings: Timings, payload: Callable[[Path], None]
) -> Iterator[vm.Machine]:
    """A new machine on the base image, its transfer disk filled by ``payload(folder)``,
    booted, with the transfer disk mounted on /mnt/transfer; shut down at the end."""
    reason = vm.qemu_can_run()
    if reason:
        pytest.skip(f"boot test skipped: {reason}")
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "build.log"
    started = time.monotonic()
    base = image.build_image(log)
    timings.note("base image (0 when cached)", time.monotonic() - started)
    started = time.monotonic()
    folder = workdir / "payload"
    folder.mkdir()
    payload(folder)
    transfer = vm.make_transfer_disk(folder, workdir / "transfer.img")
    timings.note(f"transfer disk ({', '.join(sorted(p.name for p in folder.iterdir()))})",
                 time.monotonic() - started)  # fmt: skip
    guest = vm.Machine(base, workdir, transfer)
    try:
        started = time.monotonic()
        guest.start()
        timings.note("first boot", time.monotonic() - started)
        guest.run("mkdir -p /mnt/transfer && mount -o ro /dev/vdb /mnt/transfer")
        yield guest
    finally:
        guest.shutdown()


# Module scope: each test module has its own machine, and one is shut down before the next
# boots (two guests at once would share this machine's two CPUs).
@pytest.fixture(scope="module")
def machine(artifacts: Path, timings: Timings) -> Iterator[vm.Machine]:
    """The booted guest of test_boot.py: the kiosk's wheels and kiosk.tar.gz on its transfer
    disk, for the guide's section 1 (the venv install)."""

    def payload(folder: Path) -> None:
        shutil.copytree(wheelhouse(artifacts / "build.log"), folder / "wheels")
        project_tarball(folder / "kiosk.tar.gz")

    yield from booted_guest(artifacts, timings, payload)


@pytest.fixture(scope="session", autouse=True)
def print_timings(artifacts: Path, timings: Timings) -> Iterator[None]:
    yield
    timings.note("whole run", time.monotonic() - timings.started)
    print((artifacts / "timings.txt").read_text(encoding="utf-8"), file=sys.stderr)
