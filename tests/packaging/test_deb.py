"""The Debian package, installed as a clinic's IT would: ``apt install ./iop-kiosk_….deb`` on a
fresh Debian 12, then upgraded, then purged. Run by ``make test-deb`` (slow: minutes), which
builds the package and names it in ``KIOSK_DEB``; skipped otherwise.

Each test unpacks its own throw-away root (``tests/packaging/roots.py``; the root itself is
cached outside the clone) and runs commands in it with chroot. Nothing may start there.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.packaging.roots import Root

DEB = Path(os.environ.get("KIOSK_DEB", ""))
pytestmark = pytest.mark.skipif(
    not os.environ.get("KIOSK_DEB"), reason="run by make test-deb (KIOSK_DEB names the .deb)"
)
KIOSK = "/opt/kiosk/.venv/bin/kiosk --config /opt/kiosk/kiosk.toml"
UNITS = [
    "kiosk.service",
    "kiosk-cage.service",
    "kiosk-serve.service",
    "kiosk-browser.service",
    "kiosk-health.service",
    "kiosk-health.timer",
]


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Root]:
    fresh = Root.fresh(tmp_path)
    try:
        yield fresh
    finally:
        fresh.remove()


def install(root: Root, deb: Path, *options: str) -> subprocess.CompletedProcess[str]:
    target = root.file(f"/tmp/{deb.name}")
    target.write_bytes(deb.read_bytes())
    return root.run(
        "apt-get update -qq && apt-get install -y --no-install-recommends "
        + " ".join(options)
        + f" /tmp/{deb.name}"
    )


def processes_in(root: Root) -> list[str]:
    """Command lines of every process whose root directory is this root."""
    found = []
    for link in Path("/proc").glob("[0-9]*/root"):
        try:
            if os.readlink(link) == str(root.path):
                found.append(
                    (link.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
                )
        except OSError:
            continue
    return found


def repack(deb: Path, folder: Path, version: str) -> Path:
    """The same package as version ``version``, whose shipped help.yaml files changed."""
    tree = folder / "tree"
    subprocess.run(["dpkg-deb", "-R", str(deb), str(tree)], check=True)
    control = tree / "DEBIAN" / "control"
    control.write_text(
        re.sub(r"^Version: .*$", f"Version: {version}", control.read_text(), flags=re.M)
    )
    for language in ("en", "es"):
        help_file = tree / "opt" / "kiosk" / "content" / language / "help.yaml"
        help_file.write_text(help_file.read_text() + "# shipped with " + version + "\n")
    out = folder / f"iop-kiosk_{version}_amd64.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-b", str(tree), str(out)],
        check=True,
        capture_output=True,
    )
    return out


def test_installs_on_a_fresh_debian_12_and_starts_nothing(root: Root) -> None:
    install(root, DEB)
    status = root.run("dpkg-query -W -f '${Status} ${Version}' iop-kiosk").stdout
    assert status.startswith("install ok installed")

    # The service user, as deploy/README.md makes it.
    passwd = root.run("getent passwd kiosk").stdout.strip().split(":")
    assert passwd[5] == "/opt/kiosk" and passwd[6] == "/usr/sbin/nologin"
    assert int(passwd[2]) < 1000  # a system user
    # The PIN hash's file: root and the kiosk group only.
    assert root.run("stat -c '%U:%G %a' /opt/kiosk/kiosk.toml").stdout.strip() == "root:kiosk 640"

    # kiosk validate passes on the packaged settings and content.
    validated = root.run(f"{KIOSK} validate")
    assert validated.stdout.startswith("OK /opt/kiosk/content:"), validated.stdout
    # The kiosk user can read what it needs (it runs the units).
    as_kiosk = root.run(f"setpriv --reuid=kiosk --regid=kiosk --init-groups {KIOSK} validate")
    assert "OK /opt/kiosk/content" in as_kiosk.stdout
    # The kiosk itself starts and draws its welcome screen on a terminal.
    shown = root.run(
        "TERM=xterm-256color COLUMNS=80 LINES=24 timeout -s TERM 8 "
        f"script -qec '{KIOSK} run' /dev/null",
        check=False,
    )
    assert "Welcome to Northpoint Evergreen" in shown.stdout, shown.stdout[-2000:]

    # Units where systemd looks, as deploy/ had them at build time; none enabled.
    for unit in UNITS:
        assert root.file(f"/lib/systemd/system/{unit}").is_file(), unit
    assert (
        root.file("/lib/systemd/system/kiosk.service").read_text()
        == (Path(__file__).resolve().parents[2] / "deploy" / "kiosk.service").read_text()
    )
    wants = list(root.file("/etc/systemd/system").rglob("kiosk*"))
    assert wants == [], wants
    # Nothing was started, and nothing runs in the root now.
    assert processes_in(root) == []


def test_upgrade_keeps_staff_edits_and_purge_removes_them(root: Root, tmp_path: Path) -> None:
    install(root, DEB)
    # Staff change a phone number and the idle time (sed -i: a new file renamed over the old),
    # and set a PIN.
    root.run(
        "sed -i 's/(425) 629-0433/(425) 555-0142/' /opt/kiosk/content/en/help.yaml && "
        "sed -i 's/^idle_seconds = .*/idle_seconds = 90/' /opt/kiosk/kiosk.toml"
    )
    root.run(
        '/opt/kiosk/.venv/bin/python -c "from pathlib import Path; '
        "from kiosk.rules.pin import hash_pin, write_pin_hash; "
        "write_pin_hash(Path('/opt/kiosk/kiosk.toml'), hash_pin('246813'))\""
    )

    newer = repack(DEB, tmp_path, "1.0.0+test1")
    # As apt does it for config management (Ansible's apt module passes the same options).
    install(root, newer, "-o Dpkg::Options::=--force-confdef", "-o Dpkg::Options::=--force-confold")
    assert "1.0.0+test1" in root.run("dpkg-query -W -f '${Version}' iop-kiosk").stdout
    english = root.file("/opt/kiosk/content/en/help.yaml").read_text()
    spanish = root.file("/opt/kiosk/content/es/help.yaml").read_text()
    settings = root.file("/opt/kiosk/kiosk.toml").read_text()
    # Edited by staff: kept (the package's new version beside it as .dpkg-dist).
    assert "(425) 555-0142" in english and "# shipped with" not in english
    assert root.file("/opt/kiosk/content/en/help.yaml.dpkg-dist").exists()
    assert "idle_seconds = 90" in settings and 'pin_hash = "scrypt$' in settings
    # Not edited: the new version.
    assert spanish.endswith("# shipped with 1.0.0+test1\n")
    assert root.run("stat -c '%G %a' /opt/kiosk/kiosk.toml").stdout.strip() == "kiosk 640"
    assert "OK /opt/kiosk/content" in root.run(f"{KIOSK} validate").stdout
    assert processes_in(root) == []

    root.run("apt-get purge -y iop-kiosk")
    assert not root.file("/opt/kiosk/.venv").exists()
    assert not root.file("/opt/kiosk/kiosk.toml").exists()
    assert not root.file("/lib/systemd/system/kiosk.service").exists()
