"""Speech latency: from a key to the start of the audio guide's speech, with the real espeak-ng.

What one sample measures: from just before the key is queued on the app (as the terminal
driver's input thread would queue it) to the first *sound* espeak-ng produces for the words
that key caused: the first audio bytes after the WAV header on espeak-ng's standard output
(``--stdout``, read by a thread the moment they arrive). That is when a visitor who cannot see
the screen hears something happen. The spawn time (the key to espeak-ng's process started) is
reported too: the part the kiosk controls.

The floor, measured the same way in the same run: espeak-ng alone, started directly with the
same words, from ``Popen`` to its first sound. The kiosk cannot be faster than that; the ratio
says what the kiosk adds.

The tour: the guide started with 5, Tab on the welcome screen, every Learn tab with Right,
Compare with Tab and Enter, the whole self-check (private audio on: every question spoken),
the help lines, and the guide's own keys (repeat, volume, rate). The kiosk is built as
``kiosk run`` builds it (screens built ahead, the collector tuned).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import msgspec

from benchmarks.harness import post_key, settle
from benchmarks.latency import percentile
from kiosk.app import KioskApp
from kiosk.config import SpeechSettings, load_settings
from kiosk.content.model import load_library
from kiosk.system.speech import Speaker, find_espeak

#: A WAV header is 44 bytes: sound starts after it.
WAV_HEADER = 44
#: Longest wait for a key's first sound before the sample counts as lost.
SOUND_TIMEOUT_S = 3.0
#: Pause between keys: a visitor's pace (someone who listens presses a key after the speech
#: starts, not 0.1 s after the last key), and longer than the kiosk's own work after a
#: screen closes (the next spare self-check is built then), which is not a key's latency.
GAP_S = 0.8
DEFAULT_SPEECH_ROUNDS = 3


@dataclass(frozen=True, slots=True)
class SpeechSample:
    """One key, in milliseconds from the key."""

    label: str
    spawn_ms: float
    sound_ms: float


@dataclass(frozen=True, slots=True)
class SpeechResult:
    """Every sample, the floor (espeak-ng alone, ms to first sound), and lost samples."""

    samples: tuple[SpeechSample, ...]
    floor_ms: tuple[float, ...]
    lost: int

    def percentile(self, pct: float, measure: str = "sound_ms") -> float:
        return percentile([getattr(sample, measure) for sample in self.samples], pct)

    def floor(self, pct: float) -> float:
        return percentile(self.floor_ms, pct)


class TimedSpeaker(Speaker):
    """The kiosk's Speaker with espeak-ng's audio sent to a pipe, noting when each utterance
    was spawned and when its first sound came out (never what it said)."""

    def __init__(self, program: str) -> None:
        super().__init__(program, extra_args=["--stdout"], audio=subprocess.PIPE)
        #: (spawned, first sound or None) for each utterance, perf_counter seconds.
        self.moments: list[list[float | None]] = []
        self.texts: list[str] = []

    def speak(self, text: str, language: str) -> None:
        super().speak(text, language)
        moment: list[float | None] = [time.perf_counter(), None]
        self.moments.append(moment)
        self.texts.append(text)
        process = self.process
        if process is not None and process.stdout is not None:
            threading.Thread(target=_first_sound, args=(process, moment), daemon=True).start()


def _first_sound(process: subprocess.Popen[bytes], moment: list[float | None]) -> None:
    """Read espeak-ng's audio; note when the first byte after the header came; drain the rest
    (a full pipe would stall espeak-ng)."""
    assert process.stdout is not None
    received = 0
    # os.read, not the buffered reader: it returns as soon as espeak-ng writes anything.
    descriptor = process.stdout.fileno()
    while chunk := os.read(descriptor, 65536):
        received += len(chunk)
        if moment[1] is None and received > WAV_HEADER:
            moment[1] = time.perf_counter()
    process.stdout.close()


def tour(questions: int, sections: int) -> list[tuple[str, str]]:
    """(label, key) for every step, guide on from the first."""
    steps = [("guide on (5)", "5"), ("welcome: tab", "tab"), ("welcome: tab", "tab")]
    steps += [("open Learn (1)", "1")]
    steps += [("Learn: right", "right")] * (sections - 1)
    steps += [("Learn: tab", "tab"), ("open Compare (2)", "2"), ("Compare: pick (enter)", "enter")]
    steps += [("Compare: tab", "tab")] * 3
    steps += [("open Self-check (3)", "3"), ("start (enter)", "enter")]
    steps += [("answer (y/n/s)", "yns"[number % 3]) for number in range(questions)]
    steps += [("result: tab", "tab"), ("help lines (h)", "h"), ("repeat (0)", "0")]
    steps += [("louder (+)", "plus"), ("softer (-)", "minus")]
    steps += [("faster (*)", "asterisk"), ("slower (/)", "slash"), ("guide off (5)", "5")]
    return steps


async def _wait_sound(speaker: TimedSpeaker, count: int) -> list[float | None] | None:
    deadline = time.perf_counter() + SOUND_TIMEOUT_S
    while time.perf_counter() < deadline:
        if len(speaker.moments) > count and speaker.moments[-1][1] is not None:
            return speaker.moments[-1]
        await asyncio.sleep(0.001)
    return speaker.moments[-1] if len(speaker.moments) > count else None


async def run_speech_latency(root: Path, rounds: int = DEFAULT_SPEECH_ROUNDS) -> SpeechResult:
    """The tour ``rounds`` times on a kiosk with speech and private audio, then the floor."""
    program = find_espeak()
    if program is None:
        raise RuntimeError("espeak-ng is not installed (Debian: apt-get install espeak-ng)")
    settings = load_settings(root / "kiosk.toml")
    settings = msgspec.structs.replace(
        settings, speech=SpeechSettings(enabled=True, private_audio=True)
    )
    library = load_library(root / "content")
    speaker = TimedSpeaker(program)
    app = KioskApp(settings, library, speaker=speaker, build_ahead=True, tune_collector=True)
    samples: list[SpeechSample] = []
    lost = 0
    content = library.get(settings.kiosk.default_language)
    steps = tour(len(content.selfcheck.questions), len(content.learn.sections))
    async with app.run_test(size=(80, 24)):
        await settle(app)
        await asyncio.sleep(3.0)  # the screens built ahead (both languages) are ready
        for _ in range(rounds):
            for label, key in steps:
                await asyncio.sleep(GAP_S)
                await settle(app)
                speaker.stop()  # the last utterance is over (a visitor heard it out)
                count = len(speaker.moments)
                start = time.perf_counter()
                post_key(app, key)
                moment = await _wait_sound(speaker, count)
                if moment is None or moment[1] is None:
                    lost += 1
                    continue
                spawned, sound = moment
                assert spawned is not None and sound is not None
                samples.append(
                    SpeechSample(label, (spawned - start) * 1000, (sound - start) * 1000)
                )
            await settle(app)
            speaker.stop()
    floor = run_floor(program, speaker.texts[: len(steps)])
    return SpeechResult(tuple(samples), tuple(floor), lost)


def run_floor(program: str, texts: Sequence[str]) -> list[float]:
    """espeak-ng alone, for each of ``texts``: ms from ``Popen`` to its first sound."""
    floor: list[float] = []
    for text in texts:
        speaker = TimedSpeaker(program)
        start = time.perf_counter()
        speaker.speak(text, "en")
        deadline = start + SOUND_TIMEOUT_S
        while speaker.moments[-1][1] is None and time.perf_counter() < deadline:
            time.sleep(0.0005)
        sound = speaker.moments[-1][1]
        speaker.stop()
        if sound is not None:
            floor.append((sound - start) * 1000)
        time.sleep(0.05)
    return floor


def details(result: SpeechResult) -> str:
    """Median per step: where the time goes."""
    by_label: dict[str, list[SpeechSample]] = {}
    for sample in result.samples:
        by_label.setdefault(sample.label, []).append(sample)
    lines = ["Speech, median per step, ms from the key to espeak-ng started / to its first sound:"]
    for label, samples in by_label.items():
        spawn = sorted(sample.spawn_ms for sample in samples)[len(samples) // 2]
        sound = sorted(sample.sound_ms for sample in samples)[len(samples) // 2]
        lines.append(f"  {label:<28} {spawn:7.1f} {sound:7.1f}")
    return "\n".join(lines)


def _main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SPEECH_ROUNDS
    result = asyncio.run(run_speech_latency(Path(__file__).resolve().parent.parent, rounds))
    print(details(result))
    print(
        f"speech: {len(result.samples)} keys, {result.lost} lost; key -> first sound "
        f"p50 {result.percentile(50):.1f} ms, p95 {result.percentile(95):.1f} ms; "
        f"key -> espeak-ng started p50 {result.percentile(50, 'spawn_ms'):.1f} ms, "
        f"p95 {result.percentile(95, 'spawn_ms'):.1f} ms; espeak-ng alone p50 "
        f"{result.floor(50):.1f} ms, p95 {result.floor(95):.1f} ms"
    )


if __name__ == "__main__":
    _main()
