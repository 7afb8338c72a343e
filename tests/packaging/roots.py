"""Throw-away Debian 12 roots for the packaging and roll-out tests (``make test-deb``,
``make test-ansible``).

A root is made once by mmdebstrap (``--variant=apt``: a fresh minimal Debian 12 with apt) and
kept as a tarball in ``$KIOSK_TEST_CACHE`` (default ``~/.cache/kiosk-tests``, outside the
clone), named by a digest of everything that goes into it: suite, variant, mirror and extra
packages. Each test unpacks its own copy (a few seconds) and throws it away. Downloaded
packages are kept in the cache too (``apt-archives/``), bind-mounted as the root's apt cache,
so a warm run downloads nothing twice.

Commands run in the root through ``chroot`` inside a private mount namespace
(``unshare --mount``) with ``/proc`` and ``/dev`` mounted there: when the command ends, so do
the mounts, even if a test dies half-way. Nothing is started in the root: there is no init,
and Debian's ``policy-rc.d`` convention is set to refuse every service start as well.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import tarfile
from pathlib import Path

SUITE = "bookworm"
MIRROR = "http://deb.debian.org/debian"
VARIANT = "apt"


def cache_folder() -> Path:
    folder = Path(os.environ.get("KIOSK_TEST_CACHE") or Path.home() / ".cache" / "kiosk-tests")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def root_tarball(packages: tuple[str, ...] = ()) -> Path:
    """The cached tarball of a fresh Debian 12 root with ``packages`` added; made if missing."""
    key = "\n".join([SUITE, VARIANT, MIRROR, *sorted(packages)])
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    tarball = cache_folder() / f"{SUITE}-{VARIANT}-{digest}.tar"
    if tarball.exists():
        return tarball
    partial = tarball.with_suffix(".tar.partial")
    command = ["mmdebstrap", f"--variant={VARIANT}", "--format=tar", "--quiet"]
    if packages:
        command.append("--include=" + ",".join(sorted(packages)))
    command += [SUITE, str(partial), MIRROR]
    subprocess.run(command, check=True, timeout=1800)
    partial.rename(tarball)
    return tarball


class Root:
    """One unpacked root under ``path``; :meth:`run` runs a shell command inside it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def fresh(cls, where: Path, packages: tuple[str, ...] = ()) -> Root:
        path = where / "root"
        path.mkdir()
        with tarfile.open(root_tarball(packages)) as archive:
            archive.extractall(path, filter="fully_trusted")
        root = cls(path)
        shutil.copy("/etc/resolv.conf", path / "etc" / "resolv.conf")
        # No service may start in the root, whatever a package's scripts try (invoke-rc.d).
        policy = path / "usr" / "sbin" / "policy-rc.d"
        policy.write_text("#!/bin/sh\nexit 101\n", encoding="utf-8")
        policy.chmod(0o755)
        return root

    def run(
        self, command: str, *, check: bool = True, timeout: float = 900
    ) -> subprocess.CompletedProcess[str]:
        """``command`` (a shell line) as root inside the root; its output as text."""
        archives = cache_folder() / "apt-archives"
        (archives / "partial").mkdir(parents=True, exist_ok=True)
        inner = f"chroot {shlex.quote(str(self.path))} /bin/sh -c {shlex.quote(command)}"
        return self._in_namespace(inner, archives, check=check, timeout=timeout)

    def host(
        self, command: str, *, check: bool = True, timeout: float = 1800
    ) -> subprocess.CompletedProcess[str]:
        """A command on this computer (``ansible-playbook``…) that sees the root with its
        /proc and /dev mounted, in the same kind of private mount namespace."""
        archives = cache_folder() / "apt-archives"
        (archives / "partial").mkdir(parents=True, exist_ok=True)
        return self._in_namespace(command, archives, check=check, timeout=timeout)

    def _in_namespace(
        self, inner: str, archives: Path, *, check: bool, timeout: float
    ) -> subprocess.CompletedProcess[str]:
        path = shlex.quote(str(self.path))
        script = "\n".join(
            [
                "set -e",
                "mount --make-rprivate /",
                f"mount -t proc proc {path}/proc",
                f"mount --rbind /dev {path}/dev",
                f"mount --bind {shlex.quote(str(archives))} {path}/var/cache/apt/archives",
                inner,
            ]
        )
        done = subprocess.run(
            ["unshare", "--mount", "--fork", "/bin/sh", "-c", script],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive", "LC_ALL": "C.UTF-8"},
        )
        if check and done.returncode != 0:
            raise AssertionError(
                f"failed ({done.returncode}): {inner}\n--- stdout\n{done.stdout[-4000:]}"
                f"\n--- stderr\n{done.stderr[-4000:]}"
            )
        return done

    def file(self, path: str) -> Path:
        return self.path / path.lstrip("/")

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
