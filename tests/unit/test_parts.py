"""The app's pure parts, without Textual: the staff knock, the PIN gate, the idle watch and the
crash guard, each driven by a clock the test moves by hand."""

from __future__ import annotations

import pytest

from kiosk.parts.crash_guard import CRASH_LIMIT, CRASH_WINDOW, CrashGuard
from kiosk.parts.idle import PAUSE_SECONDS, IdleWatch
from kiosk.parts.lockdown import STAFF_KEY_PRESSES, STAFF_KEY_WINDOW, PinGate, StaffKnock
from kiosk.rules.pin import hash_pin
from kiosk.system.state import PinLockoutMemory
from tests.conftest import FakeClock

PIN = "135792"


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin(PIN)


def test_three_quick_presses_knock() -> None:
    clock = FakeClock()
    knock = StaffKnock(clock)
    assert [knock.press() for _ in range(STAFF_KEY_PRESSES)] == [False, False, True]
    assert not knock.press()  # the count starts again after a knock


def test_slow_presses_do_not_knock() -> None:
    clock = FakeClock()
    knock = StaffKnock(clock)
    for _ in range(5):
        assert not knock.press()
        clock.now += STAFF_KEY_WINDOW / 2 + 0.1


def test_the_gate_locks_after_three_wrong_pins_and_doubles(pin_hash: str) -> None:
    clock = FakeClock()
    gate = PinGate(pin_hash, clock)
    assert [gate.check("000000") for _ in range(3)] == ["wrong", "wrong", "locked"]
    assert gate.check(PIN) == "locked" and gate.seconds_locked() == 30
    clock.now += 30
    assert [gate.check("000000") for _ in range(3)] == ["wrong", "wrong", "locked"]
    assert gate.seconds_locked() == 60
    clock.now += 60
    assert gate.check(PIN) == "ok" and gate.seconds_locked() == 0


def test_the_gate_is_off_without_a_pin() -> None:
    gate = PinGate("", FakeClock())
    assert not gate.enabled and gate.check("123456") == "wrong"


def test_the_gate_remembers_across_a_new_gate(pin_hash: str, tmp_path) -> None:
    clock = FakeClock()
    wall = [1e9]
    memory = PinLockoutMemory(tmp_path, clock=clock, wall_clock=lambda: wall[0])
    gate = PinGate(pin_hash, clock, memory)
    for _ in range(3):
        gate.check("999999")
    again = PinGate(
        pin_hash, clock, PinLockoutMemory(tmp_path, clock=clock, wall_clock=lambda: wall[0])
    )
    assert again.check(PIN) == "locked"


def test_idle_watch_states() -> None:
    clock = FakeClock()
    watch = IdleWatch(clock, idle_seconds=120)
    assert watch.check() == "active"
    clock.now += PAUSE_SECONDS
    assert watch.check() == "paused"  # once per pause
    assert watch.check() == "idle"
    watch.note_activity()
    assert watch.check() == "active"
    clock.now += 120
    assert watch.check() == "timed_out"


def test_crash_guard_counts_within_its_window() -> None:
    clock = FakeClock()
    guard = CrashGuard(clock)
    assert not any(guard.record() for _ in range(CRASH_LIMIT))
    assert guard.record()  # one more than the limit
    clock.now += CRASH_WINDOW
    assert guard.recent == 0 and not guard.record()
