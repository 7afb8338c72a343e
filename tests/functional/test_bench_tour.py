"""The benchmark's tour (``make bench``, :mod:`benchmarks.latency`) still goes where it says.

The tour presses keys and taps buttons and checks, at each step, which screen is on top. When
the kiosk changes (with two options picked, "Show pros and cons" now says to pick one instead
of opening them), the tour stopped half-way and ``make bench`` measured nothing. One round
here, so that such a change fails ``make test``, not the next benchmark.
"""

from __future__ import annotations

import sys
from pathlib import Path

# benchmarks/ is a folder of the project, not an installed package (see test_soak.py).
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.latency import run_latency  # noqa: E402


async def test_one_round_of_the_benchmark_tour_reaches_every_screen_it_names() -> None:
    result = await run_latency(ROOT, rounds=1)
    reached = {sample.label for sample in result.samples}
    assert "details (tap)" in reached
    assert len(result.samples) >= 30
