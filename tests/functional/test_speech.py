"""Read-aloud through the real espeak-ng, with the audio sent to a pipe instead of a speaker.

Each test records the text handed to espeak-ng (on its standard input) and checks that
espeak-ng turned it into sound: a WAV stream of a length that fits the text.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import msgspec
import pytest

from kiosk import cli
from kiosk.app import KioskApp
from kiosk.config import Settings, SpeechSettings
from kiosk.content.model import ContentLibrary, load_library
from kiosk.rules.spoken import speech_text
from kiosk.screens.selfcheck import SelfCheckScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.system.speech import Speaker, find_espeak
from tests.conftest import CONFIG_FILE, CONTENT_DIR, screen_text, tap

ESPEAK = find_espeak()
pytestmark = pytest.mark.skipif(
    ESPEAK is None, reason="espeak-ng is not installed (make test installs the Debian package)"
)


#: How the audio guide's offer starts, in each language of the bundled content.
OFFERS = tuple(
    content.ui.guide.offer[:12] for content in load_library(CONTENT_DIR).languages.values()
)


class RecordingSpeaker(Speaker):
    """The real Speaker, writing WAV audio to a pipe, remembering what it was asked to say."""

    def __init__(self) -> None:
        assert ESPEAK is not None
        super().__init__(ESPEAK, extra_args=["--stdout"], audio=subprocess.PIPE)
        self.spoken: list[str] = []
        self.ssml: list[str] = []
        self.audio_bytes: list[int] = []

    def speak(self, text: str, language: str) -> None:
        # The audio guide's one-line offer on the first key of a visit is not what these tests
        # are about (tests/functional/test_audio_guide.py hears it).
        if not text.startswith(OFFERS):
            self.spoken.append(text)
        super().speak(text, language)

    def _start(self, text: str, voice: str, *, ssml: bool) -> None:
        if ssml:
            self.ssml.append(text)
        super()._start(text, voice, ssml=ssml)

    def finish(self) -> int:
        """Wait for the utterance; the number of audio bytes espeak-ng produced."""
        process = self.process
        assert process is not None and process.stdout is not None
        audio = process.stdout.read()
        process.wait(timeout=30)
        self.audio_bytes.append(len(audio))
        return len(audio)


def speech_app(
    settings: Settings, library: ContentLibrary, *, private: bool
) -> tuple[KioskApp, RecordingSpeaker]:
    """A kiosk with speech on, and the recording speaker it talks through."""
    speech = SpeechSettings(enabled=True, private_audio=private)
    speaker = RecordingSpeaker()
    app = KioskApp(msgspec.structs.replace(settings, speech=speech), library, speaker=speaker)
    return app, speaker


def assert_real_audio(speaker: RecordingSpeaker, text: str) -> None:
    audio = speaker.finish()
    # espeak-ng at 22 050 Hz, 16-bit: well over 1 kB of sound per word spoken.
    assert audio > 1000 * len(text.split()) // 2, f"too little audio ({audio} bytes) for {text!r}"


async def test_learn_tab_is_read_aloud(settings: Settings, library: ContentLibrary) -> None:
    app, speaker = speech_app(settings, library, private=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "right")
        await pilot.click("#read-aloud")
        content = library.get("en")
        section = content.learn.sections[1]
        numbers = [content.help.clinic_phone, *(line.number for line in content.help.more_lines)]
        assert speaker.spoken == [speech_text(section.plain_text(), content.ui.spoken_as, numbers)]
        assert "I O P is one choice" in speaker.spoken[0]  # as a person says it, not "eye-op"
        assert_real_audio(speaker, speaker.spoken[0])


async def test_second_press_stops_and_reset_stops(
    settings: Settings, library: ContentLibrary
) -> None:
    app, speaker = speech_app(settings, library, private=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "r")
        assert speaker.speaking
        await pilot.press("r")
        assert not speaker.speaking and len(speaker.spoken) == 1
        await pilot.press("r")
        assert speaker.speaking
        await pilot.press("x")  # quick hide: speech stops with the reset
        assert not speaker.speaking


async def test_compare_side_by_side_is_read_row_by_row(
    settings: Settings, library: ContentLibrary
) -> None:
    app, speaker = speech_app(settings, library, private=False)
    compare = library.get("en").compare
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        app.screen.pick("iop", "inpatient")
        await tap(pilot, "#side-by-side")
        await pilot.press("r")
        (text,) = speaker.spoken
        first_row = compare.rows[0]
        assert f"{first_row.label} I O P: 9 to 19 hours (ASAM 2.1)." in text
        assert "Inpatient:" in text
        # A value that depends on the program is said in the same words for every option.
        assert "Medicine to help you quit? I O P: Depends on the program, ask." in text
        assert_real_audio(speaker, text)


@pytest.mark.parametrize("private", [True, False])
async def test_self_check_question_spoken_only_with_private_audio(
    settings: Settings, library: ContentLibrary, private: bool
) -> None:
    app, speaker = speech_app(settings, library, private=private)
    content = library.get("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "enter", "n", "r")
        assert isinstance(app.screen, SelfCheckScreen)
        (text,) = speaker.spoken
        question = content.selfcheck.questions[1]
        if private:
            assert question.text in text and "Question 2 of 7" in text
            assert "Press Y for Yes, N for No, or S for Not sure." in text  # the keys
        else:
            assert question.text not in text
            assert text == content.ui.speech_private_note
        assert_real_audio(speaker, text)


async def test_spanish_is_spoken_with_a_spanish_voice(
    settings: Settings, library: ContentLibrary
) -> None:
    app, speaker = speech_app(settings, library, private=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "#open-language")
        await tap(pilot, "#language-es")
        await pilot.press("h", "r")
        assert "es-419" in speaker.process.args  # type: ignore[union-attr]
        assert library.get("es").ui.help_title in speaker.spoken[0]
        assert_real_audio(speaker, speaker.spoken[0])


async def test_text_goes_on_stdin_not_the_command_line(
    settings: Settings, library: ContentLibrary
) -> None:
    app, speaker = speech_app(settings, library, private=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h", "r")
        args = " ".join(speaker.process.args)  # type: ignore[union-attr]
        assert "--stdin" in args and "988" not in args
        speaker.finish()


async def test_without_espeak_the_button_is_hidden(
    settings: Settings, library: ContentLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kiosk.app.find_espeak", lambda: None)
    speech = SpeechSettings(enabled=True)
    app = KioskApp(msgspec.structs.replace(settings, speech=speech), library)
    assert app.speaker is None
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        assert not app.screen.query("#read-aloud")
        assert "Read aloud" not in screen_text(app)


def test_validate_tells_staff_when_espeak_is_missing(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "kiosk.toml"
    text = CONFIG_FILE.read_text().replace("enabled = false", "enabled = true")
    text = text.replace(
        'content_dir = "content"', f'content_dir = "{CONFIG_FILE.parent / "content"}"'
    )
    config.write_text(text)
    monkeypatch.setattr("kiosk.cli.find_espeak", lambda: None)
    assert cli.main(["--config", str(config), "validate"]) == 0
    out = capsys.readouterr().out
    assert "espeak-ng is not installed" in out and "Read aloud button is hidden" in out


def stubborn_espeak(folder: Path) -> Path:
    """An espeak-ng that ignores SIGTERM and never ends (as a hung sound card makes it)."""
    program = folder / "espeak-ng"
    program.write_text("#!/bin/sh\ntrap '' TERM\nsleep 600 &\nwait\n", encoding="utf-8")
    program.chmod(0o755)
    return program


async def test_a_hung_espeak_never_holds_up_hide(
    settings: Settings, library: ContentLibrary, tmp_path: Path
) -> None:
    """Before: Hide and every reset waited 2 s for an espeak-ng that ignored SIGTERM. Now the
    utterance's whole process group is killed at once, without waiting."""
    speaker = Speaker(str(stubborn_espeak(tmp_path)))
    speech = SpeechSettings(enabled=True)
    app = KioskApp(msgspec.structs.replace(settings, speech=speech), library, speaker=speaker)
    waited: list[object] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "r")
        process = speaker.process
        assert process is not None and speaker.speaking
        original_wait = process.wait
        process.wait = lambda *a, **k: waited.append(a or k) or original_wait(*a, **k)  # type: ignore[method-assign]
        await pilot.press("x")
        assert isinstance(app.screen, WelcomeScreen)
    assert waited == []  # the reset did not wait for espeak-ng
    assert original_wait(timeout=5) == -signal.SIGKILL
    group = process.pid
    with pytest.raises(ProcessLookupError):  # its children went with it
        for _ in range(100):
            os.killpg(group, 0)
            time.sleep(0.05)


async def test_espeak_removed_while_running_turns_speech_off(
    settings: Settings, library: ContentLibrary, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Before: R reset the visitor (FileNotFoundError). Now speech is off, with a staff line."""
    program = stubborn_espeak(tmp_path)
    speaker = Speaker(str(program))
    speech = SpeechSettings(enabled=True)
    app = KioskApp(msgspec.structs.replace(settings, speech=speech), library, speaker=speaker)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        learn = app.screen
        assert learn.query_one("#read-aloud").display
        program.unlink()
        await pilot.press("r")
        assert app.screen is learn and app.speaker is None
        assert not learn.query_one("#read-aloud").display
        await pilot.press("r")  # nothing more happens
    err = capfd.readouterr().err
    assert "espeak-ng could not be started" in err and "read-aloud is off" in err
    assert "error:" not in err


async def test_the_language_list_says_each_name_in_its_own_voice(
    settings: Settings, library: ContentLibrary
) -> None:
    """One utterance in SSML: the title in the visitor's voice, then each language's name in
    that language's voice (kiosk.toml's [speech.voices] or the defaults)."""
    app, speaker = speech_app(settings, library, private=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l", "r")
        process = speaker.process
        assert process is not None and "-m" in process.args  # SSML
        audio = speaker.finish()
        assert audio > 20_000  # six names and a title: well over a second of sound
    ssml = speaker.ssml[-1]
    for voice, name in [
        ("en-us", "Choose a language"),
        ("es-419", "Español"),
        ("vi", "Tiếng Việt"),
        ("ru", "Русский"),
        ("cmn", "中文"),
    ]:
        assert f'<voice name="{voice}">{name}</voice>' in ssml


@pytest.mark.parametrize(("language", "voice"), [("vi", "vi"), ("ru", "ru"), ("zh-Hans", "cmn")])
async def test_each_language_is_read_in_its_voice(
    settings: Settings, library: ContentLibrary, language: str, voice: str
) -> None:
    app, speaker = speech_app(
        msgspec.structs.replace(
            settings, kiosk=msgspec.structs.replace(settings.kiosk, default_language=language)
        ),
        library,
        private=False,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h", "r")
        args = speaker.process.args  # type: ignore[union-attr]
        assert args[args.index("-v") + 1] == voice
        assert library.get(language).ui.help_title in speaker.spoken[0]
        assert_real_audio(speaker, speaker.spoken[0])


async def test_kiosk_toml_chooses_a_languages_voice(
    settings: Settings, library: ContentLibrary
) -> None:
    speech = SpeechSettings(enabled=True, voices={"en": "en-gb"})
    speaker = RecordingSpeaker()
    app = KioskApp(msgspec.structs.replace(settings, speech=speech), library, speaker=speaker)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h", "r")
        args = speaker.process.args  # type: ignore[union-attr]
        assert args[args.index("-v") + 1] == "en-gb"
        speaker.finish()
