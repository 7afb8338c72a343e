"""How hard each Learn section is to read, for ``kiosk validate``.

English uses the Flesch–Kincaid grade (US school grade; the kiosk aims for 8 or below).
Spanish uses the Fernández-Huerta reading ease, the Spanish adaptation of Flesch's formula
(0–100, higher is easier; 60 or more is "normal" or easier, about grade 8). Other languages get
the Flesch–Kincaid grade with textstat's syllable rules for that language.
"""

from __future__ import annotations

from dataclasses import dataclass

from textstat.textstat import textstatistics

from kiosk.content.model import Content

#: Highest Flesch–Kincaid grade the kiosk accepts for a section.
MAX_GRADE = 8.0
#: Lowest Fernández-Huerta reading ease accepted for Spanish (about grade 8).
MIN_SPANISH_EASE = 60.0


@dataclass(frozen=True)
class Reading:
    """The reading level of one section."""

    language: str
    section_id: str
    measure: str
    score: float
    too_hard: bool

    def __str__(self) -> str:
        verdict = "TOO HARD: use shorter sentences and words" if self.too_hard else "ok"
        return f"{self.language} {self.section_id}: {self.measure} {self.score:.1f} ({verdict})"


def section_readings(content: Content) -> list[Reading]:
    """One :class:`Reading` per Learn section of ``content``."""
    # A fresh textstatistics per call: set_lang() changes the object's state, and textstat's
    # module-level instance is shared by everything in the process.
    stats = textstatistics()
    stats.set_lang(content.language)
    readings = []
    for section in content.learn.sections:
        text = section.plain_text()
        if content.language == "es":
            ease = float(stats.fernandez_huerta(text))
            readings.append(
                Reading("es", section.id, "Fernández-Huerta ease", ease, ease < MIN_SPANISH_EASE)
            )
        else:
            grade = float(stats.flesch_kincaid_grade(text))
            readings.append(
                Reading(
                    content.language, section.id, "Flesch–Kincaid grade", grade, grade > MAX_GRADE
                )
            )
    return readings
