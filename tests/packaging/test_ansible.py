"""The roll-out (deploy/ansible), run for real: ansible-pull on a throw-away Debian 12 root, as
kiosk-ansible-pull.service runs it on each kiosk (Debian's own ansible-core, local connection).
Run by ``make test-ansible`` (slow: minutes), which builds the package and names it in
``KIOSK_DEB``; skipped otherwise.

In the root: the package, a bare git repository with this playbook (``file:///srv/fleet.git``)
and a content repository (``file:///srv/content.git``) with a good commit, a broken one and a
second good one. A good commit goes live (the link switched); the broken one is refused by
``kiosk validate`` and leaves the link where it was; a repeated run changes nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.packaging.roots import Root

ROOT = Path(__file__).resolve().parents[2]
DEB = Path(os.environ.get("KIOSK_DEB", ""))
pytestmark = pytest.mark.skipif(
    not os.environ.get("KIOSK_DEB"), reason="run by make test-ansible (KIOSK_DEB names the .deb)"
)
#: What a kiosk has before its first roll-out: Debian 12 with systemd, git and ansible-core.
PACKAGES = ("ansible-core", "git", "python3-apt", "systemd-sysv")
LIVE = "/srv/kiosk-content/current"
RELEASES = "/srv/kiosk-content/releases"
HOST = "lobby-riverside"  # the console lobby of the example inventory
KIOSK = ("/opt/kiosk/.venv/bin/kiosk", "--config", "/opt/kiosk/kiosk.toml")


def git(folder: Path, *args: str, gnupg: Path | None = None) -> str:
    environment = {
        **os.environ,
        **({"GNUPGHOME": str(gnupg)} if gnupg else {}),
        "GIT_AUTHOR_NAME": "Head office",
        "GIT_AUTHOR_EMAIL": "content@clinic.example",
        "GIT_COMMITTER_NAME": "Head office",
        "GIT_COMMITTER_EMAIL": "content@clinic.example",
    }
    return subprocess.run(
        ["git", "-C", str(folder), *args],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    ).stdout.strip()


def commit_all(folder: Path, message: str, key: SigningKey | None = None) -> str:
    """Commit everything; signed with ``key`` where one is given."""
    git(folder, "add", "-A")
    if key is None:
        git(folder, "commit", "-q", "-m", message)
    else:
        git(
            folder,
            "-c",
            f"user.signingkey={key.fingerprint}",
            "commit",
            "-q",
            "-S",
            "-m",
            message,
            gnupg=key.home,
        )
    return git(folder, "rev-parse", "HEAD")


class SigningKey:
    """A throw-away OpenPGP key made offline (ed25519, no passphrase) in its own GNUPGHOME."""

    def __init__(self, home: Path, name: str) -> None:
        home.mkdir(mode=0o700, parents=True)
        self.home = home
        gpg = ["gpg", "--batch", "--homedir", str(home)]
        subprocess.run(
            [
                *gpg,
                "--passphrase",
                "",
                "--quick-gen-key",
                f"{name} <{name}@clinic.example>",
                "ed25519",
                "sign",
                "never",
            ],
            check=True,
            capture_output=True,
        )
        listing = subprocess.run(
            [*gpg, "--with-colons", "--list-keys"], check=True, capture_output=True, text=True
        ).stdout
        self.fingerprint = next(
            line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:")
        )
        self.public = subprocess.run(
            [*gpg, "--armor", "--export", self.fingerprint],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


class Fleet:
    """The root and the three content commits."""

    def __init__(self, root: Root, good: str, broken: str, newer: str) -> None:
        self.root, self.good, self.broken, self.newer = root, good, broken, newer

    def pull(
        self,
        version: str,
        signing_keys: str = "",
        host: str = HOST,
        **more: str,
    ) -> subprocess.CompletedProcess[str]:
        """kiosk-ansible-pull.service's command, with this test's repositories and commit, as
        the kiosk ``host`` of the example inventory (``more``: extra variables)."""
        extra = {
            "kiosk_deb": "/srv/iop-kiosk.deb",
            "kiosk_content_repo": "file:///srv/content.git",
            "kiosk_content_version": version,
            "kiosk_pull_repo": "file:///srv/fleet.git",
            "kiosk_content_signing_keys": signing_keys,
            **more,
        }
        self.root.file("/srv/extra-vars.json").write_text(json.dumps(extra), encoding="utf-8")
        extra_args = "-e @/srv/extra-vars.json"
        return self.root.run(
            "HOME=/root ANSIBLE_NOCOLOR=1 ansible-pull --url file:///srv/fleet.git "
            "--checkout main --directory /var/lib/kiosk-ansible-pull/checkout "
            f"--inventory deploy/ansible/inventory/example/hosts.yml --limit {host} "
            f"{extra_args} deploy/ansible/site.yml",
            check=False,
            timeout=1800,
        )

    def live(self) -> str:
        return os.readlink(self.root.file(LIVE))


@pytest.fixture
def fleet(tmp_path: Path) -> Iterator[Fleet]:
    yield from _fleet(tmp_path, key=None)


def _fleet(tmp_path: Path, key: SigningKey | None) -> Iterator[Fleet]:
    """The root with the playbook and content repositories; content commits signed by
    ``key`` where one is given."""
    root = Root.fresh(tmp_path, PACKAGES)
    try:
        shutil.copy(DEB, root.file("/srv/iop-kiosk.deb"))
        # The playbook repository: this project's deploy/ansible, as committed here.
        playbooks = tmp_path / "fleet"
        shutil.copytree(ROOT / "deploy" / "ansible", playbooks / "deploy" / "ansible")
        git(playbooks, "init", "-q", "-b", "main")
        commit_all(playbooks, "roll-out playbook")
        git(tmp_path, "clone", "-q", "--bare", str(playbooks), str(root.file("/srv/fleet.git")))
        # The content repository: good, broken, good again.
        content = tmp_path / "content"
        shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns(".*"))
        git(content, "init", "-q", "-b", "main")
        good = commit_all(content, "content as shipped", key)
        help_file = content / "en" / "help.yaml"
        shipped = help_file.read_text(encoding="utf-8")
        help_file.write_text(shipped.replace('clinic_phone: "', 'clinic_phone: ["'), "utf-8")
        broken = commit_all(content, "a typo", key)
        help_file.write_text(shipped.replace("(425) 629-0433", "(425) 555-0123"), "utf-8")
        newer = commit_all(content, "new clinic number", key)
        git(tmp_path, "clone", "-q", "--bare", str(content), str(root.file("/srv/content.git")))
        yield Fleet(root, good, broken, newer)
    finally:
        root.remove()


def recap(output: str) -> dict[str, int]:
    """The PLAY RECAP counts of the run's one host."""
    line = next(line for line in output.splitlines() if line.startswith(HOST) and "ok=" in line)
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line)}


def test_good_content_goes_live_broken_content_is_refused(fleet: Fleet) -> None:
    root = fleet.root

    # First roll-out: the kiosk installed as deploy/README.md says, the good commit live.
    first = fleet.pull(fleet.good)
    assert first.returncode == 0, first.stdout[-6000:] + first.stderr[-3000:]
    assert "install ok installed" in root.run("dpkg-query -W -f '${Status}' iop-kiosk").stdout
    assert root.run("getent passwd kiosk").stdout.startswith("kiosk:")
    assert fleet.live() == f"{RELEASES}/{fleet.good}"
    settings = root.file("/opt/kiosk/kiosk.toml").read_text()
    assert f'content_dir = "{LIVE}"' in settings
    validated = root.run("/opt/kiosk/.venv/bin/kiosk --config /opt/kiosk/kiosk.toml validate")
    assert validated.stdout.startswith(f"OK {RELEASES}/{fleet.good}:"), validated.stdout
    # Fonts and voices; the console launcher enabled in place of the login on tty1.
    assert root.run("dpkg-query -W -f '${Status}' espeak-ng").stdout.endswith("installed")
    wants = root.file("/etc/systemd/system/multi-user.target.wants")
    assert (wants / "kiosk.service").is_symlink()
    assert not root.file("/etc/systemd/system/getty.target.wants/getty@tty1.service").exists()
    assert not (wants / "kiosk-serve.service").exists()
    timers = root.file("/etc/systemd/system/timers.target.wants")
    assert (timers / "kiosk-ansible-pull.timer").is_symlink()
    assert (timers / "kiosk-health.timer").is_symlink()
    pull_settings = root.file("/etc/default/kiosk-ansible-pull").read_text()
    assert "KIOSK_PULL_REPO=file:///srv/fleet.git" in pull_settings
    # The health summary names the live commit.
    health = root.run(
        "/opt/kiosk/.venv/bin/kiosk --config /opt/kiosk/kiosk.toml health", check=False
    )
    assert f'commit="{fleet.good}"' in health.stdout

    # A broken commit: refused, with staff's file:line message; the link stays.
    broken = fleet.pull(fleet.broken)
    assert broken.returncode != 0
    assert "kiosk validate refused commit" in broken.stdout
    assert f"{RELEASES}/{fleet.broken}/en/help.yaml:" in broken.stdout
    assert fleet.live() == f"{RELEASES}/{fleet.good}"

    # The next good commit goes live.
    newer = fleet.pull(fleet.newer)
    assert newer.returncode == 0, newer.stdout[-6000:]
    assert fleet.live() == f"{RELEASES}/{fleet.newer}"
    help_text = root.run(f"cat {LIVE}/en/help.yaml").stdout  # the link is absolute in the root
    assert "(425) 555-0123" in help_text

    # Run again with nothing new: nothing changes.
    again = fleet.pull(fleet.newer)
    assert again.returncode == 0, again.stdout[-6000:]
    assert recap(again.stdout)["changed"] == 0, again.stdout[-6000:]
    assert fleet.live() == f"{RELEASES}/{fleet.newer}"


#: The example group: each lobby's inventory name, site file and phone number.
LOBBIES = {
    "lobby-northgate": ("northgate", "(206) 555-0134"),
    "lobby-eastpark": ("eastpark", "(425) 555-0172"),
    "lobby-riverside": ("riverside", "(360) 555-0118"),
}


def test_three_lobbies_over_one_content_each_show_their_own_phone(fleet: Fleet) -> None:
    # One content commit for the group; each lobby's host_vars name its site file. The one
    # root plays each lobby in turn (on the console launcher, whatever its inventory says, so
    # that no browser or compositor is installed for this).
    root = fleet.root
    for host, (site, phone) in LOBBIES.items():
        done = fleet.pull(fleet.good, host=host, kiosk_launcher="console")
        assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
        settings = root.file("/opt/kiosk/kiosk.toml").read_text()
        assert f'site = "{site}"' in settings
        validated = root.run(f"{' '.join(KIOSK)} validate")
        assert f"Site '{site}': languages " in validated.stdout, validated.stdout
        others = sorted(set(name for name, _ in LOBBIES.values()) - {site})
        assert f"Also checked with the site files of: {', '.join(others)}" in validated.stdout
        # The kiosk itself, on a terminal: this lobby's number on its help bar.
        shown = root.run(
            "TERM=xterm-256color COLUMNS=100 LINES=30 timeout -s TERM 8 "
            f"script -qec '{' '.join(KIOSK)} run' /dev/null",
            check=False,
        )
        assert phone in shown.stdout, shown.stdout[-2000:]
        assert "(425) 629-0433" not in shown.stdout  # never the shared number


@pytest.fixture
def head_office(tmp_path: Path) -> SigningKey:
    return SigningKey(tmp_path / "gnupg-head-office", "head-office")


@pytest.fixture
def signed_fleet(tmp_path: Path, head_office: SigningKey) -> Iterator[Fleet]:
    yield from _fleet(tmp_path, key=head_office)


def test_with_signing_keys_only_commits_signed_by_them_go_live(
    signed_fleet: Fleet, head_office: SigningKey, tmp_path: Path
) -> None:
    """The pinned commit must also carry a good signature by a key head office named
    (``git verify-commit`` with a keyring of those keys only, offline)."""
    fleet, keys = signed_fleet, head_office.public
    first = fleet.pull(fleet.good, keys)
    assert first.returncode == 0, first.stdout[-6000:]
    assert fleet.live() == f"{RELEASES}/{fleet.good}"

    # A commit that passes kiosk validate but is signed by nobody, or by another key.
    content = tmp_path / "unsigned"
    git(tmp_path, "clone", "-q", str(fleet.root.file("/srv/content.git")), str(content))
    with (content / "en" / "help.yaml").open("a") as file:
        file.write("# an unsigned change\n")
    unsigned = commit_all(content, "not signed")
    stranger = SigningKey(tmp_path / "gnupg-stranger", "stranger")
    with (content / "en" / "help.yaml").open("a") as file:
        file.write("# a change signed by a stranger\n")
    foreign = commit_all(content, "signed by someone else", stranger)
    git(content, "push", "-q", "origin", "HEAD:main")
    for commit in (unsigned, foreign):
        refused = fleet.pull(commit, keys)
        assert refused.returncode != 0
        assert "verify" in refused.stdout.lower() and "signature" in refused.stdout.lower()
        assert fleet.live() == f"{RELEASES}/{fleet.good}"

    # The next signed commit goes live.
    newer = fleet.pull(fleet.newer, keys)
    assert newer.returncode == 0, newer.stdout[-6000:]
    assert fleet.live() == f"{RELEASES}/{fleet.newer}"
