"""Key and tap latency over a scripted tour of every area and the whole self-check.

What one sample measures: from just before the input is queued on the app (where the terminal
driver's input thread would put it) to the *last frame that changed what is on screen* because
of it, composed and turned into terminal output. That is when the visitor sees the finished
result: most inputs draw in several steps (the new screen, then its layout once widgets know
their sizes, then a focus marker after ``call_after_refresh``), and the screen is updated only
when all of them are there. Frames that redraw the very same cells (Textual's layout pass after
a restyle that changed nothing, for example) are not counted: a visitor cannot see them. Which
frames changed something is found by replaying every update on a
:class:`~benchmarks.harness.VirtualTerminal` after the input has settled, outside the timing.
The table also shows the first visible frame and the last frame of any kind, for reference.

Which frames belong to an input: those drawn until :func:`benchmarks.harness.settle` says the
app is finished with it (every queue drained, no frames held back by ``delay_update`` or
``batch_update``, no pending layout, repaint or after-refresh callback). Effects an input
*schedules* for later on purpose are not latency and are left out: the button's 200 ms "pressed"
flash (``Button.active_effect_duration``) ends with a frame of its own, which would otherwise
make every tap look like 200 ms. The harness waits :data:`GAP_S` between inputs so that such a
late frame never lands in the next sample. The waiting itself is never counted, only frame
timestamps are: a slow harness cannot inflate a sample, only the app can.

The app runs headless at 80x24 (``App.run_test``), as in the tests; the frame clock adds the
cost of producing the terminal bytes that headless mode skips.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult, ScreenStackError
from textual.binding import BindingType
from textual.errors import NoWidget
from textual.widgets import Static

from benchmarks.harness import FrameClock, VirtualTerminal, post_key, post_tap, settle
from kiosk.app import KioskApp
from kiosk.config import load_settings
from kiosk.content.model import load_library
from kiosk.textual_internals import failure

#: Pause between inputs, longer than the button's 200 ms pressed flash (a visitor's pace anyway).
GAP_S = 0.25
#: Default number of times the whole tour is repeated (all rounds are counted).
DEFAULT_ROUNDS = 5


class TourError(RuntimeError):
    """The tour went somewhere it did not expect: the benchmark would measure the wrong thing."""


@dataclass(frozen=True, slots=True)
class Step:
    """One input of the tour: a key, or a tap on the centre of the widget ``tap`` selects."""

    label: str
    expect: str
    key: str = ""
    tap: str = ""


@dataclass(frozen=True, slots=True)
class Sample:
    """One measured input, in milliseconds from the input."""

    label: str
    #: The first frame that changed the screen.
    first_ms: float
    #: The last frame that changed the screen: the screen is updated. The budget's measure.
    done_ms: float
    #: The last frame of any kind (some redraw identical cells).
    last_frame_ms: float
    frames: int
    visible_frames: int


@dataclass(frozen=True, slots=True)
class LatencyResult:
    """Every sample of every round, in order."""

    samples: tuple[Sample, ...]
    rounds: int

    def percentile(self, pct: float, measure: str = "done_ms") -> float:
        return percentile([getattr(sample, measure) for sample in self.samples], pct)

    @property
    def p50_ms(self) -> float:
        return self.percentile(50)

    @property
    def p99_ms(self) -> float:
        return self.percentile(99)


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``pct`` % of values at or below.

    Nearest-rank never interpolates below a value that was really measured, so a p99 over a
    few hundred samples is an honest (slightly pessimistic) figure.
    """
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def tour(app: KioskApp) -> list[Step]:
    """Welcome -> every Learn tab -> Compare (pick two, side by side, one, details) -> the whole
    self-check and Start over -> Help, back at the welcome screen at the end."""
    content = app.content
    sections = content.learn.sections
    options = content.compare.options
    questions = content.selfcheck.questions
    steps = [Step("open Learn (1)", "LearnScreen", key="1")]
    steps += [
        Step(f"Learn tab {number + 1} (right)", "LearnScreen", key="right")
        for number in range(1, len(sections))
    ]
    steps += [
        Step("Learn -> welcome (escape)", "WelcomeScreen", key="escape"),
        Step("open Compare (2)", "CompareScreen", key="2"),
        Step("pick first option (tap)", "CompareScreen", tap=f"#pick-{options[0].id}"),
        Step("pick second option (tap)", "CompareScreen", tap=f"#pick-{options[1].id}"),
        Step("side by side (tap)", "SideBySideScreen", tap="#side-by-side"),
        Step("back from side by side (escape)", "CompareScreen", key="escape"),
        # Pros and cons are for one option (with two picked, the button says so instead).
        Step("unpick second option (tap)", "CompareScreen", tap=f"#pick-{options[1].id}"),
        Step("details (tap)", "OptionScreen", tap="#details"),
        Step("back from details (escape)", "CompareScreen", key="escape"),
        Step("Compare -> welcome (escape)", "WelcomeScreen", key="escape"),
        Step("open Self-check (3)", "SelfCheckScreen", key="3"),
        Step("start (enter)", "SelfCheckScreen", key="enter"),
    ]
    answers = "yns"
    steps += [
        Step(
            f"answer {number + 1} ({answers[number % 3]})",
            "SelfCheckScreen",
            key=answers[number % 3],
        )
        for number in range(len(questions))
    ]
    steps += [
        # A tap, not Enter: the result screen focuses its text, so one stray Enter cannot erase it.
        Step("start over (tap)", "WelcomeScreen", tap="#start-over"),
        Step("open Help (h)", "HelpScreen", key="h"),
        Step("Help -> welcome (escape)", "WelcomeScreen", key="escape"),
    ]
    return steps


async def _tap_point(app: App[Any], selector: str) -> tuple[int, int]:
    """Bring the widget into view (untimed: the visitor scrolls first) and return its centre."""
    widget = app.screen.query_one(selector)
    widget.scroll_visible(animate=False, immediate=True)
    await settle(app)
    x, y = widget.region.center
    try:
        on_top, _ = app.get_widget_at(x, y)
    except NoWidget:
        on_top = None
    if on_top is not widget:
        raise TourError(f"{selector} is not tappable at ({x}, {y}): {on_top!r} is there")
    return x, y


async def measure_step(
    app: App[Any], clock: FrameClock, terminal: VirtualTerminal, step: Step
) -> Sample:
    """Send one input and time it (see the module docstring for what is timed)."""
    await asyncio.sleep(GAP_S)
    point = await _tap_point(app, step.tap) if step.tap else None
    await settle(app)
    for _, update in clock.take():  # whatever was drawn before the input, untimed
        terminal.apply(update)
    start = time.perf_counter()
    if point is None:
        post_key(app, step.key)
    else:
        post_tap(app, *point)
    await settle(app)
    frames = clock.take()
    visible = [moment for moment, update in frames if terminal.apply(update)]
    if failure(app) is not None:
        raise TourError(f"{step.label}: the app raised {failure(app)!r}")
    try:
        where = type(app.screen).__name__
    except ScreenStackError:
        raise TourError(f"{step.label}: the app has no screen left") from None
    if where != step.expect:
        raise TourError(f"{step.label}: expected {step.expect}, the app shows {where}")
    if not visible:
        raise TourError(f"{step.label}: nothing changed on screen ({len(frames)} frames)")
    return Sample(
        step.label,
        first_ms=(visible[0] - start) * 1000,
        done_ms=(visible[-1] - start) * 1000,
        last_frame_ms=(frames[-1][0] - start) * 1000,
        frames=len(frames),
        visible_frames=len(visible),
    )


async def run_latency(
    root: Path,
    rounds: int = DEFAULT_ROUNDS,
    *,
    build_ahead: bool = True,
    tune_collector: bool = True,
    freeze_collector: bool = True,
) -> LatencyResult:
    """Run the tour ``rounds`` times on a fresh kiosk with the bundled content.

    By default the kiosk as `kiosk run` starts it (kiosk.cli.run), so the tour measures the
    kiosk visitors get; the switches turn one mechanism off to see what it buys.
    """
    settings = load_settings(root / "kiosk.toml")
    library = load_library(root / "content")
    app = KioskApp(
        settings,
        library,
        tune_collector=tune_collector,
        freeze_collector=freeze_collector,
        build_ahead=build_ahead,
    )
    samples: list[Sample] = []
    size = (80, 24)
    async with app.run_test(size=size):
        clock = FrameClock(app)
        terminal = VirtualTerminal(*size)
        await settle(app)
        for _ in range(rounds):
            for step in tour(app):
                samples.append(await measure_step(app, clock, terminal, step))
    return LatencyResult(tuple(samples), rounds)


class FloorApp(App[None]):
    """Textual's floor: one Static whose text a key changes. Nothing can be faster than this
    on the same machine, measured the same way."""

    BINDINGS: ClassVar[list[BindingType]] = [("a", "count", "Count")]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Static("0", id="count")

    def action_count(self) -> None:
        self.count += 1
        self.query_one("#count", Static).update(str(self.count))


async def run_floor(inputs: int) -> LatencyResult:
    """``inputs`` key presses on :class:`FloorApp`, each timed as a kiosk input is."""
    app = FloorApp()
    samples: list[Sample] = []
    size = (80, 24)
    async with app.run_test(size=size):
        clock = FrameClock(app)
        terminal = VirtualTerminal(*size)
        await settle(app)
        step = Step("one widget changes (a)", "Screen", key="a")
        for _ in range(inputs):
            samples.append(await measure_step(app, clock, terminal, step))
    return LatencyResult(tuple(samples), 1)


#: The kiosk with one latency mechanism switched off: (name, run_latency switches, environment).
LATENCY_VARIANTS: dict[str, tuple[dict[str, bool], dict[str, str]]] = {
    "as installed": ({}, {}),
    "screens not built ahead": ({"build_ahead": False}, {}),
    "collector left alone": ({"tune_collector": False}, {}),
    "collector tuned, nothing frozen": ({"freeze_collector": False}, {}),
    "60 frames a second": ({}, {"TEXTUAL_FPS": "60"}),
}


def run_latency_process(variant: str, rounds: int) -> LatencyResult:
    """Run the tour for one of :data:`LATENCY_VARIANTS` in a fresh process (a frame rate is
    read when Textual is imported, so each variant gets an interpreter of its own)."""
    _, environment = LATENCY_VARIANTS[variant]
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.latency", variant, str(rounds)],
        cwd=ROOT,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    )
    data = json.loads(completed.stdout.splitlines()[-1])
    return LatencyResult(tuple(Sample(**sample) for sample in data), rounds)


def _main() -> None:
    variant, rounds = sys.argv[1], int(sys.argv[2])
    switches, _ = LATENCY_VARIANTS[variant]
    result = asyncio.run(run_latency(ROOT, rounds, **switches))
    print(json.dumps([dataclasses.asdict(sample) for sample in result.samples]))


ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    _main()
