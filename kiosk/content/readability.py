"""How hard each Learn section is to read, for ``kiosk validate``.

A reading-level formula belongs to a language: it counts syllables with that language's
hyphenation rules and weighs them with constants fitted to that language's readers. So each
language the kiosk knows a formula for gets that formula, and every other language is
reported as "not measured" (never a guess, and never a traceback from a library that lacks the
language's rules):

* English: the Flesch–Kincaid grade (US school grade; the kiosk aims for 8 or below).
* Spanish: the Fernández-Huerta reading ease, Spanish's adaptation of Flesch's formula
  (0–100, higher is easier; 60 or more is "normal" or easier, about grade 8).
* Russian: Oborneva's adaptation of the Flesch reading ease (textstat's Russian constants,
  syllables counted by vowels, as Russian words have one syllable per vowel), on the same 0–100
  scale; 60 or more is about grade 8.
* Vietnamese, Chinese and any other language: not measured. Vietnamese is written one syllable
  per word and Chinese without spaces, so Flesch-style formulas do not apply, and no
  established formula is in the libraries the kiosk uses. A native speaker should check that
  those texts read at grade 6 to 8 (docs/staff.md, "Adding a language").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.content.model import Content

#: Highest Flesch–Kincaid grade the kiosk accepts for a section.
MAX_GRADE = 8.0
#: Lowest Fernández-Huerta reading ease accepted for Spanish (about grade 8).
MIN_SPANISH_EASE = 60.0
#: Lowest Oborneva reading ease accepted for Russian (about grade 8).
MIN_RUSSIAN_EASE = 60.0


@dataclass(frozen=True)
class Reading:
    """The reading level of one section; ``score`` is None where it is not measured."""

    language: str
    section_id: str
    measure: str
    score: float | None
    too_hard: bool

    def __str__(self) -> str:
        if self.score is None:
            return f"{self.language} {self.section_id}: not measured ({self.measure})"
        verdict = "TOO HARD: use shorter sentences and words" if self.too_hard else "ok"
        return f"{self.language} {self.section_id}: {self.measure} {self.score:.1f} ({verdict})"


#: Why a language gets no score, for the report.
NOT_MEASURED = "no reading-level formula for this language: ask a native speaker to check it"

#: Russian vowels: one syllable each.
_RUSSIAN_VOWELS = re.compile(r"[аеёиоуыэюя]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+(?:\s|$)")


def _english(text: str) -> tuple[str, float, bool]:
    from textstat.textstat import textstatistics  # slow: only here

    # A fresh textstatistics per call: set_lang() changes the object's state, and textstat's
    # module-level instance is shared by everything in the process.
    stats = textstatistics()
    stats.set_lang("en")
    grade = float(stats.flesch_kincaid_grade(text))
    return "Flesch–Kincaid grade", grade, grade > MAX_GRADE


def _spanish(text: str) -> tuple[str, float, bool]:
    from textstat.textstat import textstatistics

    stats = textstatistics()
    stats.set_lang("es")
    ease = float(stats.fernandez_huerta(text))
    return "Fernández-Huerta ease", ease, ease < MIN_SPANISH_EASE


def russian_ease(text: str) -> float:
    """Oborneva's reading ease: 206.835 − 1.3 × words per sentence − 60.1 × syllables per word.

    Counted here rather than by textstat, whose Russian syllables come from hyphenation rules
    that split fewer syllables than a Russian reader hears.
    """
    words = _WORD.findall(text)
    if not words:
        return 100.0
    sentences = max(1, len(_SENTENCE_END.findall(text.strip() + " ")))
    syllables = sum(max(1, len(_RUSSIAN_VOWELS.findall(word))) for word in words)
    return 206.835 - 1.3 * len(words) / sentences - 60.1 * syllables / len(words)


def _russian(text: str) -> tuple[str, float, bool]:
    ease = russian_ease(text)
    return "Oborneva reading ease", ease, ease < MIN_RUSSIAN_EASE


#: The formula for each language (by its base code: "pt-BR" -> "pt"), where one exists.
MEASURES: dict[str, Callable[[str], tuple[str, float, bool]]] = {
    "en": _english,
    "es": _spanish,
    "ru": _russian,
}


def base_language(language: str) -> str:
    """The language part of a folder name: ``zh-Hans`` -> ``zh``, ``pt_BR`` -> ``pt``."""
    return re.split(r"[-_]", language, maxsplit=1)[0].lower()


def section_readings(content: Content) -> list[Reading]:
    """One :class:`Reading` per Learn section of ``content``."""
    measure = MEASURES.get(base_language(content.language))
    readings = []
    for section in content.learn.sections:
        if measure is None:
            readings.append(Reading(content.language, section.id, NOT_MEASURED, None, False))
            continue
        try:
            name, score, too_hard = measure(section.plain_text())
        except Exception as error:  # a library without this text's rules: say so, go on
            why = f"the formula failed on this text ({type(error).__name__})"
            readings.append(Reading(content.language, section.id, why, None, False))
        else:
            readings.append(Reading(content.language, section.id, name, score, too_hard))
    return readings
