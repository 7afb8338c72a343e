"""Kiosk mode: lockdown keys, staff exit with a PIN, idle warning and reset, quick hide,
crash recovery without tracebacks, and live content reload."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import shutil
import time
from pathlib import Path

import msgspec
import pytest
from textual import events
from textual.pilot import Pilot

from kiosk import FRAMES_PER_SECOND, cli
from kiosk.app import KioskApp
from kiosk.config import Settings, StaffSettings, load_settings
from kiosk.content.loading import BUNDLED_CONTENT
from kiosk.content.model import ContentLibrary, load_library
from kiosk.rules.pin import hash_pin
from kiosk.screens.compare import CompareScreen, OptionScreen, SideBySideScreen
from kiosk.screens.help import HelpScreen
from kiosk.screens.idle import IdleWarningScreen
from kiosk.screens.learn import LearnScreen
from kiosk.screens.selfcheck import SelfCheckScreen
from kiosk.screens.staff import PinScreen, StaffScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.system.state import START_LOCK_SECONDS, PinLockoutMemory
from tests.conftest import (
    CONFIG_FILE,
    CONTENT_DIR,
    AppFactory,
    FakeClock,
    flat,
    screen_text,
    tap,
)

SIZE = (80, 24)
PIN = "246813"


async def wait_for(pilot: Pilot[None], condition, what: str, tries: int = 200) -> None:
    """Await a condition, polling every 10 ms (at most ``tries`` times).

    ``asyncio.sleep`` rather than ``pilot.pause``: after a forced crash the failed screen never
    settles, and ``pilot.pause`` would wait for it.
    """
    for _ in range(tries):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def app_with_pin(
    settings: Settings,
    library: ContentLibrary,
    clock: FakeClock,
    pin_memory: PinLockoutMemory | None = None,
) -> KioskApp:
    staff = StaffSettings(pin_hash=hash_pin(PIN))
    return KioskApp(
        msgspec.structs.replace(settings, staff=staff),
        library,
        clock=clock,
        pin_memory=pin_memory,
    )


# -- lockdown ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["ctrl+q", "ctrl+c", "ctrl+p", "ctrl+s", "ctrl+z", "ctrl+backslash", "escape", "f10"]
)
async def test_lockdown_keys_do_nothing(make_app: AppFactory, key: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key, key)
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, WelcomeScreen)
        assert len(app.screen_stack) == 2


@pytest.mark.parametrize(
    "action", ["quit", "command_palette", "screenshot", "help_quit", "suspend_process"]
)
async def test_dangerous_actions_are_refused_even_if_asked_for(
    make_app: AppFactory, action: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a screenshot, if one were taken, would land here
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.run_action(action)
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, WelcomeScreen)
    assert list(tmp_path.iterdir()) == []


def test_kiosk_app_has_no_quit_copy_or_palette_bindings() -> None:
    keys = {binding.key for binding in KioskApp.BINDINGS}  # type: ignore[union-attr]
    assert not keys & {"ctrl+q", "ctrl+c", "ctrl+p"}
    assert KioskApp.ENABLE_COMMAND_PALETTE is False
    assert KioskApp.ALLOW_SELECT is False


# -- staff exit -------------------------------------------------------------------------------


async def test_staff_exit_with_the_right_pin(settings: Settings, library: ContentLibrary) -> None:
    app = app_with_pin(settings, library, FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12", "f12")
        assert isinstance(app.screen, WelcomeScreen)  # two presses are not enough
        await pilot.press("f12")
        assert isinstance(app.screen, PinScreen)
        await pilot.press(*"1111", "enter")
        assert isinstance(app.screen, PinScreen)
        assert "Wrong PIN" in screen_text(app)
        await pilot.press(*PIN, "enter")
        assert isinstance(app.screen, StaffScreen)
        assert "no problems found" in screen_text(app)
        await tap(pilot, "#staff-exit")
    assert app.return_code == 0


async def test_wrong_pins_are_rate_limited(settings: Settings, library: ContentLibrary) -> None:
    clock = FakeClock()
    app = app_with_pin(settings, library, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12", "f12", "f12")
        for _ in range(3):
            await pilot.press(*"0000", "enter")
        assert "Too many wrong PINs" in screen_text(app)
        await pilot.press(*PIN, "enter")  # even the right PIN is refused while locked
        assert isinstance(app.screen, PinScreen)
        clock.now += 31
        await pilot.press(*PIN, "enter")
        assert isinstance(app.screen, StaffScreen)


async def test_wrong_pins_stay_counted_across_a_restart(
    settings: Settings, library: ContentLibrary, tmp_path: Path
) -> None:
    """Restarting the kiosk (or making it crash) must not give a guesser fresh tries: the count and
    the lock live in the service's state folder (kiosk.system.state), never anything of visitors."""
    clock = FakeClock()
    wall = {"now": 1_700_000_000.0}
    memory = PinLockoutMemory(tmp_path, clock=clock, wall_clock=lambda: wall["now"])
    app = app_with_pin(settings, library, clock, pin_memory=memory)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12", "f12", "f12")
        for _ in range(3):
            await pilot.press(*"000000", "enter")
        assert "Too many wrong PINs" in screen_text(app)
    # A new kiosk, ten seconds later on the wall clock (its monotonic clock starts anew).
    wall["now"] += 10
    restarted_clock = FakeClock()
    restarted_clock.now = 5.0
    memory = PinLockoutMemory(tmp_path, clock=restarted_clock, wall_clock=lambda: wall["now"])
    app = app_with_pin(settings, library, restarted_clock, pin_memory=memory)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12", "f12", "f12", *PIN, "enter")
        assert isinstance(app.screen, PinScreen)
        assert "Try again in 21 seconds" in flat(screen_text(app))
        restarted_clock.now += 21
        await pilot.press(*PIN, "enter")
        assert isinstance(app.screen, StaffScreen)
    assert json.loads((tmp_path / "pin-lockout.json").read_text()) == {
        "failures": 0,
        "locks": 0,
        "locked_until": 0.0,
    }


def test_without_a_state_folder_the_pin_prompt_waits_after_a_start() -> None:
    clock = FakeClock()
    limiter = PinLockoutMemory(None, clock=clock).load()
    assert limiter.seconds_locked(clock()) == START_LOCK_SECONDS


def test_a_damaged_or_foreign_lockout_file_is_ignored(tmp_path: Path) -> None:
    for text in ("not json", '{"failures": "x"}', '{"failures": 1e400, "locks": 3}', "[]"):
        (tmp_path / "pin-lockout.json").write_text(text)
        limiter = PinLockoutMemory(tmp_path).load()
        assert limiter.failures == 0 and limiter.locked_until == 0.0
    (tmp_path / "pin-lockout.json").write_text(
        '{"failures": 3, "locks": 99999, "locked_until": 9e99}'
    )
    limiter = PinLockoutMemory(tmp_path).load()
    assert limiter.seconds_locked(time.monotonic()) <= limiter.max_lock_seconds


async def test_without_a_pin_staff_exit_is_disabled(make_app: AppFactory) -> None:
    app = make_app()
    assert app.settings.staff.pin_hash == ""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12", "f12", "f12", "f12", "f12", "f12")
        assert isinstance(app.screen, WelcomeScreen)
        assert app.is_running


async def test_staff_screen_closes_when_staff_walk_away(
    settings: Settings, library: ContentLibrary
) -> None:
    clock = FakeClock()
    app = app_with_pin(settings, library, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12", "f12", "f12", *PIN, "enter")
        assert isinstance(app.screen, StaffScreen)
        clock.now += app.settings.kiosk.idle_seconds
        app.check_idle_time()
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)


def test_set_pin_stores_only_a_hash_and_keeps_comments(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    shutil.copy(CONFIG_FILE, config)
    before = config.read_text()
    answers = iter([PIN, PIN])
    assert cli.set_pin(config, ask=lambda _prompt: next(answers)) == 0
    after = config.read_text()
    assert PIN not in after
    settings = load_settings(config)
    assert settings.staff.pin_hash.startswith("scrypt$")
    # Every comment line is still there.
    assert [line for line in before.splitlines() if line.startswith("#")] == [
        line for line in after.splitlines() if line.startswith("#")
    ]
    from kiosk.rules.pin import verify_pin

    assert verify_pin(PIN, settings.staff.pin_hash)
    assert not verify_pin("135791", settings.staff.pin_hash)
    # The hash is worth guessing against offline: only its owner may read the file (and the
    # kiosk's group, where there is one and set-pin runs as root).
    assert config.stat().st_mode & 0o777 in (0o600, 0o640)


def test_validate_warns_when_everyone_can_read_the_pin_hash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    config = tmp_path / "kiosk.toml"
    shutil.copy(CONFIG_FILE, config)
    answers = iter([PIN, PIN])
    assert cli.set_pin(config, ask=lambda _prompt: next(answers)) == 0
    assert "WARNING" not in validate_output(config, capsys)
    config.chmod(0o644)
    assert f"WARNING: {config} holds the staff PIN's hash" in validate_output(config, capsys)


def validate_output(config: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert cli.main(["--config", str(config), "validate"]) == 0
    return capsys.readouterr().out


def test_set_pin_refuses_mismatch_and_short_pins(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    shutil.copy(CONFIG_FILE, config)
    before = config.read_text()
    answers = iter(["123456", "654321", "12", "12", "1234", "1234"])
    assert cli.set_pin(config, ask=lambda _prompt: next(answers)) == 1
    assert cli.set_pin(config, ask=lambda _prompt: next(answers)) == 1
    assert cli.set_pin(config, ask=lambda _prompt: next(answers)) == 1  # 4 digits: too few now
    assert config.read_text() == before


def test_kiosk_mode_clears_textual_debug_variables(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    started: list[KioskApp] = []
    monkeypatch.setattr(KioskApp, "run", lambda self: started.append(self))
    # A copy of the environment: the test runner's own TEXTUAL_SNAPSHOT_* must survive.
    environment = dict(os.environ)
    monkeypatch.setattr(os, "environ", environment)
    for name in ("TEXTUAL", "TEXTUAL_LOG", "TEXTUAL_SCREENSHOT", "TEXTUAL_PRESS", "TEXTUAL_DRIVER"):
        environment[name] = "x"
    assert cli.run(CONFIG_FILE) == 0
    # Only the kiosk's own frame rate is left (see kiosk.FRAMES_PER_SECOND).
    assert {name: value for name, value in environment.items() if name.startswith("TEXTUAL")} == {
        "TEXTUAL_FPS": str(FRAMES_PER_SECOND)
    }
    assert started and started[0].kiosk_mode
    assert "ignored TEXTUAL_SCREENSHOT" in capfd.readouterr().err


# -- idle warning and reset --------------------------------------------------------------------


async def go_idle(app: KioskApp, clock: FakeClock, pilot: Pilot[None]) -> None:
    """Let ``idle_seconds`` pass on the fake clock and run the app's once-a-second check."""
    clock.now += app.settings.kiosk.idle_seconds - 1
    app.check_idle_time()
    await pilot.pause()
    assert not isinstance(app.screen, IdleWarningScreen)  # not a second too early
    clock.now += 1
    app.check_idle_time()
    await pilot.pause()


async def test_idle_warning_any_key_keeps_the_visitors_place(make_app: AppFactory) -> None:
    clock = FakeClock()
    app = make_app(clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "right")
        section = app.screen.open_section_id
        await go_idle(app, clock, pilot)
        assert isinstance(app.screen, IdleWarningScreen)
        warning = app.screen
        assert warning.remaining == app.settings.kiosk.idle_warning_seconds
        assert str(warning.remaining) in screen_text(app)
        assert "I'm still here" in screen_text(app)
        await pilot.press("1")  # any key: the visitor is here; it must not open Learn again
        assert isinstance(app.screen, LearnScreen)
        assert app.screen.open_section_id == section
        # "I'm still here" by tap does the same.
        await go_idle(app, clock, pilot)
        assert isinstance(app.screen, IdleWarningScreen)
        await pilot.click("#still-here")
        assert isinstance(app.screen, LearnScreen) and app.screen.open_section_id == section


async def test_idle_countdown_resets_everything(make_app: AppFactory) -> None:
    clock = FakeClock()
    app = make_app(clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "enter", "y", "n")
        await go_idle(app, clock, pilot)
        assert isinstance(app.screen, IdleWarningScreen)
        warning = app.screen
        counts = []
        while app.screen is warning:
            counts.append(warning.remaining)
            warning.tick()  # one second, without waiting a real second
            await pilot.pause()
        # The screen's own one-second timer may also tick on a slow machine: allow for it.
        assert counts[0] in (29, 30) and counts[-1] >= 1
        assert all(later < earlier for earlier, later in itertools.pairwise(counts))
        assert len(counts) >= 15  # a real countdown, not a jump to zero
        assert isinstance(app.screen, WelcomeScreen)
        assert len(app.screen_stack) == 2
        assert not app.screen.query(SelfCheckScreen)


async def test_no_warning_on_an_untouched_welcome_screen(make_app: AppFactory) -> None:
    clock = FakeClock()
    app = make_app(clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        welcome = app.screen
        for _ in range(3):
            clock.now += app.settings.kiosk.idle_seconds
            app.check_idle_time()
            await pilot.pause()
        assert app.screen is welcome


async def test_idle_checks_run_on_a_real_timer(make_app: AppFactory) -> None:
    """The once-a-second check really runs: a tiny idle time shows the warning by itself."""
    app = make_app(idle_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await wait_for(pilot, lambda: isinstance(app.screen, IdleWarningScreen), "the warning", 300)


# -- reset from every screen, quick hide -------------------------------------------------------

REACH = {
    "learn": ["1"],
    "compare": ["2"],
    # Pick the first two options, then Tab past the other six to "Show side by side".
    "side_by_side": ["2", "enter", "tab", "enter", *["tab"] * 7],
    "selfcheck_question": ["3", "enter", "y"],
    "selfcheck_result": ["3", "enter", *"nnnnnnn"],
    "help": ["h"],
    "spanish_welcome": [],
}


@pytest.mark.parametrize("where", list(REACH))
@pytest.mark.parametrize("how", ["key", "button"])
async def test_quick_hide_resets_from_every_screen(
    make_app: AppFactory, where: str, how: str
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        if where == "spanish_welcome":
            await tap(pilot, "#open-language")
            await tap(pilot, "#language-es")
            assert app.language == "es"
        await pilot.press(*REACH[where])
        if where == "side_by_side":
            await pilot.press("enter")
            assert isinstance(app.screen, SideBySideScreen)
        before = app.screen
        if how == "key":
            await pilot.press("x")
        else:
            await tap(pilot, "#nav-hide" if app.screen.query("#nav-hide") else "#welcome-hide")
        assert isinstance(app.screen, WelcomeScreen)
        assert app.screen is not before
        assert len(app.screen_stack) == 2
        assert app.language == "en"
        await pilot.press("escape")  # nothing behind the welcome screen
        assert isinstance(app.screen, WelcomeScreen) and len(app.screen_stack) == 2


async def test_reset_restores_default_theme(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "kiosk-high-contrast"
        await pilot.press("1", "x")
        assert app.theme == "kiosk-light"


# -- crash safety ---------------------------------------------------------------------------------


async def test_error_in_a_screen_restarts_calmly(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    def broken(self: CompareScreen, *args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(CompareScreen, "on_button_pressed", broken)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen), "recovery")
        assert app.is_running and app.return_code is None
        await wait_for(
            pilot, lambda: "Something went wrong" in flat(screen_text(app)), "the calm message"
        )
        # The kiosk still works afterwards.
        await pilot.press("1")
        assert isinstance(app.screen, LearnScreen)
    err = capfd.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("kiosk: error")]
    assert lines == [
        "kiosk: error: RuntimeError in tests/functional/test_kiosk_mode.py:"
        f"{broken.__code__.co_firstlineno + 1} (broken); starting again"
    ] or (len(lines) == 1 and "RuntimeError" in lines[0])
    assert "Traceback" not in err and "boom" not in err


async def test_crash_during_self_check_leaks_no_answer_to_stderr(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    import kiosk.screens.selfcheck as selfcheck_screen

    def exploding_evaluate(selfcheck: object, answers: dict[str, str]) -> None:
        secret = dict(answers)  # a local variable holding the answers, as in a real bug
        raise ValueError(f"could not decide for {secret}")

    monkeypatch.setattr(selfcheck_screen, "evaluate", exploding_evaluate)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "enter", *"ynsyns")
        # The last answer crashes the screen. pilot.press would wait for that (dead) screen to
        # settle, so the key is posted the way the terminal driver posts it.
        app.post_message(events.Key("y", "y"))
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen), "recovery")
        assert app.is_running
    err = capfd.readouterr().err
    assert "ValueError" in err
    for leaked in ("could not decide", "withdrawal", "'yes'", "not_sure", "secret", "Traceback"):
        assert leaked not in err


async def test_repeated_errors_exit_for_the_supervisor(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: LearnScreen) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(LearnScreen, "on_mount", broken)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for attempt in range(8):
            if app.return_code is not None:
                break
            app.post_message(events.Key("1", "1"))
            await wait_for(
                pilot,
                lambda n=attempt: app.crashes.recent > n or app.return_code is not None,
                "the error",
            )
    assert app.return_code == 1


async def test_a_textual_panic_is_one_line_and_a_fresh_start(
    make_app: AppFactory, capfd: pytest.CaptureFixture[str]
) -> None:
    """Errors outside the screens (Textual's driver threads) reach App.panic, which would print
    a Rich traceback on the visitor's screen and exit; in kiosk mode they are one line."""
    from rich.traceback import Traceback

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "enter", "y")
        try:
            raise ValueError("an answer: yes")
        except ValueError:
            app.panic(Traceback())
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen), "recovery")
        assert app.is_running and app.return_code is None
        await pilot.press("1")
        assert isinstance(app.screen, LearnScreen)
    err = capfd.readouterr().err
    assert "kiosk: error: an error outside the screens (Textual panic); starting again" in err
    assert "Traceback" not in err and "an answer" not in err


# -- live content -------------------------------------------------------------------------------


@pytest.fixture
def live_copy(tmp_path: Path) -> Path:
    """A kiosk.toml and content folder that the test may edit, like staff would."""
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    shutil.copy(CONFIG_FILE, tmp_path / "kiosk.toml")
    return tmp_path / "kiosk.toml"


def live_app(config: Path) -> KioskApp:
    settings = load_settings(config)
    return KioskApp(settings, load_library(settings.content_dir), config_file=config)


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))


async def reload_now(app: KioskApp, pilot: Pilot[None]) -> None:
    app.check_for_changes()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_good_change_goes_live_on_an_idle_welcome_screen(live_copy: Path) -> None:
    app = live_app(live_copy)
    async with app.run_test(size=SIZE) as pilot:
        edit(live_copy.parent / "content/en/help.yaml", "(425) 629-0433", "(425) 555-0100")
        await reload_now(app, pilot)
        assert "Call (425) 555-0100" in screen_text(app)


async def test_good_change_waits_for_the_visitor_to_finish(live_copy: Path) -> None:
    app = live_app(live_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "enter", "y")
        question = app.screen
        edit(live_copy.parent / "content/en/help.yaml", "(425) 629-0433", "(425) 555-0100")
        await reload_now(app, pilot)
        assert app.screen is question and app.screen.step == 1
        assert "(425) 629-0433" in screen_text(app)
        await pilot.press("x")
        assert "Call (425) 555-0100" in screen_text(app)


async def test_broken_change_keeps_the_last_good_content(
    live_copy: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    app = live_app(live_copy)
    async with app.run_test(size=SIZE) as pilot:
        selfcheck = live_copy.parent / "content/en/selfcheck.yaml"
        edit(selfcheck, "result: more_support", "result: more_suport")
        await reload_now(app, pilot)
        assert "(425) 629-0433" in screen_text(app)
        assert app.content_problems
        assert "more_suport" not in screen_text(app)  # visitors never see staff messages
        await pilot.press("x", "3")
        assert isinstance(app.screen, SelfCheckScreen)
    err = capfd.readouterr().err
    assert f"{selfcheck}:" in err and "more_suport" in err


async def test_broken_kiosk_toml_is_reported_and_ignored(
    live_copy: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    app = live_app(live_copy)
    async with app.run_test(size=SIZE) as pilot:
        edit(live_copy, "idle_seconds = 120", 'idle_seconds = "soon"')
        await reload_now(app, pilot)
        assert app.settings.kiosk.idle_seconds == 120
    assert f"{live_copy}:" in capfd.readouterr().err


@pytest.mark.parametrize(
    ("name", "saved"),
    [
        ("kiosk.toml", "[kiosk]\n# caf\xe9\n".encode("latin-1")),
        ("kiosk.toml", b"\x00\xff" * 100),
        ("content/en/help.yaml", ("clinic_name: " + "[" * 500 + "]" * 500).encode()),
        ("content/en/ui.yaml", b"x: 1\n" * 60_000),
    ],
    ids=["latin-1 kiosk.toml", "binary kiosk.toml", "nested 500 deep", "300 KB of keys"],
)
async def test_a_bad_save_while_running_is_a_staff_line_not_a_reset(
    live_copy: Path, capfd: pytest.CaptureFixture[str], name: str, saved: bytes
) -> None:
    """Before: the reload's error reached the crash handler, the visitor was reset, and staff
    got no file:line."""
    app = live_app(live_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "enter", "y")
        question = app.screen
        (live_copy.parent / name).write_bytes(saved)
        await reload_now(app, pilot)
        assert app.screen is question and question.step == 1  # the visitor goes on
        assert app.content_problems
    err = capfd.readouterr().err
    assert f"{live_copy.parent / name}:" in err and "NOT used" in err
    assert "error:" not in err and "Traceback" not in err


async def test_an_unforeseen_error_in_a_reload_is_reported_not_a_reset(
    live_copy: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    import kiosk.content.loading as loading

    def broken_loader(folder: Path, site: str = "") -> None:
        raise RecursionError("deep inside")

    monkeypatch.setattr(loading, "load_library", broken_loader)
    app = live_app(live_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        screen = app.screen
        edit(live_copy.parent / "content/en/help.yaml", "(425) 629-0433", "(425) 555-0100")
        await reload_now(app, pilot)
        assert app.screen is screen
    err = capfd.readouterr().err
    assert f"{live_copy}:1: could not be loaded (RecursionError in kiosk/content/loading.py:" in err


def test_start_with_broken_content_falls_back_to_bundled(
    live_copy: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # cli.run clears TEXTUAL_* variables: give it a copy so the test runner keeps its own.
    monkeypatch.setattr(os, "environ", dict(os.environ))
    started: list[KioskApp] = []
    monkeypatch.setattr(KioskApp, "run", lambda self: started.append(self))
    (live_copy.parent / "content/en/learn.yaml").write_text("sections: [\n")
    assert cli.run(live_copy) == 0
    app = started[0]
    assert app.library.folder == BUNDLED_CONTENT
    assert app.content_problems and "learn.yaml" in str(app.content_problems[0])
    assert "using the bundled content" in capfd.readouterr().err


async def test_staff_screen_shows_content_problems(
    live_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(live_copy, 'pin_hash = ""', f'pin_hash = "{hash_pin(PIN)}"')
    app = live_app(live_copy)
    async with app.run_test(size=(100, 30)) as pilot:
        edit(live_copy.parent / "content/en/ui.yaml", "hide_button:", "hide_buton:")
        await reload_now(app, pilot)
        await pilot.press("f12", "f12", "f12", *PIN, "enter")
        assert isinstance(app.screen, StaffScreen)
        text = flat(screen_text(app))
        assert "ui.yaml" in text and "hide_buton" in text


# keep imports used for readability of the parametrised cases above
_ = (CompareScreen, OptionScreen, HelpScreen)


async def test_markup_and_links_in_staff_text_stay_plain_words(
    settings: Settings, library: ContentLibrary
) -> None:
    """A link or an action in staff text is shown as text: tapping it opens and runs nothing."""
    content = library.get("en")
    sneaky = "[@click=app.quit]Tap here[/] and [link=https://example.org]a link[/link]"
    section = msgspec.structs.replace(content.learn.sections[0], summary=sneaky)
    learn = msgspec.structs.replace(content.learn, sections=(section, *content.learn.sections[1:]))
    ui = msgspec.structs.replace(content.ui, learn_button="[b]Learn[/b] [@click=app.quit]x[/]")
    from dataclasses import replace

    changed = replace(content, learn=learn, ui=ui)
    languages = {**library.languages, "en": changed}
    app = KioskApp(settings, ContentLibrary(library.folder, languages))
    async with app.run_test(size=(100, 30)) as pilot:
        # Shown as typed (brackets and all), not as bold text and a tappable action.
        assert "[b]Learn[/b]" in screen_text(app)
        assert "[@click=app.quit]x[/]" in str(app.screen.query_one("#open-learn").label)
        await pilot.click("#open-learn")
        assert app.is_running
        await pilot.press("escape", "1")
        assert "[@click=app.quit]Tap here[/]" in flat(screen_text(app))
        await pilot.click(".summary", offset=(2, 0))
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_the_kiosk_stops_when_its_terminal_has_gone(
    make_app: AppFactory, capfd: pytest.CaptureFixture[str]
) -> None:
    """A terminal that hangs up leaves Textual's input thread reading end-of-file at full CPU,
    for a kiosk on no screen: it stops instead, and systemd starts it again."""
    main, terminal = os.openpty()
    app = make_app()
    try:
        async with app.run_test():
            app.check_terminal(terminal)
            assert app.return_code is None  # still there: keep running
            os.close(main)  # the terminal hangs up
            app.check_terminal(terminal)
            assert app.return_code == 1
    finally:
        os.close(terminal)
    assert "the terminal has gone" in capfd.readouterr().err


async def test_a_roll_out_that_switches_the_content_link_goes_live_at_the_next_reset(
    tmp_path: Path,
) -> None:
    """deploy/ansible: kiosk.toml names a link, ``current``, which the roll-out points at each
    new checkout that passed ``kiosk validate`` (the old checkout stays for a roll-back)."""
    for name in ("one", "two"):
        shutil.copytree(CONTENT_DIR, tmp_path / "releases" / name)
    edit(tmp_path / "releases/two/en/help.yaml", "(425) 629-0433", "(425) 555-0199")
    (tmp_path / "current").symlink_to(tmp_path / "releases/one")
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\ncontent_dir = "current"\n', encoding="utf-8")
    app = live_app(config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "enter", "y")
        (tmp_path / "next").symlink_to(tmp_path / "releases/two")
        os.replace(tmp_path / "next", tmp_path / "current")  # atomic, as the roll-out does
        await reload_now(app, pilot)
        assert "(425) 629-0433" in screen_text(app)  # not in the middle of a visit
        await pilot.press("x")
        assert "Call (425) 555-0199" in screen_text(app)


def test_set_pin_through_a_symbolic_link_changes_the_file_it_points_to(tmp_path: Path) -> None:
    """The Debian package's layout: /opt/kiosk/kiosk.toml -> /etc/kiosk/kiosk.toml."""
    (tmp_path / "etc").mkdir()
    target = tmp_path / "etc" / "kiosk.toml"
    shutil.copy(CONFIG_FILE, target)
    link = tmp_path / "kiosk.toml"
    link.symlink_to(target)
    answers = iter([PIN, PIN])
    assert cli.set_pin(link, ask=lambda _prompt: next(answers)) == 0
    assert link.is_symlink() and link.resolve() == target
    assert load_settings(target).staff.pin_hash.startswith("scrypt$")
