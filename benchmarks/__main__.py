"""``make bench``: the kiosk against a bare Textual app, in one run on one machine.

Prints the machine, a table of every measurement with its target, details that help find the
cause of a miss (start-up phases, each input of the tour, where the soak went and its memory),
and as its very last line the summary of :func:`summary_line`: ``startup_ratio=X.XX
rss_ratio=X.XX key_p50_ms=N.N key_p99_ms=N.N soak_events=N soak_rss_growth_pct=N.N
speech_p95_ms=N.N``, on one line (``speech_p95_ms`` only where espeak-ng is installed).

Progress goes to stderr, so ``python -m benchmarks | tail -1`` is the summary line alone.
``--check`` makes the exit code 1 when a target is missed (for CI); by default a miss is
reported, not fatal, because absolute timings depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from benchmarks.latency import (
    DEFAULT_ROUNDS,
    LATENCY_VARIANTS,
    LatencyResult,
    Sample,
    run_floor,
    run_latency,
    run_latency_process,
)
from benchmarks.monkey import DEFAULT_SEED
from benchmarks.soak import DEFAULT_EVENTS, SoakResult, run_soak_process
from benchmarks.speech_latency import DEFAULT_SPEECH_ROUNDS, SpeechResult, run_speech_latency
from benchmarks.speech_latency import details as speech_details
from benchmarks.startup import DEFAULT_RUNS, MECHANISM_VARIANTS, StartupResult, run_startup
from kiosk.system.speech import find_espeak

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024

#: The performance budget of ENGINEERING.md.
TARGET_STARTUP_RATIO = 1.5
TARGET_RSS_RATIO = 1.5
TARGET_KEY_P50_MS = 16.0
TARGET_KEY_P99_MS = 50.0
TARGET_SOAK_GROWTH_PCT = 10.0
#: Issue 14: the audio guide's speech starts within 150 ms of the key (p95).
TARGET_SPEECH_P95_MS = 150.0


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the results table."""

    metric: str
    kiosk: str
    bare: str = ""
    ratio: str = ""
    target: str = ""
    ok: bool | None = None


def cpu_model() -> str:
    """The CPU's model name from ``/proc/cpuinfo``."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine_line() -> str:
    cpus = len(os.sched_getaffinity(0))
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"Machine: {cpus} CPUs ({cpu_model()}), Linux {platform.release()}, "
        f"Python {platform.python_version()}, Textual {version('textual')}, load {load}"
    )


def verdict(ok: bool | None) -> str:
    if ok is None:
        return ""
    return "ok" if ok else "MISSED"


def format_table(rows: Sequence[Row]) -> str:
    header = ("measurement", "kiosk", "bare app", "ratio", "target", "result")
    lines = [header] + [
        (row.metric, row.kiosk, row.bare, row.ratio, row.target, verdict(row.ok)) for row in rows
    ]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    out = []
    for number, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)]
        out.append("  ".join(cells).rstrip())
        if number == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def results_table(
    kiosk: StartupResult,
    bare: StartupResult,
    cold: StartupResult,
    latency: LatencyResult,
    floor: LatencyResult,
    soak: SoakResult,
) -> tuple[list[Row], dict[str, float]]:
    startup_ratio = kiosk.ready_ms / bare.ready_ms
    rss_ratio = kiosk.peak_rss_bytes / bare.peak_rss_bytes
    summary = {
        "startup_ratio": startup_ratio,
        "rss_ratio": rss_ratio,
        "key_p50_ms": latency.p50_ms,
        "key_p99_ms": latency.p99_ms,
        "key_p50_floor_ratio": latency.p50_ms / floor.p50_ms,
        "key_p99_floor_ratio": latency.p99_ms / floor.p99_ms,
        "soak_rss_growth_pct": soak.growth_pct,
    }
    rows = [
        Row(
            "start-up to first interactive frame (median)",
            f"{kiosk.ready_ms:.1f} ms",
            f"{bare.ready_ms:.1f} ms",
            f"{startup_ratio:.3f}",
            f"<= {TARGET_STARTUP_RATIO:.2f}",
            startup_ratio <= TARGET_STARTUP_RATIO,
        ),
        Row(
            "  interpreter start (spawn -> first line)",
            f"{kiosk.main_ms:.1f} ms",
            f"{bare.main_ms:.1f} ms",
        ),
        Row(
            "  imports + content loading (-> App.run)",
            f"{kiosk.run_ms - kiosk.main_ms:.1f} ms",
            f"{bare.run_ms - bare.main_ms:.1f} ms",
        ),
        Row(
            "  App.run -> first interactive frame",
            f"{kiosk.ready_ms - kiosk.run_ms:.1f} ms",
            f"{bare.ready_ms - bare.run_ms:.1f} ms",
        ),
        Row(
            "  first start after a content change (no cache)",
            f"{cold.ready_ms:.1f} ms",
            f"{bare.ready_ms:.1f} ms",
            f"{cold.ready_ms / bare.ready_ms:.3f}",
        ),
        Row(
            "peak RSS at that frame (median)",
            f"{kiosk.peak_rss_bytes / MIB:.1f} MiB",
            f"{bare.peak_rss_bytes / MIB:.1f} MiB",
            f"{rss_ratio:.3f}",
            f"<= {TARGET_RSS_RATIO:.2f}",
            rss_ratio <= TARGET_RSS_RATIO,
        ),
        Row(
            f"key/tap latency p50 (screen updated), {len(latency.samples)} inputs",
            f"{latency.p50_ms:.1f} ms",
            target=f"<= {TARGET_KEY_P50_MS:.0f} ms",
            ok=latency.p50_ms <= TARGET_KEY_P50_MS,
        ),
        Row(
            "key/tap latency p99 (screen updated)",
            f"{latency.p99_ms:.1f} ms",
            target=f"<= {TARGET_KEY_P99_MS:.0f} ms",
            ok=latency.p99_ms <= TARGET_KEY_P99_MS,
        ),
        Row(
            f"  Textual's floor: a one-widget change, {len(floor.samples)} keys (p50 / p99)",
            f"{floor.p50_ms:.1f} / {floor.p99_ms:.1f} ms",
        ),
        Row(
            "  kiosk over that floor (p50 / p99)",
            f"{latency.p50_ms / floor.p50_ms:.2f} / {latency.p99_ms / floor.p99_ms:.2f}",
        ),
        Row(
            "  p50 / p99 to the first visible frame",
            f"{latency.percentile(50, 'first_ms'):.1f} / "
            f"{latency.percentile(99, 'first_ms'):.1f} ms",
        ),
        Row(
            "  p50 / p99 to the last frame of any kind",
            f"{latency.percentile(50, 'last_frame_ms'):.1f} / "
            f"{latency.percentile(99, 'last_frame_ms'):.1f} ms",
        ),
        Row(
            f"soak RSS growth after warm-up, {soak.events} events",
            f"{soak.growth_pct:.1f} %",
            target=f"<= {TARGET_SOAK_GROWTH_PCT:.0f} %",
            ok=soak.growth_pct <= TARGET_SOAK_GROWTH_PCT and not soak.failure,
        ),
        Row(
            "  RSS at end of warm-up -> end",
            f"{soak.rss_warm_bytes / MIB:.1f} -> {soak.rss_end_bytes / MIB:.1f} MiB",
        ),
        Row("  GC-tracked objects warm-up -> end", f"{soak.objects_warm} -> {soak.objects_end}"),
    ]
    return rows, summary


def speech_rows(speech: SpeechResult) -> list[Row]:
    """The audio guide: key to the first sound of its speech, against espeak-ng alone."""
    p95, floor_p95 = speech.percentile(95), speech.floor(95)
    return [
        Row(
            f"speech: key -> first sound p50, {len(speech.samples)} keys ({speech.lost} lost)",
            f"{speech.percentile(50):.1f} ms",
            f"{speech.floor(50):.1f} ms",
            f"{speech.percentile(50) / speech.floor(50):.2f}",
        ),
        Row(
            "speech: key -> first sound p95",
            f"{p95:.1f} ms",
            f"{floor_p95:.1f} ms",
            f"{p95 / floor_p95:.2f}",
            f"<= {TARGET_SPEECH_P95_MS:.0f} ms",
            p95 <= TARGET_SPEECH_P95_MS and not speech.lost,
        ),
        Row(
            "  key -> espeak-ng started (p50 / p95)",
            f"{speech.percentile(50, 'spawn_ms'):.1f} / {speech.percentile(95, 'spawn_ms'):.1f} ms",
        ),
    ]


def mechanisms_table(
    kiosk: StartupResult,
    bare: StartupResult,
    cold: StartupResult,
    startup_variants: dict[str, StartupResult],
    rounds: int,
) -> str:
    """Each performance mechanism switched off in turn, in this run, and what it buys.

    Start-up variants are measured with the other start-ups (interleaved); each latency variant
    runs the tour in a process of its own, the kiosk as installed included, so they compare
    like with like.
    """
    lines = [
        "What each mechanism buys (switched off in turn, this run):",
        f"  start-up, kiosk as installed: {kiosk.ready_ms:.1f} ms "
        f"({kiosk.ready_ms / bare.ready_ms:.2f} x bare), "
        f"{kiosk.peak_rss_bytes / MIB:.1f} MiB",
    ]
    names = {
        "kiosk-eager-screens": "screens imported at start (no lazy imports)",
        "kiosk-plain-theme": "first theme set the plain way (no shortcut)",
    }
    for variant, result in [("kiosk-cold", cold), *startup_variants.items()]:
        name = names.get(variant, "no content cache (first start after a change)")
        lines.append(
            f"    {name:<48} {result.ready_ms:7.1f} ms ({result.ready_ms / bare.ready_ms:.2f} x)"
            f"  costs {result.ready_ms - kiosk.ready_ms:+.1f} ms, "
            f"{(result.peak_rss_bytes - kiosk.peak_rss_bytes) / MIB:+.1f} MiB"
        )
    lines.append(f"  key/tap latency, {rounds} tours each, p50 / p99 (ms):")
    baseline: LatencyResult | None = None
    for variant in LATENCY_VARIANTS:
        print(f"latency variant: {variant}...", file=sys.stderr)
        tours = run_latency_process(variant, rounds)
        if baseline is None:
            baseline = tours
        lines.append(
            f"    {variant:<48} {tours.p50_ms:5.1f} / {tours.p99_ms:5.1f}"
            + (
                ""
                if tours is baseline
                else f"   {tours.p50_ms - baseline.p50_ms:+.1f} / "
                f"{tours.p99_ms - baseline.p99_ms:+.1f} without it"
            )
        )
    return "\n".join(lines)


def latency_details(latency: LatencyResult) -> str:
    """Median per tour step over the rounds: which inputs are slow, and how many frames."""
    by_label: dict[str, list[Sample]] = {}
    for sample in latency.samples:
        by_label.setdefault(sample.label, []).append(sample)
    lines = [
        f"Tour, median of {latency.rounds} round(s), ms from the input to the first visible "
        "frame / screen updated / last frame; frames that changed the screen / all frames:"
    ]
    for label, samples in by_label.items():

        def median(measure: str, samples: list[Sample] = samples) -> float:
            return float(statistics.median(getattr(sample, measure) for sample in samples))

        lines.append(
            f"  {label:<34} {median('first_ms'):7.1f} {median('done_ms'):7.1f} "
            f"{median('last_frame_ms'):7.1f}   {median('visible_frames'):g}/{median('frames'):g}"
        )
    # The p99 of a few hundred inputs is one of the slowest few: name them.
    slowest = sorted(latency.samples, key=lambda sample: sample.done_ms, reverse=True)[:5]
    worst = ", ".join(f"{sample.label} {sample.done_ms:.0f}" for sample in slowest)
    lines.append(f"  slowest inputs (ms to screen updated): {worst}")
    return "\n".join(lines)


def soak_details(soak: SoakResult) -> str:
    trace = " ".join(f"{value / MIB:.1f}" for value in soak.rss_trace_bytes)
    places = ", ".join(f"{name} {count}" for name, count in soak.places.items())
    lines = [
        f"Soak: seed {soak.seed}, {soak.events} events in {soak.seconds:.0f} s, "
        f"warm-up {soak.warmup_events} events",
        f"  RSS (MiB) at every tenth: {trace}",
        f"  events ending on each screen: {places}",
    ]
    if soak.failure:
        lines.append(f"  FAILED: {soak.failure}")
    return "\n".join(lines)


def summary_line(summary: dict[str, float], events: int) -> str:
    speech = f" speech_p95_ms={summary['speech_p95_ms']:.1f}" if "speech_p95_ms" in summary else ""
    return (
        f"startup_ratio={summary['startup_ratio']:.2f} rss_ratio={summary['rss_ratio']:.2f} "
        f"key_p50_ms={summary['key_p50_ms']:.1f} key_p99_ms={summary['key_p99_ms']:.1f} "
        f"key_p50_floor_ratio={summary['key_p50_floor_ratio']:.2f} "
        f"key_p99_floor_ratio={summary['key_p99_floor_ratio']:.2f} "
        f"soak_events={events} soak_rss_growth_pct={summary['soak_rss_growth_pct']:.1f}"
        f"{speech}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--events", type=int, default=DEFAULT_EVENTS, help="soak events (default %(default)s)"
    )
    parser.add_argument(
        "--runs", type=int, default=DEFAULT_RUNS, help="start-up runs per app (default %(default)s)"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="soak seed (default %(default)s)"
    )
    parser.add_argument(
        "--rounds", type=int, default=DEFAULT_ROUNDS, help="latency tours (default %(default)s)"
    )
    parser.add_argument(
        "--speech-rounds",
        type=int,
        default=DEFAULT_SPEECH_ROUNDS,
        help="audio guide tours with the real espeak-ng (default %(default)s; 0: skip)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--mechanisms",
        action="store_true",
        help="also switch each performance mechanism off in turn and show what it buys",
    )
    args = parser.parse_args(argv)
    if args.events < 10 or args.runs < 1 or args.rounds < 1:
        parser.error("need --events >= 10, --runs >= 1 and --rounds >= 1")

    print(machine_line(), flush=True)
    print(f"start-up: {args.runs} runs per app (+1 warm-up each)...", file=sys.stderr)
    variants = MECHANISM_VARIANTS if args.mechanisms else ()
    kiosk, bare, cold, startup_variants = run_startup(args.runs, variants)
    print(f"latency: {args.rounds} tours...", file=sys.stderr)
    latency = asyncio.run(run_latency(ROOT, args.rounds))
    floor = asyncio.run(run_floor(len(latency.samples)))
    print(f"soak: {args.events} events, seed {args.seed}...", file=sys.stderr)
    soak = run_soak_process(args.events, args.seed)
    speech: SpeechResult | None = None
    if args.speech_rounds and find_espeak() is not None:
        print(f"speech: {args.speech_rounds} guided tours with espeak-ng...", file=sys.stderr)
        speech = asyncio.run(run_speech_latency(ROOT, args.speech_rounds))
    elif args.speech_rounds:
        print("speech: skipped, espeak-ng is not installed", file=sys.stderr)

    rows, summary = results_table(kiosk, bare, cold, latency, floor, soak)
    if speech is not None:
        rows += speech_rows(speech)
        summary["speech_p95_ms"] = speech.percentile(95)
    print()
    print(format_table(rows))
    if args.mechanisms:
        print()
        print(mechanisms_table(kiosk, bare, cold, startup_variants, args.rounds))
    print()
    print(latency_details(latency))
    print()
    print(soak_details(soak))
    print()
    if speech is not None:
        print(speech_details(speech))
        print()
    print(summary_line(summary, args.events), flush=True)
    missed = [row.metric for row in rows if row.ok is False]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
