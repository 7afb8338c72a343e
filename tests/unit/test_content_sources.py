"""docs/content-sources.md points at real places of the content, and names every source.

The page lists every fact of the source article and where the kiosk says it; staff check changes
against it. A place it names that no longer exists (a renamed Learn tab, option or rule) would
send them to nothing, so each reference is checked against the bundled content.
"""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.content.model import ContentLibrary

PAGE = Path(__file__).resolve().parents[2] / "docs" / "content-sources.md"
TEXT = PAGE.read_text(encoding="utf-8")


def test_every_learn_tab_named_exists(library: ContentLibrary) -> None:
    named = set(re.findall(r"`learn: (\w+)", TEXT))
    named |= {m for group in re.findall(r"`learn: ([\w, ]+)`", TEXT) for m in group.split(", ")}
    sections = {section.id for section in library.get("en").learn.sections}
    assert named and named <= sections, named - sections
    assert sections <= named, f"tabs the page never names: {sections - named}"


def test_every_option_and_row_named_exists(library: ContentLibrary) -> None:
    compare = library.get("en").compare
    options = {option.id for option in compare.options} | {"*"}
    fields = {row.id for row in compare.rows} | {"summary", "pros", "cons"}
    named = re.findall(r"(?:`compare: |, )(\*|[a-z_]+)\.([a-z_0-9]+)", TEXT)
    assert len(named) > 40
    for option, field in named:
        assert option in options, option
        assert field in fields, f"{option}.{field}"


def test_every_rule_result_and_question_named_exists(library: ContentLibrary) -> None:
    selfcheck = library.get("en").selfcheck
    kinds = {
        "rule": {rule.id for rule in selfcheck.rules},
        "result": {result.id for result in selfcheck.results},
        "question": {question.id for question in selfcheck.questions},
        "questions": {question.id for question in selfcheck.questions},
    }
    found = re.findall(r"`selfcheck: (rule|result|questions?) ([\w, ]+)", TEXT)
    assert found
    for kind, names in found:
        for name in names.split(", "):
            assert name in kinds[kind], f"{kind} {name}"
    # Every rule is explained in the page's last part.
    for rule in selfcheck.rules:
        assert f"`{rule.id}`" in TEXT, rule.id


def test_every_source_is_named(library: ContentLibrary) -> None:
    for source in library.get("en").sources.sources:
        assert f"`{source.id}`" in TEXT or f"sources: {source.id}" in TEXT, source.id
