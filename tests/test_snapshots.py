"""SVG snapshots of every screen at 60x40 (a portrait touchscreen), 80x24 (the smallest common
terminal) and 160x48; and of the main screens in the high-contrast theme and in Spanish.

Update with ``pytest tests/test_snapshots.py --snapshot-update``, then look at every changed
picture (``rsvg-convert file.svg -o file.png``) before committing it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from kiosk.content import ContentLibrary
from tests.conftest import AppFactory, settle, tap

SIZES = [
    pytest.param((60, 40), id="60x40"),
    pytest.param((80, 24), id="80x24"),
    pytest.param((160, 48), id="160x48"),
]

SECTION_IDS = [
    "understanding_iop",
    "other_options",
    "dual_diagnosis",
    "right_for_me",
    "detox_vs_rehab",
    "choosing_a_center",
    "iop_here",
    "talk_to_specialist",
]

#: Answers (question id -> key) that lead to each result; unlisted questions are answered No.
RESULT_ANSWERS = {
    "medical_first": {"withdrawal": "y"},
    "more_support": {"outpatient_before": "y", "stay_clean_at_home": "n"},
    "iop_fit": {"stay_clean_at_home": "y", "keep_working": "y", "cost_worries": "y"},
    "talk_it_through": {"stay_clean_at_home": "y"},
}

Steps = Callable[[Pilot[None]], Awaitable[None]]


def keys(*pressed: str) -> Steps:
    """Press keys, then wait for any pressed-button effect to end (a steady picture)."""

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press(*pressed)
        await settle(pilot)

    return steps


def test_sections_listed_match_content(library: ContentLibrary) -> None:
    """Guard: a section added to the content must get a snapshot too."""
    assert [s.id for s in library.get("en").learn.sections] == SECTION_IDS


def test_answers_listed_lead_to_their_results(library: ContentLibrary) -> None:
    from kiosk.selfcheck import evaluate

    selfcheck = library.get("en").selfcheck
    keys = {"y": "yes", "n": "no", "s": "not_sure"}
    for result_id, given in RESULT_ANSWERS.items():
        answers = {q.id: keys[given.get(q.id, "n")] for q in selfcheck.questions}
        assert evaluate(selfcheck, answers).result.id == result_id


@pytest.mark.parametrize("size", SIZES)
def test_welcome(snap_compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size)


@pytest.mark.parametrize("section_id", SECTION_IDS)
@pytest.mark.parametrize("size", SIZES)
def test_learn_tab(
    snap_compare, make_app: AppFactory, size: tuple[int, int], section_id: str
) -> None:
    async def open_tab(pilot: Pilot[None]) -> None:
        await pilot.press("1")
        await pilot.click(f"#tab-{section_id}")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=open_tab)


@pytest.mark.parametrize("size", SIZES)
def test_compare_grid(snap_compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    async def show_grid(pilot: Pilot[None]) -> None:
        await pilot.press("2")
        await pilot.pause()
        pilot.app.screen.query_one("#compare-grid").scroll_visible(animate=False, top=True)

    assert snap_compare(make_app(), terminal_size=size, run_before=show_grid)


@pytest.mark.parametrize("size", SIZES)
def test_compare_picker(snap_compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    async def pick_two(pilot: Pilot[None]) -> None:
        await pilot.press("2", "enter", "tab", "tab", "tab", "enter")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=pick_two)


@pytest.mark.parametrize("size", SIZES)
def test_compare_side_by_side(snap_compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    async def side_by_side(pilot: Pilot[None]) -> None:
        await pilot.press("2")
        pilot.app.screen.pick("iop", "inpatient", "smart")
        await tap(pilot, "#side-by-side")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=side_by_side)


@pytest.mark.parametrize("size", SIZES)
def test_compare_one_option(snap_compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    async def one_option(pilot: Pilot[None]) -> None:
        await pilot.press("2")
        pilot.app.screen.pick("iop")
        await tap(pilot, "#details")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=one_option)


@pytest.mark.parametrize("size", SIZES)
def test_selfcheck_intro(snap_compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("3"))


@pytest.mark.parametrize("size", SIZES)
def test_selfcheck_question(snap_compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("3", "enter", "n"))


@pytest.mark.parametrize("result_id", list(RESULT_ANSWERS))
@pytest.mark.parametrize("size", SIZES)
def test_selfcheck_result(
    snap_compare,
    make_app: AppFactory,
    library: ContentLibrary,
    size: tuple[int, int],
    result_id: str,
) -> None:
    questions = library.get("en").selfcheck.questions
    given = RESULT_ANSWERS[result_id]
    pressed = ["3", "enter", *(given.get(question.id, "n") for question in questions)]
    assert snap_compare(make_app(), terminal_size=size, run_before=keys(*pressed))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("h"))


#: Screens shown again in the high-contrast theme and in Spanish (keys from the welcome screen).
VARIANT_SCREENS = {
    "welcome": [],
    "learn": ["1"],
    "compare": ["2", "enter"],
    "question": ["3", "enter"],
    "result": ["3", "enter", *"ynnnnnn"],
    "help": ["h"],
}


@pytest.mark.parametrize("screen", list(VARIANT_SCREENS))
def test_high_contrast(snap_compare, make_app: AppFactory, screen: str) -> None:
    assert snap_compare(
        make_app(theme="kiosk-high-contrast"),
        terminal_size=(80, 24),
        run_before=keys(*VARIANT_SCREENS[screen]),
    )


@pytest.mark.parametrize("screen", list(VARIANT_SCREENS))
def test_spanish(snap_compare, make_app: AppFactory, screen: str) -> None:
    assert snap_compare(
        make_app(default_language="es"),
        terminal_size=(80, 24),
        run_before=keys(*VARIANT_SCREENS[screen]),
    )
