"""``kiosk health``: the operator's summary, read as prometheus-node-exporter reads it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kiosk.system.health import (
    ContentFacts,
    ServiceFacts,
    content_facts,
    git_commit,
    metrics,
    service_facts,
)

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy" / "health"

SYSTEMCTL_SHOW = """ActiveState=active
SubState=running
Result=watchdog
NRestarts=3
ActiveEnterTimestampMonotonic=100000000
"""


def parse(text: str) -> dict[str, tuple[dict[str, str], float]]:
    """Every sample as name -> (labels, value), parsed by the Prometheus client's own parser."""
    return {
        sample.name: (sample.labels, sample.value)
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _fake_systemctl(output: str, code: int = 0):  # type: ignore[no-untyped-def]
    def run(command: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        assert command[:3] == ["systemctl", "show", "kiosk.service"]
        return subprocess.CompletedProcess(command, code, stdout=output, stderr="")

    return run


def test_metrics_say_content_validate_restarts_and_uptime() -> None:
    content = ContentFacts(Path("/srv/kiosk/content"), "a" * 40, "0123456789abcdef", True, 0)
    service = service_facts("kiosk.service", run=_fake_systemctl(SYSTEMCTL_SHOW))
    service = ServiceFacts(service.unit, service.properties, now=160.4)
    samples = parse(metrics(content, service, checked_at=1_800_000_000))
    labels, value = samples["kiosk_content_info"]
    assert labels == {
        "folder": "/srv/kiosk/content",
        "commit": "a" * 40,
        "digest": "0123456789abcdef",
    }
    assert value == 1
    assert samples["kiosk_validate_ok"][1] == 1
    assert samples["kiosk_validate_problems"][1] == 0
    assert samples["kiosk_service_restarts_total"] == ({"unit": "kiosk.service"}, 3)
    assert samples["kiosk_service_uptime_seconds"][1] == 60
    info = samples["kiosk_service_info"][0]
    assert info["result"] == "watchdog" and info["active_state"] == "active"
    assert samples["kiosk_health_checked_timestamp_seconds"][1] == 1_800_000_000


def test_without_systemd_the_service_is_unknown_and_has_no_counts() -> None:
    def missing(command: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        raise FileNotFoundError("systemctl")

    service = service_facts("kiosk.service", run=missing)
    content = ContentFacts(Path("/c"), "", "", False, 4)
    samples = parse(metrics(content, service, checked_at=0))
    assert samples["kiosk_service_info"][1] == 0
    assert samples["kiosk_service_info"][0]["active_state"] == "unknown"
    assert "kiosk_service_restarts_total" not in samples
    assert "kiosk_service_uptime_seconds" not in samples
    assert samples["kiosk_validate_ok"][1] == 0 and samples["kiosk_validate_problems"][1] == 4


def test_a_folder_with_quotes_is_escaped() -> None:
    content = ContentFacts(Path('/srv/a "b"\\c'), "", "", True, 0)
    service = ServiceFacts("kiosk.service", {}, 0)
    assert parse(metrics(content, service, 0))["kiosk_content_info"][0]["folder"] == '/srv/a "b"\\c'


def _git(folder: Path, *args: str) -> str:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Staff",
        "GIT_AUTHOR_EMAIL": "staff@example.org",
        "GIT_COMMITTER_NAME": "Staff",
        "GIT_COMMITTER_EMAIL": "staff@example.org",
    }
    return subprocess.run(
        ["git", "-C", str(folder), *args],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    ).stdout.strip()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_commit_of_a_checkout_behind_a_symbolic_link(tmp_path: Path) -> None:
    """The roll-out's layout: content -> releases/<commit>, a git checkout."""
    release = tmp_path / "releases" / "one"
    shutil.copytree(ROOT / "content", release)
    _git(release, "init", "-q", "-b", "main")
    _git(release, "add", ".")
    _git(release, "commit", "-q", "-m", "content")
    head = _git(release, "rev-parse", "HEAD")
    assert git_commit(release) == head
    _git(release, "pack-refs", "--all")  # what a fresh clone has: no loose ref
    assert not (release / ".git" / "refs" / "heads" / "main").exists()
    assert git_commit(release) == head
    _git(release, "checkout", "-q", "--detach")
    assert git_commit(release) == head

    (tmp_path / "content").symlink_to(release)
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\ncontent_dir = "content"\n', encoding="utf-8")
    facts = content_facts(config)
    assert facts.folder == release and facts.commit == head and facts.valid
    assert len(facts.digest) == 16


def test_not_a_checkout_has_no_commit(tmp_path: Path) -> None:
    assert git_commit(tmp_path) == ""
    (tmp_path / ".git").write_text("gitdir: nowhere\n", encoding="utf-8")
    assert git_commit(tmp_path) == ""


def _kiosk_health(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # No systemctl on PATH: the test must not ask this machine's systemd.
    environment = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=60,
        check=False,
    )


def test_kiosk_health_writes_the_textfile_whole(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\ncontent_dir = "content"\n', encoding="utf-8")
    textfile = tmp_path / "node-exporter" / "kiosk.prom"
    done = _kiosk_health(
        "--config", str(config), "health", "--textfile", str(textfile), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    samples = parse(textfile.read_text(encoding="utf-8"))
    assert samples["kiosk_validate_ok"][1] == 1
    assert oct(textfile.stat().st_mode & 0o777) == "0o644"
    assert [path.name for path in textfile.parent.iterdir()] == ["kiosk.prom"]  # no temporary

    # Staff break a file: the next summary says so, and the command fails (for the timer's unit).
    help_file = tmp_path / "content" / "en" / "help.yaml"
    help_file.write_text("clinic_name: [\n", encoding="utf-8")
    done = _kiosk_health(
        "--config", str(config), "health", "--textfile", str(textfile), cwd=tmp_path
    )
    assert done.returncode == 1
    samples = parse(textfile.read_text(encoding="utf-8"))
    assert samples["kiosk_validate_ok"][1] == 0 and samples["kiosk_validate_problems"][1] >= 1
    assert "Traceback" not in done.stderr


def test_kiosk_health_prints_without_textfile(tmp_path: Path) -> None:
    done = _kiosk_health("--config", str(ROOT / "kiosk.toml"), "health", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert parse(done.stdout)["kiosk_validate_ok"][1] == 1


PULL_UNITS = ROOT / "deploy" / "ansible" / "roles" / "kiosk" / "files"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd is not installed")
def test_health_and_ansible_pull_units_verify() -> None:
    """The oneshot units and their timers: systemd itself reads every line."""
    units = sorted(DEPLOY.glob("kiosk-health.*")) + sorted(PULL_UNITS.glob("kiosk-ansible-pull.*"))
    assert len(units) == 4
    done = subprocess.run(
        ["systemd-analyze", "verify", *map(str, units)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    for line in (done.stdout + done.stderr).splitlines():
        # The complaints of a development machine: the kiosk and ansible are not installed.
        assert any(
            name in line
            for name in ("/opt/kiosk/.venv/bin/kiosk", "kiosk.service", "/usr/bin/ansible-pull")
        ), line
