"""Read-aloud with espeak-ng: Textual has no screen-reader support, so the kiosk brings its own.

The text goes to espeak-ng on its standard input, never on its command line, where any user of
the machine could read it in the process list. One utterance at a time; a new one, or
:meth:`Speaker.stop`, ends the one before.

Speech never holds the kiosk up. Each utterance runs in a process group of its own, and
stopping it kills that group at once (SIGKILL: espeak-ng keeps nothing worth saving) without
waiting; the ended processes are collected later, on the next utterance or stop. An espeak-ng
that hangs, ignores SIGTERM or was removed while the kiosk runs cannot block Hide or a reset:
a program that cannot be started turns speech off (:attr:`Speaker.broken`), and the kiosk tells
staff.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Callable, Sequence
from html import escape as xml_escape  # not xml.sax.saxutils: it imports urllib (and hashlib)

#: espeak-ng voice for each language of the shipped content (``espeak-ng --voices`` lists them;
#: Debian's espeak-ng-data has them all). ``[speech.voices]`` in kiosk.toml overrides them
#: (:meth:`kiosk.config.SpeechSettings.voice`); others fall back to the language code itself.
VOICES = {"en": "en-us", "es": "es-419", "vi": "vi", "ru": "ru", "zh-Hans": "cmn"}


def default_voice(language: str) -> str:
    """The voice of :data:`VOICES` for ``language``, else the language's own code."""
    return VOICES.get(language, language)


#: espeak-ng's amplitude (``-a``, 0-200; its own default is 100): the start, one step, the range.
DEFAULT_AMPLITUDE = 100
AMPLITUDE_STEP = 20
AMPLITUDE_RANGE = (20, 200)
#: Words per minute (``-s``): a little slower than espeak-ng's default (175), easier to follow.
DEFAULT_RATE = 150
RATE_STEP = 25
RATE_RANGE = (80, 300)


def find_espeak() -> str | None:
    """The path of the espeak-ng program, or None when it is not installed."""
    return shutil.which("espeak-ng")


class SpeechUnavailable(Exception):
    """espeak-ng could not be started; the message says why (for the staff log)."""


class Speaker:
    """Speaks text through espeak-ng.

    ``extra_args`` and ``audio`` exist for tests and special set-ups: for example
    ``extra_args=["--stdout"]`` with ``audio=subprocess.PIPE`` sends the sound to a pipe
    instead of the sound card.
    """

    def __init__(
        self,
        program: str,
        *,
        extra_args: Sequence[str] = (),
        audio: int | None = subprocess.DEVNULL,
        words_per_minute: int = DEFAULT_RATE,
    ) -> None:
        self.program = program
        self.extra_args = tuple(extra_args)
        self.audio = audio
        #: The rate a reset returns to, and the rate now (the audio guide's keys change it).
        self.default_words_per_minute = words_per_minute
        self.words_per_minute = words_per_minute
        #: The volume now (espeak-ng's amplitude).
        self.amplitude = DEFAULT_AMPLITUDE
        self._process: subprocess.Popen[bytes] | None = None
        #: The espeak-ng voice of a language: the app sets kiosk.toml's
        #: (:meth:`kiosk.config.SpeechSettings.voice`); by default :data:`VOICES`.
        self.voice_for: Callable[[str], str] = default_voice
        #: Stopped utterances not yet collected (so that none is left a zombie).
        self._stopped: list[subprocess.Popen[bytes]] = []
        #: Why speech is off, once espeak-ng could not be started ("" while it works).
        self.broken = ""

    @property
    def speaking(self) -> bool:
        """Whether an utterance is still playing."""
        return self._process is not None and self._process.poll() is None

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        """The espeak-ng process of the current utterance (tests read its audio)."""
        return self._process

    def speak(self, text: str, language: str) -> None:
        """Stop what is playing and say ``text`` in ``language``, with its voice
        (:attr:`voice_for`).

        Raises :class:`SpeechUnavailable` (and stays silent from then on) when espeak-ng
        cannot be started.
        """
        self._start(text, self.voice_for(language), ssml=False)

    def speak_parts(self, parts: Sequence[tuple[str, str]]) -> None:
        """Say each ``(text, voice)`` of ``parts`` in its own voice, as one utterance: the
        language list says each language's name in that language's voice.

        Sent as SSML (espeak-ng ``-m``), each part a ``<voice>`` element, its text escaped.
        """
        body = "".join(
            f'<voice name="{xml_escape(voice)}">{xml_escape(text)}</voice>\n'
            for text, voice in parts
        )
        self._start(f"<speak>{body}</speak>", parts[0][1] if parts else "en-us", ssml=True)

    def _start(self, text: str, voice: str, *, ssml: bool) -> None:
        self.stop()
        if self.broken:
            raise SpeechUnavailable(self.broken)
        command = [
            self.program,
            "-v",
            voice,
            "-s",
            str(self.words_per_minute),
            "-a",
            str(self.amplitude),
            *(["-m"] if ssml else []),
            "--stdin",
            *self.extra_args,
        ]
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=self.audio,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stop() kills it all
            )
        except OSError as error:
            self.broken = f"espeak-ng could not be started ({error.strerror or error})"
            raise SpeechUnavailable(self.broken) from None
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(text.encode("utf-8"))
            self._process.stdin.close()
        except BrokenPipeError:
            pass  # espeak-ng ended early (no sound card): nothing more to do

    def stop(self) -> None:
        """Stop speaking at once, without waiting for espeak-ng."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            self._stopped.append(process)
        # Collect the ones that have ended since (poll() reaps them).
        self._stopped = [old for old in self._stopped if old.poll() is None]

    def change_volume(self, steps: int) -> bool:
        """Louder (``steps`` > 0) or softer, within espeak-ng's range; False at the limit."""
        low, high = AMPLITUDE_RANGE
        new = min(high, max(low, self.amplitude + steps * AMPLITUDE_STEP))
        changed, self.amplitude = new != self.amplitude, new
        return changed

    def change_rate(self, steps: int) -> bool:
        """Faster (``steps`` > 0) or slower, within a range people can follow; False at the
        limit."""
        low, high = RATE_RANGE
        new = min(high, max(low, self.words_per_minute + steps * RATE_STEP))
        changed, self.words_per_minute = new != self.words_per_minute, new
        return changed

    def restore(self) -> None:
        """Back to the volume and rate every visitor starts with (a reset)."""
        self.amplitude = DEFAULT_AMPLITUDE
        self.words_per_minute = self.default_words_per_minute
