"""The long soak: seeded random keys and taps; does the kiosk's memory stay flat?

Runs in a process of its own (``python -m benchmarks.soak``, one JSON line on stdout) so that
the resident memory it measures belongs to the kiosk and this loop only, not to whatever the
benchmark did before. The first 10 % of the events are warm-up: every screen gets built, caches
fill, Python's allocator grows its arenas. Growth is measured from the end of the warm-up to the
end, both right after ``gc.collect()``, as current RSS from ``/proc/self/statm``. The number of
objects the garbage collector tracks is recorded at the same two points: a leak of Python
objects shows there even when the allocator hides it from RSS.

After every event the same health check as the test suite's soak runs; the first failure stops
the soak and is reported with the seed and the event number, which replay it exactly.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.harness import rss_bytes, settle
from benchmarks.monkey import (
    DEFAULT_SEED,
    apply_event,
    health_problem,
    monkey_events,
    place,
    record_errors,
)
from kiosk.app import KioskApp
from kiosk.config import load_settings
from kiosk.content.model import load_library

ROOT = Path(__file__).resolve().parent.parent
#: Share of the events that warm up before the first memory reading.
WARMUP_SHARE = 0.10
#: Default number of events of the long soak.
DEFAULT_EVENTS = 20_000


@dataclass
class SoakResult:
    """What one soak measured."""

    seed: int
    events: int
    warmup_events: int
    seconds: float
    rss_warm_bytes: int = 0
    rss_end_bytes: int = 0
    objects_warm: int = 0
    objects_end: int = 0
    #: RSS after ``gc.collect()`` at every tenth of the run, to see a trend rather than two points.
    rss_trace_bytes: list[int] = field(default_factory=list)
    #: How many events left the visitor on each screen.
    places: dict[str, int] = field(default_factory=dict)
    failure: str = ""

    @property
    def growth_pct(self) -> float:
        if not self.rss_warm_bytes:
            return float("nan")
        return (self.rss_end_bytes - self.rss_warm_bytes) / self.rss_warm_bytes * 100


async def run_soak(
    events: int = DEFAULT_EVENTS, seed: int = DEFAULT_SEED, *, progress: bool = False
) -> SoakResult:
    """Soak a fresh kiosk (bundled content, 80x24, headless) with ``events`` monkey events."""
    app = KioskApp(
        load_settings(ROOT / "kiosk.toml"),
        load_library(ROOT / "content"),
        # As `kiosk run` starts it (kiosk.cli.run).
        tune_collector=True,
        build_ahead=True,
    )
    warmup = max(1, round(events * WARMUP_SHARE))
    tenth = max(1, events // 10)
    result = SoakResult(seed=seed, events=events, warmup_events=warmup, seconds=0.0)
    places: Counter[str] = Counter()
    started = time.perf_counter()
    async with app.run_test(size=(80, 24)):
        errors = record_errors(app)
        await settle(app)
        for event in monkey_events(seed, events):
            await apply_event(app, event)
            problem = health_problem(app, app.content.help.clinic_phone, errors)
            if problem:
                result.failure = f"seed {seed}, {event}: {problem}"
                break
            places[place(app)] += 1
            done = event.number + 1
            if done == warmup:
                gc.collect()
                result.rss_warm_bytes = rss_bytes()
                result.objects_warm = len(gc.get_objects())
            if done % tenth == 0:
                gc.collect()
                result.rss_trace_bytes.append(rss_bytes())
                if progress:
                    elapsed = time.perf_counter() - started
                    print(f"soak: {done}/{events} events, {elapsed:.0f} s", file=sys.stderr)
        gc.collect()
        result.rss_end_bytes = rss_bytes()
        result.objects_end = len(gc.get_objects())
    result.seconds = time.perf_counter() - started
    result.places = dict(places.most_common())
    return result


def run_soak_process(events: int, seed: int) -> SoakResult:
    """Run :func:`run_soak` in a fresh interpreter and return its result."""
    import subprocess

    command = [sys.executable, "-m", "benchmarks.soak", "--events", str(events)]
    command += ["--seed", str(seed)]
    completed = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    if completed.returncode != 0 or not completed.stdout.strip():
        raise RuntimeError(f"the soak process failed (exit code {completed.returncode})")
    data = json.loads(completed.stdout.strip().splitlines()[-1])
    return SoakResult(**data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=DEFAULT_EVENTS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    result = asyncio.run(run_soak(args.events, args.seed, progress=True))
    print(json.dumps(asdict(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
