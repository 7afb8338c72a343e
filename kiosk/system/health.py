"""``kiosk health``: how the kiosk is doing, for the host's own tools, without any network.

It prints (or writes, for prometheus-node-exporter's textfile collector) a few lines in the
Prometheus text format:

* the content the kiosk runs on: the folder named in ``kiosk.toml`` with every symbolic link
  followed (the roll-out switches a link to a new checkout; the kiosk's change watcher takes it
  live at its next reset), its git commit where it is a checkout, and a digest of its files;
* whether that content and ``kiosk.toml`` pass ``kiosk validate`` now, and how many problems;
* the kiosk unit's state from systemd (``systemctl show``): active or not, how often systemd
  restarted it (``NRestarts``: a frozen kiosk restarted by the watchdog counts), the result of
  its last run (``watchdog`` after a freeze), and how long it has been up.

Nothing here is about a visitor: the kiosk process is not asked anything (it keeps no count
of visits, answers or screens), and this command runs in its own unit
(``deploy/kiosk-health.service``, from ``deploy/kiosk-health.timer``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.loading import load_site

#: What ``systemctl show`` is asked for.
SERVICE_PROPERTIES = (
    "ActiveState",
    "SubState",
    "Result",
    "NRestarts",
    "ActiveEnterTimestampMonotonic",
)


@dataclass(frozen=True)
class ContentFacts:
    """The content folder as the kiosk would load it."""

    folder: Path
    commit: str
    digest: str
    valid: bool
    problems: int


@dataclass(frozen=True)
class ServiceFacts:
    """The kiosk unit, as systemd sees it (empty where systemd could not be asked)."""

    unit: str
    properties: Mapping[str, str]
    #: CLOCK_MONOTONIC now, in seconds (systemd's *Monotonic timestamps use the same clock).
    now: float


def content_facts(config: Path) -> ContentFacts:
    """Check ``kiosk.toml`` and its content folder as ``kiosk validate`` does (saving nothing)."""
    site = load_site(config)  # every check, no cache, no fallback: as kiosk validate
    folder = site.settings.content_dir if site.settings else config.parent / "content"
    resolved = folder.resolve()
    return ContentFacts(
        folder=resolved,
        commit=git_commit(resolved),
        digest=content_digest(resolved),
        valid=site.ok,
        problems=len(site.problems),
    )


def git_commit(folder: Path) -> str:
    """The commit checked out in ``folder`` (read from ``.git`` itself, without git), or ""."""
    git = folder / ".git"
    try:
        if git.is_file():  # a worktree or submodule: "gitdir: PATH"
            git = (folder / git.read_text(encoding="utf-8").split(":", 1)[1].strip()).resolve()
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref: "):
            return head if _is_commit(head) else ""
        ref = head.removeprefix("ref: ")
        loose = git / ref
        if loose.is_file():
            found = loose.read_text(encoding="utf-8").strip()
            return found if _is_commit(found) else ""
        packed = git / "packed-refs"
        for line in packed.read_text(encoding="utf-8").splitlines():
            if line.endswith(" " + ref) and _is_commit(line.split()[0]):
                return line.split()[0]
    except (OSError, IndexError, UnicodeDecodeError):
        pass
    return ""


def _is_commit(text: str) -> bool:
    return len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text)


def content_digest(folder: Path) -> str:
    """A short digest of every YAML file's name and bytes: the same content, the same digest."""
    digest = hashlib.sha256()
    try:
        files = sorted(p for p in folder.rglob("*.yaml") if ".git" not in p.parts)
        for path in files:
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    except OSError:
        return ""
    return digest.hexdigest()[:16]


def service_facts(
    unit: str, run: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run
) -> ServiceFacts:
    """``systemctl show UNIT``; empty properties where systemd is not there to ask."""
    try:
        shown = run(
            ["systemctl", "show", unit, "--property=" + ",".join(SERVICE_PROPERTIES)],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        lines = shown.stdout.splitlines() if shown.returncode == 0 else []
    except (OSError, subprocess.TimeoutExpired):
        lines = []
    properties = dict(line.split("=", 1) for line in lines if "=" in line)
    return ServiceFacts(unit=unit, properties=properties, now=time.monotonic())


def _label(value: str) -> str:
    """A Prometheus label value: backslash, quote and new line escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def metrics(content: ContentFacts, service: ServiceFacts, checked_at: float) -> str:
    """The textfile: every metric with its HELP and TYPE lines."""
    out: list[str] = []

    def metric(name: str, kind: str, help_text: str, value: float, labels: str = "") -> None:
        out.append(f"# HELP {name} {help_text}")
        out.append(f"# TYPE {name} {kind}")
        number = str(value) if isinstance(value, int) else f"{value:g}"
        out.append(f"{name}{labels} {number}")

    metric(
        "kiosk_content_info",
        "gauge",
        "The content the kiosk runs on (live at its next reset): folder, git commit, digest.",
        1,
        f'{{folder="{_label(str(content.folder))}",commit="{content.commit}",'
        f'digest="{content.digest}"}}',
    )
    metric(
        "kiosk_validate_ok",
        "gauge",
        "1 if the content and kiosk.toml pass kiosk validate, else 0.",
        int(content.valid),
    )
    metric(
        "kiosk_validate_problems",
        "gauge",
        "Problems kiosk validate found (0 when it passes).",
        content.problems,
    )
    metric(
        "kiosk_health_checked_timestamp_seconds",
        "gauge",
        "When this file was written (Unix time).",
        round(checked_at),
    )
    props = service.properties
    unit = _label(service.unit)
    metric(
        "kiosk_service_info",
        "gauge",
        "The kiosk unit's state; result=watchdog after systemd restarted a frozen kiosk.",
        1 if props else 0,
        f'{{unit="{unit}",active_state="{_label(props.get("ActiveState", "unknown"))}",'
        f'sub_state="{_label(props.get("SubState", "unknown"))}",'
        f'result="{_label(props.get("Result", "unknown"))}"}}',
    )
    restarts = props.get("NRestarts", "")
    if restarts.isdigit():
        metric(
            "kiosk_service_restarts_total",
            "counter",
            "How often systemd restarted the kiosk since the unit was started (or boot).",
            int(restarts),
            f'{{unit="{unit}"}}',
        )
    entered = props.get("ActiveEnterTimestampMonotonic", "")
    if props.get("ActiveState") == "active" and entered.isdigit() and int(entered) > 0:
        metric(
            "kiosk_service_uptime_seconds",
            "gauge",
            "Seconds since the kiosk's current run started.",
            max(0, round(service.now - int(entered) / 1_000_000)),
            f'{{unit="{unit}"}}',
        )
    return "\n".join(out) + "\n"


def write_textfile(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all (a temporary file beside it, then a rename), so that
    node-exporter never reads half a file; readable by everyone (it holds nothing private)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".kiosk-health-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def health(config: Path, textfile: Path | None, unit: str) -> int:
    """``kiosk health``: 0 when the content validates and the unit is active (or systemd is not
    there to ask), 1 otherwise; the metrics on stdout or in ``textfile``."""
    content = content_facts(config)
    service = service_facts(unit)
    text = metrics(content, service, time.time())
    if textfile is None:
        print(text, end="")
    else:
        write_textfile(textfile, text)
    active = service.properties.get("ActiveState", "active") == "active"
    return 0 if content.valid and active else 1
