"""systemd's notify protocol: READY=1 after the first frame, WATCHDOG=1 from the app's loop.

Each test binds a real AF_UNIX datagram socket, as systemd's ``/run/systemd/notify`` is, names
it in ``NOTIFY_SOCKET``, and reads what the kiosk sends. A frozen kiosk (its event loop blocked,
or the process stopped) must stop sending, so that systemd's ``WatchdogSec=`` restarts it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.system import watchdog
from kiosk.system.watchdog import Notifier, ancestry
from tests.conftest import AppFactory
from tests.terminal import Terminal

ROOT = Path(__file__).resolve().parents[2]


class FakeSystemd:
    """A bound datagram socket and every message received on it, with its arrival time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(str(path))
        self.socket.settimeout(0.05)
        self.messages: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._receive, daemon=True)
        self._thread.start()

    def _receive(self) -> None:
        while not self._stop.is_set():
            try:
                data = self.socket.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            self.messages.append((time.monotonic(), data.decode("ascii", "replace")))

    def texts(self) -> list[str]:
        return [text for _, text in self.messages]

    def heartbeats_between(self, start: float, end: float) -> int:
        return sum(1 for at, text in self.messages if start <= at <= end and text == "WATCHDOG=1")

    def wait_for(self, count: int, text: str, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while self.texts().count(text) < count:
            assert time.monotonic() < deadline, f"{count} x {text} not within {seconds} s"
            time.sleep(0.01)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture
def systemd(tmp_path: Path) -> Iterator[FakeSystemd]:
    fake = FakeSystemd(tmp_path / "notify")
    try:
        yield fake
    finally:
        fake.close()


# -- reading the environment ------------------------------------------------------------------


def test_nothing_without_notify_socket() -> None:
    environ = {"WATCHDOG_USEC": "1000000"}
    assert Notifier.from_environment(environ) is None
    assert environ == {}  # removed all the same: no child takes them for its own


def test_variables_are_read_and_removed(tmp_path: Path) -> None:
    environ = {
        "NOTIFY_SOCKET": str(tmp_path / "notify"),
        "WATCHDOG_USEC": "30000000",
        "WATCHDOG_PID": "4242",
        "LANG": "C.UTF-8",
    }
    notifier = Notifier.from_environment(environ, pid=4242)  # no /proc/4242 here: itself only
    assert notifier is not None
    assert notifier.watchdog_seconds == 30 and notifier.heartbeat_seconds == 15
    assert environ == {"LANG": "C.UTF-8"}


def test_a_process_the_watchdog_is_not_for_stays_quiet(tmp_path: Path) -> None:
    """WATCHDOG_PID names another process (a sibling that inherited the variables)."""
    with subprocess.Popen(["sleep", "30"]) as sibling:
        try:
            environ = {"NOTIFY_SOCKET": str(tmp_path / "n"), "WATCHDOG_PID": str(sibling.pid)}
            assert Notifier.from_environment(environ) is None
        finally:
            sibling.kill()


def test_the_watchdog_may_be_for_an_ancestor(tmp_path: Path) -> None:
    """kiosk-cage.service: systemd's main process is cage, the kiosk its grandchild."""
    environ = {"NOTIFY_SOCKET": str(tmp_path / "n"), "WATCHDOG_PID": str(os.getppid())}
    notifier = Notifier.from_environment(environ)
    assert notifier is not None
    notifier.close()
    assert ancestry(os.getpid())[:2] == [os.getpid(), os.getppid()]


@pytest.mark.parametrize("usec", ["", "0", "-5", "soon"])
def test_ready_only_without_a_usable_watchdog_time(tmp_path: Path, usec: str) -> None:
    notifier = Notifier.from_environment(
        {"NOTIFY_SOCKET": str(tmp_path / "n"), "WATCHDOG_USEC": usec}
    )
    assert notifier is not None and notifier.heartbeat_seconds is None


def test_abstract_socket_address() -> None:
    notifier = Notifier.from_environment({"NOTIFY_SOCKET": "@/org/freedesktop/systemd1/notify"})
    assert notifier is not None and notifier.address == "\0/org/freedesktop/systemd1/notify"
    notifier.close()


def test_a_gone_socket_is_a_failed_message_not_an_error(tmp_path: Path) -> None:
    notifier = Notifier(str(tmp_path / "nobody-listens"), 1.0)
    assert notifier.notify("WATCHDOG=1") is False and notifier.failed == 1
    notifier.close()


# -- the app --------------------------------------------------------------------------------


@pytest.fixture
def under_systemd(monkeypatch: pytest.MonkeyPatch, systemd: FakeSystemd) -> FakeSystemd:
    """This process's environment as systemd sets it, watchdog 0.4 s (heartbeat every 0.2 s)."""
    monkeypatch.setenv("NOTIFY_SOCKET", str(systemd.path))
    monkeypatch.setenv("WATCHDOG_USEC", "400000")
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    watchdog.process_notifier.cache_clear()
    yield systemd
    watchdog.process_notifier.cache_clear()


async def test_ready_after_the_first_frame_then_heartbeats_until_the_loop_freezes(
    make_app: AppFactory, under_systemd: FakeSystemd
) -> None:
    systemd = under_systemd
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.notifier is not None and app.notifier.heartbeat_seconds == 0.2
        while systemd.texts().count("WATCHDOG=1") < 3:
            await pilot.pause(0.05)
        assert systemd.texts()[0] == "READY=1"
        assert "Welcome" in str(app.screen.query_one("#welcome-title").render())

        # The app's loop freezes for 1.2 s (three watchdog time-outs): no heartbeat meanwhile.
        frozen: list[float] = []

        def freeze() -> None:
            frozen.append(time.monotonic())
            time.sleep(1.2)
            frozen.append(time.monotonic())

        app.call_later(freeze)
        while len(frozen) < 2:
            await pilot.pause(0.05)
        start, end = frozen
        # What was already on its way as the freeze began may still arrive in its first moment.
        assert systemd.heartbeats_between(start + 0.05, end) == 0
        # Alive again: heartbeats again.
        count = systemd.texts().count("WATCHDOG=1")
        while systemd.texts().count("WATCHDOG=1") < count + 2:
            await pilot.pause(0.05)
    # Only these fixed words were ever sent: nothing about a visitor.
    assert set(systemd.texts()) == {"READY=1", "WATCHDOG=1"}


async def test_a_whole_self_check_sends_nothing_but_heartbeats(
    make_app: AppFactory, under_systemd: FakeSystemd
) -> None:
    systemd = under_systemd
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter", *"ynsynsy")
        await pilot.pause(0.5)
        await pilot.press("x")
    assert systemd.texts().count("READY=1") == 1
    assert set(systemd.texts()) == {"READY=1", "WATCHDOG=1"}


async def test_no_socket_and_no_timer_without_systemd(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    watchdog.process_notifier.cache_clear()
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert app.notifier is None
    watchdog.process_notifier.cache_clear()


# -- the real process -----------------------------------------------------------------------


def test_a_stopped_kiosk_process_sends_no_heartbeat(systemd: FakeSystemd) -> None:
    """``kiosk run`` on a terminal, as kiosk.service starts it: READY=1 once the welcome screen
    is drawn, heartbeats; stopped (SIGSTOP, a frozen process), none; continued, again."""
    env = {"NOTIFY_SOCKET": str(systemd.path), "WATCHDOG_USEC": "400000"}
    with Terminal(["--config", str(ROOT / "kiosk.toml"), "run"], env=env) as kiosk:
        kiosk.wait_for("Welcome to Northpoint Evergreen")
        systemd.wait_for(1, "READY=1")
        systemd.wait_for(3, "WATCHDOG=1")
        kiosk.signal(signal.SIGSTOP)
        stopped = time.monotonic()
        time.sleep(1.2)  # the freeze itself: three watchdog time-outs
        kiosk.signal(signal.SIGCONT)
        assert systemd.heartbeats_between(stopped + 0.05, time.monotonic()) == 0
        count = systemd.texts().count("WATCHDOG=1")
        systemd.wait_for(count + 2, "WATCHDOG=1")
    assert set(systemd.texts()) == {"READY=1", "WATCHDOG=1"}
