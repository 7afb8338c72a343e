"""Kept screens, the spare self-check, and what makes an input one frame (see kiosk.app).

Learn, Compare (with its side-by-side and pros-and-cons views) and Help are built once and
shown again; the self-check is new for every visitor, built ahead as a spare. These tests hold
the promises that make that safe: a kept screen always comes back at its start, a reset leaves
no visitor's choice on any of them, and the spare never holds an answer.
"""

from __future__ import annotations

import asyncio
import gc
import weakref
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import ContentSwitcher, Static

from kiosk.app import KioskApp
from kiosk.config import load_settings
from kiosk.content.model import load_library
from kiosk.parts.collector import FULL_COLLECTION_THRESHOLD
from kiosk.parts.idle import PAUSE_SECONDS
from kiosk.parts.live_content import Loaded
from kiosk.parts.screen_pool import KEPT_SCREENS
from kiosk.rules.selfcheck import AnswerSheet
from kiosk.screens.base import KioskScreen
from kiosk.screens.compare import CompareScreen, OptionScreen, OptionToggle, SideBySideScreen
from kiosk.screens.learn import LearnScreen, SectionView
from kiosk.screens.selfcheck import SelfCheckScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.textual_internals import watch_frames
from tests.conftest import (
    CONFIG_FILE,
    CONTENT_DIR,
    AppFactory,
    forget_the_pilots_view,
    objects_in_memory,
    screen_drawn,
    screen_text,
    settle,
    tap,
)

SIZE = (80, 24)


def prepared_app(**options: Any) -> KioskApp:
    """The kiosk as `kiosk run` starts it: kept screens and a spare self-check built ahead."""
    return KioskApp(
        load_settings(CONFIG_FILE), load_library(CONTENT_DIR), build_ahead=True, **options
    )


async def preparing_done(app: KioskApp, pilot: Any) -> None:
    """Wait until no screen is being built in the background (a bounded wait)."""
    for _ in range(500):
        if not [w for w in app.workers if w.group == "prepare" and not w.is_finished]:
            return
        await pilot.pause(0.01)
    raise AssertionError("screens were still being built after 5 s")


async def prepared(app: KioskApp, pilot: Any) -> None:
    """Wait until the background preparation has finished (a bounded wait, not a sleep) and
    the screen on show has been drawn since (see conftest.screen_drawn: the privacy checks
    start from there)."""
    for _ in range(500):
        if app.spare_self_check is not None and app.spare_self_check.is_mounted:
            await preparing_done(app, pilot)
            await screen_drawn(app, pilot)
            return
        await pilot.pause(0.01)
    raise AssertionError("the screens were not prepared within 5 s")


def live_self_checks() -> list[SelfCheckScreen]:
    return [obj for obj in objects_in_memory() if isinstance(obj, SelfCheckScreen)]


def answer_sheets_with_answers() -> list[AnswerSheet]:
    return [obj for obj in objects_in_memory() if isinstance(obj, AnswerSheet) and len(obj) > 0]


async def test_kept_screens_are_reused_and_come_back_at_their_start(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "right", "right")
        learn = app.screen
        assert isinstance(learn, LearnScreen) and learn.open_section_id != "understanding_iop"
        await pilot.press("escape", "1")
        assert app.screen is learn  # the same object, shown again
        assert learn.open_section_id == learn.content.learn.sections[0].id
        assert learn.focused is learn.first_focus()

        await pilot.press("escape", "2")
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        await tap(pilot, "#pick-iop")
        await tap(pilot, "#pick-php")
        assert [option.id for option in compare.picked] == ["iop", "php"]
        await pilot.press("escape", "2")
        assert app.screen is compare and compare.picked == []
        status = compare.query_one("#compare-status", Static)
        assert str(status.content) == compare.content.ui.compare_pick_hint


async def test_side_by_side_and_details_show_what_was_picked(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        for first, second in (("iop", "php"), ("outpatient", "inpatient")):
            await tap(pilot, f"#pick-{first}")
            await tap(pilot, f"#pick-{second}")
            await tap(pilot, "#side-by-side")
            screen = app.screen
            assert isinstance(screen, SideBySideScreen)
            assert [option.id for option in screen.options] == [first, second]
            shown = [b.id for b in screen.query(".details-button") if b.display]
            assert shown == [f"details-{first}", f"details-{second}"]
            names = {o.id: o.short_name for o in screen.content.compare.options}
            text = screen_text(app)
            assert names[first] in text and names[second] in text
            await tap(pilot, f"#details-{second}")
            assert isinstance(app.screen, OptionScreen) and app.screen.option.id == second
            assert app.screen.option.summary.text.split()[0] in screen_text(app)
            await pilot.press("escape", "escape")
            assert isinstance(app.screen, CompareScreen)
            await tap(pilot, "#clear")


async def test_pressing_2_on_side_by_side_goes_back_to_the_kept_compare(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        compare = app.screen
        await tap(pilot, "#pick-iop")
        await tap(pilot, "#pick-php")
        await tap(pilot, "#side-by-side")
        await pilot.press("2")
        assert app.screen is compare and compare.picked == []
        assert len(app.screen_stack) == 3


async def test_a_reset_leaves_no_pick_on_any_kept_screen(make_app: AppFactory) -> None:
    """Picks are the visitor's choices: after Hide they are gone even from screens not shown."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await tap(pilot, "#pick-inpatient")
        await tap(pilot, "#pick-detox")
        await tap(pilot, "#side-by-side")
        await tap(pilot, "#details-detox")
        await pilot.press("x")
        assert isinstance(app.screen, WelcomeScreen)
        for screen in app.pool.all_kept():
            if isinstance(screen, CompareScreen):
                assert screen.picked == []
            if isinstance(screen, SideBySideScreen):
                first_two = [o.id for o in screen.content.compare.options[:2]]
                assert [o.id for o in screen.options] == first_two
            if isinstance(screen, OptionScreen):
                assert screen.option == screen.content.compare.options[0]


async def test_new_content_and_errors_discard_the_kept_screens(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        learn = app.screen
        await pilot.press("escape")
        app.action_reset(notice="Something went wrong. Starting again.")
        await pilot.pause()
        assert app.pool.all_kept() == []
        await pilot.press("1")
        assert isinstance(app.screen, LearnScreen) and app.screen is not learn
        await pilot.pause()
        assert not learn.is_attached  # the old one was removed, not just forgotten


async def test_prepared_kiosk_builds_every_kept_screen_and_a_spare(tmp_path: Path) -> None:
    app = prepared_app()
    async with app.run_test(size=SIZE) as pilot:
        await prepared(app, pilot)
        kept = app.pool.all_kept()
        assert {type(screen).__name__ for screen in kept} == set(KEPT_SCREENS.values())
        assert len(kept) == len(KEPT_SCREENS) * len(app.library.languages)
        for screen in app.pool.all_kept():
            assert screen.is_mounted and screen.size == app.size  # laid out already
        spare = app.spare_self_check
        assert spare is not None and spare.step == -1 and len(spare.answers) == 0
        # Opening the self-check shows the spare, at its intro, with the Start button focused.
        await pilot.press("3")
        assert app.screen is spare and spare.focused is spare.first_focus()
        await pilot.press("enter", "y", "n")
        assert spare.step == 2
        # Start over: the used self-check and its answers are gone; a new, empty spare waits.
        used = weakref.ref(spare)
        del spare
        await pilot.press("x")
        await prepared(app, pilot)
        assert app.spare_self_check is not None and app.spare_self_check.step == -1
        assert answer_sheets_with_answers() == []
        assert used() is None
        assert live_self_checks() == [app.spare_self_check]


async def test_spare_self_check_is_laid_out_ahead_and_waits_at_its_intro() -> None:
    """The spare's question and result views are laid out before anyone uses it (a view shown
    for the first time needs a second frame), and it is then set back to its intro: Start
    focused, and nothing in the result."""
    app = prepared_app()
    async with app.run_test(size=SIZE) as pilot:
        await prepared(app, pilot)
        spare = app.spare_self_check
        assert spare is not None
        for view in ("#selfcheck-question", "#selfcheck-result"):
            assert spare.query_one(view).virtual_size.height > 0, f"{view} was never laid out"
        assert spare.query_one(ContentSwitcher).current == "selfcheck-intro"
        assert spare.step == -1 and spare.focused is spare.first_focus()
        for part in ("#result-heading", "#result-message", "#result-reasons"):
            assert not str(spare.query_one(part, Static).content), part


async def test_a_spare_taken_while_it_lays_out_its_views_starts_at_its_intro() -> None:
    """A visitor may open the self-check while the spare is showing its question view off
    screen (being laid out ahead): they get its intro, never an empty question."""
    app = prepared_app()
    async with app.run_test(size=SIZE) as pilot:
        await prepared(app, pilot)
        spare = app.spare_self_check
        assert spare is not None
        show_question, *_ = spare.views_to_prepare()
        show_question()  # where the builder leaves it mid-way
        await pilot.press("3")
        assert app.screen is spare
        assert spare.query_one(ContentSwitcher).current == "selfcheck-intro"
        assert spare.focused is spare.first_focus()


async def test_spare_of_another_language_is_not_used() -> None:
    app = prepared_app()
    async with app.run_test(size=SIZE) as pilot:
        await prepared(app, pilot)
        english_spare = app.spare_self_check
        app.action_set_language("es")
        await pilot.pause()
        await pilot.press("3")
        screen = app.screen
        assert isinstance(screen, SelfCheckScreen) and screen is not english_spare
        assert screen.language == "es"
        # The title may wrap in the top bar beside the buttons ("Autoevaluación / privada").
        title = app.library.get("es").ui.selfcheck_title
        assert all(word in screen_text(app) for word in title.split())


async def test_going_back_from_the_result_empties_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "enter", *"yyyyyyy")
        screen = app.screen
        assert isinstance(screen, SelfCheckScreen)
        assert str(screen.query_one("#result-heading", Static).content)
        await pilot.press("escape")  # back to the last question
        for part in ("#result-heading", "#result-message", "#result-reasons"):
            assert not str(screen.query_one(part, Static).content), part


def page_buttons_match(app: KioskApp) -> str:
    """ "" when ▲ / ▼ are shown exactly if the view on screen scrolls, else what is wrong."""
    screen = app.screen
    assert isinstance(screen, KioskScreen)
    view = screen.page_target()
    assert view is not None
    down = screen.query_one("#page-down")
    if down.disabled != (view.max_scroll_y == 0):
        return f"{view.id}: scrolls by {view.max_scroll_y}, page buttons disabled={down.disabled}"
    return ""


@pytest.mark.parametrize("prepare", [False, True], ids=["built-on-demand", "built-ahead"])
async def test_page_buttons_match_the_text_on_every_tab_and_question(prepare: bool) -> None:
    """▲ / ▼ show exactly when the view on screen scrolls. They once lagged a view behind, and
    on screens built ahead they stayed hidden on tabs whose text scrolls."""
    for size in ((80, 24), (60, 40)):
        app = (
            prepared_app()
            if prepare
            else KioskApp(load_settings(CONFIG_FILE), load_library(CONTENT_DIR))
        )
        async with app.run_test(size=size) as pilot:
            if prepare:
                await prepared(app, pilot)
            problems: list[str] = []
            await pilot.press("1")
            for _ in app.content.learn.sections:
                await pilot.pause()
                problems.append(page_buttons_match(app))
                await pilot.press("right")
            await pilot.press("3", "enter")
            for _ in range(len(app.content.selfcheck.questions) + 1):
                await pilot.pause()
                problems.append(page_buttons_match(app))
                await pilot.press("y")
            assert [problem for problem in problems if problem] == [], size


async def test_status_line_keeps_its_height(make_app: AppFactory) -> None:
    """Picking changes the words above the options, never where the options are."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        picker = app.screen.query_one("#option-picker")
        body = app.screen.query_one("#compare-body")
        # Where the options are in the text, not on the glass: tapping one further down
        # scrolls the text to it, which is no move of the options.
        top = picker.region.y + body.scroll_y
        for selector in ("#pick-iop", "#pick-outpatient", "#pick-php", "#pick-smart", "#clear"):
            await tap(pilot, selector)
            await settle(pilot)
            assert picker.region.y + body.scroll_y == top, selector


async def test_preparing_never_delays_the_first_frame() -> None:
    """The welcome screen is drawn before any other screen is built."""
    app = prepared_app()
    drawn: list[str] = []

    def frame(screen: Any, update: Any) -> None:
        drawn.append(f"{type(screen).__name__} kept={len(app.pool.all_kept())}")

    watch_frames(app, frame)
    async with app.run_test(size=SIZE) as pilot:
        await prepared(app, pilot)
    assert drawn[0] == "WelcomeScreen kept=0"


async def test_visitor_can_use_the_kiosk_while_it_prepares() -> None:
    app = prepared_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")  # before preparation has finished
        assert isinstance(app.screen, CompareScreen)
        await tap(pilot, "#pick-iop")
        assert isinstance(app.screen.query_one("#pick-iop"), OptionToggle)
        await prepared(app, pilot)
        await pilot.press("1")
        assert isinstance(app.screen, LearnScreen)
        assert app.screen.query(SectionView)


async def test_prepared_kiosk_keeps_no_answer_after_hide_or_idle_reset() -> None:
    from kiosk.screens.idle import IdleWarningScreen
    from tests.conftest import FakeClock

    clock = FakeClock()
    app = prepared_app(clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        endings = ("hide on the result", "idle reset", "help, then hide", "help, then home")
        for ending in (*endings, "help, then idle reset"):
            await prepared(app, pilot)
            await pilot.press("3", "enter", *"ynsy")
            if ending.startswith("help"):
                # Help over the self-check, back to it, help again, then the visit ends.
                await tap(pilot, "#nav-help")
                await tap(pilot, "#nav-back")
                assert isinstance(app.screen, SelfCheckScreen) and len(app.screen.answers) == 4
                await pilot.press("h")
            if ending == "hide on the result":
                await pilot.press(*"ysn", "x")
            elif ending == "help, then hide":
                await pilot.press("x")
            elif ending == "help, then home":
                await tap(pilot, "#nav-home")
            else:
                clock.now += app.settings.kiosk.idle_seconds
                app.check_idle_time()
                await pilot.pause()
                assert isinstance(app.screen, IdleWarningScreen)
                # No local name for the warning: the test must not keep it (and what it saw).
                while isinstance(app.screen, IdleWarningScreen):
                    app.screen.tick()
                    await pilot.pause()
            # The welcome screen comes a message or two after the key (a bounded wait: on a
            # loaded machine the check right after the key failed once in three full runs).
            for _ in range(200):
                if isinstance(app.screen, WelcomeScreen):
                    break
                await pilot.pause(0.01)
            assert isinstance(app.screen, WelcomeScreen), ending
            await prepared(app, pilot)
            forget_the_pilots_view()
            assert answer_sheets_with_answers() == [], ending
            # Not bound to a name: a list kept here would keep this spare alive next round.
            assert live_self_checks() == [app.spare_self_check], ending


async def test_a_spare_dropped_while_it_is_built_leaves_nothing_running() -> None:
    """A visitor opens the self-check while its spare is still being built, and leaves at
    once: the screen is removed half-built. The builder must stop with it, or the removed
    screen gets a new frame timer that runs until Python destroys it mid-wait."""
    loop = asyncio.get_running_loop()
    problems: list[str] = []
    loop.set_exception_handler(lambda _loop, context: problems.append(context["message"]))
    try:
        app = prepared_app()
        async with app.run_test(size=SIZE) as pilot:
            await prepared(app, pilot)
            await pilot.press("3")
            app.action_reset()  # Start over: the next spare is built from now on
            for _ in range(1000):  # step the event loop until that spare exists, unfinished
                spare = app.spare_self_check
                if spare is not None and not spare.is_mounted:
                    break
                await asyncio.sleep(0)
            else:
                raise AssertionError("never caught the spare while it was being built")
            del spare
            app.action_open_area("selfcheck")
            app.action_home()
            await preparing_done(app, pilot)
            await prepared(app, pilot)
            for _ in range(3):
                gc.collect()
                await pilot.pause()
    finally:
        loop.set_exception_handler(None)
    assert problems == []


async def test_discarding_screens_while_they_are_built_does_not_stop_the_builder() -> None:
    """Crash recovery (or new content) discards every kept screen, perhaps mid-build: the
    builder gives those up and still builds the next spare self-check later."""
    app = prepared_app()
    async with app.run_test(size=SIZE) as pilot:
        app.action_reset(notice=app.content.ui.error_message)  # straight away: mid-build
        await preparing_done(app, pilot)
        await pilot.press("3", "escape")  # leaving a self-check asks for a new spare
        await prepared(app, pilot)
        assert app.spare_self_check is not None and app.spare_self_check.step == -1


async def test_kept_screens_are_frozen_out_of_full_collections_and_thawed_when_dropped() -> None:
    """Each full garbage collection would scan every kept screen again (50-70 ms between a
    tap and the screen): built, they join the start-up objects in the frozen generation. When
    they are discarded, everything thaws so the collector can free them."""
    app = prepared_app(tune_collector=True)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await prepared(app, pilot)
            learn = app.pool.kept_if_made("learn", "en")
            frozen = gc.get_freeze_count()
            assert frozen > 0
            assert learn.is_mounted
            app.action_reset(notice=app.content.ui.error_message)
            await pilot.pause()
            assert gc.get_freeze_count() == 0
            dropped = weakref.ref(learn)
            del learn
            await preparing_done(app, pilot)
            for _ in range(3):
                gc.collect()
                await pilot.pause()
            assert dropped() is None
    finally:
        gc.unfreeze()


async def test_full_collections_wait_for_the_visitor_to_pause() -> None:
    """A full collection takes 20-35 ms: after the first frame Python's own become rare, and
    the kiosk runs one once the visitor has stopped for a moment (to read), where it keeps
    nobody waiting for a frame; one per pause."""
    thresholds = gc.get_threshold()
    now = [1000.0]
    full_collections: list[float] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full_collections.append(now[0])

    app = prepared_app(tune_collector=True, clock=lambda: now[0])
    gc.callbacks.append(record)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await prepared(app, pilot)
            assert gc.get_threshold()[2] == FULL_COLLECTION_THRESHOLD
            await pilot.press("1")  # a visitor
            full_collections.clear()
            app.check_idle_time()
            assert full_collections == []  # no pause yet
            now[0] += PAUSE_SECONDS
            app.check_idle_time()
            assert full_collections == [now[0]]
            now[0] += PAUSE_SECONDS
            app.check_idle_time()
            assert full_collections == [now[0] - PAUSE_SECONDS]  # once per pause
            await pilot.press("right")
            now[0] += PAUSE_SECONDS
            app.check_idle_time()
            assert len(full_collections) == 2
    finally:
        gc.callbacks.remove(record)
        gc.set_threshold(*thresholds)
        gc.unfreeze()


async def answer_and_start_over(app: KioskApp, pilot: Any) -> weakref.ref[SelfCheckScreen]:
    """Open the self-check, answer every question, then Start over; returns the used screen."""
    await pilot.press("3", "enter")
    used = app.screen
    assert isinstance(used, SelfCheckScreen)
    await pilot.press(*"y" * len(used.questions))
    assert used.step == len(used.questions) and len(used.answers) > 0  # the result shows
    closed = weakref.ref(used)
    # By keyboard: a pilot's tap holds the tapped widget, and so its screen, for a while.
    used.query_one("#start-over").focus()
    del used
    await pilot.press("enter")
    assert isinstance(app.screen, WelcomeScreen)
    return closed


@pytest.mark.parametrize("when", ["while the screens are built", "after an error", "new content"])
async def test_a_self_check_is_never_frozen_so_its_answers_are_freed(when: str) -> None:
    """The kiosk exempts the objects that live as long as it does from garbage collection
    (gc.freeze) when it has built its screens ahead. A frozen object is never freed by the
    collector, and a screen is only freed by it: a self-check caught in a freeze, open or just
    closed, would keep its answers for as long as the kiosk runs. Each case has the kiosk
    build (and freeze) while a self-check exists: open (a visitor quicker than the build, as
    at start), or just closed (the rebuild after an error or for new content)."""
    app = prepared_app(tune_collector=True)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await prepared(app, pilot)
            if when == "while the screens are built":
                app.content_loaded(Loaded(app.settings, app.library))  # staff's change: a rebuild
                for _ in range(1000):  # step the event loop until the build has begun
                    if [w for w in app.workers if w.group == "prepare" and not w.is_finished]:
                        break
                    await asyncio.sleep(0)
                else:
                    raise AssertionError("never caught the kiosk building its screens")
                app.action_open_area("selfcheck")  # the self-check answered below
                assert isinstance(app.screen, SelfCheckScreen)
                await preparing_done(app, pilot)  # the build ends while it is open
            elif when == "after an error":
                app.action_reset(notice=app.content.ui.error_message)
                await pilot.pause()
            else:  # staff's change validated while a visitor answers: it shows at a reset
                await pilot.press("3", "enter", "y")
                app.content_loaded(Loaded(app.settings, app.library))
                await pilot.press("escape", "escape")
            closed = await answer_and_start_over(app, pilot)
            await prepared(app, pilot)
            for _ in range(3):
                gc.collect()
                await pilot.pause()
            assert closed() is None, f"a self-check outlived Start over ({when})"
            # The freeze was put off, not dropped: by the next visitor's self-check at the
            # latest, the kept screens are frozen again, and that self-check is freed too.
            closed = await answer_and_start_over(app, pilot)
            await prepared(app, pilot)
            assert gc.get_freeze_count() > 0
            for _ in range(3):
                gc.collect()
                await pilot.pause()
            assert closed() is None, f"the next self-check outlived Start over ({when})"
    finally:
        gc.unfreeze()


async def test_a_closed_self_check_is_erased_at_once(make_app: AppFactory) -> None:
    """Start over, Home, Back and the idle reset erase a self-check's answers and result as
    they close it, not only when Python frees it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for leave in ("start over", "home", "back", "reset"):
            await pilot.press("3", "enter")
            self_check = app.screen
            assert isinstance(self_check, SelfCheckScreen)
            await pilot.press(*"y" * len(self_check.questions))
            heading = self_check.query_one("#result-heading", Static)
            assert str(heading.content)  # the result shows
            if leave == "start over":
                await tap(pilot, "#start-over")
            elif leave == "home":
                app.action_home()
            elif leave == "back":
                while self_check.go_back():  # from the result to the intro, then out
                    pass
                assert len(self_check.answers) > 0  # going back inside keeps the answers
                await app.action_back()
            else:
                app.action_reset()
            await pilot.pause()
            assert isinstance(app.screen, WelcomeScreen)
            assert len(self_check.answers) == 0, leave
            assert self_check.step == -1
            assert str(heading.content) == "", leave
            del self_check, heading
