"""Privacy: a self-check leaves no trace on disk, on the network, in a process or in memory.

An audit hook (``sys.addaudithook``) records every file opened for writing, every socket
connection and every new process while the pilot runs whole self-checks. Audit hooks cannot be
removed, so one hook is installed for the session and records only while a test switches it on.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from kiosk.content.model import ContentLibrary
from kiosk.rules.selfcheck import AnswerSheet, Outcome
from kiosk.screens.selfcheck import SelfCheckScreen
from kiosk.screens.welcome import WelcomeScreen
from tests.conftest import (
    AppFactory,
    forget_the_pilots_view,
    objects_in_memory,
    screen_drawn,
    screen_text,
    tap,
)

#: Audit events that could carry an answer out of the process.
WATCHED = {
    "socket.connect",
    "socket.bind",
    "socket.sendto",
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.startfile",
    "webbrowser.open",
    "shutil.copyfile",
    "os.rename",
    "os.truncate",
    "tempfile.mkstemp",
    "tempfile.mkdtemp",
}

_recording: list[tuple[str, tuple[Any, ...]]] | None = None


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _recording is None:
        return
    if event == "open":
        path, mode, flags = ([*list(args), None, None, None])[:3]
        writes = isinstance(mode, str) and any(c in mode for c in "wax+")
        # os.open() reports flags instead of a mode: O_WRONLY | O_RDWR | O_CREAT | O_APPEND.
        writes = writes or (isinstance(flags, int) and flags & 0o3103 != 0 and mode is None)
        if writes:
            _recording.append((event, (path, mode, flags)))
    elif event in WATCHED:
        _recording.append((event, args))


sys.addaudithook(_hook)


@contextmanager
def recording() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """Record watched events inside the ``with`` block."""
    global _recording
    events: list[tuple[str, tuple[Any, ...]]] = []
    _recording = events
    try:
        yield events
    finally:
        _recording = None


def live(kind: type) -> list[object]:
    return [obj for obj in objects_in_memory() if isinstance(obj, kind)]


async def answer_all(pilot: Any, answer_id: str, count: int) -> None:
    for _ in range(count):
        await tap(pilot, f"#answer-{answer_id}")


@pytest.mark.parametrize("answer", ["yes", "no", "not_sure"])
async def test_self_check_writes_sends_and_spawns_nothing(
    make_app: AppFactory, library: ContentLibrary, capfd: pytest.CaptureFixture[str], answer: str
) -> None:
    selfcheck = library.get("en").selfcheck
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        with recording() as events:
            await tap(pilot, "#open-selfcheck")
            await tap(pilot, "#start")
            await answer_all(pilot, answer, len(selfcheck.questions))
            assert isinstance(app.screen, SelfCheckScreen)
            assert app.screen.step == len(selfcheck.questions)  # the result is showing
            await tap(pilot, "#start-over")
        assert isinstance(app.screen, WelcomeScreen)
    assert events == [], f"the self-check touched the outside world: {events}"
    # Nothing the visitor answered (or the reasons built from it) reached stdout or stderr.
    captured = capfd.readouterr()
    lines = [line for question in selfcheck.questions for line in question.talk_over.values()]
    lines += [
        text for rule in selfcheck.rules for by in rule.reasons.values() for text in by.values()
    ]
    for line in lines:
        assert line not in captured.out and line not in captured.err
    for result in selfcheck.results:
        assert result.heading not in captured.out + captured.err


async def test_no_answer_survives_start_over(make_app: AppFactory, library: ContentLibrary) -> None:
    selfcheck = library.get("en").selfcheck
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter")
        for _ in selfcheck.questions:
            await pilot.press("y")
        assert len(live(AnswerSheet)) == 1
        assert len(live(Outcome)) == 0  # the outcome is not even kept while on screen
        assert selfcheck.result("medical_first").heading in screen_text(app)
        await pilot.click("#start-over")
        assert isinstance(app.screen, WelcomeScreen)
        await screen_drawn(app, pilot)
        assert live(AnswerSheet) == []
        assert live(SelfCheckScreen) == []
        # Back and Escape cannot bring the result back: there is nothing behind the welcome.
        await pilot.press("escape")
        assert isinstance(app.screen, WelcomeScreen)
        assert len(app.screen_stack) == 2


async def test_leaving_the_self_check_drops_the_answers(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for leave in ("1", "2", "escape"):
            await pilot.press("3", "enter", "y", "n")
            assert len(live(AnswerSheet)) == 1
            await pilot.press(leave)
            if leave == "escape":  # Escape steps back one question at a time, then leaves
                await pilot.press("escape", "escape", "escape")
            await pilot.pause()
            assert not isinstance(app.screen, SelfCheckScreen)
            await screen_drawn(app, pilot)
            assert live(AnswerSheet) == [], f"answers survived leaving with {leave!r}"
            # Going back in starts a fresh self-check at its intro.
            await pilot.press("3")
            assert isinstance(app.screen, SelfCheckScreen)
            assert app.screen.step == -1 and len(app.screen.answers) == 0
            await pilot.press("escape")


async def test_idle_reset_and_quick_hide_leave_no_trace(
    make_app: AppFactory, library: ContentLibrary, capfd: pytest.CaptureFixture[str]
) -> None:
    """The two ways a visit ends without Start over: walking away, and Hide."""
    from kiosk.screens.idle import IdleWarningScreen
    from tests.conftest import FakeClock

    clock = FakeClock()
    app = make_app(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        with recording() as events:
            # Walk away in the middle of the self-check: warning, countdown, reset.
            await pilot.press("3", "enter", "y", "n", "s")
            assert len(live(AnswerSheet)) == 1
            clock.now += app.settings.kiosk.idle_seconds
            app.check_idle_time()
            await pilot.pause()
            warning = app.screen
            assert isinstance(warning, IdleWarningScreen)
            while app.screen is warning:
                warning.tick()
                await pilot.pause()
            assert isinstance(app.screen, WelcomeScreen)
            await screen_drawn(app, pilot)
            assert live(AnswerSheet) == [] and live(SelfCheckScreen) == []
            # Hide on the result screen.
            await pilot.press("3", "enter", *"yyyyyyy")
            assert len(live(AnswerSheet)) == 1
            await pilot.press("x")
            assert isinstance(app.screen, WelcomeScreen)
            await screen_drawn(app, pilot)
            assert live(AnswerSheet) == [] and live(SelfCheckScreen) == []
            assert len(app.screen_stack) == 2
    assert events == [], f"ending a visit touched the outside world: {events}"
    captured = capfd.readouterr()
    for result in library.get("en").selfcheck.results:
        assert result.heading not in captured.out + captured.err


@pytest.mark.parametrize("leave", ["home", "hide-key", "hide-button", "idle", "learn"])
async def test_help_over_the_self_check_keeps_the_answers_until_the_visit_ends(
    make_app: AppFactory, leave: str
) -> None:
    """Help (H or "Get help now") shows over the self-check, and Back returns to the same
    question with every answer; Home, Hide, another area and the idle reset, from the help
    over it, still erase everything."""
    from kiosk.screens.idle import IdleWarningScreen
    from tests.conftest import FakeClock

    clock = FakeClock()
    app = make_app(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter", "y", "n")
        self_check = app.screen
        assert isinstance(self_check, SelfCheckScreen) and self_check.step == 2
        with recording() as events:
            await tap(pilot, "#nav-help")
            # Over the question, by the self-check itself: no other screen holds anything.
            assert app.screen is self_check and self_check.help_shown
            text = screen_text(app)
            assert "Your answers are kept. Press Back" in text and "(425) 629-0433" in text
            assert "Question 3 of 7" not in text
            await pilot.press("h")  # help again: stays
            assert self_check.help_shown and len(app.screen_stack) == 3
            await pilot.press("y")  # an answer key does nothing while the help shows
            assert self_check.step == 2 and len(self_check.answers) == 2
            await tap(pilot, "#nav-back")
            assert app.screen is self_check and self_check.step == 2
            assert not self_check.help_shown and len(self_check.answers) == 2
            assert "Question 3 of 7" in screen_text(app)
            await pilot.press("h")
            await pilot.press("3")  # the self-check again: the visitor's own, not a new one
            assert app.screen is self_check and len(self_check.answers) == 2
            assert not self_check.help_shown and self_check.step == 2
            await pilot.press("h")
            if leave == "home":
                await tap(pilot, "#nav-home")
            elif leave == "hide-key":
                await pilot.press("x")
            elif leave == "hide-button":
                await tap(pilot, "#nav-hide")
            elif leave == "learn":
                await pilot.press("1")
            else:
                clock.now += app.settings.kiosk.idle_seconds
                app.check_idle_time()
                await pilot.pause()
                warning = app.screen
                assert isinstance(warning, IdleWarningScreen)
                while app.screen is warning:
                    warning.tick()
                    await pilot.pause()
            assert not isinstance(app.screen, SelfCheckScreen)
            await screen_drawn(app, pilot)
            del self_check
            forget_the_pilots_view()
            assert live(AnswerSheet) == [] and live(SelfCheckScreen) == []
            # Nothing to go back to: Escape cannot bring the self-check back.
            await pilot.press("escape", "escape")
            assert isinstance(app.screen, WelcomeScreen)
    assert events == [], f"help over the self-check touched the outside world: {events}"
