"""What a blind visitor hears: phone numbers, "24/7" and symbols said as a person says them,
and the self-check announcing each new question, heard through a recording espeak-ng.

The stand-in is a small program called ``espeak-ng`` put first on ``PATH``: the kiosk finds it
as it would find the real one, starts it the same way and writes the text to its standard
input; the stand-in appends what it got to a file instead of speaking. So these tests hear the
kiosk exactly as espeak-ng would, without a sound card and without depending on espeak-ng's
voices (tests/functional/test_speech.py checks that the real espeak-ng turns the text into sound).
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import msgspec
import pytest
from textual.pilot import Pilot

from kiosk.app import KioskApp
from kiosk.config import Settings, SpeechSettings
from kiosk.content.model import ContentLibrary
from kiosk.rules.spoken import speech_text, spoken_number
from kiosk.screens.selfcheck import SelfCheckScreen
from tests.conftest import LANGUAGES

STAND_IN = """#!{python}
import json, os, sys
text = sys.stdin.buffer.read().decode("utf-8")
with open(os.environ["KIOSK_TEST_HEARD"], "a", encoding="utf-8") as heard:
    heard.write(json.dumps({{"args": sys.argv[1:], "text": text}}) + "\\n")
"""


#: How the audio guide's offer starts, in each language.
GUIDE_OFFERS = ("For the audio guide", "Para la guía de audio")


class Ears:
    """The recording espeak-ng stand-in, and what it heard."""

    def __init__(self, folder: Path) -> None:
        self.file = folder / "heard.jsonl"
        program = folder / "bin" / "espeak-ng"
        program.parent.mkdir()
        program.write_text(STAND_IN.format(python=sys.executable), encoding="utf-8")
        program.chmod(program.stat().st_mode | stat.S_IXUSR)
        self.bin = program.parent

    def heard(self) -> list[dict[str, object]]:
        if not self.file.exists():
            return []
        utterances = [json.loads(line) for line in self.file.read_text("utf-8").splitlines()]
        # Not the audio guide's one-line offer on a visit's first key on the welcome screen
        # (tests/functional/test_audio_guide.py hears that).
        return [u for u in utterances if not str(u["text"]).startswith(GUIDE_OFFERS)]

    async def next_utterance(self, pilot: Pilot[None], count: int) -> str:
        """The text of utterance number ``count`` (1-based), once the stand-in has it."""
        for _ in range(200):  # the stand-in is a separate process: up to 10 s for it to write
            heard = self.heard()
            if len(heard) >= count:
                return str(heard[count - 1]["text"])
            await pilot.pause(0.05)
        raise AssertionError(f"espeak-ng heard {len(self.heard())} utterances, not {count}")


@pytest.fixture
def ears(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ears:
    ears = Ears(tmp_path)
    monkeypatch.setenv("PATH", f"{ears.bin}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("KIOSK_TEST_HEARD", str(ears.file))
    return ears


def speaking_app(
    settings: Settings, library: ContentLibrary, *, private: bool, language: str = "en"
) -> KioskApp:
    """A kiosk with speech on, finding espeak-ng on PATH as an installed kiosk does."""
    speech = SpeechSettings(enabled=True, private_audio=private)
    kiosk = msgspec.structs.replace(settings.kiosk, default_language=language)
    return KioskApp(msgspec.structs.replace(settings, speech=speech, kiosk=kiosk), library)


# -- the text itself ---------------------------------------------------------------------------


def test_phone_numbers_are_said_digit_by_digit_in_their_groups() -> None:
    assert spoken_number("(425) 629-0433") == "4 2 5, 6 2 9, 0 4 3 3"
    assert spoken_number("988") == "9 8 8"
    assert spoken_number("911") == "9 1 1"
    # "one eight hundred", as people say a toll-free number.
    assert spoken_number("1-800-662-4357") == "1, 800, 6 6 2, 4 3 5 7"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Call 4 2 5, 6 2 9, 0 4 3 3, 24 hours a day, 7 days a week, or ask the front desk"),
        (
            "es",
            "Llame al 4 2 5, 6 2 9, 0 4 3 3, las 24 horas, los 7 días de la semana, o pregunte "
            "en recepción",
        ),
    ],
)
def test_the_help_bar_is_said_as_a_person_says_it(
    library: ContentLibrary, language: str, expected: str
) -> None:
    content = library.get(language)
    numbers = [content.help.clinic_phone]
    assert speech_text(content.help.bar_text, content.ui.spoken_as, numbers) == expected


def test_marks_and_separators_are_not_read_out() -> None:
    text = "✔ Yes   ◐ Partly   ✘ No   • Facts   ◇ Depends on the program — ask\nA · B"
    assert speech_text(text, {}) == "Yes Partly No, Facts Depends on the program, ask\nA, B"


def test_a_written_form_is_replaced_only_as_a_whole() -> None:
    spoken = {"AA": "A A", "IOP": "I O P", "–": " to "}
    assert speech_text("AA and AAA; IOP, 9–19 hours", spoken) == "A A and AAA; I O P, 9 to 19 hours"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_screen_text_keeps_a_sign_espeak_reads_out(
    library: ContentLibrary, language: str
) -> None:
    """Every text of the help, compare and learn content, said aloud, is free of the signs that
    espeak-ng reads as words ("slash", "punto medio", "barra") and of a bare phone number."""
    content = library.get(language)
    numbers = [content.help.clinic_phone, *(line.number for line in content.help.more_lines)]
    texts = [content.help.bar_text, content.help.clinic_detail]
    texts += [f"{line.name}: {line.number}. {line.detail}" for line in content.help.more_lines]
    texts += [section.plain_text() for section in content.learn.sections]
    for option in content.compare.options:
        texts += [option.name, option.summary.text]
        texts += [value.text for value in option.values.values() if value.text]
    for text in texts:
        said = speech_text(text, content.ui.spoken_as, numbers)
        for sign in ("·", "/", "–", "—", "(425)", "629-0433", "1-800", "EE. UU."):
            assert sign not in said, f"{sign!r} in {said!r}"


# -- heard through the stand-in ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("en", ["4 2 5, 6 2 9, 0 4 3 3", "Open 24 hours a day, 7 days a week", "Lifeline: 9 8 8."]),
        (
            "es",
            [
                "4 2 5, 6 2 9, 0 4 3 3",
                "Abierta las 24 horas, los 7 días de la semana",
                "marque 2 al llamar, o envíe la palabra AYUDA por texto al 9 8 8",
            ],
        ),
    ],
)
async def test_the_help_lines_are_heard_as_a_person_says_them(
    ears: Ears, settings: Settings, library: ContentLibrary, language: str, phrases: list[str]
) -> None:
    app = speaking_app(settings, library, private=False, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h", "r")
        heard = await ears.next_utterance(pilot, 1)
    for phrase in phrases:
        assert phrase in heard
    for sign in ("·", "/", "(425)", "1-800"):
        assert sign not in heard
    assert "1, 800, 6 6 2, 4 3 5 7" in heard
    voice = ears.heard()[0]["args"]
    assert {"en": "en-us", "es": "es-419"}[language] in voice  # type: ignore[operator]


async def test_a_listening_visitor_hears_each_answer_taken_and_the_next_question(
    ears: Ears, settings: Settings, library: ContentLibrary
) -> None:
    """With headphones: after Read aloud on a question, every answer is confirmed aloud and
    the next question read, without pressing R again."""
    content = library.get("en")
    questions = content.selfcheck.questions
    app = speaking_app(settings, library, private=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter", "r")
        first = await ears.next_utterance(pilot, 1)
        assert questions[0].text in first and "Question 1 of 7" in first
        await pilot.press("n")
        second = await ears.next_utterance(pilot, 2)
        assert second.startswith("Answer taken for question 1: No.")
        assert "Question 2 of 7" in second and questions[1].text in second
        await pilot.press("s")
        third = await ears.next_utterance(pilot, 3)
        assert third.startswith("Answer taken for question 2: Not sure.")
        assert questions[2].text in third


async def test_where_others_can_hear_no_answer_and_no_question_is_said(
    ears: Ears, settings: Settings, library: ContentLibrary
) -> None:
    content = library.get("en")
    app = speaking_app(settings, library, private=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter", "r")
        assert await ears.next_utterance(pilot, 1) == speech_text(
            content.ui.speech_private_note, content.ui.spoken_as
        )
        await pilot.press("y")
        heard = await ears.next_utterance(pilot, 2)
        assert heard == "Answer taken.\nQuestion 2 of 7"
        # One answer at a time: a new utterance stops the one before (a visitor answering
        # faster than the speech is not made to wait), and the stand-in may not hear that one.
        for number in range(2, len(content.selfcheck.questions) + 1):
            await pilot.press("y")
            last = await ears.next_utterance(pilot, number + 1)
        assert last == f"Answer taken.\n{content.ui.result_title}"
    everything = "\n".join(str(entry["text"]) for entry in ears.heard())
    for question in content.selfcheck.questions:
        assert question.text not in everything
    for result in content.selfcheck.results:
        assert result.heading not in everything


async def test_nothing_is_announced_to_a_visitor_who_did_not_ask_for_speech(
    ears: Ears, settings: Settings, library: ContentLibrary
) -> None:
    app = speaking_app(settings, library, private=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter", "y", "n")
        await pilot.pause()
        assert isinstance(app.screen, SelfCheckScreen) and app.screen.step == 2
        assert ears.heard() == []


async def test_spanish_keys_are_heard_as_answered(
    ears: Ears, settings: Settings, library: ContentLibrary
) -> None:
    """S is Sí in Spanish: the visitor hears Sí confirmed, not No sé."""
    app = speaking_app(settings, library, private=True, language="es")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter", "r")
        first = await ears.next_utterance(pilot, 1)
        assert "Pulse S para Sí, N para No, o el signo de interrogación para No sé." in first
        await pilot.press("s")
        heard = await ears.next_utterance(pilot, 2)
        assert heard.startswith("Respuesta recibida para la pregunta 1: Sí.")
        await pilot.press("question_mark")
        heard = await ears.next_utterance(pilot, 3)
        assert heard.startswith("Respuesta recibida para la pregunta 2: No sé.")


async def test_help_over_the_self_check_is_read_aloud_and_back_returns(
    ears: Ears, settings: Settings, library: ContentLibrary
) -> None:
    """The help lines over a question are no secret: read aloud even without headphones."""
    app = speaking_app(settings, library, private=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter", "y", "h", "r")
        heard = await ears.next_utterance(pilot, 1)
        assert heard.startswith("Get help now\nYour answers are kept.")
        assert "4 2 5, 6 2 9, 0 4 3 3" in heard and "Lifeline: 9 8 8." in heard
        await pilot.press("r", "escape")  # stop, then back to the question
        screen = app.screen
        assert isinstance(screen, SelfCheckScreen) and screen.step == 1 and not screen.help_shown
