"""The launchers in deploy/: every systemd unit keeps the kiosk supervised and "stores nothing".

Each unit is read as an INI file (systemd's syntax is close enough for single-valued settings)
and its key settings are checked; where ``systemd-analyze`` exists, systemd itself checks every
line too. Where ``foot`` exists, it checks deploy/foot.ini.
"""

from __future__ import annotations

import configparser
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
#: Units that show the kiosk on this computer's own screen: no network at all.
CONSOLE_UNITS = ["kiosk.service", "kiosk-cage.service"]
#: The browser kiosk: Chromium and the server talk over 127.0.0.1, and nothing else.
BROWSER_UNITS = ["kiosk-serve.service", "kiosk-browser.service"]
PORT = "8000"


def read_unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


def test_every_unit_file_is_here() -> None:
    assert sorted(path.name for path in DEPLOY.glob("*.service")) == sorted(
        CONSOLE_UNITS + BROWSER_UNITS
    )


@pytest.mark.parametrize("name", CONSOLE_UNITS + BROWSER_UNITS)
def test_unit_is_supervised_and_stores_nothing(name: str) -> None:
    service = read_unit(name)["Service"]
    assert service["Restart"] == "always"
    assert service["User"] == "kiosk"  # never root
    assert service["ProtectSystem"] == "strict"
    # A unit with a login session cannot use ProtectHome=yes: it hides /run/user too, where
    # the session's Wayland socket must go (a black screen when booted, tests/boot/). It hides
    # the home folders by name instead.
    if "PAMName" in service:
        assert service["InaccessiblePaths"].split() == ["/home", "/root"]
        assert "ProtectHome" not in service
    else:
        assert service["ProtectHome"] == "yes"
    assert service["PrivateTmp"] == "yes"
    assert service["LimitCORE"] == "0"  # no core dumps with answers in them
    assert service["MemorySwapMax"] == "0"
    assert service["NoNewPrivileges"] == "yes"
    assert service["CapabilityBoundingSet"] == ""
    assert service["UMask"] == "0077"


@pytest.mark.parametrize("name", CONSOLE_UNITS + BROWSER_UNITS)
def test_systemd_never_gives_up_on_a_unit(name: str) -> None:
    # The default start limit (5 starts in 10 s) would stop restarting a kiosk that fails
    # quickly a few times: a dead lobby screen until someone comes. tests/boot/ kills it 7 times.
    assert read_unit(name)["Unit"]["StartLimitIntervalSec"] == "0"


def test_console_unit_draws_on_tty1_and_logs_nothing_there() -> None:
    # Textual draws on stderr (fd 2) and reads the screen's size from stdout: both are tty1.
    # With stderr to the journal, tty1 was blank and every frame (a visitor's questions and
    # answers) went into the journal; with stdout to the journal, the kiosk drew an 80 x 24
    # corner of the screen. Both found by booting it (tests/boot/). The kiosk's own log lines
    # reach the journal through the system log socket (kiosk/system/staff_log.py).
    service = read_unit("kiosk.service")["Service"]
    assert service["StandardInput"] == "tty-force"
    assert service["StandardError"] == "tty"
    assert service["StandardOutput"] == "tty"
    assert service["TTYPath"] == "/dev/tty1"
    assert "AF_UNIX" in service["RestrictAddressFamilies"]  # /dev/log


@pytest.mark.parametrize("name", ["kiosk.service", "kiosk-cage.service", "kiosk-serve.service"])
def test_units_that_run_the_kiosk_give_it_its_state_folder(name: str) -> None:
    """kiosk/system/state.py: the last good kiosk.toml and the PIN lockout survive a restart."""
    service = read_unit(name)["Service"]
    assert service["StateDirectory"] == "kiosk"
    assert service["StateDirectoryMode"] == "0700"


def test_the_console_unit_restarts_the_kiosk_when_it_freezes() -> None:
    """kiosk/system/watchdog.py sends READY=1 and WATCHDOG=1 every WatchdogSec/2 from the app's
    loop (tests/boot/ freezes the kiosk with SIGSTOP and sees systemd restart it)."""
    service = read_unit("kiosk.service")["Service"]
    assert service["Type"] == "notify"
    assert service["NotifyAccess"] == "main"
    assert service["WatchdogSec"] == "30"


def test_the_cage_unit_restarts_a_frozen_kiosk_and_keeps_it_in_the_unit() -> None:
    """With a login session (PAMName=), cage, foot and the kiosk were moved out of
    kiosk-cage.service's control group, where systemd ignored the kiosk's READY=1 (every start
    timed out after 90 s, booted, tests/boot/). seatd gives cage the screen without a session:
    they stay in the unit, and the kiosk (cage's grandchild) has the watchdog."""
    unit = read_unit("kiosk-cage.service")
    service = unit["Service"]
    assert "PAMName" not in service
    text = (DEPLOY / "kiosk-cage.service").read_text(encoding="utf-8")
    assert "Environment=LIBSEAT_BACKEND=seatd" in text.splitlines()
    assert "Environment=XDG_RUNTIME_DIR=/run/kiosk-cage" in text.splitlines()
    assert service["RuntimeDirectory"] == "kiosk-cage"
    assert unit["Unit"]["Requires"] == "seatd.service"
    assert "video" in service["SupplementaryGroups"].split()  # seatd -g video
    assert service["Type"] == "notify"
    assert service["NotifyAccess"] == "all"
    assert service["WatchdogSec"] == "30"


@pytest.mark.parametrize("name", CONSOLE_UNITS)
def test_console_units_have_no_network(name: str) -> None:
    service = read_unit(name)["Service"]
    assert service["PrivateNetwork"] == "yes"
    assert service["IPAddressDeny"] == "any"
    assert "AF_INET" not in service["RestrictAddressFamilies"]


@pytest.mark.parametrize("name", BROWSER_UNITS)
def test_browser_units_reach_this_computer_only(name: str) -> None:
    service = read_unit(name)["Service"]
    assert service.get("PrivateNetwork", "no") == "no"  # Chromium must reach the server
    assert service["IPAddressDeny"] == "any"
    assert service["IPAddressAllow"] == "localhost"


def test_units_run_the_kiosk_and_agree_on_the_port() -> None:
    console = read_unit("kiosk.service")["Service"]["ExecStart"]
    cage = read_unit("kiosk-cage.service")["Service"]["ExecStart"]
    serve = read_unit("kiosk-serve.service")["Service"]["ExecStart"]
    browser = read_unit("kiosk-browser.service")
    assert console.endswith("kiosk --config /opt/kiosk/kiosk.toml run")
    assert cage.startswith("/usr/bin/cage ")
    assert "--config=/opt/kiosk/deploy/foot.ini" in cage
    assert cage.endswith("/opt/kiosk/.venv/bin/kiosk --config /opt/kiosk/kiosk.toml run")
    assert serve.endswith(f"kiosk --config /opt/kiosk/kiosk.toml serve --port {PORT}")
    start = browser["Service"]["ExecStart"]
    assert start.startswith("/usr/bin/cage ") and "/usr/bin/chromium --kiosk --incognito" in start
    # No session bus: through it Chromium moved itself out of the unit (and once lost its page).
    assert "/usr/bin/env DBUS_SESSION_BUS_ADDRESS=unix:path=/dev/null /usr/bin/chromium " in start
    assert start.endswith(f" http://127.0.0.1:{PORT}/?fontsize=22")
    assert f"/dev/tcp/127.0.0.1/{PORT}" in browser["Service"]["ExecStartPre"]
    assert browser["Unit"]["Requires"] == "kiosk-serve.service"
    policy = json.loads((DEPLOY / "chromium-policy.json").read_text(encoding="utf-8"))
    assert policy["URLBlocklist"] == ["*", "chrome://*"]
    assert policy["URLAllowlist"] == [f"http://127.0.0.1:{PORT}/"]


@pytest.mark.parametrize("name", ["kiosk-cage.service", "kiosk-browser.service"])
def test_nothing_runs_beside_cage_on_its_tty(name: str) -> None:
    """Every command of a unit opens its session on tty1 and hangs the tty up first: an
    ExecStartPost= (a page-loaded check, tried) killed cage with SIGHUP (booted, tests/boot/)."""
    service = read_unit(name)["Service"]
    assert service["TTYVHangup"] == "yes"
    assert "ExecStartPost" not in service and "ExecReload" not in service


def test_the_browser_unit_has_a_session_and_the_pam_file_exists() -> None:
    service = read_unit("kiosk-browser.service")["Service"]
    assert service["PAMName"] == "kiosk-cage"
    assert (DEPLOY / "pam-kiosk-cage").is_file()
    assert service["TTYPath"] == "/dev/tty1"
    assert service["ReadWritePaths"] == "/run/user"  # the Wayland socket, in memory


def test_foot_shows_no_scrollback_and_offers_no_way_out() -> None:
    foot = configparser.ConfigParser(strict=False, interpolation=None)
    foot.read(DEPLOY / "foot.ini", encoding="utf-8")
    # DejaVu first (its 13 x 27 cells set the terminal's size), Noto CJK for Chinese.
    assert foot["main"]["font"].split(",") == [
        "DejaVu Sans Mono:pixelsize=22",
        "Noto Sans Mono CJK SC:pixelsize=22",
    ]
    assert foot["scrollback"]["lines"] == "0"
    for key in ("spawn-terminal", "clipboard-copy", "clipboard-paste", "show-urls-launch"):
        assert foot["key-bindings"][key] == "none", key
    mouse = dict(foot["mouse-bindings"])
    # "none" here would make foot keep every click for itself (the kiosk got no taps).
    assert mouse.pop("selection-override-modifiers") == "Control+Shift+Mod1+Mod4"
    assert all(value == "none" for value in mouse.values())


@pytest.mark.skipif(shutil.which("foot") is None, reason="foot is not installed")
def test_foot_accepts_its_settings() -> None:
    result = subprocess.run(
        ["foot", "--check-config", f"--config={DEPLOY / 'foot.ini'}"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


#: The complaints systemd-analyze may make here: the kiosk is not installed in /opt/kiosk
#: on this computer (or cage and Chromium are not installed), or a unit from Debian that a
#: launcher needs is not (seatd's, for kiosk-cage.service).
MISSING_COMMAND = re.compile(r"^\S+\.service: Command (/\S+) is not executable: No such file")
MISSING_UNIT = re.compile(r"^\S+\.service: Failed to create \S+: Unit (seatd\.service) not found")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd is not installed")
def test_systemd_analyze_verify_finds_nothing_else() -> None:
    units = sorted(str(path) for path in DEPLOY.glob("*.service"))
    result = subprocess.run(
        ["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60
    )
    for line in (result.stdout + result.stderr).splitlines():
        unit = MISSING_UNIT.match(line)
        if unit:
            assert not (Path("/lib/systemd/system") / unit.group(1)).exists(), line
            continue
        missing = MISSING_COMMAND.match(line)
        assert missing, f"systemd-analyze verify: {line}"
        command = Path(missing.group(1))
        assert command.is_relative_to("/opt/kiosk") or not command.exists(), line
