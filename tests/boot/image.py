"""The boot test's base machine: built once from Debian's packages, kept outside the clone.

The image holds Debian 12, Debian's kernel and every package ``deploy/README.md`` tells a clinic
to ``apt-get install`` (read from the guide itself, so that a package added there is in the
next image), plus the few packages the test itself needs (:data:`TEST_PACKAGES`). It does not
hold the kiosk: every run installs the commit under test, following the guide.

It lives in ``$KIOSK_BOOT_CACHE`` (default ``~/.cache/kiosk-boot-test``), in a folder named
after a hash of what goes into it: the package list and the build script. A change to either
builds a new one; old ones are removed.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "deploy" / "README.md"
BUILD_SCRIPT = Path(__file__).with_name("build-image.sh")

#: What the test needs in the guest beyond what the guide installs. A clinic's Debian has the
#: first ones already (a standard install); qemu-guest-agent is how the test runs commands in
#: the guest (it is started only when qemu offers its port, which a clinic's machine has not).
TEST_PACKAGES = (
    "linux-image-amd64",
    "systemd-sysv",
    "udev",
    "dbus",
    "libpam-systemd",
    "e2fsprogs",
    "procps",
    "qemu-guest-agent",
)

#: `apt-get install a b c   # comment` in one of the guide's shell blocks.
APT_LINE = re.compile(r"^\s*apt-get install ([^#\n]+)", re.MULTILINE)


def guide_packages(guide: Path = GUIDE) -> list[str]:
    """Every package the deployment guide installs with apt-get, in the order it names them."""
    names: list[str] = []
    for line in APT_LINE.findall(guide.read_text(encoding="utf-8")):
        for word in line.split():
            # Not an option, and not a package file (`./iop-kiosk_*.deb`, section 1b).
            if not word.startswith(("-", ".", "/")) and word not in names:
                names.append(word)
    return names


def packages() -> list[str]:
    """Every package of the image: the test's, then the guide's."""
    return list(dict.fromkeys([*TEST_PACKAGES, *guide_packages()]))


def cache_root() -> Path:
    """Where base images are kept: never inside the clone (they are about 1 GB)."""
    if "KIOSK_BOOT_CACHE" in os.environ:
        return Path(os.environ["KIOSK_BOOT_CACHE"])
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "kiosk-boot-test"


def image_key() -> str:
    """A hash of everything that goes into the image."""
    digest = hashlib.sha256()
    digest.update(BUILD_SCRIPT.read_bytes())
    digest.update("\n".join(packages()).encode())
    return digest.hexdigest()[:16]


def image_dir() -> Path:
    return cache_root() / f"base-{image_key()}"


def build_image(log: Path) -> Path:
    """The base image's folder, built first if it is not in the cache (about 6 minutes).

    The build's output goes to ``log``. Other images in the cache are removed once a new one is
    complete: each is about 1 GB, and only the current one can be used.
    """
    folder = image_dir()
    if (folder / "done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with log.open("a", encoding="utf-8") as out:
        out.write(f"building {folder} from: {' '.join(packages())}\n")
        out.flush()
        subprocess.run(
            ["bash", str(BUILD_SCRIPT), str(folder), *packages()],
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
        )
        out.write(f"built in {time.monotonic() - started:.0f} s\n")
    shutil.copy(log, folder / "build.log")  # how this image was made, kept with it
    for old in folder.parent.glob("base-*"):
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)
    return folder
