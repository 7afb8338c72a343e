"""Read-aloud with espeak-ng: Textual has no screen-reader support, so the kiosk brings its own.

The text goes to espeak-ng on its standard input, never on its command line, where any user of
the machine could read it in the process list. One utterance at a time; a new one, or
:meth:`Speaker.stop`, ends the one before.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence

#: espeak-ng voice for each content language; others fall back to the language code itself.
VOICES = {"en": "en-us", "es": "es-419"}


def find_espeak() -> str | None:
    """The path of the espeak-ng program, or None when it is not installed."""
    return shutil.which("espeak-ng")


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

    @property
    def speaking(self) -> bool:
        """Whether an utterance is still playing."""
        return self._process is not None and self._process.poll() is None

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        """The espeak-ng process of the current utterance (tests read its audio)."""
        return self._process

    def speak(self, text: str, language: str) -> None:
        """Stop what is playing and say ``text`` in ``language``."""
        self.stop()
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
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=self.audio, stderr=subprocess.DEVNULL
        )
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(text.encode("utf-8"))
            self._process.stdin.close()
        except BrokenPipeError:
            pass  # espeak-ng ended early (no sound card): nothing more to do

    def stop(self) -> None:
        """Stop speaking at once."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
