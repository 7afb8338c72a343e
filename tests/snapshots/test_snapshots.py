"""SVG snapshots of every screen at 60x40 (a portrait touchscreen), 80x24 (the smallest common
terminal) and 160x48; of the main screens in the high-contrast theme and in Spanish; and of
welcome, a Learn tab, side by side, a question, a result, help and the language list in
Vietnamese, Russian and Chinese at all three sizes (wide characters, stacked marks).

Update with ``pytest tests/snapshots/test_snapshots.py --snapshot-update``, then look at every
changed picture (``rsvg-convert file.svg -o file.png``) before committing it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from kiosk.content.model import ContentLibrary
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
#: The medical result also has answers to talk over (neutral lines under the reasons).
RESULT_ANSWERS = {
    "medical_first": {"withdrawal": "y", "stay_clean_at_home": "s", "keep_working": "y"},
    "step_down": {"stay_clean_at_home": "y", "finished_inpatient": "y"},
    "more_support": {"outpatient_before": "y", "stay_clean_at_home": "n"},
    "iop_fit": {"stay_clean_at_home": "y", "keep_working": "y", "cost_worries": "y"},
    "talk_it_through": {"stay_clean_at_home": "y"},
}
#: Lobby screens (PRODUCT.md): a 24" landscape and a portrait touchscreen.
LOBBY_SIZES = [pytest.param((147, 40), id="147x40"), pytest.param((80, 66), id="80x66")]
#: Each language's answer keys, as typed (the Spanish "No sé" is the ? key).
KEYS = {
    "en": {"y": "y", "n": "n", "s": "s"},
    "es": {"y": "s", "n": "n", "s": "question_mark"},
    "vi": {"y": "c", "n": "k", "s": "question_mark"},
    "ru": {"y": "d", "n": "n", "s": "question_mark"},
    "zh-Hans": {"y": "y", "n": "n", "s": "question_mark"},
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


def test_every_result_has_a_snapshot(library: ContentLibrary) -> None:
    """Guard: a result added to the content must get a snapshot too."""
    assert [r.id for r in library.get("en").selfcheck.results] == list(RESULT_ANSWERS)


def test_answers_listed_lead_to_their_results(library: ContentLibrary) -> None:
    from kiosk.rules.selfcheck import evaluate

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


@pytest.mark.parametrize("size", [*SIZES, *LOBBY_SIZES])
def test_selfcheck_question(snap_compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("3", "enter", "n"))


def answer_keys(language: str, result_id: str, questions: list[str]) -> list[str]:
    """The keys a visitor of ``language`` presses to reach ``result_id``."""
    given = RESULT_ANSWERS[result_id]
    return [KEYS[language][given.get(question, "n")] for question in questions]


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


@pytest.mark.parametrize("size", LOBBY_SIZES)
def test_selfcheck_result_on_a_lobby_screen(
    snap_compare, make_app: AppFactory, library: ContentLibrary, size: tuple[int, int]
) -> None:
    questions = [question.id for question in library.get("en").selfcheck.questions]
    pressed = ["3", "enter", *answer_keys("en", "medical_first", questions)]
    assert snap_compare(make_app(), terminal_size=size, run_before=keys(*pressed))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("h"))


def test_help_over_the_self_check(snap_compare, make_app: AppFactory) -> None:
    """Help in the middle of the self-check: over it, with Back to return to the question."""
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=keys("3", "enter", "y", "h"))


def option_at(option_id: str, *, end: bool) -> Steps:
    """Open one option's screen; with ``end``, scrolled to its sources and review date."""

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("2")
        pilot.app.screen.pick(option_id)
        await tap(pilot, "#details")
        if end:
            pilot.app.screen.query_one(".body").scroll_end(animate=False, immediate=True)
            await pilot.pause()
        await settle(pilot)

    return steps


@pytest.mark.parametrize("end", [False, True], ids=["top", "sources"])
@pytest.mark.parametrize("option_id", ["residential", "inpatient", "twelve_step", "detox"])
def test_option_screen(snap_compare, make_app: AppFactory, option_id: str, end: bool) -> None:
    """The options whose facts needed the most care: pros, cons, values, sources, review."""
    assert snap_compare(
        make_app(), terminal_size=(100, 40), run_before=option_at(option_id, end=end)
    )


def variant_keys(screen: str, language: str) -> list[str]:
    """Keys from the welcome screen to ``screen``, in ``language`` (its answer keys)."""
    yes, no = KEYS[language]["y"], KEYS[language]["n"]
    return {
        "welcome": [],
        "learn": ["1"],
        "compare": ["2", "enter"],
        "question": ["3", "enter", yes],
        "result": ["3", "enter", yes, *[no] * 6],
        "help": ["h"],
    }[screen]


VARIANT_SCREENS = ["welcome", "learn", "compare", "question", "result", "help"]


#: The sizes lobby screens give (PRODUCT.md): 1920x1080 with the deployment guide's font, the
#: same at a larger font, and a 1080x1920 portrait screen.
LOBBY_LAYOUT_SIZES = [
    pytest.param((147, 40), id="147x40"),
    pytest.param((100, 29), id="100x29"),
    pytest.param((80, 66), id="80x66"),
]
THEME_IDS = [pytest.param("kiosk-light", id="normal"), pytest.param("kiosk-high-contrast", id="hc")]


@pytest.mark.parametrize("theme", THEME_IDS)
@pytest.mark.parametrize("screen", VARIANT_SCREENS)
@pytest.mark.parametrize("size", LOBBY_LAYOUT_SIZES)
def test_lobby_size(
    snap_compare, make_app: AppFactory, size: tuple[int, int], screen: str, theme: str
) -> None:
    """Every main screen at the lobby's sizes, in both themes: the content fills the screen
    (the welcome's choices over its height, a reading column, big answers in fixed rows)."""
    assert snap_compare(
        make_app(theme=theme), terminal_size=size, run_before=keys(*variant_keys(screen, "en"))
    )


@pytest.mark.parametrize("screen", VARIANT_SCREENS)
def test_high_contrast(snap_compare, make_app: AppFactory, screen: str) -> None:
    assert snap_compare(
        make_app(theme="kiosk-high-contrast"),
        terminal_size=(80, 24),
        run_before=keys(*variant_keys(screen, "en")),
    )


@pytest.mark.parametrize("screen", VARIANT_SCREENS)
def test_spanish(snap_compare, make_app: AppFactory, screen: str) -> None:
    assert snap_compare(
        make_app(default_language="es"),
        terminal_size=(80, 24),
        run_before=keys(*variant_keys(screen, "es")),
    )


@pytest.mark.parametrize("result_id", list(RESULT_ANSWERS))
def test_spanish_result(
    snap_compare, make_app: AppFactory, library: ContentLibrary, result_id: str
) -> None:
    """Every result in Spanish, on a lobby screen, where the whole of it shows."""
    questions = [question.id for question in library.get("es").selfcheck.questions]
    pressed = ["3", "enter", *answer_keys("es", result_id, questions)]
    assert snap_compare(
        make_app(default_language="es"), terminal_size=(100, 40), run_before=keys(*pressed)
    )


@pytest.mark.parametrize("end", [False, True], ids=["top", "sources"])
@pytest.mark.parametrize("option_id", ["iop", "residential", "inpatient", "twelve_step"])
def test_spanish_option_screen(
    snap_compare, make_app: AppFactory, option_id: str, end: bool
) -> None:
    assert snap_compare(
        make_app(default_language="es"),
        terminal_size=(100, 40),
        run_before=option_at(option_id, end=end),
    )


def test_spanish_help_over_the_self_check(snap_compare, make_app: AppFactory) -> None:
    assert snap_compare(
        make_app(default_language="es"),
        terminal_size=(80, 24),
        run_before=keys("3", "enter", "s", "h"),
    )


#: The languages added after English and Spanish: stacked marks (vi), Cyrillic (ru), and
#: characters two cells wide written without spaces (zh-Hans).
NEW_LANGUAGES = ["vi", "ru", "zh-Hans"]
LANGUAGE_SCREENS = ["welcome", "learn", "side_by_side", "question", "result", "help", "languages"]


def language_steps(screen: str, language: str, library: ContentLibrary) -> Steps:
    """From the welcome screen in ``language`` to ``screen``."""
    questions = [question.id for question in library.get(language).selfcheck.questions]
    pressed = {
        "welcome": [],
        "learn": ["1", "right"],
        "question": ["3", "enter", KEYS[language]["y"]],
        "result": ["3", "enter", *answer_keys(language, "medical_first", questions)],
        "help": ["h"],
        "languages": ["l"],
    }

    async def steps(pilot: Pilot[None]) -> None:
        if screen == "side_by_side":
            await pilot.press("2")
            pilot.app.screen.pick("iop", "inpatient", "smart")  # type: ignore[attr-defined]
            await tap(pilot, "#side-by-side")
        else:
            await pilot.press(*pressed[screen])
        await settle(pilot)

    return steps


@pytest.mark.parametrize("screen", LANGUAGE_SCREENS)
@pytest.mark.parametrize("language", NEW_LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_language(
    snap_compare,
    make_app: AppFactory,
    library: ContentLibrary,
    size: tuple[int, int],
    language: str,
    screen: str,
) -> None:
    """Every new language on the screens where its letters are hardest to lay out."""
    assert snap_compare(
        make_app(default_language=language),
        terminal_size=size,
        run_before=language_steps(screen, language, library),
    )
