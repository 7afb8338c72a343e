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
from collections.abc import Sequence

#: espeak-ng voice for each content language; others fall back to the language code itself.
VOICES = {"en": "en-us", "es": "es-419"}


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
        words_per_minute: int = 150,
    ) -> None:
        self.program = program
        self.extra_args = tuple(extra_args)
        self.audio = audio
        # A little slower than espeak-ng's default (175): easier to follow for everyone.
        self.words_per_minute = words_per_minute
        self._process: subprocess.Popen[bytes] | None = None
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
        """Stop what is playing and say ``text`` in ``language``.

        Raises :class:`SpeechUnavailable` (and stays silent from then on) when espeak-ng
        cannot be started.
        """
        self.stop()
        if self.broken:
            raise SpeechUnavailable(self.broken)
        voice = VOICES.get(language, language)
        command = [
            self.program,
            "-v",
            voice,
            "-s",
            str(self.words_per_minute),
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
