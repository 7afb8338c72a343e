"""The audio guide, heard through a recording espeak-ng stand-in on PATH (tests/standin/).

The kiosk finds "espeak-ng" on PATH as it does in a lobby; the stand-in writes down each
utterance's arguments and text instead of speaking. Every test asserts the exact words a
visitor who cannot see the screen would hear, after each key.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from textual.pilot import Pilot

from kiosk.app import KioskApp
from kiosk.config import Settings, SpeechSettings
from kiosk.content.model import ContentLibrary
from kiosk.screens.selfcheck import SelfCheckScreen
from kiosk.screens.welcome import WelcomeScreen
from tests.conftest import ROOT, AppFactory, screen_text
from tests.terminal import Terminal

STANDIN = ROOT / "tests" / "standin"
#: Separates the stand-in's records.
RECORD_END = "\n\x1e\n"


class Heard:
    """What the stand-in recorded: each utterance's arguments and words."""

    def __init__(self, record: Path) -> None:
        self.record = record
        self._seen = 0

    def all(self) -> list[tuple[str, str]]:
        """Every utterance so far: (arguments, words)."""
        if not self.record.exists():
            return []
        utterances = []
        for part in self.record.read_text(encoding="utf-8").split(RECORD_END):
            if part.strip():
                arguments, _, words = part.partition("\n")
                utterances.append((arguments, words))
        return utterances

    def new(self) -> list[str]:
        """The words of every utterance since the last call."""
        utterances = self.all()
        words = [text for _, text in utterances[self._seen :]]
        self._seen = len(utterances)
        return words


@pytest.fixture
def heard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Heard]:
    """The stand-in first on PATH, recording into a file of this test."""
    record = tmp_path / "spoken.txt"
    monkeypatch.setenv("PATH", f"{STANDIN}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("ESPEAK_RECORD", str(record))
    yield Heard(record)


def guided_app(settings: Settings, library: ContentLibrary, *, private: bool) -> KioskApp:
    """A kiosk with speech on (its Speaker finds the stand-in on PATH)."""
    speech = SpeechSettings(enabled=True, private_audio=private)
    return KioskApp(msgspec.structs.replace(settings, speech=speech), library)


async def quiet(app: KioskApp, pilot: Pilot[None]) -> None:
    """Wait until the guide has looked at the screen and the utterance has been recorded."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        await pilot.pause()
        process = app.speaker.process if app.speaker is not None else None
        if not app.guide_looking and (process is None or process.poll() is not None):
            return
        await asyncio.sleep(0.005)
    raise AssertionError("speech did not finish")


async def press(app: KioskApp, pilot: Pilot[None], heard: Heard, *keys: str) -> list[str]:
    """Press ``keys`` one by one, each heard out; every utterance they caused."""
    said: list[str] = []
    for key in keys:
        await pilot.press(key)
        await quiet(app, pilot)
        said += heard.new()
    return said


START = (
    "Audio guide on. Tab and the arrows move, Enter chooses, Escape goes back. 0 repeats, the "
    "period key reads the whole screen, plus and minus change the volume, star and slash the "
    "speed. 5 turns the guide off."
)
WELCOME = (
    "Welcome to Northpoint Evergreen\nPress 1 to learn about I O P, 2 to compare options, 3 for "
    "the private self-check, or H for the help lines. Tab moves between the buttons."
)
HELP_LINES = (
    "If you need help now, you can call one of these lines.\n"
    "Northpoint Evergreen: 4 2 5, 6 2 9, 0 4 3 3. Talk to an addiction specialist about "
    "treatment, insurance, or how to get started.\n"
    "Suicide & Crisis Lifeline: 9 8 8. Call or text, any time. Free.\n"
    "Emergency: 9 1 1. If someone is in danger or may have overdosed.\n"
    "SAMHSA National Helpline: 1, 800, 6 6 2, 4 3 5 7. Free and private. Open 24 hours a day, "
    "7 days a week. In English and Spanish."
)
OFFER = "For the audio guide, press 5: the key with the raised dot, in the middle of the keypad."
KEYS = "Press Y for Yes, N for No, or S for Not sure."


async def test_arrival_is_silent_then_a_key_offers_the_guide_once(
    settings: Settings, library: ContentLibrary, heard: Heard
) -> None:
    app = guided_app(settings, library, private=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await quiet(app, pilot)
        assert heard.new() == []  # the lobby is shared: nothing on arrival
        assert await press(app, pilot, heard, "tab") == [OFFER]
        assert await press(app, pilot, heard, "tab", "shift+tab") == []  # once a visit
        assert await press(app, pilot, heard, "5") == [
            f"{START}\n{WELCOME}\nButton, Compare options, 2 of 8"
        ]
        assert await press(app, pilot, heard, "tab") == ["Button, Private self-check, 3 of 8"]
        assert await press(app, pilot, heard, "5") == ["Audio guide off."]
        assert await press(app, pilot, heard, "tab") == []


async def test_focus_moves_and_arrivals_on_every_screen(
    settings: Settings, library: ContentLibrary, heard: Heard
) -> None:
    app = guided_app(settings, library, private=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(app, pilot, heard, "5")
        # Learn: the tab, how to read it; a tab read with Enter; Left / Right.
        assert await press(app, pilot, heard, "1") == [
            "Learn about I O P\nTab 1 of 8, What is I O P?\n"
            "Press Enter to read it; left and right change tabs."
        ]
        assert await press(app, pilot, heard, "right") == ["Tab 2 of 8, Other options."]
        (section,) = await press(app, pilot, heard, "enter")
        assert section.startswith("Other options\nI O P is one choice among many.")
        assert await press(app, pilot, heard, "tab") == ["Tab, Dual diagnosis, 7 of 14"]
        # Compare: the hint, the first option; picking says the new state.
        assert await press(app, pilot, heard, "2") == [
            "Compare options\nPick 2 or 3 options, then press Show side by side. Or pick 1 and "
            "press Show pros and cons.\nTab moves between the options and buttons; Enter picks "
            "an option.\nOption, I O P, not selected, 5 of 17"
        ]
        assert await press(app, pilot, heard, "enter") == ["Selected: I O P\nI O P, selected"]
        assert await press(app, pilot, heard, "tab", "tab", "tab") == [
            "Option, Outpatient, not selected, 6 of 17",
            "Option, PHP, not selected, 7 of 17",
            "Option, Residential, not selected, 8 of 17",
        ]
        assert await press(app, pilot, heard, "enter") == [
            "Selected: I O P, Residential\nResidential, selected"
        ]
        # Side by side, reached by Tab and Enter; the table read with the period key.
        app.screen.query_one("#side-by-side").focus()
        await quiet(app, pilot)
        heard.new()
        assert await press(app, pilot, heard, "enter") == [
            "Side by side\nI O P, Residential.\nPress the period key to hear it all. Escape goes "
            "back.\nButton, I O P, Show pros and cons, 5 of 8"
        ]
        (table,) = await press(app, pilot, heard, "full_stop")
        assert table.startswith("Hours of treatment a week I O P: 9 to 19 hours (ASAM 2.1).")
        assert await press(app, pilot, heard, "enter") == [
            "Intensive outpatient ( I O P )\nI O P means intensive outpatient treatment. You go "
            "to longer sessions several times a week, and you live at home.\n"
            "Press the period key to hear it all. Escape goes back.\nButton, Back, 1 of 6"
        ]
        # Help, from anywhere: every help line.
        assert await press(app, pilot, heard, "h") == [
            f"Get help now\n{HELP_LINES}\nPress 0 to hear them again. Escape goes back.\n"
            "Button, Back, 1 of 5"
        ]
        assert await press(app, pilot, heard, "tab") == ["Button, Home, 2 of 5"]
        (again,) = await press(app, pilot, heard, "0")
        assert again == "Button, Home, 2 of 5"  # 0 repeats the last thing said
        assert await press(app, pilot, heard, "escape") == [
            f"{WELCOME}\nButton, Learn about I O P, 1 of 8"
        ]


async def test_a_whole_self_check_with_private_audio(
    settings: Settings, library: ContentLibrary, heard: Heard
) -> None:
    app = guided_app(settings, library, private=True)
    questions = library.get("en").selfcheck.questions
    async with app.run_test(size=(80, 24)) as pilot:
        await press(app, pilot, heard, "5")
        assert await press(app, pilot, heard, "3") == [
            "Private self-check\nThis kiosk does not save, send or print your answers. They are "
            "erased when you press Start over or walk away.\nPress Enter to start.\n"
            "Button, Start the self-check, 5 of 6"
        ]
        said = await press(app, pilot, heard, "enter", "y", "n", "s", "escape", "n")
        assert said[0] == (f"Question 1 of 7: {questions[0].text}\n{questions[0].explain}\n{KEYS}")
        assert said[1] == f"You answered Yes.\nQuestion 2 of 7: {questions[1].text}\n" + (
            f"{questions[1].explain}\n{KEYS}"
        )
        assert said[2].startswith(f"You answered No.\nQuestion 3 of 7: {questions[2].text}")
        assert said[3].startswith(f"You answered Not sure.\nQuestion 4 of 7: {questions[3].text}")
        # Back is announced, with the answer given before.
        assert said[4] == (
            f"Back.\nQuestion 3 of 7: {questions[2].text}\n{questions[2].explain}\n"
            f"You answered Not sure before. Press an answer to keep it or change it.\n{KEYS}"
        )
        assert said[5].startswith("You answered No.\nQuestion 4 of 7:")
        said = await press(app, pilot, heard, "y", "n", "n", "n")
        assert said[-1].startswith(
            "You answered No.\nYour result\nTalk to medical staff before you stop\n"
        )
        result = said[-1]
        assert "This is not a diagnosis." in result
        assert "Why we suggest this\nYou said you drink alcohol, or use opioids" in result
        assert f"{HELP_LINES}\nPress 0 to hear it again." in result  # every help line
        assert await press(app, pilot, heard, "tab") == [
            "Button, Start over (erases your answers), 5 of 7"
        ]
        # Start over: a reset ends the guide.
        assert await press(app, pilot, heard, "enter") == ["Audio guide off."]
        assert isinstance(app.screen, WelcomeScreen) and not app.guide.on
        assert app.guide.last == ""  # nothing of the visit is kept


async def test_without_private_audio_no_answer_and_no_question_is_spoken(
    settings: Settings, library: ContentLibrary, heard: Heard
) -> None:
    app = guided_app(settings, library, private=False)
    content = library.get("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(app, pilot, heard, "5")
        said = await press(app, pilot, heard, "3", "enter", "y", "n", "s", "escape")
        assert said == [
            "Private self-check\nThis kiosk does not save, send or print your answers. They are "
            "erased when you press Start over or walk away.\nPress Enter to start.\n"
            "The self-check needs headphones, and this kiosk has none, so it is not read aloud: "
            "other people could hear your answers. Press H to hear the help lines, or ask the "
            "front desk.\nButton, Start the self-check, 5 of 6",
            "Question 1 of 7.",
            "Answer taken.\nQuestion 2 of 7.",
            "Answer taken.\nQuestion 3 of 7.",
            "Answer taken.\nQuestion 4 of 7.",
            "Back.\nQuestion 3 of 7.",
        ]
        # The help lines instead, over the question; Back returns to it.
        help_said = await press(app, pilot, heard, "h")
        assert help_said[0].startswith("Get help now\nYour answers are kept.")
        assert HELP_LINES in help_said[0]
        said += help_said
        rest = await press(app, pilot, heard, "escape", "n", "y", "n", "n", "n", "full_stop", "r")
        assert rest == [
            "Private self-check\nQuestion 3 of 7.",
            "Answer taken.\nQuestion 4 of 7.",
            "Answer taken.\nQuestion 5 of 7.",
            "Answer taken.\nQuestion 6 of 7.",
            "Answer taken.\nQuestion 7 of 7.",
            "Answer taken.\nYour result\nYour result is on the screen. It is not read aloud "
            "here. Press H to hear the help lines.",
            content.ui.speech_private_note,  # the period key: the whole screen, refused
            content.ui.speech_private_note,  # R too
        ]
        said += rest
        everything = "\n".join(said)
        for question in content.selfcheck.questions:
            assert question.text not in everything
        for answer in ("You answered", "Yes", "Not sure", "before"):
            assert answer not in everything
        for result in content.selfcheck.results:
            assert result.heading not in everything


async def test_volume_and_rate_keys_and_a_reset_restores_them(
    settings: Settings, library: ContentLibrary, heard: Heard
) -> None:
    app = guided_app(settings, library, private=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(app, pilot, heard, "5")
        assert await press(app, pilot, heard, "plus", "plus", "asterisk", "slash", "slash") == [
            "Louder.",
            "Louder.",
            "Faster.",
            "Slower.",
            "Slower.",
        ]
        arguments, _ = heard.all()[-1]
        assert "-a 140" in arguments and "-s 125" in arguments
        for _ in range(5):
            await press(app, pilot, heard, "plus")
        assert heard.all()[-1][1] == "That is the limit."
        await press(app, pilot, heard, "1")
        assert await press(app, pilot, heard, "x") == ["Audio guide off."]  # Hide: a reset
        arguments, _ = heard.all()[-1]
        assert "-a 100" in arguments and "-s 150" in arguments
        # The guide is off; a new visit's first key on the welcome screen offers it again.
        assert await press(app, pilot, heard, "plus", "tab") == [OFFER]


async def test_spanish_is_guided_in_spanish_with_a_spanish_voice(
    settings: Settings, library: ContentLibrary, heard: Heard
) -> None:
    app = guided_app(settings, library, private=True)
    async with app.run_test(size=(80, 24)) as pilot:
        # The language list (L), then Español in it, as a visitor chooses.
        await pilot.press("l")
        await quiet(app, pilot)
        await pilot.click("#language-es")
        await quiet(app, pilot)
        heard.new()
        (said,) = await press(app, pilot, heard, "5")
        assert said.startswith("Guía de audio activada.")
        assert "Le damos la bienvenida a Northpoint Evergreen" in said
        assert said.endswith("Botón, Aprender sobre I O P, 1 de 8")
        assert "-v es-419" in heard.all()[-1][0]


async def test_the_idle_warning_is_spoken_and_the_idle_reset_ends_the_guide(
    settings: Settings, library: ContentLibrary, heard: Heard
) -> None:
    now = [0.0]
    speech = SpeechSettings(enabled=True, private_audio=True)
    app = KioskApp(msgspec.structs.replace(settings, speech=speech), library, clock=lambda: now[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await press(app, pilot, heard, "5", "1")
        now[0] += settings.kiosk.idle_seconds + 1
        app.check_idle_time()
        await quiet(app, pilot)
        assert heard.new() == [
            "Are you still there?\nTo keep your visit private, this screen will start over in "
            f"{settings.kiosk.idle_warning_seconds} seconds.\nPress any key to stay.\n"
            "Button, I'm still here, 1 of 1"
        ]
        app.screen.dismiss(False)  # the countdown ran out: the idle reset
        await quiet(app, pilot)
        assert heard.new() == ["Audio guide off."]
        assert not app.guide.on and isinstance(app.screen, WelcomeScreen)


@pytest.fixture
def slow_speech(heard: Heard, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stand-in "speaks" for 30 seconds after recording."""
    monkeypatch.setenv("ESPEAK_STANDIN_SECONDS", "30")


async def wait_recorded(heard: Heard, count: int) -> None:
    deadline = time.monotonic() + 5
    while len(heard.all()) < count:
        assert time.monotonic() < deadline, "the stand-in recorded nothing"
        await asyncio.sleep(0.01)


@pytest.mark.usefixtures("slow_speech")
async def test_new_speech_cuts_old_speech_at_once(
    settings: Settings, library: ContentLibrary, heard: Heard
) -> None:
    app = guided_app(settings, library, private=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await wait_recorded(heard, 1)
        first = app.speaker.process  # type: ignore[union-attr]
        assert first is not None and first.poll() is None
        await pilot.press("tab")
        await wait_recorded(heard, 2)
        assert first.wait(timeout=2) == -signal.SIGKILL  # cut, not left to finish
        assert app.speaker.speaking  # type: ignore[union-attr]
        await pilot.press("x")


@pytest.mark.usefixtures("slow_speech")
async def test_read_aloud_stops_when_the_screen_changes(
    settings: Settings, library: ContentLibrary, heard: Heard
) -> None:
    """Guide off: R reads the screen; a new screen ends that speech, so one R reads the new
    one (before, the first R only stopped the old screen's speech)."""
    app = guided_app(settings, library, private=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await wait_recorded(heard, 1)  # R itself is no reason to offer the guide
        assert heard.all()[-1][1].startswith("Welcome to Northpoint Evergreen")
        reading = app.speaker.process  # type: ignore[union-attr]
        await pilot.click("#open-learn")  # a tap: no key, so no offer of the guide either
        await pilot.pause()
        assert reading is not None and reading.wait(timeout=2) == -signal.SIGKILL
        await pilot.press("r")
        await wait_recorded(heard, 2)
        assert heard.all()[-1][1].startswith("What is I O P?")
        await pilot.press("x")


async def test_keys_line_names_read_aloud_and_the_guide_and_nothing_is_cut(
    settings: Settings, library: ContentLibrary, heard: Heard
) -> None:
    app = guided_app(settings, library, private=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "R Read aloud · 5 Audio guide" in text
        button = app.screen.query_one("#read-aloud")
        for _ in range(10):  # Tab to it, as a visitor does: it scrolls into view
            if app.screen.focused is button:
                break
            await pilot.press("tab")
        await pilot.pause()
        assert button.region.right <= 80 and button.region.width >= 14
        assert "▶ Read aloud ◀" in screen_text(app)
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, SelfCheckScreen)
        assert "5 Audio guide" in screen_text(app)


async def test_without_speech_the_keys_line_is_unchanged(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Audio guide" not in screen_text(app)
        await pilot.press("5")  # nothing to start without speech
        assert not app.guide.on


# -- the real thing: `kiosk run` on a pseudo-terminal, real key bytes -------------------------


def wait_heard(terminal: Terminal, heard: Heard, count: int, seconds: float = 20) -> list[str]:
    """Wait until the stand-in has recorded ``count`` utterances; their words. The terminal
    is read meanwhile: a kiosk whose screen output nobody reads stops at its next frame."""
    deadline = time.monotonic() + seconds
    while len(heard.all()) < count:
        assert time.monotonic() < deadline, f"heard {len(heard.all())} utterances, not {count}"
        terminal.read(0.02)
    terminal.read(0.1)  # nothing more on its way
    return [words for _, words in heard.all()]


def test_a_blind_visit_on_a_real_terminal(site: Path, heard: Heard, tmp_path: Path) -> None:
    """The kiosk as a lobby runs it (kiosk.toml with speech and headphones), typed into with
    the bytes a keypad sends: the guide, Learn, Compare, the self-check and its result."""

    config = site / "kiosk.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("enabled = false", "enabled = true")
    config.write_text(text.replace("private_audio = false", "private_audio = true"))
    journal = tmp_path / "journal.txt"
    environment = {"PATH": os.environ["PATH"], "ESPEAK_RECORD": str(heard.record)}
    with (
        journal.open("ab") as stdout,
        Terminal(["--config", str(config), "run"], env=environment, stdout=stdout) as terminal,
    ):
        terminal.wait_for("Welcome to Northpoint Evergreen", "5 Audio guide")
        steps: list[tuple[bytes, str]] = [
            (b"\t", OFFER),
            (b"5", START),
            (b"1", "Learn about I O P\nTab 1 of 8, What is I O P?"),
            (b"\x1b[C", "Tab 2 of 8, Other options."),  # the Right arrow
            (b"\r", "Other options\nI O P is one choice among many."),
            (b"2", "Compare options\nPick 2 or 3 options"),
            (b"\r", "Selected: I O P\nI O P, selected"),
            (b"+", "Louder."),
            (b"*", "Faster."),
            (b"/", "Slower."),
            (b"-", "Softer."),
            (b"3", "Private self-check\nThis kiosk does not save"),
            (b"\r", "Question 1 of 7: "),
            (b"y", "You answered Yes.\nQuestion 2 of 7: "),
        ]
        steps += [(b"n", "You answered No.\nQuestion ") for _ in range(5)]
        steps += [
            (b"n", "You answered No.\nYour result\nTalk to medical staff before you stop"),
            (b"0", "You answered No.\nYour result"),  # repeated
            (b"\t", "Button, Start over (erases your answers)"),
            (b".", "Talk to medical staff before you stop"),  # the whole screen
            (b"x", "Audio guide off."),
        ]
        for count, (key, words) in enumerate(steps, start=1):
            terminal.type(key, settle=0.05)
            said = wait_heard(terminal, heard, count)
            assert said[-1].startswith(words) or words in said[-1], (key, said[-3:])
        assert len(heard.all()) == len(steps)  # nothing said twice, nothing left over
        result = heard.all()[-5][1]
        assert "Northpoint Evergreen: 4 2 5, 6 2 9, 0 4 3 3." in result  # every help line
        assert "SAMHSA National Helpline: 1, 800, 6 6 2, 4 3 5 7." in result
        volumes = [arguments for arguments, _ in heard.all()]
        assert "-a 120" in volumes[7] and "-s 175" in volumes[8]
        assert "-a 100" in volumes[-1] and "-s 150" in volumes[-1]  # restored at the reset
        terminal.signal(signal.SIGTERM)
        assert terminal.wait_exit() == 0
    # Nothing that was spoken reached the journal or the terminal's output as text.
    logged = journal.read_text(encoding="utf-8")
    for _, words in heard.all():
        for line in words.splitlines():
            if len(line) > 12:
                assert line not in logged
    assert "You answered" not in logged and "Question 1 of 7" not in logged
